// analysis/results: schema, HDF5 round trip, file layout, temp-then-rename, digest,
// statistics and the summary table.
#include <cryptopp/keccak.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "analysis/results/digest.hpp"
#include "analysis/results/fields.hpp"
#include "analysis/results/results_file.hpp"
#include "analysis/results/schema.hpp"
#include "analysis/results/stats.hpp"
#include "analysis/results/summary_table.hpp"
#include "tests/analysis/sample_results.hpp"

namespace cl::analysis {
namespace {

namespace fs = std::filesystem;
using testing::sample_run;

// A fresh directory per test, removed afterwards.
class ResultsFile : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "cl-results-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

    fs::path dir_;
};

RunResults empty_run(const std::string& id) {
    RunResults r;
    r.provenance.run_id = id;
    return r;
}

// ---------------------------------------------------------------------------------------
// Schema

TEST(ResultsSchema, FixedStringIsZeroPaddedText) {
    constexpr FixedString<8> literal("abc");
    static_assert(literal.view() == "abc");
    EXPECT_EQ(literal.bytes[3], '\0');
    EXPECT_EQ(FixedString<4>(std::string_view("abcd")).view(), "abcd");  // full: no terminator
    EXPECT_EQ(FixedString<4>().view(), "");
    EXPECT_EQ(FixedString<8>(std::string_view("abc")), literal);
}

TEST(ResultsSchemaDeathTest, FixedStringRejectsTooLongText) {
    EXPECT_DEATH(FixedString<3>(std::string_view("abcd")), "too long");
}

// ---------------------------------------------------------------------------------------
// HDF5 round trip and layout

TEST_F(ResultsFile, RoundTripsEveryTable) {
    const std::vector<RunResults> runs = {sample_run("run-b", 7)};
    ASSERT_TRUE(write_results(path("r.h5"), runs));
    auto read = read_results(path("r.h5"));
    ASSERT_TRUE(read) << read.error();
    ASSERT_EQ(read->size(), 1u);
    const RunResults& got = read->front();
    const RunResults& want = runs.front();
    EXPECT_EQ(got.provenance, want.provenance);
    EXPECT_EQ(got.codes, want.codes);
    EXPECT_EQ(got.nodes, want.nodes);
    EXPECT_EQ(got.blocks, want.blocks);
    EXPECT_EQ(got.propagation, want.propagation);
    EXPECT_EQ(got.requests, want.requests);
    EXPECT_EQ(got.transfers, want.transfers);
    EXPECT_EQ(got.renewals, want.renewals);
    EXPECT_EQ(got.redemptions, want.redemptions);
    EXPECT_EQ(got.reorgs, want.reorgs);
    EXPECT_EQ(got.network, want.network);
    EXPECT_EQ(got.samples, want.samples);
    EXPECT_EQ(got.summary, want.summary);
    EXPECT_EQ(got.wall_clock, want.wall_clock);
    EXPECT_EQ(got, want);
    EXPECT_EQ(results_digest(got), results_digest(want));
}

TEST_F(ResultsFile, RoundTripsEmptyTables) {
    const std::vector<RunResults> runs = {empty_run("empty")};
    ASSERT_TRUE(write_results(path("e.h5"), runs));
    auto read = read_results(path("e.h5"));
    ASSERT_TRUE(read) << read.error();
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ(read->front(), runs.front());
}

TEST_F(ResultsFile, RoundTripsSeveralRunsInWrittenOrder) {
    std::vector<RunResults> runs = {sample_run("r10", 1), empty_run("r2"), sample_run("a", 3)};
    runs[2].codes.tiers.clear();  // a run without tiers: no pool_remaining columns
    for (auto& s : runs[2].samples) s.pool_remaining = {};
    runs[2].requests.clear();
    ASSERT_TRUE(write_results(path("s.h5"), runs));
    auto read = read_results(path("s.h5"));
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(*read, runs);
}

TEST_F(ResultsFile, SameResultsGiveIdenticalFiles) {
    // No modification times are stored, so equal results give byte-identical files.
    const std::vector<RunResults> runs = {sample_run("r", 1), empty_run("e")};
    ASSERT_TRUE(write_results(path("1.h5"), runs));
    ASSERT_TRUE(write_results(path("2.h5"), runs));
    auto slurp = [](const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string first = slurp(path("1.h5"));
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, slurp(path("2.h5")));
}

TEST_F(ResultsFile, UnusedTierSlotsAreNotResults) {
    std::vector<RunResults> runs = {sample_run("t", 1)};
    runs[0].samples[0].pool_remaining[kMaxTiers - 1] = 42;  // beyond the 3 tiers
    const std::string digest = results_digest(runs[0]);
    ASSERT_TRUE(write_results(path("t.h5"), runs));
    auto read = read_results(path("t.h5"));
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(read->front().samples[0].pool_remaining[kMaxTiers - 1], 0u);
    EXPECT_EQ(results_digest(read->front()), digest);
}

// Reads the file with the HDF5 C API directly, as any other HDF5 program would.
struct Raw {
    hid_t file;
    explicit Raw(const std::string& p) : file(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
    ~Raw() { H5Fclose(file); }
    bool exists(const std::string& name) const { return H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0; }
    bool has_attribute(const std::string& object, const std::string& attr) const {
        return H5Aexists_by_name(file, object.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
    }
    std::vector<std::string> columns(const std::string& dataset) const {
        const hid_t ds = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
        const hid_t type = H5Dget_type(ds);
        std::vector<std::string> out;
        for (int i = 0; i < H5Tget_nmembers(type); ++i) {
            char* name = H5Tget_member_name(type, static_cast<unsigned>(i));
            out.emplace_back(name);
            H5free_memory(name);
        }
        H5Tclose(type);
        H5Dclose(ds);
        return out;
    }
    hssize_t rows(const std::string& dataset) const {
        const hid_t ds = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
        const hid_t space = H5Dget_space(ds);
        const hssize_t n = H5Sget_simple_extent_npoints(space);
        H5Sclose(space);
        H5Dclose(ds);
        return n;
    }
};

TEST_F(ResultsFile, LayoutFollowsDesign) {
    const std::vector<RunResults> runs = {sample_run("run-b", 7), empty_run("empty")};
    ASSERT_TRUE(write_results(path("l.h5"), runs));
    const Raw raw(path("l.h5"));
    for (const char* attr : {"schema", "schema_version", "digest"})
        EXPECT_TRUE(raw.has_attribute("/", attr)) << attr;
    for (const std::string run : {"/runs/run-b", "/runs/empty"}) {
        EXPECT_TRUE(raw.has_attribute(run, "digest"));
        for (const char* attr : {"scenario_name", "scenario_text", "overrides", "seed", "replication",
                                 "program_version", "build_type", "run_id"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/provenance", attr)) << attr;
        }
        for (const char* attr :
             {"wall_seconds", "events", "events_per_s", "sim_seconds_per_wall_second", "peak_rss_bytes"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/wall_clock", attr)) << attr;
        }
        for (const char* table :
             {"nodes", "blocks", "propagation", "requests", "transfers", "renewals", "redemptions", "reorgs",
              "checkpoints", "mainchain", "network", "samples", "traffic", "party_samples", "summary"}) {
            EXPECT_TRUE(raw.exists(run + "/" + table)) << run << "/" << table;
        }
        for (const char* attr : {"party_names", "kind_names", "outcome_names"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/traffic", attr)) << attr;
        }
        EXPECT_TRUE(raw.has_attribute(run + "/party_samples", "party_names"));
        for (const char* attr : {"role_names", "cloud_names", "region_names", "fork_choice_names"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/nodes", attr)) << attr;
        }
        for (const char* attr : {"status_names", "reason_names", "tier_names", "region_names"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/requests", attr)) << attr;
        }
        for (const char* attr : {"status_names", "reason_names", "cloud_names"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/redemptions", attr)) << attr;
        }
        for (const char* attr : {"status_names", "reason_names"}) {
            EXPECT_TRUE(raw.has_attribute(run + "/transfers", attr)) << attr;
            EXPECT_TRUE(raw.has_attribute(run + "/renewals", attr)) << attr;
        }
        EXPECT_TRUE(raw.has_attribute(run + "/samples", "tier_names"));
    }
    EXPECT_EQ(raw.rows("/runs/run-b/blocks"), 3);
    EXPECT_EQ(raw.rows("/runs/empty/blocks"), 0);
    EXPECT_EQ(raw.rows("/runs/empty/summary"), 0);
    EXPECT_EQ(raw.columns("/runs/run-b/blocks"),
              (std::vector<std::string>{"number", "hash", "parent_hash", "signer", "in_turn",
                                        "sealed_time_ns", "tx_count", "size_bytes", "canonical"}));
    EXPECT_EQ(
        raw.columns("/runs/run-b/samples"),
        (std::vector<std::string>{"time_ns", "txpool_pending_mean", "txpool_queued_mean", "pool_remaining_0",
                                  "pool_remaining_1", "pool_remaining_2", "head_spread", "distinct_heads"}));
    EXPECT_EQ(raw.columns("/runs/run-b/summary"), (std::vector<std::string>{"name", "value", "unit"}));
    EXPECT_EQ(raw.columns("/runs/run-b/nodes"),
              (std::vector<std::string>{"node", "name", "role", "cloud", "region", "fork_choice",
                                        "deepest_reorg", "messages_sent", "bytes_sent", "messages_received",
                                        "bytes_received", "cpu_ns"}));
    EXPECT_EQ(raw.rows("/runs/run-b/nodes"), 3);
}

// ---------------------------------------------------------------------------------------
// Temp-then-rename and failures

TEST_F(ResultsFile, WriteToMissingDirectoryLeavesNothing) {
    const std::string target = path("no-such-dir/r.h5");
    const std::vector<RunResults> runs = {sample_run("r", 1)};
    auto result = write_results(target, runs);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("r.h5"), std::string::npos) << result.error();
    EXPECT_FALSE(fs::exists(target));
    EXPECT_FALSE(fs::exists(temp_path_for(target)));
    EXPECT_TRUE(entries().empty());
}

TEST_F(ResultsFile, CheckOutputPathRefusesWhatCannotBeWrittenAndCreatesNothing) {
    std::ofstream(path("plain")) << "x";
    fs::create_directory(path("sub"));
    EXPECT_TRUE(check_output_path(path("r.h5")));
    EXPECT_TRUE(check_output_path(path("plain")));  // an existing file is replaced
    EXPECT_TRUE(check_output_path(path("sub/r.h5")));
    auto refused = [&](const std::string& target, const std::string& needle) {
        auto result = check_output_path(target);
        ASSERT_FALSE(result) << target;
        EXPECT_NE(result.error().find(needle), std::string::npos) << result.error();
    };
    refused("", "empty");
    refused(path("no-such-dir/r.h5"), "No such file or directory");
    refused(path("plain/r.h5"), "Not a directory");
    refused(path("sub"), "directory");
    refused(path("sub/"), "directory");
    EXPECT_EQ(entries(), (std::vector<std::string>{"plain", "sub"}));
    EXPECT_TRUE(fs::is_empty(path("sub")));
}

TEST_F(ResultsFile, FailedRenameRemovesTempFile) {
    // The target is a non-empty directory: the whole file gets written, then rename(2) fails.
    const std::string target = path("occupied");
    fs::create_directory(target);
    std::ofstream(target + "/keep") << "x";
    const std::vector<RunResults> runs = {sample_run("r", 1)};
    auto result = write_results(target, runs);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("rename"), std::string::npos) << result.error();
    EXPECT_EQ(entries(), std::vector<std::string>{"occupied"});
    EXPECT_TRUE(fs::exists(target + "/keep"));
}

TEST_F(ResultsFile, InvalidRunsAreRejectedBeforeAnyFileExists) {
    const std::string target = path("bad.h5");
    auto expect_rejected = [&](std::vector<RunResults> runs, const std::string& needle) {
        auto result = write_results(target, runs);
        ASSERT_FALSE(result) << needle;
        EXPECT_NE(result.error().find(needle), std::string::npos) << result.error();
        EXPECT_TRUE(entries().empty());
    };
    expect_rejected({sample_run("a", 1), sample_run("a", 2)}, "duplicate run id");
    expect_rejected({sample_run("a/b", 1)}, "invalid run id");
    expect_rejected({sample_run("", 1)}, "invalid run id");
    expect_rejected({sample_run("..", 1)}, "invalid run id");
    RunResults r = sample_run("r", 1);
    r.requests[1].reason = 4;
    expect_rejected({r}, "requests row 1: reason = 4 has no name");
    r = sample_run("r", 1);
    r.redemptions[0].cloud = 3;
    expect_rejected({r}, "redemptions row 0: cloud = 3");
    r = sample_run("r", 1);
    r.nodes[0].role = 2;
    expect_rejected({r}, "nodes row 0: role = 2 has no name");
    r = sample_run("r", 1);
    r.nodes[1].cloud = 3;  // kNoCode is allowed, another code must have a name
    expect_rejected({r}, "nodes row 1: cloud = 3 has no name");
    r = sample_run("r", 1);
    r.nodes[2].region = 2;
    expect_rejected({r}, "nodes row 2: region = 2 has no name");
    r = sample_run("r", 1);
    r.nodes[1].fork_choice = 3;
    expect_rejected({r}, "nodes row 1: fork_choice = 3 has no name");
    r = sample_run("r", 1);
    r.transfers[1].reason = 3;
    expect_rejected({r}, "transfers row 1: reason = 3 has no name");
    r = sample_run("r", 1);
    r.provenance.overrides[1].push_back('\0');
    expect_rejected({r}, "override holds a NUL");
    r = sample_run("r", 1);
    r.codes.tiers.resize(kMaxTiers + 1, "t");
    expect_rejected({r}, "tiers");
    r = sample_run("r", 1);
    r.summary.push_back({"fork_rate", 0, "1"});
    expect_rejected({r}, "duplicate metric 'fork_rate'");
    r = sample_run("r", 1);
    r.provenance.scenario_text.push_back('\0');
    expect_rejected({r}, "NUL");
}

TEST_F(ResultsFile, ReplacesAnExistingFile) {
    const std::string target = path("r.h5");
    std::ofstream(target) << "an older, unrelated file";
    const std::vector<RunResults> runs = {sample_run("r", 1)};
    ASSERT_TRUE(write_results(target, runs));
    EXPECT_EQ(entries(), std::vector<std::string>{"r.h5"});
    auto read = read_results(target);
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(*read, runs);
}

TEST_F(ResultsFile, ReaderReportsMissingAndForeignFiles) {
    auto missing = read_results(path("missing.h5"));
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("No such file"), std::string::npos) << missing.error();

    std::ofstream(path("text.h5")) << "not hdf5";
    auto text = read_results(path("text.h5"));
    ASSERT_FALSE(text);
    EXPECT_NE(text.error().find("not an HDF5 file"), std::string::npos) << text.error();

    const hid_t f = H5Fcreate(path("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    auto other = read_results(path("other.h5"));
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().find("not a results file"), std::string::npos) << other.error();
}

TEST_F(ResultsFile, ReaderReportsMissingTable) {
    const std::vector<RunResults> runs = {sample_run("r", 1)};
    ASSERT_TRUE(write_results(path("r.h5"), runs));
    const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(H5Ldelete(file, "/runs/r/reorgs", H5P_DEFAULT), 0);
    H5Fclose(file);
    auto read = read_results(path("r.h5"));
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().find("run 'r': table 'reorgs' missing"), std::string::npos) << read.error();
}

TEST_F(ResultsFile, ReaderDetectsAlteredRows) {
    const std::vector<RunResults> runs = {sample_run("r", 1)};
    ASSERT_TRUE(write_results(path("r.h5"), runs));
    {  // Overwrite one field of one row behind the writer's back.
        const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hid_t ds = H5Dopen2(file, "/runs/r/blocks", H5P_DEFAULT);
        const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(std::uint32_t));
        H5Tinsert(mem, "tx_count", 0, H5T_NATIVE_UINT32);
        const hid_t file_space = H5Dget_space(ds);
        const hsize_t start[1] = {0}, count[1] = {1};
        H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr);
        const hid_t mem_space = H5Screate_simple(1, count, nullptr);
        const std::uint32_t tx_count = 999;
        ASSERT_GE(H5Dwrite(ds, mem, mem_space, file_space, H5P_DEFAULT, &tx_count), 0);
        H5Sclose(mem_space);
        H5Sclose(file_space);
        H5Tclose(mem);
        H5Dclose(ds);
        H5Fclose(file);
    }
    auto read = read_results(path("r.h5"));
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().find("digest does not match"), std::string::npos) << read.error();
}

// ---------------------------------------------------------------------------------------
// Digest

TEST(ResultsDigest, IsStableAndHex) {
    const RunResults a = sample_run("r", 1);
    const RunResults b = sample_run("r", 1);
    const std::string d = results_digest(a);
    EXPECT_EQ(d, results_digest(b));
    EXPECT_EQ(d, results_digest(a));
    ASSERT_EQ(d.size(), 66u);
    EXPECT_EQ(d.substr(0, 2), "0x");
    EXPECT_TRUE(
        std::all_of(d.begin() + 2, d.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
}

// The documented serialization (digest.hpp), rebuilt by hand for a small run: pins the
// digest to the written definition, so it is the same on every machine and version.
struct Canonical {
    std::string bytes;
    template <class U>
    void le(U v) {
        for (std::size_t i = 0; i < sizeof(U); ++i) bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    void str(std::string_view s) {
        le(std::uint64_t{s.size()});
        bytes.append(s);
    }
    void raw(const auto& array) { bytes.append(reinterpret_cast<const char*>(array.data()), array.size()); }
    std::string keccak_hex() const {
        CryptoPP::Keccak_256 k;
        std::array<std::uint8_t, 32> out{};
        k.Update(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        k.Final(out.data());
        std::string hex = "0x";
        for (std::uint8_t b : out) {
            static constexpr char kDigits[] = "0123456789abcdef";
            hex += kDigits[b >> 4];
            hex += kDigits[b & 0xf];
        }
        return hex;
    }
};

TEST(ResultsDigest, MatchesTheDocumentedSerialization) {
    RunResults r;
    r.provenance = {.scenario_name = "s",
                    .scenario_text = "t: 1\n",
                    .overrides = {"a=1", "b.c=x y"},
                    .seed = 0x0102030405060708,
                    .replication = 9,
                    .program_version = "ignored",
                    .build_type = "ignored",
                    .run_id = "ignored"};
    r.codes.request_reason = {"none", "full"};
    r.codes.tiers = {"gold"};
    r.codes.fork_choices = {"eip3436", "td-first-seen"};
    r.nodes.push_back({.node = 4,
                       .name = FixedString<64>("n4"),
                       .role = 0,
                       .cloud = kNoCode,
                       .region = 1,
                       .fork_choice = 1});
    r.blocks.push_back({.number = 5,
                        .hash = testing::bytes32(1),
                        .parent_hash = testing::bytes32(2),
                        .signer = testing::bytes20(3),
                        .in_turn = 1,
                        .sealed_time_ns = -1,
                        .tx_count = 2,
                        .size_bytes = 700,
                        .canonical = 1});
    r.samples.push_back({.time_ns = 10,
                         .txpool_pending_mean = 1.5,
                         .txpool_queued_mean = std::nan("7"),
                         .pool_remaining = {77, 88},
                         .head_spread = 4,
                         .distinct_heads = 2});
    r.summary.push_back({"fork_rate", -0.0, "1"});
    r.wall_clock.wall_seconds = 123;

    Canonical c;
    c.str("cloudledger/results/v4");
    c.str("s");
    c.str("t: 1\n");
    c.le(std::uint64_t{2});
    c.str("a=1");
    c.str("b.c=x y");
    c.le(std::uint64_t{0x0102030405060708});
    c.le(std::uint32_t{9});
    const std::vector<std::pair<std::string, std::string>> lists = {
        {"requests", "status_names"},    {"requests", "reason_names"},       {"transfers", "status_names"},
        {"transfers", "reason_names"},   {"renewals", "status_names"},       {"renewals", "reason_names"},
        {"redemptions", "status_names"}, {"redemptions", "reason_names"},    {"requests", "tier_names"},
        {"requests", "region_names"},    {"redemptions", "cloud_names"},     {"nodes", "role_names"},
        {"nodes", "fork_choice_names"},  {"checkpoints", "rejection_names"}, {"mainchain", "miner_names"},
        {"traffic", "party_names"},      {"traffic", "kind_names"},          {"traffic", "outcome_names"}};
    for (const auto& [table, attr] : lists) {
        c.str(table);
        c.str(attr);
        if (attr == "reason_names" && table == "requests") {
            c.le(std::uint64_t{2});
            c.str("none");
            c.str("full");
        } else if (attr == "tier_names") {
            c.le(std::uint64_t{1});
            c.str("gold");
        } else if (attr == "fork_choice_names") {
            c.le(std::uint64_t{2});
            c.str("eip3436");
            c.str("td-first-seen");
        } else {
            c.le(std::uint64_t{0});
        }
    }
    for (const char* table :
         {"nodes", "signers", "blocks", "propagation", "requests", "transfers", "renewals", "redemptions",
          "reorgs", "checkpoints", "mainchain", "network", "samples", "traffic", "party_samples", "attacks",
          "attack_figures", "summary"}) {
        c.str(table);
        const std::string_view t = table;
        c.le(std::uint64_t{t == "nodes" || t == "blocks" || t == "samples" || t == "summary" ? 1u : 0u});
        if (t == "nodes") {
            c.le(std::uint32_t{4});
            c.str("n4");
            c.le(std::uint8_t{0});
            c.le(std::uint16_t{0xffff});
            c.le(std::uint16_t{1});
            c.le(std::uint8_t{1});                               // fork_choice
            c.le(std::uint32_t{0});                              // deepest_reorg
            for (int i = 0; i < 5; ++i) c.le(std::uint64_t{0});  // messages, bytes, cpu_ns
        } else if (t == "blocks") {
            c.le(std::uint64_t{5});
            c.raw(testing::bytes32(1));
            c.raw(testing::bytes32(2));
            c.raw(testing::bytes20(3));
            c.le(std::uint8_t{1});
            c.le(std::uint64_t{0xffffffffffffffff});
            c.le(std::uint32_t{2});
            c.le(std::uint32_t{700});
            c.le(std::uint8_t{1});
        } else if (t == "samples") {
            c.le(std::uint64_t{10});
            c.le(std::bit_cast<std::uint64_t>(1.5));
            c.le(std::uint64_t{0x7ff8000000000000});  // any NaN
            c.le(std::uint64_t{77});                  // one tier: pool_remaining[0] only
            c.le(std::uint32_t{4});
            c.le(std::uint32_t{2});
        } else if (t == "summary") {
            c.str("fork_rate");
            c.le(std::bit_cast<std::uint64_t>(-0.0));
            c.str("1");
        }
    }
    EXPECT_EQ(results_digest(r), c.keccak_hex());
}

// Calls mutate(field) on the field with index k of row, for any row type.
template <class Row>
std::size_t field_count() {
    std::size_t n = 0;
    Row row{};
    for_each_field(row, [&](const char*, auto&) { ++n; });
    return n;
}

struct Mutate {
    void operator()(std::uint8_t& v) const { v = static_cast<std::uint8_t>(v ^ 1); }
    void operator()(std::uint16_t& v) const { v = static_cast<std::uint16_t>(v ^ 1); }
    void operator()(std::uint32_t& v) const { v ^= 1; }
    void operator()(std::uint64_t& v) const { v ^= 1; }
    void operator()(std::int64_t& v) const { v ^= 1; }
    void operator()(double& v) const { v = std::nextafter(v, 1e300); }
    template <std::size_t N>
    void operator()(std::array<std::uint8_t, N>& v) const {
        v[N - 1] ^= 0x80;  // the last byte only: a change anywhere counts
    }
    template <std::size_t N>
    void operator()(FixedString<N>& v) const {
        v.bytes[0] = static_cast<char>(v.bytes[0] ^ 1);
    }
    void operator()(std::array<std::uint64_t, kMaxTiers>& v) const { v[2] ^= 1; }  // tier 2 of 3
};

template <class Row>
void expect_every_field_matters(const RunResults& base, std::vector<Row> RunResults::*table,
                                const char* name) {
    const std::string reference = results_digest(base);
    ASSERT_GE((base.*table).size(), 1u) << name;
    for (std::size_t k = 0; k < field_count<Row>(); ++k) {
        RunResults changed = base;
        Row& row = (changed.*table).back();
        std::size_t i = 0;
        const char* column = "";
        for_each_field(row, [&](const char* field, auto& value) {
            if (i++ == k) {
                Mutate{}(value);
                column = field;
            }
        });
        EXPECT_NE(results_digest(changed), reference) << name << "." << column;
    }
    RunResults fewer = base;
    (fewer.*table).pop_back();
    EXPECT_NE(results_digest(fewer), reference) << name << ": one row fewer";
    RunResults more = base;
    (more.*table).push_back((more.*table).back());
    EXPECT_NE(results_digest(more), reference) << name << ": one row more";
}

TEST(ResultsDigest, ChangesWithEveryColumnOfEveryTable) {
    const RunResults base = sample_run("r", 1);
    expect_every_field_matters(base, &RunResults::nodes, "nodes");
    expect_every_field_matters(base, &RunResults::blocks, "blocks");
    expect_every_field_matters(base, &RunResults::propagation, "propagation");
    expect_every_field_matters(base, &RunResults::requests, "requests");
    expect_every_field_matters(base, &RunResults::transfers, "transfers");
    expect_every_field_matters(base, &RunResults::renewals, "renewals");
    expect_every_field_matters(base, &RunResults::redemptions, "redemptions");
    expect_every_field_matters(base, &RunResults::reorgs, "reorgs");
    expect_every_field_matters(base, &RunResults::network, "network");
    expect_every_field_matters(base, &RunResults::samples, "samples");
    expect_every_field_matters(base, &RunResults::traffic, "traffic");
    expect_every_field_matters(base, &RunResults::party_samples, "party_samples");
    expect_every_field_matters(base, &RunResults::summary, "summary");
}

TEST(ResultsDigest, ChangesWithRowOrderProvenanceAndNames) {
    const RunResults base = sample_run("r", 1);
    const std::string reference = results_digest(base);
    std::vector<RunResults> variants(11, base);
    std::swap(variants[0].blocks[0], variants[0].blocks[1]);
    variants[1].provenance.scenario_name += "x";
    variants[2].provenance.scenario_text += "x";
    variants[3].provenance.seed += 1;
    variants[4].provenance.replication += 1;
    variants[5].codes.request_reason[1] = "other";
    variants[6].codes.clouds.push_back("delta");
    // Moving a name between lists must not collide: same strings, other boundaries.
    variants[7].codes.request_status.push_back(variants[7].codes.request_reason.front());
    variants[7].codes.request_reason.erase(variants[7].codes.request_reason.begin());
    variants[8].provenance.overrides.push_back("seed=2");
    variants[9].provenance.overrides[0] = "duration=3h";
    // The same text split differently between the scenario and the overrides.
    variants[10].provenance.scenario_text += variants[10].provenance.overrides.front();
    variants[10].provenance.overrides.erase(variants[10].provenance.overrides.begin());
    for (std::size_t i = 0; i < variants.size(); ++i) EXPECT_NE(results_digest(variants[i]), reference) << i;
}

TEST(ResultsDigest, IgnoresWallClockBuildAndRunId) {
    const RunResults base = sample_run("r", 1);
    RunResults other = base;
    other.wall_clock = {.wall_seconds = 99,
                        .events = 1,
                        .events_per_s = 2,
                        .sim_seconds_per_wall_second = 3,
                        .peak_rss_bytes = 4};
    other.provenance.program_version = "9.9.9";
    other.provenance.build_type = "Release";
    other.provenance.run_id = "another-id";
    EXPECT_EQ(results_digest(other), results_digest(base));
}

TEST(ResultsDigest, AllNaNsAreOneValue) {
    RunResults a = sample_run("r", 1);
    RunResults b = a;
    a.summary[0].value = std::numeric_limits<double>::quiet_NaN();
    b.summary[0].value = -std::nan("123");
    EXPECT_EQ(results_digest(a), results_digest(b));
}

TEST(ResultsDigest, FileDigestIgnoresRunOrderButNotIds) {
    const std::vector<RunResults> ab = {sample_run("a", 1), sample_run("b", 2)};
    const std::vector<RunResults> ba = {ab[1], ab[0]};
    EXPECT_EQ(results_file_digest(ab), results_file_digest(ba));
    std::vector<RunResults> renamed = ab;
    renamed[1].provenance.run_id = "c";
    EXPECT_NE(results_file_digest(renamed), results_file_digest(ab));
    EXPECT_NE(results_file_digest(std::vector<RunResults>{ab[0]}), results_file_digest(ab));
}

// ---------------------------------------------------------------------------------------
// Statistics

TEST(ResultsStats, PercentileInterpolatesLinearlyBetweenClosestRanks) {
    const std::vector<double> v = {40, 15, 50, 35, 20};  // sorted: 15 20 35 40 50
    EXPECT_DOUBLE_EQ(percentile(v, 0), 15);
    EXPECT_DOUBLE_EQ(percentile(v, 100), 50);
    EXPECT_DOUBLE_EQ(percentile(v, 50), 35);
    EXPECT_DOUBLE_EQ(percentile(v, 40), 29);  // h = 1.6: 20 + 0.6 · 15 (numpy.percentile agrees)
    EXPECT_DOUBLE_EQ(percentile(v, 90), 46);  // h = 3.6: 40 + 0.6 · 10
    EXPECT_DOUBLE_EQ(percentile(std::vector<double>{1, 2}, 50), 1.5);
    EXPECT_DOUBLE_EQ(percentile(std::vector<double>{7}, 99), 7);
    std::vector<double> ten;
    for (int i = 1; i <= 10; ++i) ten.push_back(i);
    EXPECT_DOUBLE_EQ(percentile(ten, 90), 9.1);
    EXPECT_DOUBLE_EQ(percentile(ten, 99), 9.91);
}

TEST(ResultsStats, EmptyInputGivesNaN) {
    EXPECT_TRUE(std::isnan(percentile(std::vector<double>{}, 50)));
    EXPECT_TRUE(std::isnan(mean(std::vector<double>{})));
}

TEST(ResultsStats, PercentilesSortOnceAndAgree) {
    const std::vector<double> v = {3, 1, 4, 1, 5, 9, 2, 6};
    const std::vector<double> ps = {0, 50, 90, 99, 100};
    const std::vector<double> got = percentiles(v, ps);
    ASSERT_EQ(got.size(), ps.size());
    for (std::size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(got[i], percentile(v, ps[i])) << ps[i];
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(percentile_sorted(sorted, 90), percentile(v, 90));
}

TEST(ResultsStats, MeanAndSeconds) {
    EXPECT_DOUBLE_EQ(mean(std::vector<double>{1, 2, 3, 4}), 2.5);
    EXPECT_EQ(nanos_to_seconds(std::vector<std::int64_t>{1'500'000'000, -1}),
              (std::vector<double>{1.5, -1e-9}));
}

TEST(ResultsStatsDeathTest, PercentileOutsideRangeAborts) {
    const std::vector<double> v = {1, 2};
    EXPECT_DEATH((void)percentile(v, 101), "0 <= p <= 100");
    EXPECT_DEATH((void)percentile(v, -1), "0 <= p <= 100");
    EXPECT_DEATH((void)percentile(std::vector<double>{1, std::nan("")}, 50), "NaN");
}

// ---------------------------------------------------------------------------------------
// Summary table

TEST(ResultsSummary, FormatsValues) {
    EXPECT_EQ(format_metric_value(1440), "1440");
    EXPECT_EQ(format_metric_value(0), "0");
    EXPECT_EQ(format_metric_value(-3), "-3");
    EXPECT_EQ(format_metric_value(1.0 / 3.0), "0.3333");
    EXPECT_EQ(format_metric_value(0.0123456), "0.01235");
    EXPECT_EQ(format_metric_value(12.3456), "12.35");
    EXPECT_EQ(format_metric_value(2097.14), "2097.1");
    EXPECT_EQ(format_metric_value(std::nan("")), "n/a");
}

TEST(ResultsSummary, PrintsSummaryThenWallClockAligned) {
    RunResults r;
    r.provenance.scenario_name = "passport";
    r.provenance.seed = 42;
    r.provenance.replication = 1;
    r.provenance.run_id = "passport-r1";
    r.summary = {{"blocks_sealed", 1440, "count"},
                 {"fork_rate", 0.0125, "1"},
                 {"propagation_p90_s", 0.4567, "s"},
                 {"requests_refused_pool_exhausted", 12, "count"}};
    r.wall_clock = {.wall_seconds = 10.25,
                    .events = 123456789,
                    .events_per_s = 12044565.3,
                    .sim_seconds_per_wall_second = 2107.3,
                    .peak_rss_bytes = 987654321};
    const std::string expected =
        "run passport-r1  scenario passport  seed 42  replication 1\n"
        "digest " +
        results_digest(r) +
        "\n"
        "\n"
        "metric                                value  unit\n"
        "blocks_sealed                          1440  count\n"
        "fork_rate                            0.0125  1\n"
        "propagation_p90_s                    0.4567  s\n"
        "requests_refused_pool_exhausted          12  count\n"
        "\n"
        "wall clock (not in the digest)\n"
        "wall_seconds                          10.25  s\n"
        "events                            123456789  count\n"
        "events_per_s                     12044565.3  1/s\n"
        "sim_seconds_per_wall_second          2107.3  s/s\n"
        "peak_rss_bytes                    987654321  B\n";
    EXPECT_EQ(format_summary(r), expected);
}

}  // namespace
}  // namespace cl::analysis
