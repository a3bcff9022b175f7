// make_world_topology (config.hpp): the regions topology of a world.
#include <algorithm>

#include "protocol/core/assert.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/world/config.hpp"

namespace cl::sim::world {

net::Topology make_world_topology(std::size_t validators, std::span<const std::uint16_t> validator_regions,
                                  std::size_t full_nodes, std::span<const double> full_region_weights,
                                  std::size_t degree, const net::RegionModel& model, RandomStream& rng) {
    CL_ASSERT(validator_regions.size() == validators && !model.regions.empty());
    const std::size_t n = validators + full_nodes;
    std::vector<std::uint16_t> region(validator_regions.begin(), validator_regions.end());
    std::vector<double> equal(model.regions.size(), 1.0);
    const auto choice = WeightedChoice::from_weights(
        full_region_weights.empty() ? std::span<const double>(equal) : full_region_weights);
    CL_ASSERT(choice.has_value());
    for (std::size_t i = 0; i < full_nodes; ++i)
        region.push_back(static_cast<std::uint16_t>(choice->pick(rng)));

    // Each node dials `degree` distinct random peers it is not linked to yet (as an
    // Ethereum node fills its outbound slots).
    std::vector<std::vector<net::NodeId>> adjacent(n);
    std::vector<net::Edge> edges;
    for (std::size_t a = 0; a < n; ++a) {
        const std::size_t want = std::min(degree, n - 1);
        std::size_t attempts = 0;
        while (adjacent[a].size() < want && attempts++ < 64 * (want + 1)) {
            const auto b = static_cast<net::NodeId>(uniform_below(rng, n));
            if (b == a || std::find(adjacent[a].begin(), adjacent[a].end(), b) != adjacent[a].end()) continue;
            adjacent[a].push_back(b);
            adjacent[b].push_back(static_cast<net::NodeId>(a));
            edges.push_back(net::Edge{static_cast<net::NodeId>(a), b,
                                      net::LinkParams{model.one_way_latency[region[a]][region[b]], 0}});
        }
    }
    net::Topology topology = net::Topology::from_edges(n, edges);
    topology.set_regions(model.regions, std::move(region));
    return topology;
}

}  // namespace cl::sim::world
