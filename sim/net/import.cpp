#include "sim/net/import.hpp"

#include <cmath>
#include <exception>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <sstream>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>

#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct VertexProps {
    std::string name;
    std::string label;
    double latitude = kNaN;
    double longitude = kNaN;
};
struct EdgeProps {
    double latency_ms = kNaN;
    double latency = kNaN;
    double bandwidth_bps = kNaN;
    double bandwidth_mbit_s = kNaN;
    double link_speed_raw = kNaN;
};

template <class Graph>
boost::dynamic_properties properties_for(Graph& g, bool with_node_id) {
    boost::dynamic_properties dp(boost::ignore_other_properties);
    if (with_node_id) dp.property("node_id", boost::get(&VertexProps::name, g));
    dp.property("label", boost::get(&VertexProps::label, g));
    dp.property("Latitude", boost::get(&VertexProps::latitude, g));
    dp.property("Longitude", boost::get(&VertexProps::longitude, g));
    dp.property("latency_ms", boost::get(&EdgeProps::latency_ms, g));
    dp.property("latency", boost::get(&EdgeProps::latency, g));
    dp.property("bandwidth_bps", boost::get(&EdgeProps::bandwidth_bps, g));
    dp.property("bandwidth_mbit_s", boost::get(&EdgeProps::bandwidth_mbit_s, g));
    dp.property("LinkSpeedRaw", boost::get(&EdgeProps::link_speed_raw, g));
    return dp;
}

// Turns a Boost graph (directed or not) into a Topology, or an error for values out of
// range (reported without a line: they come from attributes after parsing).
template <class Graph>
std::expected<Topology, InputError> to_topology(const Graph& g, const std::string& file,
                                                const ImportOptions& options) {
    const std::size_t n = boost::num_vertices(g);
    std::vector<Edge> edges;
    auto bad = [&](std::string msg) {
        return std::unexpected(InputError{InputErrorKind::kBadValue, file, 0, std::move(msg)});
    };
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const auto a = static_cast<NodeId>(boost::source(*it, g));
        const auto b = static_cast<NodeId>(boost::target(*it, g));
        if (a == b) continue;
        const EdgeProps& e = g[*it];
        LinkParams p = options.default_link;
        const double ms = !std::isnan(e.latency_ms) ? e.latency_ms : e.latency;
        if (!std::isnan(ms)) {
            if (!(ms >= 0) || !std::isfinite(ms))
                return bad("edge latency must be a non-negative number of ms");
            p.latency = round_to_duration(ms * 1e6);
        } else {
            const VertexProps& va = g[boost::source(*it, g)];
            const VertexProps& vb = g[boost::target(*it, g)];
            if (!std::isnan(va.latitude) && !std::isnan(va.longitude) && !std::isnan(vb.latitude) &&
                !std::isnan(vb.longitude)) {
                if (std::abs(va.latitude) > 90 || std::abs(vb.latitude) > 90 ||
                    std::abs(va.longitude) > 360 || std::abs(vb.longitude) > 360) {
                    return bad("node coordinates out of range");
                }
                p.latency = geographic_latency(va.latitude, va.longitude, vb.latitude, vb.longitude);
            }
        }
        double bps = kNaN;
        if (!std::isnan(e.bandwidth_bps))
            bps = e.bandwidth_bps;
        else if (!std::isnan(e.bandwidth_mbit_s))
            bps = e.bandwidth_mbit_s * 1e6;
        else if (!std::isnan(e.link_speed_raw))
            bps = e.link_speed_raw;
        if (!std::isnan(bps)) {
            if (!(bps > 0) || bps > 1e18) return bad("edge bandwidth must be a positive number");
            p.bandwidth_bps = static_cast<std::uint64_t>(std::llround(bps));
        }
        edges.push_back({a, b, p});
    }
    Topology t = Topology::from_edges(n, edges);
    std::vector<std::string> names(n);
    bool any = false;
    for (std::size_t v = 0; v < n; ++v) {
        const VertexProps& vp = g[boost::vertex(v, g)];
        names[v] = !vp.label.empty() ? vp.label : vp.name;
        any = any || !names[v].empty();
    }
    if (any) t.set_node_names(std::move(names));
    return t;
}

using Undirected =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexProps, EdgeProps>;
using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps, EdgeProps>;

enum class Format { kGraphml, kGraphviz };

// One parse attempt: the graph or the parser's message. Catches everything the parser
// and the property maps may throw.
struct Attempt {
    std::optional<Topology> topology;
    std::optional<InputError> value_error;  // well-formed but bad values
    std::string message;                    // parser failure, when neither is set
};

template <class Graph>
Attempt attempt_as(Format format, const std::string& text, const std::string& file,
                   const ImportOptions& options) {
    Graph g;
    boost::dynamic_properties dp = properties_for(g, format == Format::kGraphviz);
    if (format == Format::kGraphml) {
        std::istringstream in(text);
        boost::read_graphml(in, g, dp, 0);
    } else {
        if (!boost::read_graphviz(text, g, dp, "node_id"))
            return Attempt{std::nullopt, std::nullopt, "invalid DOT"};
    }
    auto t = to_topology(g, file, options);
    if (!t) return Attempt{std::nullopt, t.error(), {}};
    return Attempt{std::move(*t), std::nullopt, {}};
}

Attempt attempt(Format format, const std::string& text, const std::string& file,
                const ImportOptions& options) {
    try {
        try {
            return attempt_as<Undirected>(format, text, file, options);
        } catch (const boost::directed_graph_error&) {
            return attempt_as<Directed>(format, text, file, options);
        }
    } catch (const std::exception& e) {
        return Attempt{std::nullopt, std::nullopt, e.what()};
    } catch (...) {
        return Attempt{std::nullopt, std::nullopt, "unknown parse error"};
    }
}

// Property tree's XML errors say "<unspecified file>(LINE): message".
std::optional<std::pair<std::size_t, std::string>> split_xml_line(const std::string& msg) {
    const auto open = msg.find(">(");
    if (open == std::string::npos) return std::nullopt;
    const auto close = msg.find("): ", open);
    if (close == std::string::npos) return std::nullopt;
    std::size_t line = 0;
    for (std::size_t i = open + 2; i < close; ++i) {
        if (msg[i] < '0' || msg[i] > '9') return std::nullopt;
        line = line * 10 + static_cast<std::size_t>(msg[i] - '0');
    }
    return std::pair{line, msg.substr(close + 3)};
}

// Braces left open at the end of a DOT text (outside quoted strings and comments).
std::size_t open_braces(const std::string& text) {
    std::size_t depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const auto end = text.find("*/", i + 2);
            i = end == std::string::npos ? text.size() : end + 1;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && depth > 0) {
            --depth;
        }
    }
    return depth;
}

// The first line at which the parser fails with the same message as on the whole text:
// the parser stops at the first error, so a prefix that ends before the bad line fails
// differently (at its end) or not at all. O(log lines) parses. A heuristic where the
// parser gives no line: two different errors with the same message report the first.
std::size_t locate_line(Format format, const std::string& text, const std::string& message,
                        const std::string& file, const ImportOptions& options) {
    std::vector<std::size_t> line_end;  // prefix length through line i+1
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') line_end.push_back(i + 1);
    }
    if (line_end.empty() || line_end.back() != text.size()) line_end.push_back(text.size());
    std::size_t lo = 1, hi = line_end.size();  // answer in [lo, hi]
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        std::string prefix = text.substr(0, line_end[mid - 1]);
        if (format == Format::kGraphviz) {
            // DOT applies attribute values only after the whole graph parsed: close the
            // open braces so that a bad value in the prefix is reported by the prefix.
            prefix += '\n';
            prefix.append(open_braces(prefix), '}');
        }
        const Attempt a = attempt(format, prefix, file, options);
        if (!a.topology && !a.value_error && a.message == message)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

std::expected<Topology, InputError> parse(Format format, std::string_view view, const std::string& file,
                                          const ImportOptions& options) {
    const std::string text(view);
    Attempt a = attempt(format, text, file, options);
    if (a.topology) return std::move(*a.topology);
    if (a.value_error) return std::unexpected(*a.value_error);
    if (auto xml = split_xml_line(a.message)) {
        return std::unexpected(InputError{InputErrorKind::kSyntax, file, xml->first, xml->second});
    }
    const std::size_t line = locate_line(format, text, a.message, file, options);
    return std::unexpected(InputError{InputErrorKind::kSyntax, file, line, a.message});
}

}  // namespace

Duration geographic_latency(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kEarthRadiusKm = 6371.0;
    constexpr double kFibreKmPerS = 299792.458 * 2.0 / 3.0;
    constexpr double kRad = std::numbers::pi / 180.0;
    const double dlat = (lat2 - lat1) * kRad;
    const double dlon = (lon2 - lon1) * kRad;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    const double km = 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
    return round_to_duration(km / kFibreKmPerS * 1e9);
}

std::expected<Topology, InputError> parse_graphml(std::string_view text, const std::string& file,
                                                  const ImportOptions& options) {
    return parse(Format::kGraphml, text, file, options);
}

std::expected<Topology, InputError> parse_graphviz(std::string_view text, const std::string& file,
                                                   const ImportOptions& options) {
    return parse(Format::kGraphviz, text, file, options);
}

std::expected<Topology, InputError> load_topology(const std::string& path, const ImportOptions& options) {
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::optional<Format> format;
    if (ext == "graphml" || ext == "xml") format = Format::kGraphml;
    if (ext == "dot" || ext == "gv") format = Format::kGraphviz;
    if (!format) {
        return std::unexpected(InputError{InputErrorKind::kBadValue, path, 0,
                                          "unknown topology format (expected .graphml, .xml, .dot or .gv)"});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, "cannot open file"});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse(*format, buffer.str(), path, options);
}

}  // namespace cl::sim::net
