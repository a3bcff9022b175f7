// The `traffic` and `party_samples` tables (docs/metrics.md) from the world's
// TrafficRecord list and each Sample's PartySample shares.
#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {

void map_parties(const sim::world::WorldResults& world, analysis::RunResults& run) {
    for (const sim::world::TrafficRecord& t : world.traffic) {
        run.traffic.push_back(analysis::TrafficRow{t.party, static_cast<std::uint8_t>(t.kind),
                                                   code_traffic_outcome(t.outcome, t.refusal), t.count});
    }
    for (const sim::world::Sample& s : world.samples) {
        const double up = s.up > 0 ? static_cast<double>(s.up) : 1.0;
        for (const sim::world::PartySample& p : s.parties) {
            run.party_samples.push_back(analysis::PartySampleRow{
                ns(s.time), p.party, s.up > 0 ? static_cast<double>(p.txpool_pending) / up : 0.0,
                s.up > 0 ? static_cast<double>(p.txpool_queued) / up : 0.0, p.codes_held});
        }
    }
}

}  // namespace cl::app::mapping
