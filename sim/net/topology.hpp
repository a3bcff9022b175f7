// The simulated network's graph: nodes, undirected links and per-link parameters.
//
// A Topology is a plain, immutable adjacency structure in CSR form (compressed sparse
// rows): the neighbours of node n are neighbours()[offsets[n], offsets[n+1]), sorted
// ascending, and each entry ("half-edge") has its own LinkParams, identical for both
// directions of a link. This header deliberately knows nothing of Boost.Graph: the
// generators and importers (generators.hpp, import.hpp) use Boost.Graph in their .cpp
// files and hand back this representation, so widely included headers stay light.
//
// Invariants: no self-loops, no parallel links, neighbour lists sorted, every link
// present in both endpoints' lists with the same parameters. Node ids are dense
// [0, node_count()).
//
// Thread-safety: immutable after construction; safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/kernel/time.hpp"

namespace cl::sim::net {

using NodeId = std::uint32_t;

// Parameters of one link (both directions).
struct LinkParams {
    Duration latency = millis(50);  // one-way propagation latency
    // A cap on this link's serialisation rate, bits per second; 0 = no cap (only the
    // sender's upload bandwidth applies). Imported files may set it per link.
    std::uint64_t bandwidth_bps = 0;
    friend bool operator==(const LinkParams&, const LinkParams&) = default;
};

struct Edge {
    NodeId a = 0;
    NodeId b = 0;
    LinkParams params;
};

class Topology {
  public:
    Topology() = default;

    // Builds the CSR form. Duplicate links (either orientation) keep the first one's
    // parameters. REQUIRES: every endpoint < node_count; no self-loops.
    static Topology from_edges(std::size_t node_count, std::span<const Edge> edges);

    std::size_t node_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    // Undirected links.
    std::size_t edge_count() const { return neighbours_.size() / 2; }
    // Half-edges (2 · edge_count()); half-edge ids index per-direction state.
    std::size_t half_edge_count() const { return neighbours_.size(); }

    std::size_t degree(NodeId n) const { return offsets_[n + 1] - offsets_[n]; }
    std::span<const NodeId> neighbours(NodeId n) const {
        return {neighbours_.data() + offsets_[n], degree(n)};
    }
    // The first half-edge of n; the i-th neighbour of n is half-edge first_half_edge(n)+i.
    std::size_t first_half_edge(NodeId n) const { return offsets_[n]; }
    // The half-edge from -> to, if they are linked. O(log degree).
    std::optional<std::size_t> half_edge(NodeId from, NodeId to) const;
    NodeId half_edge_target(std::size_t h) const { return neighbours_[h]; }
    const LinkParams& link(std::size_t half_edge) const { return params_[half_edge]; }

    // Every link once, with a < b, in (a, b) order.
    std::vector<Edge> edges() const;

    // Whether every node can reach every other (Boost.Graph connected_components).
    // An empty graph and a single node are connected.
    bool is_connected() const;
    // Number of connected components.
    std::size_t component_count() const;

    // Optional per-node annotations (empty when the source has none).
    // Names: imported node ids / labels. Regions: index into region_names().
    // Upload: per-node upload bandwidth in bits/s from the source (e.g. SimBlock's
    // per-region figures); the Network uses it unless its config overrides.
    const std::vector<std::string>& node_names() const { return node_names_; }
    const std::vector<std::uint16_t>& node_regions() const { return node_regions_; }
    const std::vector<std::string>& region_names() const { return region_names_; }
    const std::vector<std::uint64_t>& node_upload_bps() const { return node_upload_bps_; }

    void set_node_names(std::vector<std::string> names) { node_names_ = std::move(names); }
    void set_regions(std::vector<std::string> region_names, std::vector<std::uint16_t> node_regions) {
        region_names_ = std::move(region_names);
        node_regions_ = std::move(node_regions);
    }
    void set_node_upload_bps(std::vector<std::uint64_t> upload) { node_upload_bps_ = std::move(upload); }

  private:
    std::vector<std::size_t> offsets_;  // node_count + 1
    std::vector<NodeId> neighbours_;
    std::vector<LinkParams> params_;
    std::vector<std::string> node_names_;
    std::vector<std::uint16_t> node_regions_;
    std::vector<std::string> region_names_;
    std::vector<std::uint64_t> node_upload_bps_;
};

}  // namespace cl::sim::net
