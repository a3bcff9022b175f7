// sim/net import: GraphML (Topology Zoo style) and Graphviz DOT, and malformed files.
#include <gtest/gtest.h>

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
    EXPECT_EQ(t.error().line, 6u) << t.error().to_string();  // where `<node id="b"` runs into `<edge`
    EXPECT_NE(t.error().to_string().find("malformed.graphml:6: "), std::string::npos);
}

TEST(Import, MalformedDotNamesFileAndLine) {
    const auto t = load_topology(kDir + "malformed.dot");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().kind, InputErrorKind::kSyntax);
    // The unclosed attribute list on line 4 is detected at the next token, on line 5.
    EXPECT_EQ(t.error().line, 5u) << t.error().to_string();
}

TEST(Import, BadAttributeValueInDotNamesLine) {
    const auto t = load_topology(kDir + "bad_value.dot");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().line, 3u) << t.error().to_string();
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
}

}  // namespace
}  // namespace cl::sim::net
