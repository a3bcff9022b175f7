// sim/world from_scenario: scenario faults resolved against the built topology — partial
// link loss simulated, selectors by region name, and what only the built world shows
// (empty or overlapping groups, selectors that match nothing, unlinked link_loss ends)
// reported as values naming key, line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::sim::world {
namespace {

const std::string kData = std::string(CLOUDLEDGER_SOURCE_DIR) + "/tests/data/scenarios/";

scenario::Scenario load(const std::string& file, const std::vector<scenario::Override>& sets = {}) {
    auto s = scenario::load_scenario_file(kData + file, sets);
    EXPECT_TRUE(s.has_value()) << file;
    return s ? *s : scenario::Scenario{};
}

TEST(FromScenario, EveryFaultKindOfTheExampleIsSimulated) {
    const scenario::Scenario s = load("good/faults.yaml");
    ASSERT_TRUE(check_world(s).has_value());
    const auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().key << ": " << c.error().message;
    // Crashes: validator:ovh (node 0) with a restart, full:3 (node 7) for good.
    ASSERT_EQ(c->crashes.size(), 2u);
    EXPECT_EQ(c->crashes[0].node, 0u);
    EXPECT_TRUE(c->crashes[0].restart_at.has_value());
    EXPECT_EQ(c->crashes[1].node, 7u);
    // The partition: region:sydney is catalyst (node 3) only — a random_regular topology
    // places full nodes in no region — plus full:0-4; then otc and node 10.
    ASSERT_EQ(c->partitions.size(), 1u);
    EXPECT_EQ(c->partitions[0].name, "faults[2]");
    EXPECT_EQ(c->partitions[0].groups, (std::vector<std::vector<net::NodeId>>{{3, 4, 5, 6, 7, 8}, {1, 10}}));
    // 25 % loss on every link between vexxhost (node 2) and a full node, each link once.
    EXPECT_TRUE(c->link_failures.empty());
    ASSERT_FALSE(c->link_losses.empty());
    std::size_t full_neighbours = 0;
    for (net::NodeId p : c->topology.neighbours(2)) full_neighbours += p >= 4 ? 1 : 0;
    EXPECT_EQ(c->link_losses.size(), full_neighbours);
    for (const LinkLoss& l : c->link_losses) {
        EXPECT_EQ(l.a, 2u);
        EXPECT_GE(l.b, 4u);
        EXPECT_EQ(l.probability, 0.25);
        EXPECT_EQ(l.from, Time::at(hours(1)));
        EXPECT_EQ(l.to, Time::at(hours(2)));
    }
    EXPECT_TRUE(World::validate(*c).has_value());
}

TEST(FromScenario, LinkLossOfOneIsALinkFailureAndBothWaysRoundCountOnce) {
    const scenario::Scenario s =
        load("good/faults.yaml",
             {{"faults[3]", "{kind: link_loss, between: [\"full:*\", \"full:*\"], loss: 1, from: 1h}"}});
    const auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_TRUE(c->link_losses.empty());
    std::size_t full_links = 0;
    for (net::NodeId a = 4; a < c->topology.node_count(); ++a) {
        for (net::NodeId b : c->topology.neighbours(a)) full_links += b > a ? 1 : 0;
    }
    EXPECT_EQ(c->link_failures.size(), full_links);
}

TEST(FromScenario, RegionSelectorsUseTheTopologysRegionNames) {
    // A random_regular topology has no geography: region:NAME picks the validators of
    // clouds in NAME and no full node (the dataset's first region included).
    scenario::Scenario s = load("good/faults.yaml");
    const std::string first = s.network.regions.names.at(0);
    s = load("good/faults.yaml", {{"clouds[0].region", first},
                                  {"faults", "[{kind: crash, node: \"region:" + first + "\", at: 1min}]"}});
    const auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().message;
    ASSERT_EQ(c->crashes.size(), 1u);
    EXPECT_EQ(c->crashes[0].node, 0u);
}

struct BadWorld {
    const char* file;
    const char* key;
    std::size_t line;
    const char* message_start;
};

TEST(FromScenario, WhatOnlyTheBuiltWorldShowsIsAnErrorNamingKeyAndLine) {
    const BadWorld cases[] = {
        {"partition_group_selects_no_node.yaml", "faults[0].groups[1]", 12,
         "the group is empty: 'region:sydney' matches no node"},
        {"partition_groups_overlap_after_placement.yaml", "faults[0].groups[1][0]", 11,
         "'full:0-29' selects full:"},
        {"crash_selects_no_node.yaml", "faults[0].node", 11, "'region:tokyo' matches no node"},
        {"link_loss_no_link.yaml", "faults[0].between", 12,
         "no link joins a node of 'validator:ovh' to one of 'validator:vexxhost'"},
    };
    for (const BadWorld& b : cases) {
        const scenario::Scenario s = load(std::string("bad/") + b.file);
        const auto checked = check_world(s);
        ASSERT_FALSE(checked.has_value()) << b.file;
        EXPECT_EQ(checked.error().key, b.key) << b.file;
        EXPECT_EQ(checked.error().pos.line, b.line) << b.file;
        EXPECT_FALSE(checked.error().pos.from_set);
        EXPECT_TRUE(checked.error().message.starts_with(b.message_start))
            << b.file << ": " << checked.error().message;
        const std::string shown = to_scenario_error(s, checked.error()).to_string();
        EXPECT_TRUE(shown.starts_with(kData + "bad/" + b.file + ":" + std::to_string(b.line) + ":")) << shown;
    }
}

TEST(FromScenario, ErrorsInOverridesNameTheOverride) {
    const scenario::Scenario s =
        load("bad/crash_selects_no_node.yaml", {{"duration", "2h"}, {"faults[0].node", "region:sydney"}});
    const auto checked = check_world(s);
    ASSERT_FALSE(checked.has_value());
    EXPECT_TRUE(checked.error().pos.from_set);
    EXPECT_EQ(checked.error().pos.line, 2u) << "the second --set";
    EXPECT_TRUE(to_scenario_error(s, checked.error()).to_string().starts_with("--set:2:"))
        << checked.error().message;
}

TEST(FromScenario, EveryReplicationIsChecked) {
    const scenario::Scenario s =
        load("bad/partition_groups_overlap_after_placement.yaml", {{"replications", "3"}});
    const auto checked = check_world(s);
    ASSERT_FALSE(checked.has_value());
    EXPECT_TRUE(checked.error().message.ends_with("(replication 0)")) << checked.error().message;
}

// `--set workload.users.arrival_rate=0` (a bare 0, which the docs allow) is a world
// without users: it checks and runs, and its validators still seal blocks.
TEST(FromScenario, AZeroArrivalRateIsAWorldWithoutUsers) {
    for (const char* rate : {"0", "0/h"}) {
        const auto s = scenario::load_default_scenario(
            {{"workload.users.arrival_rate", rate}, {"duration", "3min"}, {"network.full_nodes", "12"}});
        ASSERT_TRUE(s.has_value()) << rate;
        const auto checked = check_world(*s);
        ASSERT_TRUE(checked.has_value()) << to_scenario_error(*s, checked.error()).to_string();
        auto config = world_config(*s, 0);
        ASSERT_TRUE(config.has_value()) << config.error().message;
        const WorldResults r = World(std::move(*config)).run();
        EXPECT_GT(r.blocks.size(), 8u) << rate;
        EXPECT_TRUE(r.requests.empty());
    }
}

// The workload's stamp and renewal keys reach the world.
TEST(FromScenario, HashRateAndRenewalsReachTheWorld) {
    const auto s = scenario::load_default_scenario({{"workload.users.hash_rate", "250000/s"},
                                                    {"workload.users.renew_probability", "0.25"},
                                                    {"workload.users.renew_margin", "2h"}});
    ASSERT_TRUE(s.has_value());
    const auto c = world_config(*s, 0);
    ASSERT_TRUE(c.has_value());
    EXPECT_DOUBLE_EQ(c->users.hash_rate, 250000.0);
    EXPECT_EQ(c->users.renew_probability, 0.25);
    EXPECT_EQ(c->users.renew_margin, hours(2));
}

}  // namespace
}  // namespace cl::sim::world
