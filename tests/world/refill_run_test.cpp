// Pool budgets that refill, from the scenario keys to a run (docs/ledger.md "Refilling
// quotas", docs/scenarios.md `pool.refill`; issue 14): the keys reach the ledger's
// PoolConfig (a duration converted with consensus.period), and a run whose quotas refill
// issues and redeems more codes than the same run without.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {
namespace {

// Two clouds of 4 units each, demand far above it (one user every 20 s for 40 min, TTL
// of a day: no unit comes back by expiry within the run). `pool:` comes last, so that a
// test can append keys to it.
const std::string kShort =
    "duration: 40min\n"
    "network: {full_nodes: 4}\n"
    "clouds: [{name: a, region: london}, {name: b, region: tokyo}]\n"
    "consensus: {period: 15s}\n"
    "workload:\n"
    "  users: {arrival_rate: 3/min, tier_mix: {small: 100}, redeem_probability: 1, redeem_delay: 1min}\n"
    "pool:\n"
    "  tiers: [{name: small, vcpu: 1, ram_gib: 2, disk_gib: 20, hours: 720}]\n"
    "  default_quota: 4\n";

struct Served {
    std::size_t issued = 0;
    std::size_t redeemed = 0;
};

Served run(const std::vector<scenario::Override>& sets) {
    const auto s = scenario::load_scenario(kShort, "refill.yaml", sets);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().front().to_string());
    if (!s) return {};
    auto checked = check_world(*s);
    EXPECT_TRUE(checked.has_value());
    if (!checked) return {};
    const WorldResults r = World(std::move(checked->front())).run();
    Served out;
    for (const auto& q : r.requests) out.issued += q.included && q.success ? 1 : 0;
    for (const auto& d : r.redemptions) out.redeemed += d.included && d.success ? 1 : 0;
    return out;
}

TEST(PoolRefillScenario, KeysReachTheLedgerConfig) {
    const auto s =
        scenario::load_scenario(kShort, "refill.yaml", {{"pool.refill", "{every: 1h, amount: 7}"}});
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    ASSERT_TRUE(s->pool.refill.has_value());
    EXPECT_EQ(s->pool.refill->every_blocks, 240u);  // 1 h at 15 s
    EXPECT_EQ(s->pool.refill->kind, state::RefillAmount::kAbsolute);
    EXPECT_EQ(s->pool.refill->amount, 7u);
    const auto c = world_config(*s, 0);
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(c->pool.refill.has_value());
    EXPECT_EQ(c->pool.refill->every_blocks, 240u);

    // Blocks as written; `initial` is the default amount; `off` switches it off again.
    const auto b = scenario::load_scenario(kShort, "refill.yaml", {{"pool.refill.every", "100"}});
    ASSERT_TRUE(b.has_value()) << b.error().front().to_string();
    ASSERT_TRUE(b->pool.refill.has_value());
    EXPECT_EQ(b->pool.refill->every_blocks, 100u);
    EXPECT_EQ(b->pool.refill->kind, state::RefillAmount::kInitial);
    const auto off =
        scenario::load_scenario(kShort + "  refill: {every: 1d}\n", "refill.yaml", {{"pool.refill", "off"}});
    ASSERT_TRUE(off.has_value()) << off.error().front().to_string();
    EXPECT_FALSE(off->pool.refill.has_value());
    const auto none = scenario::load_scenario(kShort, "refill.yaml");
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->pool.refill.has_value());
}

TEST(PoolRefillScenario, BadValuesNameTheKeyLineAndColumn) {
    const auto s = scenario::load_scenario(kShort + "  refill: {every: 100s, amount: 0}\n", "refill.yaml");
    ASSERT_FALSE(s.has_value());
    ASSERT_EQ(s.error().size(), 2u);
    EXPECT_EQ(s.error()[0].key, "pool.refill.every");  // 100 s is 6.67 blocks of 15 s
    EXPECT_EQ(s.error()[0].line, 10u);
    EXPECT_EQ(s.error()[0].column, 19u);
    EXPECT_EQ(s.error()[1].key, "pool.refill.amount");
}

TEST(PoolRefillScenario, ARunWithRefillsServesMoreThanWithout) {
    const Served fixed = run({});
    // 8 units in all, never returned: at most 8 codes, at most 8 redemptions.
    EXPECT_LE(fixed.issued, 8u);
    EXPECT_LE(fixed.redeemed, 8u);
    EXPECT_GE(fixed.issued, 6u);
    // Every 10 minutes (40 blocks) each cloud gets its initial 4 again: 3 refills within
    // the run (blocks 40, 80, 120 of ~160) add 24 units.
    const Served refilled = run({{"pool.refill", "{every: 10min, amount: initial}"}});
    EXPECT_GT(refilled.issued, fixed.issued + 12);
    EXPECT_GT(refilled.redeemed, fixed.redeemed + 8);
    EXPECT_LE(refilled.issued, 32u);
}

}  // namespace
}  // namespace cl::sim::world
