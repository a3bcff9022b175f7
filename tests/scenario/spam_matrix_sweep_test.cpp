// scenarios/sweeps/spam-matrix.yaml is the mitigation matrix of scenarios/attacks/spam/
// (docs/attacks.md "The mitigation matrix"): point 2i (under the flood) sets the pool and
// txpool rules of the matrix's i-th file, point 2i + 1 the same without the flood — so the
// sweep and the files (and scripts/attacks/spam_matrix.sh) cannot drift apart.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/sweep_file.hpp"

namespace cl::sim::scenario {
namespace {

const std::string kRoot = std::string(CLOUDLEDGER_SOURCE_DIR) + "/scenarios/";

// The rules a mitigation switches, as the ledger and the nodes get them.
void expect_same_rules(const Scenario& a, const Scenario& b, const std::string& what) {
    EXPECT_EQ(a.pool.per_user_live, b.pool.per_user_live) << what;
    EXPECT_EQ(a.pool.per_user_lifetime, b.pool.per_user_lifetime) << what;
    EXPECT_EQ(a.pool.per_block_issue_cap, b.pool.per_block_issue_cap) << what;
    EXPECT_EQ(a.pool.max_txs_per_block, b.pool.max_txs_per_block) << what;
    EXPECT_EQ(a.pool.ttl.kind, b.pool.ttl.kind) << what;
    EXPECT_EQ(a.pool.ttl.ttl_blocks, b.pool.ttl.ttl_blocks) << what;
    EXPECT_EQ(a.pool.reclaim, b.pool.reclaim) << what;
    const txpool::Config& x = a.txpool;
    const txpool::Config& y = b.txpool;
    EXPECT_EQ(x.account_slots, y.account_slots) << what;
    EXPECT_EQ(x.global_slots, y.global_slots) << what;
    EXPECT_EQ(x.account_queue, y.account_queue) << what;
    EXPECT_EQ(x.global_queue, y.global_queue) << what;
    EXPECT_EQ(x.lifetime, y.lifetime) << what;
    ASSERT_EQ(x.rate_limit.has_value(), y.rate_limit.has_value()) << what;
    if (x.rate_limit) {
        EXPECT_EQ(x.rate_limit->burst, y.rate_limit->burst) << what;
        EXPECT_EQ(x.rate_limit->refill_interval, y.rate_limit->refill_interval) << what;
    }
    EXPECT_EQ(x.stamp_bits, y.stamp_bits) << what;
    EXPECT_EQ(x.max_txs_per_block, y.max_txs_per_block) << what;
    EXPECT_EQ(a.clouds.size(), b.clouds.size()) << what;
    EXPECT_EQ(a.duration, b.duration) << what;
}

TEST(SpamMatrixSweep, PointsAreTheMatrixFilesWithAndWithoutTheFlood) {
    const auto sweep = load_sweep_file(kRoot + "sweeps/spam-matrix.yaml");
    ASSERT_TRUE(sweep.has_value()) << sweep.error().front().to_string();
    const std::vector<std::string> files{
        "none",      "txpool-slots", "token-bucket", "per-user-live", "per-user-lifetime",
        "issue-cap", "max-txs",      "stamp",        "short-ttl",     "recommended"};
    ASSERT_EQ(sweep->points.size(), 2 * files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string path = kRoot + "attacks/spam/" + files[i] + ".yaml";
        const auto flood = load_scenario_file(path);
        ASSERT_TRUE(flood.has_value()) << path;
        expect_same_rules(sweep->points[2 * i].scenario, *flood, files[i]);
        EXPECT_EQ(
            sweep->points[2 * i].overrides.front().path + "=" + sweep->points[2 * i].overrides.front().value,
            "adversaries[0].rate=5/s")
            << files[i];
        const auto quiet = load_scenario_file(path, {{"adversaries[0].rate", "0/s"}});
        ASSERT_TRUE(quiet.has_value()) << path;
        expect_same_rules(sweep->points[2 * i + 1].scenario, *quiet, files[i] + ", no flood");
        EXPECT_EQ(sweep->points[2 * i + 1].overrides.front().value, "0/s") << files[i];
    }
}

}  // namespace
}  // namespace cl::sim::scenario
