// sim/scenario: the loader — defaults, the shipped default scenario, overrides, error
// collection and positions, selectors, and the conversions to engine configurations.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/net/generators.hpp"
#include "sim/scenario/loader.hpp"
#include "tests/scenario/mutation.hpp"

namespace cl::sim::scenario {
namespace {

const std::string kSource = CLOUDLEDGER_SOURCE_DIR;
const std::string kGood = std::string(CLOUDLEDGER_TEST_DATA_DIR) + "/scenarios/good/";

constexpr std::string_view kTwoClouds =
    "clouds:\n"
    "  - {name: ovh, region: london}\n"
    "  - {name: otc, region: frankfurt}\n";

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Scenario load_ok(std::string_view text, const std::vector<Override>& sets = {}) {
    auto s = load_scenario(text, "test.yaml", sets);
    if (!s) {
        std::string all;
        for (const auto& e : s.error()) all += e.to_string() + "\n";
        ADD_FAILURE() << "unexpected errors:\n" << all;
        return {};
    }
    return *s;
}

std::vector<ScenarioError> load_errors(std::string_view text, const std::vector<Override>& sets = {}) {
    auto s = load_scenario(text, "test.yaml", sets);
    EXPECT_FALSE(s.has_value()) << "expected errors";
    return s ? std::vector<ScenarioError>{} : s.error();
}

std::string dump(const std::vector<ScenarioError>& errors) {
    std::string all;
    for (const auto& e : errors) all += e.to_string() + "\n";
    return all;
}

// ---- the default scenario ----------------------------------------------------------------

TEST(DefaultScenario, LoadsCleanly) {
    const auto s = load_default_scenario();
    ASSERT_TRUE(s.has_value()) << dump(s.error());
    EXPECT_EQ(s->name, "passport");
    EXPECT_EQ(s->clouds.size(), 10u);
    EXPECT_EQ(s->network.full_nodes, 200u);
    EXPECT_EQ(s->node_count(), 210u);
    EXPECT_EQ(s->duration, hours(6));
    EXPECT_EQ(block_period(*s), seconds(15));
    EXPECT_EQ(s->network.topology.kind, TopologyKind::kRegions);
    EXPECT_EQ(s->pool.tiers.size(), 3u);
    EXPECT_TRUE(s->faults.empty());
    EXPECT_EQ(s->source_file, kDefaultScenarioName);
    // Every cloud in a real region of the dataset, with one quota per tier.
    for (const auto& c : s->clouds) {
        const auto& names = s->network.regions.names;
        EXPECT_NE(std::find(names.begin(), names.end(), c.region), names.end()) << c.name;
        EXPECT_EQ(c.quotas.size(), 3u);
    }
    // A busy day: 0.2 new users per second overall (scenarios/passport.yaml, Demand).
    double total = 0;
    for (double r : arrival_rates_per_second(*s)) total += r;
    EXPECT_NEAR(total, 0.2, 1e-9);
}

// The launch-day variant: the same world under ten times the demand and pool.
TEST(DefaultScenario, LaunchVariantIsTheSameWorldAtTenTimesTheDemand) {
    const auto base = load_default_scenario();
    const auto launch = load_scenario_file(kSource + "/scenarios/passport-launch.yaml");
    ASSERT_TRUE(base.has_value() && launch.has_value()) << dump(launch.error());
    EXPECT_EQ(launch->node_count(), base->node_count());
    ASSERT_EQ(launch->clouds.size(), base->clouds.size());
    for (std::size_t i = 0; i < base->clouds.size(); ++i) {
        EXPECT_EQ(launch->clouds[i].region, base->clouds[i].region);
        for (std::size_t t = 0; t < base->clouds[i].quotas.size(); ++t)
            EXPECT_EQ(launch->clouds[i].quotas[t], 10 * base->clouds[i].quotas[t]) << base->clouds[i].name;
    }
    double total = 0;
    for (double r : arrival_rates_per_second(*launch)) total += r;
    EXPECT_NEAR(total, 2.0, 1e-9);
}

TEST(DefaultScenario, EmbeddedBytesMatchTheShippedFiles) {
    EXPECT_EQ(default_scenario_text(), read(kSource + "/scenarios/passport.yaml"));
    EXPECT_EQ(embedded_regions_text(), read(kSource + "/data/regions.yaml"));
}

TEST(DefaultScenario, RegionNamesAgreeWithSimNetRegionModel) {
    const auto s = load_default_scenario();
    ASSERT_TRUE(s.has_value());
    const auto model = net::load_region_model(kSource + "/data/regions.yaml", s->network.regions.dataset);
    ASSERT_TRUE(model.has_value()) << model.error().to_string();
    EXPECT_EQ(model->regions, s->network.regions.names);
}

TEST(DefaultScenario, FileOnDiskChecksTheSameAsEmbedded) {
    const auto a = load_scenario_file(kSource + "/scenarios/passport.yaml");
    ASSERT_TRUE(a.has_value()) << dump(a.error());
    const auto b = load_default_scenario();
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(a->source_text, b->source_text);
    EXPECT_EQ(a->clouds.size(), b->clouds.size());
}

// ---- defaults ------------------------------------------------------------------------------

TEST(ScenarioDefaults, MinimalScenarioNeedsOnlyClouds) {
    const Scenario s = load_ok("clouds: [{name: ovh, region: london}]\n");
    EXPECT_EQ(s.name, "test");  // the file's stem
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.replications, 1u);
    EXPECT_EQ(s.duration, hours(1));
    EXPECT_EQ(s.network.full_nodes, 200u);
    EXPECT_EQ(s.network.topology.kind, TopologyKind::kRegions);
    EXPECT_EQ(s.network.topology.degree, 8u);
    EXPECT_EQ(s.network.regions.dataset, "ibm_cloud_2024_03");
    EXPECT_EQ(s.network.regions.names.size(), 10u);
    EXPECT_EQ(s.network.upload_bps, 100'000'000u);
    EXPECT_FALSE(s.network.validator_upload_bps.has_value());
    EXPECT_EQ(s.consensus.period, 15u);
    EXPECT_EQ(block_period(s), seconds(15));
    EXPECT_EQ(s.consensus.epoch, 30000u);
    EXPECT_EQ(s.consensus.fork_choice, clique::ForkChoiceRule::kEip3436);
    EXPECT_EQ(s.cpu.verify_header, micros(60));
    ASSERT_EQ(s.pool.tiers.size(), 3u);
    EXPECT_EQ(s.pool.tiers[0].name, "small");
    EXPECT_EQ(s.clouds[0].quotas, (std::vector<std::uint64_t>{1000, 1000, 1000}));
    EXPECT_EQ(s.pool.ttl.per_tier_blocks, (std::vector<std::uint64_t>{5760, 5760, 5760}));
    EXPECT_EQ(s.workload.users.tier_mix, (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(s.workload.arrivals.region_weights.size(), 10u);
    EXPECT_EQ(s.outputs.file, "results.h5");
    // The txpool defaults are go-ethereum's (docs/txpool.md).
    const txpool::Config& t = s.txpool;
    const txpool::Config geth;
    EXPECT_EQ(t.account_slots, geth.account_slots);
    EXPECT_EQ(t.global_slots, geth.global_slots);
    EXPECT_EQ(t.account_queue, geth.account_queue);
    EXPECT_EQ(t.global_queue, geth.global_queue);
    EXPECT_EQ(t.lifetime, geth.lifetime);
    ASSERT_TRUE(t.rate_limit.has_value());
    EXPECT_EQ(t.rate_limit->burst, 5u);
    EXPECT_EQ(t.rate_limit->refill_interval, std::chrono::seconds(60));
    EXPECT_FALSE(t.stamp_bits.has_value());
    // The pool defaults are the state library's.
    const state::PoolConfig& p = s.pool;
    const state::PoolConfig def;
    EXPECT_EQ(p.ttl.ttl_blocks, def.ttl.ttl_blocks);
    EXPECT_EQ(p.per_user_live, def.per_user_live);
    EXPECT_EQ(p.max_transfers, def.max_transfers);
    EXPECT_EQ(p.reclaim, def.reclaim);
}

TEST(ScenarioDefaults, DefaultQuotaAppliesToUnlistedTiers) {
    const Scenario s = load_ok(
        "pool: {default_quota: 7}\n"
        "clouds: [{name: ovh, region: london, quotas: {medium: 3}}]\n");
    EXPECT_EQ(s.clouds[0].quotas, (std::vector<std::uint64_t>{7, 3, 7}));
}

TEST(ScenarioDefaults, EmptyDocumentReportsOnlyTheMissingClouds) {
    const auto errors = load_errors("# nothing\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].key, "clouds");
    EXPECT_EQ(errors[0].line, 1u);
}

// ---- values ---------------------------------------------------------------------------------

TEST(ScenarioValues, EverySectionReadsIntoTheStruct) {
    const Scenario s =
        load_ok(std::string(kTwoClouds) +
                "name: full\n"
                "seed: 42\n"
                "replications: 3\n"
                "duration: 1h30m\n"
                "network:\n"
                "  topology: {kind: watts_strogatz, degree: 4, probability: 0.2}\n"
                "  full_nodes: 30\n"
                "  upload_bandwidth: 20Mbit/s\n"
                "  validator_upload_bandwidth: unlimited\n"
                "  link_latency: 12.5ms\n"
                "  link_bandwidth: 1Gbit/s\n"
                "  latency: {model: exponential, jitter: 3ms}\n"
                "  loss: 1%\n"
                "  allow_reordering: true\n"
                "consensus: {period: 5s, epoch: 100, fork_choice: td-first-seen, rule3: largest,"
                " out_of_turn_delay: besu}\n"
                "cpu: {verify_header: 1.5us, verify_tx: 0, execute_tx: 2ms}\n"
                "pool:\n"
                "  tiers:\n"
                "    - {name: a, vcpu: 1, ram_gib: 1, disk_gib: 0, hours: 1}\n"
                "    - {name: b, vcpu: 2, ram_gib: 2, disk_gib: 2, hours: 2}\n"
                "  ttl: {policy: per_tier, per_tier: {b: 99}, ttl_blocks: 10}\n"
                "  per_user_live: off\n"
                "  per_block_issue_cap: 4\n"
                "  max_txs_per_block: 50\n"
                "  reclaim: false\n"
                "txpool: {lifetime: off, burst: 2, refill: 1.5s, stamp_bits: 12, max_txs_per_block: 80}\n"
                "workload:\n"
                "  users:\n"
                "    arrival_rate: 30/min\n"
                "    region_weights: {london: 3, frankfurt: 1}\n"
                "    tier_mix: {a: 1}\n"
                "    rerequest: {probability: 0, delay: 1min, max_attempts: 1}\n"
                "  clouds: {screening_delay: 2min, pass_probability: 0.5, confirmations: 0}\n"
                "outputs: {file: out.h5, sample_interval: 1s}\n");
    EXPECT_EQ(s.name, "full");
    EXPECT_EQ(s.seed, 42u);
    EXPECT_EQ(s.replications, 3u);
    EXPECT_EQ(s.duration, minutes(90));
    EXPECT_EQ(s.network.topology.kind, TopologyKind::kWattsStrogatz);
    EXPECT_EQ(s.network.topology.probability, 0.2);
    EXPECT_EQ(s.network.upload_bps, 20'000'000u);
    EXPECT_EQ(s.network.validator_upload_bps, std::optional<std::uint64_t>(0));
    EXPECT_EQ(s.network.link_latency, micros(12'500));
    EXPECT_EQ(s.network.link_bandwidth_bps, 1'000'000'000u);
    EXPECT_EQ(s.network.latency.kind, net::JitterKind::kExponential);
    EXPECT_EQ(s.network.latency.jitter, millis(3));
    EXPECT_EQ(s.network.loss, 0.01);
    EXPECT_TRUE(s.network.allow_reordering);
    EXPECT_EQ(s.cpu.verify_header, nanos(1500));
    EXPECT_EQ(s.cpu.admit_tx, Duration::zero());  // key verify_tx
    const clique::Config& cc = s.consensus;
    EXPECT_EQ(cc.period, 5u);
    EXPECT_EQ(cc.epoch, 100u);
    EXPECT_EQ(cc.fork_choice, clique::ForkChoiceRule::kTdFirstSeen);
    EXPECT_EQ(cc.rule3, clique::Rule3Direction::kLargest);
    EXPECT_EQ(cc.out_of_turn_delay, clique::OutOfTurnDelay::kBesu);
    EXPECT_EQ(s.pool.ttl.per_tier_blocks, (std::vector<std::uint64_t>{10, 99}));
    EXPECT_EQ(s.clouds[0].quotas.size(), 2u);
    const state::PoolConfig& pc = s.pool;
    EXPECT_EQ(pc.ttl.kind, state::TtlKind::kPerTier);
    EXPECT_FALSE(pc.per_user_live.has_value());
    EXPECT_EQ(pc.per_block_issue_cap, std::optional<std::uint64_t>(4));
    EXPECT_FALSE(pc.reclaim);
    const txpool::Config& tc = s.txpool;
    EXPECT_FALSE(tc.lifetime.has_value());
    ASSERT_TRUE(tc.rate_limit.has_value());
    EXPECT_EQ(tc.rate_limit->burst, 2u);
    EXPECT_EQ(tc.rate_limit->refill_interval, std::chrono::milliseconds(1500));
    EXPECT_EQ(tc.stamp_bits, std::optional<unsigned>(12));
    // As written; the world caps it by pool.max_txs_per_block (from_scenario_test).
    EXPECT_EQ(tc.max_txs_per_block, std::optional<std::size_t>(80));
    const net::NetworkConfig nc = to_network_config(s);
    EXPECT_EQ(nc.upload_bps, 20'000'000u);
    EXPECT_EQ(nc.loss, 0.01);
    EXPECT_TRUE(nc.allow_reordering);
    EXPECT_EQ(s.workload.arrivals.total, (Rate{1, seconds(2)}));
    EXPECT_EQ(s.workload.users.tier_mix, (std::vector<double>{1, 0}));
    const auto rates = arrival_rates_per_second(s);
    const auto& names = s.network.regions.names;
    const auto london =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), "london") - names.begin());
    EXPECT_DOUBLE_EQ(rates[london], 0.375);
    EXPECT_EQ(s.workload.users.max_attempts, 1u);
    EXPECT_EQ(s.workload.clouds.confirmations, 0u);
    EXPECT_EQ(s.outputs.sample_interval, seconds(1));
}

TEST(ScenarioValues, PerRegionArrivalRates) {
    const Scenario s =
        load_ok(std::string(kTwoClouds) + "workload: {users: {arrival_rate: {london: 1/s, tokyo: 100/h}}}\n");
    ASSERT_EQ(s.workload.arrivals.per_region.size(), 2u);
    const auto rates = arrival_rates_per_second(s);
    double total = 0;
    for (double r : rates) total += r;
    EXPECT_DOUBLE_EQ(total, 1.0 + 100.0 / 3600.0);
}

TEST(ScenarioValues, AnchorsAliasesAndMergeKeys) {
    const auto s = load_scenario_file(kGood + "anchors.yaml");
    ASSERT_TRUE(s.has_value()) << dump(s.error());
    EXPECT_EQ(s->clouds[0].quotas, (std::vector<std::uint64_t>{100, 50, 10}));
    EXPECT_EQ(s->clouds[1].quotas, (std::vector<std::uint64_t>{100, 50, 20}));
}

TEST(ScenarioValues, TopologyFileIsRelativeToTheScenarioAndSetsTheNodeCount) {
    const auto s = load_scenario_file(kGood + "file_topology.yaml");
    ASSERT_TRUE(s.has_value()) << dump(s.error());
    EXPECT_EQ(s->network.topology.kind, TopologyKind::kFile);
    EXPECT_EQ(s->network.full_nodes, 2u);  // 3 nodes in the file, 1 validator
    EXPECT_NE(s->network.topology.file.find("tests/data/net/zoo_small.graphml"), std::string::npos);
}

TEST(ScenarioValues, EveryGoodExampleLoads) {
    for (const char* name : {"minimal.yaml", "faults.yaml", "file_topology.yaml", "anchors.yaml",
                             "all_off.yaml", "clients.yaml"}) {
        const auto s = load_scenario_file(kGood + name);
        EXPECT_TRUE(s.has_value()) << name << "\n" << (s ? "" : dump(s.error()));
    }
}

// ---- faults and selectors --------------------------------------------------------------------

TEST(ScenarioFaults, AllKindsParsed) {
    const auto s = load_scenario_file(kGood + "faults.yaml");
    ASSERT_TRUE(s.has_value()) << dump(s.error());
    ASSERT_EQ(s->faults.size(), 4u);
    const FaultSpec& crash = s->faults[0];
    EXPECT_EQ(crash.kind, FaultSpec::Kind::kCrash);
    EXPECT_EQ(crash.crash.node.kind, NodeSelector::Kind::kValidator);
    EXPECT_EQ(crash.crash.node.name, "ovh");
    EXPECT_EQ(crash.crash.at, Time::at(minutes(10)));
    EXPECT_EQ(crash.crash.restart_at, std::optional<Time>(Time::at(minutes(40))));
    EXPECT_FALSE(s->faults[1].crash.restart_at.has_value());
    const PartitionFault& p = s->faults[2].partition;
    ASSERT_EQ(p.groups.size(), 2u);
    EXPECT_EQ(p.groups[0][1].kind, NodeSelector::Kind::kFull);
    EXPECT_EQ(p.groups[0][1].first, 0u);
    EXPECT_EQ(p.groups[0][1].last, 4u);
    EXPECT_EQ(p.to, Time::at(minutes(90)));
    const LinkLossFault& l = s->faults[3].link_loss;
    EXPECT_EQ(l.loss, 0.25);
    EXPECT_EQ(l.b.kind, NodeSelector::Kind::kAllFull);
    EXPECT_EQ(l.to, Time::at(hours(2)));  // default: the end of the run
}

// ---- clients (docs/scenarios.md "Clients") ------------------------------------------------

TEST(ScenarioClients, PresetsRulesAndSelectorsAreRead) {
    const auto s = load_scenario_file(kGood + "clients.yaml");
    ASSERT_TRUE(s.has_value()) << dump(s.error());
    using clique::ForkChoiceRule;
    EXPECT_EQ(s->clouds[0].fork_choice, std::optional(ForkChoiceRule::kEip3436)) << "besu";
    EXPECT_EQ(s->clouds[1].fork_choice, std::optional(ForkChoiceRule::kEip225Geth)) << "geth";
    EXPECT_FALSE(s->clouds[2].fork_choice.has_value());
    ASSERT_EQ(s->clients.size(), 3u);
    EXPECT_EQ(s->clients[0].fork_choice, ForkChoiceRule::kTdFirstSeen) << "nethermind";
    EXPECT_FALSE(s->clients[0].nodes_listed);
    ASSERT_EQ(s->clients[0].nodes.size(), 1u);
    EXPECT_EQ(s->clients[0].nodes[0].kind, NodeSelector::Kind::kRegion);
    EXPECT_EQ(s->clients[1].fork_choice, ForkChoiceRule::kTdFirstSeen) << "openethereum";
    EXPECT_TRUE(s->clients[1].nodes_listed);
    ASSERT_EQ(s->clients[1].nodes.size(), 2u);
    EXPECT_EQ(s->clients[1].nodes[1].text, "full:10");
    EXPECT_EQ(s->clients[2].fork_choice, ForkChoiceRule::kEip225Geth) << "fork_choice: eip225";
    EXPECT_EQ(s->clients[2].nodes[0].pos.line, 18u);
    // --set reaches both forms.
    const Scenario o =
        load_ok(std::string(kTwoClouds), {{"clouds[1].client", "nethermind"},
                                          {"consensus.clients", "[{nodes: 'full:*', fork_choice: eip225}]"}});
    EXPECT_EQ(o.clouds[1].fork_choice, std::optional(ForkChoiceRule::kTdFirstSeen));
    ASSERT_EQ(o.clients.size(), 1u);
    EXPECT_EQ(o.clients[0].fork_choice, ForkChoiceRule::kEip225Geth);
    EXPECT_TRUE(o.clients[0].nodes[0].pos.from_set);
}

// fork_choice_rules() is what the results name the rules by (docs/metrics.md `nodes`): each
// name is one a scenario accepts for that rule, and every rule has exactly one name.
TEST(ScenarioClients, ForkChoiceRuleNamesAreTheScenarioSpellings) {
    using clique::ForkChoiceRule;
    const auto rules = fork_choice_rules();
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0], std::pair(std::string_view("eip3436"), ForkChoiceRule::kEip3436));
    EXPECT_EQ(rules[1], std::pair(std::string_view("eip225"), ForkChoiceRule::kEip225Geth));
    EXPECT_EQ(rules[2], std::pair(std::string_view("td-first-seen"), ForkChoiceRule::kTdFirstSeen));
    for (const auto& [name, rule] : rules) {
        const Scenario s = load_ok(std::string(kTwoClouds), {{"consensus.fork_choice", std::string(name)}});
        EXPECT_EQ(s.consensus.fork_choice, rule) << name;
    }
}

TEST(ScenarioClients, ErrorsNameTheKeyAndPosition) {
    const auto errors = load_errors(
        "network: {full_nodes: 20}\n"
        "clouds:\n"
        "  - {name: ovh, region: london, client: gethh}\n"
        "  - {name: otc, region: frankfurt, client: besu, fork_choice: eip3436}\n"
        "consensus:\n"
        "  clients:\n"
        "    - {nodes: 'full:0-9', client: nethermind}\n"
        "    - {nodes: ['validator:ovh', 'full:9'], client: besu}\n"
        "    - {nodes: 'region:frankfurt', client: erigon}\n"
        "    - {client: geth}\n"
        "    - {nodes: 'validator:aws', fork_choice: eip225}\n"
        "    - {nodes: 'full:12'}\n"
        "    - {nodes: [], client: geth}\n");
    const std::vector<std::string> keys{"clouds[0].client",
                                        "clouds[1].fork_choice",
                                        "consensus.clients[1].nodes[1]",
                                        "consensus.clients[2].client",
                                        "consensus.clients[3].nodes",
                                        "consensus.clients[4].nodes",
                                        "consensus.clients[5].client",
                                        "consensus.clients[6].nodes"};
    ASSERT_EQ(errors.size(), keys.size()) << dump(errors);
    for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(errors[i].key, keys[i]) << dump(errors);
    EXPECT_NE(errors[0].message.find("did you mean 'geth'"), std::string::npos) << errors[0].message;
    EXPECT_NE(errors[1].message.find("not both"), std::string::npos);
    EXPECT_EQ(errors[2].line, 8u);
    EXPECT_EQ(errors[2].column, 33u);
    EXPECT_NE(errors[2].message.find("overlaps consensus.clients[0] (full:9"), std::string::npos)
        << errors[2].message;
    EXPECT_NE(errors[5].message.find("no cloud named 'aws'"), std::string::npos);
    EXPECT_NE(errors[6].message.find("missing required key 'client'"), std::string::npos);
}

TEST(ScenarioSelectors, ParseEveryForm) {
    EXPECT_EQ(parse_selector("validator:ovh")->kind, NodeSelector::Kind::kValidator);
    EXPECT_EQ(parse_selector("validator:*")->kind, NodeSelector::Kind::kAllValidators);
    EXPECT_EQ(parse_selector("full:17")->first, 17u);
    EXPECT_EQ(parse_selector("full:3-9")->last, 9u);
    EXPECT_EQ(parse_selector("full:*")->kind, NodeSelector::Kind::kAllFull);
    EXPECT_EQ(parse_selector("region:london")->name, "london");
    EXPECT_EQ(parse_selector("node:4")->kind, NodeSelector::Kind::kNode);
    std::string error;
    EXPECT_FALSE(parse_selector("full:9-3", &error).has_value());
    EXPECT_FALSE(parse_selector("host:1", &error).has_value());
    EXPECT_NE(error.find("unknown selector kind 'host'"), std::string::npos);
    EXPECT_FALSE(parse_selector("ovh").has_value());
    EXPECT_FALSE(parse_selector("full:x").has_value());
    EXPECT_FALSE(parse_selector("validator:").has_value());
}

TEST(ScenarioSelectors, MatchFollowsTheNodeNumbering) {
    const Scenario s = load_ok(std::string(kTwoClouds) + "network: {full_nodes: 5}\n");
    const auto london = std::size_t{4};  // index of london in the ibm dataset
    ASSERT_EQ(s.network.regions.names[london], "london");
    EXPECT_TRUE(matches(*parse_selector("validator:ovh"), s, validator_node(0), london));
    EXPECT_FALSE(matches(*parse_selector("validator:ovh"), s, validator_node(1), 3));
    EXPECT_TRUE(matches(*parse_selector("full:0"), s, full_node(s, 0), 0));
    EXPECT_FALSE(matches(*parse_selector("full:0"), s, validator_node(0), 0));
    EXPECT_TRUE(matches(*parse_selector("node:2"), s, full_node(s, 0), 0));
    EXPECT_TRUE(matches(*parse_selector("region:london"), s, validator_node(0), 0));  // by its cloud
    EXPECT_TRUE(matches(*parse_selector("region:london"), s, full_node(s, 3), london));
    EXPECT_FALSE(matches(*parse_selector("region:london"), s, full_node(s, 3), 0));
    EXPECT_TRUE(matches(*parse_selector("validator:*"), s, 1, 0));
    EXPECT_TRUE(matches(*parse_selector("full:*"), s, 6, 0));
}

// ---- overrides ----------------------------------------------------------------------------

TEST(ScenarioOverrides, ParseOverrideSplitsAtTheFirstEquals) {
    EXPECT_EQ(parse_override("a.b=c=d").value(), (Override{"a.b", "c=d"}));
    EXPECT_EQ(parse_override("x=").value(), (Override{"x", ""}));
    EXPECT_FALSE(parse_override("novalue").has_value());
}

TEST(ScenarioOverrides, SetScalarsListItemsAndNewSections) {
    const Scenario s = load_ok(std::string(kTwoClouds) + "duration: 6h\n",
                               {{"duration", "2h"},
                                {"clouds[1].quotas.small", "50"},
                                {"clouds[1].region", "tokyo"},
                                {"pool.ttl.policy", "adaptive"},
                                {"network.topology", "{kind: complete}"},
                                {"clouds[2]", "{name: vexxhost, region: toronto}"},
                                {"seed", "7"}});
    EXPECT_EQ(s.duration, hours(2));
    EXPECT_EQ(s.clouds[1].quotas[0], 50u);
    EXPECT_EQ(s.clouds[1].region, "tokyo");
    EXPECT_EQ(s.pool.ttl.kind, state::TtlKind::kAdaptive);
    EXPECT_EQ(s.network.topology.kind, TopologyKind::kComplete);
    ASSERT_EQ(s.clouds.size(), 3u);  // index == size appends
    EXPECT_EQ(s.clouds[2].name, "vexxhost");
    EXPECT_EQ(s.seed, 7u);
    EXPECT_EQ(s.overrides.size(), 7u);
}

TEST(ScenarioOverrides, LaterOverridesWin) {
    const Scenario s = load_ok(kTwoClouds, {{"seed", "1"}, {"seed", "2"}});
    EXPECT_EQ(s.seed, 2u);
}

TEST(ScenarioOverrides, UnknownKeyNamesSetWithItsIndexAndColumn) {
    const auto errors = load_errors(kTwoClouds, {{"seed", "3"}, {"network.bogus", "1"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].file, "--set");
    EXPECT_EQ(errors[0].line, 2u);    // the second --set
    EXPECT_EQ(errors[0].column, 9u);  // `bogus` in `network.bogus=1`
    EXPECT_EQ(errors[0].key, "network.bogus");
    EXPECT_NE(errors[0].message.find("unknown key 'bogus'"), std::string::npos);
}

TEST(ScenarioOverrides, BadValueIsReportedAtTheSetNotTheFile) {
    const auto errors = load_errors(std::string(kTwoClouds) + "network: {full_nodes: 10}\n",
                                    {{"network.full_nodes", "lots"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].file, "--set");
    EXPECT_EQ(errors[0].column, 20u);  // the value, after `network.full_nodes=`
    EXPECT_EQ(errors[0].key, "network.full_nodes");
}

TEST(ScenarioOverrides, PathErrors) {
    const auto errors = load_errors(kTwoClouds, {{"clouds[7].name", "x"},
                                                 {"clouds[0].name.first", "1"},
                                                 {"a..b", "1"},
                                                 {"clouds[x]", "1"},
                                                 {"", "1"},
                                                 {"duration", "[1"}});
    ASSERT_EQ(errors.size(), 6u) << dump(errors);
    for (std::size_t i = 0; i < errors.size(); ++i) {
        EXPECT_EQ(errors[i].file, "--set");
        EXPECT_EQ(errors[i].line, i + 1);
    }
    EXPECT_NE(errors[0].message.find("out of range"), std::string::npos);
    EXPECT_NE(errors[1].message.find("not a mapping"), std::string::npos);
    EXPECT_NE(errors[5].message.find("YAML syntax error"), std::string::npos);
}

// An override acts as if written in the file, or is refused naming the key: never silently
// nothing. The value behind an anchor has been copied by its aliases when the file was read.
constexpr std::string_view kAnchoredQuotas =
    "x-quotas: &quotas {small: 100, medium: 50, large: 10}\n"
    "clouds:\n"
    "  - {name: ovh, region: london, quotas: &own {small: 7}}\n"
    "  - {name: otc, region: frankfurt, quotas: *quotas}\n"
    "  - {name: ibm, region: tokyo, quotas: *own}\n";

TEST(ScenarioOverrides, XKeyIsRefusedNamingTheKey) {
    const auto errors =
        load_errors(kAnchoredQuotas, {{"seed", "2"}, {"x-quotas.small", "5"}, {"x-new", "1"}});
    ASSERT_EQ(errors.size(), 2u) << dump(errors);
    EXPECT_EQ(errors[0].file, "--set");
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_EQ(errors[0].column, 1u);
    EXPECT_EQ(errors[0].key, "x-quotas.small");
    EXPECT_NE(errors[0].message.find("&quotas (line 1), which the alias at line 4 copies"), std::string::npos)
        << errors[0].message;
    EXPECT_EQ(errors[1].line, 3u);
    EXPECT_EQ(errors[1].key, "x-new");
    EXPECT_NE(errors[1].message.find("cannot set an x- key"), std::string::npos) << errors[1].message;
}

TEST(ScenarioOverrides, AnchoredValueThatAnAliasCopiesIsRefused) {
    for (const char* path : {"clouds[0].quotas", "clouds[0].quotas.small"}) {
        const auto errors = load_errors(kAnchoredQuotas, {{path, "3"}});
        ASSERT_EQ(errors.size(), 1u) << dump(errors);
        EXPECT_EQ(errors[0].file, "--set");
        EXPECT_EQ(errors[0].line, 1u);
        EXPECT_EQ(errors[0].column, 11u);  // `quotas`
        EXPECT_EQ(errors[0].key, path);
        EXPECT_NE(errors[0].message.find("the anchor &own (line 3), which the alias at line 5 copies"),
                  std::string::npos)
            << errors[0].message;
    }
}

TEST(ScenarioOverrides, CopiesAndUnusedAnchorsAreSetLikeAnyValue) {
    // A copy made by an alias is that place's own value; an anchor no alias uses is plain.
    const Scenario s =
        load_ok(std::string(kAnchoredQuotas) + "duration: &d 2h\n",
                {{"clouds[1].quotas.small", "5"}, {"clouds[2].quotas.small", "8"}, {"duration", "3h"}});
    EXPECT_EQ(s.clouds[0].quotas[0], 7u);
    EXPECT_EQ(s.clouds[1].quotas[0], 5u);
    EXPECT_EQ(s.clouds[1].quotas[1], 50u);
    EXPECT_EQ(s.clouds[2].quotas[0], 8u);
    EXPECT_EQ(s.duration, hours(3));
}

TEST(ScenarioOverrides, MultiLineValueIsReportedOnTheOverridesLine) {
    // `network={full_nodes: 5,\n  bogus: 1}`: `bogus` is character 27 of the argument.
    auto errors = load_errors(kTwoClouds, {{"seed", "1"}, {"network", "{full_nodes: 5,\n  bogus: 1}"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].file, "--set");
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_EQ(errors[0].column, 27u);
    EXPECT_EQ(errors[0].key, "network.bogus");
    // A bad value on the value's third line: still the override's line.
    errors = load_errors(kTwoClouds, {{"duration", "\n\n\tx"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].line, 1u);
    EXPECT_EQ(errors[0].column, 13u);  // `duration=` 9, then \n \n \t
    // A syntax error inside a multi-line value, too.
    errors = load_errors(kTwoClouds, {{"seed", "1"}, {"seed", "2"}, {"duration", "[1,\n  2"}});
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(errors[0].line, 3u);
    EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos);
}

// ---- errors ---------------------------------------------------------------------------------

TEST(ScenarioErrors, AllErrorsAreCollectedWithPositionsAndKeys) {
    const std::string text =
        "duration: 6\n"                                       // 1 missing unit
        "seeed: 3\n"                                          // 2 unknown key
        "network:\n"                                          //
        "  full_nodes: 0\n"                                   // 4 out of range
        "  loss: 1.5\n"                                       // 5 probability
        "clouds:\n"                                           //
        "  - {name: ovh, region: paris}\n"                    // 7 unknown region
        "  - {name: ovh, region: london, quotas: {xl: 1}}\n"  // 8 duplicate name, unknown tier
        "consensus: {fork_choice: longest}\n"                 // 9 unknown value
        "cpu: {verify_tx: -1us}\n";                           // 10 negative
    const auto errors = load_errors(text);
    struct Want {
        std::size_t line;
        std::string key;
    };
    const std::vector<Want> want{{1, "duration"},
                                 {2, "seeed"},
                                 {4, "network.full_nodes"},
                                 {5, "network.loss"},
                                 {7, "clouds[0].region"},
                                 {8, "clouds[1].name"},
                                 {8, "clouds[1].quotas.xl"},
                                 {9, "consensus.fork_choice"},
                                 {10, "cpu.verify_tx"}};
    ASSERT_EQ(errors.size(), want.size()) << dump(errors);
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(errors[i].file, "test.yaml");
        EXPECT_EQ(errors[i].line, want[i].line) << errors[i].to_string();
        EXPECT_EQ(errors[i].key, want[i].key) << errors[i].to_string();
        EXPECT_GT(errors[i].column, 0u);
    }
    EXPECT_NE(errors[1].message.find("did you mean 'seed'"), std::string::npos);
}

TEST(ScenarioErrors, ColumnsPointAtTheValue) {
    const auto errors = load_errors(std::string(kTwoClouds) + "network:\n  loss: 2\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 5u);
    EXPECT_EQ(errors[0].column, 9u);
    EXPECT_EQ(errors[0].to_string(), "test.yaml:5:9: network.loss: probability 2 is outside [0, 1]");
}

TEST(ScenarioErrors, SyntaxErrorStopsWithOneError) {
    const auto errors = load_errors("clouds: [{name: a, region: london}\nseed: 1\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "clouds[1]");  // where the parser was: after the first cloud
    EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(ScenarioErrors, TabIndentationIsNamed) {
    const auto errors = load_errors("clouds:\n\t- {name: a, region: london}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_EQ(errors[0].column, 1u);
    EXPECT_NE(errors[0].message.find("tab"), std::string::npos);
}

TEST(ScenarioErrors, DuplicateKeysAreReportedAndCheckingContinues) {
    const auto errors = load_errors(std::string(kTwoClouds) + "seed: 1\nseed: 2\nduration: 5\n");
    ASSERT_EQ(errors.size(), 2u) << dump(errors);
    EXPECT_NE(errors[0].message.find("duplicate key 'seed' (first given at line 4)"), std::string::npos);
    EXPECT_EQ(errors[1].key, "duration");
}

TEST(ScenarioErrors, CrossFieldRules) {
    const auto errors =
        load_errors(std::string(kTwoClouds) +
                    "duration: 1h\n"
                    "pool: {ttl: {policy: adaptive, base_ttl: 10, min_ttl: 20}}\n"
                    "faults:\n"
                    "  - {kind: crash, node: 'validator:aws', at: 10min}\n"
                    "  - {kind: crash, node: 'full:200', at: 10min}\n"
                    "  - {kind: crash, node: 'validator:ovh', at: 2h}\n"
                    "  - {kind: partition, groups: [['region:london'], ['validator:ovh']], from: 1min}\n"
                    "  - {kind: link_loss, between: ['full:1', 'region:mars'], from: 0s}\n");
    const std::vector<std::string> keys{"pool.ttl.min_ttl", "faults[0].node",         "faults[1].node",
                                        "faults[2].at",     "faults[3].groups[1][0]", "faults[4].between[1]"};
    ASSERT_EQ(errors.size(), keys.size()) << dump(errors);
    for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(errors[i].key, keys[i]) << dump(errors);
    EXPECT_NE(errors[3].message.find("after the end of the run"), std::string::npos);
    EXPECT_NE(errors[4].message.find("overlaps group 0"), std::string::npos);
}

// TTLs in blocks or as durations, converted with consensus.period (issue 9).
TEST(ScenarioTtl, DurationsAreWholeNumbersOfBlocks) {
    const Scenario s = load_ok(std::string(kTwoClouds) +
                               "consensus: {period: 10s}\n"
                               "pool:\n"
                               "  ttl: {policy: adaptive, ttl_blocks: 1d, base_ttl: 2h, min_ttl: 10min,\n"
                               "        per_tier: {small: 1h, large: 30}}\n");
    EXPECT_EQ(s.pool.ttl.ttl_blocks, 8640u);
    EXPECT_EQ(s.pool.ttl.base_ttl, 720u);
    EXPECT_EQ(s.pool.ttl.min_ttl, 60u);
    EXPECT_EQ(s.pool.ttl.per_tier_blocks, (std::vector<std::uint64_t>{360, 8640, 30}));
    // From --set too, with the default period of 15 s; a count of blocks as before.
    EXPECT_EQ(load_ok(kTwoClouds, {{"pool.ttl.ttl_blocks", "6h"}}).pool.ttl.ttl_blocks, 1440u);
    EXPECT_EQ(load_ok(kTwoClouds, {{"pool.ttl.ttl_blocks", "77"}}).pool.ttl.ttl_blocks, 77u);
}

TEST(ScenarioTtl, BadTtlsAreErrorsWithPositions) {
    const auto errors = load_errors(std::string(kTwoClouds) +
                                    "consensus: {period: 7s}\n"
                                    "pool: {ttl: {ttl_blocks: 1d, base_ttl: soon, min_ttl: 0s}}\n");
    ASSERT_EQ(errors.size(), 3u) << dump(errors);
    EXPECT_EQ(errors[0].to_string(),
              "test.yaml:5:26: pool.ttl.ttl_blocks: 1d is not a whole number of blocks of "
              "consensus.period 7s (12342.9 blocks)");
    EXPECT_EQ(errors[1].key, "pool.ttl.base_ttl");
    EXPECT_NE(errors[1].message.find("a number of blocks or a duration"), std::string::npos) << dump(errors);
    EXPECT_EQ(errors[2].key, "pool.ttl.min_ttl");
    EXPECT_EQ(errors[2].column, 55u);
    const auto set = load_errors(kTwoClouds, {{"pool.ttl.per_tier.small", "1m1s"}});
    ASSERT_EQ(set.size(), 1u) << dump(set);
    EXPECT_EQ(set[0].file, "--set");
    EXPECT_EQ(set[0].key, "pool.ttl.per_tier.small");
}

// The users' stamp work and renewals (issue 9).
TEST(ScenarioWorkload, HashRateRenewalsAndTheStampBound) {
    const Scenario d = load_ok(kTwoClouds);
    EXPECT_EQ(d.workload.users.hash_rate, 1e6);
    EXPECT_EQ(d.workload.users.renew_probability, 0.0);
    EXPECT_EQ(d.workload.users.renew_margin, minutes(30));
    const Scenario s = load_ok(std::string(kTwoClouds) +
                               "workload: {users: {hash_rate: 30000/min, renew_probability: 80%, "
                               "renew_margin: 1h}}\n");
    EXPECT_EQ(s.workload.users.hash_rate, 500.0);
    EXPECT_EQ(s.workload.users.renew_probability, 0.8);
    EXPECT_EQ(s.workload.users.renew_margin, hours(1));

    for (const char* bad : {"0", "2000000000000/s", "fast"}) {
        const auto errors = load_errors(kTwoClouds, {{"workload.users.hash_rate", bad}});
        ASSERT_EQ(errors.size(), 1u) << bad << dump(errors);
        EXPECT_EQ(errors[0].key, "workload.users.hash_rate");
    }
    // Users compute real stamps: at most kMaxUserStampBits while any arrive.
    const auto errors = load_errors(std::string(kTwoClouds) + "txpool: {stamp_bits: 30}\n");
    ASSERT_EQ(errors.size(), 1u) << dump(errors);
    EXPECT_EQ(
        errors[0].to_string().rfind("test.yaml:4:22: txpool.stamp_bits: at most 24 while users arrive", 0),
        0u)
        << dump(errors);
    EXPECT_TRUE(load_ok(std::string(kTwoClouds) + "txpool: {stamp_bits: 24}\n").txpool.stamp_bits);
    EXPECT_EQ(load_ok(std::string(kTwoClouds) + "txpool: {stamp_bits: 64}\n",
                      {{"workload.users.arrival_rate", "0"}})
                  .txpool.stamp_bits,
              64u);
}

TEST(ScenarioErrors, TopologyRulesUseTheNodeCount) {
    const auto odd = load_errors(std::string(kTwoClouds) +
                                 "network: {full_nodes: 1, topology: {kind: random_regular, degree: 3}}\n");
    ASSERT_EQ(odd.size(), 1u) << dump(odd);  // 3 nodes: a 3-regular graph needs 4
    EXPECT_EQ(odd[0].key, "network.topology.degree");
    const auto regions =
        load_errors(std::string(kTwoClouds) + "network: {full_nodes: 1, topology: {degree: 3}}\n");
    ASSERT_EQ(regions.size(), 1u) << dump(regions);
    EXPECT_NE(regions[0].message.find("below the node count 3"), std::string::npos);
    EXPECT_TRUE(load_scenario(std::string(kTwoClouds) +
                                  "network: {full_nodes: 2, topology: {kind: random_regular, "
                                  "degree: 3}}\n",
                              "t.yaml")
                    .has_value());
}

TEST(ScenarioErrors, UnreadableFileIsOneError) {
    const auto s = load_scenario_file("/nonexistent/scenario.yaml");
    ASSERT_FALSE(s.has_value());
    ASSERT_EQ(s.error().size(), 1u);
    EXPECT_EQ(s.error()[0].line, 0u);
    EXPECT_EQ(s.error()[0].to_string(), "/nonexistent/scenario.yaml: cannot read the scenario: no such file");
}

}  // namespace
}  // namespace cl::sim::scenario

namespace cl::sim::scenario {
namespace {

// Every YAML example in docs/scenarios.md is valid (snippets without clouds are checked
// inside the default scenario).
TEST(ScenarioDocs, ExamplesLoad) {
    const std::string doc = read(kSource + "/docs/scenarios.md");
    std::string base(default_scenario_text());
    base.replace(base.find("faults: []"), std::string("faults: []").size(), "");
    std::size_t pos = 0;
    int examples = 0;
    while ((pos = doc.find("```yaml\n", pos)) != std::string::npos) {
        pos += 8;
        const std::size_t end = doc.find("```", pos);
        ASSERT_NE(end, std::string::npos);
        const std::string block = doc.substr(pos, end - pos);
        const std::string text = block.find("clouds:") != std::string::npos ? block : base + block;
        const auto s = load_scenario(text, "docs.yaml");
        EXPECT_TRUE(s.has_value()) << block << "\n" << (s ? "" : dump(s.error()));
        ++examples;
        pos = end + 3;
    }
    EXPECT_GE(examples, 3);
}

// Untrusted input (STYLE.md §12): mutated scenarios never crash the loader, and every
// error about the file has a position in it.
TEST(ScenarioFuzz, MutatedDefaultScenarioNeverCrashes) {
    const std::string original(default_scenario_text());
    fuzz::Mutator mutate(
        {.seed = 0x9E3779B97F4A7C15u, .alphabet = " \t\n:-[]{},'\"#&*!|>%@`0123456789abcxyz."});
    int failures = 0;
    for (int round = 0; round < 600; ++round) {
        const std::string text = mutate(original);
        const auto s = load_scenario(text, "fuzz.yaml", {{"seed", "3"}});
        if (s) continue;
        ++failures;
        for (const auto& e : s.error()) {
            if (e.file == "fuzz.yaml") {
                EXPECT_GE(e.line, 1u) << e.to_string();
                EXPECT_GE(e.column, 1u) << e.to_string();
            }
            EXPECT_FALSE(e.message.empty());
        }
    }
    EXPECT_GT(failures, 100);  // the mutations do break most files
}

}  // namespace
}  // namespace cl::sim::scenario
