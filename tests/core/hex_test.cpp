// Hex conversion and the fixed-size domain values (protocol/core/bytes.hpp).
#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

#include "protocol/core/bytes.hpp"

namespace cl {
namespace {

TEST(Hex, ToHexIsPrefixedLowerCase) {
    EXPECT_EQ(to_hex(Bytes{}), "0x");
    EXPECT_EQ(to_hex(Bytes{0x00}), "0x00");
    EXPECT_EQ(to_hex(Bytes{0x01, 0xab, 0xCD, 0xff, 0x10}), "0x01abcdff10");
}

TEST(Hex, FromHexAcceptsOptionalPrefixAndEitherCase) {
    const Bytes expected{0xde, 0xad, 0xbe, 0xef};
    EXPECT_EQ(from_hex("0xdeadbeef"), expected);
    EXPECT_EQ(from_hex("0Xdeadbeef"), expected);
    EXPECT_EQ(from_hex("deadbeef"), expected);
    EXPECT_EQ(from_hex("DEADBEEF"), expected);
    EXPECT_EQ(from_hex("0xDeAdBeEf"), expected);
}

TEST(Hex, FromHexOfEmptyIsEmpty) {
    ASSERT_TRUE(from_hex("").has_value());
    EXPECT_TRUE(from_hex("")->empty());
    ASSERT_TRUE(from_hex("0x").has_value());
    EXPECT_TRUE(from_hex("0x")->empty());
}

TEST(Hex, RoundTripsEveryByteValue) {
    Bytes all(256);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    const std::string hex = to_hex(all);
    EXPECT_EQ(hex.size(), 2u + 512u);
    EXPECT_EQ(from_hex(hex), all);
}

TEST(Hex, RejectsOddLength) {
    EXPECT_EQ(from_hex("0xabc").error(), HexError::kOddLength);
    EXPECT_EQ(from_hex("a").error(), HexError::kOddLength);
    EXPECT_EQ(from_hex("0x0").error(), HexError::kOddLength);
}

TEST(Hex, RejectsBadDigit) {
    EXPECT_EQ(from_hex("0xzz").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex("0x0g").error(), HexError::kBadDigit);  // bad low digit
    EXPECT_EQ(from_hex("g0").error(), HexError::kBadDigit);    // bad high digit
    EXPECT_EQ(from_hex("0x 1").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex("0x0x").error(), HexError::kBadDigit);  // only one prefix
    // Characters adjacent to the valid ranges.
    EXPECT_EQ(from_hex("/0").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex(":0").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex("@0").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex("G0").error(), HexError::kBadDigit);
    EXPECT_EQ(from_hex("`0").error(), HexError::kBadDigit);
}

TEST(Hex, ErrorsHaveNames) {
    EXPECT_STRNE(to_string(HexError::kOddLength), to_string(HexError::kBadDigit));
    EXPECT_STRNE(to_string(HexError::kBadDigit), to_string(HexError::kWrongLength));
}

TEST(FixedBytes, FromHexChecksLength) {
    auto a = Address::from_hex("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->bytes[0], 0x7e);
    EXPECT_EQ(a->bytes[19], 0xdf);
    EXPECT_EQ(a->hex(), "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");

    EXPECT_EQ(Address::from_hex("0x7e5f4552091a69125d5dfcb7b8c2659029395b").error(), HexError::kWrongLength);
    EXPECT_EQ(Address::from_hex("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf00").error(),
              HexError::kWrongLength);
    EXPECT_EQ(Hash32::from_hex("0x").error(), HexError::kWrongLength);
    // Digit errors take precedence over the length check.
    EXPECT_EQ(Address::from_hex("0x7e5").error(), HexError::kOddLength);
    EXPECT_EQ(Nonce8::from_hex("0x00000000000000zz").error(), HexError::kBadDigit);
}

TEST(FixedBytes, FromSpan) {
    const Bytes raw{1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(Nonce8::from_span(raw).bytes[7], 8);
    EXPECT_TRUE(Nonce8::try_from_span(raw).has_value());
    EXPECT_FALSE(Nonce8::try_from_span(BytesView(raw).first(7)).has_value());
    EXPECT_FALSE(Address::try_from_span(raw).has_value());
}

TEST(FixedBytes, DefaultIsZero) {
    Hash32 h;
    EXPECT_TRUE(h.is_zero());
    h.bytes[31] = 1;
    EXPECT_FALSE(h.is_zero());
    EXPECT_EQ(Hash32::size(), 32u);
    EXPECT_EQ(Signature::kSize, 65u);
}

TEST(FixedBytes, OrderIsBigEndianLexicographic) {
    const auto lo =
        Hash32::from_hex("0x00ff000000000000000000000000000000000000000000000000000000000000").value();
    const auto hi =
        Hash32::from_hex("0x0100000000000000000000000000000000000000000000000000000000000000").value();
    const auto last =
        Hash32::from_hex("0x0100000000000000000000000000000000000000000000000000000000000001").value();
    EXPECT_LT(lo, hi);
    EXPECT_LT(hi, last);
    EXPECT_GT(last, lo);
    EXPECT_EQ(lo <=> lo, std::strong_ordering::equal);
    EXPECT_EQ(hi <=> lo, std::strong_ordering::greater);
    EXPECT_NE(lo, hi);
    EXPECT_EQ(hi, Hash32::from_hex(hi.hex()).value());
}

TEST(FixedBytes, HashUsableInUnorderedMap) {
    std::unordered_map<Address, int> map;
    for (int i = 0; i < 100; ++i) {
        Address a;
        a.bytes[19] = static_cast<std::uint8_t>(i);  // differ only in the last byte
        a.bytes[0] = static_cast<std::uint8_t>(i * 7);
        map[a] = i;
    }
    EXPECT_EQ(map.size(), 100u);
    for (int i = 0; i < 100; ++i) {
        Address a;
        a.bytes[19] = static_cast<std::uint8_t>(i);
        a.bytes[0] = static_cast<std::uint8_t>(i * 7);
        ASSERT_EQ(map.count(a), 1u);
        EXPECT_EQ(map.at(a), i);
    }
    Address missing;
    missing.bytes[19] = 200;
    EXPECT_EQ(map.count(missing), 0u);

    // Equal values hash equally; values differing in the first bytes hash differently.
    const auto h1 =
        Hash32::from_hex("0x1111111111111111000000000000000000000000000000000000000000000000").value();
    const auto h2 =
        Hash32::from_hex("0x2222222222222222000000000000000000000000000000000000000000000000").value();
    EXPECT_EQ(std::hash<Hash32>{}(h1), std::hash<Hash32>{}(Hash32::from_hex(h1.hex()).value()));
    EXPECT_NE(std::hash<Hash32>{}(h1), std::hash<Hash32>{}(h2));
}

}  // namespace
}  // namespace cl
