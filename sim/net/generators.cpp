#include "sim/net/generators.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "protocol/core/assert.hpp"
#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {
namespace {

// Every generator keeps node counts below this, so that n² fits in 63 bits.
constexpr std::size_t kMaxGeneratedNodes = std::size_t{1} << 31;

NodeId node_id(std::size_t i) { return static_cast<NodeId>(i); }

// Uniform index in [0, n). REQUIRES: n > 0.
std::size_t pick(RandomStream& rng, std::size_t n) {
    return static_cast<std::size_t>(cl::uniform_below(rng, static_cast<std::uint64_t>(n)));
}

// Small adjacency sets for generators that must avoid duplicate links.
struct AdjacencySets {
    explicit AdjacencySets(std::size_t n) : sets(n) {}
    bool linked(std::size_t a, std::size_t b) const {
        const auto& s = sets[a].size() <= sets[b].size() ? sets[a] : sets[b];
        const std::size_t other = sets[a].size() <= sets[b].size() ? b : a;
        return std::find(s.begin(), s.end(), node_id(other)) != s.end();
    }
    void link(std::size_t a, std::size_t b) {
        sets[a].push_back(node_id(b));
        sets[b].push_back(node_id(a));
    }
    void unlink(std::size_t a, std::size_t b) {
        std::erase(sets[a], node_id(b));
        std::erase(sets[b], node_id(a));
    }
    std::vector<std::vector<NodeId>> sets;
};

Topology from_sets(const AdjacencySets& adj, LinkParams link) {
    std::vector<Edge> edges;
    for (std::size_t a = 0; a < adj.sets.size(); ++a) {
        for (const NodeId b : adj.sets[a]) {
            if (a < b) edges.push_back({node_id(a), b, link});
        }
    }
    return Topology::from_edges(adj.sets.size(), edges);
}

}  // namespace

Topology complete_graph(std::size_t n, LinkParams link) {
    std::vector<Edge> edges;
    edges.reserve(n * (n > 0 ? n - 1 : 0) / 2);
    for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t b = a + 1; b < n; ++b) edges.push_back({node_id(a), node_id(b), link});
    }
    return Topology::from_edges(n, edges);
}

Topology ring_graph(std::size_t n, LinkParams link) {
    std::vector<Edge> edges;
    for (std::size_t a = 0; a + 1 < n; ++a) edges.push_back({node_id(a), node_id(a + 1), link});
    if (n >= 3) edges.push_back({node_id(n - 1), 0, link});
    return Topology::from_edges(n, edges);
}

namespace {

// Steger–Wormald pairing for a random simple d-regular graph on n nodes.
AdjacencySets random_regular_sets(std::size_t n, std::size_t d, RandomStream& rng) {
    for (;;) {
        AdjacencySets adj(n);
        std::vector<NodeId> stubs;
        stubs.reserve(n * d);
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t k = 0; k < d; ++k) stubs.push_back(node_id(i));
        }
        bool dead_end = false;
        while (!stubs.empty()) {
            std::size_t failures = 0;
            for (;;) {
                const std::size_t i = pick(rng, stubs.size());
                const std::size_t j = pick(rng, stubs.size());
                const NodeId u = stubs[i], v = stubs[j];
                if (i != j && u != v && !adj.linked(u, v)) {
                    adj.link(u, v);
                    // Remove both stubs (the larger index first so the smaller stays valid).
                    const std::size_t hi = std::max(i, j), lo = std::min(i, j);
                    stubs[hi] = stubs.back();
                    stubs.pop_back();
                    stubs[lo] = stubs.back();
                    stubs.pop_back();
                    break;
                }
                // Only a handful of stubs can leave no valid pair; give up and restart.
                if (++failures > 64 + 4 * stubs.size()) {
                    dead_end = true;
                    break;
                }
            }
            if (dead_end) break;
        }
        if (!dead_end) return adj;
    }
}

}  // namespace

Topology random_regular_graph(std::size_t n, std::size_t d, RandomStream& rng, LinkParams link) {
    CL_ASSERT(d < n || (n == 0 && d == 0));
    CL_ASSERT((n * d) % 2 == 0);
    if (n == 0 || 2 * d <= n - 1) return from_sets(random_regular_sets(n, d, rng), link);
    // Dense: near the end of a dense pairing almost every pair of free stubs is already
    // linked, and restarts almost never finish (n = 80, d = 75 did not in minutes). The
    // complement of a random (n-1-d)-regular graph is a random d-regular graph, and
    // n·(n-1-d) = n(n-1) - n·d is even.
    const AdjacencySets sparse = random_regular_sets(n, n - 1 - d, rng);
    std::vector<Edge> edges;
    edges.reserve(n * d / 2);
    std::vector<bool> linked(n);
    for (std::size_t a = 0; a < n; ++a) {
        for (const NodeId b : sparse.sets[a]) linked[b] = true;
        for (std::size_t b = a + 1; b < n; ++b) {
            if (!linked[b]) edges.push_back({node_id(a), node_id(b), link});
        }
        for (const NodeId b : sparse.sets[a]) linked[b] = false;
    }
    return Topology::from_edges(n, edges);
}

Topology erdos_renyi_graph(std::size_t n, double p, RandomStream& rng, LinkParams link) {
    CL_ASSERT(p >= 0.0 && p <= 1.0 && n < kMaxGeneratedNodes);
    std::vector<Edge> edges;
    if (p <= 0.0 || n < 2) return Topology::from_edges(n, edges);
    if (p >= 1.0) return complete_graph(n, link);
    // Batagelj & Brandes, "Efficient generation of large random networks" (2005), G(n,p):
    // skip over the pairs (v, w), w < v, in row order by geometric gaps.
    // log1p: for tiny p, log(1 - p) rounds to 0 (1 - 1e-20 == 1) and the skip to ±inf.
    const double log_q = std::log1p(-p);
    std::int64_t v = 1, w = -1;
    const auto nn = static_cast<std::int64_t>(n);
    // Fewer than n² pairs remain: a longer skip ends the graph. Checked before the
    // conversion, which would overflow (undefined) for skips near ln(2^-53)/ln(1-p).
    // n < 2^31 (validate), so the bound and w stay far below 2^63.
    const double pairs_bound = static_cast<double>(nn) * static_cast<double>(nn);
    while (v < nn) {
        const double r = uniform01_open_closed(rng);  // in (0, 1]: log is finite
        const double skip = std::floor(std::log(r) / log_q);
        if (!(skip < pairs_bound)) break;
        w += 1 + static_cast<std::int64_t>(skip);
        while (w >= v && v < nn) {
            w -= v;
            ++v;
        }
        if (v < nn)
            edges.push_back(
                {node_id(static_cast<std::size_t>(w)), node_id(static_cast<std::size_t>(v)), link});
    }
    return Topology::from_edges(n, edges);
}

Topology barabasi_albert_graph(std::size_t n, std::size_t m, RandomStream& rng, LinkParams link) {
    CL_ASSERT(m >= 1 && m < n);
    std::vector<Edge> edges;
    edges.reserve(m * (m + 1) / 2 + (n - m - 1) * m);
    // Every link contributes both endpoints: picking uniformly from this list picks a
    // node with probability proportional to its degree.
    std::vector<NodeId> endpoints;
    endpoints.reserve(2 * edges.capacity());
    for (std::size_t a = 0; a <= m; ++a) {
        for (std::size_t b = a + 1; b <= m; ++b) {
            edges.push_back({node_id(a), node_id(b), link});
            endpoints.push_back(node_id(a));
            endpoints.push_back(node_id(b));
        }
    }
    std::vector<NodeId> targets;
    for (std::size_t v = m + 1; v < n; ++v) {
        targets.clear();
        while (targets.size() < m) {
            const NodeId t = endpoints[pick(rng, endpoints.size())];
            if (std::find(targets.begin(), targets.end(), t) == targets.end()) targets.push_back(t);
        }
        for (const NodeId t : targets) {
            edges.push_back({t, node_id(v), link});
            endpoints.push_back(t);
            endpoints.push_back(node_id(v));
        }
    }
    return Topology::from_edges(n, edges);
}

Topology watts_strogatz_graph(std::size_t n, std::size_t k, double beta, RandomStream& rng, LinkParams link) {
    CL_ASSERT(k % 2 == 0 && k < n && beta >= 0.0 && beta <= 1.0);
    AdjacencySets adj(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 1; j <= k / 2; ++j) adj.link(i, (i + j) % n);
    }
    // Rewire in a fixed order: by offset j, then by node i (Watts & Strogatz 1998).
    for (std::size_t j = 1; j <= k / 2; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t b = (i + j) % n;
            if (!bernoulli(rng, beta)) continue;
            if (adj.sets[i].size() + 1 >= n) continue;  // i is linked to everyone: nowhere to go
            std::size_t w;
            do {
                w = pick(rng, n);
            } while (w == i || adj.linked(i, w));
            adj.unlink(i, b);
            adj.link(i, w);
        }
    }
    // Neighbour order in the sets depends on rewiring history only (deterministic).
    return from_sets(adj, link);
}

Topology regions_graph(std::size_t n, std::size_t d, const RegionModel& model,
                       std::span<const std::uint16_t> placed, std::span<const double> weights,
                       RandomStream& rng, LinkParams link) {
    CL_ASSERT(n >= 1 && placed.size() <= n && !model.regions.empty());
    std::vector<std::uint16_t> region(placed.begin(), placed.end());
    std::vector<double> equal(model.regions.size(), 1.0);
    const auto choice =
        WeightedChoice::from_weights(weights.empty() ? std::span<const double>(equal) : weights);
    CL_ASSERT(choice.has_value());
    for (std::size_t i = placed.size(); i < n; ++i)
        region.push_back(static_cast<std::uint16_t>(choice->pick(rng)));
    for (std::uint16_t r : region) CL_ASSERT(r < model.regions.size());

    std::vector<std::vector<NodeId>> adjacent(n);
    std::vector<Edge> edges;
    const std::size_t want = std::min(d, n - 1);
    for (std::size_t a = 0; a < n; ++a) {
        std::size_t attempts = 0;
        while (adjacent[a].size() < want && attempts++ < 64 * (want + 1)) {
            const auto b = node_id(pick(rng, n));
            if (b == a || std::find(adjacent[a].begin(), adjacent[a].end(), b) != adjacent[a].end()) continue;
            adjacent[a].push_back(b);
            adjacent[b].push_back(node_id(a));
            LinkParams p = link;
            p.latency = model.one_way_latency[region[a]][region[b]];
            edges.push_back(Edge{node_id(a), b, p});
        }
    }
    Topology t = Topology::from_edges(n, edges);
    t.set_regions(model.regions, std::move(region));
    return t;
}

Topology regions_graph(std::size_t n, std::size_t d, const RegionModel& model, RandomStream& rng,
                       LinkParams link) {
    CL_ASSERT(n >= 1 && n < kMaxGeneratedNodes && validate(model).has_value());
    Topology t = regions_graph(n, d, model, {}, model.node_share, rng, link);
    if (!model.upload_bps.empty()) {
        std::vector<std::uint64_t> upload(n);
        for (std::size_t i = 0; i < n; ++i) upload[i] = model.upload_bps[t.node_regions()[i]];
        t.set_node_upload_bps(std::move(upload));
    }
    return t;
}

const char* to_string(TopologyKind kind) {
    switch (kind) {
        case TopologyKind::kRegions:
            return "regions";
        case TopologyKind::kRandomRegular:
            return "random_regular";
        case TopologyKind::kBarabasiAlbert:
            return "barabasi_albert";
        case TopologyKind::kErdosRenyi:
            return "erdos_renyi";
        case TopologyKind::kWattsStrogatz:
            return "watts_strogatz";
        case TopologyKind::kComplete:
            return "complete";
        case TopologyKind::kRing:
            return "ring";
        case TopologyKind::kFile:
            return "file";
    }
    return "?";
}

// ---------------------------------------------------------------------------------------
// Validation and the factory

namespace {

std::unexpected<ConfigError> spec_error(ConfigErrorCode code, std::string field, std::string message) {
    return std::unexpected(ConfigError{code, std::move(field), std::move(message)});
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

std::expected<void, ConfigError> check_probability(double p, const char* what) {
    if (!(p >= 0.0 && p <= 1.0)) {
        return spec_error(ConfigErrorCode::kProbabilityOutOfRange, "probability",
                          std::string(what) + " " + number(p) + " is not in [0, 1]");
    }
    return {};
}

}  // namespace

std::expected<void, ConfigError> validate(const RegionModel& model) {
    const std::size_t r = model.regions.size();
    const auto bad = [](std::string field, std::string message) {
        return spec_error(ConfigErrorCode::kBadRegionModel, "regions." + std::move(field),
                          std::move(message));
    };
    if (r == 0) return bad("regions", "a region model needs at least one region");
    if (r > 0xffff) return bad("regions", std::to_string(r) + " regions (at most 65535)");
    if (model.one_way_latency.size() != r) {
        return bad("one_way_latency", std::to_string(model.one_way_latency.size()) + " rows for " +
                                          std::to_string(r) + " regions");
    }
    for (std::size_t i = 0; i < r; ++i) {
        const std::string row = "one_way_latency[" + std::to_string(i) + "]";
        if (model.one_way_latency[i].size() != r) {
            return bad(row, std::to_string(model.one_way_latency[i].size()) + " entries for " +
                                std::to_string(r) + " regions");
        }
        for (std::size_t j = 0; j < r; ++j) {
            if (model.one_way_latency[i][j] < Duration::zero()) {
                return bad(
                    row + "[" + std::to_string(j) + "]",
                    "latency " + std::to_string(model.one_way_latency[i][j].nanos()) + " ns is negative");
            }
        }
    }
    if (!model.upload_bps.empty()) {
        if (model.upload_bps.size() != r) {
            return bad("upload_bps", std::to_string(model.upload_bps.size()) + " entries for " +
                                         std::to_string(r) + " regions");
        }
        for (std::size_t i = 0; i < r; ++i) {
            if (model.upload_bps[i] == 0) {
                return bad("upload_bps[" + std::to_string(i) + "]", "upload bandwidth must be positive");
            }
        }
    }
    if (!model.node_share.empty()) {
        if (model.node_share.size() != r) {
            return bad("node_share", std::to_string(model.node_share.size()) + " entries for " +
                                         std::to_string(r) + " regions");
        }
        if (!WeightedChoice::from_weights(model.node_share)) {
            return bad("node_share", "shares must be finite, non-negative and not all 0");
        }
    }
    return {};
}

std::expected<void, ConfigError> validate(const TopologySpec& spec) {
    const std::size_t n = spec.nodes, d = spec.degree;
    if (n >= kMaxGeneratedNodes) {
        return spec_error(ConfigErrorCode::kTooManyNodes, "nodes",
                          std::to_string(n) + " nodes (at most 2^31 - 1)");
    }
    if (spec.link.latency < Duration::zero()) {
        return spec_error(ConfigErrorCode::kNegativeDuration, "link.latency",
                          "latency " + std::to_string(spec.link.latency.nanos()) + " ns is negative");
    }
    const auto degree_error = [&](std::string rule) {
        return spec_error(ConfigErrorCode::kDegreeOutOfRange, "degree",
                          "degree " + std::to_string(d) + " with " + std::to_string(n) + " nodes: " + rule);
    };
    switch (spec.kind) {
        case TopologyKind::kComplete:
        case TopologyKind::kRing:
            return {};
        case TopologyKind::kRandomRegular:
            if (!(d < n || (n == 0 && d == 0))) return degree_error("a d-regular graph needs d < n");
            if ((n * d) % 2 != 0) {
                return spec_error(ConfigErrorCode::kOddStubCount, "degree",
                                  "n·d = " + std::to_string(n) + "·" + std::to_string(d) +
                                      " is odd: no d-regular graph exists");
            }
            return {};
        case TopologyKind::kErdosRenyi:
            return check_probability(spec.probability, "edge probability p");
        case TopologyKind::kBarabasiAlbert:
            if (!(d >= 1 && d < n)) return degree_error("Barabási–Albert needs 1 <= m < n");
            return {};
        case TopologyKind::kWattsStrogatz:
            if (d % 2 != 0) {
                return spec_error(ConfigErrorCode::kOddLatticeDegree, "degree",
                                  "lattice degree k = " + std::to_string(d) + " must be even");
            }
            if (!(d < n)) return degree_error("Watts–Strogatz needs k < n");
            return check_probability(spec.probability, "rewiring probability beta");
        case TopologyKind::kRegions:
            if (n == 0)
                return spec_error(ConfigErrorCode::kTooManyNodes, "nodes", "a regions graph needs a node");
            if (spec.regions == nullptr) {
                return spec_error(ConfigErrorCode::kBadRegionModel, "regions", "no region model given");
            }
            return validate(*spec.regions);
        case TopologyKind::kFile:
            return spec_error(ConfigErrorCode::kNotGenerated, "kind",
                              "a file topology is loaded (load_topology), not generated");
    }
    return {};
}

std::expected<Topology, ConfigError> make_topology(const TopologySpec& spec, RandomStream& rng) {
    if (auto ok = validate(spec); !ok) return std::unexpected(std::move(ok.error()));
    switch (spec.kind) {
        case TopologyKind::kComplete:
            return complete_graph(spec.nodes, spec.link);
        case TopologyKind::kRing:
            return ring_graph(spec.nodes, spec.link);
        case TopologyKind::kRandomRegular:
            return random_regular_graph(spec.nodes, spec.degree, rng, spec.link);
        case TopologyKind::kErdosRenyi:
            return erdos_renyi_graph(spec.nodes, spec.probability, rng, spec.link);
        case TopologyKind::kBarabasiAlbert:
            return barabasi_albert_graph(spec.nodes, spec.degree, rng, spec.link);
        case TopologyKind::kWattsStrogatz:
            return watts_strogatz_graph(spec.nodes, spec.degree, spec.probability, rng, spec.link);
        case TopologyKind::kRegions:
            return regions_graph(spec.nodes, spec.degree, *spec.regions, rng, spec.link);
        case TopologyKind::kFile:
            break;  // refused by validate()
    }
    CL_ASSERT(false);  // every kind is handled above
    return Topology{};
}

}  // namespace cl::sim::net
