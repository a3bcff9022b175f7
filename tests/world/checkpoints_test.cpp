// The checkpoint flow in a world (sim/world/checkpoints.hpp; docs/checkpoints.md "In the
// simulation"): votes over the network, the submitter rotation, the contract on the
// mainchain's heaviest chain, finality, and a mainchain reorg that drops a submission.
#include <gtest/gtest.h>

#include "sim/world/world.hpp"

namespace cl::sim::world {
namespace {

const net::RegionModel& regions() {
    static const net::RegionModel model =
        net::load_region_model(std::string(CLOUDLEDGER_SOURCE_DIR) + "/data/regions.yaml",
                               "ibm_cloud_2024_03")
            .value();
    return model;
}

// Four clouds, 12 full nodes, a checkpoint every 8 blocks (2 min at 15 s), 6 mainchain
// confirmations at 13 s.
WorldConfig small_world(Duration duration, std::uint64_t seed = 3) {
    WorldConfig c;
    c.name = "checkpoints";
    c.seed = seed;
    c.duration = duration;
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8};
    for (std::size_t i = 0; i < validator_regions.size(); ++i)
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {5000}});
    RandomStream rng = RandomStreams(c.seed, 0).stream("topology");
    c.topology = net::regions_graph(16, 4, regions(), validator_regions, {}, rng);
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.pool.per_user_live.reset();
    c.txpool = txpool::Config::unlimited();
    c.users.requests_per_second = 0.05;
    c.cloud_behaviour.confirmations = 2;
    CheckpointsConfig k;
    k.protocol.interval = 8;
    k.protocol.submit_timeout = std::chrono::seconds(120);
    k.mainchain.confirmations = 6;
    c.checkpoints = k;
    return c;
}

WorldResults run(WorldConfig c) {
    auto world = World::create(std::move(c));
    EXPECT_TRUE(world.has_value()) << world.error();
    WorldResults r = world->run();
    EXPECT_TRUE(r.check_failures.empty()) << r.check_failures.front();
    return r;
}

double metric(const WorldResults& r, const std::string& name) {
    for (const Metric& m : r.metrics) {
        if (m.name == name) return m.value;
    }
    ADD_FAILURE() << "no metric " << name;
    return -1;
}

TEST(WorldCheckpoints, CheckpointsBecomeFinalAndEveryNodeKeepsThem) {
    auto world = World::create(small_world(hours(1)));
    ASSERT_TRUE(world.has_value()) << world.error();
    const WorldResults r = world->run();
    // 240 blocks: checkpoints at 8, 16, ...; the last few are not final by the end.
    ASSERT_GE(r.checkpoints.size(), 20u);
    std::size_t finals = 0;
    for (const CheckpointRecord& c : r.checkpoints) {
        if (!c.final) continue;
        ++finals;
        EXPECT_GE(c.votes, 3u) << "threshold floor(2·4/3)+1 = 3, height " << c.height;
        ASSERT_TRUE(c.sealed && c.submitted && c.included) << c.height;
        EXPECT_LT(*c.sealed, *c.submitted);
        EXPECT_LT(*c.submitted, *c.included);
        EXPECT_LT(*c.included, *c.final);
        EXPECT_EQ(c.rejections, 0u);
    }
    EXPECT_GE(finals, 20u);
    EXPECT_EQ(metric(r, "checkpoints_final"), static_cast<double>(finals));
    // Sealed → final: the depth (3 blocks, 45 s) + voting + delay + ~6–7 mainchain blocks.
    EXPECT_GT(metric(r, "checkpoint_latency_mean_s"), 45.0);
    EXPECT_LT(metric(r, "checkpoint_latency_mean_s"), 300.0);
    EXPECT_GT(metric(r, "checkpoint_vote_messages"), 0.0);
    EXPECT_EQ(metric(r, "checkpoint_detections"), 0.0);
    EXPECT_GT(metric(r, "mainchain_blocks"), 200.0);
    EXPECT_FALSE(r.mainchain.empty());
    // Every node applies the latest final checkpoint in fork choice.
    EXPECT_EQ(metric(r, "checkpoint_nodes_final"), 16.0);
}

// A majority attacker forks the mainchain below the block that includes the first
// submission and releases a longer branch without it: the checkpoint disappears from the
// mainchain, the next submitter in the rotation resubmits it, and it becomes final only
// `confirmations` blocks after the new inclusion — after the release.
TEST(WorldCheckpoints, ReorgThatDropsTheSubmissionLeadsToResubmission) {
    WorldConfig c = small_world(hours(2));
    c.checkpoints->mainchain.confirmations = 30;  // more than the reorg: not final before the release
    c.checkpoints->attack = MainchainAttack{0.6, 10, std::nullopt};
    const WorldResults r = run(c);
    ASSERT_FALSE(r.checkpoints.empty());
    const CheckpointRecord& first = r.checkpoints.front();
    EXPECT_EQ(first.height, 8u);
    EXPECT_GE(first.submissions, 2u) << "resubmitted after the reorg";
    ASSERT_TRUE(first.final.has_value());
    const double release = metric(r, "mainchain_attack_release_s");
    EXPECT_GT(first.final->to_seconds_f64(), release) << "finality waits for the new inclusion";
    EXPECT_GE(metric(r, "mainchain_reorg_max"), 10.0);
    EXPECT_GE(metric(r, "checkpoint_resubmissions"), 1.0);
    // Its inclusion on the final mainchain is a block mined after the release.
    ASSERT_TRUE(first.included.has_value());
    EXPECT_GT(first.included->to_seconds_f64(), release);
}

// An attack deeper than `confirmations` drops a checkpoint that was already final: the
// nodes keep it, it is counted as lost, the validators resubmit it, and the later
// checkpoints (which need it on the mainchain: no gaps) still become final.
TEST(WorldCheckpoints, AttackDeeperThanConfirmationsLosesFinalityAndTheFlowRecovers) {
    WorldConfig c = small_world(hours(1));
    c.checkpoints->attack = MainchainAttack{0.6, 12, std::nullopt};  // 12 > 6 confirmations
    const WorldResults r = run(c);
    EXPECT_GE(metric(r, "checkpoint_finality_lost"), 1.0);
    EXPECT_GE(metric(r, "checkpoint_resubmissions"), 1.0);
    const double release = metric(r, "mainchain_attack_release_s");
    std::size_t final_after = 0;
    for (const CheckpointRecord& k : r.checkpoints)
        final_after += k.final && k.final->to_seconds_f64() > release + 600;
    EXPECT_GE(final_after, 5u) << "checkpoints after the attack still become final";
}

TEST(WorldCheckpoints, SameSeedSameResults) {
    WorldConfig c = small_world(minutes(40));
    c.checkpoints->attack = MainchainAttack{0.6, 5, std::nullopt};
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.checkpoints.size(), b.checkpoints.size());
    for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
        EXPECT_EQ(a.checkpoints[i].block_hash, b.checkpoints[i].block_hash);
        EXPECT_EQ(a.checkpoints[i].final, b.checkpoints[i].final);
        EXPECT_EQ(a.checkpoints[i].submissions, b.checkpoints[i].submissions);
    }
    ASSERT_EQ(a.mainchain.size(), b.mainchain.size());
    for (std::size_t i = 0; i < a.mainchain.size(); ++i)
        EXPECT_EQ(a.mainchain[i].mined, b.mainchain[i].mined);
    ASSERT_EQ(a.metrics.size(), b.metrics.size());
    for (std::size_t i = 0; i < a.metrics.size(); ++i) EXPECT_EQ(a.metrics[i].value, b.metrics[i].value);
}

// allocate_after: final_checkpoint — no cloud allocates before the redeem's block is under
// a final checkpoint, so allocation waits longer than with k confirmations.
TEST(WorldCheckpoints, AllocateAfterFinalCheckpointWaitsForFinality) {
    WorldConfig c = small_world(hours(2));
    c.users.requests_per_second = 0.2;
    c.users.redeem_delay_mean = minutes(2);
    const WorldResults k = run(c);
    c.cloud_behaviour.allocate_after.final_checkpoint = true;
    const WorldResults f = run(c);
    std::size_t allocated = 0;
    for (const RedemptionRecord& x : f.redemptions) allocated += x.allocated.has_value();
    EXPECT_GT(allocated, 10u);
    EXPECT_GT(metric(f, "allocation_latency_mean_s"), metric(k, "allocation_latency_mean_s") + 60.0);
    EXPECT_EQ(metric(f, "allocations_unbacked"), 0.0);
}

}  // namespace
}  // namespace cl::sim::world
