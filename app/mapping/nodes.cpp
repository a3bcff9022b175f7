#include <algorithm>

#include "app/mapping/mappers.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app::mapping {
namespace {

// At most N bytes of `text`, cut at a UTF-8 character boundary, NUL bytes dropped (a name
// from a topology file may be longer than a FixedString holds).
template <std::size_t N>
analysis::FixedString<N> fixed_prefix(std::string_view text) {
    std::string s;
    for (char c : text) {
        if (c != '\0') s += c;
    }
    if (s.size() > N) {
        std::size_t cut = N;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
        s.resize(cut);
    }
    return analysis::FixedString<N>(s);
}

}  // namespace

// REQUIRES: run.codes filled (fill_code_books).
void map_nodes(const sim::scenario::Scenario& scenario, const sim::world::WorldResults& world,
               analysis::RunResults& run) {
    const auto rules = sim::scenario::fork_choice_rules();
    auto fork_choice_code = [&](clique::ForkChoiceRule rule) {
        const auto it =
            std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.second == rule; });
        // Every rule is in the table; a missing one would get a code without a name, which
        // write_results rejects.
        return static_cast<std::uint8_t>(it - rules.begin());
    };
    for (std::size_t n = 0; n < world.nodes.size(); ++n) {
        const sim::world::NodeInfo& info = world.nodes[n];
        analysis::NodeRow row;
        row.node = static_cast<std::uint32_t>(n);
        row.name = fixed_prefix<decltype(row.name)::kCapacity>(info.name);
        row.role = info.cloud ? 0 : 1;
        if (info.cloud && *info.cloud < analysis::kNoCode)
            row.cloud = static_cast<std::uint16_t>(*info.cloud);
        const auto& regions = run.codes.regions;
        const auto it = std::find(regions.begin(), regions.end(), info.region);
        if (!info.region.empty() && it != regions.end() && it - regions.begin() < analysis::kNoCode)
            row.region = static_cast<std::uint16_t>(it - regions.begin());
        // The rule the node applied (WorldResults::fork_choices); world results that name
        // none for it (made by hand) mean the scenario's consensus.fork_choice.
        row.fork_choice = fork_choice_code(n < world.fork_choices.size() ? world.fork_choices[n]
                                                                         : scenario.consensus.fork_choice);
        if (n < world.harm.deepest_reorg.size()) row.deepest_reorg = world.harm.deepest_reorg[n];
        if (n < world.node_counters.size()) {
            const sim::world::NodeCounters& c = world.node_counters[n];
            row.messages_sent = c.messages_sent;
            row.bytes_sent = c.bytes_sent;
            row.messages_received = c.messages_received;
            row.bytes_received = c.bytes_received;
            row.cpu_ns = c.cpu.nanos();
        }
        run.nodes.push_back(row);
    }
}

}  // namespace cl::app::mapping
