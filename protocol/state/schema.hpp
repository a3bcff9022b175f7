// The ledger state's entries (shared/spec/promo-pool.md §2–4, §6): what is stored, under
// which trie key, in which encoding.
//
// Every entry lives in one Merkle Patricia Trie under key keccak256(rlp([kind, parts...]))
// (a "secure" trie: keys are uniformly spread, so depth stays ~log16(entries)) with an
// RLP list as value. An entry equal to its default (all zeros) is absent from the trie.
// Decoding a value read from the trie cannot fail unless the program has a bug, so
// decoders assert instead of returning errors.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/core/bytes.hpp"

namespace cl::state {

// An account (§1): transaction nonce, reward-token balance (§4) and the promo counters
// the pool keeps per owner (§3).
struct AccountEntry {
    std::uint64_t nonce = 0;
    std::uint64_t balance = 0;
    std::uint64_t live_codes = 0;  // codes owned now, issued and not redeemed or expired
    std::uint64_t requests = 0;    // codes ever issued to this account (per_user_lifetime)
    friend bool operator==(const AccountEntry&, const AccountEntry&) = default;
};

enum class CodeStatus : std::uint8_t { kIssued = 0, kRedeemed = 1, kExpired = 2 };

struct CodeEntry {
    Address owner;
    std::uint64_t tier = 0;
    std::uint64_t issued_at = 0;   // block number
    std::uint64_t expires_at = 0;  // block number at whose end the code expires
    CodeStatus status = CodeStatus::kIssued;
    std::uint64_t transfers = 0;
    std::uint64_t renewals = 0;
    Address redeemed_by;  // the redeeming cloud's operator
    friend bool operator==(const CodeEntry&, const CodeEntry&) = default;
};

// Per-tier totals, so that capacity checks cost O(1): capacity = Σc quota[c][t],
// redeemed = Σc redeemed[c][t]; burned counts units lost to expiry under reclaim: false.
struct TierEntry {
    std::uint64_t live = 0;
    std::uint64_t capacity = 0;
    std::uint64_t redeemed = 0;
    std::uint64_t burned = 0;
    std::uint64_t used() const { return live + redeemed + burned; }
    friend bool operator==(const TierEntry&, const TierEntry&) = default;
};

enum class CloudStatus : std::uint8_t { kPending = 0, kActive = 1, kRemoved = 2 };

// A member cloud (§2), by registration index (genesis clouds first).
struct CloudEntry {
    std::string name;
    Address operator_address;
    Address validator;
    std::string region;
    CloudStatus status = CloudStatus::kPending;
    friend bool operator==(const CloudEntry&, const CloudEntry&) = default;
};

struct QuotaEntry {
    std::uint64_t quota = 0;
    std::uint64_t redeemed = 0;
    friend bool operator==(const QuotaEntry&, const QuotaEntry&) = default;
};

struct GlobalsEntry {
    std::uint64_t total_supply = 0;  // reward token (§4)
    std::uint64_t cloud_count = 0;   // clouds ever registered, genesis included
    friend bool operator==(const GlobalsEntry&, const GlobalsEntry&) = default;
};

// ---- keys ----
namespace key {
Hash32 account(const Address& a);
Hash32 allowance(const Address& owner, const Address& spender);
Hash32 code(const Hash32& id);
Hash32 tier(std::uint64_t t);
Hash32 cloud(std::uint64_t index);
Hash32 cloud_by_name(std::string_view name);
Hash32 cloud_by_operator(const Address& a);
Hash32 cloud_by_validator(const Address& a);
Hash32 quota(std::uint64_t cloud, std::uint64_t tier);
Hash32 expiry_count(std::uint64_t height);                  // how many codes were scheduled at height
Hash32 expiry_slot(std::uint64_t height, std::uint64_t i);  // the i-th of them
Hash32 globals();
Hash32 config();
}  // namespace key

// ---- values ----
Bytes encode(const AccountEntry& e);
Bytes encode(const CodeEntry& e);
Bytes encode(const TierEntry& e);
Bytes encode(const CloudEntry& e);
Bytes encode(const QuotaEntry& e);
Bytes encode(const GlobalsEntry& e);
Bytes encode_uint(std::uint64_t value);
Bytes encode_hash(const Hash32& value);

// REQUIRES: `rlp` was produced by the matching encode().
AccountEntry decode_account(BytesView rlp);
CodeEntry decode_code(BytesView rlp);
TierEntry decode_tier(BytesView rlp);
CloudEntry decode_cloud(BytesView rlp);
QuotaEntry decode_quota(BytesView rlp);
GlobalsEntry decode_globals(BytesView rlp);
std::uint64_t decode_uint(BytesView rlp);
Hash32 decode_hash(BytesView rlp);

}  // namespace cl::state
