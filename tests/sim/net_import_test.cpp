// sim/net import: GraphML (Topology Zoo style) and Graphviz DOT, and malformed files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/input/text_file.hpp"
#include "sim/net/import.hpp"

namespace cl::sim::net {
namespace {

const std::string kDir = std::string(CLOUDLEDGER_TEST_DATA_DIR) + "/net/";

TEST(GeographicLatency, LondonParisAndNewYork) {
    // London–Paris great circle ≈ 343.5 km → 1.719 ms at 2/3 c.
    const Duration lp = geographic_latency(51.5074, -0.1278, 48.8566, 2.3522);
    EXPECT_NEAR(static_cast<double>(lp.nanos()), 1.719e6, 0.01e6);
    // London–New York ≈ 5570 km → ≈ 27.9 ms.
    const Duration ln = geographic_latency(51.5074, -0.1278, 40.7128, -74.006);
    EXPECT_NEAR(static_cast<double>(ln.nanos()), 27.87e6, 0.1e6);
    EXPECT_EQ(geographic_latency(10, 20, 10, 20), Duration::zero());
}

TEST(Import, GraphmlTopologyZooCoordinatesAndLinkSpeed) {
    const auto t = load_topology(kDir + "zoo_small.graphml");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_EQ(t->node_count(), 3u);
    EXPECT_EQ(t->edge_count(), 2u);
    ASSERT_EQ(t->node_names().size(), 3u);
    EXPECT_EQ(t->node_names()[1], "Paris");
    const LinkParams& lp = t->link(*t->half_edge(0, 1));
    EXPECT_EQ(lp.latency, geographic_latency(51.5074, -0.1278, 48.8566, 2.3522));
    EXPECT_EQ(lp.bandwidth_bps, 10'000'000'000u);
    EXPECT_EQ(t->link(*t->half_edge(2, 0)).bandwidth_bps, 0u);
    EXPECT_FALSE(t->is_connected() == false);
}

TEST(Import, GraphmlEdgeAttributesAndDefaults) {
    ImportOptions options;
    options.default_link = {millis(42), 0};
    const auto t = load_topology(kDir + "attrs.graphml", options);
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    ASSERT_EQ(t->node_count(), 4u);
    EXPECT_EQ(t->link(*t->half_edge(0, 1)).latency, micros(12'500));
    EXPECT_EQ(t->link(*t->half_edge(0, 1)).bandwidth_bps, 100'000'000u);
    EXPECT_EQ(t->link(*t->half_edge(1, 2)).latency, millis(3));
    EXPECT_EQ(t->link(*t->half_edge(2, 3)).latency, millis(42));
}

TEST(Import, DotWithAttributes) {
    const auto t = load_topology(kDir + "small.dot");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    ASSERT_EQ(t->node_count(), 4u);
    EXPECT_EQ(t->edge_count(), 4u);
    ASSERT_EQ(t->node_names().size(), 4u);
    const auto id = [&](const std::string& name) {
        const auto& names = t->node_names();
        return static_cast<NodeId>(std::find(names.begin(), names.end(), name) - names.begin());
    };
    EXPECT_EQ(t->link(*t->half_edge(id("a"), id("b"))).latency, millis(10));
    EXPECT_EQ(t->link(*t->half_edge(id("a"), id("b"))).bandwidth_bps, 50'000'000u);
    EXPECT_EQ(t->link(*t->half_edge(id("c"), id("b"))).latency, micros(20'500));
    EXPECT_EQ(t->link(*t->half_edge(id("a"), id("d"))).latency, millis(7));
    EXPECT_TRUE(t->is_connected());
}

TEST(Import, DirectedDotBecomesUndirected) {
    const auto t = load_topology(kDir + "directed.dot");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_EQ(t->node_count(), 3u);
    EXPECT_EQ(t->edge_count(), 2u);  // x->y and y->x are one link
}

TEST(Import, MalformedGraphmlNamesFileAndLine) {
    const auto t = load_topology(kDir + "malformed.graphml");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().kind, InputErrorKind::kSyntax);
    EXPECT_EQ(t.error().file, kDir + "malformed.graphml");
    EXPECT_EQ(t.error().line, 6u) << t.error().to_string();    // where `<node id="b"` runs into `<edge`
    EXPECT_EQ(t.error().column, 5u) << t.error().to_string();  // at its '<'
    EXPECT_EQ(t.error().to_string(), kDir + "malformed.graphml:6:5: malformed XML: expected >");
}

TEST(Import, MalformedDotNamesFileAndLine) {
    const auto t = load_topology(kDir + "malformed.dot");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().kind, InputErrorKind::kSyntax);
    // The unclosed attribute list on line 4 is detected at the next token: `--` on line 5.
    EXPECT_EQ(t.error().line, 5u) << t.error().to_string();
    EXPECT_EQ(t.error().column, 5u) << t.error().to_string();
}

TEST(Import, BadAttributeValueInDotNamesLine) {
    const auto t = load_topology(kDir + "bad_value.dot");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().line, 3u) << t.error().to_string();
    EXPECT_EQ(t.error().column, 22u) << t.error().to_string();  // at `fast`
}

TEST(Import, MissingFileUnknownExtensionAndGarbage) {
    const auto missing = load_topology(kDir + "does_not_exist.graphml");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, InputErrorKind::kCannotOpen);
    EXPECT_FALSE(load_topology(kDir + "small.txt").has_value());
    // Garbage of every kind gives an error value, never an exception or a crash.
    for (const char* text :
         {"", "\x01\x02\x03", "<graphml><graph><edge source=\"q\" target=\"r\"/></graph></graphml>", "<<<",
          "graph {", "digraph { a -> }", "graph { a -- b [x=\"unterminated ]; }"}) {
        const auto g = parse_graphml(text, "mem.graphml");
        const auto d = parse_graphviz(text, "mem.dot");
        if (!g) {
            EXPECT_EQ(g.error().file, "mem.graphml");
        }
        if (!d) {
            EXPECT_EQ(d.error().file, "mem.dot");
        }
    }
    const auto bad_dot = parse_graphviz("graph {\n a -- b;\n b -- ;\n}\n", "mem.dot");
    ASSERT_FALSE(bad_dot.has_value());
    EXPECT_EQ(bad_dot.error().line, 3u) << bad_dot.error().to_string();
    EXPECT_EQ(bad_dot.error().column, 7u) << bad_dot.error().to_string();  // at ';'
}

// Issue 9: a topology file is read as every text input is (sim/input/text_file.hpp).
class ImportFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("cl-import-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(ImportFiles, DirectoryIsAFileLevelError) {
    const std::string path = (dir_ / "net.dot").string();
    std::filesystem::create_directory(path);
    const auto t = load_topology(path);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().kind, InputErrorKind::kCannotOpen);
    EXPECT_EQ(t.error().to_string(), path + ": is a directory, not a file");
}

TEST_F(ImportFiles, LargerThanTheCapIsAFileLevelError) {
    // A valid DOT file one byte over the cap (a comment fills it): refused unread.
    const std::string path = (dir_ / "big.dot").string();
    {
        std::ofstream out(path, std::ios::binary);
        const std::string head = "graph g { a -- b; }\n//";
        out << head << std::string(input::kMaxTextFileBytes + 1 - head.size() - 1, 'x') << '\n';
    }
    ASSERT_EQ(std::filesystem::file_size(path), input::kMaxTextFileBytes + 1);
    const auto t = load_topology(path);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().kind, InputErrorKind::kCannotOpen);
    EXPECT_EQ(t.error().line, 0u);
    EXPECT_EQ(t.error().to_string(), path + ": larger than 16 MiB, the most an input file may hold");
}

TEST_F(ImportFiles, EndlessInputStopsAtTheCap) {
    // /dev/zero behind a name with a topology extension: read up to the cap, not for ever.
    const std::filesystem::path path = dir_ / "zero.dot";
    std::error_code ec;
    std::filesystem::create_symlink("/dev/zero", path, ec);
    if (ec || !std::filesystem::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
    const auto t = load_topology(path.string());
    ASSERT_FALSE(t.has_value());
    EXPECT_NE(t.error().message.find("larger than 16 MiB"), std::string::npos) << t.error().to_string();
}

TEST(Import, InvalidUtf8NodeNameIsAnErrorAtItsPosition) {
    // The issue's reproduction: a label with bytes 0xff 0xfe, on line 3 after `c [label="bad`.
    const std::string text = "graph g {\n a -- b;\n c [label=\"bad\xff\xfename\"];\n b -- c;\n}\n";
    // parse_graphviz takes text as it is; load_topology checks it first.
    EXPECT_TRUE(parse_graphviz(text, "mem.dot").has_value());
    const auto dir = std::filesystem::temp_directory_path();
    const std::string path = (dir / "cl-import-invalid-utf8.dot").string();
    std::ofstream(path, std::ios::binary) << text;
    const auto t = load_topology(path);
    std::filesystem::remove(path);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().to_string(), path + ":3:15: invalid UTF-8 (byte \\xff): DOT text is UTF-8");
}

TEST(ImportDot, NodesAreNumberedInOrderOfFirstAppearance) {
    const auto t = load_topology(kDir + "order.dot");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    const std::vector<std::string> expected = {"zurich", "amsterdam", "New York", "berlin", "cairo"};
    EXPECT_EQ(t->node_names(), expected);
    EXPECT_EQ(t->edge_count(), 4u);
    EXPECT_EQ(t->link(*t->half_edge(0, 1)).latency, millis(5));  // zurich -- amsterdam
    EXPECT_EQ(t->link(*t->half_edge(3, 4)).latency, millis(2));  // berlin -- cairo
    EXPECT_TRUE(t->half_edge(4, 0).has_value());                 // cairo -- zurich
    EXPECT_TRUE(t->half_edge(2, 3).has_value());                 // new york -- berlin
}

TEST(ImportDot, OrderOfFirstAppearanceInEdgesAndDirectedGraphs) {
    const auto t = parse_graphviz("digraph { c -> b -> a; d; a -> d }", "mem.dot");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_EQ(t->node_names(), (std::vector<std::string>{"c", "b", "a", "d"}));
    EXPECT_TRUE(t->half_edge(0, 1).has_value());
    EXPECT_TRUE(t->half_edge(1, 2).has_value());
    EXPECT_TRUE(t->half_edge(2, 3).has_value());
    EXPECT_FALSE(t->half_edge(0, 2).has_value());
}

// Positions of DOT errors: the offending token, character or value (Boost reports none).
TEST(ImportDot, ErrorsHaveLineAndColumn) {
    struct Case {
        const char* text;
        std::size_t line, column;
        const char* message;
    } const cases[] = {
        {"graph {\n  a -- b $\n}", 2, 10, "Invalid character"},
        {"graph {\n  a -- b;\n  c [x=y z=];\n}", 3, 12, "Wanted identifier as value of attribute"},
        {"graph {\n  a -- b\n}\nextra", 4, 1, "Wanted end of file"},
        {"graph {\n  a -> b\n}", 2, 5, "Using -> in undirected graph"},
        {"graph {\n  a -- \"b", 2, 8, "Invalid character"},
        {"graph {\n  a -- b", 2, 9, "Invalid start token for statement"},
        {"graph { edge [latency=\"x\"]\n  a -- b [latency=1]; b -- c }", 1, 23,
         "edge 'b' -- 'c': latency 'x'"},
        {"graph {\n  a [Latitude=1, Longitude=2]; b [Latitude=95, Longitude=2]\n  a -- b }", 2, 44,
         "node 'b': Latitude '95'"},
    };
    for (const Case& c : cases) {
        const auto t = parse_graphviz(c.text, "mem.dot");
        ASSERT_FALSE(t.has_value()) << c.text;
        EXPECT_EQ(t.error().line, c.line) << t.error().to_string();
        EXPECT_EQ(t.error().column, c.column) << t.error().to_string();
        EXPECT_TRUE(t.error().message.starts_with(c.message)) << t.error().to_string();
    }
}

// Every error of a damaged DOT file has a line and a column (and no damage crashes).
TEST(ImportDot, EveryErrorOfADamagedFileHasAPosition) {
    const std::string good = "// c\ngraph g {\n  a -- b [latency_ms=10, label=\"x\"];\n  b -- c -- a;\n}\n";
    ASSERT_TRUE(parse_graphviz(good, "mem.dot").has_value());
    std::size_t errors = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (const std::string& damaged :
             {good.substr(0, i) + good.substr(i + 1), good.substr(0, i) + "$" + good.substr(i),
              good.substr(0, i) + "=" + good.substr(i + 1), good.substr(0, i)}) {
            const auto t = parse_graphviz(damaged, "mem.dot");
            if (t) continue;
            ++errors;
            EXPECT_NE(t.error().line, 0u) << damaged << "\n" << t.error().to_string();
            EXPECT_NE(t.error().column, 0u) << damaged << "\n" << t.error().to_string();
        }
    }
    EXPECT_GT(errors, good.size());
}

// network.link_latency and network.link_bandwidth reach a file's links through these.
TEST(Import, DefaultLinkAndBandwidthCapApplyToFileLinks) {
    const auto id = [](const Topology& t, const std::string& name) {
        const auto& names = t.node_names();
        return static_cast<NodeId>(std::find(names.begin(), names.end(), name) - names.begin());
    };
    ImportOptions options;
    options.default_link = {millis(33), 0};
    options.bandwidth_cap_bps = 20'000'000;
    const auto t = load_topology(kDir + "small.dot", options);
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    const LinkParams& ab = t->link(*t->half_edge(id(*t, "a"), id(*t, "b")));
    EXPECT_EQ(ab.latency, millis(10));         // the file's
    EXPECT_EQ(ab.bandwidth_bps, 20'000'000u);  // 50 Mbit/s in the file, capped
    const LinkParams& cd = t->link(*t->half_edge(id(*t, "c"), id(*t, "d")));
    EXPECT_EQ(cd.latency, millis(33));         // none in the file: the default
    EXPECT_EQ(cd.bandwidth_bps, 20'000'000u);  // none in the file: the cap
    options.bandwidth_cap_bps = 100'000'000;
    const auto u = load_topology(kDir + "small.dot", options);
    ASSERT_TRUE(u.has_value()) << u.error().to_string();
    EXPECT_EQ(u->link(*u->half_edge(id(*u, "a"), id(*u, "b"))).bandwidth_bps, 50'000'000u);  // below the cap
    const auto g = load_topology(kDir + "zoo_small.graphml", options);
    ASSERT_TRUE(g.has_value()) << g.error().to_string();
    EXPECT_EQ(g->link(*g->half_edge(0, 1)).bandwidth_bps, 100'000'000u);  // 10 Gbit/s LinkSpeedRaw, capped
}

// The malformed corpus (tests/data/net/bad_*, malformed.*): each file fails with its
// expected kind, line, column (of the offending token or value, DOT too) and message, and every such file in
// the directory is listed here, so that a new one cannot go unchecked. The CLI prints
// exactly to_string() on stderr and exits 2 (tests/CMakeLists.txt, cli.topology.*).
struct BadFile {
    const char* name;
    InputErrorKind kind;
    std::size_t line, column;
    const char* message;
};

const BadFile kBadFiles[] = {
    {"malformed.graphml", InputErrorKind::kSyntax, 6, 5, "malformed XML: expected >"},
    {"malformed.dot", InputErrorKind::kSyntax, 5, 5, "Wanted identifier as name of attribute"},
    {"bad_value.dot", InputErrorKind::kBadValue, 3, 22, "edge 'b' -- 'c': latency_ms 'fast' is not a number"},
    {"bad_unknown_node.graphml", InputErrorKind::kBadValue, 11, 30, "edge target 'c' is not a declared node"},
    {"bad_negative_latency.graphml", InputErrorKind::kBadValue, 11, 50,
     "edge 'b' -- 'c': latency_ms -2.5 ms is negative"},
    {"bad_duplicate_node.graphml", InputErrorKind::kBadValue, 11, 15,
     "duplicate node id 'b' (first declared at line 10, column 15)"},
    {"bad_non_numeric_bandwidth.graphml", InputErrorKind::kBadValue, 10, 48,
     "edge 'a' -- 'b': bandwidth_bps '10 Gbps' is not a number"},
    {"bad_zero_bandwidth.graphml", InputErrorKind::kBadValue, 10, 48,
     "edge 'a' -- 'b': bandwidth_bps 0 is not a positive bandwidth"},
    {"bad_coordinates.graphml", InputErrorKind::kBadValue, 10, 33,
     "node 'b': Latitude '95.0' is not a number of degrees in [-90, 90]"},
    {"bad_undeclared_key.graphml", InputErrorKind::kBadValue, 10, 44, "no <key> declares id 'speed'"},
    {"bad_missing_target.graphml", InputErrorKind::kMissingField, 10, 5, "<edge> needs a 'target' attribute"},
    {"bad_truncated.graphml", InputErrorKind::kSyntax, 10, 50, "malformed XML: unexpected end of data"},
    {"bad_mismatched_tag.graphml", InputErrorKind::kSyntax, 11, 11,
     "malformed XML: invalid closing tag name"},
    {"bad_negative_latency.dot", InputErrorKind::kBadValue, 5, 22,
     "edge 'c' -- 'd': latency_ms -4 ms is negative"},
    {"bad_non_numeric_bandwidth.dot", InputErrorKind::kBadValue, 4, 28,
     "edge 'a' -- 'c': bandwidth_mbit_s '100 M' is not a number"},
    {"bad_zero_bandwidth.dot", InputErrorKind::kBadValue, 3, 25,
     "edge 'a' -- 'b': bandwidth_bps 0 is not a positive bandwidth"},
    {"bad_truncated.dot", InputErrorKind::kSyntax, 3, 10, "Invalid start token for statement"},
    {"bad_syntax.dot", InputErrorKind::kSyntax, 4, 8, "Wanted \"subgraph\", \"{\", or identifier"},
    {"bad_character.dot", InputErrorKind::kSyntax, 4, 10, "Invalid character (char is '$')"},
    {"bad_edge_default.dot", InputErrorKind::kBadValue, 4, 20,
     "edge 'b' -- 'c': latency_ms 'slow' is not a number"},
    // Issue 9: text that is not UTF-8, or holds a control character, is refused before
    // parsing (columns in characters: "München" is 7).
    {"bad_utf8_label.dot", InputErrorKind::kSyntax, 4, 16, "invalid UTF-8 (byte \\xff): DOT text is UTF-8"},
    {"bad_utf8_id.graphml", InputErrorKind::kSyntax, 6, 16,
     "invalid UTF-8 (byte \\x80): GraphML text is UTF-8"},
    {"bad_control_character.dot", InputErrorKind::kSyntax, 3, 20,
     "control character \\x01 (DOT text holds no control characters but tab, LF and CR)"},
};

TEST(ImportCorpus, EveryMalformedFileFailsWithItsPosition) {
    for (const BadFile& b : kBadFiles) {
        const std::string path = kDir + b.name;
        const auto t = load_topology(path);
        ASSERT_FALSE(t.has_value()) << b.name;
        const InputError& e = t.error();
        EXPECT_EQ(e.kind, b.kind) << e.to_string();
        EXPECT_EQ(e.file, path);
        EXPECT_EQ(e.line, b.line) << e.to_string();
        EXPECT_EQ(e.column, b.column) << e.to_string();
        EXPECT_TRUE(e.message.starts_with(b.message)) << e.to_string();
        std::ostringstream where;  // not `":" + std::to_string(n)`: GCC 12 -O3 -Wrestrict misfires
        where << path << ':' << b.line;
        if (b.column != 0) where << ':' << b.column;
        where << ": " << e.message;
        EXPECT_EQ(e.to_string(), where.str());
    }
}

TEST(ImportCorpus, EveryMalformedFileIsListed) {
    std::set<std::string> listed;
    for (const BadFile& b : kBadFiles) listed.insert(b.name);
    std::size_t found = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("bad_") && !name.starts_with("malformed")) continue;
        ++found;
        EXPECT_TRUE(listed.contains(name)) << name << " is not in kBadFiles";
    }
    EXPECT_EQ(found, listed.size());
}

TEST(ImportGraphml, EdgesMayPrecedeNodesAndIdsAreNames) {
    const auto t = parse_graphml(
        R"(<graphml><graph edgedefault="directed">
             <edge source="y" target="x"/><node id="x"/><node id="y"/><node id="z"/>
             <edge source="z" target="z"/></graph></graphml>)",
        "mem.graphml");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_EQ(t->node_count(), 3u);
    EXPECT_EQ(t->edge_count(), 1u);  // the self-loop is dropped
    EXPECT_TRUE(t->half_edge(0, 1).has_value());
    EXPECT_EQ(t->node_names(), (std::vector<std::string>{"x", "y", "z"}));
}

TEST(ImportGraphml, KeyDefaultsEntitiesAndCdata) {
    const auto t = parse_graphml(
        R"(<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="l" for="edge" attr.name="latency_ms"><default>7</default></key>
  <key id="n" for="node" attr.name="label"/>
  <graph>
    <node id="a"><data key="n">AT&amp;T &#x263A;</data></node>
    <node id="b"><data key="n"><![CDATA[<b>]]></data></node>
    <node id="c"/>
    <edge source="a" target="b"/>
    <edge source="b" target="c"><data key="l">1.5e0</data></edge>
  </graph>
</graphml>)",
        "mem.graphml");
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_EQ(t->link(*t->half_edge(0, 1)).latency, millis(7));  // the key's default
    EXPECT_EQ(t->link(*t->half_edge(1, 2)).latency, micros(1500));
    EXPECT_EQ(t->node_names(), (std::vector<std::string>{"AT&T \u263A", "<b>", "c"}));
}

TEST(ImportGraphml, StructuralErrorsHavePositions) {
    struct Case {
        const char* text;
        std::size_t line, column;
        const char* message;
    };
    const Case cases[] = {
        {"", 1, 1, "expected a <graphml> root element"},
        {"<graph/>", 1, 1, "expected a <graphml> root element"},
        {"<graphml/><graphml/>", 1, 11, "a second root element"},
        {"<graphml>\n</graphml>", 1, 1, "no <graph> element"},
        {"<graphml><graph/>\n <graph/></graphml>", 2, 2, "only one <graph> per file is supported"},
        {"<graphml><graph><node id='a'><graph/></node></graph></graphml>", 1, 30,
         "nested graphs are not supported"},
        {"<graphml><graph>\n<hyperedge/></graph></graphml>", 2, 1, "hyperedges are not supported"},
        {"<graphml><graph><node/></graph></graphml>", 1, 17, "<node> needs a 'id' attribute"},
        {"<graphml><key id='k'/><key id='k'/><graph/></graphml>", 1, 32, "duplicate key id 'k'"},
        // Columns count characters, not bytes: "é" is two bytes.
        {"<graphml><graph><node id='é'/><edge source='é' target='ö'/></graph></graphml>", 1, 56,
         "edge target 'ö' is not a declared node"},
        {"<graphml><graph><node id=a/></graph></graphml>", 1, 26, "malformed XML: expected ' or \""},
    };
    for (const Case& c : cases) {
        const auto t = parse_graphml(c.text, "mem.graphml");
        ASSERT_FALSE(t.has_value()) << c.text;
        EXPECT_EQ(t.error().line, c.line) << t.error().to_string();
        EXPECT_EQ(t.error().column, c.column) << t.error().to_string();
        EXPECT_TRUE(t.error().message.starts_with(c.message)) << t.error().to_string();
    }
}

TEST(ImportGraphml, NumbersMustBeWrittenInFull) {
    const auto edge_with = [](const std::string& value) {
        return parse_graphml(R"(<graphml><key id="l" for="edge" attr.name="latency_ms"/><graph>
            <node id="a"/><node id="b"/><edge source="a" target="b"><data key="l">)" +
                                 value + "</data></edge></graph></graphml>",
                             "mem.graphml");
    };
    for (const char* good : {"1", " 2.5 ", "+3", "1e1", "0"})
        EXPECT_TRUE(edge_with(good).has_value()) << good;
    for (const char* bad : {"", "ms", "12ms", "1,5", "--1", "+-1", "nan", "inf", "1e999", "0x10"}) {
        const auto t = edge_with(bad);
        ASSERT_FALSE(t.has_value()) << bad;
        EXPECT_EQ(t.error().kind, InputErrorKind::kBadValue) << bad;
        EXPECT_EQ(t.error().line, 2u) << t.error().to_string();
    }
}

TEST(Import, NegativeDefaultLatencyIsAnError) {
    ImportOptions options;
    options.default_link.latency = -millis(1);
    const auto g = load_topology(kDir + "attrs.graphml", options);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().kind, InputErrorKind::kBadValue);
    const auto d = parse_graphviz("graph { a -- b }", "mem.dot", options);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().kind, InputErrorKind::kBadValue);
}

TEST(Import, ErrorStringsCarryLineAndColumnWhenKnown) {
    EXPECT_EQ((InputError{InputErrorKind::kSyntax, "f.graphml", 3, 7, "m"}).to_string(), "f.graphml:3:7: m");
    EXPECT_EQ((InputError{InputErrorKind::kSyntax, "f.dot", 3, 0, "m"}).to_string(), "f.dot:3: m");
    EXPECT_EQ((InputError{InputErrorKind::kCannotOpen, "f.dot", 0, 0, "m"}).to_string(), "f.dot: m");
}

}  // namespace
}  // namespace cl::sim::net
