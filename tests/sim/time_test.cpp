// Simulated time (sim/kernel/time.hpp): integer nanoseconds, factories, arithmetic.
#include "sim/kernel/time.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace cl::sim {
namespace {

static_assert(sizeof(Duration) == 8 && sizeof(Time) == 8);
static_assert(seconds(1) == millis(1000) && millis(1) == micros(1000) && micros(1) == nanos(1000));
static_assert(minutes(1) == seconds(60) && hours(1) == minutes(60));

TEST(SimTime, FactoriesCountNanoseconds) {
    EXPECT_EQ(seconds(15).nanos(), 15'000'000'000);
    EXPECT_EQ(millis(500).nanos(), 500'000'000);
    EXPECT_EQ(micros(7).nanos(), 7'000);
    EXPECT_EQ(nanos(3).nanos(), 3);
    EXPECT_EQ(Duration().nanos(), 0);
    EXPECT_EQ(Time().nanos(), 0);
    EXPECT_EQ(Time::zero(), Time());
}

TEST(SimTime, DurationArithmeticAndComparison) {
    EXPECT_EQ(seconds(1) + millis(500), millis(1500));
    EXPECT_EQ(seconds(1) - millis(1500), -millis(500));
    EXPECT_EQ(millis(3) * 4, millis(12));
    EXPECT_EQ(4 * millis(3), millis(12));
    EXPECT_EQ(millis(10) / 4, micros(2500));
    EXPECT_EQ(seconds(1) / millis(300), 3);
    EXPECT_EQ(seconds(1) % millis(300), millis(100));
    EXPECT_LT(micros(999), millis(1));
    EXPECT_GT(nanos(1), Duration::zero());
    Duration d = millis(1);
    d += micros(1);
    d -= nanos(1);
    EXPECT_EQ(d.nanos(), 1'000'999);
}

TEST(SimTime, TimePointArithmetic) {
    const Time t = Time::zero() + seconds(2);
    EXPECT_EQ(t.nanos(), 2'000'000'000);
    EXPECT_EQ(t - millis(500), Time::at(millis(1500)));
    EXPECT_EQ(t - Time::at(millis(500)), millis(1500));
    EXPECT_EQ(millis(1) + t, t + millis(1));
    EXPECT_LT(t, t + nanos(1));
    EXPECT_EQ(t.since_start(), seconds(2));
    Time u = t;
    u += seconds(1);
    u -= millis(1);
    EXPECT_EQ(u, Time::from_nanos(2'999'000'000));
    EXPECT_GT(Time::max(), Time::zero() + hours(24 * 365 * 290));
}

TEST(SimTime, ConvertsFromAndToChrono) {
    // protocol/clique's SealPlan::delay is std::chrono::nanoseconds.
    EXPECT_EQ(Duration::from_chrono(std::chrono::nanoseconds(1234)), nanos(1234));
    EXPECT_EQ(Duration::from_chrono(std::chrono::seconds(15)), seconds(15));
    EXPECT_EQ(Duration::from_chrono(std::chrono::milliseconds(500)), millis(500));
    EXPECT_EQ(millis(500).to_chrono(), std::chrono::milliseconds(500));
    static_assert(Duration::from_chrono(std::chrono::microseconds(3)) == micros(3));
}

TEST(SimTime, SecondsOnlyAtTheEdges) {
    EXPECT_DOUBLE_EQ(millis(1500).to_seconds_f64(), 1.5);
    EXPECT_DOUBLE_EQ(Time::at(micros(250)).to_seconds_f64(), 0.00025);
}

TEST(SimTime, SaturatingAddStopsAtTheEndOfTime) {
    static_assert(saturating_add(Time::at(seconds(1)), millis(5)) == Time::at(seconds(1) + millis(5)));
    EXPECT_EQ(saturating_add(Time::max() - nanos(1), nanos(1)), Time::max());
    EXPECT_EQ(saturating_add(Time::max() - nanos(1), nanos(2)), Time::max());
    EXPECT_EQ(saturating_add(Time::at(hours(1)), Duration::max()), Time::max());
    EXPECT_EQ(saturating_add(Duration::max(), Duration::max()), Duration::max());
    EXPECT_EQ(saturating_add(seconds(2), seconds(3)), seconds(5));
}

TEST(SimTime, Literals) {
    using namespace cl::sim::literals;
    EXPECT_EQ(15_s, seconds(15));
    EXPECT_EQ(500_ms, millis(500));
    EXPECT_EQ(2_us, micros(2));
    EXPECT_EQ(9_ns, nanos(9));
}

}  // namespace
}  // namespace cl::sim
