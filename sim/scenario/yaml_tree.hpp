// Internal to sim/scenario: a YAML document as a plain tree that remembers where every
// node came from, so that --set overrides can edit it and the schema checker can name
// the file, line and column of any value. yaml-cpp is used only in yaml_tree.cpp.
//
// Differences from yaml-cpp's Node: maps keep their entries in document order and
// duplicate keys are reported (not silently merged); every node and key carries a Pos;
// aliases are expanded (a copy of the anchored node, positioned at the alias); merge
// keys (`<<: *base`) are applied; a scalar remembers whether it was plain or quoted; an
// anchored node that aliases copied is marked (Node::first_alias).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cl::sim::scenario::detail {

enum class Source : std::uint8_t { kFile, kSet };

struct Pos {
    Source source = Source::kFile;
    std::size_t line = 1;    // 1-based
    std::size_t column = 1;  // 1-based
};

struct Entry;

struct Node {
    enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };
    Kind kind = Kind::kNull;
    bool plain = true;  // a scalar written without quotes
    std::string text;   // kScalar
    Pos pos;
    std::vector<Node> items;     // kSequence
    std::vector<Entry> entries;  // kMap, in document order, keys unique
    // A node that carries a YAML anchor (`&name`) used later by an alias or a merge key:
    // the anchor's name and the position of the first use. Set on the anchored node only,
    // not on the copies the aliases made — a --set override must not change it (the change
    // would miss the copies; loader.cpp).
    std::string anchor_name;
    std::optional<Pos> first_alias;
    std::size_t anchor = 0;  // the parser's id of the anchor on this node; 0: none

    bool is_null() const { return kind == Kind::kNull; }
    bool is_scalar() const { return kind == Kind::kScalar; }
    bool is_sequence() const { return kind == Kind::kSequence; }
    bool is_map() const { return kind == Kind::kMap; }
    const Entry* find(std::string_view key) const;
    Entry* find(std::string_view key);
};

struct Entry {
    std::string key;
    Pos key_pos;
    Node value;
};

struct ParseError {
    Pos pos;
    std::string message;
    std::string key;  // dotted path of the offending key or of the enclosing value; "" at the top
};

// Parses one YAML document. Positions are offset: a node at document line l, column c
// gets Pos{source, l + line_offset, (l == 1 ? c + column_offset : c)}. An empty document
// gives a null node. On a syntax error returns nullopt with one error; duplicate keys,
// non-scalar keys and merge keys (`<<`) whose value is not a mapping or a list of
// mappings are reported in `errors` while parsing continues. Every error names the key
// path it concerns (`clouds[0].quotas.small`), as far as the parser got.
std::optional<Node> parse_yaml(std::string_view text, Source source, std::size_t line_offset,
                               std::size_t column_offset, std::vector<ParseError>& errors);

// "a mapping", "a list", "nothing (null)" or the quoted scalar, for messages.
std::string describe(const Node& node);

}  // namespace cl::sim::scenario::detail
