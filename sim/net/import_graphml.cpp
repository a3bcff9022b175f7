// The GraphML reader of the topology import (import.hpp).
#include "sim/net/import.hpp"
#include "sim/net/import_detail.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/property_tree/detail/rapidxml.hpp>

namespace cl::sim::net {
namespace {

using namespace detail;

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

}  // namespace

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

}  // namespace cl::sim::net
