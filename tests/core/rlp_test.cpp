// The RLP encoder and strict decoder (protocol/core/rlp.hpp), rule by rule: each error
// has a minimal input that triggers exactly it, and the encoder's size boundaries.
#include "protocol/core/rlp.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string_view>

#include "protocol/core/split_mix64.hpp"

namespace cl::rlp {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }

Bytes repeat(std::uint8_t byte, std::size_t n) { return Bytes(n, byte); }

Bytes concat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes encode_bytes(const Bytes& b) {
    Bytes out;
    append_bytes(out, b);
    return out;
}

Bytes encode_uint(std::uint64_t v) {
    Bytes out;
    append_uint(out, v);
    return out;
}

// A list whose payload is `payload` (already-encoded items).
Bytes encode_list_of(const Bytes& payload) {
    Bytes out;
    const std::size_t begin = begin_list(out);
    out.insert(out.end(), payload.begin(), payload.end());
    end_list(out, begin);
    return out;
}

// ---- decoder errors --------------------------------------------------------------

TEST(RlpDecoder, RejectsEmptyInput) { EXPECT_EQ(decode(Bytes{}).error(), Error::kInputTooShort); }

TEST(RlpDecoder, RejectsTruncatedPayload) {
    EXPECT_EQ(decode(hex("83646f")).error(), Error::kInputTooShort);  // "dog" minus 'g'
    EXPECT_EQ(decode(hex("c2c0")).error(), Error::kInputTooShort);
    EXPECT_EQ(decode(hex("b8")).error(), Error::kInputTooShort);    // length byte missing
    EXPECT_EQ(decode(hex("b938")).error(), Error::kInputTooShort);  // second length byte missing
    EXPECT_EQ(decode(concat(hex("b838"), repeat(0x61, 55))).error(), Error::kInputTooShort);
}

// A 2⁶⁴ − 1 length must not wrap around any bound check.
TEST(RlpDecoder, RejectsHugeLengthWithoutOverflow) {
    EXPECT_EQ(decode(hex("bfffffffffffffffff00")).error(), Error::kInputTooShort);
    EXPECT_EQ(decode(hex("ffffffffffffffffff00")).error(), Error::kInputTooShort);
    EXPECT_EQ(validate(hex("c9bfffffffffffffffff")).error(), Error::kInputTooShort);
}

TEST(RlpDecoder, RejectsTrailingBytes) {
    EXPECT_EQ(decode(hex("8080")).error(), Error::kTrailingBytes);
    EXPECT_EQ(decode(hex("c000")).error(), Error::kTrailingBytes);
    EXPECT_EQ(validate(hex("0101")).error(), Error::kTrailingBytes);
}

TEST(RlpDecoder, RejectsLongFormForShortPayload) {
    EXPECT_EQ(decode(hex("b801ff")).error(), Error::kNonCanonicalSize);
    EXPECT_EQ(decode(concat(hex("b837"), repeat(0x61, 55))).error(), Error::kNonCanonicalSize);
    EXPECT_EQ(decode(concat(hex("f837"), repeat(0x01, 55))).error(), Error::kNonCanonicalSize);
}

TEST(RlpDecoder, RejectsLeadingZeroInLength) {
    EXPECT_EQ(decode(concat(hex("b90038"), repeat(0x61, 56))).error(), Error::kLeadingZeroInLength);
    EXPECT_EQ(decode(concat(hex("f90038"), repeat(0x01, 56))).error(), Error::kLeadingZeroInLength);
    EXPECT_EQ(decode(hex("b800")).error(), Error::kLeadingZeroInLength);
}

TEST(RlpDecoder, RejectsSingleByteAsString) {
    EXPECT_EQ(decode(hex("8100")).error(), Error::kSingleByteAsString);
    EXPECT_EQ(decode(hex("817f")).error(), Error::kSingleByteAsString);
    EXPECT_TRUE(decode(hex("8180")).has_value());                            // 0x80 needs the string form
    EXPECT_EQ(validate(hex("c28100")).error(), Error::kSingleByteAsString);  // nested
}

TEST(RlpDecoder, RejectsLeadingZeroInInteger) {
    EXPECT_EQ(to_uint64(decode(hex("820001")).value()).error(), Error::kLeadingZeroInInteger);
    EXPECT_EQ(to_uint64(decode(hex("00")).value()).error(), Error::kLeadingZeroInInteger);  // 0 is 0x80
    EXPECT_EQ(decode_list(hex("c3820001")).value().next_uint64().error(), Error::kLeadingZeroInInteger);
}

TEST(RlpDecoder, RejectsIntegerWiderThan64Bits) {
    EXPECT_EQ(to_uint64(decode(hex("89010000000000000000")).value()).error(), Error::kIntegerOverflow);
}

TEST(RlpDecoder, RejectsListWhereStringRequired) {
    EXPECT_EQ(to_uint64(decode(hex("c0")).value()).error(), Error::kExpectedString);
    EXPECT_EQ(decode_list(hex("c1c0")).value().next_bytes().error(), Error::kExpectedString);
    EXPECT_EQ(decode_list(hex("c1c0")).value().next_uint64().error(), Error::kExpectedString);
    EXPECT_EQ(decode_list(hex("c1c0")).value().next_fixed<Nonce8>().error(), Error::kExpectedString);
}

TEST(RlpDecoder, RejectsStringWhereListRequired) {
    EXPECT_EQ(decode_list(hex("80")).error(), Error::kExpectedList);
    EXPECT_EQ(decode_list(hex("01")).error(), Error::kExpectedList);
    EXPECT_EQ(decode_list(hex("c180")).value().next_list().error(), Error::kExpectedList);
}

TEST(RlpDecoder, RejectsFixedFieldOfWrongSize) {
    const Bytes seven = concat(hex("c8"), encode_bytes(repeat(1, 7)));
    auto list = decode_list(seven).value();
    EXPECT_EQ(list.next_fixed<Nonce8>().error(), Error::kWrongSize);
    const Bytes nine = concat(hex("ca"), encode_bytes(repeat(1, 9)));
    auto longer = decode_list(nine).value();
    EXPECT_EQ(longer.next_fixed<Nonce8>().error(), Error::kWrongSize);
}

TEST(RlpDecoder, ReportsMissingItem) {
    const Bytes in = hex("c0");
    auto list = decode_list(in).value();
    EXPECT_EQ(list.next().error(), Error::kMissingItem);
    EXPECT_EQ(list.next_bytes().error(), Error::kMissingItem);
    EXPECT_EQ(list.next_uint64().error(), Error::kMissingItem);
    EXPECT_EQ(list.next_list().error(), Error::kMissingItem);
    EXPECT_EQ(list.next_fixed<Nonce8>().error(), Error::kMissingItem);
}

TEST(RlpDecoder, ReportsTooManyItems) {
    const Bytes in = hex("c20102");  // items are views: the input must outlive the reader
    auto list = decode_list(in).value();
    ASSERT_TRUE(list.next().has_value());
    EXPECT_EQ(list.finish().error(), Error::kTooManyItems);
    ASSERT_TRUE(list.next().has_value());
    EXPECT_TRUE(list.finish().has_value());
}

// A list item's own bounds are checked against the list payload, not the whole input.
TEST(RlpDecoder, ItemMayNotRunPastItsList) {
    const Bytes in = hex("c2c28080");  // inner list claims 2 bytes; outer only has 1 left
    EXPECT_EQ(decode(in).error(), Error::kTrailingBytes);
    const Bytes truncated = hex("c1c2");
    auto outer = decode_list(truncated).value();
    EXPECT_EQ(outer.next().error(), Error::kInputTooShort);
    EXPECT_EQ(validate(hex("c1c2")).error(), Error::kInputTooShort);
}

TEST(RlpDecoder, ErrorNamesAreDistinct) {
    std::set<std::string_view> names;
    for (int e = 0; e <= static_cast<int>(Error::kTooManyItems); ++e)
        names.insert(to_string(static_cast<Error>(e)));
    EXPECT_EQ(names.size(), 12u);
}

// ---- decoder: valid input ----------------------------------------------------------

TEST(RlpDecoder, ReadsItemsAndAdvances) {
    const Bytes in = hex("83646f67c18005");
    BytesView rest = in;
    auto dog = read_item(rest);
    ASSERT_TRUE(dog.has_value());
    EXPECT_FALSE(dog->is_list);
    EXPECT_EQ(Bytes(dog->payload.begin(), dog->payload.end()), hex("646f67"));
    EXPECT_EQ(rest.size(), 3u);
    auto list = read_item(rest);
    ASSERT_TRUE(list.has_value());
    EXPECT_TRUE(list->is_list);
    EXPECT_EQ(list->payload.size(), 1u);
    auto five = read_item(rest);
    ASSERT_TRUE(five.has_value());
    EXPECT_EQ(to_uint64(*five), 5u);
    EXPECT_TRUE(rest.empty());
    EXPECT_EQ(read_item(rest).error(), Error::kInputTooShort);
}

TEST(RlpDecoder, ItemsAreViewsIntoTheInput) {
    const Bytes in = hex("83646f67");
    auto item = decode(in).value();
    EXPECT_EQ(item.payload.data(), in.data() + 1);
}

TEST(RlpDecoder, ValidateDescendsIntoNestedLists) {
    EXPECT_TRUE(validate(hex("c7c0c1c0c3c0c1c0")).has_value());
    EXPECT_TRUE(decode(hex("c4c3c28100")).has_value());  // decode() looks only at the top level
    EXPECT_EQ(validate(hex("c4c3c28100")).error(), Error::kSingleByteAsString);
    EXPECT_EQ(validate(hex("c3c2b800")).error(), Error::kLeadingZeroInLength);
}

// A recursive validator would exhaust the stack here (and a recursive decoder of
// untrusted input is a denial of service); validate() must walk iteratively.
TEST(RlpDecoder, ValidateSurvivesDeepNesting) {
    constexpr std::size_t kDepth = 200000;
    // sizes[i] = encoded size of the list nested i levels around the innermost c0.
    std::vector<std::size_t> sizes{1};
    for (std::size_t i = 1; i <= kDepth; ++i) sizes.push_back(sizes.back() + header_size(sizes.back()));
    Bytes nested;
    nested.reserve(sizes.back());
    for (std::size_t i = kDepth; i >= 1; --i) {
        const std::size_t payload = sizes[i - 1];
        if (payload <= 55) {
            nested.push_back(static_cast<std::uint8_t>(0xc0 + payload));
        } else {
            const std::size_t n = header_size(payload) - 1;
            nested.push_back(static_cast<std::uint8_t>(0xf7 + n));
            for (std::size_t k = n; k-- > 0;) nested.push_back(static_cast<std::uint8_t>(payload >> (8 * k)));
        }
    }
    nested.push_back(0xc0);
    ASSERT_EQ(nested.size(), sizes.back());
    EXPECT_TRUE(validate(nested).has_value());
    nested.back() = 0x81;  // the innermost item becomes a truncated string
    EXPECT_EQ(validate(nested).error(), Error::kInputTooShort);
}

// ---- ListReader --------------------------------------------------------------------

TEST(RlpListReader, ReadsTypedItemsInOrder) {
    Nonce8 nonce;
    for (std::size_t i = 0; i < 8; ++i) nonce.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
    Bytes out;
    const std::size_t outer = begin_list(out);
    append_bytes(out, hex("646f67"));
    append_uint(out, 1024);
    const std::size_t inner = begin_list(out);
    append_uint(out, 1);
    append_uint(out, 2);
    end_list(out, inner);
    append_fixed(out, nonce);
    append_uint(out, 0);
    end_list(out, outer);

    auto list = decode_list(out);
    ASSERT_TRUE(list.has_value());
    auto dog = list->next_bytes();
    ASSERT_TRUE(dog.has_value());
    EXPECT_EQ(Bytes(dog->begin(), dog->end()), hex("646f67"));
    EXPECT_EQ(list->next_uint64(), 1024u);
    auto sub = list->next_list();
    ASSERT_TRUE(sub.has_value());
    EXPECT_EQ(sub->next_uint64(), 1u);
    EXPECT_FALSE(sub->finish().has_value());
    EXPECT_EQ(sub->next_uint64(), 2u);
    EXPECT_TRUE(sub->empty());
    EXPECT_TRUE(sub->finish().has_value());
    EXPECT_EQ(list->next_fixed<Nonce8>(), nonce);
    EXPECT_FALSE(list->empty());
    EXPECT_EQ(list->next_uint64(), 0u);
    EXPECT_TRUE(list->empty());
    EXPECT_TRUE(list->finish().has_value());
}

TEST(RlpListReader, DecodeListRejectsTrailingBytes) {
    EXPECT_EQ(decode_list(hex("c0c0")).error(), Error::kTrailingBytes);
}

// ---- to_uint64 -----------------------------------------------------------------------

TEST(RlpInteger, Limits) {
    EXPECT_EQ(to_uint64(decode(hex("80")).value()), 0u);
    EXPECT_EQ(to_uint64(decode(hex("01")).value()), 1u);
    EXPECT_EQ(to_uint64(decode(hex("7f")).value()), 127u);
    EXPECT_EQ(to_uint64(decode(hex("8180")).value()), 128u);
    EXPECT_EQ(to_uint64(decode(hex("820100")).value()), 256u);
    EXPECT_EQ(to_uint64(decode(hex("880100000000000000")).value()), 1ULL << 56);
    EXPECT_EQ(to_uint64(decode(hex("88ffffffffffffffff")).value()),
              std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(to_uint64(decode(hex("89010000000000000000")).value()).error(), Error::kIntegerOverflow);
    EXPECT_EQ(to_uint64(decode(hex("89ffffffffffffffffff")).value()).error(), Error::kIntegerOverflow);
}

// ---- encoder -------------------------------------------------------------------------

TEST(RlpEncoder, Integers) {
    EXPECT_EQ(encode_uint(0), hex("80"));
    EXPECT_EQ(encode_uint(1), hex("01"));
    EXPECT_EQ(encode_uint(127), hex("7f"));
    EXPECT_EQ(encode_uint(128), hex("8180"));
    EXPECT_EQ(encode_uint(255), hex("81ff"));
    EXPECT_EQ(encode_uint(256), hex("820100"));
    EXPECT_EQ(encode_uint(1024), hex("820400"));
    EXPECT_EQ(encode_uint(0xffffff), hex("83ffffff"));
    EXPECT_EQ(encode_uint(1ULL << 56), hex("880100000000000000"));
    EXPECT_EQ(encode_uint(std::numeric_limits<std::uint64_t>::max()), hex("88ffffffffffffffff"));
}

TEST(RlpEncoder, ShortStrings) {
    EXPECT_EQ(encode_bytes({}), hex("80"));
    EXPECT_EQ(encode_bytes({0x00}), hex("00"));
    EXPECT_EQ(encode_bytes({0x7f}), hex("7f"));
    EXPECT_EQ(encode_bytes({0x80}), hex("8180"));
    EXPECT_EQ(encode_bytes({0x00, 0x00}), hex("820000"));
}

TEST(RlpEncoder, StringLengthBoundary) {
    EXPECT_EQ(encode_bytes(repeat(0x61, 55)), concat(hex("b7"), repeat(0x61, 55)));
    EXPECT_EQ(encode_bytes(repeat(0x61, 56)), concat(hex("b838"), repeat(0x61, 56)));
    EXPECT_EQ(encode_bytes(repeat(0x61, 255)), concat(hex("b8ff"), repeat(0x61, 255)));
    EXPECT_EQ(encode_bytes(repeat(0x61, 256)), concat(hex("b90100"), repeat(0x61, 256)));
    EXPECT_EQ(encode_bytes(repeat(0x61, 65536)), concat(hex("ba010000"), repeat(0x61, 65536)));
}

TEST(RlpEncoder, ListLengthBoundary) {
    EXPECT_EQ(encode_list_of({}), hex("c0"));
    EXPECT_EQ(encode_list_of(repeat(0x01, 55)), concat(hex("f7"), repeat(0x01, 55)));
    EXPECT_EQ(encode_list_of(repeat(0x01, 56)), concat(hex("f838"), repeat(0x01, 56)));
    EXPECT_EQ(encode_list_of(repeat(0x01, 256)), concat(hex("f90100"), repeat(0x01, 256)));
}

TEST(RlpEncoder, HeaderSize) {
    EXPECT_EQ(header_size(0), 1u);
    EXPECT_EQ(header_size(55), 1u);
    EXPECT_EQ(header_size(56), 2u);
    EXPECT_EQ(header_size(255), 2u);
    EXPECT_EQ(header_size(256), 3u);
    EXPECT_EQ(header_size(65535), 3u);
    EXPECT_EQ(header_size(65536), 4u);
}

// Lists are closed inside out; an inner long list's header shifts the outer payload.
TEST(RlpEncoder, NestedListsWithLongInnerList) {
    Bytes out;
    const std::size_t outer = begin_list(out);
    append_uint(out, 7);
    const std::size_t inner = begin_list(out);
    for (int i = 0; i < 60; ++i) append_uint(out, 1);
    end_list(out, inner);
    append_uint(out, 9);
    end_list(out, outer);
    // inner: f83c + 60×01 = 62 bytes; outer payload: 1 + 62 + 1 = 64 → f840.
    EXPECT_EQ(out, concat(concat(hex("f84007f83c"), repeat(0x01, 60)), hex("09")));
    EXPECT_TRUE(validate(out).has_value());
}

TEST(RlpEncoder, AppendsToExistingBuffer) {
    Bytes out = hex("aa");
    const std::size_t begin = begin_list(out);
    EXPECT_EQ(begin, 1u);
    append_uint(out, 1);
    end_list(out, begin);
    EXPECT_EQ(out, hex("aac101"));
}

// ---- round trips -------------------------------------------------------------------

TEST(RlpRoundTrip, Integers) {
    SplitMix64 rng(5);
    std::vector<std::uint64_t> values = {
        0, 1, 127, 128, 255, 256, 0xffff, 0x10000, std::numeric_limits<std::uint64_t>::max()};
    for (int i = 0; i < 1000; ++i) values.push_back(rng.next_u64() >> (rng.next_u64() % 64));
    for (std::uint64_t v : values) {
        const Bytes enc = encode_uint(v);
        auto item = decode(enc);
        ASSERT_TRUE(item.has_value()) << v;
        EXPECT_EQ(to_uint64(*item), v);
    }
}

TEST(RlpRoundTrip, ByteStrings) {
    SplitMix64 rng(6);
    for (std::size_t len : {0u, 1u, 2u, 54u, 55u, 56u, 57u, 255u, 256u, 1000u, 70000u}) {
        for (int rep = 0; rep < 4; ++rep) {
            Bytes b(len);
            for (auto& x : b) x = static_cast<std::uint8_t>(rng.next_u64());
            const Bytes enc = encode_bytes(b);
            EXPECT_EQ(enc.size(), header_size(len) + len - (len == 1 && b[0] < 0x80 ? 1 : 0));
            auto item = decode(enc);
            ASSERT_TRUE(item.has_value()) << len << ": " << to_string(item.error());
            EXPECT_FALSE(item->is_list);
            EXPECT_EQ(Bytes(item->payload.begin(), item->payload.end()), b);
        }
    }
}

TEST(RlpRoundTrip, ListOfStrings) {
    std::vector<Bytes> items;
    for (std::size_t n = 0; n < 70; ++n) items.push_back(repeat(static_cast<std::uint8_t>(n + 0x50), n));
    Bytes out;
    const std::size_t begin = begin_list(out);
    for (const Bytes& b : items) append_bytes(out, b);
    end_list(out, begin);
    ASSERT_TRUE(validate(out).has_value());
    auto list = decode_list(out).value();
    for (const Bytes& b : items) {
        auto got = list.next_bytes();
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(Bytes(got->begin(), got->end()), b);
    }
    EXPECT_TRUE(list.finish().has_value());
}

}  // namespace
}  // namespace cl::rlp
