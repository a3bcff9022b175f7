// DESIGN.md §5: "the event queue must not allocate per event". Counts calls of the
// global operator new (replaced in this test binary) during a steady-state hold loop.
#include <gtest/gtest.h>

#include "tests/support/counting_new.hpp"

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"

namespace cl::sim {
namespace {

struct Hold {
    Simulator sim;
    RandomStream rng = RandomStream::derive(1, 0, "hold");
    EventId last_timer;
    void one() {
        sim.schedule_in(exponential(rng, millis(1)), [this] { handle(); });
    }
    void handle() {
        one();
        // A timer that is reset every event: cancel + schedule, as protocol timers do.
        sim.cancel(last_timer);
        last_timer = sim.schedule_in(seconds(1), [] {});
    }
};

TEST(SimulatorAllocation, SteadyStateHoldAllocatesNothing) {
    Hold hold;
    for (int i = 0; i < 2000; ++i) hold.one();
    hold.sim.run_until(Time::at(millis(300)));  // warm-up: arrays reach their high water
    const std::size_t before = test::allocation_count();
    const std::uint64_t ran_before = hold.sim.events_run();
    hold.sim.run_until(Time::at(millis(400)));
    const std::size_t allocations = test::allocation_count() - before;  // before gtest allocates
    EXPECT_GT(hold.sim.events_run() - ran_before, 150'000u);
    EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace cl::sim
