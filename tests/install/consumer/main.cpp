// Runs a short scenario through the installed library API: the default scenario cut to
// ten simulated minutes, one replication, then one block's frame encoded for the wire.
#include <iostream>

#include "live/wire.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"
#include "sim/world/world.hpp"

int main() {
    namespace scenario = cl::sim::scenario;
    namespace world = cl::sim::world;
    auto s = scenario::load_default_scenario({scenario::Override{"duration", "10min"}});
    if (!s) {
        for (const auto& e : s.error()) std::cerr << e.to_string() << "\n";
        return 2;
    }
    auto config = world::world_config(*s, 0);
    if (!config) {
        std::cerr << world::to_scenario_error(*s, config.error()).to_string() << "\n";
        return 2;
    }
    auto w = world::World::create(std::move(*config));
    if (!w) {
        std::cerr << w.error() << "\n";
        return 1;
    }
    const world::WorldResults results = w->run();
    std::cout << "blocks " << results.blocks.size() << ", requests " << results.requests.size() << "\n";
    const cl::Bytes ping = cl::live::encode_message(cl::node::PingMsg{});
    std::cout << "ping frame body " << ping.size() << " bytes\n";
    return results.blocks.empty() ? 1 : 0;
}
