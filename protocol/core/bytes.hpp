// Byte strings and fixed-size domain values (Hash32, Address, Signature).
//
// Fixed values wrap std::array, compare with <=>, hash with std::hash, and are built
// from bytes only explicitly (from_span / from_hex). Distinct tags keep a Hash32 from
// being passed where an Address is expected even though both are byte arrays.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cl {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

enum class [[nodiscard]] HexError{
    kOddLength,    // an odd number of hex digits
    kBadDigit,     // a character outside [0-9a-fA-F]
    kWrongLength,  // valid hex, but not the byte length the target type has
};
const char* to_string(HexError e);

// "0x"-prefixed lower-case hex.
std::string to_hex(BytesView bytes);
// Accepts an optional "0x"/"0X" prefix and either case.
std::expected<Bytes, HexError> from_hex(std::string_view hex);

template <std::size_t N, class Tag>
struct FixedBytes {
    static constexpr std::size_t kSize = N;
    std::array<std::uint8_t, N> bytes{};

    constexpr FixedBytes() = default;

    // REQUIRES: view.size() == N.
    static FixedBytes from_span(BytesView view) {
        FixedBytes out;
        std::copy_n(view.begin(), N, out.bytes.begin());
        return out;
    }
    static std::optional<FixedBytes> try_from_span(BytesView view) {
        if (view.size() != N) return std::nullopt;
        return from_span(view);
    }
    static std::expected<FixedBytes, HexError> from_hex(std::string_view hex) {
        auto raw = cl::from_hex(hex);
        if (!raw) return std::unexpected(raw.error());
        if (raw->size() != N) return std::unexpected(HexError::kWrongLength);
        return from_span(*raw);
    }

    std::string hex() const { return to_hex(bytes); }
    BytesView view() const { return bytes; }
    const std::uint8_t* data() const { return bytes.data(); }
    std::uint8_t* data() { return bytes.data(); }
    static constexpr std::size_t size() { return N; }
    bool is_zero() const {
        return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
    }

    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
    // Equality as one fixed-size memcmp, which the compiler inlines (the defaulted
    // operator== would call the library's memcmp: hash-table lookups are dominated by it).
    friend bool operator==(const FixedBytes& a, const FixedBytes& b) {
        return std::memcmp(a.bytes.data(), b.bytes.data(), N) == 0;
    }
};

struct Hash32Tag;
struct AddressTag;
struct SignatureTag;
struct BloomTag;
struct NonceTag;

using Hash32 = FixedBytes<32, Hash32Tag>;
using Address = FixedBytes<20, AddressTag>;
using Bloom = FixedBytes<256, BloomTag>;
using Nonce8 = FixedBytes<8, NonceTag>;
// secp256k1 recoverable signature r ‖ s ‖ v, v ∈ {0, 1} (Ethereum recovery id).
using Signature = FixedBytes<65, SignatureTag>;

}  // namespace cl

template <std::size_t N, class Tag>
struct std::hash<cl::FixedBytes<N, Tag>> {
    std::size_t operator()(const cl::FixedBytes<N, Tag>& v) const noexcept {
        // Values hashed here are (or contain) cryptographic hashes or addresses, so
        // their first bytes are already uniformly distributed.
        std::size_t h = 0;
        std::memcpy(&h, v.bytes.data(), std::min(sizeof h, N));
        return h;
    }
};
