// sim/world from_scenario: scenario faults resolved against the built topology — partial
// link loss simulated, selectors by region name, and what only the built world shows
// (empty or overlapping groups, selectors that match nothing, unlinked link_loss ends)
// reported as values naming key, line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

#include "sim/net/generators.hpp"
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
    EXPECT_TRUE(World::check(*c).has_value());
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

// docs/scenarios.md: links of a file that give no latency get network.link_latency, and
// network.link_bandwidth caps every link (tests/data/net/order.dot).
TEST(FromScenario, FileTopologyLinksTakeTheScenarioLatencyAndBandwidthCap) {
    const scenario::Scenario s = load("good/dot_topology.yaml");
    const auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().key << ": " << c.error().message;
    const net::Topology& t = c->topology;
    ASSERT_EQ(t.node_count(), 5u);
    const auto link = [&](net::NodeId a, net::NodeId b) { return t.link(t.half_edge(a, b).value()); };
    EXPECT_EQ(link(0, 1).latency, millis(5));             // zurich -- amsterdam: the file's
    EXPECT_EQ(link(0, 1).bandwidth_bps, 1'000'000'000u);  // 10 Gbit/s in the file, capped
    EXPECT_EQ(link(3, 4).latency, millis(2));             // berlin -- cairo
    EXPECT_EQ(link(3, 4).bandwidth_bps, 100'000'000u);    // below the cap: kept
    EXPECT_EQ(link(4, 0).latency, millis(13));            // cairo -- zurich: none in the file
    EXPECT_EQ(link(4, 0).bandwidth_bps, 1'000'000'000u);
    EXPECT_EQ(link(2, 3).latency, millis(13));  // New York -- berlin
    EXPECT_TRUE(World::check(*c).has_value());
}

// The first C nodes the DOT file mentions run the validators, and node:N counts in the
// same order; the node table names them as the file does.
TEST(FromScenario, DotTopologyNodesAreNumberedInFileOrderAndNamed) {
    const scenario::Scenario s =
        load("good/dot_topology.yaml", {{"faults", "[{kind: crash, node: \"node:2\", at: 1min}]"}});
    const auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().key << ": " << c.error().message;
    ASSERT_EQ(c->nodes.size(), 5u);
    EXPECT_EQ(c->nodes[0], (NodeInfo{"zurich", "london", 0}));
    EXPECT_EQ(c->nodes[1], (NodeInfo{"amsterdam", "frankfurt", 1}));
    EXPECT_EQ(c->nodes[2], (NodeInfo{"New York", "", std::nullopt}));
    EXPECT_EQ(c->nodes[3].name, "berlin");
    EXPECT_EQ(c->nodes[4].name, "cairo");
    ASSERT_EQ(c->crashes.size(), 1u);
    EXPECT_EQ(c->crashes[0].node, 2u);
}

TEST(FromScenario, TheRunHandsTheNodeTableOn) {
    const scenario::Scenario s = load("good/dot_topology.yaml", {{"duration", "1min"}});
    auto c = world_config(s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().message;
    const std::vector<NodeInfo> nodes = c->nodes;
    auto world = World::create(std::move(*c));
    ASSERT_TRUE(world.has_value()) << world.error();
    EXPECT_EQ(world->run().nodes, nodes);
}

TEST(FromScenario, GeneratedTopologiesGetGeneratedNodeNamesAndRegions) {
    // regions: full nodes are where the topology placed them, in a region of the dataset.
    const scenario::Scenario r = load("good/minimal.yaml", {{"network.full_nodes", "4"}});
    const auto rc = world_config(r, 0);
    ASSERT_TRUE(rc.has_value()) << rc.error().message;
    ASSERT_EQ(rc->nodes.size(), r.node_count());
    EXPECT_EQ(rc->nodes[0].name, "validator:" + r.clouds[0].name);
    EXPECT_EQ(rc->nodes[0].region, r.clouds[0].region);
    EXPECT_EQ(rc->nodes[0].cloud, std::optional<std::size_t>(0));
    const std::size_t first_full = r.clouds.size();
    EXPECT_EQ(rc->nodes[first_full].name, "full:0");
    EXPECT_EQ(rc->nodes[first_full].cloud, std::nullopt);
    const auto& names = r.network.regions.names;
    for (std::size_t n = first_full; n < rc->nodes.size(); ++n) {
        EXPECT_NE(std::find(names.begin(), names.end(), rc->nodes[n].region), names.end()) << n;
    }
    // random_regular: no geography, full nodes are in no region.
    const scenario::Scenario g = load("good/faults.yaml");
    const auto gc = world_config(g, 0);
    ASSERT_TRUE(gc.has_value()) << gc.error().message;
    EXPECT_EQ(gc->nodes[7], (NodeInfo{"full:3", "", std::nullopt}));
    EXPECT_EQ(gc->nodes[3].region, g.clouds[3].region);
}

// docs/scenarios.md "Clients": a validator's rule is its cloud's client or fork_choice,
// else that of the consensus.clients entry selecting it, else consensus.fork_choice.
TEST(FromScenario, EachNodesForkChoiceFollowsItsCloudThenClientsThenTheDefault) {
    using clique::ForkChoiceRule;
    constexpr auto k3436 = ForkChoiceRule::kEip3436, kGeth = ForkChoiceRule::kEip225Geth,
                   kFirst = ForkChoiceRule::kTdFirstSeen;
    // Nodes: ovh (besu), otc (geth), vexxhost (region:toronto → nethermind), then full:0-11.
    const std::vector<ForkChoiceRule> expected{k3436, kGeth, kFirst, kFirst, kFirst, kFirst, kFirst, k3436,
                                               k3436, k3436, k3436,  k3436,  k3436,  kFirst, kGeth};
    const auto c = world_config(load("good/clients.yaml"), 0);
    ASSERT_TRUE(c.has_value()) << c.error().key << ": " << c.error().message;
    EXPECT_EQ(c->fork_choices, expected);
    EXPECT_TRUE(World::check(*c).has_value());
    // The global rule is the default only: the others stay.
    const auto td = world_config(load("good/clients.yaml", {{"consensus.fork_choice", "td-first-seen"}}), 0);
    ASSERT_TRUE(td.has_value());
    for (std::size_t n = 0; n < expected.size(); ++n)
        EXPECT_EQ(td->fork_choices[n], expected[n] == k3436 && n >= 3 ? kFirst : expected[n]) << "node " << n;
    // A cloud's own client wins over an entry that selects its validator.
    const auto own = world_config(load("good/clients.yaml", {{"clouds[2].client", "geth"}}), 0);
    ASSERT_TRUE(own.has_value());
    EXPECT_EQ(own->fork_choices[2], kGeth);
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
        {"clients_overlap_after_placement.yaml", "consensus.clients[1].nodes", 12,
         "'full:0-29' selects full:"},
        {"clients_select_no_node.yaml", "consensus.clients[0].nodes", 11, "'region:tokyo' matches no node"},
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
        ASSERT_EQ(checked->size(), 1u);
        const WorldResults r = World(std::move(checked->front())).run();
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

// The scenario holds the engines' own config types; the world gets them as written, the
// sealer's cap lowered to the pool rule's: min(txpool 80, pool 50) = 50.
TEST(FromScenario, EngineConfigsReachTheWorldAsWritten) {
    const auto s = scenario::load_default_scenario({{"txpool.max_txs_per_block", "80"},
                                                    {"pool.max_txs_per_block", "50"},
                                                    {"txpool.burst", "2"},
                                                    {"consensus.period", "5s"},
                                                    {"cpu.verify_tx", "7us"},
                                                    {"workload.users.redeem_delay", "3min"},
                                                    {"workload.clouds.confirmations", "2"}});
    ASSERT_TRUE(s.has_value());
    const auto c = world_config(*s, 0);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->txpool.max_txs_per_block, std::optional<std::size_t>(50));
    EXPECT_EQ(c->pool.max_txs_per_block, std::optional<std::uint64_t>(50));
    ASSERT_TRUE(c->txpool.rate_limit.has_value());
    EXPECT_EQ(c->txpool.rate_limit->burst, 2u);
    EXPECT_EQ(c->clique.period, 5u);
    EXPECT_EQ(c->cpu.admit_tx, micros(7));
    EXPECT_EQ(c->users.redeem_delay_mean, minutes(3));
    EXPECT_EQ(c->cloud_behaviour.confirmations, 2u);
    // Only txpool.max_txs_per_block: the cap as written.
    const auto t = scenario::load_default_scenario({{"txpool.max_txs_per_block", "80"}});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(world_config(*t, 0)->txpool.max_txs_per_block, std::optional<std::size_t>(80));
}

// One set of defaults: a scenario that writes no workload or CPU keys gets the world's
// own defaults (sim/world/config.hpp), and the TTL's max_renewals is the ledger's.
TEST(FromScenario, DefaultsAreTheWorldsAndTheLedgers) {
    const auto s = scenario::load_scenario(
        "clouds: [{name: a, region: london}, {name: b, region: tokyo}]\nnetwork: {full_nodes: 10}\n",
        "d.yaml");
    ASSERT_TRUE(s.has_value());
    const auto c = world_config(*s, 0);
    ASSERT_TRUE(c.has_value());
    const UserWorkload u;
    EXPECT_EQ(c->users.transfer_probability, u.transfer_probability);
    EXPECT_EQ(c->users.redeem_probability, u.redeem_probability);
    EXPECT_EQ(c->users.redeem_delay_mean, u.redeem_delay_mean);
    EXPECT_EQ(c->users.rerequest_probability, u.rerequest_probability);
    EXPECT_EQ(c->users.max_attempts, u.max_attempts);
    EXPECT_DOUBLE_EQ(c->users.requests_per_second, u.requests_per_second);
    EXPECT_EQ(c->cpu.admit_tx, CpuCosts{}.admit_tx);
    EXPECT_EQ(c->cpu.verify_header, CpuCosts{}.verify_header);
    EXPECT_EQ(c->pool.ttl.max_renewals, state::TtlConfig{}.max_renewals);
    EXPECT_EQ(c->cloud_behaviour.screening_delay, CloudWorkload{}.screening_delay);
    // The values users of scenarios always got (docs/scenarios.md "Reference").
    EXPECT_EQ(u.transfer_probability, 0.05);
    EXPECT_EQ(u.redeem_probability, 0.9);
    EXPECT_EQ(u.redeem_delay_mean, minutes(30));
    EXPECT_EQ(u.max_attempts, 3u);
    EXPECT_EQ(CpuCosts{}.admit_tx, micros(40));
    EXPECT_EQ(state::TtlConfig{}.max_renewals, 1u);
}

// One regions builder (issue 10): a scenario's `regions` topology is net::regions_graph
// with the validators placed in their clouds' regions and full nodes by the dataset's
// shares, drawn from the replication's "topology" stream.
TEST(FromScenario, RegionsTopologyIsTheNetBuilderWithValidatorsPlaced) {
    const auto s = scenario::load_default_scenario({{"network.full_nodes", "30"}});
    ASSERT_TRUE(s.has_value());
    const auto c = world_config(*s, 1);
    ASSERT_TRUE(c.has_value());
    const auto model =
        net::load_region_model_text(scenario::embedded_regions_text(), "regions", s->network.regions.dataset);
    ASSERT_TRUE(model.has_value());
    std::vector<std::uint16_t> placed;
    for (const auto& cloud : s->clouds) {
        const auto it = std::find(model->regions.begin(), model->regions.end(), cloud.region);
        placed.push_back(static_cast<std::uint16_t>(it - model->regions.begin()));
    }
    RandomStream rng = RandomStreams(s->seed, 1).stream("topology");
    const net::Topology t = net::regions_graph(s->node_count(), s->network.topology.degree, *model, placed,
                                               model->node_share, rng);
    EXPECT_EQ(c->topology.node_regions(), t.node_regions());
    ASSERT_EQ(c->topology.node_count(), t.node_count());
    for (net::NodeId v = 0; v < t.node_count(); ++v) {
        ASSERT_EQ(c->topology.degree(v), t.degree(v));
        for (std::size_t i = 0; i < t.degree(v); ++i)
            EXPECT_EQ(c->topology.neighbours(v)[i], t.neighbours(v)[i]);
    }
}

// A censorship adversary's window and kind filter reach the world as written: kinds alone
// (no senders) is a filter by kind; `to` left out is the whole run (Time::max()).
TEST(FromScenario, CensorshipWindowAndKindsReachTheWorld) {
    const std::string text =
        "duration: 10min\nnetwork: {full_nodes: 2}\n"
        "clouds: [{name: a, region: london}, {name: b, region: london}, {name: c, region: london}]\n"
        "adversaries:\n"
        "  - {kind: censorship, name: cs, validators: [a], kinds: [renew, redeem], from: 1min, to: 5min}\n"
        "  - {kind: censorship, name: cu, validators: [b], senders: \"user:3\", from: 2min}\n";
    const auto s = scenario::load_scenario(text, "cs.yaml");
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    const auto c = world_config(*s, 0);
    ASSERT_TRUE(c.has_value()) << c.error().message;
    const auto& a = std::get<CensorshipAttack>(c->adversaries.at(0).attack);
    EXPECT_EQ(a.kinds, (std::vector<CensoredKind>{CensoredKind::kRedeem, CensoredKind::kRenew}));
    EXPECT_TRUE(a.users.empty() && a.clouds.empty());
    EXPECT_EQ(a.from, Time::zero() + minutes(1));
    EXPECT_EQ(a.to, Time::zero() + minutes(5));
    const auto& b = std::get<CensorshipAttack>(c->adversaries.at(1).attack);
    EXPECT_TRUE(b.kinds.empty());
    EXPECT_EQ(b.users, (std::vector<std::uint64_t>{3}));
    EXPECT_EQ(b.from, Time::zero() + minutes(2));
    EXPECT_EQ(b.to, Time::max());
}

}  // namespace
}  // namespace cl::sim::world
