// One protocol::Node on real TCP (DESIGN.md §2 live/, docs/live.md): the second driver.
//
// Everything runs on one boost::asio::io_context (one thread): the node's inputs are
// serialised by it, so the node, which is not thread-safe, needs no lock. The driver
// owns the clock (LiveClock: Unix time advancing with the steady clock), the random
// source (SplitMix64 seeded by the caller) and the sockets; the node only returns
// Effects, which the runner carries out: a Send becomes a frame on the peer's TCP
// connection, a Timer a steady_timer, a metric event a callback.
//
// Connections. Peers are static (a list of node index, host, port). Between two peers
// there is one TCP connection, dialled by the one with the higher index (re-dialled every
// redial_delay while down); its first frame is a Hello naming the dialer and the genesis.
// Frames sent to a peer while its connection is down wait in a bounded queue and go out
// when it comes up (a node's first Status is not lost to start-up order). When a
// connection closes — EOF, an error, a bad frame, a full send queue (a slow peer) — the
// node is told with a DisconnectMsg{kDiscNetworkError}, which is what that message stands
// for in protocol::Node. The node's own Disconnect is sent as a frame; the TCP connection
// stays up as a transport (the node answers a dropped peer's messages itself).
//
// Limits (docs/live.md "Limits"): frames above kMaxFrame close the connection before
// their body is read; a peer's send queue holds at most max_queue_bytes; an inbound
// connection must send its Hello within handshake_timeout; at most max_inbound
// unidentified connections are kept. Memory is therefore bounded by the peer count.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "live/asio.hpp"

#include "live/clock.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"

namespace cl::live {

struct PeerAddress {
    node::PeerId id = 0;
    std::string host;  // an IPv4/IPv6 literal (the testnet uses 127.0.0.1)
    std::uint16_t port = 0;
};

struct RunnerConfig {
    node::PeerId self = 0;
    node::NodeConfig node;  // node.peers is filled from `peers`
    std::vector<PeerAddress> peers;
    std::uint64_t rng_seed = 0;
    std::size_t max_queue_bytes = 8 * 1024 * 1024;
    std::size_t max_inbound_pending = 16;
    std::chrono::milliseconds handshake_timeout{5000};
    std::chrono::milliseconds redial_delay{500};
};

// Transport counters, for logs and tests.
struct TransportStats {
    std::uint64_t frames_in = 0;
    std::uint64_t frames_out = 0;
    std::uint64_t bad_frames = 0;       // undecodable or oversized: connection closed
    std::uint64_t slow_peer_drops = 0;  // send queue over max_queue_bytes: connection closed
    std::uint64_t refused_inbound = 0;  // bad Hello, unknown peer, too many pending
};

class NodeRunner {
  public:
    using EventSink = std::function<void(const node::MetricEvent&)>;

    // `listener` is open and listening (the caller binds it, or inherits it).
    NodeRunner(boost::asio::io_context& io, RunnerConfig config, const node::Genesis& genesis,
               boost::asio::ip::tcp::acceptor listener);
    ~NodeRunner();
    NodeRunner(const NodeRunner&) = delete;
    NodeRunner& operator=(const NodeRunner&) = delete;

    // Starts the node (its first seal plan and dials) and the accept loop.
    void start();
    // Closes every socket and cancels timers; the io_context then runs out of work.
    void stop();

    // A transaction submitted locally (eth_sendRawTransaction): the node's effects are
    // carried out; returns them so the caller can see a refusal.
    node::Effects submit(const TxRef& tx);

    const node::Node& node() const { return *node_; }
    std::chrono::nanoseconds now() const { return clock_.now(); }
    const TransportStats& stats() const { return stats_; }
    void on_event(EventSink sink) { sink_ = std::move(sink); }

  private:
    struct Connection;
    struct Slot;
    void apply(node::Effects effects);
    void send(node::PeerId to, const node::Message& m);
    void accept();
    void dial(std::size_t slot);
    void schedule_redial(std::size_t slot);
    void attach(std::size_t slot, const std::shared_ptr<Connection>& c);
    void read_prefix(const std::shared_ptr<Connection>& c);
    void read_body(const std::shared_ptr<Connection>& c, std::size_t n);
    void on_frame(const std::shared_ptr<Connection>& c);
    void write(const std::shared_ptr<Connection>& c, std::shared_ptr<const Bytes> frame);
    void write_next(const std::shared_ptr<Connection>& c);
    void close(const std::shared_ptr<Connection>& c, bool bad);
    std::size_t slot_of(node::PeerId id) const;  // slots_.size() when not a peer

    boost::asio::io_context& io_;
    RunnerConfig config_;
    LiveClock clock_;
    SplitMix64 rng_;
    node::ExecutionCache cache_;
    std::unique_ptr<node::Node> node_;
    Hash32 genesis_hash_;
    boost::asio::ip::tcp::acceptor listener_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::vector<std::shared_ptr<Connection>> inbound_pending_;
    std::vector<std::weak_ptr<boost::asio::steady_timer>> timers_;
    TransportStats stats_;
    EventSink sink_;
    bool stopped_ = false;
};

}  // namespace cl::live
