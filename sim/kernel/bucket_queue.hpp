// The priority queue under the Simulator: a two-tier calendar queue over 16-byte keys.
//
// Keys are detail::HeapEntry: (time, tag) with tag = (sequence << 32) | slot, ordered
// as one unsigned 128-bit integer, so equal times run FIFO (DESIGN.md §6).
//
// Tiers, each holding a disjoint range of times:
//   near     every key with time < near_end_: the keys of the current bucket, as a
//            sorted run (ascending, consumed from the front: pop is an increment), or as
//            a 4-ary heap (event_heap.hpp) once an insertion would have to move more than
//            SortedRun::kMaxShift later keys; it returns to a run when it drains;
//   buckets  B unsorted lists; bucket i holds keys with time in
//            [base_ + i·W, base_ + (i+1)·W), for buckets after the cursor;
//   far      an unsorted list of keys with time >= base_ + B·W.
// The lists are threaded through one 16-byte node per event slot (the low 32 bits of
// a key; the owner reserves nodes as its slots grow), so a bucket costs 4 bytes and
// moving a key between tiers allocates nothing.
// When the near tier runs empty, the next non-empty bucket is sorted into it. When the
// buckets run out, the far tier is redistributed: W (a power of two) and B are re-chosen
// from the far keys (see kPerBucket and kHorizon; W from the spacing of the nearer half,
// found on a deterministic sample); keys beyond the new horizon stay far. The width is
// also re-chosen early when a loaded bucket is overfull (more than kOverfull keys: the
// density rose since W was chosen, as when a message floods the network): the later
// buckets are moved to the far tier, so that the next load redistributes it. And when
// pushes grow the near tier past kOverfull keys as a heap (a flood that starts inside a
// wide bucket), its keys and the buckets' are moved to the far tier, which is
// redistributed at once with W from the heap's own spacing (the usual rule would look at
// the whole population, where later keys, such as timers, can keep W wide). Keys with
// equal times are always in the same tier, and every key of a tier is earlier than
// every key of the next, so taking the near tier's minimum yields the global (time,
// sequence) order. Everything depends only on the sequence of operations, never on
// addresses: the queue is deterministic.
//
// Complexity: push O(1) into a bucket or far, and into the near tier O(kMaxShift) as a
// run or O(log k) as a heap (k keys in the bucket); pop O(1) from a run, O(log k) from
// a heap; loading a bucket sorts it (branch-free insertion up to 8 keys, insertion up
// to 16, std::sort beyond), amortised O(log k) per key and O(1) at the usual few keys
// per bucket; each key moves through at most a few tiers (an early redistribution moves
// the keys outside the near tier once, and waits until at least as many keys of overfull
// buckets have been loaded since the last one; one from an overfull heap moves every
// key, and waits until a quarter as many keys have been pushed into an overfull heap:
// both are amortised O(1) per key). A badly
// spread population degrades toward a plain heap (O(log n)), never worse. No allocation
// once the node array covers the slots in use and the near tier and the bucket heads
// have reached their high-water size.
// Internal to sim/kernel; not thread-safe.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "sim/kernel/event_heap.hpp"

namespace cl::sim::detail {

// Keys in ascending order in a_[head_, end_), consumed from the front. The consumed
// prefix is reused: an insertion before the front takes the slot just vacated, and a
// full array is compacted when at least half of it is consumed (else doubled), so a
// run that is fed as fast as it is drained stays in bounded memory.
class SortedRun {
  public:
    // An insertion that would move more later keys than this is refused (the caller
    // switches to a heap): inserting stays O(1), whatever the size of the run.
    static constexpr std::size_t kMaxShift = 32;

    SortedRun() = default;
    SortedRun(const SortedRun&) = delete;
    SortedRun& operator=(const SortedRun&) = delete;

    bool empty() const { return head_ == end_; }
    std::size_t size() const { return end_ - head_; }
    // REQUIRES: !empty().
    const HeapEntry& front() const { return a_[head_]; }
    void pop_front() { ++head_; }
    const HeapEntry* begin() const { return a_.get() + head_; }
    const HeapEntry* end() const { return a_.get() + end_; }

    void clear() { head_ = end_ = 0; }

    // Loading: append() keys in any order (or append_all(next), which appends keys while
    // next(key) yields one), then sort() once.
    void append(HeapEntry e) {
        if (end_ == capacity_) [[unlikely]]
            make_room();
        a_[end_++] = e;
    }
    template <class Next>
    void append_all(Next next) {
        // Locals, so that the stores into the array do not make the compiler reload them.
        HeapEntry* a = a_.get();
        std::size_t end = end_;
        std::size_t capacity = capacity_;
        HeapEntry e;
        while (next(e)) {
            if (end == capacity) [[unlikely]] {
                end_ = end;
                make_room();
                a = a_.get();
                end = end_;
                capacity = capacity_;
            }
            a[end++] = e;
        }
        end_ = end;
    }
    void sort() {
        HeapEntry* const first = a_.get() + head_;
        HeapEntry* const last = a_.get() + end_;
        if (last - first > 16) {
            std::sort(first, last);
            return;
        }
        if (last - first <= 8) {
            // Insertion without an early exit: each key is carried down through the
            // whole sorted prefix by branch-free min/max (the keys of a bucket are in
            // random order, so a data-dependent exit would mispredict about once per
            // key). Where the key has found its place, max/min rewrite the same values.
            for (HeapEntry* p = first + 1; p < last; ++p) {
                HeapKey x = p->key;
                for (HeapEntry* q = p; q > first; --q) {
                    const HeapKey below = q[-1].key;
                    const bool down = x < below;
                    q->key = down ? below : x;
                    x = down ? x : below;
                }
                first->key = x;
            }
            return;
        }
        for (HeapEntry* p = first + 1; p < last; ++p) {
            const HeapEntry e = *p;
            HeapEntry* q = p;
            for (; q > first && e < q[-1]; --q) *q = q[-1];
            *q = e;
        }
    }

    // Inserts e in order and returns true; or returns false, changing nothing, when
    // more than kMaxShift keys are later than e. O(kMaxShift).
    bool insert(HeapEntry e) {
        if (head_ > 0 && (head_ == end_ || e < a_[head_])) {  // a new front: the slot before it
            a_[--head_] = e;
            return true;
        }
        if (end_ == capacity_) [[unlikely]]
            make_room();
        const std::size_t stop = end_ - std::min(size(), kMaxShift);
        std::size_t j = end_;
        while (j > stop && e < a_[j - 1]) --j;
        if (j == stop && j > head_ && e < a_[j - 1]) return false;
        for (std::size_t k = end_; k > j; --k) a_[k] = a_[k - 1];
        a_[j] = e;
        ++end_;
        return true;
    }

    // Keeps the keys for which keep(key) is true, in order. O(n).
    template <class Keep>
    void retain_if(Keep& keep) {
        std::size_t out = head_;
        for (std::size_t i = head_; i < end_; ++i) {
            if (keep(a_[i])) a_[out++] = a_[i];
        }
        end_ = out;
    }

  private:
    // REQUIRES: end_ == capacity_.
    void make_room() {
        const std::size_t n = size();
        if (head_ >= capacity_ / 2 && head_ > 0) {
            std::memmove(static_cast<void*>(a_.get()), a_.get() + head_, n * sizeof(HeapEntry));
        } else {
            const std::size_t new_capacity = capacity_ == 0 ? 64 : capacity_ * 2;
            auto fresh = std::make_unique_for_overwrite<HeapEntry[]>(new_capacity);
            if (n > 0) std::memcpy(static_cast<void*>(fresh.get()), a_.get() + head_, n * sizeof(HeapEntry));
            a_ = std::move(fresh);
            capacity_ = new_capacity;
        }
        head_ = 0;
        end_ = n;
    }

    std::unique_ptr<HeapEntry[]> a_;
    std::size_t head_ = 0;
    std::size_t end_ = 0;
    std::size_t capacity_ = 0;
};

class BucketQueue {
  public:
    // Chosen by measurement on the hold model (bench/des_hold.cpp), n far keys:
    // W = the power of two at or above kPerBucket key spacings of the nearer half, so
    // buckets there hold 1-2x kPerBucket keys (3-6 at the front of the hold model);
    // B = bit_ceil(kHorizon·n/kPerBucket), so the horizon B·W spans 16-64 times the
    // median distance of the keys from the earliest (11-45 mean delays in the hold
    // model) and few new keys go far (an unpredictable branch, then a second move), for
    // 16-32 bytes of bucket heads per key. Fewer keys per bucket cost more loads, more
    // cost more sorting; a shorter horizon sends more keys far.
    static constexpr std::size_t kPerBucket = 2;
    static constexpr std::size_t kHorizon = 8;
    // A loaded bucket with more keys than this makes the next load re-choose the width
    // (see the header). Measured on the launch scenario's floods (hundreds of deliveries
    // per bucket of a width chosen in a quiet spell, so the near tier was sorted with
    // std::sort and fed in its middle as a heap): 16-64 all cut the queue's time by
    // ~2.8x; 64 stays clear of the hold model's 3-6 keys per bucket.
    // The same bound applies to the near tier as a heap (see the header): over the six
    // hours of the launch scenario it held ~1,070 keys on average when popped (over 60 %
    // of all pops); re-bucketing cuts that to 9 % of pops, from heaps of ~170 keys, and
    // the whole run's CPU by ~23 % (docs/benchmarks.md).
    static constexpr std::size_t kOverfull = 64;
    // An overfull heap is re-bucketed once the keys pushed into it since the last
    // redistribution reach size() / kHeapRebucketDivisor (4 beat 1, 2 and 16 on the
    // launch scenario's first hour, measured before the width came from the heap).
    static constexpr std::size_t kHeapRebucketDivisor = 4;

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    // Makes room for keys with slots below n. REQUIRES: called before pushing a key
    // whose slot is >= every n passed so far (the Simulator calls it as its slab grows).
    void reserve_slots(std::size_t n) {
        if (n > nodes_.size()) nodes_.resize(n);
    }

    // REQUIRES: e.slot() < the largest n passed to reserve_slots, and no queued key has
    // the same slot.
    void push(HeapEntry e) {
        ++size_;
        route(e);
    }

    // Whether the near tier is empty, so that top() would load the next bucket first.
    bool near_empty() const { return !heap_mode_ && run_.empty(); }

    // Loads the next non-empty bucket into the near tier (redistributing the far tier
    // when the buckets run out), calling on_load(slot) for each key loaded (so that the
    // owner can prefetch the payloads of the events that run next). Changes no order.
    // REQUIRES: near_empty() and !empty().
    template <class OnLoad>
    void refill(OnLoad on_load) {
        run_.clear();
        for (;;) {
            const std::uint32_t* const heads = heads_.data();
            std::size_t c = cursor_ + 1;
            while (c < bucket_count_ && heads[c] == kNil) ++c;
            if (c < bucket_count_) {
                cursor_ = c;
                set_near_end();
                const Node* const nodes = nodes_.data();
                std::uint32_t i = heads[c];
                heads_[c] = kNil;
                run_.append_all([&](HeapEntry& e) {
                    if (i == kNil) return false;
                    on_load(i);
                    e = HeapEntry::make(nodes[i].time, (std::uint64_t{nodes[i].sequence} << 32) | i);
                    i = nodes[i].next;
                    return true;
                });
                // The next bucket's list is walked next; start its first miss now. (heads_
                // has a spare kNil entry past the last bucket; kNil prefetches node 0.)
                const std::uint32_t next_head = heads[c + 1];
                __builtin_prefetch(&nodes[next_head == kNil ? 0 : next_head]);
                if (run_.size() > 1) run_.sort();
                if (run_.size() > kOverfull) [[unlikely]]
                    end_buckets_after_overfull();
                return;
            }
            cursor_ = c;
            redistribute();
            if (!run_.empty()) {
                for (const HeapEntry* e = run_.begin(); e != run_.end(); ++e) on_load(e->slot());
                return;
            }
        }
    }
    void refill() {
        refill([](std::uint32_t) {});
    }

    // The earliest key. REQUIRES: !near_empty().
    const HeapEntry& near_top() const { return heap_mode_ ? heap_.top() : run_.front(); }

    // The earliest key. REQUIRES: !empty(). Loads the next bucket when the near tier is
    // empty (so it is not const), which changes no order.
    const HeapEntry& top() {
        if (near_empty()) refill();
        return near_top();
    }

    // REQUIRES: !near_empty() (as after top()).
    void pop() {
        if (heap_mode_) [[unlikely]] {
            heap_.pop();
            heap_mode_ = !heap_.empty();
        } else {
            run_.pop_front();
        }
        --size_;
    }

    // Whether the near tier is currently a heap rather than a sorted run (for tests).
    bool near_is_heap() const { return heap_mode_; }
    // The current bucket width in time units (for tests).
    std::uint64_t bucket_width() const { return std::uint64_t{1} << shift_; }

    // Keeps only the keys for which keep(key) is true. O(n).
    template <class Keep>
    void retain_if(Keep keep) {
        if (heap_mode_) {
            heap_.retain_if(keep);
            heap_mode_ = !heap_.empty();
            size_ = heap_.size();
        } else {
            run_.retain_if(keep);
            size_ = run_.size();
        }
        for (std::size_t i = cursor_ + 1; i < bucket_count_; ++i) size_ += filter_list(heads_[i], keep);
        size_ += filter_list(far_head_, keep);
        far_count_ = count_list(far_head_);
    }

    // Removes every key, appending them (unordered) to out.
    void drain_to(std::vector<HeapEntry>& out) {
        out.insert(out.end(), heap_.begin(), heap_.end());
        heap_.clear();
        heap_mode_ = false;
        out.insert(out.end(), run_.begin(), run_.end());
        run_.clear();
        auto take = [&](std::uint32_t& head) {
            for (std::uint32_t i = head; i != kNil; i = nodes_[i].next) out.push_back(key_of(i));
            head = kNil;
        };
        for (std::size_t i = cursor_ + 1; i < bucket_count_; ++i) take(heads_[i]);
        take(far_head_);
        far_count_ = 0;
        size_ = 0;
    }

  private:
    static constexpr std::uint32_t kNil = 0xffffffffU;

    // Keys outside the near tier sit in singly linked lists threaded through one node
    // per slot (a key's slot is unique while it is queued), so buckets cost 4 bytes each
    // and nothing allocates once nodes_ covers every slot in use.
    struct Node {
        std::int64_t time;
        std::uint32_t sequence;
        std::uint32_t next;
    };
    static_assert(sizeof(Node) == 16);

    HeapEntry key_of(std::uint32_t slot) const {
        return HeapEntry::make(nodes_[slot].time, (std::uint64_t{nodes_[slot].sequence} << 32) | slot);
    }
    void link(std::uint32_t& head, HeapEntry e) {
        const std::uint32_t slot = e.slot();
        nodes_[slot] = Node{e.time(), static_cast<std::uint32_t>(e.tag() >> 32), head};
        head = slot;
    }
    template <class Keep>
    std::size_t filter_list(std::uint32_t& head, Keep& keep) {
        std::size_t kept = 0;
        std::uint32_t* link_to = &head;
        while (*link_to != kNil) {
            const std::uint32_t i = *link_to;
            if (keep(key_of(i))) {
                ++kept;
                link_to = &nodes_[i].next;
            } else {
                *link_to = nodes_[i].next;
            }
        }
        return kept;
    }
    // Puts key e, not in any list, at the head of the far tier.
    void push_far(HeapEntry e) {
        link(far_head_, e);
        ++far_count_;
    }
    // Puts the listed key of `slot` (unlinked from its list) at the head of the far tier.
    void link_far(std::uint32_t slot) {
        nodes_[slot].next = far_head_;
        far_head_ = slot;
        ++far_count_;
    }
    // After loading an overfull bucket: moves the later buckets' keys to the far tier and
    // makes the current bucket the last, so that the next load redistributes (re-choosing
    // the width). Only once the keys of overfull buckets loaded since the last
    // redistribution are at least as many as that redistribution will move (every key
    // outside the near tier): amortised O(1) per key.
    [[gnu::cold, gnu::noinline]] void end_buckets_after_overfull() {
        overfull_loaded_ += run_.size();
        if (overfull_loaded_ < size_ - run_.size()) return;
        move_later_buckets_far();
    }
    std::size_t count_list(std::uint32_t head) const {
        std::size_t n = 0;
        for (std::uint32_t i = head; i != kNil; i = nodes_[i].next) ++n;
        return n;
    }

    void push_near(HeapEntry e) {
        if (!heap_mode_) {
            if (run_.insert(e)) [[likely]]
                return;
            // Too many later keys to move: the near tier becomes a heap until it drains.
            // An ascending run is already in heap order, so each push is one comparison.
            for (const HeapEntry* k = run_.begin(); k != run_.end(); ++k) heap_.push(*k);
            run_.clear();
            heap_mode_ = true;
        }
        heap_.push(e);
        if (heap_.size() > kOverfull) [[unlikely]]
            rebucket_overfull_heap();
    }
    // Moves the keys of the buckets after the cursor to the far tier and makes the
    // current bucket the last.
    void move_later_buckets_far() {
        for (std::size_t c = cursor_ + 1; c < bucket_count_; ++c) {
            for (std::uint32_t i = heads_[c]; i != kNil;) {
                const std::uint32_t next = nodes_[i].next;
                link_far(i);
                i = next;
            }
            heads_[c] = kNil;
        }
        bucket_count_ = cursor_ + 1;
    }
    // After a push into a near-tier heap of more than kOverfull keys: once enough such
    // pushes have been made since the last redistribution (see kHeapRebucketDivisor),
    // moves every key to the far tier and redistributes it, re-choosing the width.
    [[gnu::cold, gnu::noinline]] void rebucket_overfull_heap() {
        if (++overfull_pushed_ < size_ / kHeapRebucketDivisor) return;
        std::int64_t lo = std::numeric_limits<std::int64_t>::max();
        std::int64_t hi = std::numeric_limits<std::int64_t>::min();
        for (const HeapEntry& e : heap_) {
            lo = std::min(lo, e.time());
            hi = std::max(hi, e.time());
            push_far(e);
        }
        // kPerBucket of the heap's keys per bucket, as the usual rule aims for.
        const HeapKey width = HeapKey{static_cast<std::uint64_t>(hi - lo)} * kPerBucket / heap_.size();
        heap_.clear();
        heap_mode_ = false;
        move_later_buckets_far();
        redistribute(width);
    }

    void route(HeapEntry e) {
        const std::int64_t t = e.time();
        if (t < near_end_) {
            push_near(e);
            return;
        }
        // t >= near_end_ >= base_. near_end_ is exact unless it saturated at the end of
        // the timeline; the offset test keeps the invariant in that case too.
        const auto offset = static_cast<std::uint64_t>(t - base_) >> shift_;
        if (offset <= cursor_) {
            push_near(e);
        } else if (offset < bucket_count_) {
            link(heads_[offset], e);
        } else {
            push_far(e);
        }
    }

    // near_end_ = base_ + (cursor_ + 1)·2^shift_, saturated at the end of the timeline
    // (in 64 bits unless the horizon reaches past it, which redistribute() records).
    void set_near_end() {
        if (!horizon_saturates_) [[likely]] {
            near_end_ = base_ + static_cast<std::int64_t>((std::uint64_t{cursor_} + 1) << shift_);
            return;
        }
        const HeapKey end = static_cast<HeapKey>(static_cast<std::uint64_t>(base_)) +
                            (static_cast<HeapKey>(cursor_ + 1) << shift_);
        const auto kMax =
            static_cast<HeapKey>(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
        near_end_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(std::min(end, kMax)));
    }

    // Chooses a new base, width (unless given: width_hint, rounded up to a power of two)
    // and bucket count from the far keys and moves those within the new horizon into
    // buckets, and those of the first bucket into the (empty) near tier, sorted.
    // REQUIRES: far tier not empty, buckets exhausted, near tier empty.
    void redistribute(std::optional<HeapKey> width_hint = std::nullopt) {
        const std::size_t n = far_count_;
        overfull_loaded_ = 0;
        overfull_pushed_ = 0;
        // The minimum, and a deterministic sample of up to 64 times (every (n/m)-th key).
        std::int64_t sample[64] = {};
        const std::size_t m = std::min<std::size_t>(n, 64);
        std::int64_t lo = std::numeric_limits<std::int64_t>::max();
        std::size_t index = 0, taken = 0;
        for (std::uint32_t i = far_head_; i != kNil; i = nodes_[i].next, ++index) {
            lo = std::min(lo, nodes_[i].time);
            if (taken < m && index == taken * n / m) sample[taken++] = nodes_[i].time;
        }
        std::nth_element(sample, sample + m / 2, sample + m);
        const auto half_span = static_cast<std::uint64_t>(sample[m / 2] - lo);
        const std::size_t bucket_count = std::bit_ceil(std::max<std::size_t>(1, kHorizon * n / kPerBucket));
        // Keys in the nearer half are spaced ~half_span/(n/2); kPerBucket of them per bucket.
        // Computed in 128 bits and clamped to [1, 2^62] before narrowing: half_span is up
        // to 2^63 - 1, so for small n the product exceeds 64 bits, and truncating it would
        // pick a needlessly narrow width (correct, but one redistribution per key).
        const auto width = static_cast<std::uint64_t>(std::clamp<HeapKey>(
            width_hint.value_or(HeapKey{half_span} * 2 * kPerBucket / n), 1, HeapKey{1} << 62));
        shift_ = static_cast<unsigned>(std::bit_width(width - 1));  // 2^shift_ >= width, shift_ <= 62
        base_ = lo;
        if (heads_.size() < bucket_count + 1) heads_.resize(bucket_count + 1, kNil);  // grows only
        bucket_count_ = bucket_count;
        horizon_saturates_ =
            static_cast<HeapKey>(static_cast<std::uint64_t>(base_)) +
                (static_cast<HeapKey>(bucket_count) << shift_) >
            static_cast<HeapKey>(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
        cursor_ = 0;
        set_near_end();
        std::uint32_t i = far_head_;
        far_head_ = kNil;
        far_count_ = 0;
        while (i != kNil) {
            const std::uint32_t next = nodes_[i].next;
            const auto offset = static_cast<std::uint64_t>(nodes_[i].time - base_) >> shift_;
            if (offset == 0) {
                run_.append(key_of(i));
            } else if (offset < bucket_count) {
                nodes_[i].next = heads_[offset];
                heads_[offset] = i;
            } else {
                link_far(i);
            }
            i = next;
        }
        run_.sort();
    }

    SortedRun run_;                     // the near tier, unless heap_mode_
    EventHeap heap_;                    // the near tier while heap_mode_ (then run_ is empty)
    bool heap_mode_ = false;            // == !heap_.empty()
    std::vector<Node> nodes_;           // by slot; meaningful only for listed keys
    std::vector<std::uint32_t> heads_;  // bucket list heads; [0, bucket_count_) in use, then kNil
    std::uint32_t far_head_ = kNil;
    std::size_t far_count_ = 0;
    std::int64_t base_ = 0;
    std::int64_t near_end_ = 0;  // every key in the near tier is earlier; no key elsewhere is
    std::size_t cursor_ = 0;     // the bucket whose range the near tier covers
    std::size_t bucket_count_ = 0;
    unsigned shift_ = 0;
    bool horizon_saturates_ = true;  // base_ + bucket_count_·2^shift_ > the end of the timeline
    std::size_t size_ = 0;
    std::size_t overfull_loaded_ = 0;  // keys of overfull buckets loaded since the last redistribution
    std::size_t overfull_pushed_ = 0;  // keys pushed into an overfull heap since the last redistribution
};

}  // namespace cl::sim::detail
