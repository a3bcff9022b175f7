// The conformance runners, in process: exit codes, per-case lines, error messages, and
// the derived-key example file (a golden file regenerated with CLOUDLEDGER_REGENERATE=1).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/conformance/runners.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/core/keccak.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::app {
namespace {

using ::testing::HasSubstr;

const std::string kVectors = CLOUDLEDGER_VECTORS_DIR;

struct RunnerResult {
    int code;
    std::string out, err;
};

RunnerResult votes(const std::string& path) {
    std::ostringstream out, err;
    const int code = run_clique_votes(path, out, err);
    return {code, out.str(), err.str()};
}

RunnerResult headers(const std::string& path) {
    std::ostringstream out, err;
    const int code = run_clique_headers(path, out, err);
    return {code, out.str(), err.str()};
}

// Writes `text` to a fresh file in the test's temporary directory.
std::string temp_file(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("cloudledger-test-" + name);
    std::ofstream(path) << text;
    return path.string();
}

TEST(CliqueVotesRunner, SharedVectorsAllPass) {
    const RunnerResult r = votes(kVectors + "/clique-votes.json");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_THAT(r.out, HasSubstr("18 passed, 0 failed"));
    EXPECT_TRUE(r.err.empty());
}

TEST(CliqueVotesRunner, WrongExpectationFailsWithExitOne) {
    nlohmann::json doc;
    std::ifstream(kVectors + "/clique-votes.json") >> doc;
    doc["cases"][1]["expect"]["signers"] = {"A"};             // really [A, B]
    doc["cases"][17]["expect"]["derived_failing_block"] = 3;  // really block 4
    const RunnerResult r = votes(temp_file("votes-wrong.json", doc.dump()));
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.out, HasSubstr("FAIL  case 1"));
    EXPECT_THAT(r.out, HasSubstr("expected signers [A], got signers [A,B]"));
    EXPECT_THAT(r.out, HasSubstr("expected errRecentlySigned at block 3, got errRecentlySigned at block 4"));
    EXPECT_THAT(r.out, HasSubstr("16 passed, 2 failed"));
}

TEST(CliqueVotesRunner, MissingFileExitsTwo) {
    const RunnerResult r = votes("/nonexistent/votes.json");
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("/nonexistent/votes.json: cannot open"));
    EXPECT_TRUE(r.out.empty());
}

TEST(CliqueVotesRunner, SyntaxErrorNamesLineAndColumn) {
    const RunnerResult r =
        votes(temp_file("votes-syntax.json", "{\n  \"cases\": [\n    {\"id\": 0,,}\n  ]\n}\n"));
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("votes-syntax.json:3:"));
    EXPECT_TRUE(r.out.empty());
}

// A number beyond a double's range, in a field no runner reads: nlohmann throws
// out_of_range (not parse_error) there, which used to abort the program.
TEST(CliqueVotesRunner, NumberBeyondDoubleRangeNamesLineAndColumn) {
    const RunnerResult r = votes(temp_file("votes-huge.json", "{\"meta\": {\"x\": 1e999}, \"cases\": []}"));
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("votes-huge.json:1:16: number overflow parsing '1e999'"));
    EXPECT_TRUE(r.out.empty());
}

TEST(CliqueHeadersRunner, NumberBeyondDoubleRangeNamesLineAndColumn) {
    const RunnerResult r = headers(temp_file("headers-huge.json", "{\"headers\": [],\n \"x\": [-1e999]}"));
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("headers-huge.json:2:8: number overflow parsing '-1e999'"));
    EXPECT_TRUE(r.out.empty());
}

TEST(CliqueVotesRunner, WrongTypeNamesTheField) {
    const RunnerResult r = votes(std::string(CLOUDLEDGER_TEST_DATA_DIR) + "/malformed-votes.json");
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("cases[0].blocks[0].signer: expected a string, found number"));
    EXPECT_TRUE(r.out.empty());
}

TEST(CliqueVotesRunner, MissingExpectationIsAnError) {
    const RunnerResult r = votes(temp_file(
        "votes-noexpect.json", R"({"cases": [{"id": 0, "signers": ["A"], "blocks": [], "expect": {}}]})"));
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("cases[0].expect: expected exactly one of"));
}

// ---- clique-headers ------------------------------------------------------------------

nlohmann::json entry(const std::string& name, const Header& h, const Address& signer,
                     const std::string& expect_error = "") {
    const Bytes rlp = encode(h);
    nlohmann::json e = {{"name", name}, {"rlp", to_hex(rlp)}, {"signer", signer.hex()}};
    if (expect_error.empty())
        e["hash"] = keccak256(rlp).hex();
    else
        e["expect_error"] = expect_error;
    return e;
}

// Headers sealed with keys derived from (seed 7, "signer-i"), built the way a Clique
// network would: a block, an epoch block, and defective variants.
nlohmann::json derived_key_examples() {
    const auto keys = test::make_signers(3);
    clique::Config config;
    config.epoch = 4;
    const Header genesis = test::make_genesis(test::addresses(keys));
    const auto snap = clique::Snapshot::at_checkpoint(0, block_hash(genesis), test::addresses(keys));
    Header block = test::make_child(genesis, block_hash(genesis), snap, keys[1].address, config);
    block.number = 5;  // a plain block
    block.difficulty = clique::kDiffNoTurn;
    Header epoch = block;
    epoch.number = 8;
    epoch.extra = clique::make_extra(test::addresses(keys));
    Header unlisted = epoch;
    unlisted.extra = clique::make_extra({keys[0].address, keys[2].address});
    Header v27 = test::sealed(block, keys[1]);
    v27.extra.back() = 27;

    nlohmann::json doc;
    doc["epoch"] = config.epoch;
    doc["headers"] = {
        entry("plain block", test::sealed(block, keys[1]), keys[1].address),
        entry("epoch block", test::sealed(epoch, keys[1]), keys[1].address),
        entry("sealed by another key", test::sealed(block, keys[2]), keys[1].address, "signer mismatch"),
        entry("epoch block not listing its sealer", test::sealed(unlisted, keys[1]), keys[1].address,
              "sealer not in the checkpoint list"),
        entry("recovery id 27", v27, keys[1].address, "v must be 0 or 1"),
    };
    return doc;
}

TEST(CliqueHeadersRunner, DerivedKeyExampleMatchesGoldenFile) {
    const std::string path = kVectors + "/clique-headers/derived-keys.json";
    const std::string generated = derived_key_examples().dump(1) + "\n";
    if (std::getenv("CLOUDLEDGER_REGENERATE") != nullptr) std::ofstream(path) << generated;
    std::ifstream in(path);
    std::stringstream golden;
    golden << in.rdbuf();
    EXPECT_EQ(golden.str(), generated)
        << "regenerate with CLOUDLEDGER_REGENERATE=1 if the change is intended";
}

TEST(CliqueHeadersRunner, DerivedKeyExamplePassesIncludingNegatives) {
    const RunnerResult r = headers(temp_file("headers-derived.json", derived_key_examples().dump()));
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("5 passed, 0 failed"));
    EXPECT_THAT(r.out, HasSubstr("not in the checkpoint's signer list"));
    EXPECT_THAT(r.out, HasSubstr("recovery id v is not 0 or 1"));
}

TEST(CliqueHeadersRunner, RealNetworkHeadersPass) {
    const RunnerResult r = headers(kVectors + "/clique-headers/real-networks.json");
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("36 passed, 0 failed"));
}

TEST(CliqueHeadersRunner, PositiveEntryThatDoesNotVerifyFails) {
    auto doc = derived_key_examples();
    doc["headers"][0]["hash"] = Hash32{}.hex();     // wrong hash
    doc["headers"][1]["signer"] = Address{}.hex();  // wrong signer
    doc["headers"][4].erase("expect_error");        // v = 27 presented as valid
    doc["headers"][4]["hash"] = Hash32{}.hex();
    const RunnerResult r = headers(temp_file("headers-wrong.json", doc.dump()));
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.out, HasSubstr("FAIL  plain block: block hash"));
    EXPECT_THAT(r.out, HasSubstr("FAIL  epoch block: recovered signer"));
    EXPECT_THAT(r.out, HasSubstr("FAIL  recovery id 27: seal does not recover"));
    EXPECT_THAT(r.out, HasSubstr("2 passed, 3 failed"));
}

TEST(CliqueHeadersRunner, NegativeEntryThatVerifiesFails) {
    auto doc = derived_key_examples();
    doc["headers"][0]["expect_error"] = "claimed broken";
    const RunnerResult r = headers(temp_file("headers-neg.json", doc.dump()));
    EXPECT_EQ(r.code, 1);
    EXPECT_THAT(r.out, HasSubstr("FAIL  plain block: verified, but was expected to fail (claimed broken)"));
}

TEST(CliqueHeadersRunner, MalformedFileExitsTwo) {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"headers": [{"name": "x", "rlp": "0xzz", "signer": "0x00"}]})",
         "headers[0].rlp: invalid hex digit"},
        {R"({"headers": [{"name": "x", "rlp": "0x00", "hash": "0x01", "signer": "0x00"}]})",
         "headers[0].hash: wrong length"},
        {R"({"headers": [{"name": "x", "rlp": "0x00"}]})", "needs \"hash\" and \"signer\""},
        {R"({"headers": {}})", "headers: expected a list"},
        {R"({"epoch": 0, "headers": []})", "epoch: must be positive"},
        {R"([1, 2])", "expected an object"},
    };
    for (const auto& [text, message] : cases) {
        const RunnerResult r = headers(temp_file("headers-bad.json", text));
        EXPECT_EQ(r.code, 2) << text;
        EXPECT_THAT(r.err, HasSubstr(message)) << text;
        EXPECT_TRUE(r.out.empty());
    }
}

}  // namespace
}  // namespace cl::app
