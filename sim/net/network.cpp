#include "sim/net/network.hpp"

#include <algorithm>
#include <limits>

#include "protocol/core/assert.hpp"
#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {

const char* to_string(DropReason r) {
    switch (r) {
        case DropReason::kNoLink:
            return "no_link";
        case DropReason::kSenderDown:
            return "sender_down";
        case DropReason::kReceiverDown:
            return "receiver_down";
        case DropReason::kLinkDown:
            return "link_down";
        case DropReason::kPartitioned:
            return "partitioned";
        case DropReason::kLost:
            return "lost";
    }
    return "unknown";
}

Network::Network(Simulator& sim, const Topology& topology, const NetworkConfig& config,
                 const RandomStreams& streams, DeliveryHandler& handler)
    : sim_(sim), topology_(topology), config_(config), handler_(handler) {
    CL_ASSERT(config.loss >= 0.0 && config.loss <= 1.0);
    CL_ASSERT(config.latency.kind != JitterKind::kPareto || config.latency.pareto_shape > 1.0);
    CL_ASSERT(config.latency.jitter >= Duration::zero());
    const std::size_t n = topology.node_count();
    rng_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) rng_.push_back(streams.stream("net/node/" + std::to_string(i)));
    upload_bps_.assign(n, config.upload_bps);
    const auto& from_topology = topology.node_upload_bps();
    if (!config.ignore_topology_upload && from_topology.size() == n) upload_bps_ = from_topology;
    uplink_free_at_.assign(n, 0);
    last_arrival_.assign(topology.half_edge_count(), std::numeric_limits<std::int64_t>::min());
    node_down_.resize(n);
    counters_.resize(config.message_types);
}

Duration Network::serialisation_time(std::uint64_t size, std::uint64_t bps) {
    if (bps == 0) return Duration::zero();
    __extension__ using U128 = unsigned __int128;
    const U128 bits_ns = static_cast<U128>(size) * 8U * 1'000'000'000U;
    const U128 ns = (bits_ns + bps - 1) / bps;
    CL_ASSERT(ns <= static_cast<U128>(std::numeric_limits<std::int64_t>::max()));
    return nanos(static_cast<std::int64_t>(ns));
}

Duration Network::draw_latency(RandomStream& rng, Duration base) const {
    const LatencyModel& m = config_.latency;
    switch (m.kind) {
        case JitterKind::kNone:
            return base;
        case JitterKind::kUniform:
            return base + nanos(uniform_int(rng, 0, m.jitter.nanos()));
        case JitterKind::kExponential:
            return base + exponential(rng, m.jitter);
        case JitterKind::kPareto: {
            // SimBlock: mean = base, so scale = base·(shape-1)/shape.
            const double scale = static_cast<double>(base.nanos()) * (m.pareto_shape - 1.0) / m.pareto_shape;
            if (!(scale > 0)) return base;
            return round_to_duration(pareto(rng, scale, m.pareto_shape));
        }
    }
    return base;
}

std::optional<DropReason> Network::send(NodeId from, NodeId to, MessageType type, std::uint32_t size,
                                        std::uint64_t payload) {
    CL_ASSERT(from < topology_.node_count() && to < topology_.node_count());
    CL_ASSERT(type < counters_.size());
    const Time now = sim_.now();
    TypeCounters& c = counters_[type];
    ++c.sent_messages;
    c.sent_bytes += size;
    Delivery d{from, to, type, size, payload, now, now, now};

    const auto h = topology_.half_edge(from, to);
    if (!h) return drop(d, DropReason::kNoLink), DropReason::kNoLink;
    if (!node_up(from, now)) return drop(d, DropReason::kSenderDown), DropReason::kSenderDown;

    // The sender's uplink serialises every message it sends, including ones the network
    // will lose: it cannot know.
    const LinkParams& link = topology_.link(*h);
    std::uint64_t rate = upload_bps_[from];
    if (link.bandwidth_bps != 0) rate = rate == 0 ? link.bandwidth_bps : std::min(rate, link.bandwidth_bps);
    const std::int64_t start = std::max(now.nanos(), uplink_free_at_[from]);
    const std::int64_t depart = start + serialisation_time(size, rate).nanos();
    uplink_free_at_[from] = depart;
    d.departed = Time::from_nanos(depart);

    RandomStream& rng = rng_[from];
    // Draw in a fixed order whatever the outcome, so one drop does not shift later draws.
    const bool lost = config_.loss > 0.0 && bernoulli(rng, config_.loss);
    std::int64_t arrive = depart + draw_latency(rng, link.latency).nanos();
    if (!config_.allow_reordering) arrive = std::max(arrive, last_arrival_[*h]);
    d.arrived = Time::from_nanos(arrive);

    if (!link_up(from, to, now)) return drop(d, DropReason::kLinkDown), DropReason::kLinkDown;
    if (!reachable(from, to, now)) return drop(d, DropReason::kPartitioned), DropReason::kPartitioned;
    if (lost) return drop(d, DropReason::kLost), DropReason::kLost;

    if (!config_.allow_reordering) last_arrival_[*h] = arrive;
    const auto handle = in_flight_.acquire(InFlight{d});
    sim_.schedule_at(d.arrived, [this, handle]() noexcept { deliver(handle); });
    return std::nullopt;
}

void Network::deliver(HandlePool<InFlight>::Handle h) noexcept {
    const Delivery d = in_flight_[h].d;
    in_flight_.release(h);
    if (!node_up(d.to, d.arrived)) return drop(d, DropReason::kReceiverDown);
    if (!link_up(d.from, d.to, d.arrived)) return drop(d, DropReason::kLinkDown);
    if (!reachable(d.from, d.to, d.arrived)) return drop(d, DropReason::kPartitioned);
    TypeCounters& c = counters_[d.type];
    ++c.delivered_messages;
    c.delivered_bytes += d.size;
    c.latency_sum += d.latency();
    c.latency_max = std::max(c.latency_max, d.latency());
    handler_.on_deliver(d);
}

void Network::drop(const Delivery& d, DropReason r) noexcept {
    TypeCounters& c = counters_[d.type];
    ++c.dropped_messages;
    c.dropped_bytes += d.size;
    ++drops_[static_cast<std::size_t>(r)];
    handler_.on_drop(d, r);
}

void Network::add_partition(const PartitionSpec& partition) {
    CL_ASSERT(partition.start <= partition.end);
    CL_ASSERT(partition.groups.size() < 0xffff);
    Partition p{partition.name, partition.start.nanos(), partition.end.nanos(),
                std::vector<std::uint16_t>(topology_.node_count(), 0)};
    for (std::size_t g = 0; g < partition.groups.size(); ++g) {
        for (const NodeId n : partition.groups[g]) {
            CL_ASSERT(n < topology_.node_count() && p.group_of[n] == 0);
            p.group_of[n] = static_cast<std::uint16_t>(g + 1);
        }
    }
    partitions_.push_back(std::move(p));
}

void Network::add_node_failure(NodeId node, Time start, Time end) {
    CL_ASSERT(node < topology_.node_count() && start <= end);
    node_down_[node].push_back({start.nanos(), end.nanos()});
}

void Network::add_link_failure(NodeId a, NodeId b, Time start, Time end) {
    CL_ASSERT(topology_.half_edge(a, b).has_value() && start <= end);
    link_failures_.push_back({std::min(a, b), std::max(a, b), start.nanos(), end.nanos()});
}

bool Network::node_up(NodeId node, Time t) const {
    for (const Interval& i : node_down_[node]) {
        if (t.nanos() >= i.start && t.nanos() < i.end) return false;
    }
    return true;
}

bool Network::link_up(NodeId a, NodeId b, Time t) const {
    const NodeId lo = std::min(a, b), hi = std::max(a, b);
    for (const LinkFailure& f : link_failures_) {
        if (f.a == lo && f.b == hi && t.nanos() >= f.start && t.nanos() < f.end) return false;
    }
    return true;
}

bool Network::reachable(NodeId a, NodeId b, Time t) const {
    for (const Partition& p : partitions_) {
        if (t.nanos() >= p.start && t.nanos() < p.end && p.group_of[a] != p.group_of[b]) return false;
    }
    return true;
}

TypeCounters Network::totals() const {
    TypeCounters t;
    for (const TypeCounters& c : counters_) {
        t.sent_messages += c.sent_messages;
        t.sent_bytes += c.sent_bytes;
        t.delivered_messages += c.delivered_messages;
        t.delivered_bytes += c.delivered_bytes;
        t.dropped_messages += c.dropped_messages;
        t.dropped_bytes += c.dropped_bytes;
        t.latency_sum += c.latency_sum;
        t.latency_max = std::max(t.latency_max, c.latency_max);
    }
    return t;
}

}  // namespace cl::sim::net
