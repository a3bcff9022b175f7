// `--set` overrides (overrides.hpp): the path syntax, positions inside a value, and the
// edit of the tree.
#include "sim/scenario/overrides.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"

namespace cl::sim::scenario {

std::expected<Override, std::string> parse_override(std::string_view arg) {
    const auto eq = arg.find('=');
    if (eq == std::string_view::npos) {
        return std::unexpected("expected key=value after --set, got " + detail::quote(arg));
    }
    return Override{std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

namespace detail {
namespace {

struct PathSegment {
    bool is_index = false;
    std::string key;
    std::size_t index = 0;
    std::size_t column = 1;  // in the override text
};

std::optional<std::vector<PathSegment>> parse_path(std::string_view path, std::string& error,
                                                   std::size_t& column) {
    std::vector<PathSegment> segs;
    std::size_t i = 0;
    auto fail = [&](std::string message) -> std::optional<std::vector<PathSegment>> {
        error = std::move(message);
        column = i + 1;
        return std::nullopt;
    };
    if (path.empty()) return fail("missing key before '=' (write --set key=value, e.g. --set duration=2h)");
    bool expect_name = true;
    while (i < path.size()) {
        if (expect_name) {
            const std::size_t start = i;
            while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
            const std::string_view name = path.substr(start, i - start);
            if (!is_name(name)) {
                i = start;
                return fail("expected a key name at column " + std::to_string(start + 1) + " of '" +
                            std::string(path) + "' (keys are joined by '.', list items are [N])");
            }
            segs.push_back(PathSegment{false, std::string(name), 0, start + 1});
            expect_name = false;
            continue;
        }
        if (path[i] == '.') {
            ++i;
            expect_name = true;
            if (i == path.size()) return fail("the key ends with '.'");
            continue;
        }
        // '['
        const std::size_t start = i;
        ++i;
        std::size_t value = 0;
        const std::size_t digits_start = i;
        while (i < path.size() && path[i] >= '0' && path[i] <= '9' && i - digits_start < 9) {
            value = value * 10 + static_cast<std::size_t>(path[i] - '0');
            ++i;
        }
        if (i == digits_start || i >= path.size() || path[i] != ']') {
            i = start;
            return fail("expected [N] with a list index N in " + quote(path));
        }
        ++i;
        segs.push_back(PathSegment{true, {}, value, start + 1});
    }
    return segs;
}

std::string segments_key(const std::vector<PathSegment>& segs, std::size_t upto) {
    std::string key;
    for (std::size_t i = 0; i < upto && i < segs.size(); ++i) {
        if (segs[i].is_index) {
            // Appended piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) on "[" + std::string.
            key += '[';
            key += std::to_string(segs[i].index);
            key += ']';
        } else {
            if (!key.empty()) key += ".";
            key += segs[i].key;
        }
    }
    return key;
}

// An override is one command-line argument: every position inside its value is reported
// on the override's line, at the column in `path=value` (counting a newline inside the
// value as one character). parse_yaml numbers the value's lines on from the override's
// line (its line l at index + l, columns offset on line 1 only); this maps that back.
class SetValuePositions {
  public:
    SetValuePositions(std::size_t index, std::size_t value_column, std::string_view value)
        : index_(index), value_column_(value_column) {
        line_starts_.push_back(0);
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (value[i] == '\n') line_starts_.push_back(i + 1);
        }
    }
    Pos map(const Pos& p) const {
        const std::size_t l = p.line > index_ ? p.line - index_ : 1;  // the value's line, 1-based
        if (l <= 1) return Pos{Source::kSet, index_ + 1, p.column};
        const std::size_t start = line_starts_[std::min(l, line_starts_.size()) - 1];
        return Pos{Source::kSet, index_ + 1, value_column_ + start + p.column - 1};
    }
    void map_tree(Node& n) const {
        n.pos = map(n.pos);
        for (Node& item : n.items) map_tree(item);
        for (Entry& e : n.entries) {
            e.key_pos = map(e.key_pos);
            map_tree(e.value);
        }
    }

  private:
    std::size_t index_;
    std::size_t value_column_;
    std::vector<std::size_t> line_starts_;  // offset of each line of the value
};

// "the anchor &q (line 3), which the alias at line 7 copies" for an aliased anchored node.
std::string describe_anchor(const Node& n) {
    return "the anchor " + (n.anchor_name.empty() ? std::string() : "&" + n.anchor_name + " ") + "(line " +
           std::to_string(n.pos.line) + "), which the alias at line " + std::to_string(n.first_alias->line) +
           " copies";
}
}  // namespace

// Applies one --set to the tree, as if the value had been written in the file at `path`.
// Refused (an error naming the key) where that cannot be done by editing one place: an
// `x-` key (ignored by the schema; what its aliases copied was copied when the file was
// read), and a path through or to a node with a YAML anchor that an alias copies (the
// copies would not see the change).
void apply_override(Checker& c, Node& root, const Override& o, std::size_t index) {
    const std::size_t line = index + 1;
    auto at = [&](std::size_t column) { return Pos{Source::kSet, line, column}; };
    std::string error;
    std::size_t column = 1;
    const auto segs = parse_path(o.path, error, column);
    if (!segs) {
        c.error(at(column), o.path, error);
        return;
    }
    if (const PathSegment& first = segs->front(); !first.is_index && first.key.starts_with("x-")) {
        const Entry* e = root.find(first.key);
        const bool aliased = e != nullptr && e->value.first_alias.has_value();
        c.error(at(first.column), o.path,
                "cannot set an x- key: the scenario ignores x- keys (a home for YAML anchors)" +
                    (aliased ? "; it holds " + describe_anchor(e->value) + " as it was when the file was read"
                             : std::string()) +
                    ": set the values where they are used, or edit the file");
        return;
    }
    const std::size_t value_column = o.path.size() + 2;  // after `path=`
    const SetValuePositions positions(index, value_column, o.value);
    std::vector<ParseError> perr;
    auto value = parse_yaml(o.value, Source::kSet, index, value_column - 1, perr);
    for (const auto& e : perr) {
        c.error(positions.map(e.pos), o.path, "in the value of --set " + o.path + ": " + e.message);
    }
    if (!value) return;
    positions.map_tree(*value);
    if (value->is_null() && o.value.empty()) value->pos = at(value_column);

    Node* cur = &root;
    for (std::size_t s = 0; s < segs->size(); ++s) {
        const PathSegment& seg = (*segs)[s];
        const bool last = s + 1 == segs->size();
        if (!seg.is_index) {
            if (cur->is_null()) {
                cur->kind = Node::Kind::kMap;
                cur->pos = at(seg.column);
            }
            if (!cur->is_map()) {
                c.error(at(seg.column), segments_key(*segs, s + 1),
                        "cannot set '" + seg.key + "': " +
                            (s == 0 ? std::string("the scenario") : "'" + segments_key(*segs, s) + "'") +
                            " is " + describe(*cur) + ", not a mapping");
                return;
            }
            Entry* e = cur->find(seg.key);
            if (e == nullptr) {
                cur->entries.push_back(Entry{seg.key, at(seg.column), Node{}});
                e = &cur->entries.back();
                e->value.pos = at(seg.column);
            }
            cur = &e->value;
        } else {
            if (cur->is_null() && seg.index == 0) {
                cur->kind = Node::Kind::kSequence;
                cur->pos = at(seg.column);
            }
            if (!cur->is_sequence()) {
                c.error(at(seg.column), segments_key(*segs, s + 1),
                        "cannot index '" + segments_key(*segs, s) + "': it is " + describe(*cur) +
                            ", not a list");
                return;
            }
            if (seg.index > cur->items.size()) {
                c.error(at(seg.column), segments_key(*segs, s + 1),
                        "index " + std::to_string(seg.index) + " is out of range: the list has " +
                            std::to_string(cur->items.size()) +
                            " items (an index equal to the size appends)");
                return;
            }
            if (seg.index == cur->items.size()) {
                cur->items.emplace_back();
                cur->items.back().pos = at(seg.column);
            }
            cur = &cur->items[seg.index];
        }
        if (cur->first_alias) {
            const std::string prefix = segments_key(*segs, s + 1);
            c.error(at(seg.column), o.path,
                    "cannot set: " + (last ? std::string("it") : "'" + prefix + "'") + " holds " +
                        describe_anchor(*cur) + ", and --set would change this place only, not the copy: " +
                        "set the values where they are used, or edit the file");
            return;
        }
        if (last) *cur = std::move(*value);
    }
}

// The same for a --set value (the path is checked by parse_path): its position is the
// override's, as parse_yaml would give it.
bool check_override_text(Checker& c, const Override& o, std::size_t index) {
    const std::size_t value_column = o.path.size() + 2;  // after `path=`
    if (o.value.size() > kMaxInputBytes) {
        c.error(Pos{Source::kSet, index + 1, value_column}, o.path,
                "the value is larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB");
        return false;
    }
    if (const auto bad = find_bad_text(o.value)) {
        c.error(Pos{Source::kSet, index + bad->line,
                    bad->line == 1 ? value_column + bad->column - 1 : bad->column},
                o.path, "in the value of --set " + o.path + ": " + bad->message);
        return false;
    }
    return true;
}

}  // namespace detail
}  // namespace cl::sim::scenario
