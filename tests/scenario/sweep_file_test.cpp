// The sweep file (sim/scenario/sweep_file.hpp; docs/experiments.md "The sweep file"): the
// points it makes and the overrides of each, and errors placed in the sweep file.
#include "sim/scenario/sweep_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cl::sim::scenario {
namespace {

std::vector<std::string> overrides(const SweepPointSpec& p) {
    std::vector<std::string> out;
    for (const auto& o : p.overrides) out.push_back(o.path + "=" + o.value);
    return out;
}

TEST(SweepFile, GridIsCartesianFirstKeySlowestThenExplicitPoints) {
    const auto s = load_sweep(
        "sweep: t\n"
        "scenario: default\n"
        "replications: 2\n"
        "seed: 9\n"
        "grid:\n"
        "  duration: [1h, 2h]\n"
        "  pool.default_quota: [200, 250, 300]\n"
        "points:\n"
        "  - {consensus.fork_choice: eip225, network.loss: 1%}\n",
        "t.yaml");
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    ASSERT_EQ(s->points.size(), 7U);
    EXPECT_EQ(s->run_count(), 14U);
    EXPECT_EQ(overrides(s->points[0]), (std::vector<std::string>{"duration=1h", "pool.default_quota=200",
                                                                 "seed=9", "replications=2"}));
    EXPECT_EQ(overrides(s->points[1]).at(1), "pool.default_quota=250");
    EXPECT_EQ(overrides(s->points[3]).at(0), "duration=2h");
    EXPECT_EQ(overrides(s->points[6]),
              (std::vector<std::string>{"consensus.fork_choice=eip225", "network.loss=1%", "seed=9",
                                        "replications=2"}));
    EXPECT_EQ(s->points[6].swept, 2U);
    EXPECT_EQ(s->parameters, (std::vector<std::string>{"duration", "pool.default_quota",
                                                       "consensus.fork_choice", "network.loss"}));
    EXPECT_EQ(s->seed, 9U);
    EXPECT_EQ(s->replications, 2U);
    // Each point's scenario is the base with its overrides.
    EXPECT_EQ(s->points[3].scenario.duration, hours(2));
    EXPECT_EQ(s->points[0].scenario.seed, 9U);
}

TEST(SweepFile, NoGridNoPointsIsOnePointOfTheBaseScenarioWithItsOwnSeed) {
    const auto s = load_sweep("sweep: base\nscenario: default\n", "b.yaml");
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    ASSERT_EQ(s->points.size(), 1U);
    EXPECT_TRUE(s->points[0].overrides.empty());
    EXPECT_EQ(s->seed, s->points[0].scenario.seed);
    EXPECT_TRUE(s->parameters.empty());
}

TEST(SweepFile, OverrideErrorsArePlacedAtTheValueInTheSweepFile) {
    const auto s = load_sweep(
        "sweep: t\n"
        "scenario: default\n"
        "grid:\n"
        "  network.full_nodes: [10, lots]\n"
        "  pool.defualt_quota: [1]\n",
        "t.yaml");
    ASSERT_FALSE(s.has_value());
    std::vector<std::string> lines;
    for (const auto& e : s.error()) lines.push_back(e.to_string());
    ASSERT_EQ(lines.size(), 2U) << lines.front();
    // Reported once although the value is in one point and the key in two.
    EXPECT_EQ(lines[0].substr(0, 15), "t.yaml:4:28: ne");
    EXPECT_EQ(lines[1].substr(0, 12), "t.yaml:5:8: ");
}

TEST(SweepFile, AQuotedValueStaysAString) {
    const auto s = load_sweep(
        "sweep: t\n"
        "scenario: default\n"
        "points:\n"
        "  - {name: \"a: b\"}\n",
        "t.yaml");
    // `--set name=a: b` would be a mapping; the override re-quotes it, so it is the string.
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    EXPECT_EQ(s->points[0].overrides[0].value, "\"a: b\"");
    EXPECT_EQ(s->points[0].scenario.name, "a: b");
}

TEST(SweepFile, SweepingSeedOrReplicationsIsRefused) {
    const auto s = load_sweep("sweep: t\nscenario: default\ngrid:\n  replications: [1, 2]\n", "t.yaml");
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().front().line, 4U);
    EXPECT_EQ(s.error().front().key, "grid.replications");
}

}  // namespace
}  // namespace cl::sim::scenario
