// The calls of the system contracts (shared/spec/promo-pool.md §2–4) and their RLP.
//
// A transaction's `call` is the RLP list [method, args...] where method is the method's
// name as a byte string; `to` selects the contract. The contracts are native code at
// fixed addresses (no EVM). Integers are uint64 (token amounts included: the reward
// token's supply cannot approach 2^64 in any scenario); codes are 32-byte ids.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <variant>

#include "protocol/core/bytes.hpp"

namespace cl::state {

// The system contracts' addresses.
extern const Address kGovernanceAddress;  // 0x…c10001: bootstrap / governance (§2)
extern const Address kPoolAddress;        // 0x…c10002: promo pool (§3)
extern const Address kTokenAddress;       // 0x…c10003: reward token (§4)

// ---- promo pool (§3) ----
struct RequestCall {  // ["request", tier] or ["request", tier, stamp]
    std::uint64_t tier = 0;
    std::optional<std::uint64_t> stamp;  // hashcash stamp (§5), checked by the txpool
    friend bool operator==(const RequestCall&, const RequestCall&) = default;
};
struct RedeemCall {  // ["redeem", code]
    Hash32 code;
    friend bool operator==(const RedeemCall&, const RedeemCall&) = default;
};
struct TransferCodeCall {  // ["transfer", code, to]
    Hash32 code;
    Address to;
    friend bool operator==(const TransferCodeCall&, const TransferCodeCall&) = default;
};
struct RenewCall {  // ["renew", code]
    Hash32 code;
    friend bool operator==(const RenewCall&, const RenewCall&) = default;
};

// ---- governance (§2) ----
struct RegisterCloudCall {  // ["register_cloud", name, validator, attestation]
    std::string name;
    Address validator;
    Signature attestation;  // the notary's signature over attestation_hash(chain_id, name, validator)
    friend bool operator==(const RegisterCloudCall&, const RegisterCloudCall&) = default;
};
struct SetQuotaCall {  // ["set_quota", tier, amount]
    std::uint64_t tier = 0;
    std::uint64_t amount = 0;
    friend bool operator==(const SetQuotaCall&, const SetQuotaCall&) = default;
};

// ---- reward token (§4) ----
struct TokenTransferCall {  // ["transfer", to, amount]
    Address to;
    std::uint64_t amount = 0;
    friend bool operator==(const TokenTransferCall&, const TokenTransferCall&) = default;
};
struct ApproveCall {  // ["approve", spender, amount]
    Address spender;
    std::uint64_t amount = 0;
    friend bool operator==(const ApproveCall&, const ApproveCall&) = default;
};
struct TransferFromCall {  // ["transfer_from", from, to, amount]
    Address from;
    Address to;
    std::uint64_t amount = 0;
    friend bool operator==(const TransferFromCall&, const TransferFromCall&) = default;
};

using Call = std::variant<RequestCall, RedeemCall, TransferCodeCall, RenewCall, RegisterCloudCall,
                          SetQuotaCall, TokenTransferCall, ApproveCall, TransferFromCall>;

// The contract a call is addressed to.
const Address& contract_of(const Call& call);
// The call's RLP list, as carried in Transaction::call.
Bytes encode_call(const Call& call);

enum class [[nodiscard]] CallError{
    kUnknownContract,     // `to` is not a system contract
    kUnknownMethod,       // the contract has no method of that name
    kMalformedArguments,  // wrong number or shape of arguments for the method
};
const char* to_string(CallError e);

// Interprets `call_rlp` (a canonical RLP list) as a call to the contract at `to`.
std::expected<Call, CallError> decode_call(const Address& to, BytesView call_rlp);

// keccak256(rlp(["cloudledger/attestation", chain_id, name, validator])): what the notary
// signs to attest a cloud (§2).
Hash32 attestation_hash(std::uint64_t chain_id, std::string_view name, const Address& validator);

}  // namespace cl::state
