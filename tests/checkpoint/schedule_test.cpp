// Checkpoint heights, when a validator votes, the submitter rotation and its fall-back
// after each submit_timeout; the spec's defaults in one Config (spec/checkpoint.md §1).
#include <gtest/gtest.h>

#include "protocol/checkpoint/config.hpp"
#include "protocol/checkpoint/schedule.hpp"

namespace cl::checkpoint {
namespace {

using std::chrono::seconds;

TEST(CheckpointConfig, DefaultsAreTheSpecs) {
    const Config c;
    EXPECT_EQ(c.interval, 120u);
    EXPECT_EQ(c.submit_timeout, seconds(1000));
    // depth floor(N/2)+1, threshold floor(2N/3)+1.
    EXPECT_EQ(c.depth_for(1), 1u);
    EXPECT_EQ(c.depth_for(4), 3u);
    EXPECT_EQ(c.depth_for(7), 4u);
    EXPECT_EQ(c.threshold_for(1), 1u);
    EXPECT_EQ(c.threshold_for(3), 3u);
    EXPECT_EQ(c.threshold_for(4), 3u);
    EXPECT_EQ(c.threshold_for(7), 5u);
    EXPECT_EQ(c.threshold_for(21), 15u);
    Config fixed;
    fixed.depth = 10;
    fixed.threshold = 2;
    EXPECT_EQ(fixed.depth_for(7), 10u);
    EXPECT_EQ(fixed.threshold_for(7), 2u);
}

TEST(CheckpointSchedule, EveryIntervalButGenesis) {
    const Config c;
    EXPECT_FALSE(is_checkpoint_height(c, 0));
    EXPECT_FALSE(is_checkpoint_height(c, 119));
    EXPECT_TRUE(is_checkpoint_height(c, 120));
    EXPECT_FALSE(is_checkpoint_height(c, 121));
    EXPECT_TRUE(is_checkpoint_height(c, 240));
}

TEST(CheckpointSchedule, VoteOnceTheBlockIsDepthDeep) {
    const Config c;  // N = 4: depth 3
    EXPECT_EQ(votable_height(c, 4, 0), std::nullopt);
    EXPECT_EQ(votable_height(c, 4, 122), std::nullopt);  // 120 is 2 deep
    EXPECT_EQ(votable_height(c, 4, 123), 120u);          // 3 deep
    EXPECT_EQ(votable_height(c, 4, 242), 120u);
    EXPECT_EQ(votable_height(c, 4, 243), 240u);
    Config deep;
    deep.depth = 200;
    EXPECT_EQ(votable_height(deep, 4, 319), std::nullopt);
    EXPECT_EQ(votable_height(deep, 4, 320), 120u);
}

TEST(CheckpointSchedule, SubmitterRotatesWithTheHeightAndFallsBackInOrder) {
    const Config c;
    // (h / interval) mod N in sorted order.
    EXPECT_EQ(submitter_index(c, 120, 4), 1u);
    EXPECT_EQ(submitter_index(c, 240, 4), 2u);
    EXPECT_EQ(submitter_index(c, 480, 4), 0u);
    EXPECT_EQ(submitter_index(c, 360, 4, 1), 0u);  // after one timeout, the next one, wrapping
    EXPECT_EQ(submitter_index(c, 360, 4, 5), 0u);
    const Nanos due = seconds(50'000);
    EXPECT_EQ(attempt_at(c, due, due - seconds(1)), 0u);
    EXPECT_EQ(attempt_at(c, due, due + seconds(999)), 0u);
    EXPECT_EQ(attempt_at(c, due, due + seconds(1000)), 1u);
    EXPECT_EQ(attempt_at(c, due, due + seconds(2500)), 2u);
}

TEST(CheckpointSchedule, NextTurnIsTheValidatorsSlotInTheRotation) {
    const Config c;
    const Nanos due = seconds(50'000);
    // h = 240, N = 4: validator 2 first, then 3, 0, 1, then 2 again after 4 timeouts.
    EXPECT_EQ(next_turn(c, 240, 4, 2, due, due), due);
    EXPECT_EQ(next_turn(c, 240, 4, 3, due, due), due + seconds(1000));
    EXPECT_EQ(next_turn(c, 240, 4, 0, due, due), due + seconds(2000));
    EXPECT_EQ(next_turn(c, 240, 4, 1, due, due), due + seconds(3000));
    EXPECT_EQ(next_turn(c, 240, 4, 2, due, due + seconds(1)), due + seconds(4000));
    EXPECT_EQ(next_turn(c, 240, 4, 3, due, due + seconds(1000)), due + seconds(1000));
    EXPECT_EQ(next_turn(c, 240, 4, 3, due, due + seconds(1001)), due + seconds(5000));
    // Consistent with submitter_index(attempt_at()).
    for (std::uint64_t self = 0; self < 4; ++self) {
        const Nanos t = next_turn(c, 240, 4, self, due, due + seconds(7777));
        EXPECT_EQ(submitter_index(c, 240, 4, attempt_at(c, due, t)), self);
    }
}

}  // namespace
}  // namespace cl::checkpoint
