#include "protocol/state/receipt.hpp"

#include "protocol/core/rlp.hpp"

namespace cl::state {

const char* name(Reason r) {
    switch (r) {
        case Reason::kNone:
            return "none";
        case Reason::kUnknownContract:
            return "unknown_contract";
        case Reason::kUnknownMethod:
            return "unknown_method";
        case Reason::kMalformedCall:
            return "malformed_call";
        case Reason::kUnknownTier:
            return "unknown_tier";
        case Reason::kPoolExhausted:
            return "pool_exhausted";
        case Reason::kUserLimit:
            return "user_limit";
        case Reason::kBlockCap:
            return "block_cap";
        case Reason::kUnknownCode:
            return "unknown_code";
        case Reason::kAlreadyRedeemed:
            return "already_redeemed";
        case Reason::kExpired:
            return "expired";
        case Reason::kNotMember:
            return "not_member";
        case Reason::kCloudQuotaExhausted:
            return "cloud_quota_exhausted";
        case Reason::kNotOwner:
            return "not_owner";
        case Reason::kTransferLimit:
            return "transfer_limit";
        case Reason::kNotRenewable:
            return "not_renewable";
        case Reason::kRenewalLimit:
            return "renewal_limit";
        case Reason::kBadAttestation:
            return "bad_attestation";
        case Reason::kAlreadyRegistered:
            return "already_registered";
        case Reason::kQuotaBelowUsed:
            return "quota_below_used";
        case Reason::kCapacityInUse:
            return "capacity_in_use";
        case Reason::kInsufficientBalance:
            return "insufficient_balance";
        case Reason::kInsufficientAllowance:
            return "insufficient_allowance";
        case Reason::kQuotaTooLarge:
            return "quota_too_large";
    }
    return "unknown_reason";
}

const char* name(EventKind k) {
    switch (k) {
        case EventKind::kIssued:
            return "issued";
        case EventKind::kRedeemed:
            return "redeemed";
        case EventKind::kTransferred:
            return "transferred";
        case EventKind::kRenewed:
            return "renewed";
        case EventKind::kExpired:
            return "expired";
        case EventKind::kTokenTransfer:
            return "token_transfer";
        case EventKind::kApproval:
            return "approval";
        case EventKind::kCloudRegistered:
            return "cloud_registered";
        case EventKind::kCloudActivated:
            return "cloud_activated";
        case EventKind::kCloudRemoved:
            return "cloud_removed";
        case EventKind::kQuotaSet:
            return "quota_set";
        case EventKind::kQuotaRefilled:
            return "quota_refilled";
    }
    return "unknown_event";
}

Bytes encode(const Receipt& receipt) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    rlp::append_uint(out, static_cast<std::uint64_t>(receipt.status));
    rlp::append_uint(out, static_cast<std::uint64_t>(receipt.reason));
    const std::size_t events = rlp::begin_list(out);
    for (const Event& e : receipt.events) {
        const std::size_t event = rlp::begin_list(out);
        rlp::append_uint(out, static_cast<std::uint64_t>(e.kind));
        rlp::append_fixed(out, e.code);
        rlp::append_fixed(out, e.from);
        rlp::append_fixed(out, e.to);
        rlp::append_uint(out, e.tier);
        rlp::append_uint(out, e.amount);
        rlp::end_list(out, event);
    }
    rlp::end_list(out, events);
    rlp::end_list(out, list);
    return out;
}

}  // namespace cl::state
