#include "sim/net/topology.hpp"

#include <algorithm>
#include <tuple>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "protocol/core/assert.hpp"

namespace cl::sim::net {

Topology Topology::from_edges(std::size_t node_count, std::span<const Edge> edges) {
    struct Half {
        NodeId from, to;
        std::size_t order;  // input position: the first of duplicates wins
    };
    std::vector<Half> halves;
    halves.reserve(edges.size() * 2);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const Edge& e = edges[i];
        CL_ASSERT(e.a < node_count && e.b < node_count && e.a != e.b);
        halves.push_back({e.a, e.b, i});
        halves.push_back({e.b, e.a, i});
    }
    std::sort(halves.begin(), halves.end(), [](const Half& x, const Half& y) {
        return std::tie(x.from, x.to, x.order) < std::tie(y.from, y.to, y.order);
    });
    halves.erase(std::unique(halves.begin(), halves.end(),
                             [](const Half& x, const Half& y) { return x.from == y.from && x.to == y.to; }),
                 halves.end());

    Topology t;
    t.offsets_.assign(node_count + 1, 0);
    for (const Half& h : halves) ++t.offsets_[h.from + 1];
    for (std::size_t n = 0; n < node_count; ++n) t.offsets_[n + 1] += t.offsets_[n];
    t.neighbours_.reserve(halves.size());
    t.params_.reserve(halves.size());
    for (const Half& h : halves) {
        t.neighbours_.push_back(h.to);
        t.params_.push_back(edges[h.order].params);
    }
    return t;
}

std::optional<std::size_t> Topology::half_edge(NodeId from, NodeId to) const {
    if (from >= node_count()) return std::nullopt;
    const auto list = neighbours(from);
    const auto it = std::lower_bound(list.begin(), list.end(), to);
    if (it == list.end() || *it != to) return std::nullopt;
    return offsets_[from] + static_cast<std::size_t>(it - list.begin());
}

std::vector<Edge> Topology::edges() const {
    std::vector<Edge> out;
    out.reserve(edge_count());
    for (NodeId a = 0; a < node_count(); ++a) {
        for (std::size_t h = offsets_[a]; h < offsets_[a + 1]; ++h) {
            if (a < neighbours_[h]) out.push_back({a, neighbours_[h], params_[h]});
        }
    }
    return out;
}

std::size_t Topology::component_count() const {
    const std::size_t n = node_count();
    if (n == 0) return 0;
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Graph g(n);
    for (NodeId a = 0; a < n; ++a) {
        for (std::size_t h = offsets_[a]; h < offsets_[a + 1]; ++h) {
            if (a < neighbours_[h]) boost::add_edge(a, neighbours_[h], g);
        }
    }
    std::vector<std::size_t> component(n);
    return static_cast<std::size_t>(boost::connected_components(g, component.data()));
}

bool Topology::is_connected() const { return node_count() <= 1 || component_count() == 1; }

}  // namespace cl::sim::net
