// A slab of T addressed by 32-bit handles, with an intrusive free list: the network keeps
// in-flight messages here, and hosts can keep message payloads here and pass the handle
// through Network::send, so that steady-state traffic allocates nothing (DESIGN.md §5).
//
// Handles stay valid until released; storage is a std::vector, so references are
// invalidated by acquire() (keep handles, not references, across calls). Acquisition
// order is deterministic (LIFO reuse), never address-dependent.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "protocol/core/assert.hpp"

namespace cl::sim::net {

template <class T>
class HandlePool {
  public:
    using Handle = std::uint32_t;

    template <class... Args>
    Handle acquire(Args&&... args) {
        Handle h;
        if (free_head_ != kNone) {
            h = free_head_;
            free_head_ = entries_[h].next_free;
            entries_[h].value = T{std::forward<Args>(args)...};
        } else {
            CL_ASSERT(entries_.size() < kLive);
            h = static_cast<Handle>(entries_.size());
            entries_.push_back(Entry{T{std::forward<Args>(args)...}, kNone});
        }
        entries_[h].next_free = kLive;
        ++live_;
        return h;
    }
    // REQUIRES: h is live.
    void release(Handle h) {
        CL_ASSERT(h < entries_.size() && entries_[h].next_free == kLive);
        entries_[h].next_free = free_head_;
        free_head_ = h;
        --live_;
    }
    T& operator[](Handle h) { return entries_[h].value; }
    const T& operator[](Handle h) const { return entries_[h].value; }
    std::size_t live() const { return live_; }
    std::size_t capacity() const { return entries_.size(); }
    void reserve(std::size_t n) { entries_.reserve(n); }

  private:
    static constexpr Handle kNone = 0xffffffffU;
    static constexpr Handle kLive = 0xfffffffeU;
    struct Entry {
        T value;
        Handle next_free;
    };
    std::vector<Entry> entries_;
    Handle free_head_ = kNone;
    std::size_t live_ = 0;
};

}  // namespace cl::sim::net
