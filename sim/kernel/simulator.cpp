#include "sim/kernel/simulator.hpp"

#include <algorithm>

namespace cl::sim {

Simulator::Simulator(SimulatorOptions options)
    : sequence_limit_(options.sequence_limit),
      first_generation_(options.first_generation),
      prefetch_next_(options.prefetch_next) {
    CL_ASSERT(sequence_limit_ >= 2 && sequence_limit_ <= (std::uint64_t{1} << 32));
    CL_ASSERT(first_generation_ != 0);
}

Simulator::~Simulator() {
    for (std::uint32_t i = 0; i < slab_size_; ++i) destroy_callable(slot(i));
}

std::uint32_t Simulator::new_slot() {
    CL_ASSERT(slab_size_ < kNoSlot);
    if (slab_size_ == chunks_.size() * kChunkSize) {
        chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
        queue_.reserve_slots(chunks_.size() * kChunkSize);
        auto grown = std::make_unique_for_overwrite<std::uint32_t[]>(chunks_.size() * kChunkSize);
        std::copy_n(free_.get(), free_count_, grown.get());
        free_ = std::move(grown);
    }
    slot(slab_size_).generation = first_generation_;
    return slab_size_++;
}

void Simulator::destroy_callable(Slot& s) {
    if (s.thunk == nullptr) return;
    const Thunk thunk = s.thunk;
    s.thunk = nullptr;
    thunk(s.storage, Op::kDestroy);
}

bool Simulator::cancel(EventId id) {
    if (id.is_null() || id.slot_ >= slab_size_) return false;
    Slot& s = slot(id.slot_);
    if (s.generation != id.generation_ || s.thunk == nullptr) return false;
    destroy_callable(s);
    ++s.generation;  // stale from now on; the heap key stays until it surfaces
    ++dead_keys_;
    if (dead_keys_ > 1024 && dead_keys_ > pending()) compact();
    return true;
}

bool Simulator::is_pending(EventId id) const {
    if (id.is_null() || id.slot_ >= slab_size_) return false;
    const Slot& s = slot(id.slot_);
    return s.generation == id.generation_ && s.thunk != nullptr;
}

// Drops every cancelled key (a running event's key is no longer queued).
void Simulator::compact() {
    queue_.retain_if([this](const detail::HeapEntry& e) {
        const std::uint32_t i = e.slot();
        if (slot(i).thunk != nullptr) return true;
        release_slot(i);
        return false;
    });
    dead_keys_ = 0;
}

// Reassigns sequence numbers 0..n-1 to the pending events in (time, sequence) order:
// same order, fresh space. Cancelled keys are dropped on the way, so that the n keys
// renumbered are exactly the pending events and n < sequence_limit_ holds whenever the
// REQUIRES of SimulatorOptions does.
void Simulator::renumber() {
    std::vector<detail::HeapEntry> keys;
    keys.reserve(queue_.size());
    queue_.drain_to(keys);
    std::erase_if(keys, [this](const detail::HeapEntry& e) {
        if (slot(e.slot()).thunk != nullptr) return false;
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
    while (!queue_.empty()) {
        const std::uint32_t i = queue_.top().slot();
        if (slot(i).thunk != nullptr) return Time::from_nanos(queue_.top().time());
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
        if (queue_.near_empty()) {
            // A bucket is loaded: its events run next, start fetching their slots.
            queue_.refill([this](std::uint32_t i) { __builtin_prefetch(&slot(i)); });
        }
        const detail::HeapEntry top = queue_.near_top();
        if (top.time() > limit) {
            status = RunStatus::kTimeLimit;
            break;
        }
        queue_.pop();
        const std::uint32_t i = top.slot();
        Slot& s = slot(i);  // chunks never move: stays valid while the callback schedules
        const Thunk thunk = s.thunk;
        if (thunk == nullptr) {  // cancelled
            --dead_keys_;
            release_slot(i);
            continue;
        }
        s.thunk = nullptr;  // no longer pending: cancel() and is_pending() see a ran event
        ++s.generation;     // the id now names an event that ran
        now_ = top.time();
        if (prefetch_next_ && !queue_.near_empty()) {  // the next event's cold lines load meanwhile
            Slot& next = slot(queue_.near_top().slot());
            if (next.prefetch && next.thunk != nullptr) next.thunk(next.storage, Op::kPrefetch);
        }
        thunk(s.storage, Op::kRun);  // runs, then destroys, the callable; may schedule, cancel, stop
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
