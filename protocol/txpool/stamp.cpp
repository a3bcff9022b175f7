#include "protocol/txpool/stamp.hpp"

#include <array>
#include <bit>
#include <string_view>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"

namespace cl::txpool {
namespace {

constexpr std::size_t kPreimageSize = Address::kSize + 8 + 8;
using Preimage = std::array<std::uint8_t, kPreimageSize>;

void put_be64(std::uint8_t* out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
}

Preimage preimage(const Address& sender, std::uint64_t nonce) {
    Preimage p{};
    std::copy(sender.bytes.begin(), sender.bytes.end(), p.begin());
    put_be64(p.data() + Address::kSize, nonce);
    return p;
}

}  // namespace

Hash32 stamp_hash(const Address& sender, std::uint64_t nonce, std::uint64_t stamp) {
    Preimage p = preimage(sender, nonce);
    put_be64(p.data() + Address::kSize + 8, stamp);
    return keccak256(p);
}

unsigned leading_zero_bits(const Hash32& h) {
    unsigned bits = 0;
    for (std::uint8_t b : h.bytes) {
        if (b != 0) return bits + static_cast<unsigned>(std::countl_zero(b));
        bits += 8;
    }
    return bits;
}

bool stamp_is_valid(const Address& sender, std::uint64_t nonce, std::uint64_t stamp, unsigned bits) {
    return leading_zero_bits(stamp_hash(sender, nonce, stamp)) >= bits;
}

StampSearch find_stamp(const Address& sender, std::uint64_t nonce, unsigned bits) {
    CL_ASSERT(bits <= 64);
    Preimage p = preimage(sender, nonce);
    std::uint8_t* stamp_bytes = p.data() + Address::kSize + 8;
    for (std::uint64_t stamp = 0;; ++stamp) {
        put_be64(stamp_bytes, stamp);
        if (leading_zero_bits(keccak256(p)) >= bits) return StampSearch{stamp, stamp + 1};
        CL_ASSERT(stamp != ~std::uint64_t{0});  // 2^64 failures: unreachable for bits <= 64
    }
}

CallStamp request_stamp(BytesView call_rlp) {
    using Kind = CallStamp::Kind;
    auto list = rlp::decode_list(call_rlp);
    if (!list) return {};
    auto method = list->next_bytes();
    constexpr std::string_view kRequest = "request";
    if (!method ||
        std::string_view(reinterpret_cast<const char*>(method->data()), method->size()) != kRequest) {
        return {};
    }
    // ["request", tier, stamp]: the tier is the contract's business; only the stamp matters.
    if (list->empty()) return {Kind::kMissing, 0};
    if (!list->next()) return {Kind::kMalformed, 0};
    if (list->empty()) return {Kind::kMissing, 0};
    auto stamp = list->next_uint64();
    if (!stamp || !list->finish()) return {Kind::kMalformed, 0};
    return {Kind::kPresent, *stamp};
}

}  // namespace cl::txpool
