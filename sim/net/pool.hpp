// A slab of T addressed by 32-bit handles: hosts keep message payloads here and pass the
// handle through Network::send, so that steady-state traffic allocates nothing
// (DESIGN.md §5).
//
// Values live in chunks of kChunkSize that never move: a reference stays valid until its
// handle is released, whatever is acquired meanwhile. A value is constructed in place by
// acquire() and destroyed by release(), so a free entry holds nothing (no payload is kept
// alive by a released handle). Free handles are a LIFO stack of indices in an array of
// their own, not a list threaded through the entries: acquiring reads nothing of an entry
// released long ago (that read would be a cache miss per message). Acquisition order is
// deterministic (LIFO reuse), never address-dependent.
// Thread-safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "protocol/core/assert.hpp"

namespace cl::sim::net {

template <class T>
class HandlePool {
  public:
    using Handle = std::uint32_t;

    HandlePool() = default;
    HandlePool(const HandlePool&) = delete;
    HandlePool& operator=(const HandlePool&) = delete;
    ~HandlePool() {
        for (Handle h = 0; h < size_; ++h) {
            if (live_flags_[h] != 0) std::destroy_at(get(h));
        }
    }

    template <class... Args>
    Handle acquire(Args&&... args) {
        Handle h;
        if (!free_.empty()) {
            h = free_.back();
            free_.pop_back();
        } else {
            h = grow();
        }
        ::new (static_cast<void*>(address(h))) T(std::forward<Args>(args)...);
        live_flags_[h] = 1;
        ++live_;
        return h;
    }
    // Destroys the value. REQUIRES: h is live.
    void release(Handle h) {
        CL_ASSERT(h < size_ && live_flags_[h] != 0);
        std::destroy_at(get(h));
        live_flags_[h] = 0;
        free_.push_back(h);
        --live_;
    }
    // REQUIRES: h is live.
    T& operator[](Handle h) { return *get(h); }
    const T& operator[](Handle h) const { return *get(h); }
    std::size_t live() const { return live_; }
    std::size_t capacity() const { return size_; }

  private:
    static constexpr unsigned kChunkBits = 10;
    static constexpr Handle kChunkSize = Handle{1} << kChunkBits;
    struct Storage {
        alignas(T) unsigned char bytes[sizeof(T)];
    };

    unsigned char* address(Handle h) const { return chunks_[h >> kChunkBits][h & (kChunkSize - 1)].bytes; }
    T* get(Handle h) const { return std::launder(reinterpret_cast<T*>(address(h))); }
    Handle grow() {
        CL_ASSERT(size_ < 0xffffffffU);
        if (size_ == chunks_.size() * kChunkSize) {
            chunks_.push_back(std::make_unique_for_overwrite<Storage[]>(kChunkSize));
            live_flags_.resize(chunks_.size() * kChunkSize, 0);
            free_.reserve(chunks_.size() * kChunkSize);  // release() never allocates
        }
        return size_++;
    }

    std::vector<std::unique_ptr<Storage[]>> chunks_;
    std::vector<std::uint8_t> live_flags_;  // by handle: 1 while live
    std::vector<Handle> free_;              // released handles, the most recent last
    Handle size_ = 0;                       // handles ever handed out
    std::size_t live_ = 0;
};

}  // namespace cl::sim::net
