// Links and message delivery over a Topology (DESIGN.md §3).
//
// Network::send(from, to, type, size, payload) turns one message into one delivery
// event on the Simulator:
//   rate    = min(upload_bps[from], link.bandwidth_bps)   (0 means unlimited)
//   depart  = max(now, uplink_free_at[from]) + ceil(size·8·10^9 / rate) ns
//   uplink_free_at[from] = depart          (the sender's uplink is one FIFO queue)
//   arrive  = depart + latency(link)       (LatencyModel: fixed or with jitter)
//   arrive += the extra delay of every add_link_delay window active on the link at `now`
//   arrive  = max(arrive, last arrival on from→to)   unless allow_reordering
// The serialisation time is computed in 128-bit integers, exactly, and rounded up to
// the next whole nanosecond per message (so k back-to-back messages may take up to k−1
// ns longer than their exact total; never shorter). Sums that pass the end of the
// timeline saturate at Time::max() (the message then never arrives within a run).
// and the message is dropped (DropReason) when:
//   at send:    from and to are not linked; the sender is down; the link is down; a
//               partition separates them at `now`; an add_link_filter window active at
//               `now` on from→to holds the message's type; a loss draw says so
//               (probability NetworkConfig::loss everywhere, then the link's own loss in
//               a add_link_loss window active at `now`);
//   at arrival: the receiver is down; the link is down; a partition separates them at
//               the arrival time.
// A message from a live sender occupies its uplink even if it is then lost or cut off
// (the sender cannot know). Equal arrival times run in send order (the Simulator's
// FIFO ties), so with reordering off, messages between two nodes arrive in send order
// even with jitter.
//
// Randomness (loss, jitter) comes from one stream per sending node, derived from
// (seed, replication, "net/node/<id>"), so a node's draws depend only on its own sends.
// Per send, in this order: the NetworkConfig::loss draw (when loss > 0), the link-loss
// draw (when a link-loss window with probability > 0 is active on the link at `now`),
// the jitter draw (when the latency model has one) — whatever the outcome.
//
// Faults are schedules, pure functions of time: partitions (named groups of nodes that
// cannot reach each other in [start, end); nodes in no group form one implicit group),
// node failures, link failures and partial link loss in [start, end); and the windows an
// adversary that controls links opens (shared/spec/adversaries.md §0, §2.5 eclipse): extra
// delay on a link, and a filter dropping chosen message types one way. Each kind of link
// window is kept per half-edge and consulted only once a window of that kind exists, so a
// run without them pays one empty-vector test per send.
//
// Configuration is checked, never trusted: Network::create() and the add_* fault
// schedules return a ConfigError naming the field for any value a scenario could get
// wrong. The constructor REQUIRES a configuration that validate() accepts (it asserts:
// skipping validation is a programming error).
//
// Allocation: a message in flight is one record, the delivery event's own inline capture
// (the Delivery without its arrival time, which is the event's time; 40 bytes beside the
// Network pointer); payloads are opaque 64-bit handles into the caller's own pool. Once
// the simulator's slab reaches its high water, sending and delivering allocate nothing.
//
// Half-edges: send() finds the link from -> to by a binary search of from's neighbours;
// a caller that knows the position of `to` among them (its i-th neighbour: half-edge
// first_half_edge(from) + i) passes it as `neighbour_index` and saves the search. A wrong
// index is not trusted: it is checked against the topology and the search runs.
// Each delivery also carries the receiver's half-edge back to the sender
// (Delivery::to_index: the position of `from` among `to`'s neighbours, precomputed per
// half-edge), so a receiver that keeps per-peer state in neighbour order indexes it
// instead of searching for the sender (issue 16).
//
// Memory layout (issue 16: at 10^4 nodes and more, each per-node array a message touches
// is a cache miss): what a send reads and writes of its sender — its random stream,
// upload rate and uplink queue — sits in one 64-byte record per node; what it reads and
// writes of its half-edge — the last arrival and the index back — in one 16-byte record;
// node failure windows are kept per node only once one is added.
//
// Thread-safety: none; one Network per Simulator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/kernel/time.hpp"
#include "sim/net/error.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::net {

using MessageType = std::uint16_t;

enum class JitterKind : std::uint8_t {
    kNone,         // latency = link latency
    kUniform,      // link latency + uniform [0, jitter]
    kExponential,  // link latency + Exp(mean jitter)
    kPareto,       // Pareto with mean = link latency and tail index pareto_shape (SimBlock)
};

struct LatencyModel {
    JitterKind kind = JitterKind::kNone;
    Duration jitter = Duration::zero();  // >= 0 (kUniform, kExponential)
    double pareto_shape = 5.0;           // > 1 and finite (kPareto)
};

struct NetworkConfig {
    // Upload bandwidth of every node, bits/s (0 = unlimited), used for nodes the
    // Topology gives no figure for, or for all when ignore_topology_upload.
    std::uint64_t upload_bps = 0;
    bool ignore_topology_upload = false;
    LatencyModel latency;
    double loss = 0.0;               // probability that a message is lost, in [0, 1]
    bool allow_reordering = false;   // let jitter reorder messages between two nodes
    std::size_t message_types = 16;  // counters for types [0, message_types); 1..65536
};

enum class DropReason : std::uint8_t {
    kNoLink,
    kSenderDown,
    kReceiverDown,
    kLinkDown,
    kPartitioned,
    kLost,
};
inline constexpr std::size_t kDropReasonCount = 6;
const char* to_string(DropReason r);

// One message as the network saw it.
struct Delivery {
    NodeId from = 0;
    NodeId to = 0;
    MessageType type = 0;
    std::uint32_t size = 0;     // bytes
    std::uint64_t payload = 0;  // the caller's handle, passed through untouched
    Time sent;                  // when send() was called
    Time departed;              // when the last bit left the sender
    Time arrived;               // when it is (or would have been) delivered
    // The position of `from` among topology().neighbours(to): the receiver's half-edge back
    // to the sender is first_half_edge(to) + to_index. kNoIndex when it does not fit the
    // in-flight record (a position >= 65,535) or there is no link from -> to.
    static constexpr std::uint32_t kNoIndex = 0xffffffffU;
    std::uint32_t to_index = kNoIndex;
    // Per-message latency for metrics: send() to delivery, queueing included.
    Duration latency() const { return arrived - sent; }
};

// Receives deliveries. Called from simulator events (on_drop also from inside send()
// for drops decided at send time). May call Network::send.
class DeliveryHandler {
  public:
    virtual ~DeliveryHandler() = default;
    virtual void on_deliver(const Delivery& d) noexcept = 0;
    virtual void on_drop(const Delivery&, DropReason) noexcept {}
    // A hint (Simulator's prefetch hook): the delivery of a message of `type` with
    // `payload` to `to` (Delivery::to_index `to_index`) is next in line. May prefetch what
    // on_deliver will touch; must change nothing.
    virtual void prefetch(MessageType /*type*/, NodeId /*to*/, std::uint32_t /*to_index*/,
                          std::uint64_t /*payload*/) const noexcept {}
};

struct TypeCounters {
    std::uint64_t sent_messages = 0;  // send() calls
    std::uint64_t sent_bytes = 0;
    std::uint64_t delivered_messages = 0;
    std::uint64_t delivered_bytes = 0;
    std::uint64_t dropped_messages = 0;
    std::uint64_t dropped_bytes = 0;
    Duration latency_sum = Duration::zero();  // over delivered messages
    Duration latency_max = Duration::zero();
};

// Named groups of nodes that cannot reach each other during [start, end). Nodes in no
// group form one implicit further group. Rules (ConfigErrorCode): at least one group,
// no empty group, every node index < node count and listed at most once,
// 0 <= start <= end (start == end: no effect).
struct PartitionSpec {
    std::string name;
    std::vector<std::vector<NodeId>> groups;
    Time start;
    Time end;  // exclusive; Time::max() = until the end
};

class Network {
  public:
    // Checks a configuration against a topology: loss in [0, 1]; jitter >= 0; Pareto
    // shape > 1 and finite when used; message_types in [1, 65536]; every link latency
    // of the topology >= 0. O(links).
    [[nodiscard]] static std::expected<void, ConfigError> validate(const NetworkConfig& config,
                                                                   const Topology& topology);

    // validate(), then a Network. REQUIRES: topology, sim and handler outlive it.
    [[nodiscard]] static std::expected<std::unique_ptr<Network>, ConfigError> create(
        Simulator& sim, const Topology& topology, const NetworkConfig& config, const RandomStreams& streams,
        DeliveryHandler& handler);

    // REQUIRES: validate(config, topology) succeeds (asserted); topology, sim and
    // handler outlive the Network.
    Network(Simulator& sim, const Topology& topology, const NetworkConfig& config,
            const RandomStreams& streams, DeliveryHandler& handler);
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // Sends one message now. Returns the drop reason when it was dropped at send time
    // (also reported to on_drop), nullopt when a delivery event was scheduled.
    // REQUIRES: from, to < node count; type < config.message_types.
    // `neighbour_index`: the position of `to` in topology().neighbours(from), if known.
    static constexpr std::uint32_t kUnknownNeighbour = 0xffffffffU;
    std::optional<DropReason> send(NodeId from, NodeId to, MessageType type, std::uint32_t size,
                                   std::uint64_t payload = 0,
                                   std::uint32_t neighbour_index = kUnknownNeighbour);

    // Fault schedules, each active during [start, end). A rejected schedule changes
    // nothing. Node failure: node < node count. Link failure: a != b, both < node
    // count, linked in the topology. All: 0 <= start <= end. Partitions: PartitionSpec.
    [[nodiscard]] std::expected<void, ConfigError> add_partition(const PartitionSpec& partition);
    [[nodiscard]] std::expected<void, ConfigError> add_node_failure(NodeId node, Time start, Time end);
    [[nodiscard]] std::expected<void, ConfigError> add_link_failure(NodeId a, NodeId b, Time start, Time end);
    // Partial loss on the link a–b (both directions): a message sent on it during
    // [start, end) is lost with `probability` (decided at send, from the sender's
    // stream; messages in flight are not affected). Windows that overlap on one link are
    // independent losses: 1 − Π(1 − p). Rules: as add_link_failure, and probability in
    // [0, 1]. Lookup is O(windows on that link).
    [[nodiscard]] std::expected<void, ConfigError> add_link_loss(NodeId a, NodeId b, double probability,
                                                                 Time start, Time end);

    // Extra delay on the link a–b (both directions): a message sent on it during [start,
    // end) arrives `extra` later than it otherwise would (decided at send; messages in
    // flight are not affected; FIFO order on the link is kept unless allow_reordering).
    // Overlapping windows add up. Rules: as add_link_failure, and extra >= 0. Lookup is
    // O(windows on that link).
    [[nodiscard]] std::expected<void, ConfigError> add_link_delay(NodeId a, NodeId b, Duration extra,
                                                                  Time start, Time end);
    // One-way filter on the link from→to: a message whose type t has bit t set in `types`
    // (types < 64), sent from `from` to `to` during [start, end), is dropped at send
    // (DropReason::kLinkDown: the link carries nothing of it). Rules: as add_link_failure.
    [[nodiscard]] std::expected<void, ConfigError> add_link_filter(NodeId from, NodeId to,
                                                                   std::uint64_t types, Time start, Time end);

    bool node_up(NodeId node, Time t) const;
    bool link_up(NodeId a, NodeId b, Time t) const;
    // No active partition separates a and b at t.
    bool reachable(NodeId a, NodeId b, Time t) const;
    // The probability that a message sent from a to b at t is lost to add_link_loss
    // windows (NetworkConfig::loss not included). 0 when a and b are not linked.
    double link_loss(NodeId a, NodeId b, Time t) const;
    // The extra delay add_link_delay windows give a message sent from a to b at t (zero
    // when a and b are not linked).
    Duration link_delay(NodeId a, NodeId b, Time t) const;

    // Serialisation time of `size` bytes at `bps` bits/s (0 = unlimited):
    // ceil(size·8·10^9 / bps) ns, in exact 128-bit integer arithmetic; Duration::max()
    // when that does not fit (e.g. gigabytes at a few bit/s).
    static Duration serialisation_time(std::uint64_t size, std::uint64_t bps);

    const TypeCounters& counters(MessageType type) const { return counters_[type]; }
    TypeCounters totals() const;
    std::uint64_t drops(DropReason r) const { return drops_[static_cast<std::size_t>(r)]; }
    Time uplink_free_at(NodeId n) const { return Time::from_nanos(senders_[n].uplink_free_at); }
    std::uint64_t upload_bps(NodeId n) const { return senders_[n].upload_bps; }
    std::size_t in_flight() const { return in_flight_; }
    const Topology& topology() const { return topology_; }

  private:
    // A message in flight: a Delivery but its arrival (the delivery event's time).
    struct InFlight {
        NodeId from = 0;
        NodeId to = 0;
        std::uint32_t size = 0;
        MessageType type = 0;
        std::uint16_t to_index = kNoBackIndex;  // Delivery::to_index, 16 bits to keep 40 bytes
        std::uint64_t payload = 0;
        Time sent;
        Time departed;
    };
    static_assert(sizeof(InFlight) == 40);
    static constexpr std::uint16_t kNoBackIndex = 0xffff;
    // InFlight::to_index as a Delivery carries it.
    static std::uint32_t delivery_index(std::uint16_t to_index) {
        return to_index == kNoBackIndex ? Delivery::kNoIndex : to_index;
    }
    // What a send reads and writes of its sender, in one cache line.
    struct alignas(64) Sender {
        RandomStream rng;  // "net/node/<id>"
        std::uint64_t upload_bps = 0;
        std::int64_t uplink_free_at = 0;  // ns
    };
    static_assert(sizeof(Sender) == 64);
    // What a send reads and writes of its half-edge a -> b.
    struct HalfEdge {
        std::int64_t last_arrival = std::numeric_limits<std::int64_t>::min();  // ns
        std::uint32_t back_index = 0;  // the position of a among b's neighbours
    };
    struct Interval {
        std::int64_t start, end;
    };
    struct Partition {
        std::string name;
        std::int64_t start, end;
        std::vector<std::uint16_t> group_of;  // 0 = the implicit rest group
    };
    struct LinkFailure {
        NodeId a, b;  // a < b
        std::int64_t start, end;
    };
    struct LossWindow {
        std::int64_t start, end;
        double probability;
    };
    struct DelayWindow {
        std::int64_t start, end;
        Duration extra;
    };
    struct FilterWindow {
        std::int64_t start, end;
        std::uint64_t types;  // bit t: message type t is dropped
    };

    // The delivery event: the message in flight, with the Simulator's prefetch hook.
    struct DeliveryEvent {
        Network* network;
        InFlight f;
        void operator()() noexcept { network->deliver(f); }
        void prefetch() const noexcept {
            network->handler_.prefetch(f.type, f.to, delivery_index(f.to_index), f.payload);
        }
    };
    void deliver(const InFlight& f) noexcept;
    void drop(const Delivery& d, DropReason r) noexcept;
    Duration draw_latency(RandomStream& rng, Duration base) const;
    double window_loss(std::size_t half_edge, std::int64_t t) const;
    Duration window_delay(std::size_t half_edge, std::int64_t t) const;
    bool filtered(std::size_t half_edge, MessageType type, std::int64_t t) const;
    // Both half-edges of the link a–b, or the error naming `what`.
    std::expected<std::pair<std::size_t, std::size_t>, ConfigError> link_half_edges(const std::string& what,
                                                                                    NodeId a, NodeId b) const;

    Simulator& sim_;
    const Topology& topology_;
    NetworkConfig config_;
    DeliveryHandler& handler_;
    std::vector<Sender> senders_;                   // per node
    std::vector<HalfEdge> half_edges_;              // per half-edge
    std::vector<std::vector<Interval>> node_down_;  // per node; empty until a failure is added
    std::vector<LinkFailure> link_failures_;
    std::vector<std::vector<LossWindow>> link_loss_;      // per half-edge; empty until a window is added
    std::vector<std::vector<DelayWindow>> link_delay_;    // per half-edge; empty until a window is added
    std::vector<std::vector<FilterWindow>> link_filter_;  // per half-edge; empty until a window is added
    std::vector<Partition> partitions_;
    std::size_t in_flight_ = 0;
    std::vector<TypeCounters> counters_;
    std::array<std::uint64_t, kDropReasonCount> drops_{};
};

}  // namespace cl::sim::net
