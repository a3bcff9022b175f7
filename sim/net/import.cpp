// Topology import (import.hpp): the format-independent part (import_detail.hpp) and the
// file loader; the readers are in import_graphml.cpp and import_dot.cpp.
#include "sim/net/import.hpp"
#include "sim/net/import_detail.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/input/text_file.hpp"
#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {
namespace detail {

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0U) != 0x80U) {
            ++column;
        }
    }
    return {line, column};
}

InputError error_at(InputErrorKind kind, const std::string& file, std::string_view text, std::size_t offset,
                    std::string message) {
    if (offset == kNoOffset) return InputError{kind, file, 0, 0, std::move(message)};
    const auto [line, column] = line_column(text, offset);
    return InputError{kind, file, line, column, std::move(message)};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::optional<double> parse_number(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.front() == '+' || s.front() == '-') return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return negative ? -v : v;
}

std::expected<Topology, BuildError> build(const RawGraph& g, std::string_view text, const std::string& file,
                                          const ImportOptions& options) {
    const std::size_t n = g.nodes.size();
    std::vector<Edge> edges;
    edges.reserve(g.edges.size());
    for (const RawEdge& e : g.edges) {
        if (e.a == e.b) continue;  // self-loops carry no traffic
        auto bad = [&](const RawValue& v, const char* name, const std::string& rule) {
            std::string message = "edge '";
            message += g.nodes[e.a].id;
            message += "' -- '";
            message += g.nodes[e.b].id;
            message += "': ";
            message += rule;
            return std::unexpected(
                BuildError{error_at(InputErrorKind::kBadValue, file, text,
                                    v.offset != kNoOffset ? v.offset : e.offset, std::move(message)),
                           name, v.text});
        };
        auto number = [&](const RawValue& v, const char* name) -> std::expected<double, BuildError> {
            const auto x = parse_number(v.text);
            if (!x || !std::isfinite(*x))
                return bad(v, name, std::string(name) + " '" + v.text + "' is not a number");
            return *x;
        };
        LinkParams p = options.default_link;
        const RawValue& ms_value = e.latency_ms.present ? e.latency_ms : e.latency;
        const char* ms_name = e.latency_ms.present ? "latency_ms" : "latency";
        if (ms_value.present) {
            const auto ms = number(ms_value, ms_name);
            if (!ms) return std::unexpected(ms.error());
            if (*ms < 0)
                return bad(ms_value, ms_name, std::string(ms_name) + " " + ms_value.text + " ms is negative");
            if (*ms > 1e12)
                return bad(ms_value, ms_name,
                           std::string(ms_name) + " " + ms_value.text + " ms is too large");
            p.latency = round_to_duration(*ms * 1e6);
        } else {
            const RawNode& va = g.nodes[e.a];
            const RawNode& vb = g.nodes[e.b];
            if (va.latitude.present && va.longitude.present && vb.latitude.present && vb.longitude.present) {
                double coordinates[4] = {};
                const RawNode* owner[4] = {&va, &va, &vb, &vb};
                const RawValue* value[4] = {&va.latitude, &va.longitude, &vb.latitude, &vb.longitude};
                for (std::size_t k = 0; k < 4; ++k) {
                    const bool lat = k % 2 == 0;
                    const auto x = parse_number(value[k]->text);
                    const double limit = lat ? 90 : 360;
                    if (!x || !(std::abs(*x) <= limit)) {
                        return std::unexpected(BuildError{
                            error_at(InputErrorKind::kBadValue, file, text, value[k]->offset,
                                     "node '" + owner[k]->id + "': " + (lat ? "Latitude" : "Longitude") +
                                         " '" + value[k]->text + "' is not a number of degrees in [-" +
                                         (lat ? "90" : "360") + ", " + (lat ? "90" : "360") + "]"),
                            lat ? "Latitude" : "Longitude", value[k]->text});
                    }
                    coordinates[k] = *x;
                }
                p.latency =
                    geographic_latency(coordinates[0], coordinates[1], coordinates[2], coordinates[3]);
            }
        }
        const RawValue* bw = nullptr;
        double scale = 1.0;
        const char* bw_name = "";
        if (e.bandwidth_bps.present) {
            bw = &e.bandwidth_bps;
            bw_name = "bandwidth_bps";
        } else if (e.bandwidth_mbit_s.present) {
            bw = &e.bandwidth_mbit_s;
            bw_name = "bandwidth_mbit_s";
            scale = 1e6;
        } else if (e.link_speed_raw.present) {
            bw = &e.link_speed_raw;
            bw_name = "LinkSpeedRaw";
        }
        if (bw != nullptr) {
            const auto x = number(*bw, bw_name);
            if (!x) return std::unexpected(x.error());
            const double bps = *x * scale;
            if (!(bps >= 1.0)) {
                return bad(
                    *bw, bw_name,
                    std::string(bw_name) + " " + bw->text + " is not a positive bandwidth (>= 1 bit/s)");
            }
            if (bps > 1e18) return bad(*bw, bw_name, std::string(bw_name) + " " + bw->text + " is too large");
            p.bandwidth_bps = static_cast<std::uint64_t>(std::llround(bps));
        }
        // The cap applies to every link, whether its bandwidth is the file's or the default.
        if (options.bandwidth_cap_bps != 0) {
            p.bandwidth_bps = p.bandwidth_bps == 0 ? options.bandwidth_cap_bps
                                                   : std::min(p.bandwidth_bps, options.bandwidth_cap_bps);
        }
        edges.push_back({static_cast<NodeId>(e.a), static_cast<NodeId>(e.b), p});
    }
    Topology t = Topology::from_edges(n, edges);
    std::vector<std::string> names(n);
    bool any = false;
    for (std::size_t v = 0; v < n; ++v) {
        names[v] = !g.nodes[v].label.empty() ? g.nodes[v].label : g.nodes[v].id;
        any = any || !names[v].empty();
    }
    if (any) t.set_node_names(std::move(names));
    return t;
}

std::optional<InputError> check_options(const std::string& file, const ImportOptions& options) {
    if (options.default_link.latency < Duration::zero()) {
        return InputError{InputErrorKind::kBadValue, file, 0, 0,
                          "ImportOptions.default_link.latency " +
                              std::to_string(options.default_link.latency.nanos()) + " ns is negative"};
    }
    return std::nullopt;
}

}  // namespace detail

using detail::error_at;

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

std::expected<Topology, InputError> load_topology(const std::string& path, const ImportOptions& options) {
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::optional<bool> graphml;
    if (ext == "graphml" || ext == "xml") graphml = true;
    if (ext == "dot" || ext == "gv") graphml = false;
    if (!graphml) {
        return std::unexpected(InputError{InputErrorKind::kBadValue, path, 0, 0,
                                          "unknown topology format (expected .graphml, .xml, .dot or .gv)"});
    }
    // The same reading rule as every text input (sim/input/text_file.hpp): a file, not a
    // directory, at most kMaxTextFileBytes (an endless /dev/zero or FIFO stops there).
    const auto text = input::read_input_file(path, input::kMaxTextFileBytes);
    if (!text) return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, 0, text.error()});
    // UTF-8 with no control character but tab, LF and CR (GraphML: XML 1.0 §2.2 Char; DOT:
    // the same rule), checked before parsing: node names and ids go to the results' UTF-8
    // `nodes.name` column (docs/metrics.md) and rapidxml and Boost's DOT parser take any byte.
    if (const auto bad = input::find_bad_text(*text, true, *graphml ? "GraphML" : "DOT")) {
        return std::unexpected(error_at(InputErrorKind::kSyntax, path, *text, bad->offset, bad->message));
    }
    return *graphml ? parse_graphml(*text, path, options) : parse_graphviz(*text, path, options);
}

}  // namespace cl::sim::net
