// sim/scenario: input that is not what it claims (issue 9, "Fidelity and robustness") —
// raw text checks, one-line errors, key paths of parse errors, the run-size limits of
// limits.hpp, and files that are not files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/net/error.hpp"
#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/schema.hpp"
#include "tests/scenario/mutation.hpp"

namespace cl::sim::scenario {
namespace {

constexpr std::string_view kOneCloud =
    "network: {full_nodes: 2}\n"
    "clouds:\n"
    "  - {name: ovh, region: london}\n";

std::string dump(const std::vector<ScenarioError>& errors) {
    std::string all;
    for (const auto& e : errors) all += e.to_string() + "\n";
    return all;
}

std::vector<ScenarioError> load_errors(std::string_view text, const std::vector<Override>& sets = {}) {
    auto s = load_scenario(text, "test.yaml", sets);
    EXPECT_FALSE(s.has_value()) << "expected errors";
    return s ? std::vector<ScenarioError>{} : s.error();
}

// The one error of `text`, which must concern `key`.
ScenarioError one_error(std::string_view text, std::string_view key) {
    const auto errors = load_errors(text);
    EXPECT_EQ(errors.size(), 1u) << dump(errors);
    if (errors.empty()) return {};
    EXPECT_EQ(errors[0].key, key) << dump(errors);
    return errors[0];
}

bool has(const ScenarioError& e, std::string_view part) { return e.message.find(part) != std::string::npos; }

std::string tiers(std::size_t n, std::string_view prefix = "t") {
    std::string text = "pool:\n  tiers:\n";
    for (std::size_t i = 0; i < n; ++i) {
        text += "    - {name: " + std::string(prefix) + std::to_string(i) +
                ", vcpu: 1, ram_gib: 1, disk_gib: 1, hours: 1}\n";
    }
    return text;
}

// ---- raw text ------------------------------------------------------------------------------

TEST(InputText, QuoteEscapesControlCharactersAndInvalidBytes) {
    EXPECT_EQ(detail::quote("a\nb\tc\x01"), "'a\\nb\\tc\\x01'");
    EXPECT_EQ(detail::quote("caf\xc3\xa9"), "'caf\xc3\xa9'");  // valid UTF-8 stays
    EXPECT_EQ(detail::quote("x\xff"), "'x\\xff'");
}

TEST(InputText, QuoteCutsLongValues) {
    const std::string q = detail::quote(std::string(500, 'a'));
    EXPECT_EQ(q, "'" + std::string(detail::kMaxQuotedChars, 'a') + "...'");
    EXPECT_EQ(detail::quote(std::string(detail::kMaxQuotedChars, 'a')),
              "'" + std::string(detail::kMaxQuotedChars, 'a') + "'");
}

TEST(InputText, FindBadTextGivesLineAndColumn) {
    EXPECT_FALSE(detail::find_bad_text("a: 1\n\tb: \xe2\x82\xac\r\n"));
    const auto bad = detail::find_bad_text("a: 1\nname: x\xffy\n");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->line, 2u);
    EXPECT_EQ(bad->column, 8u);
    EXPECT_NE(bad->message.find("invalid UTF-8"), std::string::npos);
}

// One formatter of positions (issue 10): input::location, used by the topology and region
// file errors (net::InputError) and by scenario errors, from the loader or from the world.
TEST(InputText, OneLocationFormatForEveryInputError) {
    EXPECT_EQ(input::location("a.yaml", 3, 7), "a.yaml:3:7");
    EXPECT_EQ(input::location("a.yaml", 3, 0), "a.yaml:3");
    EXPECT_EQ(input::location("a.yaml", 0, 7), "a.yaml");
    EXPECT_EQ((net::InputError{net::InputErrorKind::kSyntax, "t.dot", 2, 5, "bad"}).to_string(),
              "t.dot:2:5: bad");
    EXPECT_EQ((ScenarioError{"s.yaml", 4, 0, "pool.x", "m"}).to_string(), "s.yaml:4: pool.x: m");
    // A value from --set is placed in the override, whatever the file.
    EXPECT_EQ(error_at("s.yaml", SourcePos{true, 2, 9}, "duration", "m").to_string(),
              "--set:2:9: duration: m");
    EXPECT_EQ(error_at("s.yaml", SourcePos{false, 5, 1}, "", "m").to_string(), "s.yaml:5:1: m");
}

TEST(InputText, RejectsOverlongSurrogatesAndControls) {
    EXPECT_TRUE(detail::find_bad_text("\xc0\xaf"));          // overlong '/'
    EXPECT_TRUE(detail::find_bad_text("\xed\xa0\x80"));      // U+D800
    EXPECT_TRUE(detail::find_bad_text("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_TRUE(detail::find_bad_text("\xe2\x82"));          // cut short
    EXPECT_TRUE(detail::find_bad_text(std::string_view("a\0b", 3)));
    EXPECT_TRUE(detail::find_bad_text("a\x7f"));
    EXPECT_TRUE(detail::find_bad_text("a\nb", false));
    EXPECT_FALSE(detail::find_bad_text("\xf0\x9f\x98\x80"));  // U+1F600
}

// The loader's key tables (schema.hpp): a mapping's known keys, required keys and reads
// come from one table; reading a key the table does not declare is a programming error.
TEST(ScenarioSchema, KeysComeFromOneTable) {
    struct Out {
        std::uint64_t a = 0;
    };
    struct L {
        detail::Checker& c;
    };
    static constexpr std::array<detail::Key<L, Out>, 2> kKeys{{
        {"alpha",
         [](L& l, const detail::Field& f, const detail::MapReader&, Out& o) {
             detail::get_uint(l.c, f, o.a);
         },
         true},
        {"beta", nullptr},
    }};
    std::vector<detail::ParseError> perr;
    const auto root = detail::parse_yaml("alpah: 1\nbeta: 2\n", detail::Source::kFile, 0, 0, perr);
    ASSERT_TRUE(root.has_value());
    detail::Checker c("k.yaml");
    const detail::Field f{&*root, "m", root->pos};
    const detail::MapReader m = detail::map_reader(c, f, kKeys);
    L l{c};
    Out out;
    detail::read_keys(l, m, kKeys, out);
    const auto errors = c.take_sorted();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].to_string(), "k.yaml:1:1: m.alpah: unknown key 'alpah' in m (did you mean 'alpha'?)");
    EXPECT_EQ(errors[1].to_string(), "k.yaml:1:1: m.alpha: missing required key 'alpha'");
    EXPECT_TRUE(m.get("beta"));
    EXPECT_DEATH((void)m.get("gamma"), "assertion failed");
}

TEST(ScenarioInput, InvalidUtf8IsAnErrorAtItsPosition) {
    const auto errors = load_errors("name: eu\xffwest\n" + std::string(kOneCloud));
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].to_string(), "test.yaml:1:9: invalid UTF-8 (byte \\xff): YAML text is UTF-8");
}

TEST(ScenarioInput, RawControlCharacterIsAnError) {
    const auto errors = load_errors(std::string(kOneCloud) +
                                    "description: a\x01"
                                    "b\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].line, 4u);
    EXPECT_EQ(errors[0].column, 15u);
}

TEST(ScenarioInput, SetValueIsCheckedToo) {
    const auto errors = load_errors(kOneCloud, {Override{"name", "a\xff"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].file, "--set");
    EXPECT_EQ(errors[0].column, 7u);  // name=a<here>
}

// ---- the scenario name ------------------------------------------------------------------------

TEST(ScenarioName, SlashIsRefused) {
    const auto e = one_error("name: eu/west\n" + std::string(kOneCloud), "name");
    EXPECT_TRUE(has(e, "holds '/'")) << e.to_string();
}

TEST(ScenarioName, EscapedControlCharacterIsRefusedOnOneLine) {
    const auto e = one_error("name: \"two\\nlines\"\n" + std::string(kOneCloud), "name");
    EXPECT_EQ(e.to_string(),
              "test.yaml:1:7: name: the scenario name 'two\\nlines': control character \\x0a (not allowed in "
              "a name)");
}

TEST(ScenarioName, LengthIsBounded) {
    const std::string ok(kMaxScenarioNameBytes, 'n');
    EXPECT_TRUE(load_scenario("name: " + ok + "\n" + std::string(kOneCloud), "t.yaml"));
    const auto e = one_error("name: " + ok + "n\n" + std::string(kOneCloud), "name");
    EXPECT_TRUE(has(e, "at most 128")) << e.to_string();
}

TEST(ScenarioName, AFileNameThatCannotServeIsAnError) {
    const auto s = load_scenario(kOneCloud, "dir/bad\x01name.yaml");
    ASSERT_FALSE(s);
    ASSERT_EQ(s.error().size(), 1u) << dump(s.error());
    EXPECT_EQ(s.error()[0].key, "name");
    EXPECT_EQ(
        s.error()[0].to_string(),
        "dir/bad\\x01name.yaml:1:1: name: the file name 'bad\\x01name' (the scenario's name when none is "
        "written: set one with name:): control character \\x01 (not allowed in a name)");
}

// ---- one error, one line; key paths ----------------------------------------------------------

TEST(ScenarioErrorLines, MultiLineValuesAreEscapedAndCut) {
    const auto errors =
        load_errors(std::string(kOneCloud) + "duration: |\n  1h\n  " + std::string(300, 'x') + "\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    const std::string line = errors[0].to_string();
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_LT(line.size(), 200u) << line;
}

TEST(ScenarioErrorLines, ToStringEscapesWhateverAMessageHolds) {
    const ScenarioError e{"f.yaml", 1, 2, "a\nb", "x\ry"};
    EXPECT_EQ(e.to_string(), "f.yaml:1:2: a\\nb: x\\ry");
}

TEST(ScenarioErrorLines, DuplicateKeyNamesItsPath) {
    const auto e =
        one_error("clouds:\n  - name: ovh\n    region: london\n    quotas:\n      small: 1\n      small: 2\n",
                  "clouds[0].quotas.small");
    EXPECT_EQ(e.line, 6u);
    EXPECT_EQ(e.column, 7u);
    EXPECT_TRUE(has(e, "duplicate key 'small' (first given at line 5)")) << e.to_string();
}

TEST(ScenarioErrorLines, MergeOfAScalarIsAnError) {
    const auto e =
        one_error("x-b: &b 5\nnetwork:\n  <<: *b\nclouds: [{name: a, region: london}]\n", "network.<<");
    EXPECT_TRUE(has(e, "takes a mapping or a list of mappings, got '5'")) << e.to_string();
    const auto f = one_error(
        "x-b: &b {loss: 0}\nnetwork:\n  <<: [*b, 7]\nclouds: [{name: a, region: london}]\n", "network.<<[1]");
    EXPECT_TRUE(has(f, "a list holding '7'")) << f.to_string();
}

// ---- limits.hpp -----------------------------------------------------------------------------

TEST(ScenarioLimits, NineTiersAreRefused) {
    EXPECT_TRUE(load_scenario(tiers(kMaxTiers) + std::string(kOneCloud), "t.yaml"));
    const auto e = one_error(tiers(kMaxTiers + 1) + std::string(kOneCloud), "pool.tiers");
    EXPECT_TRUE(has(e, "9 tiers; at most 8")) << e.to_string();
}

TEST(ScenarioLimits, TierNameFitsTheSummaryName) {
    const std::string name47(kMaxTierNameBytes, 'a');
    EXPECT_TRUE(load_scenario(tiers(1, name47.substr(1)) + std::string(kOneCloud), "t.yaml"));
    const auto e = one_error(tiers(1, name47) + std::string(kOneCloud), "pool.tiers[0].name");
    EXPECT_TRUE(has(e, "48 bytes long; at most 47")) << e.to_string();
}

TEST(ScenarioLimits, SampleIntervalAgainstDuration) {
    const auto e = one_error("duration: 6h\noutputs: {sample_interval: 30ns}\n" + std::string(kOneCloud),
                             "outputs.sample_interval");
    EXPECT_TRUE(has(e, "samples; at most 1000000")) << e.to_string();
    EXPECT_TRUE(
        load_scenario("duration: 6h\noutputs: {sample_interval: 22ms}\n" + std::string(kOneCloud), "t"));
}

TEST(ScenarioLimits, ExpectedUsers) {
    const auto e =
        one_error("duration: 6h\nworkload: {users: {arrival_rate: 1000/s}}\n" + std::string(kOneCloud),
                  "workload.users.arrival_rate");
    EXPECT_TRUE(has(e, "21600000 users on average; at most 10000000")) << e.to_string();
    // Per-region rates add up.
    const auto f =
        one_error("duration: 6h\nworkload: {users: {arrival_rate: {london: 500/s, tokyo: 500/s}}}\n" +
                      std::string(kOneCloud),
                  "workload.users.arrival_rate");
    EXPECT_TRUE(has(f, "21600000 users")) << f.to_string();
}

TEST(ScenarioLimits, ReRequests) {
    const std::string users = "duration: 6h\nworkload: {users: {arrival_rate: 100/s, rerequest: ";
    const auto e = one_error(users + "{max_attempts: 1000, delay: 0}}}\n" + std::string(kOneCloud),
                             "workload.users.rerequest.max_attempts");
    EXPECT_TRUE(has(e, "2160000 users on average, each making up to 1000 requests")) << e.to_string();
    // A delay bounds the requests one user can make in the run: 1 + 6h / 1h = 7.
    EXPECT_TRUE(load_scenario(users + "{max_attempts: 1000, delay: 1h}}}\n" + std::string(kOneCloud), "t"));
    // Nobody asks again.
    EXPECT_TRUE(
        load_scenario(users + "{max_attempts: 1000, probability: 0}}}\n" + std::string(kOneCloud), "t"));
}

TEST(ScenarioLimits, BlocksOfOneRun) {
    const std::string few_users = "workload: {users: {arrival_rate: 0.1/s}}\n";
    const auto e = one_error("duration: 200d\n" + few_users + std::string(kOneCloud), "duration");
    EXPECT_TRUE(has(e, "1152000 blocks; at most 1000000")) << e.to_string();
    EXPECT_TRUE(load_scenario("duration: 150d\n" + few_users + std::string(kOneCloud), "t"));
    // A longer period makes the same duration fit.
    EXPECT_TRUE(load_scenario(
        "duration: 200d\nconsensus: {period: 20s}\n" + few_users + std::string(kOneCloud), "t"));
}

TEST(ScenarioLimits, BlockDeliveries) {
    const auto e = one_error(
        "duration: 30min\nnetwork: {full_nodes: 1000000}\nworkload: {users: {arrival_rate: 0.1/s}}\n"
        "clouds: [{name: a, region: london}]\n",
        "duration");
    EXPECT_TRUE(has(e, "block deliveries; at most 100000000")) << e.to_string();
}

TEST(ScenarioLimits, LinksOfTheTopology) {
    const auto e = one_error(
        "duration: 1min\nnetwork: {full_nodes: 10000, topology: {kind: complete}}\n"
        "clouds: [{name: a, region: london}]\n",
        "network.full_nodes");
    EXPECT_TRUE(has(e, "50005000 links; at most 10000000")) << e.to_string();
    const auto f = one_error(
        "duration: 1min\nnetwork: {full_nodes: 100000, topology: {kind: erdos_renyi, probability: 0.01}}\n"
        "clouds: [{name: a, region: london}]\n",
        "network.topology.probability");
    EXPECT_TRUE(has(f, "links; at most 10000000")) << f.to_string();
    const auto g = one_error(
        "duration: 1min\nnetwork: {full_nodes: 100000, topology: {kind: random_regular, degree: 300}}\n"
        "clouds: [{name: a, region: london}]\n",
        "network.topology.degree");
    EXPECT_TRUE(has(g, "15000150 links")) << g.to_string();
}

TEST(ScenarioLimits, CountsOfLists) {
    EXPECT_TRUE(has(one_error("replications: 10001\n" + std::string(kOneCloud), "replications"), "10000"));
    std::string clouds = "network: {full_nodes: 2}\nclouds:\n";
    for (std::size_t i = 0; i <= kMaxClouds; ++i)
        clouds += "  - {name: c" + std::to_string(i) + ", region: london}\n";
    EXPECT_TRUE(has(one_error(clouds, "clouds"), "1001 clouds; at most 1000"));
    std::string faults = std::string(kOneCloud) + "faults:\n";
    for (std::size_t i = 0; i <= kMaxFaults; ++i)
        faults += "  - {kind: crash, node: 'validator:ovh', at: 1s}\n";
    EXPECT_TRUE(has(one_error(faults, "faults"), "10001 faults; at most 10000"));
}

// ---- files that are not scenario files ----------------------------------------------------------

TEST(ScenarioFiles, ADirectoryIsOneError) {
    const auto dir = std::filesystem::temp_directory_path().string();
    const auto s = load_scenario_file(dir);
    ASSERT_FALSE(s);
    ASSERT_EQ(s.error().size(), 1u);
    EXPECT_EQ(s.error()[0].to_string(), dir + ": cannot read the scenario: is a directory, not a file");
}

TEST(ScenarioFiles, AnEndlessFileIsCapped) {
    const auto s = load_scenario_file("/dev/zero");
    ASSERT_FALSE(s);
    ASSERT_EQ(s.error().size(), 1u);
    EXPECT_NE(s.error()[0].message.find("larger than 16 MiB"), std::string::npos) << s.error()[0].message;
}

TEST(ScenarioFiles, RegionsFileThatIsADirectory) {
    const auto errors =
        load_errors("network:\n  full_nodes: 2\n  regions: {file: /}\nclouds: [{name: a, region: london}]\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(
        errors[0].to_string(),
        "test.yaml:3:19: network.regions.file: cannot read regions file '/': is a directory, not a file");
}

TEST(ScenarioFiles, TopologyFileThatIsADirectory) {
    const auto errors =
        load_errors("network: {topology: {kind: file, file: /}}\nclouds: [{name: a, region: london}]\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].to_string(),
              "test.yaml:1:40: network.topology.file: topology file '/' is a directory, not a file");
}

TEST(ScenarioFiles, EndlessTopologyFileIsCappedAtItsKey) {
    // /dev/zero behind a name with a topology extension: the importer's size cap, reported
    // at the scenario's `file` key (it used to say "not found").
    const auto link = std::filesystem::temp_directory_path() / "cl-scenario-endless-topology.dot";
    std::filesystem::remove(link);
    std::error_code ec;
    std::filesystem::create_symlink("/dev/zero", link, ec);
    if (ec || !std::filesystem::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
    const std::string text = "network: {topology: {kind: file, file: " + link.string() +
                             "}}\nclouds: [{name: a, region: london}]\n";
    const auto errors = load_errors(text);
    std::filesystem::remove(link);
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].to_string(), "test.yaml:1:40: network.topology.file: topology file '" +
                                         link.string() +
                                         "': larger than 16 MiB, the most an input file may hold");
}

TEST(ScenarioFiles, TopologyFileErrorIsAtItsLineAndColumn) {
    // Invalid UTF-8 in a node label: the error is in the topology file, at the byte.
    const std::string file = std::string(CLOUDLEDGER_TEST_DATA_DIR) + "/net/bad_utf8_label.dot";
    const auto errors = load_errors("network: {topology: {kind: file, file: " + file +
                                    "}}\nclouds: [{name: a, region: london}]\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].to_string(),
              file + ":4:16: network.topology.file: invalid UTF-8 (byte \\xff): DOT text is UTF-8");
}

// ---- mutation (issue 9: "seen 7 times in the mutation run") -----------------------------------

// Mutated default scenarios, raw bytes included: every error is one line (to_string has
// no line break), quotes at most kMaxQuotedChars characters of a value, and names a key
// unless it is about the file as a whole (or sits at its top level).
TEST(ScenarioMutation, EveryErrorIsOneLineWithAKey) {
    const std::string original(default_scenario_text());
    fuzz::Mutator mutate({.seed = 0x2545F4914F6CDD1Du,
                          .alphabet = " \t\n:-[]{},'\"#&*!|>%@`<0123456789abcxyz./\\",
                          .raw_bytes = true,
                          .long_lines = true});
    int failures = 0;
    for (int round = 0; round < 600; ++round) {
        const std::string text = mutate(original);
        const auto s = load_scenario(text, "fuzz.yaml");
        if (s) continue;
        ++failures;
        for (const auto& e : s.error()) {
            const std::string line = e.to_string();
            EXPECT_EQ(line.find('\n'), std::string::npos) << line;
            EXPECT_EQ(line.find('\r'), std::string::npos) << line;
            EXPECT_FALSE(detail::find_bad_text(line, false)) << line;
            const bool whole_file =
                e.message.starts_with("invalid UTF-8") || e.message.starts_with("control character") ||
                e.message.starts_with("a scenario is a mapping") ||
                e.message.starts_with("a second YAML document") || e.message.starts_with("tab character") ||
                e.message.starts_with("YAML syntax") ||
                e.message.starts_with("a key must be");  // its key: the enclosing path, "" at the top
            if (!whole_file) {
                EXPECT_FALSE(e.key.empty()) << line;
            }
        }
    }
    EXPECT_GT(failures, 100);
}

}  // namespace
}  // namespace cl::sim::scenario
