// Block header RLP (protocol/chain/header.hpp): round trips, the Clique seal hash
// vector, and decode errors that name the offending field.
#include "protocol/chain/header.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>  // header-only; chain_tests does not link the CMake target
#include <set>
#include <string>
#include <vector>

#include "protocol/clique/config.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/core/keccak.hpp"

namespace cl {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }

template <class Fixed>
Fixed filled(std::uint8_t first) {
    Fixed out;
    for (std::size_t i = 0; i < Fixed::kSize; ++i) out.bytes[i] = static_cast<std::uint8_t>(first + i);
    return out;
}

// A header with every field distinct and non-zero, so a swapped or dropped field shows.
Header sample_header() {
    Header h;
    h.parent_hash = filled<Hash32>(0x10);
    h.uncle_hash = kEmptyUncleHash;
    h.coinbase = filled<Address>(0x30);
    h.state_root = filled<Hash32>(0x40);
    h.tx_root = filled<Hash32>(0x50);
    h.receipt_root = filled<Hash32>(0x60);
    h.bloom = filled<Bloom>(0x01);
    h.difficulty = 2;
    h.number = 1'234'567;
    h.gas_limit = 30'000'000;
    h.gas_used = 21'000;
    h.time = 1'700'000'015;
    h.extra = Bytes(97, 0xee);
    h.mix_digest = filled<Hash32>(0x70);
    h.nonce = filled<Nonce8>(0x90);
    return h;
}

// Each field's RLP encoding, in order; wrap() makes the header list from them. Lets a
// test corrupt exactly one field of an otherwise valid encoding.
std::vector<Bytes> field_encodings(const Header& h) {
    std::vector<Bytes> f(15);
    rlp::append_fixed(f[0], h.parent_hash);
    rlp::append_fixed(f[1], h.uncle_hash);
    rlp::append_fixed(f[2], h.coinbase);
    rlp::append_fixed(f[3], h.state_root);
    rlp::append_fixed(f[4], h.tx_root);
    rlp::append_fixed(f[5], h.receipt_root);
    rlp::append_fixed(f[6], h.bloom);
    rlp::append_uint(f[7], h.difficulty);
    rlp::append_uint(f[8], h.number);
    rlp::append_uint(f[9], h.gas_limit);
    rlp::append_uint(f[10], h.gas_used);
    rlp::append_uint(f[11], h.time);
    rlp::append_bytes(f[12], h.extra);
    rlp::append_fixed(f[13], h.mix_digest);
    rlp::append_fixed(f[14], h.nonce);
    if (h.base_fee) {
        f.emplace_back();
        rlp::append_uint(f.back(), *h.base_fee);
    }
    return f;
}

Bytes wrap(const std::vector<Bytes>& fields) {
    Bytes out;
    const std::size_t begin = rlp::begin_list(out);
    for (const Bytes& f : fields) out.insert(out.end(), f.begin(), f.end());
    rlp::end_list(out, begin);
    return out;
}

HeaderDecodeError decode_error(const Bytes& in) {
    auto h = decode_header(in);
    EXPECT_FALSE(h.has_value());
    return h ? HeaderDecodeError{HeaderField::kList, rlp::Error::kInputTooShort} : h.error();
}

void expect_error(const Bytes& in, HeaderField field, rlp::Error error) {
    const HeaderDecodeError e = decode_error(in);
    EXPECT_EQ(field_name(e.field), std::string(field_name(field)));
    EXPECT_EQ(rlp::to_string(e.error), std::string(rlp::to_string(error)));
}

TEST(Header, FieldHelperMatchesEncoder) {
    Header h = sample_header();
    EXPECT_EQ(wrap(field_encodings(h)), encode(h));
    h.base_fee = 7;
    EXPECT_EQ(wrap(field_encodings(h)), encode(h));
}

TEST(Header, RoundTripWithoutBaseFee) {
    const Header h = sample_header();
    const Bytes enc = encode(h);
    EXPECT_TRUE(rlp::validate(enc).has_value());
    auto back = decode_header(enc);
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(*back, h);
    EXPECT_FALSE(back->base_fee.has_value());
    EXPECT_EQ(encode(*back), enc);
}

TEST(Header, RoundTripWithBaseFee) {
    for (std::uint64_t fee : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1'000'000'000},
                              std::numeric_limits<std::uint64_t>::max()}) {
        Header h = sample_header();
        h.base_fee = fee;
        const Bytes enc = encode(h);
        auto back = decode_header(enc);
        ASSERT_TRUE(back.has_value()) << back.error().message();
        EXPECT_EQ(*back, h);
        ASSERT_TRUE(back->base_fee.has_value());
        EXPECT_EQ(*back->base_fee, fee);
        EXPECT_EQ(encode(*back), enc);
    }
}

TEST(Header, BaseFeeZeroDiffersFromAbsent) {
    Header without = sample_header();
    Header with = without;
    with.base_fee = 0;
    EXPECT_NE(encode(with), encode(without));
    EXPECT_NE(block_hash(with), block_hash(without));
    EXPECT_EQ(encode(with).size(), encode(without).size() + 1);  // one more item: 0x80
}

TEST(Header, RoundTripEdgeValues) {
    Header h;  // all zero, empty extra
    auto back = decode_header(encode(h));
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(*back, h);
    h.difficulty = h.number = h.gas_limit = h.gas_used = h.time = std::numeric_limits<std::uint64_t>::max();
    h.extra = Bytes(1, 0x05);  // a single byte < 0x80 is its own encoding
    back = decode_header(encode(h));
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(*back, h);
}

TEST(Header, BlockHashIsKeccakOfEncoding) {
    const Header h = sample_header();
    EXPECT_EQ(block_hash(h), keccak256(encode(h)));
    Header other = h;
    other.time += 1;
    EXPECT_NE(block_hash(other), block_hash(h));
}

TEST(Header, EmptyUncleHashConstant) { EXPECT_EQ(kEmptyUncleHash, keccak256(Bytes{0xc0})); }

TEST(Header, EncodeWithExtraReplacesOnlyExtra) {
    Header h = sample_header();
    const Bytes other_extra(10, 0x42);
    Header replaced = h;
    replaced.extra = other_extra;
    EXPECT_EQ(encode_with_extra(h, other_extra), encode(replaced));
}

// geth consensus/clique TestSealHash, from tests/vectors/clique-votes.json.
TEST(Header, CliqueSealHashVector) {
    std::ifstream file(std::string(CLOUDLEDGER_VECTORS_DIR) + "/clique-votes.json");
    ASSERT_TRUE(file) << "missing clique-votes.json";
    const auto doc = nlohmann::json::parse(file, nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    const auto& v = doc.at("seal_hash_vector");
    const auto& fields = v.at("header");

    Header h;  // every hash and address field zero: the vector's uncleHash is NOT kEmptyUncleHash
    for (const char* name :
         {"parentHash", "uncleHash", "coinbase", "root", "txHash", "receiptHash", "mixDigest"})
        ASSERT_TRUE(fields.at(name).get<std::string>().starts_with("0x00")) << name;
    ASSERT_TRUE(fields.at("extra").get<std::string>().starts_with("97 zero bytes"));
    h.difficulty = fields.at("difficulty").get<std::uint64_t>();
    h.number = fields.at("number").get<std::uint64_t>();
    h.gas_limit = fields.at("gasLimit").get<std::uint64_t>();
    h.gas_used = fields.at("gasUsed").get<std::uint64_t>();
    h.time = fields.at("time").get<std::uint64_t>();
    h.base_fee = fields.at("baseFee").get<std::uint64_t>();
    h.extra = Bytes(clique::kExtraVanity + clique::kExtraSeal, 0);
    ASSERT_EQ(h.extra.size(), 97u);

    EXPECT_EQ(clique::seal_hash(h).hex(), v.at("expected_seal_hash").get<std::string>());

    // The seal bytes are not signed; everything else is.
    Header sealed = h;
    std::fill(sealed.extra.end() - 65, sealed.extra.end(), std::uint8_t{0xab});
    EXPECT_EQ(clique::seal_hash(sealed), clique::seal_hash(h));
    Header vanity = h;
    vanity.extra[0] = 1;
    EXPECT_NE(clique::seal_hash(vanity), clique::seal_hash(h));
    Header no_base_fee = h;
    no_base_fee.base_fee.reset();
    EXPECT_NE(clique::seal_hash(no_base_fee), clique::seal_hash(h));
}

// ---- decode errors name the field ----------------------------------------------------

TEST(HeaderDecode, WrongSizeParentHash) {
    auto f = field_encodings(sample_header());
    f[0].clear();
    rlp::append_bytes(f[0], Bytes(31, 0x11));
    expect_error(wrap(f), HeaderField::kParentHash, rlp::Error::kWrongSize);
    const HeaderDecodeError e = decode_error(wrap(f));
    EXPECT_NE(e.message().find("parentHash"), std::string::npos) << e.message();
}

TEST(HeaderDecode, WrongSizeFixedFields) {
    const struct {
        std::size_t index;
        HeaderField field;
        std::size_t size;
    } cases[] = {{1, HeaderField::kUncleHash, 33},  {2, HeaderField::kCoinbase, 32},
                 {3, HeaderField::kStateRoot, 0},   {4, HeaderField::kTxRoot, 20},
                 {5, HeaderField::kReceiptRoot, 1}, {6, HeaderField::kBloom, 255},
                 {13, HeaderField::kMixDigest, 31}, {14, HeaderField::kNonce, 9}};
    for (const auto& c : cases) {
        auto f = field_encodings(sample_header());
        f[c.index].clear();
        rlp::append_bytes(f[c.index], Bytes(c.size, 0x99));
        SCOPED_TRACE(field_name(c.field));
        expect_error(wrap(f), c.field, rlp::Error::kWrongSize);
    }
}

TEST(HeaderDecode, LeadingZeroInNumber) {
    auto f = field_encodings(sample_header());
    f[8] = hex("8400000005");
    expect_error(wrap(f), HeaderField::kNumber, rlp::Error::kLeadingZeroInInteger);
    f[8] = hex("00");  // zero must be 0x80
    expect_error(wrap(f), HeaderField::kNumber, rlp::Error::kLeadingZeroInInteger);
}

TEST(HeaderDecode, IntegerFieldsNameThemselves) {
    const struct {
        std::size_t index;
        HeaderField field;
    } cases[] = {{7, HeaderField::kDifficulty},
                 {9, HeaderField::kGasLimit},
                 {10, HeaderField::kGasUsed},
                 {11, HeaderField::kTime}};
    for (const auto& c : cases) {
        SCOPED_TRACE(field_name(c.field));
        auto f = field_encodings(sample_header());
        f[c.index] = hex("89010000000000000000");  // 2⁶⁴
        expect_error(wrap(f), c.field, rlp::Error::kIntegerOverflow);
        f[c.index] = hex("c0");
        expect_error(wrap(f), c.field, rlp::Error::kExpectedString);
    }
}

TEST(HeaderDecode, BaseFeeErrorsNameBaseFee) {
    Header h = sample_header();
    h.base_fee = 5;
    auto f = field_encodings(h);
    f[15] = hex("820005");
    expect_error(wrap(f), HeaderField::kBaseFee, rlp::Error::kLeadingZeroInInteger);
    f[15] = hex("c0");
    expect_error(wrap(f), HeaderField::kBaseFee, rlp::Error::kExpectedString);
}

TEST(HeaderDecode, ExtraMustBeAString) {
    auto f = field_encodings(sample_header());
    f[12] = hex("c180");
    expect_error(wrap(f), HeaderField::kExtra, rlp::Error::kExpectedString);
}

TEST(HeaderDecode, SeventeenFieldsAreTooMany) {
    Header h = sample_header();
    h.base_fee = 1;
    auto f = field_encodings(h);
    f.emplace_back();
    rlp::append_fixed(f.back(), filled<Hash32>(0x20));  // e.g. Shanghai's withdrawalsRoot
    ASSERT_EQ(f.size(), 17u);
    expect_error(wrap(f), HeaderField::kList, rlp::Error::kTooManyItems);
}

// A malformed item after baseFee must not slip through as "nothing more to read".
TEST(HeaderDecode, MalformedItemAfterBaseFeeIsRejected) {
    Header h = sample_header();
    h.base_fee = 1;
    auto f = field_encodings(h);
    for (const char* junk : {"8100", "b800", "83aabb", "c3", "f800"}) {
        auto g = f;
        g.push_back(hex(junk));
        SCOPED_TRACE(junk);
        EXPECT_FALSE(decode_header(wrap(g)).has_value());
    }
}

TEST(HeaderDecode, FourteenFieldsMissNonce) {
    auto f = field_encodings(sample_header());
    f.pop_back();
    ASSERT_EQ(f.size(), 14u);
    expect_error(wrap(f), HeaderField::kNonce, rlp::Error::kMissingItem);
    f.resize(1);
    expect_error(wrap(f), HeaderField::kUncleHash, rlp::Error::kMissingItem);
    expect_error(hex("c0"), HeaderField::kParentHash, rlp::Error::kMissingItem);
}

TEST(HeaderDecode, StringInsteadOfList) {
    expect_error(hex("80"), HeaderField::kList, rlp::Error::kExpectedList);
    Bytes as_string;
    rlp::append_bytes(as_string, encode(sample_header()));
    expect_error(as_string, HeaderField::kList, rlp::Error::kExpectedList);
}

TEST(HeaderDecode, FramingErrorsNameTheList) {
    const Bytes good = encode(sample_header());
    Bytes trailing = good;
    trailing.push_back(0x80);
    expect_error(trailing, HeaderField::kList, rlp::Error::kTrailingBytes);
    const Bytes truncated(good.begin(), good.end() - 1);
    expect_error(truncated, HeaderField::kList, rlp::Error::kInputTooShort);
    expect_error(Bytes{}, HeaderField::kList, rlp::Error::kInputTooShort);
}

TEST(HeaderDecode, FieldNamesAreDistinct) {
    std::set<std::string> names;
    for (int f = 0; f <= static_cast<int>(HeaderField::kList); ++f)
        names.insert(field_name(static_cast<HeaderField>(f)));
    EXPECT_EQ(names.size(), 17u);
}

}  // namespace
}  // namespace cl
