// The priority queue under the Simulator: a two-tier calendar queue over 16-byte keys.
//
// Keys are detail::HeapEntry: (time, tag) with tag = (sequence << 32) | slot, ordered
// as one unsigned 128-bit integer, so equal times run FIFO (DESIGN.md §6).
//
// Tiers, each holding a disjoint range of times:
//   near     a 4-ary heap (event_heap.hpp) of every key with time < near_end_;
//   buckets  B unsorted lists; bucket i holds keys with time in
//            [base_ + i·W, base_ + (i+1)·W), for buckets after the cursor;
//   far      an unsorted list of keys with time >= base_ + B·W.
// The lists are threaded through one 16-byte node per event slot (the low 32 bits of
// a key), so a bucket costs 4 bytes and moving a key between tiers allocates nothing.
// When the near heap runs empty, the next non-empty bucket is heapified into it. When
// the buckets run out, the far tier is redistributed: W (a power of two) and B are
// re-chosen from the far keys so that buckets hold ~kPerBucket keys each where keys are
// dense (W from the spacing of the nearer half, found on a deterministic sample); keys
// beyond the new horizon stay far. Keys with equal times are always in the same tier,
// and every key of a tier is earlier than every key of the next, so popping the near
// heap's minimum yields the global (time, sequence) order. Everything depends only on
// the sequence of operations, never on addresses: the queue is deterministic.
//
// Complexity: push O(1) into a bucket or far, O(log k) into the near heap (k ≈
// kPerBucket); pop O(log k) plus the amortised O(1) cost of moving each key through at
// most a few tiers. A badly spread population degrades toward a plain heap (O(log n)),
// never worse. No allocation once the node array covers the slots in use and the
// near heap and bucket heads have reached their high-water size.
// Internal to sim/kernel; not thread-safe.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/kernel/event_heap.hpp"

namespace cl::sim::detail {

class BucketQueue {
  public:
    static constexpr std::size_t kPerBucket = 4;

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    void push(HeapEntry e) {
        ++size_;
        route(e);
    }

    // The earliest key. REQUIRES: !empty(). Loads the next bucket when the near heap is
    // empty (so it is not const), which changes no order.
    const HeapEntry& top() {
        if (near_.empty()) refill();
        return near_.top();
    }

    // REQUIRES: !empty() and top() was called since the last mutation.
    void pop() {
        near_.pop();
        --size_;
    }

    // pop() then push(e), in one sift when e belongs to the near tier.
    // REQUIRES: as pop().
    void replace_top(HeapEntry e) {
        if (e.time() < near_end_) {
            near_.replace_top(e);
        } else {
            near_.pop();
            route(e);
        }
    }

    // Keeps only the keys for which keep(key) is true. O(n).
    template <class Keep>
    void retain_if(Keep keep) {
        near_.retain_if(keep);
        size_ = near_.size();
        for (std::size_t i = cursor_ + 1; i < bucket_count_; ++i) size_ += filter_list(heads_[i], keep);
        size_ += filter_list(far_head_, keep);
        far_count_ = count_list(far_head_);
    }

    // Counts bucket loads into the near heap, so that the owner can prefetch the
    // payloads of the keys that will run next (near_keys()).
    std::uint64_t loads() const { return loads_; }
    const HeapEntry* near_begin() { return near_.begin(); }
    const HeapEntry* near_end() { return near_.end(); }

    // Removes every key, appending them (unordered) to out.
    void drain_to(std::vector<HeapEntry>& out) {
        out.insert(out.end(), near_.begin(), near_.end());
        near_.retain_if([](const HeapEntry&) { return false; });
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

    // Keys outside the near heap sit in singly linked lists threaded through one node
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
        if (slot >= nodes_.size()) nodes_.resize(std::max<std::size_t>(slot + 1, nodes_.size() * 2));
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
    std::size_t count_list(std::uint32_t head) const {
        std::size_t n = 0;
        for (std::uint32_t i = head; i != kNil; i = nodes_[i].next) ++n;
        return n;
    }

    void route(HeapEntry e) {
        const std::int64_t t = e.time();
        if (t < near_end_) {
            near_.push(e);
            return;
        }
        // t >= near_end_ >= base_. near_end_ is exact unless it saturated at the end of
        // the timeline; the offset test keeps the invariant in that case too.
        const auto offset = static_cast<std::uint64_t>(t - base_) >> shift_;
        if (offset <= cursor_) {
            near_.push(e);
        } else if (offset < bucket_count_) {
            link(heads_[offset], e);
        } else {
            link(far_head_, e);
            ++far_count_;
        }
    }

    // REQUIRES: near_ empty and size_ > 0.
    void refill() {
        for (;;) {
            while (++cursor_ < bucket_count_) {
                set_near_end();
                std::uint32_t i = heads_[cursor_];
                if (i != kNil) {
                    heads_[cursor_] = kNil;
                    for (; i != kNil; i = nodes_[i].next) near_.push(key_of(i));
                    // The next bucket's list is walked next; start its first miss now.
                    if (cursor_ + 1 < bucket_count_ && heads_[cursor_ + 1] != kNil) {
                        __builtin_prefetch(&nodes_[heads_[cursor_ + 1]]);
                    }
                    ++loads_;
                    return;
                }
            }
            redistribute();
            if (!near_.empty()) {
                ++loads_;
                return;
            }
        }
    }

    // near_end_ = base_ + (cursor_ + 1)·2^shift_, saturated at the end of the timeline.
    void set_near_end() {
        const HeapKey end = static_cast<HeapKey>(static_cast<std::uint64_t>(base_)) +
                            (static_cast<HeapKey>(cursor_ + 1) << shift_);
        const auto kMax =
            static_cast<HeapKey>(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
        near_end_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(std::min(end, kMax)));
    }

    // Chooses a new base, width and bucket count from the far keys and moves those
    // within the new horizon into buckets. REQUIRES: far tier not empty, buckets exhausted.
    void redistribute() {
        const std::size_t n = far_count_;
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
        const std::size_t bucket_count = std::bit_ceil(std::max<std::size_t>(1, n / kPerBucket));
        // Keys in the nearer half are spaced ~half_span/(n/2); kPerBucket of them per bucket.
        // Computed in 128 bits and clamped to [1, 2^62] before narrowing: half_span is up
        // to 2^63 - 1, so for small n the product exceeds 64 bits, and truncating it would
        // pick a needlessly narrow width (correct, but one redistribution per key).
        const auto width = static_cast<std::uint64_t>(
            std::clamp<HeapKey>(HeapKey{half_span} * 2 * kPerBucket / n, 1, HeapKey{1} << 62));
        shift_ = static_cast<unsigned>(std::bit_width(width - 1));  // 2^shift_ >= width, shift_ <= 62
        base_ = lo;
        if (heads_.size() < bucket_count) heads_.resize(bucket_count, kNil);  // grows only
        bucket_count_ = bucket_count;
        cursor_ = 0;
        set_near_end();
        std::uint32_t i = far_head_;
        far_head_ = kNil;
        far_count_ = 0;
        while (i != kNil) {
            const std::uint32_t next = nodes_[i].next;
            const auto offset = static_cast<std::uint64_t>(nodes_[i].time - base_) >> shift_;
            if (offset == 0) {
                near_.push(key_of(i));
            } else if (offset < bucket_count) {
                nodes_[i].next = heads_[offset];
                heads_[offset] = i;
            } else {
                nodes_[i].next = far_head_;
                far_head_ = i;
                ++far_count_;
            }
            i = next;
        }
    }

    EventHeap near_;
    std::vector<Node> nodes_;           // by slot; meaningful only for listed keys
    std::vector<std::uint32_t> heads_;  // bucket list heads; only [0, bucket_count_) in use
    std::uint32_t far_head_ = kNil;
    std::size_t far_count_ = 0;
    std::int64_t base_ = 0;
    std::int64_t near_end_ = 0;  // every key in near_ is earlier; no key elsewhere is
    std::size_t cursor_ = 0;     // the bucket whose range near_ covers
    std::size_t bucket_count_ = 0;
    unsigned shift_ = 0;
    std::size_t size_ = 0;
    std::uint64_t loads_ = 0;
};

}  // namespace cl::sim::detail
