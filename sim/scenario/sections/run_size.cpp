// Run-size limits (limits.hpp): products of keys, on the values the run will use,
// reported at the key to change (docs/scenarios.md "Limits").
#include <algorithm>
#include <sstream>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// The field at `path` below `root` (absent: node null, pos of the deepest mapping).
Field find(const Field& root, std::initializer_list<std::string_view> path) {
    Field f = root;
    f.key.clear();
    for (std::string_view k : path) {
        f.key = join_key(f.key, k);
        const Entry* e = f.node != nullptr && f.node->is_map() ? f.node->find(k) : nullptr;
        if (e == nullptr) {
            f.node = nullptr;
            continue;
        }
        f.node = &e->value;
        f.pos = e->value.pos;
    }
    return f;
}

// Reported at the first of `fields` that is written (the value to change), else at
// the last. REQUIRES: fields not empty.
void size_error(Load& l, const std::vector<const Field*>& fields, const std::string& message) {
    const Field* at = fields.back();
    for (const Field* f : fields) {
        if (*f) {
            at = f;
            break;
        }
    }
    l.c.error(at->pos, at->key, message);
}

std::string count_text(long double v) {
    if (v < 1e15L) return std::to_string(static_cast<std::uint64_t>(v));
    std::ostringstream o;
    o.precision(3);
    o << static_cast<double>(v);
    return o.str();
}

// Links the generated topology is expected to have (limits.hpp kMaxLinks); 0 for a file.
long double expected_links(const Load& l, long double n) {
    const TopologySpec& t = l.s.network.topology;
    const auto d = static_cast<long double>(t.degree);
    switch (t.kind) {
        case TopologyKind::kRegions:
        case TopologyKind::kBarabasiAlbert:
            return n * d;
        case TopologyKind::kRandomRegular:
        case TopologyKind::kWattsStrogatz:
            return n * d / 2;
        case TopologyKind::kErdosRenyi:
            return static_cast<long double>(t.probability) * n * (n - 1) / 2;
        case TopologyKind::kComplete:
            return n * (n - 1) / 2;
        case TopologyKind::kRing:
            return n;
        case TopologyKind::kFile:
            return static_cast<long double>(l.file_links);
    }
    return 0;
}
}  // namespace

void check_run_size(Load& l, const MapReader& top) {
    const Field root{top.node(), "", top.pos()};
    const Field duration = find(root, {"duration"});
    const Field period = find(root, {"consensus", "period"});
    const Field interval = find(root, {"outputs", "sample_interval"});
    const Field rate = find(root, {"workload", "users", "arrival_rate"});
    const Field full = find(root, {"network", "full_nodes"});
    const Field kind = find(root, {"network", "topology", "kind"});
    const Field degree = find(root, {"network", "topology", "degree"});
    const Field probability = find(root, {"network", "topology", "probability"});
    const Field topology_file = find(root, {"network", "topology", "file"});
    const Field top_field{nullptr, "duration", top.pos()};
    if (!l.duration_ok || !l.node_count_ok || !l.clouds_ok || l.s.clouds.empty()) return;  // already in error
    const auto dur = static_cast<long double>(l.s.duration.nanos());
    const long double nodes = static_cast<long double>(l.s.node_count());
    const std::string run = "a run of " + format_duration(l.s.duration);

    // The nodes of a file topology come from the file (full_nodes is checked as read).
    if (l.s.network.full_nodes > kMaxFullNodes) {
        size_error(l, {&full, &kind},
                   "the topology has " + std::to_string(l.s.network.full_nodes) + " full nodes; at most " +
                       std::to_string(kMaxFullNodes));
    }
    const long double links = expected_links(l, nodes);
    if (links > static_cast<long double>(kMaxLinks)) {
        const bool by_p = l.s.network.topology.kind == TopologyKind::kErdosRenyi;
        const bool by_n = l.s.network.topology.kind == TopologyKind::kComplete ||
                          l.s.network.topology.kind == TopologyKind::kRing;
        const bool by_file = l.s.network.topology.kind == TopologyKind::kFile;
        const std::vector<const Field*> where =
            by_file ? std::vector<const Field*>{&topology_file, &kind}
            : by_p  ? std::vector<const Field*>{&probability, &full, &kind}
                    : (by_n ? std::vector<const Field*>{&full, &kind}
                            : std::vector<const Field*>{&degree, &full, &kind});
        size_error(l, where,
                   std::string("a ") + to_string(l.s.network.topology.kind) + " topology of " +
                       count_text(nodes) + " nodes is expected to have " + count_text(links) +
                       " links; at most " + std::to_string(kMaxLinks) +
                       " (each link holds its own state and relays every message)");
    }

    const long double blocks = dur / static_cast<long double>(block_period(l.s).nanos());
    if (blocks > static_cast<long double>(kMaxBlocks)) {
        size_error(l, {&duration, &period, &top_field},
                   run + " at one block per " + format_duration(block_period(l.s)) + " seals " +
                       count_text(blocks) + " blocks; at most " + std::to_string(kMaxBlocks) +
                       " (the run keeps every block): shorten duration or lengthen consensus.period");
    } else if (blocks * nodes > static_cast<long double>(kMaxBlockNodePairs)) {
        size_error(l, {&duration, &full, &period, &top_field},
                   run + " seals " + count_text(blocks) + " blocks for " + count_text(nodes) +
                       " nodes: " + count_text(blocks * nodes) + " block deliveries; at most " +
                       std::to_string(kMaxBlockNodePairs) +
                       " (the run keeps each node's view of each block and when it arrived)");
    }

    const long double samples = dur / static_cast<long double>(l.s.outputs.sample_interval.nanos());
    if (samples > static_cast<long double>(kMaxSamples)) {
        size_error(l, {&interval, &duration, &top_field},
                   run + " sampled every " + format_duration(l.s.outputs.sample_interval) + " gives " +
                       count_text(samples) + " samples; at most " + std::to_string(kMaxSamples) +
                       " (each sample visits every node and is kept until the results are written)");
    } else if (samples * nodes > static_cast<long double>(kMaxSampleNodeVisits)) {
        size_error(l, {&interval, &duration, &full, &top_field},
                   run + " sampled every " + format_duration(l.s.outputs.sample_interval) + " over " +
                       count_text(nodes) + " nodes visits " + count_text(samples * nodes) +
                       " nodes; at most " + std::to_string(kMaxSampleNodeVisits));
    }

    long double per_ns = 0;  // expected new users per nanosecond
    const UserArrivals& arrivals = l.s.workload.arrivals;
    const UserWorkload& u = l.s.workload.users;
    if (!arrivals.per_region.empty()) {
        for (const RegionRate& r : arrivals.per_region) {
            per_ns += static_cast<long double>(r.rate.count) / static_cast<long double>(r.rate.per.nanos());
        }
    } else {
        per_ns = static_cast<long double>(arrivals.total.count) /
                 static_cast<long double>(arrivals.total.per.nanos());
    }
    const long double users = per_ns * dur;
    if (users > static_cast<long double>(kMaxExpectedUsers)) {
        size_error(l, {&rate, &duration, &top_field},
                   run + " at arrival_rate " +
                       (arrivals.per_region.empty() ? format_rate(arrivals.total) : "(per region)") +
                       " brings " + count_text(users) + " users on average; at most " +
                       std::to_string(kMaxExpectedUsers) +
                       " (each user is a key pair and signed transactions every node verifies)");
    } else if (users * nodes > static_cast<long double>(kMaxUserNodePairs)) {
        size_error(l, {&rate, &duration, &full, &top_field},
                   run + " brings " + count_text(users) + " users on average to " + count_text(nodes) +
                       " nodes: " + count_text(users * nodes) + " transaction deliveries; at most " +
                       std::to_string(kMaxUserNodePairs));
    }
    // Re-requests: a refused user asks again, at most max_attempts requests in all.
    const Field attempts = find(root, {"workload", "users", "rerequest", "max_attempts"});
    const Field delay = find(root, {"workload", "users", "rerequest", "delay"});
    long double per_user = static_cast<long double>(u.max_attempts);
    if (u.rerequest_delay_mean > Duration::zero()) {
        per_user = std::min(per_user, 1 + dur / static_cast<long double>(u.rerequest_delay_mean.nanos()));
    }
    if (users <= static_cast<long double>(kMaxExpectedUsers) && u.rerequest_probability > 0 &&
        users * per_user > static_cast<long double>(kMaxExpectedRequests)) {
        size_error(l, {&attempts, &delay, &rate, &duration, &top_field},
                   run + " brings " + count_text(users) + " users on average, each making up to " +
                       count_text(per_user) + " requests (rerequest.max_attempts " +
                       std::to_string(u.max_attempts) + ", rerequest.delay " +
                       format_duration(u.rerequest_delay_mean) + "): " + count_text(users * per_user) +
                       "; at most " + std::to_string(kMaxExpectedRequests));
    }
}

}  // namespace cl::sim::scenario::detail
