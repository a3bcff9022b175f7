// app/replication.hpp: the one run entry point — checks once, runs a replication, and
// several replications may run at once on several threads with the results they would
// have had one after the other (no shared mutable state between worlds).
#include "app/replication.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "analysis/results/digest.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app {
namespace {

sim::scenario::Scenario small_scenario(std::uint64_t replications) {
    auto s = sim::scenario::load_default_scenario(
        {{"duration", "3min"}, {"network.full_nodes", "12"}, {"replications", std::to_string(replications)}});
    EXPECT_TRUE(s.has_value());
    return std::move(*s);
}

TEST(RunReplication, CheckedConfigAndReplicationNumberGiveTheSameRun) {
    const auto s = small_scenario(1);
    auto checked = sim::world::check_world(s);
    ASSERT_TRUE(checked.has_value());
    ASSERT_EQ(checked->size(), 1u);
    const analysis::RunResults a = run_replication(s, std::move(checked->front()));
    const auto b = run_replication(s, 0);
    ASSERT_TRUE(b.has_value());
    EXPECT_FALSE(a.blocks.empty());
    EXPECT_EQ(analysis::results_digest(a), analysis::results_digest(*b));
    EXPECT_GT(a.wall_clock.events, 0u);
    EXPECT_GT(a.wall_clock.wall_seconds, 0.0);
}

TEST(RunReplication, ReportsProgressAtEverySample) {
    const auto s = small_scenario(1);
    std::vector<sim::Time> seen;
    const auto run =
        run_replication(s, 0, [&](sim::Time now, std::uint64_t, double) { seen.push_back(now); });
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(seen.size(), run->samples.size());
}

TEST(RunReplication, BadWorldIsAnErrorValue) {
    auto s = sim::scenario::load_default_scenario({{"duration", "3min"}});
    ASSERT_TRUE(s.has_value());
    s->clouds.clear();  // a world without clouds cannot be built
    const auto run = run_replication(*s, 0);
    ASSERT_FALSE(run.has_value());
    EXPECT_FALSE(run.error().message.empty());
}

TEST(RunReplication, ReplicationsOnSeveralThreadsMatchSequentialRuns) {
    const auto s = small_scenario(2);
    std::vector<std::string> sequential;
    for (std::uint64_t r = 0; r < 2; ++r)
        sequential.push_back(analysis::results_digest(run_replication(s, r).value()));
    EXPECT_NE(sequential[0], sequential[1]) << "replications differ";

    auto checked = sim::world::check_world(s);
    ASSERT_TRUE(checked.has_value());
    std::vector<std::string> parallel(2);
    std::vector<std::thread> threads;
    for (std::uint64_t r = 0; r < 2; ++r) {
        threads.emplace_back(
            [&, r] { parallel[r] = analysis::results_digest(run_replication(s, std::move((*checked)[r]))); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(parallel, sequential);
}

// Issue 16: `run` takes the world that ran instead of paying for its teardown at exit.
// The kept world is the one that ran (its final state is there), and keeping it
// changes nothing in the results.
TEST(RunReplication, HandsTheWorldToTheCallerWhenAsked) {
    const auto s = small_scenario(1);
    auto checked = sim::world::check_world(s);
    ASSERT_TRUE(checked.has_value());
    std::unique_ptr<sim::world::World> kept;
    const analysis::RunResults a = run_replication(s, std::move(checked->front()), {}, &kept);
    ASSERT_NE(kept, nullptr);
    EXPECT_NE(kept->final_state().root(), Hash32{});
    const auto b = run_replication(s, 0);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(analysis::results_digest(a), analysis::results_digest(*b));
}

}  // namespace
}  // namespace cl::app
