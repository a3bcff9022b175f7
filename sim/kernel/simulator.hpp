// The discrete-event simulator core: simulated clock, event queue, run loop.
//
// Contract (DESIGN.md §3, §6):
// - Events run in (time, insertion sequence) order; events at the same time run in the
//   order they were scheduled (FIFO), independent of addresses, slot reuse or cancels.
// - An event is a small callable `void()` stored inline in a slot of a slab (at most
//   kInlineCallableBytes bytes, nothrow constructible). Scheduling, running and
//   cancelling allocate nothing once the slab and the heap have reached their
//   high-water mark: a steady-state run performs no heap allocation per event.
//   Larger state belongs to the caller (e.g. the network posts a DeliveryEvent holding
//   its record of the message in flight, the payload a handle into the hosts' pool).
// - EventId is always safe to use: cancelling or querying an id whose event already
//   ran, was cancelled, or never existed (EventId{}) is a harmless no-op. Ids never
//   dangle: a slot's generation changes whenever its event stops being pending, and a
//   slot whose 32-bit generation would wrap is retired rather than reused.
// - Callbacks must not throw (a throwing callback terminates: a bug is an abort). A
//   callback may schedule, cancel and call stop(); it may not call run*() re-entrantly.
// - Prefetch hook (issue 16): a callable may have a member `void prefetch() const
//   noexcept`. While event i runs, its state is often cold (at 10^4 nodes and more, the
//   receiving node's lines are cache misses); so, with SimulatorOptions::prefetch_next,
//   just before running an event the loop calls prefetch() of the event then next in
//   line, if any and if it has the hook, so that its misses overlap this event's work. A
//   hint only: it must change nothing observable (issue __builtin_prefetch, read at
//   most), and the event it is called for may still be cancelled or preceded by events
//   scheduled meanwhile.
//
// Data structure (chosen by measurement with bench/des_hold.cpp): 16-byte keys
// (time, sequence, slot) in a two-tier calendar queue (bucket_queue.hpp: the current
// bucket as a sorted run or, when keys keep landing in its middle, a 4-ary heap;
// unsorted buckets after it; an unsorted far tier); the callables live in a slab of
// 64-byte slots (chunks of 1024, never moved), each slot holding one thunk pointer that
// runs-and-destroys or only destroys its callable. Free slots are a LIFO stack of indices
// in one array apart from the slab (not a list threaded through the slots: popping such a
// list reads the next link from a slot freed long ago, a cache miss per schedule). A
// plain 4-ary heap over the same keys measured 2-3x slower on the hold model at
// 10^4-10^5 pending events (dependent cache misses per level).
//
// Complexity: schedule O(1) amortised (into a bucket, or into the current bucket's run
// moving at most a bounded number of keys, or its heap: O(log k), k its size); running
// an event O(1) from a run, O(log k) from a heap, plus the amortised cost of sorting
// each bucket as it becomes current (O(1) per key at the usual few keys per bucket) and
// of moving each key through a few tiers; a badly spread population degrades toward
// O(log n), never worse. cancel O(1) (lazy: the callable is destroyed at once, its key
// is dropped when it surfaces, or by an O(n) compaction once cancelled keys outnumber
// live ones, amortised O(1) per cancel). A running event's key has already left the
// queue.
//
// Thread-safety: none; one Simulator per thread (replications run in separate ones).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocol/core/assert.hpp"
#include "sim/kernel/bucket_queue.hpp"
#include "sim/kernel/time.hpp"

namespace cl::sim {

// Names one scheduled event. Default-constructed: names no event.
class EventId {
  public:
    constexpr EventId() = default;
    constexpr bool is_null() const { return generation_ == 0; }
    friend constexpr bool operator==(EventId, EventId) = default;

  private:
    friend class Simulator;
    constexpr EventId(std::uint32_t slot, std::uint32_t generation) : slot_(slot), generation_(generation) {}
    std::uint32_t slot_ = 0;
    std::uint32_t generation_ = 0;  // 0 is never a live generation
};

enum class RunStatus {
    kQueueEmpty,  // run(): no pending event is left
    kTimeLimit,   // run_until(): every event at or before the limit ran; now() == limit
    kStopped,     // stop() was called by an event; now() is that event's time
};

struct SimulatorOptions {
    // Sequence numbers are 32-bit; when this many have been issued, pending events are
    // renumbered in order (O(n log n), once per ~4·10^9 schedules; cancelled keys are
    // dropped on the way). Lower it only to test the renumbering.
    // REQUIRES: 2 <= sequence_limit <= 2^32, and greater than the largest number of
    // pending events (with the default, always true: there are fewer than 2^32 slots).
    std::uint64_t sequence_limit = std::uint64_t{1} << 32;
    // The generation a fresh slot starts at. A slot's generation is bumped each time its
    // event runs or is cancelled, and the slot is retired when it wraps to 0. Raise it
    // only to test the wrap-around. REQUIRES: != 0.
    std::uint32_t first_generation = 1;
    // Call the next event's prefetch hook before running each event (see the header
    // comment). Off, the loop does not look at the next event: for working sets that fit
    // in cache, where the look costs instructions (+6.6 % on bench/des_hold.cpp) and
    // saves nothing.
    bool prefetch_next = false;
};

class Simulator {
  public:
    static constexpr std::size_t kInlineCallableBytes = 48;

    explicit Simulator(SimulatorOptions options = {});
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;
    ~Simulator();

    Time now() const { return Time::from_nanos(now_); }

    // Schedules fn() to run at time t. REQUIRES: now() <= t <= Time::max().
    template <class F>
    EventId schedule_at(Time t, F&& fn);

    // schedule_at() for an event that is never cancelled or queried: the same order and
    // REQUIRES, but no id. Making the id reads the slot back, and the slot is often cold
    // (freed long before); without it the slot is only written, and the writes need not
    // wait for the line (issue 16: the network's deliveries, one per link a flood
    // crosses; -4 % CPU on launch day, docs/benchmarks.md).
    template <class F>
    void post_at(Time t, F&& fn) {
        (void)place(t, std::forward<F>(fn));
    }

    // Schedules fn() to run after `delay`. REQUIRES: delay >= 0, now() + delay <= Time::max().
    template <class F>
    EventId schedule_in(Duration delay, F&& fn) {
        CL_ASSERT(delay >= Duration::zero() && delay <= Time::max() - now());
        return schedule_at(now() + delay, std::forward<F>(fn));
    }

    // Cancels a pending event: its callable is destroyed now and it will not run.
    // Returns whether it was pending. Harmless on a run, cancelled or null id. O(1).
    bool cancel(EventId id);

    // Whether the event is scheduled and has neither started running nor been cancelled.
    bool is_pending(EventId id) const;

    // Runs events until none is left or an event calls stop().
    RunStatus run();
    // Runs every event with time <= limit (events exactly at the limit run, including
    // ones scheduled at the limit by events at the limit), then sets now() to limit;
    // or returns early when an event calls stop(). REQUIRES: limit >= now().
    RunStatus run_until(Time limit);
    // run_until(now() + d), where a limit past the end of the timeline is Time::max()
    // (so run_for(Duration::max()) is "run to the end"). REQUIRES: d >= 0.
    RunStatus run_for(Duration d) {
        CL_ASSERT(d >= Duration::zero());
        return run_until(saturating_add(now(), d));
    }

    // Makes the current run*() return once the running event finishes. Outside a run:
    // no effect (the flag is cleared when a run starts).
    void stop() { stop_requested_ = true; }

    // Pending (scheduled, not run, not cancelled) events.
    std::size_t pending() const { return queue_.size() - dead_keys_; }
    bool empty() const { return pending() == 0; }
    // Time of the earliest pending event, or Time::max() when there is none. O(1)
    // amortised (discards cancelled keys at the top).
    Time next_time();
    // Events run since construction.
    std::uint64_t events_run() const { return events_run_; }

  private:
    // kRun: runs then destroys the callable at p; kDestroy: only destroys it; kPrefetch:
    // calls its prefetch hook (only for callables that have one: Slot::prefetch).
    enum class Op : std::uint8_t { kRun, kDestroy, kPrefetch };
    using Thunk = void (*)(void* p, Op op) noexcept;
    template <class Fn>
    static constexpr bool kHasPrefetch = requires(const Fn& fn) {
        { fn.prefetch() }
        noexcept;
    };
    template <class Fn>
    static void thunk_for(void* p, Op op) noexcept {
        Fn& fn = *std::launder(static_cast<Fn*>(p));
        if (op == Op::kPrefetch) {
            if constexpr (kHasPrefetch<Fn>) std::as_const(fn).prefetch();
            return;
        }
        if (op == Op::kRun) fn();
        fn.~Fn();
    }

    struct alignas(64) Slot {
        Thunk thunk = nullptr;  // non-null while the slot holds a pending event's callable
        std::uint32_t generation = 1;
        bool prefetch = false;  // the callable has a prefetch hook
        alignas(16) unsigned char storage[kInlineCallableBytes];
    };
    static_assert(sizeof(Slot) == 64);

    static constexpr std::uint32_t kNoSlot = 0xffffffffU;
    static constexpr unsigned kChunkBits = 10;
    static constexpr std::uint32_t kChunkSize = 1U << kChunkBits;

    Slot& slot(std::uint32_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const Slot& slot(std::uint32_t i) const { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }

    std::uint32_t acquire_slot() {
        if (free_count_ != 0) return free_[--free_count_];
        return new_slot();
    }
    std::uint32_t new_slot();
    // REQUIRES: the slot holds no callable and no queued key refers to it.
    void release_slot(std::uint32_t i) {
        if (slot(i).generation == 0) return;  // the generation wrapped: retire the slot for good
        free_[free_count_++] = i;
    }
    void destroy_callable(Slot& s);
    // Stores fn in a free slot and queues it for time t; returns the slot.
    template <class F>
    std::uint32_t place(Time t, F&& fn);
    void enqueue(std::int64_t t, std::uint32_t slot_index);
    void renumber();
    void compact();
    RunStatus run_loop(std::int64_t limit);

    detail::BucketQueue queue_;
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::uint32_t slab_size_ = 0;  // slots ever handed out
    // Free slots, the most recently freed last: free_[0, free_count_). Sized with the slab
    // (a slot is in it at most once), so pushing never checks or grows.
    std::unique_ptr<std::uint32_t[]> free_;
    std::uint32_t free_count_ = 0;
    std::int64_t now_ = 0;
    std::uint64_t next_sequence_ = 0;
    std::uint64_t sequence_limit_;
    std::uint32_t first_generation_;
    std::size_t dead_keys_ = 0;  // cancelled events whose key is still queued
    std::uint64_t events_run_ = 0;
    bool running_ = false;
    bool stop_requested_ = false;
    bool prefetch_next_;
};

template <class F>
EventId Simulator::schedule_at(Time t, F&& fn) {
    const std::uint32_t i = place(t, std::forward<F>(fn));
    return EventId(i, slot(i).generation);
}

template <class F>
std::uint32_t Simulator::place(Time t, F&& fn) {
    using Fn = std::decay_t<F>;
    static_assert(std::is_invocable_r_v<void, Fn&>, "an event is a callable void()");
    static_assert(
        sizeof(Fn) <= kInlineCallableBytes,
        "event callable too large for inline storage: capture less, or an index into your own pool");
    static_assert(alignof(Fn) <= 16, "event callable over-aligned");
    static_assert(std::is_nothrow_constructible_v<Fn, F&&>, "event callable must be nothrow constructible");
    CL_ASSERT(t.nanos() >= now_);
    const std::uint32_t i = acquire_slot();
    Slot& s = slot(i);
    ::new (static_cast<void*>(s.storage)) Fn(std::forward<F>(fn));
    s.thunk = &thunk_for<Fn>;
    s.prefetch = kHasPrefetch<Fn>;
    enqueue(t.nanos(), i);
    return i;
}

inline void Simulator::enqueue(std::int64_t t, std::uint32_t slot_index) {
    if (next_sequence_ == sequence_limit_) [[unlikely]]
        renumber();
    queue_.push(detail::HeapEntry::make(t, (next_sequence_++ << 32) | slot_index));
}

}  // namespace cl::sim
