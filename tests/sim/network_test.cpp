// sim/net Network: bandwidth queueing arithmetic, latency and jitter, order, loss,
// partitions, failures, partial link loss, counters, and determinism of a random
// workload (digest).
#include <gtest/gtest.h>

#include <cmath>
#include <expected>
#include <functional>
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

// The caller's neighbour index names the half-edge; a wrong or unknown one is checked and
// the link found by search: the same deliveries (per-link order included), and one record
// per message in flight (the delivery event itself).
TEST(Network, NeighbourIndexIsCheckedAndSavesTheSearch) {
    const Edge e[] = {{0, 1, {millis(1), 0}}, {0, 2, {millis(2), 0}}, {0, 3, {millis(3), 0}}};
    Fixture f(Topology::from_edges(4, e));
    EXPECT_FALSE(f.net.send(0, 2, 0, 10, 1, 1).has_value());  // right: neighbours(0) = {1, 2, 3}
    EXPECT_FALSE(f.net.send(0, 3, 0, 10, 2, 0).has_value());  // wrong index: found by search
    EXPECT_FALSE(f.net.send(0, 1, 0, 10, 3, 7).has_value());  // out of range: found by search
    EXPECT_FALSE(f.net.send(0, 1, 0, 10, 4).has_value());     // none given
    EXPECT_EQ(f.net.send(1, 2, 0, 10, 5, 0), DropReason::kNoLink) << "an index never makes a link";
    EXPECT_EQ(f.net.in_flight(), 4u);
    f.sim.run();
    EXPECT_EQ(f.net.in_flight(), 0u);
    ASSERT_EQ(f.recorder.delivered.size(), 4u);
    const std::pair<NodeId, std::uint64_t> expected[] = {{1, 3}, {1, 4}, {2, 1}, {3, 2}};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(f.recorder.delivered[i].to, expected[i].first) << i;
        EXPECT_EQ(f.recorder.delivered[i].payload, expected[i].second) << i;
        EXPECT_EQ(f.recorder.delivered[i].latency(), millis(expected[i].first)) << i;
    }
}

// Every delivery names the receiver's half-edge back to the sender: the position of
// `from` among `to`'s neighbours (issue 16: the receiver indexes its peer, no search).
TEST(Network, DeliveryCarriesTheReceiversIndexOfTheSender) {
    // neighbours(0) = {1, 2, 3}, neighbours(2) = {0, 1, 3}, neighbours(3) = {0, 2}.
    const Edge e[] = {{0, 1, {millis(1), 0}},
                      {0, 2, {millis(1), 0}},
                      {0, 3, {millis(1), 0}},
                      {2, 1, {millis(1), 0}},
                      {2, 3, {millis(1), 0}}};
    Fixture f(Topology::from_edges(4, e));
    const std::pair<NodeId, NodeId> sends[] = {{0, 2}, {1, 2}, {3, 2}, {2, 0}, {3, 0}, {2, 3}, {0, 3}};
    for (const auto& [from, to] : sends) EXPECT_FALSE(f.net.send(from, to, 0, 10).has_value());
    ASSERT_EQ(f.recorder.delivered.size(), 0u);
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), std::size(sends));
    for (const Delivery& d : f.recorder.delivered) {
        const auto nb = f.topology.neighbours(d.to);
        ASSERT_LT(d.to_index, nb.size()) << d.from << " -> " << d.to;
        EXPECT_EQ(nb[d.to_index], d.from) << d.from << " -> " << d.to;
    }
    EXPECT_EQ(f.recorder.delivered[1].to_index, 1u) << "1 is 2's second neighbour";
    EXPECT_EQ(f.net.send(1, 3, 0, 10), DropReason::kNoLink);
    EXPECT_EQ(f.recorder.dropped.back().first.to_index, Delivery::kNoIndex) << "no link, no index";
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
    ASSERT_TRUE(f.net.add_partition({"split", {{0, 1}, {2}}, Time::at(millis(100)), Time::at(millis(200))}));
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
    ASSERT_TRUE(f.net.add_node_failure(2, Time::at(millis(100)), Time::at(millis(200))));
    ASSERT_TRUE(f.net.add_link_failure(0, 3, Time::at(millis(0)), Time::max()));
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

TEST(Network, LinkLossDropsItsFractionOnlyInItsWindowBothWays) {
    Fixture f(ring_graph(3, {millis(1), 0}));
    ASSERT_TRUE(f.net.add_link_loss(0, 1, 0.25, Time::at(seconds(1)), Time::at(seconds(2))));
    EXPECT_EQ(f.net.link_loss(0, 1, Time::at(millis(999))), 0.0);
    EXPECT_EQ(f.net.link_loss(1, 0, Time::at(seconds(1))), 0.25);
    EXPECT_EQ(f.net.link_loss(0, 2, Time::at(seconds(1))), 0.0) << "another link";
    EXPECT_EQ(f.net.link_loss(0, 1, Time::at(seconds(2))), 0.0) << "end exclusive";

    const int n = 20000;
    int lost[3][2] = {};  // [before, inside, after][0→1, 1→0]
    for (int phase = 0; phase < 3; ++phase) {
        f.sim.schedule_at(Time::at(millis(500 + 1000 * phase)), [&f, &lost, phase]() noexcept {
            for (int i = 0; i < n; ++i) {
                lost[phase][0] += f.net.send(0, 1, 0, 10) == DropReason::kLost ? 1 : 0;
                lost[phase][1] += f.net.send(1, 0, 0, 10) == DropReason::kLost ? 1 : 0;
                EXPECT_FALSE(f.net.send(0, 2, 0, 10).has_value());
            }
        });
    }
    f.sim.run();
    for (int way = 0; way < 2; ++way) {
        EXPECT_EQ(lost[0][way], 0);
        EXPECT_NEAR(lost[1][way], 0.25 * n, 5 * std::sqrt(n * 0.25 * 0.75)) << way;
        EXPECT_EQ(lost[2][way], 0);
    }
    EXPECT_EQ(f.net.drops(DropReason::kLost), static_cast<std::uint64_t>(lost[1][0] + lost[1][1]));
}

TEST(Network, OverlappingLinkLossWindowsAreIndependentLosses) {
    Fixture f(pair(millis(1)));
    ASSERT_TRUE(f.net.add_link_loss(0, 1, 0.5, Time::zero(), Time::at(seconds(2))));
    ASSERT_TRUE(f.net.add_link_loss(1, 0, 0.25, Time::at(seconds(1)), Time::max()));
    EXPECT_EQ(f.net.link_loss(0, 1, Time::at(millis(500))), 0.5);
    EXPECT_EQ(f.net.link_loss(0, 1, Time::at(millis(1500))), 1.0 - 0.5 * 0.75);
    EXPECT_EQ(f.net.link_loss(0, 1, Time::at(seconds(3))), 0.25);
    ASSERT_TRUE(f.net.add_link_loss(0, 1, 1.0, Time::at(seconds(5)), Time::at(seconds(6))));
    f.sim.schedule_at(Time::at(seconds(5)), [&f]() noexcept {
        for (int i = 0; i < 100; ++i) EXPECT_EQ(f.net.send(0, 1, 0, 1), DropReason::kLost);
    });
    f.sim.run();
}

// The link-loss draw is made only for a send on a link with an active window: sends
// outside it, or on the sender's other links, see the same jitter draws as without it.
TEST(Network, LinkLossDrawsOnlyForSendsInsideItsWindow) {
    NetworkConfig config;
    config.latency = {JitterKind::kUniform, millis(50), 5.0};
    config.allow_reordering = true;
    auto arrivals = [&](bool with_loss) {
        Fixture f(ring_graph(3, {millis(10), 0}), config, 3);
        if (with_loss) {
            EXPECT_TRUE(f.net.add_link_loss(0, 1, 0.5, Time::at(seconds(1)), Time::at(seconds(2))));
        }
        auto at = [&f](std::int64_t ms, NodeId to) {
            f.sim.schedule_at(Time::at(millis(ms)), [&f, to]() noexcept {
                for (int i = 0; i < 10; ++i) (void)f.net.send(0, to, 0, 1);
            });
        };
        at(500, 1);   // before the window
        at(1500, 2);  // in the window, on another link
        at(2500, 1);  // after
        f.sim.run();
        std::vector<std::int64_t> out;
        for (const Delivery& d : f.recorder.delivered) out.push_back(d.arrived.nanos());
        return out;
    };
    const auto a = arrivals(false), b = arrivals(true);
    EXPECT_EQ(a.size(), 30u);
    EXPECT_EQ(a, b);
}

// ---------------------------------------------------------------------------------------
// Configuration is a value: every bad setting or fault schedule is a ConfigError naming
// the field, never an abort.

struct Rejected {
    const char* what;
    NetworkConfig config;
    ConfigErrorCode code;
    const char* field;
};

NetworkConfig with(auto change) {
    NetworkConfig c;
    change(c);
    return c;
}

TEST(NetworkConfigValidation, RejectsEveryBadSetting) {
    const Topology t = ring_graph(4);
    const Rejected cases[] = {
        {"negative loss", with([](NetworkConfig& c) { c.loss = -0.1; }),
         ConfigErrorCode::kProbabilityOutOfRange, "loss"},
        {"loss above 1", with([](NetworkConfig& c) { c.loss = 1.5; }),
         ConfigErrorCode::kProbabilityOutOfRange, "loss"},
        {"NaN loss", with([](NetworkConfig& c) { c.loss = std::nan(""); }),
         ConfigErrorCode::kProbabilityOutOfRange, "loss"},
        {"negative jitter", with([](NetworkConfig& c) {
             c.latency = {JitterKind::kUniform, -millis(1), 5.0};
         }),
         ConfigErrorCode::kNegativeDuration, "latency.jitter"},
        {"Pareto shape 1 (no mean)", with([](NetworkConfig& c) {
             c.latency = {JitterKind::kPareto, Duration::zero(), 1.0};
         }),
         ConfigErrorCode::kParetoShapeTooSmall, "latency.pareto_shape"},
        {"Pareto shape infinite", with([](NetworkConfig& c) {
             c.latency = {JitterKind::kPareto, Duration::zero(), HUGE_VAL};
         }),
         ConfigErrorCode::kParetoShapeTooSmall, "latency.pareto_shape"},
        {"no message types", with([](NetworkConfig& c) { c.message_types = 0; }),
         ConfigErrorCode::kMessageTypeCount, "message_types"},
        {"more types than MessageType holds", with([](NetworkConfig& c) { c.message_types = 65537; }),
         ConfigErrorCode::kMessageTypeCount, "message_types"},
    };
    for (const Rejected& r : cases) {
        const auto v = Network::validate(r.config, t);
        ASSERT_FALSE(v.has_value()) << r.what;
        EXPECT_EQ(v.error().code, r.code) << r.what;
        EXPECT_EQ(v.error().field, r.field) << r.what;
        EXPECT_FALSE(v.error().message.empty()) << r.what;
        Simulator sim;
        Recorder recorder;
        const auto net = Network::create(sim, t, r.config, RandomStreams(1, 0), recorder);
        ASSERT_FALSE(net.has_value()) << r.what;
        EXPECT_EQ(net.error().code, r.code) << r.what;
    }
    // The Pareto shape is only checked when the Pareto model is used; 65536 types is the maximum.
    EXPECT_TRUE(Network::validate(with([](NetworkConfig& c) { c.latency.pareto_shape = 0.5; }), t));
    EXPECT_TRUE(Network::validate(with([](NetworkConfig& c) { c.message_types = 65536; }), t));
    EXPECT_TRUE(Network::validate(with([](NetworkConfig& c) { c.loss = 1.0; }), t));
}

TEST(NetworkConfigValidation, RejectsANegativeLinkLatencyInTheTopology) {
    const Topology t = pair(-nanos(5));
    const auto v = Network::validate({}, t);
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error().code, ConfigErrorCode::kNegativeDuration);
    EXPECT_EQ(v.error().field, "link(0,1).latency");
    EXPECT_EQ(v.error().to_string(), "link(0,1).latency: latency -5 ns is negative");
}

TEST(NetworkConfigValidation, CreateGivesAWorkingNetwork) {
    Simulator sim;
    Recorder recorder;
    const Topology t = pair(millis(1));
    auto net = Network::create(sim, t, {}, RandomStreams(1, 0), recorder);
    ASSERT_TRUE(net.has_value()) << net.error().to_string();
    EXPECT_FALSE((*net)->send(0, 1, 0, 10).has_value());
    sim.run();
    EXPECT_EQ(recorder.delivered.size(), 1u);
}

struct RejectedFault {
    const char* what;
    std::function<std::expected<void, ConfigError>(Network&)> add;
    ConfigErrorCode code;
    const char* field;
};

TEST(NetworkFaultValidation, RejectsEveryBadSchedule) {
    const Time t1 = Time::at(seconds(1)), t2 = Time::at(seconds(2));
    const RejectedFault cases[] = {
        // Partitions.
        {"no groups",
         [&](Network& n) {
             return n.add_partition({"p", {}, t1, t2});
         },
         ConfigErrorCode::kNoGroups, "partition 'p'.groups"},
        {"empty group",
         [&](Network& n) {
             return n.add_partition({"p", {{0}, {}}, t1, t2});
         },
         ConfigErrorCode::kEmptyGroup, "partition 'p'.groups[1]"},
        {"unknown node",
         [&](Network& n) {
             return n.add_partition({"p", {{0}, {1, 9}}, t1, t2});
         },
         ConfigErrorCode::kUnknownNode, "partition 'p'.groups[1][1]"},
        {"node in two groups",
         [&](Network& n) {
             return n.add_partition({"p", {{0, 1}, {2, 1}}, t1, t2});
         },
         ConfigErrorCode::kNodeInTwoGroups, "partition 'p'.groups[1][1]"},
        {"node twice in a group",
         [&](Network& n) {
             return n.add_partition({"p", {{0, 0}}, t1, t2});
         },
         ConfigErrorCode::kNodeInTwoGroups, "partition 'p'.groups[0][1]"},
        {"end before start",
         [&](Network& n) {
             return n.add_partition({"p", {{0}}, t2, t1});
         },
         ConfigErrorCode::kEndBeforeStart, "partition 'p'.end"},
        {"negative start",
         [&](Network& n) {
             return n.add_partition({"p", {{0}}, Time::from_nanos(-1), t1});
         },
         ConfigErrorCode::kNegativeTime, "partition 'p'.start"},
        {"too many groups",
         [&](Network& n) {
             return n.add_partition({"p", std::vector<std::vector<NodeId>>(0xffff, {0}), t1, t2});
         },
         ConfigErrorCode::kTooManyGroups, "partition 'p'.groups"},
        // Node failures.
        {"node failure of an unknown node", [&](Network& n) { return n.add_node_failure(4, t1, t2); },
         ConfigErrorCode::kUnknownNode, "node_failure.node"},
        {"node failure ending before it starts", [&](Network& n) { return n.add_node_failure(1, t2, t1); },
         ConfigErrorCode::kEndBeforeStart, "node_failure.end"},
        {"node failure before time zero",
         [&](Network& n) { return n.add_node_failure(1, Time::from_nanos(-5), t1); },
         ConfigErrorCode::kNegativeTime, "node_failure.start"},
        // Link failures.
        {"link failure with an unknown node", [&](Network& n) { return n.add_link_failure(0, 7, t1, t2); },
         ConfigErrorCode::kUnknownNode, "link_failure.b"},
        {"link failure of a self-link", [&](Network& n) { return n.add_link_failure(2, 2, t1, t2); },
         ConfigErrorCode::kSelfLink, "link_failure.b"},
        {"link failure of unlinked nodes", [&](Network& n) { return n.add_link_failure(0, 2, t1, t2); },
         ConfigErrorCode::kNotLinked, "link_failure"},
        {"link failure ending before it starts", [&](Network& n) { return n.add_link_failure(0, 1, t2, t1); },
         ConfigErrorCode::kEndBeforeStart, "link_failure.end"},
        // Link loss.
        {"link loss with an unknown node", [&](Network& n) { return n.add_link_loss(9, 0, 0.5, t1, t2); },
         ConfigErrorCode::kUnknownNode, "link_loss.a"},
        {"link loss of a self-link", [&](Network& n) { return n.add_link_loss(1, 1, 0.5, t1, t2); },
         ConfigErrorCode::kSelfLink, "link_loss.b"},
        {"link loss of unlinked nodes", [&](Network& n) { return n.add_link_loss(0, 2, 0.5, t1, t2); },
         ConfigErrorCode::kNotLinked, "link_loss"},
        {"link loss above one", [&](Network& n) { return n.add_link_loss(0, 1, 1.5, t1, t2); },
         ConfigErrorCode::kProbabilityOutOfRange, "link_loss.probability"},
        {"link loss NaN", [&](Network& n) { return n.add_link_loss(0, 1, std::nan(""), t1, t2); },
         ConfigErrorCode::kProbabilityOutOfRange, "link_loss.probability"},
        {"link loss ending before it starts", [&](Network& n) { return n.add_link_loss(0, 1, 0.5, t2, t1); },
         ConfigErrorCode::kEndBeforeStart, "link_loss.end"},
    };
    for (const RejectedFault& r : cases) {
        Fixture f(ring_graph(4));
        const auto result = r.add(f.net);
        ASSERT_FALSE(result.has_value()) << r.what;
        EXPECT_EQ(result.error().code, r.code) << r.what << ": " << result.error().to_string();
        EXPECT_EQ(result.error().field, r.field) << r.what << ": " << result.error().to_string();
        // A rejected schedule changes nothing.
        for (NodeId a = 0; a < 4; ++a) {
            EXPECT_TRUE(f.net.node_up(a, t1)) << r.what;
            for (NodeId b = 0; b < 4; ++b) EXPECT_TRUE(f.net.reachable(a, b, t1)) << r.what;
        }
        EXPECT_TRUE(f.net.link_up(0, 1, t1)) << r.what;
        EXPECT_EQ(f.net.link_loss(0, 1, t1), 0.0) << r.what;
    }
}

TEST(NetworkFaultValidation, MessagesNameTheValues) {
    Fixture f(ring_graph(4));
    EXPECT_EQ(f.net.add_partition({"split", {{0, 1}, {2, 1}}, Time::zero(), Time::max()}).error().to_string(),
              "partition 'split'.groups[1][1]: node 1 is already in groups[0]");
    EXPECT_EQ(f.net.add_node_failure(9, Time::zero(), Time::max()).error().to_string(),
              "node_failure.node: node 9 does not exist (the topology has 4 nodes)");
    EXPECT_EQ(f.net.add_link_failure(1, 3, Time::zero(), Time::max()).error().to_string(),
              "link_failure: nodes 1 and 3 are not linked");
}

TEST(NetworkFaultValidation, EmptyIntervalsAndOpenEndsAreAccepted) {
    Fixture f(ring_graph(4, {millis(10), 0}));
    // start == end: valid and without effect (a sweep's zero-length point).
    ASSERT_TRUE(f.net.add_partition({"none", {{0}}, Time::at(seconds(1)), Time::at(seconds(1))}));
    ASSERT_TRUE(f.net.add_node_failure(1, Time::at(seconds(1)), Time::at(seconds(1))));
    EXPECT_TRUE(f.net.reachable(0, 1, Time::at(seconds(1))));
    EXPECT_TRUE(f.net.node_up(1, Time::at(seconds(1))));
    ASSERT_TRUE(f.net.add_node_failure(2, Time::zero(), Time::max()));
    EXPECT_FALSE(f.net.node_up(2, Time::max() - nanos(1)));
}

// ---------------------------------------------------------------------------------------
// Arithmetic at the edges: exact serialisation times, and sums past the end of time.

TEST(Network, SerialisationTimeIsExactIntegerArithmetic) {
    // ceil(size·8·10^9 / bps): the result t is the least with t·bps >= size·8·10^9.
    __extension__ using U128 = unsigned __int128;
    // Including both sides of the 64-bit path's bounds (size < 2^30, bps < 2^63).
    const std::uint64_t sizes[] = {1, 3, 999, 1'000'000, (1ULL << 30) - 1, 1ULL << 30, 0xffffffffULL};
    const std::uint64_t rates[] = {1,
                                   3,
                                   7,
                                   1'000'003,
                                   999'999'937,
                                   10'000'000'000ULL,
                                   (1ULL << 63) - 1,
                                   1ULL << 63,
                                   0xffffffffffffffffULL};
    for (const std::uint64_t size : sizes) {
        for (const std::uint64_t bps : rates) {
            const Duration t = Network::serialisation_time(size, bps);
            const U128 need = static_cast<U128>(size) * 8U * 1'000'000'000U;
            if (t == Duration::max()) {
                EXPECT_GT(need, static_cast<U128>(Duration::max().nanos()) * bps) << size << " @ " << bps;
                continue;
            }
            const auto ns = static_cast<U128>(t.nanos());
            EXPECT_GE(ns * bps, need) << size << " @ " << bps;
            if (ns > 0) {
                EXPECT_LT((ns - 1) * bps, need) << size << " @ " << bps;
            }
        }
    }
    // 4 GiB at 1 bit/s is ~1089 years: saturates instead of aborting.
    EXPECT_EQ(Network::serialisation_time(0xffffffffULL, 1), Duration::max());
    EXPECT_EQ(Network::serialisation_time(1'000'000'000, 8), seconds(1'000'000'000));  // exact, no rounding
}

TEST(Network, UplinkBacklogPastTheEndOfTimeSaturates) {
    NetworkConfig config;
    config.upload_bps = 1;  // a scenario may say so; it must not abort
    Fixture f(pair(millis(1)), config);
    EXPECT_FALSE(f.net.send(0, 1, 0, 0xffffffffU).has_value());
    EXPECT_EQ(f.net.uplink_free_at(0), Time::max());
    EXPECT_FALSE(f.net.send(0, 1, 0, 1).has_value());  // queued behind it: also at the end
    EXPECT_EQ(f.net.uplink_free_at(0), Time::max());
    EXPECT_EQ(f.sim.run_until(Time::at(hours(24 * 365))), RunStatus::kTimeLimit);
    EXPECT_TRUE(f.recorder.delivered.empty());
    f.sim.run();  // delivered "at the end of time", in order, without overflow
    ASSERT_EQ(f.recorder.delivered.size(), 2u);
    EXPECT_EQ(f.recorder.delivered[1].arrived, Time::max());
    EXPECT_EQ(f.net.counters(0).latency_max, Time::max() - Time::zero());
}

TEST(Network, HugeLatencyAndJitterSaturateAtTheEndOfTime) {
    NetworkConfig config;
    config.latency = {JitterKind::kExponential, Duration::max(), 5.0};
    Fixture f(pair(Duration::max() - seconds(1)), config);
    f.sim.schedule_at(Time::at(seconds(10)), [&f]() noexcept { (void)f.net.send(0, 1, 0, 1); });
    f.sim.schedule_at(Time::at(seconds(10)), [&f]() noexcept { (void)f.net.send(0, 1, 0, 1); });
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 2u);
    EXPECT_EQ(f.recorder.delivered[0].arrived, Time::max());
    EXPECT_EQ(f.net.counters(0).latency_sum, Duration::max());  // saturated, not wrapped
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
    CL_ASSERT(net.add_partition(
        {"p", {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, Time::at(millis(300)), Time::at(millis(600))}));
    for (NodeId b : topology.neighbours(20)) {
        CL_ASSERT(net.add_link_loss(20, b, 0.3, Time::at(millis(200)), Time::at(millis(800))));
    }
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
