#include "sim/world/sampling.hpp"

#include <algorithm>

namespace cl::sim::world {

void Sampler::start(Progress progress) {
    progress_ = std::move(progress);
    schedule();
}

void Sampler::schedule() {
    sim_.schedule_in(config_.sample_interval, [this]() noexcept {
        take();
        if (sim_.now() + config_.sample_interval <= Time::zero() + config_.duration) schedule();
    });
}

void Sampler::take() {
    if (progress_) progress_(sim_.now(), sim_.events_run());
    Sample s;
    s.time = sim_.now();
    std::uint64_t lo = ~0ULL, hi = 0, pending = 0, queued = 0, up = 0;
    std::vector<Hash32> heads;
    for (std::size_t n = 0; n < hosts_.size(); ++n) {
        const auto id = static_cast<net::NodeId>(n);
        if (!hosts_.up(id)) continue;
        ++up;
        const BlockEntry& head = reference_.current_head(n);
        lo = std::min(lo, head.header.number);
        hi = std::max(hi, head.header.number);
        pending += hosts_.node(id).txpool().pending_count();
        queued += hosts_.node(id).txpool().queued_count();
        heads.push_back(head.hash);
    }
    s.up = static_cast<std::uint32_t>(up);
    s.txpool_pending = pending;
    s.txpool_queued = queued;
    if (up > 0) {
        s.head_spread = hi - lo;
        s.txpool_pending_mean = static_cast<double>(pending) / static_cast<double>(up);
        s.txpool_queued_mean = static_cast<double>(queued) / static_cast<double>(up);
        std::sort(heads.begin(), heads.end());
        s.distinct_heads =
            static_cast<std::uint32_t>(std::unique(heads.begin(), heads.end()) - heads.begin());
    }
    const net::NodeId ref = reference_.reference_node(true);
    s.pool_remaining =
        pool_remaining(*hosts_.node(ref).state_of(reference_.current_head(ref).hash), config_.tiers.size());
    if (observer_) observer_(s);
    samples_.push_back(std::move(s));
}

}  // namespace cl::sim::world
