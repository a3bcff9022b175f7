// The Ethereum consensus-test RLP vectors (tests/vectors/rlp, see SOURCE.md), run as
// data: every case in the JSON files becomes one parameterised test.
//
// Valid cases: encoding "in" with the cl::rlp encoder must give "out", and decoding
// "out" must validate and give back "in". Invalid cases: validate() must reject "out".
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "protocol/core/rlp.hpp"

namespace cl::rlp {
namespace {

using Json = nlohmann::ordered_json;

struct VectorCase {
    std::string name;
    Json in;
    std::string out;
};

// The case name instead of GoogleTest's byte dump (it also ends up in CTest's test names).
void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.name; }

// Keeps the names readable in CTest and legal for GoogleTest.
std::string test_name(const std::string& name) {
    std::string out;
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

std::vector<VectorCase> load(const std::string& file) {
    std::ifstream stream(std::string(CLOUDLEDGER_VECTORS_DIR) + "/rlp/" + file);
    if (!stream) return {};  // RlpVectorFiles.HaveExpectedCaseCounts reports it
    const Json doc = Json::parse(stream, nullptr, /*allow_exceptions=*/false);
    std::vector<VectorCase> cases;
    if (!doc.is_object()) return cases;
    for (const auto& [name, c] : doc.items()) {
        // A malformed case stays in the list (with no "out") and fails as a test.
        const bool ok = c.is_object() && c.contains("in") && c.contains("out") && c["out"].is_string();
        cases.push_back({name, ok ? c["in"] : Json(), ok ? c["out"].get<std::string>() : std::string()});
    }
    return cases;
}

const std::vector<VectorCase>& valid_cases() {
    static const std::vector<VectorCase> cases = load("rlptest.json");
    return cases;
}
const std::vector<VectorCase>& invalid_cases() {
    static const std::vector<VectorCase> cases = load("invalidRLPTest.json");
    return cases;
}

// "#"-prefixed decimal → minimal big-endian bytes (no leading zero; 0 → empty).
Bytes decimal_to_bytes(const std::string& digits) {
    Bytes be;
    for (char d : digits) {
        EXPECT_TRUE(d >= '0' && d <= '9') << digits;
        unsigned carry = static_cast<unsigned>(d - '0');
        for (auto it = be.rbegin(); it != be.rend(); ++it) {
            const unsigned v = *it * 10u + carry;
            *it = static_cast<std::uint8_t>(v & 0xff);
            carry = v >> 8;
        }
        if (carry != 0) be.insert(be.begin(), static_cast<std::uint8_t>(carry));
    }
    return be;
}

Bytes uint_to_bytes(std::uint64_t v) {
    Bytes be;
    for (; v != 0; v >>= 8) be.insert(be.begin(), static_cast<std::uint8_t>(v));
    return be;
}

// The byte string a scalar "in" value stands for (SOURCE.md: a string, an integer, a
// "#"-prefixed big integer, or "0x"-prefixed bytes).
Bytes scalar_bytes(const Json& in) {
    if (in.is_number_unsigned()) return uint_to_bytes(in.get<std::uint64_t>());
    if (in.is_number_integer()) {
        EXPECT_GE(in.get<std::int64_t>(), 0);
        return uint_to_bytes(static_cast<std::uint64_t>(in.get<std::int64_t>()));
    }
    const std::string s = in.get<std::string>();
    if (s.starts_with("#")) return decimal_to_bytes(s.substr(1));
    if (s.starts_with("0x")) return from_hex(s).value();
    return Bytes(s.begin(), s.end());
}

void encode_json(Bytes& out, const Json& in) {
    if (in.is_array()) {
        const std::size_t begin = begin_list(out);
        for (const Json& item : in) encode_json(out, item);
        end_list(out, begin);
    } else if (in.is_number()) {
        append_uint(out, in.get<std::uint64_t>());  // the integer encoder, not the bytes one
    } else {
        append_bytes(out, scalar_bytes(in));
    }
}

// Checks that the decoded item has the structure and bytes of `in`.
void expect_decodes_to(const Item& item, const Json& in, const std::string& path) {
    if (in.is_array()) {
        ASSERT_TRUE(item.is_list) << path;
        ListReader reader(item.payload);
        std::size_t i = 0;
        for (const Json& child : in) {
            auto next = reader.next();
            ASSERT_TRUE(next.has_value()) << path << "[" << i << "]: " << to_string(next.error());
            expect_decodes_to(*next, child, path + "[" + std::to_string(i) + "]");
            ++i;
        }
        EXPECT_TRUE(reader.finish().has_value()) << path;
        return;
    }
    ASSERT_FALSE(item.is_list) << path;
    EXPECT_EQ(to_hex(item.payload), to_hex(scalar_bytes(in))) << path;
    if (in.is_number()) {
        EXPECT_EQ(to_uint64(item), in.get<std::uint64_t>()) << path;
    }
}

Bytes out_bytes(const VectorCase& c) {
    auto b = from_hex(c.out);  // may lack 0x and be upper case
    EXPECT_TRUE(b.has_value()) << c.name << ": bad hex in \"out\"";
    return b.value_or(Bytes{});
}

class RlpValidVector : public ::testing::TestWithParam<VectorCase> {};
class RlpInvalidVector : public ::testing::TestWithParam<VectorCase> {};

// SOURCE.md caveat: in "listofbinaries", "out" is a 167-byte list of the first four items
// of "in" followed by 153 zero bytes of padding; the full list "in" encodes as f90140… . So
// "out" is not the encoding of "in", and for a strict decoder it is a list followed by
// trailing bytes. We check exactly that: the encoding equals "out" with the f8a7 header
// replaced by f90140 (the 153 padding zeros are the 153 "0x00" items), validate() rejects
// "out" with kTrailingBytes, and the list it holds decodes to the first four items.
void check_list_of_binaries(const VectorCase& c) {
    const Bytes out = out_bytes(c);
    ASSERT_GE(out.size(), 2u);
    ASSERT_EQ(to_hex(BytesView(out).first(2)), "0xf8a7");
    Bytes encoded;
    encode_json(encoded, c.in);
    ASSERT_EQ(to_hex(BytesView(encoded).first(3)), "0xf90140");
    EXPECT_EQ(to_hex(BytesView(encoded).subspan(3)), to_hex(BytesView(out).subspan(2)));
    EXPECT_EQ(validate(out).error(), Error::kTrailingBytes);

    BytesView rest = out;
    auto first = read_item(rest);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(rest.size(), 153u);
    EXPECT_TRUE(std::all_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b == 0; }));
    const Json first_four(c.in.begin(), c.in.begin() + 4);
    expect_decodes_to(*first, first_four, c.name);
}

TEST_P(RlpValidVector, EncodesAndDecodes) {
    const VectorCase& c = GetParam();
    if (c.name == "listofbinaries") return check_list_of_binaries(c);

    Bytes encoded;
    encode_json(encoded, c.in);
    EXPECT_EQ(to_hex(encoded), to_hex(out_bytes(c)));

    const Bytes out = out_bytes(c);
    auto valid = validate(out);
    ASSERT_TRUE(valid.has_value()) << to_string(valid.error());
    auto item = decode(out);
    ASSERT_TRUE(item.has_value());
    expect_decodes_to(*item, c.in, c.name);
}

// The rule each invalid vector breaks first, for the cases with a single flaw.
const std::map<std::string, Error, std::less<>> kExpectedErrors = {
    {"int32Overflow", Error::kInputTooShort},  // 8-byte length ≈ 2⁶⁰ runs past the input
    {"int32Overflow2", Error::kInputTooShort},
    {"wrongSizeList", Error::kNonCanonicalSize},
    {"wrongSizeList2", Error::kNonCanonicalSize},
    {"incorrectLengthInArray", Error::kLeadingZeroInLength},
    {"bytesShouldBeSingleByte00", Error::kSingleByteAsString},
    {"bytesShouldBeSingleByte01", Error::kSingleByteAsString},
    {"bytesShouldBeSingleByte7F", Error::kSingleByteAsString},
    {"leadingZerosInLongLengthArray1", Error::kLeadingZeroInLength},
    {"leadingZerosInLongLengthArray2", Error::kLeadingZeroInLength},
    {"leadingZerosInLongLengthList1", Error::kLeadingZeroInLength},
    {"leadingZerosInLongLengthList2", Error::kLeadingZeroInLength},
    {"nonOptimalLongLengthArray1", Error::kNonCanonicalSize},
    {"nonOptimalLongLengthArray2", Error::kNonCanonicalSize},
    {"nonOptimalLongLengthList1", Error::kNonCanonicalSize},
    {"nonOptimalLongLengthList2", Error::kNonCanonicalSize},
};

TEST_P(RlpInvalidVector, IsRejected) {
    const VectorCase& c = GetParam();
    EXPECT_EQ(c.in, Json("INVALID"));
    const Bytes out = out_bytes(c);
    ASSERT_FALSE(out.empty());
    auto result = validate(out);
    ASSERT_FALSE(result.has_value()) << c.out;
    if (auto it = kExpectedErrors.find(c.name); it != kExpectedErrors.end()) {
        EXPECT_EQ(to_string(result.error()), std::string(to_string(it->second)));
    }
}

auto case_name = [](const ::testing::TestParamInfo<VectorCase>& info) { return test_name(info.param.name); };

INSTANTIATE_TEST_SUITE_P(EthereumTests, RlpValidVector, ::testing::ValuesIn(valid_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(EthereumTests, RlpInvalidVector, ::testing::ValuesIn(invalid_cases()), case_name);

// Guards against an empty or truncated instantiation (a missing file gives no cases).
TEST(RlpVectorFiles, HaveExpectedCaseCounts) {
    EXPECT_EQ(valid_cases().size(), 29u);    // SOURCE.md
    EXPECT_EQ(invalid_cases().size(), 17u);  // SOURCE.md
    std::size_t pinned = 0;
    for (const auto& c : invalid_cases()) pinned += kExpectedErrors.count(c.name);
    EXPECT_EQ(pinned, kExpectedErrors.size());  // every pinned name exists in the file
}

TEST(RlpVectorFiles, DecimalConversion) {
    EXPECT_EQ(decimal_to_bytes("0"), Bytes{});
    EXPECT_EQ(decimal_to_bytes("255"), Bytes{0xff});
    EXPECT_EQ(decimal_to_bytes("256"), (Bytes{0x01, 0x00}));
    EXPECT_EQ(to_hex(decimal_to_bytes("18446744073709551616")), "0x010000000000000000");
}

}  // namespace
}  // namespace cl::rlp
