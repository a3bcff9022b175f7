// sim/net Network: the link windows an adversary that controls links opens
// (shared/spec/adversaries.md §0, §2.5 eclipse): add_link_delay (extra delay both ways in a
// window) and add_link_filter (chosen message types dropped one way in a window).
#include <gtest/gtest.h>

#include <optional>
#include <vector>

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

// A line 0 - 1 - ... - n-1 of equal links.
Topology line_graph(std::size_t n, LinkParams link) {
    std::vector<Edge> edges;
    for (std::size_t i = 0; i + 1 < n; ++i)
        edges.push_back({static_cast<NodeId>(i), static_cast<NodeId>(i + 1), link});
    return Topology::from_edges(n, edges);
}

// A message sent on the link in the window arrives `extra` later, either way; one sent
// before or after, or on another link, does not; overlapping windows add up. Closed form on
// a 3-node line of 10 ms links: arrive = send + 10 ms (+ the windows' extra).
TEST(NetworkLinkDelay, ShiftsArrivalsOnlyInItsWindowBothWays) {
    Fixture f(line_graph(3, {millis(10), 0}));
    ASSERT_TRUE(f.net.add_link_delay(0, 1, seconds(5), Time::at(seconds(1)), Time::at(seconds(3))));
    ASSERT_TRUE(f.net.add_link_delay(1, 0, seconds(2), Time::at(seconds(2)), Time::at(seconds(3))));
    EXPECT_EQ(f.net.link_delay(0, 1, Time::at(millis(999))), Duration::zero());
    EXPECT_EQ(f.net.link_delay(1, 0, Time::at(seconds(1))), seconds(5));
    EXPECT_EQ(f.net.link_delay(0, 1, Time::at(millis(2500))), seconds(7)) << "overlapping windows add up";
    EXPECT_EQ(f.net.link_delay(1, 2, Time::at(seconds(2))), Duration::zero()) << "another link";
    EXPECT_EQ(f.net.link_delay(0, 1, Time::at(seconds(3))), Duration::zero()) << "end exclusive";
    auto send_at = [&f](std::int64_t ms, NodeId from, NodeId to) {
        f.sim.schedule_at(Time::at(millis(ms)), [&f, from, to]() noexcept {
            EXPECT_FALSE(f.net.send(from, to, 0, 10).has_value());
        });
    };
    send_at(500, 0, 1);    // before: 510 ms
    send_at(1500, 1, 0);   // in the first window: 1510 + 5000
    send_at(1500, 1, 2);   // another link: 1510
    send_at(2500, 0, 1);   // both windows: 2510 + 7000
    send_at(10000, 0, 1);  // after (and after the delayed ones: FIFO): 10010
    f.sim.run();
    std::vector<std::int64_t> got;
    for (const Delivery& d : f.recorder.delivered) got.push_back(d.arrived.nanos() / 1'000'000);
    EXPECT_EQ(got, (std::vector<std::int64_t>{510, 1510, 6510, 9510, 10010}));
    EXPECT_TRUE(f.recorder.dropped.empty());
}

// FIFO on the link is kept (reordering off): a message sent after the window closes does
// not overtake one still delayed.
TEST(NetworkLinkDelay, KeepsLinkOrderWithoutReordering) {
    Fixture f(line_graph(2, {millis(10), 0}));
    ASSERT_TRUE(f.net.add_link_delay(0, 1, seconds(5), Time::zero(), Time::at(seconds(1))));
    f.sim.schedule_at(Time::at(millis(900)), [&f]() noexcept { (void)f.net.send(0, 1, 0, 10, 1); });
    f.sim.schedule_at(Time::at(millis(1100)), [&f]() noexcept { (void)f.net.send(0, 1, 0, 10, 2); });
    f.sim.run();
    ASSERT_EQ(f.recorder.delivered.size(), 2u);
    EXPECT_EQ(f.recorder.delivered[0].payload, 1u);
    EXPECT_EQ(f.recorder.delivered[0].arrived, Time::at(millis(5910)));
    EXPECT_EQ(f.recorder.delivered[1].arrived, Time::at(millis(5910))) << "held behind the delayed one";
}

// The filter drops the chosen types one way, in its window, at send (kLinkDown); other
// types, the other way and other times pass.
TEST(NetworkLinkFilter, DropsChosenTypesOneWayInItsWindow) {
    Fixture f(line_graph(2, {millis(10), 0}));
    const std::uint64_t types = (1U << 2) | (1U << 5);
    ASSERT_TRUE(f.net.add_link_filter(0, 1, types, Time::at(seconds(1)), Time::at(seconds(2))));
    f.sim.schedule_at(Time::at(millis(1500)), [&f]() noexcept {
        EXPECT_EQ(f.net.send(0, 1, 2, 10), DropReason::kLinkDown);
        EXPECT_EQ(f.net.send(0, 1, 5, 10), DropReason::kLinkDown);
        EXPECT_FALSE(f.net.send(0, 1, 3, 10).has_value()) << "a type not filtered";
        EXPECT_FALSE(f.net.send(1, 0, 2, 10).has_value()) << "the other way";
    });
    f.sim.schedule_at(Time::at(millis(500)),
                      [&f]() noexcept { EXPECT_FALSE(f.net.send(0, 1, 2, 10).has_value()); });
    f.sim.schedule_at(Time::at(millis(2000)),
                      [&f]() noexcept { EXPECT_FALSE(f.net.send(0, 1, 2, 10).has_value()); });
    f.sim.run();
    EXPECT_EQ(f.recorder.delivered.size(), 4u);
    EXPECT_EQ(f.net.drops(DropReason::kLinkDown), 2u);
}

TEST(NetworkLinkWindows, BadWindowsAreErrorsAndChangeNothing) {
    Fixture f(ring_graph(4));
    const Time t1 = Time::at(seconds(1)), t2 = Time::at(seconds(2));
    auto code = [](const std::expected<void, ConfigError>& r) -> std::optional<ConfigErrorCode> {
        if (r) return std::nullopt;
        return r.error().code;
    };
    EXPECT_EQ(code(f.net.add_link_delay(9, 0, seconds(1), t1, t2)), ConfigErrorCode::kUnknownNode);
    EXPECT_EQ(code(f.net.add_link_delay(1, 1, seconds(1), t1, t2)), ConfigErrorCode::kSelfLink);
    EXPECT_EQ(code(f.net.add_link_delay(0, 2, seconds(1), t1, t2)), ConfigErrorCode::kNotLinked);
    EXPECT_EQ(code(f.net.add_link_delay(0, 1, -seconds(1), t1, t2)), ConfigErrorCode::kNegativeDuration);
    EXPECT_EQ(code(f.net.add_link_delay(0, 1, seconds(1), t2, t1)), ConfigErrorCode::kEndBeforeStart);
    EXPECT_EQ(code(f.net.add_link_filter(0, 2, 1, t1, t2)), ConfigErrorCode::kNotLinked);
    EXPECT_EQ(code(f.net.add_link_filter(0, 1, 1, t2, t1)), ConfigErrorCode::kEndBeforeStart);
    EXPECT_EQ(f.net.link_delay(0, 1, Time::at(millis(1500))), Duration::zero());
    EXPECT_FALSE(f.net.add_link_delay(0, 2, seconds(1), t1, t2).error().field.empty());
}

}  // namespace
}  // namespace cl::sim::net
