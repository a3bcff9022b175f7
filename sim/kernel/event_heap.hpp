// An implicit 4-ary min-heap of 16-byte event keys: the near tier of the calendar
// queue (bucket_queue.hpp), which holds the keys of the current bucket.
//
// Each entry is (time, tag) where tag = (sequence << 32) | slot. Ordering is by time,
// then tag; since sequence numbers are unique and increase with insertion, ties in time
// are broken FIFO and the slot bits never decide an order (DESIGN.md §6). The payload
// lives elsewhere (the Simulator's slab, indexed by the slot bits), so sifting moves only
// 16 bytes per level. The array is allocated 64-byte aligned and offset so that the four
// children of a node share one cache line.
//
// Complexity: push O(log4 n), pop / replace_top O(log4 n) (≤ 4 comparisons per level),
// heapify O(n). No allocation except when the array grows past its high-water mark.
// Internal to sim/kernel; not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include "protocol/core/assert.hpp"

namespace cl::sim::detail {

__extension__ using HeapKey = unsigned __int128;

// One 128-bit key: time in the high word (times are never negative), the tag in the low
// word, so (time, tag) order is one branch-free unsigned comparison.
struct HeapEntry {
    HeapKey key;

    static HeapEntry make(std::int64_t time, std::uint64_t tag) {
        return HeapEntry{(static_cast<HeapKey>(static_cast<std::uint64_t>(time)) << 64) | tag};
    }
    std::int64_t time() const { return static_cast<std::int64_t>(static_cast<std::uint64_t>(key >> 64)); }
    std::uint64_t tag() const { return static_cast<std::uint64_t>(key); }
    std::uint32_t slot() const { return static_cast<std::uint32_t>(key); }
    friend bool operator<(const HeapEntry& a, const HeapEntry& b) { return a.key < b.key; }
};
static_assert(sizeof(HeapEntry) == 16);

class EventHeap {
  public:
    EventHeap() = default;
    EventHeap(const EventHeap&) = delete;
    EventHeap& operator=(const EventHeap&) = delete;
    ~EventHeap() { release(); }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    // REQUIRES: !empty().
    const HeapEntry& top() const { return a_[0]; }
    // Entries in heap order (not sorted). Valid until the next mutation.
    HeapEntry* begin() { return a_; }
    HeapEntry* end() { return a_ + size_; }
    const HeapEntry* begin() const { return a_; }
    const HeapEntry* end() const { return a_ + size_; }
    // Removes every entry (keeps the capacity).
    void clear() { size_ = 0; }

    void push(HeapEntry e) {
        if (size_ == capacity_) grow();
        std::size_t i = size_++;
        while (i > 0) {
            const std::size_t parent = (i - 1) >> 2;
            if (!(e < a_[parent])) break;
            a_[i] = a_[parent];
            i = parent;
        }
        a_[i] = e;
    }

    // REQUIRES: !empty().
    void pop() {
        const HeapEntry last = a_[--size_];
        if (size_ > 0) sift_down(0, last);
    }

    // Removes the top and inserts `e` in one sift (a pop followed by a push, at the cost
    // of one). REQUIRES: !empty().
    void replace_top(HeapEntry e) { sift_down(0, e); }

    // Keeps only the entries for which keep(entry) is true, then restores heap order. O(n).
    template <class Keep>
    void retain_if(Keep keep) {
        std::size_t out = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            if (keep(a_[i])) a_[out++] = a_[i];
        }
        size_ = out;
        heapify();
    }

    // Restores heap order after the entries were changed in place. O(n).
    void heapify() {
        if (size_ < 2) return;
        for (std::size_t i = (size_ - 2) / 4 + 1; i-- > 0;) sift_down(i, a_[i]);
    }

  private:
    // Places e in the subtree rooted at the hole i. Bottom-up (Floyd/Wegener): the hole
    // first descends along the smallest children to a leaf without comparing with e
    // (3 comparisons per level, all data-independent of e), then e rises from there. In
    // a queue, a replacing key usually belongs near the bottom, so the rise is short.
    void sift_down(std::size_t i, HeapEntry e) {
        const std::size_t n = size_;
        const std::size_t start = i;
        for (;;) {
            const std::size_t first = 4 * i + 1;
            std::size_t best;
            if (first + 4 <= n) {
                // The common case: four children, one cache line.
                const std::size_t b01 = a_[first + 1] < a_[first] ? first + 1 : first;
                const std::size_t b23 = a_[first + 3] < a_[first + 2] ? first + 3 : first + 2;
                best = a_[b23] < a_[b01] ? b23 : b01;
            } else if (first < n) {
                best = first;
                for (std::size_t c = first + 1; c < n; ++c) {
                    if (a_[c] < a_[best]) best = c;
                }
            } else {
                break;
            }
            a_[i] = a_[best];
            i = best;
        }
        while (i > start) {
            const std::size_t parent = (i - 1) >> 2;
            if (!(e < a_[parent])) break;
            a_[i] = a_[parent];
            i = parent;
        }
        a_[i] = e;
    }

    void grow() {
        const std::size_t new_capacity = capacity_ == 0 ? 1024 : capacity_ * 2;
        // Offset by 3 entries (48 bytes) so that children 4i+1..4i+4 start on a 64-byte line.
        auto* raw = static_cast<HeapEntry*>(
            ::operator new ((new_capacity + 4) * sizeof(HeapEntry), std::align_val_t{64}));
        HeapEntry* fresh = raw + 3;
        if (size_ > 0) std::memcpy(static_cast<void*>(fresh), a_, size_ * sizeof(HeapEntry));
        release();
        raw_ = raw;
        a_ = fresh;
        capacity_ = new_capacity;
    }

    void release() {
        if (raw_ != nullptr) ::operator delete (raw_, std::align_val_t{64});
        raw_ = nullptr;
        a_ = nullptr;
    }

    HeapEntry* raw_ = nullptr;
    HeapEntry* a_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace cl::sim::detail
