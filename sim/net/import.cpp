#include "sim/net/import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_tree/detail/rapidxml.hpp>

#include "sim/input/text_file.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/net/dot_lexer.hpp"

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

// A bad attribute value: the error, and the attribute's name and value as written (so
// that a reader without positions, DOT, can find where the value is written).
struct BuildError {
    InputError error;
    std::string attribute;
    std::string value;
};

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

// Boost numbers vertices in the order of its std::map of node names (alphabetical). The
// topology numbers them in the order the text first mentions them (`order`, from
// dot::nodes_in_order), as GraphML nodes are in document order; a name the scan did not
// see (none should be) follows, in Boost's order.
template <class Graph>
RawGraph raw_from_dot(const Graph& g, const std::vector<std::string>& order) {
    RawGraph raw;
    const std::size_t n = boost::num_vertices(g);
    std::unordered_map<std::string_view, std::size_t> rank;  // lookups only
    for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i);
    std::vector<std::pair<std::size_t, std::size_t>> keyed(n);  // (rank, Boost's index)
    for (std::size_t v = 0; v < n; ++v) {
        const auto it = rank.find(g[boost::vertex(v, g)].name);
        keyed[v] = {it != rank.end() ? it->second : order.size() + v, v};
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> index(n);
    for (std::size_t i = 0; i < n; ++i) index[keyed[i].second] = i;
    raw.nodes.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
        const DotVertex& p = g[boost::vertex(v, g)];
        raw.nodes[index[v]] = RawNode{p.name, p.label, dot_value(p.latitude), dot_value(p.longitude)};
    }
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
        const DotEdge& p = g[*it];
        raw.edges.push_back(RawEdge{index[boost::source(*it, g)], index[boost::target(*it, g)], kNoOffset,
                                    dot_value(p.latency_ms), dot_value(p.latency), dot_value(p.bandwidth_bps),
                                    dot_value(p.bandwidth_mbit_s), dot_value(p.link_speed_raw)});
    }
    return raw;
}

using DotUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, DotVertex, DotEdge>;
using DotDirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DotVertex, DotEdge>;

// One parse attempt: the topology or an error without a position.
std::expected<Topology, BuildError> attempt_dot(const std::string& text, const std::string& file,
                                                const ImportOptions& options,
                                                const std::vector<std::string>& order) {
    const auto syntax = [&](std::string message) {
        return std::unexpected(
            BuildError{InputError{InputErrorKind::kSyntax, file, 0, 0, std::move(message)}, "", ""});
    };
    auto read = [&]<class Graph>(Graph& g) -> std::expected<Topology, BuildError> {
        boost::dynamic_properties dp = dot_properties(g);
        if (!boost::read_graphviz(text, g, dp, "node_id")) return syntax("invalid DOT");
        return build(raw_from_dot(g, order), text, file, options);
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

bool same_error(const std::expected<Topology, BuildError>& a, const InputError& b) {
    return !a && a.error().error.kind == b.kind && a.error().error.message == b.message;
}

// Whether a prefix of a valid graph that ends after tokens[k] (closed by the braces it
// leaves open) is a valid graph too: k is inside the graph's braces, outside [ ] and the
// parentheses of a port, and neither k nor the token after it is halfway through a
// statement (an attribute assignment, an edge chain, a port, a string concatenation).
bool statement_end(const std::vector<dot::Token>& tokens, std::size_t k, int brackets, int parens) {
    using dot::TokenType;
    if (brackets != 0 || parens != 0) return false;
    const TokenType t = tokens[k].type;
    if (t == TokenType::kEqual || t == TokenType::kColon || t == TokenType::kAt || t == TokenType::kEdgeOp ||
        t == TokenType::kPlus || t == TokenType::kNode || t == TokenType::kEdge || t == TokenType::kGraph ||
        t == TokenType::kSubgraph || t == TokenType::kDigraph || t == TokenType::kStrict)
        return false;
    if (k + 1 < tokens.size()) {
        const TokenType next = tokens[k + 1].type;
        if (next == TokenType::kLeftBracket || next == TokenType::kEqual || next == TokenType::kColon ||
            next == TokenType::kAt || next == TokenType::kEdgeOp || next == TokenType::kPlus)
            return false;
    }
    return true;
}

// Boost's DOT parser reports neither line nor column; the position of its error is
// recovered here (docs/simulation.md "Topology files"):
//   - at the end of the input (Boost names the token <eof>, or says "at end of input"):
//     the end of the last token;
//   - a lexical error (Boost quotes the character): where dot::lex, a copy of Boost's
//     tokenizer, stops;
//   - a syntax error at a token: the token T such that the text through T fails with the
//     same message and the text through the token before does not (the parser stops at
//     its first error, so a shorter prefix fails at its end, naming <eof>): bisection over
//     the tokens, O(log tokens) parses;
//   - a bad attribute value (found once the graph is built): the same bisection over the
//     prefixes that end a statement (closed by the braces they leave open) finds the
//     statement that makes the value apply; the position is the VALUE of the last
//     `NAME = VALUE` up to there, NAME the attribute and VALUE its text as the error
//     quotes them (else the statement's last token).
// The rules rest on dot::lex reading the text as Boost does; where it would not, the
// position is still one of the text's tokens, but may miss the offending one.
InputError locate_dot_error(const std::string& text, const dot::Lexed& lexed, const BuildError& whole,
                            const std::string& file, const ImportOptions& options) {
    const std::vector<dot::Token>& tokens = lexed.tokens;
    InputError e = whole.error;
    auto at = [&](std::size_t offset) {
        const auto [line, column] = line_column(text, offset);
        e.line = line;
        e.column = column;
        return e;
    };
    const std::string& m = e.message;
    if (e.kind == InputErrorKind::kSyntax) {
        if (m.ends_with("(token is \"<eof> ''\")") || m.ends_with("(at end of input)")) {
            return at(tokens.empty() ? 0 : tokens.back().end);
        }
        if (m.find("(char is '") != std::string::npos && lexed.error != std::string_view::npos) {
            return at(lexed.error);
        }
        if (tokens.empty()) return at(0);
        std::size_t lo = 0, hi = tokens.size() - 1;  // the answer, if any, in [lo, hi]
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (same_error(attempt_dot(text.substr(0, tokens[mid].end), file, options, {}), e))
                hi = mid;
            else
                lo = mid + 1;
        }
        return at(tokens[lo].begin);
    }
    // A bad value: the statements' ends, then bisection.
    std::vector<std::size_t> ends;
    int brackets = 0, parens = 0;
    bool in_graph = false;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const dot::TokenType t = tokens[k].type;
        if (t == dot::TokenType::kLeftBracket) ++brackets;
        if (t == dot::TokenType::kRightBracket) --brackets;
        if (t == dot::TokenType::kLeftParen) ++parens;
        if (t == dot::TokenType::kRightParen) --parens;
        if (in_graph && statement_end(tokens, k, brackets, parens)) ends.push_back(k);
        in_graph = in_graph || t == dot::TokenType::kLeftBrace;
    }
    if (ends.empty()) return at(0);
    auto fails_through = [&](std::size_t k) {
        std::string prefix = text.substr(0, tokens[k].end);
        prefix += '\n';
        prefix.append(dot::open_braces(tokens, k + 1), '}');
        return same_error(attempt_dot(prefix, file, options, {}), e);
    };
    std::size_t lo = 0, hi = ends.size() - 1;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (fails_through(ends[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    const std::size_t last = ends[lo];
    for (std::size_t k = last + 1; k-- > 2;) {
        if (tokens[k].type == dot::TokenType::kIdentifier && tokens[k].value == whole.value &&
            tokens[k - 1].type == dot::TokenType::kEqual && tokens[k - 2].value == whole.attribute &&
            tokens[k - 2].type == dot::TokenType::kIdentifier) {
            return at(tokens[k].begin);
        }
    }
    return at(tokens[last].begin);
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
        auto t = build(*raw, text, file, options);
        if (!t) return std::unexpected(std::move(t.error().error));
        return std::move(*t);
    } catch (const std::exception& e) {  // allocation failure inside the XML parser
        return std::unexpected(InputError{InputErrorKind::kSyntax, file, 0, 0, e.what()});
    }
}

std::expected<Topology, InputError> parse_graphviz(std::string_view view, const std::string& file,
                                                   const ImportOptions& options) {
    if (auto bad = check_options(file, options)) return std::unexpected(std::move(*bad));
    const std::string text(view);
    const dot::Lexed lexed = dot::lex(text);
    auto t = attempt_dot(text, file, options, dot::nodes_in_order(lexed.tokens));
    if (t) return std::move(*t);
    return std::unexpected(locate_dot_error(text, lexed, t.error(), file, options));
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
