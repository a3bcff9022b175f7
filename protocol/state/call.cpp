#include "protocol/state/call.hpp"

#include <string_view>
#include <type_traits>

#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"

namespace cl::state {
namespace {

Address system_address(std::uint8_t last) {
    Address a;
    a.bytes[17] = 0xc1;
    a.bytes[18] = 0x00;
    a.bytes[19] = last;
    return a;
}

void append_string(Bytes& out, std::string_view s) {
    rlp::append_bytes(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

struct Encoder {
    Bytes& out;
    void operator()(const RequestCall& c) const {
        append_string(out, "request");
        rlp::append_uint(out, c.tier);
        if (c.stamp) rlp::append_uint(out, *c.stamp);
    }
    void operator()(const RedeemCall& c) const {
        append_string(out, "redeem");
        rlp::append_fixed(out, c.code);
    }
    void operator()(const TransferCodeCall& c) const {
        append_string(out, "transfer");
        rlp::append_fixed(out, c.code);
        rlp::append_fixed(out, c.to);
    }
    void operator()(const RenewCall& c) const {
        append_string(out, "renew");
        rlp::append_fixed(out, c.code);
    }
    void operator()(const RegisterCloudCall& c) const {
        append_string(out, "register_cloud");
        append_string(out, c.name);
        rlp::append_fixed(out, c.validator);
        rlp::append_fixed(out, c.attestation);
    }
    void operator()(const SetQuotaCall& c) const {
        append_string(out, "set_quota");
        rlp::append_uint(out, c.tier);
        rlp::append_uint(out, c.amount);
    }
    void operator()(const TokenTransferCall& c) const {
        append_string(out, "transfer");
        rlp::append_fixed(out, c.to);
        rlp::append_uint(out, c.amount);
    }
    void operator()(const ApproveCall& c) const {
        append_string(out, "approve");
        rlp::append_fixed(out, c.spender);
        rlp::append_uint(out, c.amount);
    }
    void operator()(const TransferFromCall& c) const {
        append_string(out, "transfer_from");
        rlp::append_fixed(out, c.from);
        rlp::append_fixed(out, c.to);
        rlp::append_uint(out, c.amount);
    }
};

// Reads the arguments of one method; every reader fails on a missing, extra or
// mistyped argument.
using Args = rlp::ListReader;
using Decoded = std::expected<Call, CallError>;

template <class T>
bool read(Args& args, T& out) {
    if constexpr (std::is_same_v<T, std::uint64_t>) {
        auto v = args.next_uint64();
        if (!v) return false;
        out = *v;
    } else {
        auto v = args.next_fixed<T>();
        if (!v) return false;
        out = *v;
    }
    return true;
}

Decoded finish(Args& args, Call call) {
    if (!args.finish()) return std::unexpected(CallError::kMalformedArguments);
    return call;
}

constexpr auto kMalformed = CallError::kMalformedArguments;

Decoded decode_pool(std::string_view method, Args& args) {
    if (method == "request") {
        RequestCall c;
        if (!read(args, c.tier)) return std::unexpected(kMalformed);
        if (!args.empty()) {
            std::uint64_t stamp = 0;
            if (!read(args, stamp)) return std::unexpected(kMalformed);
            c.stamp = stamp;
        }
        return finish(args, c);
    }
    if (method == "redeem") {
        RedeemCall c;
        if (!read(args, c.code)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    if (method == "transfer") {
        TransferCodeCall c;
        if (!read(args, c.code) || !read(args, c.to)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    if (method == "renew") {
        RenewCall c;
        if (!read(args, c.code)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    return std::unexpected(CallError::kUnknownMethod);
}

Decoded decode_governance(std::string_view method, Args& args) {
    if (method == "register_cloud") {
        RegisterCloudCall c;
        auto name = args.next_bytes();
        if (!name) return std::unexpected(kMalformed);
        c.name.assign(name->begin(), name->end());
        if (!read(args, c.validator) || !read(args, c.attestation)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    if (method == "set_quota") {
        SetQuotaCall c;
        if (!read(args, c.tier) || !read(args, c.amount)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    return std::unexpected(CallError::kUnknownMethod);
}

Decoded decode_token(std::string_view method, Args& args) {
    if (method == "transfer") {
        TokenTransferCall c;
        if (!read(args, c.to) || !read(args, c.amount)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    if (method == "approve") {
        ApproveCall c;
        if (!read(args, c.spender) || !read(args, c.amount)) return std::unexpected(kMalformed);
        return finish(args, c);
    }
    if (method == "transfer_from") {
        TransferFromCall c;
        if (!read(args, c.from) || !read(args, c.to) || !read(args, c.amount))
            return std::unexpected(kMalformed);
        return finish(args, c);
    }
    return std::unexpected(CallError::kUnknownMethod);
}

}  // namespace

const Address kGovernanceAddress = system_address(0x01);
const Address kPoolAddress = system_address(0x02);
const Address kTokenAddress = system_address(0x03);

// contract_of() relies on the order of Call's alternatives.
static_assert(std::is_same_v<std::variant_alternative_t<3, Call>, RenewCall>);
static_assert(std::is_same_v<std::variant_alternative_t<5, Call>, SetQuotaCall>);
static_assert(std::variant_size_v<Call> == 9);

const Address& contract_of(const Call& call) {
    switch (call.index()) {
        case 0:
        case 1:
        case 2:
        case 3:
            return kPoolAddress;
        case 4:
        case 5:
            return kGovernanceAddress;
        default:
            return kTokenAddress;
    }
}

Bytes encode_call(const Call& call) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    std::visit(Encoder{out}, call);
    rlp::end_list(out, list);
    return out;
}

const char* to_string(CallError e) {
    switch (e) {
        case CallError::kUnknownContract:
            return "unknown contract";
        case CallError::kUnknownMethod:
            return "unknown method";
        case CallError::kMalformedArguments:
            return "malformed arguments";
    }
    return "unknown call error";
}

std::expected<Call, CallError> decode_call(const Address& to, BytesView call_rlp) {
    if (to != kPoolAddress && to != kGovernanceAddress && to != kTokenAddress) {
        return std::unexpected(CallError::kUnknownContract);
    }
    auto args = rlp::decode_list(call_rlp);
    if (!args) return std::unexpected(kMalformed);
    auto method_bytes = args->next_bytes();
    if (!method_bytes) return std::unexpected(kMalformed);
    const std::string_view method(reinterpret_cast<const char*>(method_bytes->data()), method_bytes->size());
    if (to == kPoolAddress) return decode_pool(method, *args);
    if (to == kGovernanceAddress) return decode_governance(method, *args);
    return decode_token(method, *args);
}

Hash32 attestation_hash(std::uint64_t chain_id, std::string_view name, const Address& validator) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    append_string(out, "cloudledger/attestation");
    rlp::append_uint(out, chain_id);
    append_string(out, name);
    rlp::append_fixed(out, validator);
    rlp::end_list(out, list);
    return keccak256(out);
}

}  // namespace cl::state
