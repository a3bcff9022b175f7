#include "sim/net/generators.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "protocol/core/assert.hpp"
#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {
namespace {

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

Topology random_regular_graph(std::size_t n, std::size_t d, RandomStream& rng, LinkParams link) {
    CL_ASSERT(d < n || (n == 0 && d == 0));
    CL_ASSERT((n * d) % 2 == 0);
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
        if (!dead_end) return from_sets(adj, link);
    }
}

Topology erdos_renyi_graph(std::size_t n, double p, RandomStream& rng, LinkParams link) {
    CL_ASSERT(p >= 0.0 && p <= 1.0);
    std::vector<Edge> edges;
    if (p <= 0.0 || n < 2) return Topology::from_edges(n, edges);
    if (p >= 1.0) return complete_graph(n, link);
    // Batagelj & Brandes, "Efficient generation of large random networks" (2005), G(n,p):
    // skip over the pairs (v, w), w < v, in row order by geometric gaps.
    const double log_q = std::log(1.0 - p);
    std::int64_t v = 1, w = -1;
    const auto nn = static_cast<std::int64_t>(n);
    while (v < nn) {
        const double r = uniform01_open_closed(rng);  // in (0, 1]: log is finite
        w += 1 + static_cast<std::int64_t>(std::floor(std::log(r) / log_q));
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

Topology regions_graph(std::size_t n, std::size_t d, const RegionModel& model, RandomStream& rng,
                       LinkParams link) {
    CL_ASSERT(!model.regions.empty() && n >= 1);
    const std::size_t r = model.regions.size();
    std::vector<std::uint16_t> region(n);
    std::optional<WeightedChoice> choice;
    if (!model.node_share.empty()) choice = WeightedChoice::from_weights(model.node_share);
    for (std::size_t i = 0; i < n; ++i) {
        region[i] = static_cast<std::uint16_t>(choice ? choice->pick(rng) : i % r);
    }
    AdjacencySets adj(n);
    const std::size_t want = std::min(d, n - 1);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t dialled = 0;
        while (dialled < want && adj.sets[i].size() < n - 1) {
            const std::size_t j = pick(rng, n);
            if (j == i || adj.linked(i, j)) continue;
            adj.link(i, j);
            ++dialled;
        }
    }
    std::vector<Edge> edges;
    for (std::size_t a = 0; a < n; ++a) {
        for (const NodeId b : adj.sets[a]) {
            if (a < b) {
                LinkParams p = link;
                p.latency = model.one_way_latency[region[a]][region[b]];
                edges.push_back({node_id(a), b, p});
            }
        }
    }
    Topology t = Topology::from_edges(n, edges);
    if (!model.upload_bps.empty()) {
        std::vector<std::uint64_t> upload(n);
        for (std::size_t i = 0; i < n; ++i) upload[i] = model.upload_bps[region[i]];
        t.set_node_upload_bps(std::move(upload));
    }
    t.set_regions(model.regions, std::move(region));
    return t;
}

// ---------------------------------------------------------------------------------------
// regions.yaml

namespace {

InputError yaml_error(const std::string& path, const YAML::Node& at, InputErrorKind kind, std::string msg) {
    const std::size_t line = at.Mark().is_null() ? 0 : static_cast<std::size_t>(at.Mark().line) + 1;
    return InputError{kind, path, line, std::move(msg)};
}

std::expected<double, InputError> as_nonneg_double(const std::string& path, const YAML::Node& node,
                                                   const std::string& what) {
    double v = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, v) || !std::isfinite(v) || v < 0) {
        return std::unexpected(
            yaml_error(path, node, InputErrorKind::kBadValue, what + ": expected a non-negative number"));
    }
    return v;
}

Duration ms_to_duration(double ms) { return round_to_duration(ms * 1e6); }

std::expected<std::vector<double>, InputError> number_list(const std::string& path, const YAML::Node& node,
                                                           std::size_t count, const std::string& what) {
    if (!node.IsSequence() || node.size() != count) {
        return std::unexpected(
            yaml_error(path, node, InputErrorKind::kBadValue,
                       what + ": expected a list of " + std::to_string(count) + " numbers"));
    }
    std::vector<double> out;
    for (std::size_t i = 0; i < count; ++i) {
        auto v = as_nonneg_double(path, node[i], what);
        if (!v) return std::unexpected(v.error());
        out.push_back(*v);
    }
    return out;
}

std::expected<RegionModel, InputError> parse_region_model(const std::string& path, const YAML::Node& root,
                                                          std::string_view dataset) {
    if (!root.IsMap()) {
        return std::unexpected(
            yaml_error(path, root, InputErrorKind::kBadValue, "expected a mapping of datasets"));
    }
    const YAML::Node ds = root[std::string(dataset)];
    if (!ds) {
        return std::unexpected(InputError{InputErrorKind::kMissingField, path, 0,
                                          "no dataset named '" + std::string(dataset) + "'"});
    }
    if (!ds.IsMap())
        return std::unexpected(yaml_error(path, ds, InputErrorKind::kBadValue, "expected a mapping"));
    RegionModel m;
    m.name = std::string(dataset);
    const YAML::Node regions = ds["regions"];
    if (!regions || !regions.IsSequence() || regions.size() == 0) {
        return std::unexpected(yaml_error(path, regions ? regions : ds, InputErrorKind::kMissingField,
                                          "'regions': expected a non-empty list of names"));
    }
    for (const auto& r : regions) {
        if (!r.IsScalar())
            return std::unexpected(yaml_error(path, r, InputErrorKind::kBadValue, "region name expected"));
        m.regions.push_back(r.as<std::string>());
    }
    const std::size_t n = m.regions.size();
    if (n > 0xffff)
        return std::unexpected(yaml_error(path, regions, InputErrorKind::kBadValue, "too many regions"));
    const bool rtt = static_cast<bool>(ds["rtt_ms"]);
    const YAML::Node matrix = rtt ? ds["rtt_ms"] : ds["latency_ms"];
    if (!matrix || !matrix.IsMap()) {
        return std::unexpected(
            yaml_error(path, matrix ? matrix : ds, InputErrorKind::kMissingField,
                       "expected 'rtt_ms' or 'latency_ms': a mapping from region to a row"));
    }
    double intra_ms = -1;
    if (rtt && ds["intra_region_rtt_ms"]) {
        auto v = as_nonneg_double(path, ds["intra_region_rtt_ms"], "intra_region_rtt_ms");
        if (!v) return std::unexpected(v.error());
        intra_ms = *v / 2;
    }
    m.one_way_latency.assign(n, std::vector<Duration>(n));
    for (std::size_t i = 0; i < n; ++i) {
        const YAML::Node row = matrix[m.regions[i]];
        if (!row) {
            return std::unexpected(yaml_error(path, matrix, InputErrorKind::kMissingField,
                                              "no latency row for region '" + m.regions[i] + "'"));
        }
        auto values = number_list(path, row, n, "row '" + m.regions[i] + "'");
        if (!values) return std::unexpected(values.error());
        for (std::size_t j = 0; j < n; ++j) {
            double ms = rtt ? (*values)[j] / 2 : (*values)[j];
            if (i == j && intra_ms >= 0) ms = intra_ms;
            m.one_way_latency[i][j] = ms_to_duration(ms);
        }
    }
    if (const YAML::Node up = ds["upload_mbit_s"]) {
        auto values = number_list(path, up, n, "upload_mbit_s");
        if (!values) return std::unexpected(values.error());
        for (const double v : *values)
            m.upload_bps.push_back(static_cast<std::uint64_t>(std::llround(v * 1e6)));
    }
    if (const YAML::Node share = ds["node_share_bitcoin"]) {
        auto values = number_list(path, share, n, "node_share_bitcoin");
        if (!values) return std::unexpected(values.error());
        if (!WeightedChoice::from_weights(*values)) {
            return std::unexpected(
                yaml_error(path, share, InputErrorKind::kBadValue, "node shares must not all be 0"));
        }
        m.node_share = std::move(*values);
    }
    return m;
}

}  // namespace

std::expected<RegionModel, InputError> load_region_model(const std::string& path, std::string_view dataset) {
    try {
        YAML::Node root;
        try {
            root = YAML::LoadFile(path);
        } catch (const YAML::BadFile&) {
            return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, "cannot open file"});
        } catch (const YAML::ParserException& e) {
            return std::unexpected(
                InputError{InputErrorKind::kSyntax, path,
                           e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line) + 1, e.msg});
        }
        return parse_region_model(path, root, dataset);
    } catch (const YAML::Exception& e) {
        return std::unexpected(InputError{InputErrorKind::kBadValue, path,
                                          e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line) + 1,
                                          e.msg});
    }
}

}  // namespace cl::sim::net
