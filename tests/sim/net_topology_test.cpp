// sim/net generators: sizes, degrees, connectivity, determinism; regions from YAML.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "sim/kernel/random.hpp"
#include "sim/net/generators.hpp"

namespace cl::sim::net {
namespace {

#ifndef CLOUDLEDGER_DATA_DIR
#error "CLOUDLEDGER_DATA_DIR must point at the repository's data/"
#endif

RandomStream stream(std::uint64_t seed = 1) { return RandomStream::derive(seed, 0, "topology"); }

void expect_invariants(const Topology& t) {
    std::size_t halves = 0;
    for (NodeId n = 0; n < t.node_count(); ++n) {
        const auto nb = t.neighbours(n);
        halves += nb.size();
        EXPECT_TRUE(std::is_sorted(nb.begin(), nb.end()));
        EXPECT_EQ(std::adjacent_find(nb.begin(), nb.end()), nb.end()) << "parallel link at " << n;
        for (std::size_t i = 0; i < nb.size(); ++i) {
            EXPECT_NE(nb[i], n) << "self-loop";
            const auto back = t.half_edge(nb[i], n);
            ASSERT_TRUE(back.has_value());
            EXPECT_EQ(t.link(*back), t.link(t.first_half_edge(n) + i));
        }
    }
    EXPECT_EQ(halves, 2 * t.edge_count());
}

bool same_graph(const Topology& a, const Topology& b) {
    if (a.node_count() != b.node_count() || a.edge_count() != b.edge_count()) return false;
    for (NodeId n = 0; n < a.node_count(); ++n) {
        if (!std::ranges::equal(a.neighbours(n), b.neighbours(n))) return false;
    }
    return true;
}

TEST(Topology, FromEdgesDeduplicatesAndKeepsFirstParams) {
    const Edge edges[] = {{0, 1, {millis(5), 0}}, {1, 0, {millis(9), 0}}, {1, 2, {millis(7), 1000}}};
    const Topology t = Topology::from_edges(4, edges);
    expect_invariants(t);
    EXPECT_EQ(t.edge_count(), 2u);
    EXPECT_EQ(t.link(*t.half_edge(1, 0)).latency, millis(5));
    EXPECT_EQ(t.link(*t.half_edge(2, 1)).bandwidth_bps, 1000u);
    EXPECT_FALSE(t.half_edge(0, 2).has_value());
    EXPECT_FALSE(t.is_connected());  // node 3 is isolated
    EXPECT_EQ(t.component_count(), 2u);
    EXPECT_EQ(t.edges().size(), 2u);
}

TEST(Generators, CompleteGraph) {
    const Topology t = complete_graph(12);
    expect_invariants(t);
    EXPECT_EQ(t.edge_count(), 12u * 11 / 2);
    for (NodeId n = 0; n < 12; ++n) EXPECT_EQ(t.degree(n), 11u);
    EXPECT_TRUE(t.is_connected());
}

TEST(Generators, RingGraph) {
    const Topology t = ring_graph(10, {millis(3), 0});
    expect_invariants(t);
    EXPECT_EQ(t.edge_count(), 10u);
    for (NodeId n = 0; n < 10; ++n) EXPECT_EQ(t.degree(n), 2u);
    EXPECT_TRUE(t.is_connected());
    EXPECT_EQ(t.link(*t.half_edge(9, 0)).latency, millis(3));
    EXPECT_EQ(ring_graph(2).edge_count(), 1u);
    EXPECT_EQ(ring_graph(1).edge_count(), 0u);
}

TEST(Generators, RandomRegularHasDegreeDAndIsConnected) {
    for (const auto& [n, d] : {std::pair<std::size_t, std::size_t>{100, 3}, {1000, 8}, {50, 4}}) {
        auto rng = stream();
        const Topology t = random_regular_graph(n, d, rng);
        expect_invariants(t);
        EXPECT_EQ(t.edge_count(), n * d / 2);
        for (NodeId v = 0; v < n; ++v) ASSERT_EQ(t.degree(v), d);
        EXPECT_TRUE(t.is_connected());  // d >= 3 random regular graphs are connected w.h.p.
    }
}

TEST(Generators, RandomRegularIsDeterministicPerSeed) {
    auto a = stream(1), b = stream(1), c = stream(2);
    const Topology ta = random_regular_graph(200, 6, a);
    EXPECT_TRUE(same_graph(ta, random_regular_graph(200, 6, b)));
    EXPECT_FALSE(same_graph(ta, random_regular_graph(200, 6, c)));
}

TEST(Generators, ErdosRenyiEdgeCountNearExpectation) {
    auto rng = stream();
    const std::size_t n = 2000;
    const double p = 0.01;
    const Topology t = erdos_renyi_graph(n, p, rng);
    expect_invariants(t);
    const double expected = p * static_cast<double>(n * (n - 1) / 2);  // 19990
    const double sd = std::sqrt(expected * (1 - p));                   // ≈ 141
    EXPECT_NEAR(static_cast<double>(t.edge_count()), expected, 5 * sd);
    EXPECT_TRUE(t.is_connected());  // p well above ln(n)/n ≈ 0.0038
    auto r2 = stream();
    EXPECT_EQ(erdos_renyi_graph(50, 0.0, r2).edge_count(), 0u);
    EXPECT_EQ(erdos_renyi_graph(50, 1.0, r2).edge_count(), 50u * 49 / 2);
}

TEST(Generators, BarabasiAlbertCountsAndHubs) {
    auto rng = stream();
    const std::size_t n = 3000, m = 3;
    const Topology t = barabasi_albert_graph(n, m, rng);
    expect_invariants(t);
    EXPECT_EQ(t.edge_count(), m * (m + 1) / 2 + (n - m - 1) * m);
    std::size_t min_degree = n, max_degree = 0;
    for (NodeId v = 0; v < n; ++v) {
        min_degree = std::min(min_degree, t.degree(v));
        max_degree = std::max(max_degree, t.degree(v));
    }
    EXPECT_EQ(min_degree, m);
    EXPECT_GT(max_degree, 10 * m);  // preferential attachment grows hubs (~m·sqrt(n))
    EXPECT_TRUE(t.is_connected());
}

TEST(Generators, WattsStrogatzKeepsEdgeCount) {
    auto rng = stream();
    const std::size_t n = 1000, k = 6;
    const Topology lattice = watts_strogatz_graph(n, k, 0.0, rng);
    expect_invariants(lattice);
    EXPECT_EQ(lattice.edge_count(), n * k / 2);
    for (NodeId v = 0; v < n; ++v) EXPECT_EQ(lattice.degree(v), k);
    EXPECT_TRUE(lattice.half_edge(0, 3).has_value());
    EXPECT_FALSE(lattice.half_edge(0, 4).has_value());

    const Topology small_world = watts_strogatz_graph(n, k, 0.1, rng);
    expect_invariants(small_world);
    EXPECT_EQ(small_world.edge_count(), n * k / 2);
    EXPECT_TRUE(small_world.is_connected());
    std::size_t long_links = 0;  // links that are not lattice links
    for (const Edge& e : small_world.edges()) {
        const std::size_t gap = std::min<std::size_t>(e.b - e.a, n - (e.b - e.a));
        if (gap > k / 2) ++long_links;
    }
    EXPECT_GT(long_links, n * k / 2 / 20);  // ≈ 10 % rewired
    EXPECT_LT(long_links, n * k / 2 / 5);
}

const std::string kRegions = std::string(CLOUDLEDGER_DATA_DIR) + "/regions.yaml";

TEST(Regions, LoadsIbmRttAsOneWay) {
    const auto m = load_region_model(kRegions, "ibm_cloud_2024_03");
    ASSERT_TRUE(m.has_value()) << m.error().to_string();
    ASSERT_EQ(m->regions.size(), 10u);
    EXPECT_EQ(m->regions[0], "dallas");
    EXPECT_EQ(m->one_way_latency[0][1], millis(17));   // dallas→toronto RTT 34
    EXPECT_EQ(m->one_way_latency[0][0], micros(750));  // intra-region RTT 1.5 / 2
    EXPECT_TRUE(m->upload_bps.empty());
}

TEST(Regions, LoadsSimblockOneWayWithBandwidthAndShares) {
    const auto m = load_region_model(kRegions, "simblock_2019");
    ASSERT_TRUE(m.has_value()) << m.error().to_string();
    ASSERT_EQ(m->regions.size(), 6u);
    EXPECT_EQ(m->one_way_latency[1][0], millis(124));
    EXPECT_EQ(m->one_way_latency[0][0], millis(32));
    EXPECT_EQ(m->upload_bps[0], 19'200'000u);
    EXPECT_EQ(m->node_share.size(), 6u);
}

TEST(Regions, MissingDatasetAndBadFilesAreErrors) {
    const auto missing = load_region_model(kRegions, "nope");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, InputErrorKind::kMissingField);
    const auto no_file = load_region_model("/nonexistent/regions.yaml", "x");
    ASSERT_FALSE(no_file.has_value());
    EXPECT_EQ(no_file.error().kind, InputErrorKind::kCannotOpen);

    const std::string path = ::testing::TempDir() + "bad_regions.yaml";
    std::ofstream(path) << "ds:\n  regions: [a, b]\n  latency_ms:\n    a: [1, 2]\n    b: [3, x]\n";
    const auto bad = load_region_model(path, "ds");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().kind, InputErrorKind::kBadValue);
    EXPECT_EQ(bad.error().line, 5u) << bad.error().to_string();

    std::ofstream(path) << "ds:\n  regions: [a, b\n  latency_ms: {}\n";
    const auto syntax = load_region_model(path, "ds");
    ASSERT_FALSE(syntax.has_value());
    EXPECT_EQ(syntax.error().kind, InputErrorKind::kSyntax);
    EXPECT_GT(syntax.error().line, 0u) << syntax.error().to_string();
}

TEST(Regions, GraphUsesMatrixLatencyAndDialsDPeers) {
    const auto m = load_region_model(kRegions, "simblock_2019");
    ASSERT_TRUE(m.has_value());
    auto rng = stream();
    const std::size_t n = 500, d = 8;
    const Topology t = regions_graph(n, d, *m, rng);
    expect_invariants(t);
    EXPECT_TRUE(t.is_connected());
    EXPECT_GE(t.edge_count(), n * d / 2);
    EXPECT_LE(t.edge_count(), n * d);
    ASSERT_EQ(t.node_regions().size(), n);
    ASSERT_EQ(t.node_upload_bps().size(), n);
    for (NodeId v = 0; v < n; ++v) {
        EXPECT_GE(t.degree(v), d);
        EXPECT_EQ(t.node_upload_bps()[v], m->upload_bps[t.node_regions()[v]]);
        for (std::size_t i = 0; i < t.degree(v); ++i) {
            const NodeId u = t.neighbours(v)[i];
            EXPECT_EQ(t.link(t.first_half_edge(v) + i).latency,
                      m->one_way_latency[t.node_regions()[v]][t.node_regions()[u]]);
        }
    }
    // Shares: Europe (0.50) holds far more nodes than South America (0.009).
    const auto count = [&](std::uint16_t r) { return std::ranges::count(t.node_regions(), r); };
    EXPECT_GT(count(1), 150);
    EXPECT_LT(count(2), 30);
}

// The one regions builder (issue 10): the first nodes in the regions given (a world's
// validators), the others drawn by the weights; no uploads in this form.
TEST(Regions, PlacedNodesKeepTheirRegionsAndTheOthersFollowTheWeights) {
    const auto m = load_region_model(kRegions, "simblock_2019");
    ASSERT_TRUE(m.has_value());
    auto rng = stream();
    const std::vector<std::uint16_t> placed{5, 5, 0};
    std::vector<double> weights(m->regions.size(), 0.0);
    weights[2] = 1;
    const Topology t = regions_graph(40, 4, *m, placed, weights, rng);
    expect_invariants(t);
    ASSERT_EQ(t.node_regions().size(), 40u);
    EXPECT_EQ(t.node_regions()[0], 5u);
    EXPECT_EQ(t.node_regions()[1], 5u);
    EXPECT_EQ(t.node_regions()[2], 0u);
    for (NodeId v = 3; v < 40; ++v) EXPECT_EQ(t.node_regions()[v], 2u);
    for (NodeId v = 0; v < 40; ++v) EXPECT_GE(t.degree(v), 4u);
    EXPECT_TRUE(t.node_upload_bps().empty());
    // Deterministic for a given stream.
    auto again = stream();
    const Topology u = regions_graph(40, 4, *m, placed, weights, again);
    EXPECT_EQ(u.edge_count(), t.edge_count());
    for (NodeId v = 0; v < 40; ++v) {
        ASSERT_EQ(u.degree(v), t.degree(v));
        for (std::size_t i = 0; i < t.degree(v); ++i) EXPECT_EQ(u.neighbours(v)[i], t.neighbours(v)[i]);
    }
}

// ---------------------------------------------------------------------------------------
// make_topology: user parameters are checked and rejected as values.

// One TopologyKind for sim/net and scenarios: `file` is a kind, loaded, not generated.
TEST(Generators, FileKindIsLoadedNotGenerated) {
    TopologySpec s;
    s.kind = TopologyKind::kFile;
    s.nodes = 5;
    const auto ok = validate(s);
    ASSERT_FALSE(ok.has_value());
    EXPECT_EQ(ok.error().code, ConfigErrorCode::kNotGenerated);
    EXPECT_EQ(ok.error().field, "kind");
    auto rng = stream();
    EXPECT_FALSE(make_topology(s, rng).has_value());
    EXPECT_STREQ(to_string(TopologyKind::kFile), "file");
    EXPECT_STREQ(to_string(TopologyKind::kRegions), "regions");
    EXPECT_STREQ(to_string(TopologyKind::kRandomRegular), "random_regular");
}

TopologySpec spec(TopologyKind kind, std::size_t nodes, std::size_t degree = 0, double probability = 0) {
    TopologySpec s;
    s.kind = kind;
    s.nodes = nodes;
    s.degree = degree;
    s.probability = probability;
    return s;
}

TEST(MakeTopology, RejectsEveryBadParameter) {
    RegionModel empty;
    TopologySpec negative_latency = spec(TopologyKind::kComplete, 5);
    negative_latency.link.latency = -millis(1);
    TopologySpec regions_without_model = spec(TopologyKind::kRegions, 5, 2);
    TopologySpec regions_empty_model = spec(TopologyKind::kRegions, 5, 2);
    regions_empty_model.regions = &empty;
    struct Case {
        const char* what;
        TopologySpec spec;
        ConfigErrorCode code;
        const char* field;
    };
    const Case cases[] = {
        {"d >= n", spec(TopologyKind::kRandomRegular, 8, 8), ConfigErrorCode::kDegreeOutOfRange, "degree"},
        {"n·d odd", spec(TopologyKind::kRandomRegular, 9, 3), ConfigErrorCode::kOddStubCount, "degree"},
        {"p < 0", spec(TopologyKind::kErdosRenyi, 10, 0, -0.5), ConfigErrorCode::kProbabilityOutOfRange,
         "probability"},
        {"p > 1", spec(TopologyKind::kErdosRenyi, 10, 0, 1.01), ConfigErrorCode::kProbabilityOutOfRange,
         "probability"},
        {"p NaN", spec(TopologyKind::kErdosRenyi, 10, 0, std::nan("")),
         ConfigErrorCode::kProbabilityOutOfRange, "probability"},
        {"m = 0", spec(TopologyKind::kBarabasiAlbert, 10, 0), ConfigErrorCode::kDegreeOutOfRange, "degree"},
        {"m >= n", spec(TopologyKind::kBarabasiAlbert, 10, 10), ConfigErrorCode::kDegreeOutOfRange, "degree"},
        {"k odd", spec(TopologyKind::kWattsStrogatz, 10, 3, 0.1), ConfigErrorCode::kOddLatticeDegree,
         "degree"},
        {"k >= n", spec(TopologyKind::kWattsStrogatz, 10, 10, 0.1), ConfigErrorCode::kDegreeOutOfRange,
         "degree"},
        {"beta > 1", spec(TopologyKind::kWattsStrogatz, 10, 4, 2.0), ConfigErrorCode::kProbabilityOutOfRange,
         "probability"},
        {"too many nodes", spec(TopologyKind::kRing, std::size_t{1} << 31), ConfigErrorCode::kTooManyNodes,
         "nodes"},
        {"negative link latency", negative_latency, ConfigErrorCode::kNegativeDuration, "link.latency"},
        {"regions without a model", regions_without_model, ConfigErrorCode::kBadRegionModel, "regions"},
        {"regions with an empty model", regions_empty_model, ConfigErrorCode::kBadRegionModel,
         "regions.regions"},
        {"regions with no node", spec(TopologyKind::kRegions, 0, 2), ConfigErrorCode::kTooManyNodes, "nodes"},
    };
    for (const Case& c : cases) {
        auto rng = stream();
        const auto t = make_topology(c.spec, rng);
        ASSERT_FALSE(t.has_value()) << c.what;
        EXPECT_EQ(t.error().code, c.code) << c.what << ": " << t.error().to_string();
        EXPECT_EQ(t.error().field, c.field) << c.what << ": " << t.error().to_string();
    }
}

TEST(MakeTopology, BuildsWhatTheGeneratorsBuild) {
    auto a = stream(), b = stream();
    const auto t = make_topology(spec(TopologyKind::kRandomRegular, 100, 4), a);
    ASSERT_TRUE(t.has_value()) << t.error().to_string();
    EXPECT_TRUE(same_graph(*t, random_regular_graph(100, 4, b)));
    auto c = stream();
    EXPECT_EQ(make_topology(spec(TopologyKind::kWattsStrogatz, 50, 4, 0.2), c)->edge_count(), 100u);
    EXPECT_EQ(make_topology(spec(TopologyKind::kRandomRegular, 0, 0), c)->node_count(), 0u);
}

TEST(MakeTopology, RegionModelsAreChecked) {
    RegionModel m;
    m.regions = {"a", "b"};
    m.one_way_latency = {{millis(1), millis(2)}, {millis(2), millis(1)}};
    EXPECT_TRUE(validate(m));
    struct Case {
        const char* what;
        void (*change)(RegionModel&);
        const char* field;
    };
    const Case cases[] = {
        {"missing row", [](RegionModel& r) { r.one_way_latency.pop_back(); }, "regions.one_way_latency"},
        {"short row", [](RegionModel& r) { r.one_way_latency[1].pop_back(); }, "regions.one_way_latency[1]"},
        {"negative latency", [](RegionModel& r) { r.one_way_latency[0][1] = -nanos(1); },
         "regions.one_way_latency[0][1]"},
        {"upload list size", [](RegionModel& r) { r.upload_bps = {1}; }, "regions.upload_bps"},
        {"zero upload",
         [](RegionModel& r) {
             r.upload_bps = {1000, 0};
         },
         "regions.upload_bps[1]"},
        {"share list size",
         [](RegionModel& r) {
             r.node_share = {1, 1, 1};
         },
         "regions.node_share"},
        {"all shares 0",
         [](RegionModel& r) {
             r.node_share = {0, 0};
         },
         "regions.node_share"},
        {"negative share",
         [](RegionModel& r) {
             r.node_share = {1, -1};
         },
         "regions.node_share"},
    };
    for (const Case& c : cases) {
        RegionModel bad = m;
        c.change(bad);
        const auto v = validate(bad);
        ASSERT_FALSE(v.has_value()) << c.what;
        EXPECT_EQ(v.error().code, ConfigErrorCode::kBadRegionModel) << c.what;
        EXPECT_EQ(v.error().field, c.field) << c.what << ": " << v.error().to_string();
        TopologySpec s = spec(TopologyKind::kRegions, 10, 3);
        s.regions = &bad;
        auto rng = stream();
        EXPECT_FALSE(make_topology(s, rng).has_value()) << c.what;
    }
}

// Dense random regular graphs used to hang: the pairing almost never completes when
// most pairs are already linked (n = 80, d = 75 ran for minutes). They are now the
// complement of a sparse one.
TEST(Generators, DenseRandomRegularFinishes) {
    for (const auto& [n, d] : {std::pair<std::size_t, std::size_t>{80, 75},
                               {100, 98},
                               {101, 100},
                               {64, 33},
                               {200, 150},
                               {9, 8},
                               {10, 5}}) {
        auto rng = stream();
        const Topology t = random_regular_graph(n, d, rng);
        expect_invariants(t);
        EXPECT_EQ(t.edge_count(), n * d / 2) << n << " " << d;
        for (NodeId v = 0; v < n; ++v) ASSERT_EQ(t.degree(v), d) << n << " " << d;
        auto again = stream();
        EXPECT_TRUE(same_graph(t, random_regular_graph(n, d, again)));
    }
}

// A tiny p used to compute log(1 - p) == 0 and convert an infinite skip to int64
// (undefined behaviour; in practice garbage edges). With log1p and the bound, the
// expected ~p·n²/2 edges come out.
TEST(Generators, ErdosRenyiWithTinyProbability) {
    auto rng = stream();
    EXPECT_EQ(erdos_renyi_graph(1000, 1e-300, rng).edge_count(), 0u);
    EXPECT_EQ(erdos_renyi_graph(1000, 1e-20, rng).edge_count(), 0u);
    const Topology t = erdos_renyi_graph(20000, 1e-7, rng);  // expected 20 edges
    expect_invariants(t);
    EXPECT_LT(t.edge_count(), 60u);
}

TEST(Regions, YamlErrorsHaveAColumnAndUploadMustBePositive) {
    const std::string path = ::testing::TempDir() + "bad_regions_upload.yaml";
    std::ofstream(path) << "ds:\n  regions: [a, b]\n  latency_ms:\n    a: [1, 2]\n    b: [3, 4]\n"
                           "  upload_mbit_s: [10, 0]\n";
    const auto bad = load_region_model(path, "ds");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().kind, InputErrorKind::kBadValue);
    EXPECT_EQ(bad.error().line, 6u) << bad.error().to_string();
    EXPECT_EQ(bad.error().column, 23u) << bad.error().to_string();
    std::ofstream(path) << "ds:\n  regions: [a, b]\n  latency_ms:\n    a: [1, 2]\n    b: [3, x]\n";
    const auto bad_value = load_region_model(path, "ds");
    ASSERT_FALSE(bad_value.has_value());
    EXPECT_EQ(bad_value.error().line, 5u);
    EXPECT_EQ(bad_value.error().column, 12u) << bad_value.error().to_string();
}

}  // namespace
}  // namespace cl::sim::net
