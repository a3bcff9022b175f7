// Reading topologies from GraphML and Graphviz DOT files (e.g. the Internet Topology
// Zoo). GraphML is read with rapidxml (the XML parser of Boost.PropertyTree, which
// Boost.Graph's read_graphml is built on) so that every error has a line and column;
// DOT with Boost.Graph's read_graphviz.
//
// Attributes read (every other attribute is ignored). Per edge, first match wins:
//   latency:    `latency_ms`, else `latency` — both in milliseconds (decimal allowed,
//               rounded to the nearest ns), >= 0; else, when both endpoints have
//               `Latitude` and `Longitude` (degrees, as in the Topology Zoo), the
//               great-circle distance (haversine, Earth radius 6371 km) divided by 2/3
//               of the speed of light in vacuum (fibre); else
//               ImportOptions::default_link.latency.
//   bandwidth:  `bandwidth_bps` (bit/s), else `bandwidth_mbit_s` (10^6 bit/s), else the
//               Topology Zoo's `LinkSpeedRaw` (bit/s); >= 1 bit/s, rounded to a whole
//               bit/s; else default_link.bandwidth_bps (0 = no cap). Then, when
//               ImportOptions::bandwidth_cap_bps is set, every link's bandwidth is at
//               most the cap (a link without one gets the cap).
// Per node: `label` (the name; else the node id), `Latitude` in [-90, 90] and
// `Longitude` in [-360, 360] degrees. GraphML `<key>` defaults apply. Numbers are
// written in full (`12.5`, `1e3`); `fast`, `12ms` or an empty value are errors.
// Directed files are read as undirected (a link exists if either direction does);
// self-loops are dropped and parallel links keep the first. Node names go to
// Topology::node_names(). Nodes are numbered in the order the file first mentions them:
// GraphML in document order of the <node> elements, DOT in order of first appearance
// in a node or edge statement (not Boost's alphabetical order; dot_lexer.hpp).
//
// GraphML must be one <graphml> root holding <key>s and exactly one <graph>; node ids
// are unique and edges name declared nodes (either may come first). Hyperedges and
// nested graphs are rejected.
//
// The file is read as every text input is (sim/input/text_file.hpp): at most
// input::kMaxTextFileBytes (16 MiB; a Topology Zoo file is some hundreds of kB at most), not a
// directory, and UTF-8 with no control character but tab, LF and CR — whatever encoding
// a GraphML declaration names — so node names reach the results as UTF-8.
//
// Errors never escape as exceptions: a malformed file gives an InputError naming the
// file, the line and the column (1-based, in characters) of the offending character,
// token, attribute value or element. For DOT, Boost's parser reports no position: it is
// recovered with a lexer of this project that mirrors Boost's and by re-parsing prefixes
// of the text (import.cpp, locate_dot_error). Errors about the file as a whole (it cannot
// be read, is a directory or too large, its extension is unknown) have neither line nor
// column.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "sim/net/error.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::net {

struct ImportOptions {
    // For links whose file gives no latency (and no coordinates) or no bandwidth.
    LinkParams default_link{};
    // Bits per second; 0 = none. Caps every link, the file's own bandwidths included
    // (a scenario's network.link_bandwidth).
    std::uint64_t bandwidth_cap_bps = 0;
};

// Parses text already in memory; `file` is only used to name errors.
std::expected<Topology, InputError> parse_graphml(std::string_view text, const std::string& file,
                                                  const ImportOptions& options = {});
std::expected<Topology, InputError> parse_graphviz(std::string_view text, const std::string& file,
                                                   const ImportOptions& options = {});

// Reads a file; the format is chosen by extension (.graphml / .xml → GraphML, .dot /
// .gv → DOT). The text is checked (size, UTF-8, control characters) before it is parsed;
// parse_graphml and parse_graphviz take text as it is.
std::expected<Topology, InputError> load_topology(const std::string& path, const ImportOptions& options = {});

// Great-circle one-way latency between two points (degrees): distance / (2/3 c).
Duration geographic_latency(double lat1, double lon1, double lat2, double lon2);

}  // namespace cl::sim::net
