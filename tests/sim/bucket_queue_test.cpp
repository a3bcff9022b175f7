// The calendar queue under the Simulator (sim/kernel/bucket_queue.hpp), checked key by
// key against a std::set under random pushes, pops, filters and drains, with time
// distributions that exercise every tier: sorted runs, the switch to a heap when keys
// keep landing in the middle of a long current bucket, empty buckets, redistribution
// (also the early one after an overfull bucket, and the one from an overfull heap).
#include "sim/kernel/bucket_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <set>
#include <vector>

#include "protocol/core/split_mix64.hpp"

namespace cl::sim::detail {
namespace {

struct Less {
    bool operator()(const HeapEntry& a, const HeapEntry& b) const { return a < b; }
};

// Keys are (time, sequence << 32 | slot) as the Simulator makes them; a slot is unique
// while its key is queued, so freed slots are reused as the Simulator's free list does.
class Harness {
  public:
    explicit Harness(std::uint64_t seed) : rng_(seed) {}

    void push(std::int64_t t) {
        std::uint32_t slot;
        if (free_.empty()) {
            slot = next_slot_++;
        } else {
            slot = free_.back();
            free_.pop_back();
        }
        queue_.reserve_slots(next_slot_);
        const HeapEntry e = HeapEntry::make(t, (sequence_++ << 32) | slot);
        queue_.push(e);
        model_.insert(e);
    }

    // Pops one key and checks it is the model's minimum; returns its time.
    std::int64_t pop() {
        EXPECT_FALSE(queue_.empty());
        const HeapEntry top = queue_.top();
        EXPECT_EQ(top.key, model_.begin()->key);
        queue_.pop();
        model_.erase(model_.begin());
        free_.push_back(top.slot());
        now_ = top.time();
        return now_;
    }

    void drop_every_third() {
        queue_.retain_if([&](const HeapEntry& e) {
            const bool keep = (e.tag() >> 32) % 3 != 0;
            if (!keep) {
                EXPECT_EQ(model_.erase(e), 1u);
                free_.push_back(e.slot());
            }
            return keep;
        });
        EXPECT_EQ(queue_.size(), model_.size());
    }

    void drain_and_refill() {
        std::vector<HeapEntry> keys;
        queue_.drain_to(keys);
        EXPECT_TRUE(queue_.empty());
        ASSERT_EQ(keys.size(), model_.size());
        std::sort(keys.begin(), keys.end());
        for (const HeapEntry& e : keys) queue_.push(e);
    }

    std::uint64_t next() { return rng_.next_u64(); }
    std::int64_t now() const { return now_; }
    std::size_t size() const { return model_.size(); }
    BucketQueue& queue() { return queue_; }

  private:
    SplitMix64 rng_;
    BucketQueue queue_;
    std::set<HeapEntry, Less> model_;
    std::vector<std::uint32_t> free_;
    std::uint32_t next_slot_ = 0;
    std::uint64_t sequence_ = 0;
    std::int64_t now_ = 0;
};

// One delay from a mix: ties at now, dense, ms-scale, timers, a far tail.
std::int64_t mixed_delay(Harness& h) {
    const std::uint64_t r = h.next();
    switch (r % 6) {
        case 0:
            return 0;
        case 1:
            return static_cast<std::int64_t>((r >> 8) % 100);
        case 2:
            return static_cast<std::int64_t>((r >> 8) % 1'000'000);
        case 3:
            return static_cast<std::int64_t>((r >> 8) % 20'000'000'000);
        case 4:
            return static_cast<std::int64_t>((r >> 8) % 10'000);
        default:
            return static_cast<std::int64_t>((r >> 8) % 10'000'000'000'000);
    }
}

TEST(BucketQueue, MatchesASortedSetUnderMixedWorkloads) {
    int heap_steps = 0;
    for (const std::uint64_t seed : {1, 2, 3}) {
        Harness h(seed);
        for (int i = 0; i < 3000; ++i) h.push(mixed_delay(h));
        for (int step = 0; step < 40'000; ++step) {
            heap_steps += h.queue().near_is_heap() ? 1 : 0;
            const std::uint64_t r = h.next() % 100;
            if (h.size() > 0 && r < 48) {
                h.pop();
            } else if (r < 97) {
                h.push(h.now() + mixed_delay(h));
            } else if (r == 97) {
                h.drop_every_third();
            } else if (r == 98 && step % 7 == 0) {
                h.drain_and_refill();
            } else {
                for (int k = 0; k < 50; ++k) h.push(h.now() + 100);  // a burst of ties
            }
        }
        while (h.size() > 0) h.pop();
        EXPECT_TRUE(h.queue().empty()) << "seed " << seed;
    }
    EXPECT_GT(heap_steps, 0);  // the bursts of ties made the near tier a heap at times
}

// A long current bucket (many keys at nearby times) that keeps receiving keys in its
// middle: the run refuses to move more than kMaxShift keys, the tier becomes a heap, and
// order holds through the switch and back.
TEST(BucketQueue, LongBucketFedInTheMiddleSwitchesToAHeapAndKeepsOrder) {
    Harness h(9);
    int heap_steps = 0;
    for (int i = 0; i < 2000; ++i) h.push(1'000'000 + static_cast<std::int64_t>(h.next() % 1000));
    for (int i = 0; i < 2000; ++i) h.push(5'000'000'000 + static_cast<std::int64_t>(h.next() % 1'000'000));
    for (int step = 0; step < 20'000; ++step) {
        if (step % 3 == 0) {
            h.pop();
        } else {
            h.push(h.now() + static_cast<std::int64_t>(h.next() % 2000));
        }
        heap_steps += h.queue().near_is_heap() ? 1 : 0;
    }
    EXPECT_GT(heap_steps, 1000);
    while (h.size() > 0) h.pop();
    EXPECT_FALSE(h.queue().near_is_heap());
}

// A flood after a quiet spell: the width was chosen for timers a millisecond apart, then
// a thousand keys land within a millisecond and each one popped pushes another within the
// next millisecond (a message relayed on), so each bucket loaded holds ~2,000 keys. The
// overfull bucket makes the queue re-choose a width for the flood's density long before
// its horizon (~1 s) runs out; order holds throughout.
TEST(BucketQueue, OverfullBucketRechoosesTheWidth) {
    Harness h(11);
    for (int i = 1; i <= 100; ++i) h.push(std::int64_t{i} * 1'000'000);
    h.pop();
    const std::uint64_t quiet_width = h.queue().bucket_width();
    EXPECT_GE(quiet_width, std::uint64_t{1} << 20);
    for (int i = 0; i < 1000; ++i) h.push(20'000'000 + static_cast<std::int64_t>(h.next() % 1'000'000));
    std::uint64_t flood_width = quiet_width;
    for (int step = 0; step < 20'000; ++step) {
        if (h.pop() >= 20'000'000) h.push(h.now() + 1000 + static_cast<std::int64_t>(h.next() % 1'000'000));
        flood_width = std::min(flood_width, h.queue().bucket_width());
    }
    EXPECT_LT(flood_width, quiet_width / 100);
    while (h.size() > 0) h.pop();
}

// A flood that starts inside a wide current bucket: every push lands in the near tier,
// which becomes a heap; once it is overfull the queue re-chooses the width from the
// heap's spacing. Here the many quiet keys (timers, seconds apart) would keep the usual
// rule's width at about a second, so only the heap's own spacing narrows it.
TEST(BucketQueue, OverfullHeapRechoosesTheWidth) {
    Harness h(12);
    for (int i = 1; i <= 5'000; ++i) h.push(std::int64_t{i} * 1'000'000'000);
    h.pop();  // now 1 s; the bucket holding it spans about a second
    const std::uint64_t quiet_width = h.queue().bucket_width();
    ASSERT_GE(quiet_width, std::uint64_t{1} << 28);
    auto flood_key = [&h] { return h.now() + 1'000'000 + static_cast<std::int64_t>(h.next() % 4'000'000); };
    for (int i = 0; i < 200; ++i) h.push(flood_key());
    bool was_heap = false;
    std::uint64_t flood_width = quiet_width;
    // Each flood key popped pushes another a few ms later: 200 keys within 5 ms.
    for (int step = 0; step < 5'000; ++step) {
        if (h.pop() < 2'000'000'000) h.push(flood_key());
        was_heap = was_heap || h.queue().near_is_heap();
        flood_width = std::min(flood_width, h.queue().bucket_width());
    }
    EXPECT_TRUE(was_heap);
    EXPECT_LT(flood_width, quiet_width / 1000);
    while (h.size() > 0) h.pop();
}

// The hold model the bench runs: population constant, each pop pushes one key at
// now + (roughly exponential) delay; also with a population of one.
TEST(BucketQueue, HoldModelMatchesTheSet) {
    for (const int population : {1, 7, 1000}) {
        Harness h(static_cast<std::uint64_t>(population));
        auto delay = [&h] {
            // -ln(u) by a crude integer approximation: good enough to spread keys.
            const std::uint64_t r = h.next();
            return static_cast<std::int64_t>(std::countl_zero(r | 1) * 1000 + (r & 1023));
        };
        for (int i = 0; i < population; ++i) h.push(delay());
        for (int i = 0; i < 50'000; ++i) {
            h.pop();
            h.push(h.now() + delay());
        }
        while (h.size() > 0) h.pop();
    }
}

TEST(SortedRun, InsertsInOrderAndRefusesLongShifts) {
    SortedRun run;
    for (std::uint64_t k = 0; k < 100; ++k)
        run.append(HeapEntry::make(static_cast<std::int64_t>(100 - k), k));
    run.sort();
    for (const HeapEntry* e = run.begin(); e + 1 != run.end(); ++e) EXPECT_LT(e->key, e[1].key);
    // Later than all: appended. Before the front with a consumed prefix: reuses it.
    EXPECT_TRUE(run.insert(HeapEntry::make(1000, 0)));
    run.pop_front();
    EXPECT_TRUE(run.insert(HeapEntry::make(0, 0)));
    EXPECT_EQ(run.front().time(), 0);
    // In the middle with > kMaxShift later keys: refused, nothing changed.
    const std::size_t size = run.size();
    EXPECT_FALSE(run.insert(HeapEntry::make(10, 0)));
    EXPECT_EQ(run.size(), size);
    // Within kMaxShift of the back: accepted.
    EXPECT_TRUE(run.insert(HeapEntry::make(90, 0)));
    for (const HeapEntry* e = run.begin(); e + 1 != run.end(); ++e) EXPECT_LT(e->key, e[1].key);
}

}  // namespace
}  // namespace cl::sim::detail
