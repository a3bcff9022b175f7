#include <algorithm>

#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {

std::uint32_t map_reorgs(const sim::world::WorldResults& world, analysis::RunResults& run) {
    std::uint32_t max_depth = 0;
    for (const auto& r : world.reorgs) {
        run.reorgs.push_back(
            analysis::ReorgRow{r.node, ns(r.time), r.depth, bytes(r.old_head), bytes(r.new_head)});
        max_depth = std::max(max_depth, r.depth);
    }
    return max_depth;
}

void map_network(const sim::world::WorldResults& world, analysis::RunResults& run) {
    for (const auto& m : world.network) {
        run.network.push_back(
            analysis::NetCounterRow{analysis::FixedString<24>(m.type), m.messages, m.bytes, m.dropped});
    }
}

void map_samples(const sim::world::WorldResults& world, analysis::RunResults& run) {
    for (const auto& s : world.samples) {
        analysis::SampleRow row;
        row.time_ns = ns(s.time);
        row.txpool_pending_mean = s.txpool_pending_mean;
        row.txpool_queued_mean = s.txpool_queued_mean;
        for (std::size_t t = 0; t < s.pool_remaining.size() && t < analysis::kMaxTiers; ++t) {
            row.pool_remaining[t] = s.pool_remaining[t];
        }
        row.head_spread = static_cast<std::uint32_t>(s.head_spread);
        row.distinct_heads = s.distinct_heads;
        run.samples.push_back(row);
    }
}

}  // namespace cl::app::mapping
