// DESIGN.md §5: steady-state message traffic allocates nothing. Counts calls of the
// global operator new (replaced in this test binary) while messages flow.
#include <gtest/gtest.h>

#include "tests/support/counting_new.hpp"

#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"

namespace cl::sim::net {
namespace {

// Every delivery is answered by a send to a random neighbour: constant traffic.
struct Echo : DeliveryHandler {
    Network* net = nullptr;
    RandomStream rng = RandomStream::derive(1, 0, "echo");
    void on_deliver(const Delivery& d) noexcept override {
        const auto nb = net->topology().neighbours(d.to);
        (void)net->send(d.to, nb[uniform_below(rng, nb.size())], d.type, d.size);
    }
};

TEST(NetworkAllocation, SteadyStateTrafficAllocatesNothing) {
    auto rng = RandomStream::derive(1, 0, "topology");
    const Topology t = random_regular_graph(200, 6, rng, {millis(20), 0});
    NetworkConfig config;
    config.upload_bps = 100'000'000;
    config.latency = {JitterKind::kUniform, millis(5), 5.0};
    Simulator sim;
    Echo echo;
    Network net(sim, t, config, RandomStreams(1, 0), echo);
    echo.net = &net;
    for (NodeId n = 0; n < 200; ++n) {
        for (int k = 0; k < 5; ++k) (void)net.send(n, t.neighbours(n)[0], 0, 1000);
    }
    sim.run_until(Time::at(seconds(2)));  // warm-up
    const std::size_t before = test::allocation_count();
    const auto delivered_before = net.counters(0).delivered_messages;
    sim.run_until(Time::at(seconds(4)));
    const std::size_t allocations = test::allocation_count() - before;
    EXPECT_GT(net.counters(0).delivered_messages - delivered_before, 50'000u);
    EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace cl::sim::net
