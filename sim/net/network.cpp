#include "sim/net/network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

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

namespace {

std::unexpected<ConfigError> config_error(ConfigErrorCode code, std::string field, std::string message) {
    return std::unexpected(ConfigError{code, std::move(field), std::move(message)});
}

std::string quote(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

std::string node_count_note(const Topology& t) {
    return " (the topology has " + std::to_string(t.node_count()) + " nodes)";
}

// [start, end) of a fault: 0 <= start <= end.
std::expected<void, ConfigError> check_interval(const std::string& what, Time start, Time end) {
    if (start < Time::zero()) {
        return config_error(
            ConfigErrorCode::kNegativeTime, what + ".start",
            "start " + std::to_string(start.nanos()) + " ns is before the start of the simulation");
    }
    if (end < start) {
        return config_error(ConfigErrorCode::kEndBeforeStart, what + ".end",
                            "end " + std::to_string(end.nanos()) + " ns is before start " +
                                std::to_string(start.nanos()) + " ns");
    }
    return {};
}

std::expected<void, ConfigError> check_node(const Topology& t, const std::string& field, NodeId n) {
    if (n >= t.node_count()) {
        return config_error(ConfigErrorCode::kUnknownNode, field,
                            "node " + std::to_string(n) + " does not exist" + node_count_note(t));
    }
    return {};
}

}  // namespace

std::expected<void, ConfigError> Network::validate(const NetworkConfig& config, const Topology& topology) {
    if (!(config.loss >= 0.0 && config.loss <= 1.0)) {
        return config_error(ConfigErrorCode::kProbabilityOutOfRange, "loss",
                            "probability " + quote(config.loss) + " is not in [0, 1]");
    }
    if (config.latency.jitter < Duration::zero()) {
        return config_error(ConfigErrorCode::kNegativeDuration, "latency.jitter",
                            "jitter " + std::to_string(config.latency.jitter.nanos()) + " ns is negative");
    }
    if (config.latency.kind == JitterKind::kPareto &&
        !(config.latency.pareto_shape > 1.0 && std::isfinite(config.latency.pareto_shape))) {
        return config_error(ConfigErrorCode::kParetoShapeTooSmall, "latency.pareto_shape",
                            "Pareto tail index " + quote(config.latency.pareto_shape) +
                                " must be finite and > 1 (the mean latency must exist)");
    }
    if (config.message_types == 0 || config.message_types > std::size_t{1} << 16) {
        return config_error(ConfigErrorCode::kMessageTypeCount, "message_types",
                            std::to_string(config.message_types) + " is not in [1, 65536]");
    }
    for (NodeId a = 0; a < topology.node_count(); ++a) {
        const auto nb = topology.neighbours(a);
        for (std::size_t i = 0; i < nb.size(); ++i) {
            const Duration latency = topology.link(topology.first_half_edge(a) + i).latency;
            if (latency < Duration::zero()) {
                return config_error(ConfigErrorCode::kNegativeDuration,
                                    "link(" + std::to_string(a) + "," + std::to_string(nb[i]) + ").latency",
                                    "latency " + std::to_string(latency.nanos()) + " ns is negative");
            }
        }
    }
    return {};
}

std::expected<std::unique_ptr<Network>, ConfigError> Network::create(Simulator& sim, const Topology& topology,
                                                                     const NetworkConfig& config,
                                                                     const RandomStreams& streams,
                                                                     DeliveryHandler& handler) {
    if (auto ok = validate(config, topology); !ok) return std::unexpected(std::move(ok.error()));
    return std::make_unique<Network>(sim, topology, config, streams, handler);
}

Network::Network(Simulator& sim, const Topology& topology, const NetworkConfig& config,
                 const RandomStreams& streams, DeliveryHandler& handler)
    : sim_(sim), topology_(topology), config_(config), handler_(handler) {
    CL_ASSERT(validate(config, topology).has_value());
    const std::size_t n = topology.node_count();
    const auto& from_topology = topology.node_upload_bps();
    const bool topology_upload = !config.ignore_topology_upload && from_topology.size() == n;
    senders_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        senders_.push_back(Sender{streams.stream("net/node/" + std::to_string(i)),
                                  topology_upload ? from_topology[i] : config.upload_bps, 0});
    }
    half_edges_.resize(topology.half_edge_count());
    for (NodeId a = 0; a < n; ++a) {
        const std::size_t first = topology.first_half_edge(a);
        const auto nb = topology.neighbours(a);
        for (std::size_t i = 0; i < nb.size(); ++i) {
            const auto back =
                std::lower_bound(topology.neighbours(nb[i]).begin(), topology.neighbours(nb[i]).end(), a);
            half_edges_[first + i].back_index =
                static_cast<std::uint32_t>(back - topology.neighbours(nb[i]).begin());
        }
    }
    counters_.resize(config.message_types);
}

Duration Network::serialisation_time(std::uint64_t size, std::uint64_t bps) {
    if (bps == 0) return Duration::zero();
    // Every message of a run (size < 2^30 bytes, bps < 2^63): size·8·10^9 < 2^63, so the
    // sum with bps − 1 fits in 64 bits and one 64-bit division gives the same exact
    // ceiling, which is at most size·8·10^9 < 2^63 (no saturation).
    if (size < (std::uint64_t{1} << 30) && bps < (std::uint64_t{1} << 63)) {
        const std::uint64_t ns = (size * 8'000'000'000U + bps - 1) / bps;
        return nanos(static_cast<std::int64_t>(ns));
    }
    __extension__ using U128 = unsigned __int128;
    // size < 2^64 and 8·10^9 < 2^33: the product and the rounding term fit in 128 bits.
    const U128 bits_ns = static_cast<U128>(size) * 8U * 1'000'000'000U;
    const U128 ns = (bits_ns + bps - 1) / bps;
    if (ns > static_cast<U128>(std::numeric_limits<std::int64_t>::max())) return Duration::max();
    return nanos(static_cast<std::int64_t>(ns));
}

Duration Network::draw_latency(RandomStream& rng, Duration base) const {
    const LatencyModel& m = config_.latency;
    switch (m.kind) {
        case JitterKind::kNone:
            return base;
        case JitterKind::kUniform:
            return saturating_add(base, nanos(uniform_int(rng, 0, m.jitter.nanos())));
        case JitterKind::kExponential:
            return saturating_add(base, exponential(rng, m.jitter));
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
                                        std::uint64_t payload, std::uint32_t neighbour_index) {
    CL_ASSERT(from < topology_.node_count() && to < topology_.node_count());
    CL_ASSERT(type < counters_.size());
    const Time now = sim_.now();
    TypeCounters& c = counters_[type];
    ++c.sent_messages;
    c.sent_bytes += size;
    Delivery d{from, to, type, size, payload, now, now, now};

    std::optional<std::size_t> h;
    if (neighbour_index < topology_.degree(from) &&
        topology_.half_edge_target(topology_.first_half_edge(from) + neighbour_index) == to) {
        h = topology_.first_half_edge(from) + neighbour_index;
    } else {
        h = topology_.half_edge(from, to);
    }
    if (!h) return drop(d, DropReason::kNoLink), DropReason::kNoLink;
    HalfEdge& edge = half_edges_[*h];
    // The back index as InFlight keeps it (kNoBackIndex when it does not fit 16 bits).
    const auto back = static_cast<std::uint16_t>(std::min<std::uint32_t>(edge.back_index, kNoBackIndex));
    d.to_index = delivery_index(back);
    if (!node_up(from, now)) return drop(d, DropReason::kSenderDown), DropReason::kSenderDown;

    // The sender's uplink serialises every message it sends, including ones the network
    // will lose: it cannot know.
    const LinkParams& link = topology_.link(*h);
    Sender& sender = senders_[from];
    std::uint64_t rate = sender.upload_bps;
    if (link.bandwidth_bps != 0) rate = rate == 0 ? link.bandwidth_bps : std::min(rate, link.bandwidth_bps);
    const Time start = std::max(now, Time::from_nanos(sender.uplink_free_at));
    d.departed = saturating_add(start, serialisation_time(size, rate));
    sender.uplink_free_at = d.departed.nanos();

    RandomStream& rng = sender.rng;
    // Draw in a fixed order whatever the outcome, so one drop does not shift later draws.
    bool lost = config_.loss > 0.0 && bernoulli(rng, config_.loss);
    if (!link_loss_.empty()) {
        const double p = window_loss(*h, now.nanos());
        if (p > 0.0) lost = bernoulli(rng, p) || lost;
    }
    Duration latency = draw_latency(rng, link.latency);
    if (!link_delay_.empty()) latency = saturating_add(latency, window_delay(*h, now.nanos()));
    std::int64_t arrive = saturating_add(d.departed, latency).nanos();
    if (!config_.allow_reordering) arrive = std::max(arrive, edge.last_arrival);
    d.arrived = Time::from_nanos(arrive);

    if (!link_up(from, to, now)) return drop(d, DropReason::kLinkDown), DropReason::kLinkDown;
    if (!reachable(from, to, now)) return drop(d, DropReason::kPartitioned), DropReason::kPartitioned;
    if (!link_filter_.empty() && filtered(*h, type, now.nanos()))
        return drop(d, DropReason::kLinkDown), DropReason::kLinkDown;
    if (lost) return drop(d, DropReason::kLost), DropReason::kLost;

    if (!config_.allow_reordering) edge.last_arrival = arrive;
    ++in_flight_;
    sim_.post_at(d.arrived,
                 DeliveryEvent{this, InFlight{from, to, size, type, back, payload, d.sent, d.departed}});
    return std::nullopt;
}

void Network::deliver(const InFlight& f) noexcept {
    --in_flight_;
    const Delivery d{
        f.from, f.to, f.type, f.size, f.payload, f.sent, f.departed, sim_.now(), delivery_index(f.to_index)};
    if (!node_up(d.to, d.arrived)) return drop(d, DropReason::kReceiverDown);
    if (!link_up(d.from, d.to, d.arrived)) return drop(d, DropReason::kLinkDown);
    if (!reachable(d.from, d.to, d.arrived)) return drop(d, DropReason::kPartitioned);
    TypeCounters& c = counters_[d.type];
    ++c.delivered_messages;
    c.delivered_bytes += d.size;
    c.latency_sum = saturating_add(c.latency_sum, d.latency());
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

std::expected<void, ConfigError> Network::add_partition(const PartitionSpec& partition) {
    const std::string what = "partition '" + partition.name + "'";
    if (auto ok = check_interval(what, partition.start, partition.end); !ok) return ok;
    if (partition.groups.empty()) {
        return config_error(ConfigErrorCode::kNoGroups, what + ".groups",
                            "a partition needs at least one group");
    }
    if (partition.groups.size() >= 0xffff) {
        return config_error(ConfigErrorCode::kTooManyGroups, what + ".groups",
                            std::to_string(partition.groups.size()) + " groups (at most 65534)");
    }
    Partition p{partition.name, partition.start.nanos(), partition.end.nanos(),
                std::vector<std::uint16_t>(topology_.node_count(), 0)};
    for (std::size_t g = 0; g < partition.groups.size(); ++g) {
        const std::string group = what + ".groups[" + std::to_string(g) + "]";
        if (partition.groups[g].empty()) {
            return config_error(ConfigErrorCode::kEmptyGroup, group, "a group needs at least one node");
        }
        for (std::size_t k = 0; k < partition.groups[g].size(); ++k) {
            const NodeId n = partition.groups[g][k];
            const std::string field = group + "[" + std::to_string(k) + "]";
            if (auto ok = check_node(topology_, field, n); !ok) return ok;
            if (p.group_of[n] != 0) {
                const std::size_t first = p.group_of[n] - 1U;
                return config_error(
                    ConfigErrorCode::kNodeInTwoGroups, field,
                    "node " + std::to_string(n) + " is already in " +
                        (first == g ? "this group" : "groups[" + std::to_string(first) + "]"));
            }
            p.group_of[n] = static_cast<std::uint16_t>(g + 1);
        }
    }
    partitions_.push_back(std::move(p));
    return {};
}

std::expected<void, ConfigError> Network::add_node_failure(NodeId node, Time start, Time end) {
    if (auto ok = check_node(topology_, "node_failure.node", node); !ok) return ok;
    if (auto ok = check_interval("node_failure", start, end); !ok) return ok;
    if (node_down_.empty()) node_down_.resize(topology_.node_count());
    node_down_[node].push_back({start.nanos(), end.nanos()});
    return {};
}

std::expected<void, ConfigError> Network::add_link_failure(NodeId a, NodeId b, Time start, Time end) {
    if (auto ok = check_node(topology_, "link_failure.a", a); !ok) return ok;
    if (auto ok = check_node(topology_, "link_failure.b", b); !ok) return ok;
    if (a == b) {
        return config_error(ConfigErrorCode::kSelfLink, "link_failure.b",
                            "a link joins two different nodes (both are " + std::to_string(a) + ")");
    }
    if (!topology_.half_edge(a, b)) {
        return config_error(ConfigErrorCode::kNotLinked, "link_failure",
                            "nodes " + std::to_string(a) + " and " + std::to_string(b) + " are not linked");
    }
    if (auto ok = check_interval("link_failure", start, end); !ok) return ok;
    link_failures_.push_back({std::min(a, b), std::max(a, b), start.nanos(), end.nanos()});
    return {};
}

std::expected<void, ConfigError> Network::add_link_loss(NodeId a, NodeId b, double probability, Time start,
                                                        Time end) {
    if (auto ok = check_node(topology_, "link_loss.a", a); !ok) return ok;
    if (auto ok = check_node(topology_, "link_loss.b", b); !ok) return ok;
    if (a == b) {
        return config_error(ConfigErrorCode::kSelfLink, "link_loss.b",
                            "a link joins two different nodes (both are " + std::to_string(a) + ")");
    }
    const auto ab = topology_.half_edge(a, b);
    const auto ba = topology_.half_edge(b, a);
    if (!ab || !ba) {
        return config_error(ConfigErrorCode::kNotLinked, "link_loss",
                            "nodes " + std::to_string(a) + " and " + std::to_string(b) + " are not linked");
    }
    if (!(probability >= 0.0 && probability <= 1.0)) {
        return config_error(ConfigErrorCode::kProbabilityOutOfRange, "link_loss.probability",
                            "probability " + quote(probability) + " is not in [0, 1]");
    }
    if (auto ok = check_interval("link_loss", start, end); !ok) return ok;
    if (link_loss_.empty()) link_loss_.resize(topology_.half_edge_count());
    for (const std::size_t h : {*ab, *ba}) link_loss_[h].push_back({start.nanos(), end.nanos(), probability});
    return {};
}

std::expected<std::pair<std::size_t, std::size_t>, ConfigError> Network::link_half_edges(
    const std::string& what, NodeId a, NodeId b) const {
    if (auto ok = check_node(topology_, what + ".a", a); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = check_node(topology_, what + ".b", b); !ok) return std::unexpected(std::move(ok.error()));
    if (a == b) {
        return config_error(ConfigErrorCode::kSelfLink, what + ".b",
                            "a link joins two different nodes (both are " + std::to_string(a) + ")");
    }
    const auto ab = topology_.half_edge(a, b);
    const auto ba = topology_.half_edge(b, a);
    if (!ab || !ba) {
        return config_error(ConfigErrorCode::kNotLinked, what,
                            "nodes " + std::to_string(a) + " and " + std::to_string(b) + " are not linked");
    }
    return std::pair{*ab, *ba};
}

std::expected<void, ConfigError> Network::add_link_delay(NodeId a, NodeId b, Duration extra, Time start,
                                                         Time end) {
    const auto h = link_half_edges("link_delay", a, b);
    if (!h) return std::unexpected(h.error());
    if (extra < Duration::zero()) {
        return config_error(ConfigErrorCode::kNegativeDuration, "link_delay.extra",
                            "extra delay " + std::to_string(extra.nanos()) + " ns is negative");
    }
    if (auto ok = check_interval("link_delay", start, end); !ok) return ok;
    if (link_delay_.empty()) link_delay_.resize(topology_.half_edge_count());
    for (const std::size_t e : {h->first, h->second})
        link_delay_[e].push_back({start.nanos(), end.nanos(), extra});
    return {};
}

std::expected<void, ConfigError> Network::add_link_filter(NodeId from, NodeId to, std::uint64_t types,
                                                          Time start, Time end) {
    const auto h = link_half_edges("link_filter", from, to);
    if (!h) return std::unexpected(h.error());
    if (auto ok = check_interval("link_filter", start, end); !ok) return ok;
    if (link_filter_.empty()) link_filter_.resize(topology_.half_edge_count());
    link_filter_[h->first].push_back({start.nanos(), end.nanos(), types});
    return {};
}

Duration Network::window_delay(std::size_t half_edge, std::int64_t t) const {
    Duration extra = Duration::zero();
    for (const DelayWindow& w : link_delay_[half_edge]) {
        if (t >= w.start && t < w.end) extra = saturating_add(extra, w.extra);
    }
    return extra;
}

bool Network::filtered(std::size_t half_edge, MessageType type, std::int64_t t) const {
    if (type >= 64) return false;
    for (const FilterWindow& w : link_filter_[half_edge]) {
        if (t >= w.start && t < w.end && (w.types >> type & 1U) != 0) return true;
    }
    return false;
}

Duration Network::link_delay(NodeId a, NodeId b, Time t) const {
    if (link_delay_.empty() || a >= topology_.node_count() || b >= topology_.node_count())
        return Duration::zero();
    const auto h = topology_.half_edge(a, b);
    return h ? window_delay(*h, t.nanos()) : Duration::zero();
}

double Network::window_loss(std::size_t half_edge, std::int64_t t) const {
    double kept = 1.0;
    for (const LossWindow& w : link_loss_[half_edge]) {
        if (t >= w.start && t < w.end) kept *= 1.0 - w.probability;
    }
    return 1.0 - kept;
}

double Network::link_loss(NodeId a, NodeId b, Time t) const {
    if (link_loss_.empty() || a >= topology_.node_count() || b >= topology_.node_count()) return 0.0;
    const auto h = topology_.half_edge(a, b);
    return h ? window_loss(*h, t.nanos()) : 0.0;
}

bool Network::node_up(NodeId node, Time t) const {
    if (node_down_.empty()) return true;
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
