// Reading topologies from GraphML and Graphviz DOT files (e.g. the Internet Topology
// Zoo), through Boost.Graph's read_graphml / read_graphviz (kept in import.cpp).
//
// Link parameters, per edge, first match wins:
//   latency:    edge attribute `latency_ms` (milliseconds) or `latency` (milliseconds);
//               else, when both endpoints have `Latitude` and `Longitude` (degrees, as
//               in the Topology Zoo), the great-circle distance (haversine, Earth radius
//               6371 km) divided by 2/3 of the speed of light in vacuum (fibre);
//               else ImportOptions::default_link.latency.
//   bandwidth:  `bandwidth_bps` (bit/s), `bandwidth_mbit_s` (Mbit/s) or the Topology
//               Zoo's `LinkSpeedRaw` (bit/s); else default_link.bandwidth_bps.
// Directed files are read as undirected (a link exists if either direction does);
// self-loops are dropped and parallel links keep the first. Node names (the file's
// node ids, or `label` when present) go to Topology::node_names().
//
// Errors never escape as exceptions: a malformed file gives an InputError naming the
// file and the line where the parser stopped (found by re-parsing line prefixes when
// the underlying parser does not report one).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "sim/net/error.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::net {

struct ImportOptions {
    LinkParams default_link{};
};

// Parses text already in memory; `file` is only used to name errors.
std::expected<Topology, InputError> parse_graphml(std::string_view text, const std::string& file,
                                                  const ImportOptions& options = {});
std::expected<Topology, InputError> parse_graphviz(std::string_view text, const std::string& file,
                                                   const ImportOptions& options = {});

// Reads a file; the format is chosen by extension (.graphml / .xml → GraphML, .dot /
// .gv → DOT).
std::expected<Topology, InputError> load_topology(const std::string& path, const ImportOptions& options = {});

// Great-circle one-way latency between two points (degrees): distance / (2/3 c).
Duration geographic_latency(double lat1, double lon1, double lat2, double lon2);

}  // namespace cl::sim::net
