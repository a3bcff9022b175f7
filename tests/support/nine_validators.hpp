// The world of the attack tests (shared/spec/adversaries.md; the NDSS 2020 clone setting):
// nine validators sealing every 5 s on a complete graph of 50 ms links and 100 Mbit/s
// uplinks with one full node (node 9), clouds trusting a code with two blocks on top, one
// small tier and no renewals; and the two things every attack test asks of a run.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/core/assert.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world::test {

// `quota`: units of the small tier each cloud contributes. No adversary yet.
inline WorldConfig nine_validators(std::string name, std::uint64_t seed, Duration duration,
                                   double requests_per_second, std::uint64_t quota) {
    WorldConfig c;
    c.name = std::move(name);
    c.seed = seed;
    c.duration = duration;
    c.users.requests_per_second = requests_per_second;
    c.users.region_weights = {1.0};
    c.cloud_behaviour.confirmations = 2;
    c.pool.ttl.max_renewals = 0;
    c.clique.period = 5;
    for (int i = 0; i < 9; ++i) c.clouds.push_back(CloudSpec{"v" + std::to_string(i), 0, {quota}});
    c.topology = net::complete_graph(10, net::LinkParams{millis(50), 0});
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    return c;
}

// Runs a configuration that World::create accepts.
inline WorldResults run(const WorldConfig& c) {
    auto w = World::create(c);
    CL_ASSERT(w.has_value());
    return w->run();
}

// The attack's figure `name`; a test failure (and -2) when it has none.
inline double figure(const AttackRecord& r, std::string_view name) {
    for (const Metric& m : r.figures)
        if (m.name == name) return m.value;
    ADD_FAILURE() << "no figure " << name;
    return -2;
}

}  // namespace cl::sim::world::test
