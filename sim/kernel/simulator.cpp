#include "sim/kernel/simulator.hpp"

#include <algorithm>

namespace cl::sim {

Simulator::Simulator(SimulatorOptions options)
    : sequence_limit_(options.sequence_limit), first_generation_(options.first_generation) {
    CL_ASSERT(sequence_limit_ >= 2 && sequence_limit_ <= (std::uint64_t{1} << 32));
    CL_ASSERT(first_generation_ != 0);
}

Simulator::~Simulator() {
    for (std::uint32_t i = 0; i < slab_size_; ++i) destroy_callable(slot(i));
}

std::uint32_t Simulator::new_slot() {
    CL_ASSERT(slab_size_ < kNoSlot);
    if (slab_size_ == chunks_.size() * kChunkSize) chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
    slot(slab_size_).generation = first_generation_;
    return slab_size_++;
}

void Simulator::destroy_callable(Slot& s) {
    if (s.ops == nullptr) return;
    if (s.ops->destroy != nullptr) s.ops->destroy(s.storage);
    s.ops = nullptr;
}

// REQUIRES: the slot holds no callable and no heap key refers to it.
void Simulator::release_slot(std::uint32_t i) {
    Slot& s = slot(i);
    if (s.generation == 0) return;  // the generation wrapped: retire the slot for good
    s.next_free = free_head_;
    free_head_ = i;
}

bool Simulator::cancel(EventId id) {
    if (id.is_null() || id.slot_ >= slab_size_) return false;
    Slot& s = slot(id.slot_);
    if (s.generation != id.generation_ || s.ops == nullptr) return false;
    destroy_callable(s);
    ++s.generation;  // stale from now on; the heap key stays until it surfaces
    --live_;
    ++dead_keys_;
    if (dead_keys_ > 1024 && dead_keys_ > live_) compact();
    return true;
}

bool Simulator::is_pending(EventId id) const {
    if (id.is_null() || id.slot_ >= slab_size_) return false;
    const Slot& s = slot(id.slot_);
    return s.generation == id.generation_ && s.ops != nullptr;
}

// Drops every cancelled key. The running event's key (if still at the top) holds a
// callable, so it is kept, and being the minimum it is at the top again after heapify.
void Simulator::compact() {
    queue_.retain_if([this](const detail::HeapEntry& e) {
        const std::uint32_t i = e.slot();
        if (slot(i).ops != nullptr) return true;
        release_slot(i);
        return false;
    });
    dead_keys_ = 0;
}

// Reassigns sequence numbers 0..n-1 to the pending events in (time, sequence) order:
// same order, fresh space. Only enqueue() calls it, which is about to insert a key: the
// running event's key (if still queued) is dropped now rather than replaced later, and
// so are cancelled keys, so that the n keys renumbered are exactly the pending events
// and n < sequence_limit_ holds whenever the REQUIRES of SimulatorOptions does.
void Simulator::renumber() {
    if (top_is_running_) {
        queue_.pop();
        top_is_running_ = false;
    }
    std::vector<detail::HeapEntry> keys;
    keys.reserve(queue_.size());
    queue_.drain_to(keys);
    std::erase_if(keys, [this](const detail::HeapEntry& e) {
        if (slot(e.slot()).ops != nullptr) return false;
        release_slot(e.slot());
        return true;
    });
    dead_keys_ = 0;
    std::sort(keys.begin(), keys.end());
    std::uint64_t seq = 0;
    for (auto& e : keys) {
        e = detail::HeapEntry::make(e.time(), (seq++ << 32) | e.slot());
        queue_.push(e);
    }
    next_sequence_ = seq;
    CL_ASSERT(next_sequence_ < sequence_limit_);
}

Time Simulator::next_time() {
    if (top_is_running_) {
        queue_.pop();
        top_is_running_ = false;
    }
    while (!queue_.empty()) {
        const std::uint32_t i = queue_.top().slot();
        if (slot(i).ops != nullptr) return Time::from_nanos(queue_.top().time());
        queue_.pop();
        --dead_keys_;
        release_slot(i);
    }
    return Time::max();
}

RunStatus Simulator::run_loop(std::int64_t limit) {
    CL_ASSERT(!running_);
    running_ = true;
    stop_requested_ = false;
    RunStatus status = RunStatus::kQueueEmpty;
    while (!queue_.empty()) {
        const detail::HeapEntry top = queue_.top();
        if (queue_.loads() != prefetched_loads_) {
            // A bucket was just loaded: its events run next, start fetching their slots.
            prefetched_loads_ = queue_.loads();
            for (const auto* e = queue_.near_begin(); e != queue_.near_end(); ++e)
                __builtin_prefetch(&slot(e->slot()));
        }
        if (top.time() > limit) {
            status = RunStatus::kTimeLimit;
            break;
        }
        const std::uint32_t i = top.slot();
        Slot& s = slot(i);
        if (s.ops == nullptr) {  // cancelled
            queue_.pop();
            --dead_keys_;
            release_slot(i);
            continue;
        }
        now_ = top.time();
        ++s.generation;  // the id now names an event that ran
        --live_;
        top_is_running_ = true;
        s.ops->invoke(s.storage);  // may schedule (and so replace the top key), cancel, stop
        if (top_is_running_) {
            queue_.pop();
            top_is_running_ = false;
        }
        destroy_callable(s);
        release_slot(i);
        ++events_run_;
        if (stop_requested_) {
            status = RunStatus::kStopped;
            break;
        }
    }
    running_ = false;
    stop_requested_ = false;
    return status;
}

RunStatus Simulator::run() { return run_loop(Time::max().nanos()); }

RunStatus Simulator::run_until(Time limit) {
    CL_ASSERT(limit.nanos() >= now_);
    const RunStatus status = run_loop(limit.nanos());
    if (status == RunStatus::kStopped) return status;
    now_ = limit.nanos();
    return RunStatus::kTimeLimit;
}

}  // namespace cl::sim
