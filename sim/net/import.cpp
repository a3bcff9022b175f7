#include "sim/net/import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <fstream>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_tree/detail/rapidxml.hpp>

#include "sim/kernel/distributions.hpp"

namespace cl::sim::net {
namespace {

constexpr std::size_t kNoOffset = std::string_view::npos;

// ---------------------------------------------------------------------------------------
// Positions and numbers

// 1-based line and column of a byte offset; the column counts UTF-8 code points (bytes
// that are not continuation bytes), a tab counts as one.
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

// A number written in full: optional surrounding whitespace, an optional sign, then
// what std::from_chars accepts (decimal, exponent, inf, nan), nothing else.
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

// ---------------------------------------------------------------------------------------
// The format-independent part: attribute texts (with where they start in the file, when
// known) turned into checked link parameters.

struct RawValue {
    std::string text;
    std::size_t offset = kNoOffset;  // where the value starts in the file
    bool present = false;
};

struct RawNode {
    std::string id;
    std::string label;
    RawValue latitude, longitude;
};

struct RawEdge {
    std::size_t a = 0, b = 0;
    std::size_t offset = kNoOffset;  // the edge element
    RawValue latency_ms, latency, bandwidth_bps, bandwidth_mbit_s, link_speed_raw;
};

struct RawGraph {
    std::vector<RawNode> nodes;
    std::vector<RawEdge> edges;
};

std::expected<Topology, InputError> build(const RawGraph& g, std::string_view text, const std::string& file,
                                          const ImportOptions& options) {
    const std::size_t n = g.nodes.size();
    std::vector<Edge> edges;
    edges.reserve(g.edges.size());
    for (const RawEdge& e : g.edges) {
        if (e.a == e.b) continue;  // self-loops carry no traffic
        auto bad = [&](const RawValue& v, const std::string& rule) {
            std::string message = "edge '";
            message += g.nodes[e.a].id;
            message += "' -- '";
            message += g.nodes[e.b].id;
            message += "': ";
            message += rule;
            return std::unexpected(error_at(InputErrorKind::kBadValue, file, text,
                                            v.offset != kNoOffset ? v.offset : e.offset, std::move(message)));
        };
        auto number = [&](const RawValue& v, const char* name) -> std::expected<double, InputError> {
            const auto x = parse_number(v.text);
            if (!x || !std::isfinite(*x))
                return bad(v, std::string(name) + " '" + v.text + "' is not a number");
            return *x;
        };
        LinkParams p = options.default_link;
        const RawValue& ms_value = e.latency_ms.present ? e.latency_ms : e.latency;
        const char* ms_name = e.latency_ms.present ? "latency_ms" : "latency";
        if (ms_value.present) {
            const auto ms = number(ms_value, ms_name);
            if (!ms) return std::unexpected(ms.error());
            if (*ms < 0) return bad(ms_value, std::string(ms_name) + " " + ms_value.text + " ms is negative");
            if (*ms > 1e12)
                return bad(ms_value, std::string(ms_name) + " " + ms_value.text + " ms is too large");
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
                        return std::unexpected(
                            error_at(InputErrorKind::kBadValue, file, text, value[k]->offset,
                                     "node '" + owner[k]->id + "': " + (lat ? "Latitude" : "Longitude") +
                                         " '" + value[k]->text + "' is not a number of degrees in [-" +
                                         (lat ? "90" : "360") + ", " + (lat ? "90" : "360") + "]"));
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
                    *bw, std::string(bw_name) + " " + bw->text + " is not a positive bandwidth (>= 1 bit/s)");
            }
            if (bps > 1e18) return bad(*bw, std::string(bw_name) + " " + bw->text + " is too large");
            p.bandwidth_bps = static_cast<std::uint64_t>(std::llround(bps));
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

// ---------------------------------------------------------------------------------------
// GraphML, read with rapidxml (the XML parser inside Boost.PropertyTree, which
// Boost.Graph's own read_graphml uses) in non-destructive mode: names and values point
// into the text, so every error has an exact line and column. Boost's read_graphml is
// not used because it reports lines only and accepts edges to undeclared nodes (it
// invents them) and duplicate node ids.

namespace rx = boost::property_tree::detail::rapidxml;
using XmlNode = rx::xml_node<char>;
using XmlAttribute = rx::xml_attribute<char>;

std::string_view local_name(std::string_view name) {
    const auto colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}
std::string_view name_of(const XmlNode* n) { return local_name({n->name(), n->name_size()}); }

// XML character references and the five predefined entities; anything else is kept.
std::string decode_xml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto semi = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
        if (semi == std::string_view::npos) {
            out += s[i];
            continue;
        }
        const std::string_view ref = s.substr(i + 1, semi - i - 1);
        static constexpr std::pair<std::string_view, char> kNamed[] = {
            {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
        bool done = false;
        for (const auto& [name, c] : kNamed) {
            if (ref == name) {
                out += c;
                done = true;
            }
        }
        if (!done && ref.size() >= 2 && ref[0] == '#') {
            const bool hex = ref[1] == 'x' || ref[1] == 'X';
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            std::uint32_t cp = 0;
            const auto [end, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
            if (ec == std::errc() && end == digits.data() + digits.size() && cp > 0 && cp <= 0x10FFFF) {
                if (cp < 0x80) {
                    out += static_cast<char>(cp);
                } else if (cp < 0x800) {
                    out += static_cast<char>(0xC0 | (cp >> 6));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    out += static_cast<char>(0xE0 | (cp >> 12));
                    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                } else {
                    out += static_cast<char>(0xF0 | (cp >> 18));
                    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                }
                done = true;
            }
        }
        if (done) {
            i = semi;
        } else {
            out += s[i];
        }
    }
    return out;
}

class GraphmlReader {
  public:
    GraphmlReader(std::string_view text, const std::string& file) : file_(file), buffer_(text) {}

    std::expected<RawGraph, InputError> read() {
        auto doc = std::make_unique<rx::xml_document<char>>();  // ~64 KiB pool: not on the stack
        try {
            doc->parse<rx::parse_non_destructive | rx::parse_validate_closing_tags>(buffer_.data());
        } catch (const rx::parse_error& e) {
            return std::unexpected(
                error(InputErrorKind::kSyntax, e.where<char>(), std::string("malformed XML: ") + e.what()));
        }
        const XmlNode* root = nullptr;
        for (const XmlNode* n = doc->first_node(); n != nullptr; n = n->next_sibling()) {
            if (n->type() == rx::node_element) {
                if (root != nullptr)
                    return std::unexpected(error(InputErrorKind::kSyntax, n, "a second root element"));
                root = n;
            }
        }
        if (root == nullptr || name_of(root) != "graphml") {
            return std::unexpected(error(InputErrorKind::kSyntax, root, "expected a <graphml> root element"));
        }
        const XmlNode* graph = nullptr;
        for (const XmlNode* n = root->first_node(); n != nullptr; n = n->next_sibling()) {
            if (n->type() != rx::node_element) continue;
            if (name_of(n) == "key") {
                if (auto ok = read_key(n); !ok) return std::unexpected(ok.error());
            } else if (name_of(n) == "graph") {
                if (graph != nullptr) {
                    return std::unexpected(
                        error(InputErrorKind::kBadValue, n, "only one <graph> per file is supported"));
                }
                graph = n;
            }
        }
        if (graph == nullptr) {
            return std::unexpected(error(InputErrorKind::kMissingField, root, "no <graph> element"));
        }
        return read_graph(graph);
    }

  private:
    struct Key {
        std::string name;  // attr.name (or the id when it has none)
        RawValue default_value;
    };

    std::size_t offset_of(const char* p) const {
        if (p < buffer_.data() || p > buffer_.data() + buffer_.size()) return kNoOffset;
        return static_cast<std::size_t>(p - buffer_.data());
    }
    InputError error(InputErrorKind kind, const char* where, std::string message) const {
        return error_at(kind, file_, buffer_, offset_of(where), std::move(message));
    }
    // At the element's '<'.
    InputError error(InputErrorKind kind, const XmlNode* element, std::string message) const {
        if (element == nullptr) return error_at(kind, file_, buffer_, 0, std::move(message));
        return error(kind, element->name() - 1, std::move(message));
    }
    InputError error(InputErrorKind kind, const XmlAttribute* a, std::string message) const {
        return error(kind, a->value(), std::move(message));
    }

    // The decoded value of a required attribute, or an error at the element.
    std::expected<std::pair<std::string, const XmlAttribute*>, InputError> attribute(const XmlNode* element,
                                                                                     const char* name) const {
        const XmlAttribute* a = element->first_attribute(name);
        if (a == nullptr) {
            // Appended piecewise: GCC 12's -Wrestrict misfires on `"<" + std::string(...)`.
            std::string message = "<";
            message += name_of(element);
            message += "> needs a '";
            message += name;
            message += "' attribute";
            return std::unexpected(error(InputErrorKind::kMissingField, element, std::move(message)));
        }
        return std::pair{decode_xml({a->value(), a->value_size()}), a};
    }

    // The text content of an element (data and CDATA children), starting at its first
    // non-blank character. `present` is always true: an empty element is an empty value.
    RawValue text_of(const XmlNode* element) const {
        RawValue v;
        v.present = true;
        for (const XmlNode* c = element->first_node(); c != nullptr; c = c->next_sibling()) {
            if (c->type() != rx::node_data && c->type() != rx::node_cdata) continue;
            const std::string_view raw{c->value(), c->value_size()};
            if (v.offset == kNoOffset && offset_of(c->value()) != kNoOffset) {
                const std::size_t lead = std::min(raw.find_first_not_of(" \t\r\n"), raw.size());
                v.offset = offset_of(c->value()) + lead;
            }
            v.text += c->type() == rx::node_data ? decode_xml(raw) : std::string(raw);
        }
        if (v.offset == kNoOffset) v.offset = offset_of(element->name() - 1);
        const auto first = v.text.find_first_not_of(" \t\r\n");
        const auto last = v.text.find_last_not_of(" \t\r\n");
        v.text = first == std::string::npos ? std::string() : v.text.substr(first, last - first + 1);
        return v;
    }

    std::expected<void, InputError> read_key(const XmlNode* key) {
        auto id = attribute(key, "id");
        if (!id) return std::unexpected(id.error());
        if (keys_.contains(id->first)) {
            return std::unexpected(
                error(InputErrorKind::kBadValue, id->second, "duplicate key id '" + id->first + "'"));
        }
        Key k;
        const XmlAttribute* name = key->first_attribute("attr.name");
        k.name = name != nullptr ? decode_xml({name->value(), name->value_size()}) : id->first;
        for (const XmlNode* c = key->first_node(); c != nullptr; c = c->next_sibling()) {
            if (c->type() == rx::node_element && name_of(c) == "default") k.default_value = text_of(c);
        }
        keys_.emplace(id->first, std::move(k));
        return {};
    }

    // Calls set(attr.name, value) for each <data> child, then for each key default the
    // element did not set.
    template <class Set>
    std::expected<void, InputError> read_data(const XmlNode* element, Set set) {
        std::vector<const Key*> seen;
        for (const XmlNode* c = element->first_node(); c != nullptr; c = c->next_sibling()) {
            if (c->type() != rx::node_element) continue;
            if (name_of(c) == "graph") {
                return std::unexpected(
                    error(InputErrorKind::kBadValue, c, "nested graphs are not supported"));
            }
            if (name_of(c) != "data") continue;
            auto key = attribute(c, "key");
            if (!key) return std::unexpected(key.error());
            const auto it = keys_.find(key->first);
            if (it == keys_.end()) {
                return std::unexpected(error(InputErrorKind::kBadValue, key->second,
                                             "no <key> declares id '" + key->first + "'"));
            }
            seen.push_back(&it->second);
            set(it->second.name, text_of(c));
        }
        for (const auto& [id, key] : ordered_keys()) {
            if (key->default_value.present && std::find(seen.begin(), seen.end(), key) == seen.end())
                set(key->name, key->default_value);
        }
        return {};
    }

    // Keys in id order, so that defaults are applied in an order that does not depend on
    // the hash map.
    std::vector<std::pair<std::string_view, const Key*>> ordered_keys() const {
        std::vector<std::pair<std::string_view, const Key*>> out;
        for (const auto& [id, key] : keys_) out.emplace_back(id, &key);
        std::sort(out.begin(), out.end());
        return out;
    }

    std::expected<RawGraph, InputError> read_graph(const XmlNode* graph) {
        RawGraph g;
        std::unordered_map<std::string, std::pair<std::size_t, const XmlAttribute*>> index;
        // Nodes first: GraphML lets an edge precede the nodes it names.
        for (const XmlNode* n = graph->first_node(); n != nullptr; n = n->next_sibling()) {
            if (n->type() != rx::node_element) continue;
            if (name_of(n) == "hyperedge") {
                return std::unexpected(error(InputErrorKind::kBadValue, n, "hyperedges are not supported"));
            }
            if (name_of(n) != "node") continue;
            auto id = attribute(n, "id");
            if (!id) return std::unexpected(id.error());
            const auto [it, fresh] = index.try_emplace(id->first, g.nodes.size(), id->second);
            if (!fresh) {
                const auto [line, column] = line_column(buffer_, offset_of(it->second.second->value()));
                return std::unexpected(error(InputErrorKind::kBadValue, id->second,
                                             "duplicate node id '" + id->first +
                                                 "' (first declared at line " + std::to_string(line) +
                                                 ", column " + std::to_string(column) + ")"));
            }
            if (g.nodes.size() >= 0xffffffffU) {
                return std::unexpected(error(InputErrorKind::kBadValue, n, "too many nodes"));
            }
            RawNode node;
            node.id = id->first;
            auto ok = read_data(n, [&node](const std::string& name, const RawValue& v) {
                if (name == "label") node.label = v.text;
                if (name == "Latitude") node.latitude = v;
                if (name == "Longitude") node.longitude = v;
            });
            if (!ok) return std::unexpected(ok.error());
            g.nodes.push_back(std::move(node));
        }
        for (const XmlNode* e = graph->first_node(); e != nullptr; e = e->next_sibling()) {
            if (e->type() != rx::node_element || name_of(e) != "edge") continue;
            RawEdge edge;
            edge.offset = offset_of(e->name() - 1);
            for (const char* end : {"source", "target"}) {
                auto id = attribute(e, end);
                if (!id) return std::unexpected(id.error());
                const auto it = index.find(id->first);
                if (it == index.end()) {
                    return std::unexpected(
                        error(InputErrorKind::kBadValue, id->second,
                              std::string("edge ") + end + " '" + id->first + "' is not a declared node"));
                }
                (end[0] == 's' ? edge.a : edge.b) = it->second.first;
            }
            auto ok = read_data(e, [&edge](const std::string& name, const RawValue& v) {
                if (name == "latency_ms") edge.latency_ms = v;
                if (name == "latency") edge.latency = v;
                if (name == "bandwidth_bps") edge.bandwidth_bps = v;
                if (name == "bandwidth_mbit_s") edge.bandwidth_mbit_s = v;
                if (name == "LinkSpeedRaw") edge.link_speed_raw = v;
            });
            if (!ok) return std::unexpected(ok.error());
            g.edges.push_back(std::move(edge));
        }
        return g;
    }

    const std::string& file_;
    std::string buffer_;  // NUL-terminated copy that rapidxml reads in place (and never writes)
    std::unordered_map<std::string, Key> keys_;
};

// ---------------------------------------------------------------------------------------
// DOT, read with Boost.Graph's read_graphviz. Attribute values are read as strings and
// checked by build(), so a bad value gets a message naming the edge and attribute.

struct DotVertex {
    std::string name, label, latitude, longitude;
};
struct DotEdge {
    std::string latency_ms, latency, bandwidth_bps, bandwidth_mbit_s, link_speed_raw;
};

template <class Graph>
boost::dynamic_properties dot_properties(Graph& g) {
    boost::dynamic_properties dp(boost::ignore_other_properties);
    dp.property("node_id", boost::get(&DotVertex::name, g));
    dp.property("label", boost::get(&DotVertex::label, g));
    dp.property("Latitude", boost::get(&DotVertex::latitude, g));
    dp.property("Longitude", boost::get(&DotVertex::longitude, g));
    dp.property("latency_ms", boost::get(&DotEdge::latency_ms, g));
    dp.property("latency", boost::get(&DotEdge::latency, g));
    dp.property("bandwidth_bps", boost::get(&DotEdge::bandwidth_bps, g));
    dp.property("bandwidth_mbit_s", boost::get(&DotEdge::bandwidth_mbit_s, g));
    dp.property("LinkSpeedRaw", boost::get(&DotEdge::link_speed_raw, g));
    return dp;
}

RawValue dot_value(const std::string& s) { return RawValue{s, kNoOffset, !s.empty()}; }

template <class Graph>
RawGraph raw_from_dot(const Graph& g) {
    RawGraph raw;
    const std::size_t n = boost::num_vertices(g);
    raw.nodes.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
        const DotVertex& p = g[boost::vertex(v, g)];
        raw.nodes[v] = RawNode{p.name, p.label, dot_value(p.latitude), dot_value(p.longitude)};
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const DotEdge& p = g[*it];
        raw.edges.push_back(RawEdge{boost::source(*it, g), boost::target(*it, g), kNoOffset,
                                    dot_value(p.latency_ms), dot_value(p.latency), dot_value(p.bandwidth_bps),
                                    dot_value(p.bandwidth_mbit_s), dot_value(p.link_speed_raw)});
    }
    return raw;
}

using DotUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, DotVertex, DotEdge>;
using DotDirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DotVertex, DotEdge>;

// One parse attempt: the topology or an error without a position.
std::expected<Topology, InputError> attempt_dot(const std::string& text, const std::string& file,
                                                const ImportOptions& options) {
    const auto syntax = [&](std::string message) {
        return std::unexpected(InputError{InputErrorKind::kSyntax, file, 0, 0, std::move(message)});
    };
    auto read = [&]<class Graph>(Graph& g) -> std::expected<Topology, InputError> {
        boost::dynamic_properties dp = dot_properties(g);
        if (!boost::read_graphviz(text, g, dp, "node_id")) return syntax("invalid DOT");
        return build(raw_from_dot(g), text, file, options);
    };
    try {
        try {
            DotUndirected g;
            return read(g);
        } catch (const boost::directed_graph_error&) {
            DotDirected g;
            return read(g);
        }
    } catch (const std::exception& e) {
        return syntax(e.what());
    } catch (...) {
        return syntax("unknown parse error");
    }
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

// Boost's DOT parser reports neither line nor column. The line is recovered as the first
// line L such that the text through line L (with open braces closed, so that attribute
// values, which DOT applies after the whole graph parsed, are checked too) fails with
// the same error as the whole text: the parser stops at the first error, so a prefix
// that ends before the bad line fails differently (at its end) or not at all.
// O(log lines) parses. A heuristic: two errors with identical messages report the first.
// No column: the tokens that would carry one never leave the parser.
std::size_t locate_dot_line(const std::string& text, const InputError& whole, const std::string& file,
                            const ImportOptions& options) {
    std::vector<std::size_t> line_end;  // prefix length through line i+1
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') line_end.push_back(i + 1);
    }
    if (line_end.empty() || line_end.back() != text.size()) line_end.push_back(text.size());
    std::size_t lo = 1, hi = line_end.size();  // answer in [lo, hi]
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        std::string prefix = text.substr(0, line_end[mid - 1]);
        prefix += '\n';
        prefix.append(open_braces(prefix), '}');
        const auto a = attempt_dot(prefix, file, options);
        if (!a && a.error().kind == whole.kind && a.error().message == whole.message)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

std::optional<InputError> check_options(const std::string& file, const ImportOptions& options) {
    if (options.default_link.latency < Duration::zero()) {
        return InputError{InputErrorKind::kBadValue, file, 0, 0,
                          "ImportOptions.default_link.latency " +
                              std::to_string(options.default_link.latency.nanos()) + " ns is negative"};
    }
    return std::nullopt;
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
    if (auto bad = check_options(file, options)) return std::unexpected(std::move(*bad));
    try {
        GraphmlReader reader(text, file);
        auto raw = reader.read();
        if (!raw) return std::unexpected(raw.error());
        return build(*raw, text, file, options);
    } catch (const std::exception& e) {  // allocation failure inside the XML parser
        return std::unexpected(InputError{InputErrorKind::kSyntax, file, 0, 0, e.what()});
    }
}

std::expected<Topology, InputError> parse_graphviz(std::string_view view, const std::string& file,
                                                   const ImportOptions& options) {
    if (auto bad = check_options(file, options)) return std::unexpected(std::move(*bad));
    const std::string text(view);
    auto t = attempt_dot(text, file, options);
    if (t) return t;
    InputError e = t.error();
    e.line = locate_dot_line(text, e, file, options);
    return std::unexpected(std::move(e));
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
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, 0, "cannot open file"});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return std::unexpected(InputError{InputErrorKind::kCannotOpen, path, 0, 0, "cannot read file"});
    return *graphml ? parse_graphml(buffer.str(), path, options)
                    : parse_graphviz(buffer.str(), path, options);
}

}  // namespace cl::sim::net
