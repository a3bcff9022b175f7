#include <algorithm>
#include <cmath>

#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {
namespace {

using analysis::kNever;
using sim::Duration;

// Time until `share` of `nodes` had the block; kNever when fewer did.
std::int64_t reach_time(const std::vector<Duration>& sorted, std::size_t nodes, double share) {
    const auto needed = static_cast<std::size_t>(std::ceil(share * static_cast<double>(nodes)));
    if (needed == 0 || sorted.size() < needed) return kNever;
    return sorted[needed - 1].nanos();
}

}  // namespace

BlockStats map_blocks(const sim::world::WorldResults& world, analysis::RunResults& run) {
    BlockStats s;
    for (const auto& b : world.blocks) {
        run.blocks.push_back(analysis::BlockRow{b.number, bytes(b.hash), bytes(b.parent), bytes(b.signer),
                                                static_cast<std::uint8_t>(b.in_turn), ns(b.sealed),
                                                b.tx_count, b.size, static_cast<std::uint8_t>(b.canonical)});
        std::vector<Duration> sorted = b.arrivals;
        std::sort(sorted.begin(), sorted.end());
        analysis::PropagationRow p{bytes(b.hash),
                                   b.number,
                                   ns(b.sealed),
                                   reach_time(sorted, b.online, 0.5),
                                   reach_time(sorted, b.online, 0.9),
                                   reach_time(sorted, b.online, 1.0),
                                   static_cast<std::uint32_t>(sorted.size() + b.late_arrivals)};
        if (p.t50_ns != kNever) s.t50s.push_back(static_cast<double>(p.t50_ns) * 1e-9);
        if (p.t90_ns != kNever) s.t90s.push_back(static_cast<double>(p.t90_ns) * 1e-9);
        run.propagation.push_back(p);
        if (b.canonical) {
            ++s.canonical;
            s.in_turn += b.in_turn ? 1 : 0;
            if (!s.first_canonical) s.first_canonical = b.sealed;
            s.last_canonical = b.sealed;
        }
    }
    return s;
}

}  // namespace cl::app::mapping
