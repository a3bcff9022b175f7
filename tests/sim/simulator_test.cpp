// The event queue and run loop (sim/kernel/simulator.hpp): (time, sequence) order,
// FIFO ties, always-valid ids and lazy cancel, run / run_until / stop semantics.
#include "sim/kernel/simulator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "protocol/core/split_mix64.hpp"

namespace cl::sim {
namespace {

TEST(Simulator, RunsEventsInTimeOrder) {
    Simulator sim;
    std::vector<int> order;
    sim.schedule_at(Time::at(millis(30)), [&] { order.push_back(3); });
    sim.schedule_at(Time::at(millis(10)), [&] { order.push_back(1); });
    sim.schedule_at(Time::at(millis(20)), [&] { order.push_back(2); });
    EXPECT_EQ(sim.pending(), 3u);
    EXPECT_EQ(sim.run(), RunStatus::kQueueEmpty);
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(sim.now(), Time::at(millis(30)));
    EXPECT_EQ(sim.events_run(), 3u);
    EXPECT_TRUE(sim.empty());
}

// An event with a prefetch hook: records "p<id>" when hinted, "r<id>" when run.
struct Hinted {
    std::vector<std::string>* log;
    int id;
    void operator()() noexcept { log->push_back("r" + std::to_string(id)); }
    void prefetch() const noexcept { log->push_back("p" + std::to_string(id)); }
};

// The run loop calls the hook of the event next in line just before running the current
// one (issue 16: its cold lines load meanwhile); events without a hook and cancelled
// events are not hinted, and the order of running is unaffected.
TEST(Simulator, PrefetchHookOfTheNextEventRunsBeforeTheCurrentOne) {
    Simulator sim(SimulatorOptions{.prefetch_next = true});
    std::vector<std::string> log;
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 1});
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 2});
    sim.schedule_at(Time::at(millis(1)), [&log]() noexcept { log.push_back("r3"); });  // no hook
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 4});
    const EventId cancelled = sim.schedule_at(Time::at(millis(1)), Hinted{&log, 5});
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 6});
    ASSERT_TRUE(sim.cancel(cancelled));
    sim.run();
    // (Events at one time share the queue's current bucket, so each next one is in sight.)
    const std::vector<std::string> expected = {"p2", "r1", "r2", "p4", "r3", "r4", "r6"};
    EXPECT_EQ(log, expected);
    EXPECT_EQ(sim.events_run(), 5u);
}

// Without SimulatorOptions::prefetch_next no hook is called.
TEST(Simulator, PrefetchHooksAreNotCalledUnlessAsked) {
    Simulator sim;
    std::vector<std::string> log;
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 1});
    sim.schedule_at(Time::at(millis(1)), Hinted{&log, 2});
    sim.run();
    EXPECT_EQ(log, (std::vector<std::string>{"r1", "r2"}));
}

TEST(Simulator, TiesRunInInsertionOrder) {
    Simulator sim;
    std::vector<int> order;
    for (int i = 0; i < 100; ++i) sim.schedule_at(Time::at(seconds(1)), [&order, i] { order.push_back(i); });
    // Scheduled "now" from inside an event: after everything already at that time.
    sim.schedule_at(Time::at(seconds(1)),
                    [&] { sim.schedule_in(Duration::zero(), [&] { order.push_back(1000); }); });
    sim.schedule_at(Time::at(seconds(1)), [&] { order.push_back(101); });
    sim.run();
    ASSERT_EQ(order.size(), 102u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(order[100], 101);
    EXPECT_EQ(order[101], 1000);
}

// post_at is schedule_at without an id: its events take their place in the same (time,
// sequence) order, ties FIFO with schedule_at's, and run, free their slot and are counted
// like any other; ids of other events stay valid across the slots it reuses.
TEST(Simulator, PostedEventsRunInTheSameOrderAsScheduledOnes) {
    Simulator sim;
    std::vector<int> order;
    for (int i = 0; i < 40; ++i) {
        const Time t = Time::at(millis(10 * (i % 4)));
        if (i % 2 == 0) {
            sim.post_at(t, [&order, i] { order.push_back(i); });
        } else {
            (void)sim.schedule_at(t, [&order, i] { order.push_back(i); });
        }
    }
    EXPECT_EQ(sim.pending(), 40u);
    sim.run();
    std::vector<int> expected;
    for (int r = 0; r < 4; ++r)
        for (int i = r; i < 40; i += 4) expected.push_back(i);
    EXPECT_EQ(order, expected);
    EXPECT_EQ(sim.events_run(), 40u);

    // The slots are reused; an id made afterwards names its own event only.
    bool cancelled_ran = false;
    int posted_runs = 0;
    const EventId id = sim.schedule_in(seconds(1), [&] { cancelled_ran = true; });
    sim.post_at(sim.now() + seconds(1), [&] { ++posted_runs; });
    EXPECT_TRUE(sim.cancel(id));
    sim.run();
    EXPECT_FALSE(cancelled_ran);
    EXPECT_EQ(posted_runs, 1);
    EXPECT_DEATH(sim.post_at(Time::zero(), [] {}), "assertion failed");
}

TEST(Simulator, ScheduleInIsRelativeToNow) {
    Simulator sim;
    Time seen;
    sim.schedule_at(Time::at(seconds(5)), [&] { sim.schedule_in(millis(250), [&] { seen = sim.now(); }); });
    sim.run();
    EXPECT_EQ(seen, Time::at(seconds(5) + millis(250)));
}

TEST(Simulator, CancelBeforeRunPreventsTheEvent) {
    Simulator sim;
    bool ran = false;
    const EventId id = sim.schedule_in(seconds(1), [&] { ran = true; });
    EXPECT_TRUE(sim.is_pending(id));
    EXPECT_TRUE(sim.cancel(id));
    EXPECT_FALSE(sim.is_pending(id));
    EXPECT_FALSE(sim.cancel(id));  // twice: harmless
    EXPECT_EQ(sim.pending(), 0u);
    EXPECT_EQ(sim.run(), RunStatus::kQueueEmpty);
    EXPECT_FALSE(ran);
    EXPECT_EQ(sim.events_run(), 0u);
}

TEST(Simulator, CancelAfterRunIsHarmless) {
    Simulator sim;
    int runs = 0;
    const EventId id = sim.schedule_in(seconds(1), [&] { ++runs; });
    sim.run();
    EXPECT_FALSE(sim.is_pending(id));
    EXPECT_FALSE(sim.cancel(id));
    // The slot is reused by the next event; the old id must not reach it.
    const EventId next = sim.schedule_in(seconds(1), [&] { ++runs; });
    EXPECT_FALSE(sim.cancel(id));
    EXPECT_TRUE(sim.is_pending(next));
    EXPECT_FALSE(next == id);
    sim.run();
    EXPECT_EQ(runs, 2);
}

TEST(Simulator, NullIdIsHarmless) {
    Simulator sim;
    EXPECT_TRUE(EventId().is_null());
    EXPECT_FALSE(sim.cancel(EventId()));
    EXPECT_FALSE(sim.is_pending(EventId()));
}

TEST(Simulator, EventCanCancelAnotherButNotItself) {
    Simulator sim;
    std::vector<int> order;
    EventId self, later;
    self = sim.schedule_in(millis(1), [&] {
        order.push_back(1);
        EXPECT_FALSE(sim.is_pending(self));
        EXPECT_FALSE(sim.cancel(self));  // already running
        EXPECT_TRUE(sim.cancel(later));
    });
    later = sim.schedule_in(millis(2), [&] { order.push_back(2); });
    sim.schedule_in(millis(3), [&] { order.push_back(3); });
    sim.run();
    EXPECT_EQ(order, (std::vector<int>{1, 3}));
}

TEST(Simulator, CallablesAreDestroyedOnRunCancelAndDestruction) {
    auto token = std::make_shared<int>(0);
    {
        Simulator sim;
        const EventId a = sim.schedule_in(millis(1), [token] { ++*token; });
        sim.schedule_in(millis(2), [token] { ++*token; });
        sim.schedule_in(seconds(9), [token] { ++*token; });
        EXPECT_EQ(token.use_count(), 4);
        sim.cancel(a);
        EXPECT_EQ(token.use_count(), 3);  // destroyed at cancel, not when it surfaces
        sim.run_until(Time::at(seconds(1)));
        EXPECT_EQ(token.use_count(), 2);
        EXPECT_EQ(*token, 1);
    }
    EXPECT_EQ(token.use_count(), 1);  // the pending one went with the simulator
}

TEST(Simulator, RunUntilRunsEventsExactlyAtTheLimit) {
    Simulator sim;
    std::vector<int> order;
    sim.schedule_at(Time::at(seconds(1)), [&] {
        order.push_back(1);
        sim.schedule_in(Duration::zero(), [&] { order.push_back(2); });  // also at the limit
    });
    sim.schedule_at(Time::at(seconds(1) + nanos(1)), [&] { order.push_back(3); });
    EXPECT_EQ(sim.run_until(Time::at(seconds(1))), RunStatus::kTimeLimit);
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_EQ(sim.now(), Time::at(seconds(1)));
    EXPECT_EQ(sim.pending(), 1u);
    EXPECT_EQ(sim.next_time(), Time::at(seconds(1) + nanos(1)));
    sim.run();
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Simulator, RunUntilAdvancesTheClockEvenWhenIdle) {
    Simulator sim;
    EXPECT_EQ(sim.run_until(Time::at(seconds(10))), RunStatus::kTimeLimit);
    EXPECT_EQ(sim.now(), Time::at(seconds(10)));
    Time seen;
    sim.schedule_in(seconds(1), [&] { seen = sim.now(); });
    EXPECT_EQ(sim.run_for(seconds(5)), RunStatus::kTimeLimit);
    EXPECT_EQ(seen, Time::at(seconds(11)));
    EXPECT_EQ(sim.now(), Time::at(seconds(15)));
}

// After run_until stops short of a far event, events scheduled between the limit and
// that event must still run first (the queue has already looked ahead at the far one).
TEST(Simulator, EventsScheduledAfterRunUntilKeepTheirOrder) {
    Simulator sim;
    std::vector<int> order;
    for (int i = 0; i < 50; ++i)
        sim.schedule_at(Time::at(seconds(100 + i)), [&order, i] { order.push_back(100 + i); });
    sim.run_until(Time::at(seconds(1)));
    sim.schedule_in(seconds(1), [&] { order.push_back(1); });
    sim.schedule_in(seconds(150), [&] { order.push_back(999); });
    sim.schedule_in(seconds(99), [&] { order.push_back(100); });  // ties with the first far one: after it
    sim.run();
    std::vector<int> expected{1, 100, 100};
    for (int i = 1; i < 50; ++i) expected.push_back(100 + i);
    expected.push_back(999);
    EXPECT_EQ(order, expected);
}

TEST(Simulator, StopReturnsAfterTheCurrentEvent) {
    Simulator sim;
    std::vector<int> order;
    sim.schedule_at(Time::at(millis(1)), [&] { order.push_back(1); });
    sim.schedule_at(Time::at(millis(2)), [&] {
        order.push_back(2);
        sim.stop();
    });
    sim.schedule_at(Time::at(millis(2)), [&] { order.push_back(3); });
    sim.schedule_at(Time::at(millis(3)), [&] { order.push_back(4); });
    EXPECT_EQ(sim.run(), RunStatus::kStopped);
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_EQ(sim.now(), Time::at(millis(2)));
    EXPECT_EQ(sim.pending(), 2u);
    EXPECT_EQ(sim.run(), RunStatus::kQueueEmpty);  // resumes where it stopped
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(Simulator, StopInsideRunUntilKeepsTheClockAtTheEvent) {
    Simulator sim;
    sim.schedule_at(Time::at(millis(5)), [&] { sim.stop(); });
    EXPECT_EQ(sim.run_until(Time::at(seconds(1))), RunStatus::kStopped);
    EXPECT_EQ(sim.now(), Time::at(millis(5)));
}

TEST(Simulator, StopOutsideARunHasNoEffect) {
    Simulator sim;
    sim.stop();
    int runs = 0;
    sim.schedule_in(millis(1), [&] { ++runs; });
    sim.schedule_in(millis(2), [&] { ++runs; });
    EXPECT_EQ(sim.run(), RunStatus::kQueueEmpty);
    EXPECT_EQ(runs, 2);
}

TEST(Simulator, EventsAtTheEndOfTimeRun) {
    Simulator sim;
    std::vector<int> order;
    sim.schedule_at(Time::max(), [&] { order.push_back(2); });
    sim.schedule_at(Time::max() - nanos(1), [&] { order.push_back(1); });
    sim.schedule_at(Time::zero(), [&] { order.push_back(0); });
    sim.run();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(sim.now(), Time::max());
}

TEST(Simulator, SchedulingInThePastIsABug) {
    Simulator sim;
    sim.run_until(Time::at(seconds(1)));
    EXPECT_DEATH(sim.schedule_at(Time::zero(), [] {}), "assertion failed");
    EXPECT_DEATH(sim.schedule_in(-nanos(1), [] {}), "assertion failed");
}

// A reference model: a sorted list of (time, insertion number). Random schedules (from
// outside and inside events), cancels, heavy-tailed and tied times; the simulator must
// run exactly the reference's events in the reference's order.
struct ModelRun {
    std::vector<std::uint64_t> order;
};

ModelRun random_workload(std::uint64_t seed, SimulatorOptions options) {
    Simulator sim(options);
    SplitMix64 rng(seed);
    ModelRun out;
    std::vector<EventId> ids;
    std::uint64_t next_label = 0;
    auto delay = [&rng]() -> Duration {
        switch (rng.next_u64() % 5) {
            case 0:
                return Duration::zero();  // ties at now
            case 1:
                return nanos(static_cast<std::int64_t>(rng.next_u64() % 100));  // dense
            case 2:
                return micros(static_cast<std::int64_t>(rng.next_u64() % 1000));  // ms scale
            case 3:
                return seconds(static_cast<std::int64_t>(rng.next_u64() % 20));  // timers
            default:
                return hours(static_cast<std::int64_t>(rng.next_u64() % 3));  // far tail
        }
    };
    std::function<void()> spawn;
    auto schedule = [&](Duration d) {
        const std::uint64_t label = next_label++;
        ids.push_back(sim.schedule_in(d, [&, label] {
            out.order.push_back(label);
            const std::uint64_t r = rng.next_u64() % 10;
            if (r < 6) spawn();
            if (r < 2) spawn();
            if (r == 9 && !ids.empty()) sim.cancel(ids[rng.next_u64() % ids.size()]);
        }));
    };
    spawn = [&] {
        if (next_label < 20000) schedule(delay());
    };
    for (int i = 0; i < 2000; ++i) schedule(delay());
    for (int i = 0; i < 300; ++i) sim.cancel(ids[rng.next_u64() % ids.size()]);
    for (int step = 1; !sim.empty(); ++step) sim.run_until(sim.now() + seconds(step % 7));
    return out;
}

TEST(Simulator, MatchesAReferenceOrderUnderRandomWorkloads) {
    for (const std::uint64_t seed : {1, 2, 3}) {
        // The same workload with frequent renumbering must run identically.
        const ModelRun a = random_workload(seed, {});
        const ModelRun b = random_workload(seed, {.sequence_limit = 4099});  // renumbers often
        ASSERT_GT(a.order.size(), 5000u);
        EXPECT_EQ(a.order, b.order) << "seed " << seed;
    }
}

// Orders checked directly: every event records (time, label); labels were handed out in
// scheduling order, so the record must be sorted by (time, label) whenever labels of one
// time were scheduled in order, which holds as every schedule has t >= now.
TEST(Simulator, RunOrderIsSortedByTimeThenSequence) {
    Simulator sim;
    SplitMix64 rng(7);
    std::vector<std::pair<std::int64_t, std::uint64_t>> seen;
    std::uint64_t label = 0;
    std::function<void()> body;
    auto add = [&](Duration d) {
        const std::uint64_t l = label++;
        sim.schedule_in(d, [&, l] {
            seen.emplace_back(sim.now().nanos(), l);
            if (label < 50000) body();
        });
    };
    body = [&] {
        const std::uint64_t r = rng.next_u64();
        add(nanos(static_cast<std::int64_t>((r % 4 == 0) ? 0 : (r >> 40) % 5000)));
    };
    for (int i = 0; i < 1000; ++i) add(nanos(static_cast<std::int64_t>(rng.next_u64() % 1000)));
    sim.run();
    ASSERT_EQ(seen.size(), 50000u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST(Simulator, ManyCancelsAreCompactedAndOrderHolds) {
    Simulator sim;
    std::vector<EventId> ids;
    std::vector<int> order;
    for (int i = 0; i < 10000; ++i) {
        ids.push_back(sim.schedule_at(Time::at(micros(10000 - i)), [&order, i] { order.push_back(i); }));
    }
    for (int i = 0; i < 10000; ++i) {
        if (i % 10 != 0) {
            EXPECT_TRUE(sim.cancel(ids[static_cast<std::size_t>(i)]));
        }
    }
    EXPECT_EQ(sim.pending(), 1000u);
    sim.run();
    ASSERT_EQ(order.size(), 1000u);
    for (std::size_t k = 0; k < order.size(); ++k) EXPECT_EQ(order[k], 9990 - 10 * static_cast<int>(k));
}

TEST(Simulator, RenumberingKeepsTiesFifo) {
    Simulator sim({.sequence_limit = 64});  // at most 40 pending below
    std::vector<int> order;
    for (int round = 0; round < 40; ++round) {
        const Time t = Time::at(seconds(round / 4 + 1));
        for (int i = 0; i < 10; ++i)
            sim.schedule_at(t, [&order, round, i] { order.push_back(round * 10 + i); });
        if (round % 4 == 3) sim.run_until(t);
    }
    sim.run();
    ASSERT_EQ(order.size(), 400u);
    for (int k = 0; k < 400; ++k) EXPECT_EQ(order[static_cast<std::size_t>(k)], k);
}

// Renumbering drops cancelled keys: only pending events count against the limit. (It
// used to renumber every key, cancelled ones included, and abort on the assertion that
// the fresh numbers fit below the limit.)
TEST(Simulator, RenumberingDropsCancelledKeys) {
    Simulator sim({.sequence_limit = 64});
    std::vector<int> order;
    std::vector<EventId> ids;
    for (int i = 0; i < 50; ++i) {
        ids.push_back(sim.schedule_at(Time::at(seconds(1 + i)), [&order, i] { order.push_back(i); }));
    }
    for (int i = 0; i < 50; ++i) {
        if (i % 10 != 0) {
            EXPECT_TRUE(sim.cancel(ids[static_cast<std::size_t>(i)]));  // 45 dead keys, not compacted
        }
    }
    // 5 pending; 20 more sequence numbers pass the limit of 64 with 45 dead keys queued.
    for (int i = 0; i < 20; ++i)
        sim.schedule_at(Time::at(millis(500)), [&order, i] { order.push_back(100 + i); });
    EXPECT_EQ(sim.pending(), 25u);
    sim.run();
    std::vector<int> expected;
    for (int i = 0; i < 20; ++i) expected.push_back(100 + i);
    for (int i = 0; i < 50; i += 10) expected.push_back(i);
    EXPECT_EQ(order, expected);
}

// A slot whose generation wraps to 0 is retired: ids issued before the wrap can never
// name a later event. (first_generation starts slots near the wrap; the default would
// take 2^32 events per slot.)
TEST(Simulator, GenerationWrapRetiresTheSlot) {
    Simulator sim({.first_generation = 0xffffffffU - 2});
    int runs = 0;
    std::vector<EventId> old;
    old.push_back(sim.schedule_in(millis(1), [&] { ++runs; }));  // generation 2^32-3
    sim.run();
    old.push_back(sim.schedule_in(millis(1), [&] { ++runs; }));  // same slot, 2^32-2
    EXPECT_TRUE(sim.cancel(old.back()));
    sim.run();
    old.push_back(sim.schedule_in(millis(1), [&] { ++runs; }));  // same slot, 2^32-1
    EXPECT_EQ(old[0].is_null(), false);
    sim.run();  // the generation wraps to 0: the slot is retired
    EXPECT_EQ(runs, 2);
    for (int i = 0; i < 100; ++i) {
        const EventId fresh = sim.schedule_in(millis(1), [&] { ++runs; });
        for (const EventId& stale : old) {
            EXPECT_FALSE(fresh == stale);
            EXPECT_FALSE(sim.is_pending(stale));
            EXPECT_FALSE(sim.cancel(stale));
        }
        EXPECT_TRUE(sim.is_pending(fresh));
        sim.run();
    }
    EXPECT_EQ(runs, 102);
}

// run_for with a span reaching past the end of the timeline runs to the end instead of
// overflowing (it computed now() + d in plain int64 arithmetic).
TEST(Simulator, RunForSaturatesAtTheEndOfTime) {
    Simulator sim;
    sim.run_until(Time::at(hours(1)));
    std::vector<int> order;
    sim.schedule_at(Time::max(), [&] { order.push_back(2); });
    sim.schedule_in(hours(1), [&] { order.push_back(1); });
    EXPECT_EQ(sim.run_for(Duration::max()), RunStatus::kTimeLimit);
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_EQ(sim.now(), Time::max());
    EXPECT_EQ(sim.run_for(seconds(1)), RunStatus::kTimeLimit);  // already at the end: stays
    EXPECT_EQ(sim.now(), Time::max());
}

TEST(Simulator, SchedulingPastTheEndOfTimeIsABug) {
    Simulator sim;
    sim.run_until(Time::at(seconds(1)));
    EXPECT_DEATH(sim.schedule_in(Duration::max(), [] {}), "assertion failed");
}

// The calendar queue with keys spread over the whole int64 range (widths computed in
// 128 bits, clamped to 2^62 before narrowing) and with few far keys.
TEST(Simulator, ExtremeTimeSpreadsKeepTheirOrder) {
    const std::int64_t kMax = Time::max().nanos();
    const std::vector<std::int64_t> times = {0,
                                             1,
                                             kMax,
                                             std::int64_t{1} << 62,
                                             (std::int64_t{1} << 62) + 1,
                                             kMax - 1,
                                             std::int64_t{1} << 61,
                                             kMax / 3,
                                             kMax,
                                             2,
                                             (std::int64_t{1} << 62) + 5};
    for (std::size_t n = 1; n <= times.size(); ++n) {
        Simulator sim;
        std::vector<std::pair<std::int64_t, std::size_t>> seen, expected;
        for (std::size_t i = 0; i < n; ++i) {
            sim.schedule_at(Time::from_nanos(times[i]),
                            [&seen, &sim, i] { seen.emplace_back(sim.now().nanos(), i); });
            expected.emplace_back(times[i], i);
        }
        std::sort(expected.begin(), expected.end());
        sim.run();
        EXPECT_EQ(seen, expected) << n << " keys";
    }
}

}  // namespace
}  // namespace cl::sim
