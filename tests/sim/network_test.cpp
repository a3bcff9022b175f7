// sim/net Network: bandwidth queueing arithmetic, latency and jitter, order, loss,
// partitions, failures, counters, and determinism of a random workload (digest).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "protocol/core/keccak.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"

namespace cl::sim::net {
namespace {

struct Recorder : DeliveryHandler {
    std::vector<Delivery> delivered;
    std::vector<std::pair<Delivery, DropReason>> dropped;
    void on_deliver(const Delivery& d) noexcept override { delivered.push_back(d); }
    void on_drop(const Delivery& d, DropReason r) noexcept override { dropped.emplace_back(d, r); }
};

struct Fixture {
    explicit Fixture(Topology t, NetworkConfig config = {}, std::uint64_t seed = 1)
        : topology(std::move(t)), net(sim, topology, config, RandomStreams(seed, 0), recorder) {}
    Simulator sim;
    Topology topology;
    Recorder recorder;
    Network net;
};

Topology pair(Duration latency, std::uint64_t link_bps = 0) {
    const Edge e[] = {{0, 1, {latency, link_bps}}};
    return Topology::from_edges(2, e);
}

TEST(Network, SerialisationTimeRoundsUp) {
    EXPECT_EQ(Network::serialisation_time(1000, 8'000'000), millis(1));  // 8000 bits at 8 Mbit/s
    EXPECT_EQ(Network::serialisation_time(1, 3), nanos(2'666'666'667));  // 8/3 s, rounded up
    EXPECT_EQ(Network::serialisation_time(12345, 0), Duration::zero());
    EXPECT_EQ(Network::serialisation_time(0, 1000), Duration::zero());
}

TEST(Network, BandwidthQueuesMessagesOnTheSendersUplink) {
    NetworkConfig config;
    config.upload_bps = 8'000'000;  // 1 byte per µs
    Fixture f(pair(millis(10)), config);
    // Three 1000-byte messages at t=0 leave at 1, 2, 3 ms and arrive 10 ms later.
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(f.net.send(0, 1, 0, 1000).has_value());
    EXPECT_EQ(f.net.uplink_free_at(0), Time::at(millis(3)));
    EXPECT_EQ(f.net.uplink_free_at(1), Time::zero());
    // At 5 ms the uplink is idle again: depart = 5 ms + 0.5 ms.
    f.sim.schedule_at(Time::at(millis(5)), [&f]() noexcept { (void)f.net.send(0, 1, 0, 500); });
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 4u);
    const std::int64_t expected_ms_x10[] = {110, 120, 130, 155};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(f.recorder.delivered[i].arrived, Time::at(micros(expected_ms_x10[i] * 100))) << i;
    }
    EXPECT_EQ(f.recorder.delivered[2].departed, Time::at(millis(3)));
    EXPECT_EQ(f.recorder.delivered[2].latency(), millis(13));  // queueing is part of latency
    // Receiving does not use the receiver's uplink; replies queue on their own.
    EXPECT_EQ(f.net.uplink_free_at(1), Time::zero());
}

TEST(Network, LinkBandwidthCapsTheRate) {
    NetworkConfig config;
    config.upload_bps = 80'000'000;
    Fixture f(pair(Duration::zero(), 8'000'000), config);  // the link is the bottleneck
    (void)f.net.send(0, 1, 0, 1000);
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 1u);
    EXPECT_EQ(f.recorder.delivered[0].arrived, Time::at(millis(1)));
}

TEST(Network, TopologyUploadFiguresAreUsedUnlessIgnored) {
    Topology t = pair(Duration::zero());
    t.set_node_upload_bps({8'000, 16'000});
    NetworkConfig config;
    config.upload_bps = 1;
    Fixture f(t, config);
    EXPECT_EQ(f.net.upload_bps(0), 8'000u);
    config.ignore_topology_upload = true;
    Fixture g(t, config);
    EXPECT_EQ(g.net.upload_bps(1), 1u);
}

TEST(Network, UnlinkedPairIsDropped) {
    Fixture f(ring_graph(5));
    EXPECT_EQ(f.net.send(0, 2, 0, 10), DropReason::kNoLink);
    EXPECT_EQ(f.net.drops(DropReason::kNoLink), 1u);
    ASSERT_EQ(f.recorder.dropped.size(), 1u);
}

TEST(Network, JitterDoesNotReorderByDefault) {
    NetworkConfig config;
    config.latency = {JitterKind::kUniform, millis(50), 5.0};
    Fixture f(pair(millis(10)), config);
    for (std::uint64_t i = 0; i < 500; ++i) {
        f.sim.schedule_at(Time::at(micros(static_cast<std::int64_t>(i) * 100)),
                          [&f, i]() noexcept { (void)f.net.send(0, 1, 0, 100, i); });
    }
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 500u);
    bool jittered = false;
    for (std::size_t i = 0; i < 500; ++i) {
        EXPECT_EQ(f.recorder.delivered[i].payload, i);
        const Duration lat = f.recorder.delivered[i].latency();
        EXPECT_GE(lat, millis(10));
        EXPECT_LE(lat, millis(60));
        jittered = jittered || lat != f.recorder.delivered[0].latency();
    }
    EXPECT_TRUE(jittered);
}

TEST(Network, JitterReordersWhenAllowed) {
    NetworkConfig config;
    config.latency = {JitterKind::kExponential, millis(50), 5.0};
    config.allow_reordering = true;
    Fixture f(pair(millis(10)), config);
    for (std::uint64_t i = 0; i < 200; ++i) {
        f.sim.schedule_at(Time::at(micros(static_cast<std::int64_t>(i) * 100)),
                          [&f, i]() noexcept { (void)f.net.send(0, 1, 0, 100, i); });
    }
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 200u);
    std::size_t out_of_order = 0;
    for (std::size_t i = 1; i < 200; ++i) {
        if (f.recorder.delivered[i].payload < f.recorder.delivered[i - 1].payload) ++out_of_order;
    }
    EXPECT_GT(out_of_order, 10u);
}

TEST(Network, ParetoLatencyHasTheLinkLatencyAsMean) {
    NetworkConfig config;
    config.latency = {JitterKind::kPareto, Duration::zero(), 5.0};
    config.allow_reordering = true;
    Fixture f(pair(millis(100)), config);
    const int n = 20000;
    for (int i = 0; i < n; ++i) (void)f.net.send(0, 1, 0, 0);
    f.sim.run();
    const double mean_ms = f.net.counters(0).latency_sum.to_seconds_f64() * 1e3 / n;
    EXPECT_NEAR(mean_ms, 100.0, 2.0);
    EXPECT_GE(f.recorder.delivered.front().latency(), millis(80));  // scale = 4/5 of mean
}

TEST(Network, LossDropsTheConfiguredFraction) {
    NetworkConfig config;
    config.loss = 0.2;
    config.upload_bps = 8'000'000;
    Fixture f(pair(millis(1)), config);
    const int n = 20000;
    int lost = 0;
    for (int i = 0; i < n; ++i) lost += f.net.send(0, 1, 3, 10) == DropReason::kLost ? 1 : 0;
    f.sim.run();
    EXPECT_NEAR(lost, 0.2 * n, 5 * std::sqrt(n * 0.2 * 0.8));
    EXPECT_EQ(f.recorder.delivered.size(), static_cast<std::size_t>(n - lost));
    const TypeCounters& c = f.net.counters(3);
    EXPECT_EQ(c.sent_messages, static_cast<std::uint64_t>(n));
    EXPECT_EQ(c.sent_bytes, 10u * n);
    EXPECT_EQ(c.dropped_messages, static_cast<std::uint64_t>(lost));
    EXPECT_EQ(c.delivered_bytes, 10u * static_cast<std::uint64_t>(n - lost));
    // Lost messages still used the uplink: n messages of 10 µs each.
    EXPECT_EQ(f.net.uplink_free_at(0), Time::at(micros(10 * n)));
    EXPECT_EQ(f.net.totals().sent_messages, static_cast<std::uint64_t>(n));
}

TEST(Network, PartitionSeparatesGroupsBetweenTwoTimes) {
    Fixture f(complete_graph(4, {millis(10), 0}));
    // {0,1} | {2} | rest {3}, during [100 ms, 200 ms).
    f.net.add_partition({"split", {{0, 1}, {2}}, Time::at(millis(100)), Time::at(millis(200))});
    EXPECT_TRUE(f.net.reachable(0, 2, Time::at(millis(99))));
    EXPECT_FALSE(f.net.reachable(0, 2, Time::at(millis(100))));
    EXPECT_FALSE(f.net.reachable(2, 3, Time::at(millis(150))));
    EXPECT_TRUE(f.net.reachable(0, 1, Time::at(millis(150))));
    EXPECT_TRUE(f.net.reachable(0, 3, Time::at(millis(200))));

    auto at = [&f](std::int64_t ms, NodeId from, NodeId to, std::uint64_t tag) {
        f.sim.schedule_at(Time::at(millis(ms)),
                          [&f, from, to, tag]() noexcept { (void)f.net.send(from, to, 0, 1, tag); });
    };
    at(50, 0, 2, 1);   // delivered at 60
    at(95, 0, 2, 2);   // arrives at 105, inside: dropped at arrival
    at(150, 0, 1, 3);  // same group: delivered
    at(150, 0, 3, 4);  // 3 is in the implicit rest group: dropped at send
    at(195, 2, 0, 5);  // arrives 205, after: sent inside, dropped at send
    at(200, 2, 0, 6);  // delivered
    f.sim.run();
    std::vector<std::uint64_t> got;
    for (const Delivery& d : f.recorder.delivered) got.push_back(d.payload);
    EXPECT_EQ(got, (std::vector<std::uint64_t>{1, 3, 6}));
    EXPECT_EQ(f.net.drops(DropReason::kPartitioned), 3u);
}

TEST(Network, NodeAndLinkFailures) {
    Fixture f(ring_graph(4, {millis(10), 0}));
    f.net.add_node_failure(2, Time::at(millis(100)), Time::at(millis(200)));
    f.net.add_link_failure(0, 3, Time::at(millis(0)), Time::max());
    EXPECT_FALSE(f.net.node_up(2, Time::at(millis(150))));
    EXPECT_TRUE(f.net.node_up(2, Time::at(millis(200))));
    EXPECT_FALSE(f.net.link_up(3, 0, Time::at(seconds(100))));
    EXPECT_TRUE(f.net.link_up(0, 1, Time::at(seconds(100))));

    auto at = [&f](std::int64_t ms, NodeId from, NodeId to, std::uint64_t tag) {
        f.sim.schedule_at(Time::at(millis(ms)),
                          [&f, from, to, tag]() noexcept { (void)f.net.send(from, to, 0, 1, tag); });
    };
    at(95, 1, 2, 1);   // receiver down at arrival (105)
    at(150, 2, 1, 2);  // sender down
    at(195, 1, 2, 3);  // arrives at 205: up again
    at(10, 3, 0, 4);   // link down
    at(10, 0, 1, 5);   // fine
    f.sim.run();
    std::vector<std::uint64_t> got;
    for (const Delivery& d : f.recorder.delivered) got.push_back(d.payload);
    EXPECT_EQ(got, (std::vector<std::uint64_t>{5, 3}));
    EXPECT_EQ(f.net.drops(DropReason::kReceiverDown), 1u);
    EXPECT_EQ(f.net.drops(DropReason::kSenderDown), 1u);
    EXPECT_EQ(f.net.drops(DropReason::kLinkDown), 1u);
}

// A random workload on a random topology with every feature on; returns keccak-256 over
// every delivery (time, from, to, type, size), in delivery order.
struct DigestHandler : DeliveryHandler {
    Bytes log;
    std::size_t count = 0;
    void put(std::uint64_t v) {
        for (int i = 7; i >= 0; --i) log.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void on_deliver(const Delivery& d) noexcept override {
        put(static_cast<std::uint64_t>(d.arrived.nanos()));
        put(d.from);
        put(d.to);
        put(d.type);
        put(d.size);
        ++count;
    }
};

std::pair<Hash32, std::size_t> random_workload_digest(std::uint64_t seed) {
    const RandomStreams streams(seed, 0);
    auto topo_rng = streams.stream("topology");
    const Topology topology = random_regular_graph(60, 4, topo_rng, {millis(20), 0});
    NetworkConfig config;
    config.upload_bps = 10'000'000;
    config.latency = {JitterKind::kExponential, millis(5), 5.0};
    config.loss = 0.05;
    config.message_types = 4;
    Simulator sim;
    DigestHandler handler;
    Network net(sim, topology, config, streams, handler);
    net.add_partition({"p", {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, Time::at(millis(300)), Time::at(millis(600))});
    auto workload = streams.stream("workload");
    for (int i = 0; i < 3000; ++i) {
        const auto from = static_cast<NodeId>(uniform_below(workload, 60));
        const auto nb = topology.neighbours(from);
        const NodeId to = nb[uniform_below(workload, nb.size())];
        const auto type = static_cast<MessageType>(uniform_below(workload, 4));
        const auto size = static_cast<std::uint32_t>(uniform_int(workload, 100, 20'000));
        const Time t = Time::at(nanos(uniform_int(workload, 0, 999'999'999)));
        sim.schedule_at(t, [&net, from, to, type, size]() noexcept { (void)net.send(from, to, type, size); });
    }
    sim.run();
    return {keccak256(handler.log), handler.count};
}

TEST(NetworkDeterminism, SameSeedSameDigest) {
    const auto a = random_workload_digest(7);
    const auto b = random_workload_digest(7);
    EXPECT_GT(a.second, 2000u);
    EXPECT_EQ(a.second, b.second);
    EXPECT_EQ(a.first, b.first);
}

TEST(NetworkDeterminism, DifferentSeedDifferentDigest) {
    EXPECT_NE(random_workload_digest(7).first, random_workload_digest(8).first);
}

}  // namespace
}  // namespace cl::sim::net
