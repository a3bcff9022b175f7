// Receipts and events of the system contracts (shared/spec/promo-pool.md §1–4).
//
// A transaction that breaks a contract rule is still included: it consumes its nonce
// and gets a receipt with status failed and the Reason naming the rule. Reasons are one
// enumerator per rule; the spec's name is what name() returns.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/core/bytes.hpp"

namespace cl::state {

enum class Reason : std::uint8_t {
    kNone,  // success
    // Calls that no contract understands (the transaction is valid, the call is not).
    kUnknownContract,  // `to` is not a system contract
    kUnknownMethod,    // the contract has no such method
    kMalformedCall,    // wrong number or shape of arguments
    // Promo pool (§3).
    kUnknownTier,          // request/set_quota: tier index out of range
    kPoolExhausted,        // request: live + redeemed (+ burned) has reached the tier's capacity
    kUserLimit,            // request: per_user_live / per_user_lifetime; transfer: recipient's per_user_live
    kBlockCap,             // request: per_block_issue_cap codes already issued in this block
    kUnknownCode,          // redeem/transfer/renew: no such code
    kAlreadyRedeemed,      // redeem/transfer/renew: the code was redeemed
    kExpired,              // redeem/transfer/renew: the code expired
    kNotMember,            // redeem/set_quota: the sender is not an active cloud's operator
    kCloudQuotaExhausted,  // redeem: redeemed[c][t] has reached quota[c][t]
    kNotOwner,             // transfer/renew: the sender does not own the code
    kTransferLimit,        // transfer: max_transfers reached
    kNotRenewable,         // renew: the TTL policy is not `renewable`
    kRenewalLimit,         // renew: max_renewals reached
    // Governance (§2).
    kBadAttestation,     // register_cloud: not the notary's signature over (chain_id, name, validator)
    kAlreadyRegistered,  // register_cloud: name, validator or operator already belongs to a cloud
    kQuotaBelowUsed,     // set_quota: below what the cloud has already redeemed
    kCapacityInUse,      // set_quota: the tier's live codes would no longer be covered
    // Reward token (§4).
    kInsufficientBalance,
    kInsufficientAllowance,
    // Governance again (added after the token reasons to keep earlier values stable).
    kQuotaTooLarge,  // set_quota: the tier's total capacity would exceed 2^64 − 1
};
inline constexpr std::size_t kReasonCount = static_cast<std::size_t>(Reason::kQuotaTooLarge) + 1;
const char* name(Reason r);

enum class EventKind : std::uint8_t {
    kIssued,           // code, owner = to, tier, amount = expires_at
    kRedeemed,         // code, cloud operator = from, owner = to, tier
    kTransferred,      // code, from, to
    kRenewed,          // code, amount = new expires_at
    kExpired,          // code, owner = from, tier (end of block, not in a receipt)
    kTokenTransfer,    // ERC-20 Transfer(from, to, amount); mint: from = zero address
    kApproval,         // ERC-20 Approval(owner = from, spender = to, amount)
    kCloudRegistered,  // operator = from, validator = to
    kCloudActivated,   // validator = to (end of block)
    kCloudRemoved,     // validator = to (end of block)
    kQuotaSet,         // operator = from, tier, amount
    kQuotaRefilled,    // operator = from, tier, amount = units added (end of block; pool.refill)
};
const char* name(EventKind k);

struct Event {
    EventKind kind = EventKind::kIssued;
    Hash32 code;
    Address from;
    Address to;
    std::uint64_t tier = 0;
    std::uint64_t amount = 0;
    friend bool operator==(const Event&, const Event&) = default;
};

enum class Status : std::uint8_t { kFailed = 0, kSuccess = 1 };

struct Receipt {
    Status status = Status::kSuccess;
    Reason reason = Reason::kNone;
    std::vector<Event> events;
    friend bool operator==(const Receipt&, const Receipt&) = default;
};

// rlp([status, reason, [[kind, code, from, to, tier, amount], ...]]): what the receipts
// root commits to.
Bytes encode(const Receipt& receipt);

}  // namespace cl::state
