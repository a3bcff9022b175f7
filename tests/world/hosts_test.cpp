// sim/world/host/hosts.hpp: the messages of one input that carry the same payload (a
// relay to every peer) share one in-flight entry, which lives until its last delivery or
// drop; every receiver sees the message it was sent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "sim/net/network.hpp"
#include "sim/world/host/hosts.hpp"

namespace cl::sim::world {
namespace {

// Host 0 sends `tx` to each of its peers at start, then a Ping to the first; every host
// records the transactions delivered to it. The Hosts under test never ask a host for
// its node (only the world's observers do), so this one has none.
class RelayHost final : public Host {
  public:
    RelayHost(net::NodeId self, node::TxRef tx, std::vector<node::PeerId> peers)
        : self_(self), tx_(std::move(tx)), peers_(std::move(peers)) {}
    node::Effects start(node::Nanos) override {
        node::Effects e;
        if (self_ != 0) return e;
        for (std::uint32_t i = 0; i < peers_.size(); ++i)
            e.sends.push_back(node::Send{peers_[i], node::TransactionsMsg{tx_}, i});
        e.sends.push_back(node::Send{peers_[0], node::PingMsg{}, 0});
        return e;
    }
    node::Effects on_message(node::Nanos, net::NodeId from, const node::Message& m,
                             std::uint32_t peer_index) override {
        senders.emplace_back(from, peer_index);
        if (const auto* t = std::get_if<node::TransactionsMsg>(&m)) received.push_back(t->tx);
        if (std::holds_alternative<node::PingMsg>(m)) ++pings;
        return {};
    }
    node::Effects on_timer(node::Nanos, std::uint64_t) override { return {}; }
    node::Effects on_local_tx(node::Nanos, const node::TxRef&) override { return {}; }
    // When reply_to_commands: a command makes it ping its first peer.
    node::Effects on_command(node::Nanos, std::uint64_t) override {
        node::Effects e;
        if (reply_to_commands) e.sends.push_back(node::Send{peers_[0], node::PingMsg{}, 0});
        return e;
    }
    const node::Node& node() const override { std::abort(); }

    std::vector<node::TxRef> received;
    std::vector<std::pair<net::NodeId, std::uint32_t>> senders;  // (from, peer_index) of each message
    int pings = 0;
    bool reply_to_commands = false;

  private:
    net::NodeId self_;
    node::TxRef tx_;
    std::vector<node::PeerId> peers_;
};

struct NoObserver final : Hosts::Observer {
    void on_effects(net::NodeId, const node::Effects&, Time) override {}
};

struct Star {
    // Node 0 linked to 1, 2, 3.
    net::Topology topology = net::Topology::from_edges(
        4, std::vector<net::Edge>{{0, 1, {millis(10), 0}}, {0, 2, {millis(20), 0}}, {0, 3, {millis(30), 0}}});
    Simulator sim;
    Hosts hosts{sim, CpuCosts{Duration::zero(), Duration::zero(), Duration::zero()}, 0, seconds(10)};
    std::unique_ptr<net::Network> network;
    NoObserver observer;
    node::TxRef tx = std::make_shared<const RecoveredTransaction>(RecoveredTransaction{{}, {}, {}, 100});
    std::vector<RelayHost*> host;

    Star() {
        for (net::NodeId n = 0; n < 4; ++n) {
            std::vector<node::PeerId> peers(topology.neighbours(n).begin(), topology.neighbours(n).end());
            auto h = std::make_unique<RelayHost>(n, n == 0 ? tx : nullptr, std::move(peers));
            host.push_back(h.get());
            hosts.add(std::move(h));
        }
        network =
            std::make_unique<net::Network>(sim, topology, net::NetworkConfig{}, RandomStreams(1, 0), hosts);
        hosts.connect(*network, observer);
    }
};

TEST(Hosts, OneInputsSendsOfOnePayloadShareOneEntry) {
    Star w;
    w.hosts.start(0);
    EXPECT_EQ(w.hosts.messages_in_flight(), 2u) << "the transaction to three peers once, the ping";
    EXPECT_EQ(w.network->in_flight(), 4u);
    w.sim.run();
    for (net::NodeId n = 1; n < 4; ++n) {
        ASSERT_EQ(w.host[n]->received.size(), 1u) << "node " << n;
        EXPECT_EQ(w.host[n]->received[0], w.tx);
    }
    EXPECT_EQ(w.host[1]->pings, 1);
    EXPECT_EQ(w.hosts.messages_in_flight(), 0u);
    for (net::NodeId n = 1; n < 4; ++n) w.host[n]->received.clear();
    EXPECT_EQ(w.tx.use_count(), 2) << "the test's and host 0's: the entry let it go";
}

TEST(Hosts, ASharedEntryOutlivesADropAtSend) {
    Star w;
    ASSERT_TRUE(w.network->add_link_failure(0, 2, Time::zero(), Time::max()).has_value());
    w.hosts.start(0);  // the send to node 2 is dropped inside send_all
    EXPECT_EQ(w.hosts.messages_in_flight(), 2u);
    w.sim.run();
    EXPECT_EQ(w.host[1]->received.size(), 1u);
    EXPECT_TRUE(w.host[2]->received.empty());
    ASSERT_EQ(w.host[3]->received.size(), 1u) << "sent after the drop, on the same entry";
    EXPECT_EQ(w.host[3]->received[0], w.tx);
    EXPECT_EQ(w.hosts.messages_in_flight(), 0u);
}

TEST(Hosts, ADropAtArrivalLetsTheEntryGo) {
    Star w;
    ASSERT_TRUE(w.network->add_node_failure(3, Time::at(millis(1)), Time::max())
                    .has_value());  // down before it arrives
    w.hosts.start(0);
    w.sim.run();
    EXPECT_EQ(w.host[1]->received.size(), 1u);
    EXPECT_EQ(w.host[2]->received.size(), 1u);
    EXPECT_TRUE(w.host[3]->received.empty());
    EXPECT_EQ(w.hosts.messages_in_flight(), 0u);
}

// Every message reaches its host with the sender's position among the receiver's
// topology neighbours (the network's Delivery::to_index), which World makes a node's peer
// order: here node 0's neighbours are 1, 2, 3, and each of them sends to it.
TEST(Hosts, AHostIsToldItsIndexOfTheSender) {
    Star w;
    w.hosts.start(0);  // the transaction to 1, 2, 3 and a ping to 1
    w.sim.run();
    for (net::NodeId n = 1; n < 4; ++n) {
        ASSERT_FALSE(w.host[n]->senders.empty());
        EXPECT_EQ(w.host[n]->senders[0], (std::pair<net::NodeId, std::uint32_t>{0, 0}))
            << "0 is its only peer";
    }
    // Nodes 1, 2, 3 ping node 0 (arriving in that order: their links' latencies), where
    // node n is its (n-1)-th neighbour.
    w.host[0]->senders.clear();
    for (net::NodeId n = 1; n < 4; ++n) {
        w.host[n]->reply_to_commands = true;
        w.sim.schedule_in(millis(1), [&w, n]() noexcept { w.hosts.command(n, 0); });
    }
    w.sim.run();
    ASSERT_EQ(w.host[0]->senders.size(), 3u);
    for (net::NodeId n = 1; n < 4; ++n) {
        EXPECT_EQ(w.host[0]->senders[n - 1], (std::pair<net::NodeId, std::uint32_t>{n, n - 1}))
            << "from " << n;
    }
}

}  // namespace
}  // namespace cl::sim::world
