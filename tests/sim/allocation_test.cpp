// DESIGN.md §5: "the event queue must not allocate per event". Counts calls of the
// global operator new (replaced in this test binary) during a steady-state hold loop.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t align) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

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
    const std::size_t before = g_allocations.load();
    const std::uint64_t ran_before = hold.sim.events_run();
    hold.sim.run_until(Time::at(millis(400)));
    const std::size_t allocations = g_allocations.load() - before;  // before gtest allocates
    EXPECT_GT(hold.sim.events_run() - ran_before, 150'000u);
    EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace cl::sim
