// The `signers`, `attacks` and `attack_figures` tables (docs/metrics.md) from the world's
// SignerRecord and AttackRecord lists.
#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {

void map_signers(const sim::world::WorldResults& world, analysis::RunResults& run) {
    for (const sim::world::SignerRecord& s : world.signers) {
        run.signers.push_back(
            analysis::SignerRow{static_cast<std::uint16_t>(s.cloud), s.node, bytes(s.address), s.index});
    }
}

std::size_t map_attacks(const sim::world::WorldResults& world, analysis::RunResults& run) {
    std::size_t succeeded = 0;
    for (const sim::world::AttackRecord& a : world.attacks) {
        analysis::AttackRow row;
        row.kind = analysis::FixedString<24>(a.kind);
        row.name = analysis::FixedString<32>(a.name);
        row.start_ns = ns(a.start);
        row.end_ns = ns(a.end);
        row.parameters_digest = bytes(a.parameters_digest);
        row.success = a.success ? 1 : 0;
        succeeded += a.success ? 1 : 0;
        run.attacks.push_back(row);
        for (const sim::world::Metric& m : a.figures) {
            run.attack_figures.push_back(analysis::AttackFigureRow{
                row.name, analysis::FixedString<32>(m.name), m.value, analysis::FixedString<16>(m.unit)});
        }
    }
    return succeeded;
}

}  // namespace cl::app::mapping
