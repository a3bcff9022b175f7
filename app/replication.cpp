#include "app/replication.hpp"

#include <chrono>

#include "app/results_mapping.hpp"

namespace cl::app {

analysis::RunResults run_replication(const sim::scenario::Scenario& scenario,
                                     sim::world::CheckedConfig config, const ReplicationProgress& progress,
                                     std::unique_ptr<sim::world::World>* keep_world) {
    const std::uint64_t replication = config.config().replication;
    const double total = scenario.duration.to_seconds_f64();
    const auto start = std::chrono::steady_clock::now();
    auto wall_since_start = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    sim::world::World world(std::move(config));
    const sim::world::WorldResults results = progress ? world.run([&](sim::Time now, std::uint64_t events) {
        progress(now, events, wall_since_start());
    })
                                                      : world.run();
    const double wall = wall_since_start();

    analysis::RunResults run = to_run_results(scenario, replication, results);
    run.wall_clock.wall_seconds = wall;
    run.wall_clock.events = results.events;
    run.wall_clock.events_per_s = static_cast<double>(results.events) / wall;
    run.wall_clock.sim_seconds_per_wall_second = total / wall;
    if (keep_world != nullptr) *keep_world = std::make_unique<sim::world::World>(std::move(world));
    return run;
}

std::expected<analysis::RunResults, sim::world::WorldConfigError> run_replication(
    const sim::scenario::Scenario& scenario, std::uint64_t replication, const ReplicationProgress& progress) {
    auto checked = sim::world::checked_world_config(scenario, replication);
    if (!checked) return std::unexpected(std::move(checked.error()));
    return run_replication(scenario, std::move(*checked), progress);
}

}  // namespace cl::app
