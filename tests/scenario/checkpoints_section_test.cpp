// sim/scenario: the `checkpoints:` section and workload.clouds.allocate_after
// (docs/checkpoints.md "Scenario keys"). Malformed inputs are in the bad corpus
// (tests/data/scenarios/bad/checkpoints_*.yaml).
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.hpp"

namespace cl::sim::scenario {
namespace {

constexpr std::string_view kClouds =
    "duration: 6h\n"
    "clouds:\n"
    "  - {name: ovh, region: london}\n"
    "  - {name: otc, region: frankfurt}\n"
    "  - {name: fuga, region: london}\n";

Scenario load_ok(const std::string& text) {
    auto s = load_scenario(text, "test.yaml", {});
    if (!s) {
        std::string all;
        for (const auto& e : s.error()) all += e.to_string() + "\n";
        ADD_FAILURE() << all;
        return {};
    }
    return *s;
}

TEST(CheckpointsSection, AbsentMeansOff) {
    const Scenario s = load_ok(std::string(kClouds));
    EXPECT_FALSE(s.checkpoints.has_value());
    EXPECT_FALSE(s.workload.clouds.allocate_after.final_checkpoint);
    EXPECT_FALSE(s.workload.clouds.allocate_after.confirmations.has_value());
}

TEST(CheckpointsSection, EmptyTakesTheSpecDefaults) {
    const Scenario s = load_ok(std::string(kClouds) + "checkpoints: {}\n");
    ASSERT_TRUE(s.checkpoints.has_value());
    const world::CheckpointsConfig& c = *s.checkpoints;
    EXPECT_EQ(c.protocol.interval, 120u);
    EXPECT_FALSE(c.protocol.depth.has_value());
    EXPECT_FALSE(c.protocol.threshold.has_value());
    EXPECT_EQ(c.protocol.submit_timeout, std::chrono::seconds(1000));
    EXPECT_EQ(c.mainchain.block_time, seconds(13));
    EXPECT_EQ(c.mainchain.confirmations, 120u);
    EXPECT_EQ(c.mainchain.miners.size(), 4u);
    EXPECT_FALSE(c.attack.has_value());
}

TEST(CheckpointsSection, EveryKeyIsRead) {
    const Scenario s = load_ok(std::string(kClouds) +
                               "checkpoints:\n"
                               "  interval: 40\n"
                               "  depth: 3\n"
                               "  threshold: auto\n"
                               "  submit_timeout: 10min\n"
                               "  mainchain:\n"
                               "    block_time: 15s\n"
                               "    miners: [{name: a, share: 3}, {name: b, share: 1}]\n"
                               "    confirmations: etc-2019\n"
                               "    delay: 2s\n"
                               "  mainchain_attack: {share: 0.55, preset: etc-2020-08-29, start: 2h}\n"
                               "workload:\n"
                               "  clouds: {allocate_after: final_checkpoint}\n");
    ASSERT_TRUE(s.checkpoints.has_value());
    const world::CheckpointsConfig& c = *s.checkpoints;
    EXPECT_EQ(c.protocol.interval, 40u);
    EXPECT_EQ(c.protocol.depth, 3u);
    EXPECT_FALSE(c.protocol.threshold.has_value());
    EXPECT_EQ(c.protocol.submit_timeout, std::chrono::minutes(10));
    EXPECT_EQ(c.mainchain.block_time, seconds(15));
    ASSERT_EQ(c.mainchain.miners.size(), 2u);
    EXPECT_EQ(c.mainchain.miners[0].name, "a");
    EXPECT_EQ(c.mainchain.miners[1].share, 1.0);
    EXPECT_EQ(c.mainchain.confirmations, 400u);
    EXPECT_EQ(c.mainchain.delay, seconds(2));
    ASSERT_TRUE(c.attack.has_value());
    EXPECT_EQ(c.attack->share, 0.55);
    EXPECT_EQ(c.attack->reorg_depth, 7000u);
    EXPECT_EQ(c.attack->start, Time::at(hours(2)));
    EXPECT_TRUE(s.workload.clouds.allocate_after.final_checkpoint);
}

TEST(CheckpointsSection, ReorgPresetsAreTheEtcIncidents) {
    for (const auto& [name, depth] : {std::pair{"etc-2019-01", 123u},
                                      {"etc-2020-08-01", 3693u},
                                      {"etc-2020-08-06", 4236u},
                                      {"etc-2020-08-29", 7000u}}) {
        const Scenario s =
            load_ok(std::string(kClouds) + "checkpoints:\n  mainchain_attack: {preset: " + name + "}\n");
        ASSERT_TRUE(s.checkpoints && s.checkpoints->attack) << name;
        EXPECT_EQ(s.checkpoints->attack->reorg_depth, depth) << name;
        EXPECT_FALSE(s.checkpoints->attack->start.has_value());
    }
}

TEST(CheckpointsSection, OnInTheDefaultScenarioWithTheSpecDefaults) {
    const auto s = load_default_scenario();
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE(s->checkpoints.has_value());
    EXPECT_EQ(s->checkpoints->protocol.interval, 120u);
    EXPECT_EQ(s->checkpoints->mainchain.confirmations, 120u);
    EXPECT_EQ(s->checkpoints->mainchain.block_time, seconds(13));
    EXPECT_FALSE(s->checkpoints->attack.has_value());
}

TEST(CheckpointsSection, AllocateAfterConfirmations) {
    const Scenario s =
        load_ok(std::string(kClouds) + "workload:\n  clouds: {allocate_after: {confirmations: 30}}\n");
    EXPECT_FALSE(s.workload.clouds.allocate_after.final_checkpoint);
    EXPECT_EQ(s.workload.clouds.allocate_after.confirmations, 30u);
}

}  // namespace
}  // namespace cl::sim::scenario
