// The scenario schema: every key, its type, unit, range and default (docs/scenarios.md
// is the prose form of this file; keep them in step).
#include "sim/scenario/loader.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <span>
#include <sstream>
#include <utility>

#include "sim/net/generators.hpp"
#include "sim/net/import.hpp"
#include "sim/scenario/embedded.hpp"
#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace cl::sim::scenario {

using detail::Entry;
using detail::excerpt;
using detail::Node;
using detail::Pos;
using detail::quote;
using detail::Source;

// One line whatever the parts hold: control characters are escaped (docs/scenarios.md
// "Checking and errors"; the messages already quote values with detail::quote).
std::string ScenarioError::to_string() const {
    std::string s = detail::escape(file);
    if (line != 0) {
        s += ':';
        s += std::to_string(line);
        if (column != 0) {
            s += ':';
            s += std::to_string(column);
        }
    }
    s += ": ";
    if (!key.empty()) {
        s += detail::escape(key);
        s += ": ";
    }
    s += detail::escape(message);
    return s;
}

std::string_view default_scenario_text() { return detail::embedded_passport_yaml(); }
std::string_view embedded_regions_text() { return detail::embedded_regions_yaml(); }

namespace {

// ---- suggestions ---------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// " (did you mean 'x'?)" for the closest candidate within a few edits, else "".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
    const std::string w = lower(word);
    std::size_t best = std::numeric_limits<std::size_t>::max();
    const std::string* pick = nullptr;
    for (const std::string& c : candidates) {
        const std::size_t d = edit_distance(w, lower(c));
        if (d < best) {
            best = d;
            pick = &c;
        }
    }
    const std::size_t limit = w.size() <= 4 ? 1 : (w.size() <= 8 ? 2 : 3);
    if (pick != nullptr && best <= limit) return " (did you mean '" + *pick + "'?)";
    // A fragment of a longer name (`regular` for `random_regular`).
    if (w.size() >= 4) {
        for (const std::string& c : candidates) {
            if (lower(c).find(w) != std::string::npos) return " (did you mean '" + c + "'?)";
        }
    }
    return "";
}

std::string join(std::span<const std::string> items) {
    std::string s;
    for (const std::string& i : items) {
        if (!s.empty()) s += ", ";
        s += i;
    }
    return s;
}

std::vector<std::string> strings(std::initializer_list<std::string_view> list) {
    std::vector<std::string> v;
    for (std::string_view s : list) v.emplace_back(s);
    return v;
}

bool is_name(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}

// ---- error collection ----------------------------------------------------------------------

class Checker {
  public:
    explicit Checker(std::string file) : file_(std::move(file)) {}

    void error(const Pos& p, std::string key, std::string message) {
        const int rank = p.source == Source::kFile ? 0 : 1;
        add(rank, ScenarioError{p.source == Source::kFile ? file_ : std::string(kSetSource), p.line, p.column,
                                std::move(key), std::move(message)});
    }
    // An error inside another file (a topology or regions file the scenario names).
    void error_in(std::string file, std::size_t line, std::size_t column, std::string key,
                  std::string message) {
        add(2, ScenarioError{std::move(file), line, column, std::move(key), std::move(message)});
    }

    bool has_errors() const { return !errors_.empty(); }
    std::size_t count() const { return errors_.size(); }
    const std::string& file() const { return file_; }

    std::vector<ScenarioError> take_sorted() {
        std::stable_sort(errors_.begin(), errors_.end(), [](const Ranked& a, const Ranked& b) {
            if (a.rank != b.rank) return a.rank < b.rank;
            if (a.rank == 2 && a.error.file != b.error.file) return false;
            if (a.error.line != b.error.line) return a.error.line < b.error.line;
            return a.error.column < b.error.column;
        });
        std::vector<ScenarioError> out;
        out.reserve(errors_.size());
        for (Ranked& r : errors_) out.push_back(std::move(r.error));
        errors_.clear();
        return out;
    }

  private:
    struct Ranked {
        int rank;
        ScenarioError error;
    };
    void add(int rank, ScenarioError e) { errors_.push_back(Ranked{rank, std::move(e)}); }

    std::string file_;
    std::vector<Ranked> errors_;
};

SourcePos source_pos(const Pos& p) { return SourcePos{p.source == Source::kSet, p.line, p.column}; }

// A key of a mapping as the checker sees it: the node (null when absent), its dotted
// path, and where to point when it is absent (the enclosing mapping).
struct Field {
    const Node* node = nullptr;
    std::string key;
    Pos pos;
    explicit operator bool() const { return node != nullptr; }
};

std::string join_key(const std::string& path, std::string_view key) {
    if (path.empty()) return std::string(key);
    return path + "." + std::string(key);
}

std::string index_key(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Reads one mapping: reports unknown keys (against `known`) on construction, a value
// that is not a mapping, and missing required keys on require().
class MapReader {
  public:
    // `extensions`: keys starting with `x-` are allowed and ignored (a home for anchors).
    MapReader(Checker& c, const Field& f, std::vector<std::string> known, std::string what = {},
              bool extensions = false)
        : c_(c), path_(f.key), pos_(f.pos), known_(std::move(known)) {
        if (f.node == nullptr) return;
        pos_ = f.node->pos;
        if (f.node->is_null()) return;
        if (!f.node->is_map()) {
            c_.error(f.node->pos, f.key,
                     "expected a mapping (keys: " + join(known_) + "), got " + detail::describe(*f.node));
            return;
        }
        node_ = f.node;
        for (const Entry& e : node_->entries) {
            if (std::find(known_.begin(), known_.end(), e.key) != known_.end()) continue;
            if (extensions && e.key.starts_with("x-")) continue;
            std::string where = what.empty() ? (path_.empty() ? std::string() : " in " + path_) : " " + what;
            std::string hint = did_you_mean(e.key, known_);
            if (hint.empty()) hint = " (keys: " + join(known_) + ")";
            c_.error(e.key_pos, join_key(path_, e.key), "unknown key " + quote(e.key) + where + hint);
        }
    }

    Field get(std::string_view key) const {
        Field f{nullptr, join_key(path_, key), pos_};
        if (node_ == nullptr) return f;
        if (const Entry* e = node_->find(key)) {
            f.node = &e->value;
            f.pos = e->value.pos;
        }
        return f;
    }

    Field require(std::string_view key) const {
        Field f = get(key);
        if (!f) c_.error(pos_, f.key, "missing required key '" + std::string(key) + "'");
        return f;
    }

    bool present() const { return node_ != nullptr; }
    const Node* node() const { return node_; }
    const std::string& path() const { return path_; }
    Pos pos() const { return pos_; }

  private:
    Checker& c_;
    const Node* node_ = nullptr;
    std::string path_;
    Pos pos_;
    std::vector<std::string> known_;
};

// ---- scalar readers: each reports its own error and returns nullopt --------------------------

const std::string* scalar(Checker& c, const Field& f, std::string_view expected) {
    if (f.node == nullptr) return nullptr;
    if (!f.node->is_scalar()) {
        c.error(f.node->pos, f.key,
                "expected " + std::string(expected) + ", got " + detail::describe(*f.node));
        return nullptr;
    }
    return &f.node->text;
}

std::string range_text(std::uint64_t lo, std::uint64_t hi) {
    if (hi == std::numeric_limits<std::uint64_t>::max()) return "must be >= " + std::to_string(lo);
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
}

std::optional<std::uint64_t> read_uint(Checker& c, const Field& f, std::uint64_t lo = 0,
                                       std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    const std::string* t = scalar(c, f, "an integer");
    if (t == nullptr) return std::nullopt;
    const auto v = parse_unsigned(*t);
    if (!v) {
        c.error(f.node->pos, f.key, v.error() + (lo > 0 ? " (" + range_text(lo, hi) + ")" : ""));
        return std::nullopt;
    }
    if (*v < lo || *v > hi) {
        c.error(f.node->pos, f.key, range_text(lo, hi) + ", got " + excerpt(*t));
        return std::nullopt;
    }
    return *v;
}

template <class T>
void get_uint(Checker& c, const Field& f, T& out, std::uint64_t lo = 0,
              std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    if (const auto v = read_uint(c, f, lo, hi)) out = static_cast<T>(*v);
}

// An integer or `off` (std::nullopt).
void get_uint_or_off(Checker& c, const Field& f, std::optional<std::uint64_t>& out, std::uint64_t lo = 0,
                     std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    if (!f) return;
    if (f.node->is_scalar() && f.node->text == "off") {
        out.reset();
        return;
    }
    if (f.node->is_scalar() && !parse_unsigned(f.node->text) && !f.node->text.starts_with('-')) {
        c.error(f.node->pos, f.key, "expected an integer or off, got " + quote(f.node->text));
        return;
    }
    if (const auto v = read_uint(c, f, lo, hi)) out = *v;
}

void get_bool(Checker& c, const Field& f, bool& out) {
    const std::string* t = scalar(c, f, "true or false");
    if (t == nullptr) return;
    if (*t == "true") {
        out = true;
    } else if (*t == "false") {
        out = false;
    } else {
        c.error(f.node->pos, f.key, "expected true or false, got " + quote(*t));
    }
}

void get_string(Checker& c, const Field& f, std::string& out) {
    const std::string* t = scalar(c, f, "a string");
    if (t == nullptr) return;
    if (t->empty()) {
        c.error(f.node->pos, f.key, "must not be empty");
        return;
    }
    out = *t;
}

// A name used in selectors and --set paths: letters, digits, '_' and '-'.
bool get_name(Checker& c, const Field& f, std::string& out, std::string_view what) {
    const std::string* t = scalar(c, f, "a name");
    if (t == nullptr) return false;
    if (!is_name(*t)) {
        c.error(f.node->pos, f.key,
                std::string(what) + " " + quote(*t) +
                    " may use only letters, digits, '_' and '-' "
                    "(it appears in node selectors and --set paths)");
        return false;
    }
    out = *t;
    return true;
}

template <class E>
struct EnumName {
    std::string_view name;
    E value;
};

template <class E, std::size_t N>
void get_enum(Checker& c, const Field& f, E& out, const std::array<EnumName<E>, N>& table) {
    std::vector<std::string> names;
    for (const auto& e : table) names.emplace_back(e.name);
    const std::string* t = scalar(c, f, "one of " + join(names));
    if (t == nullptr) return;
    for (const auto& e : table) {
        if (e.name == *t) {
            out = e.value;
            return;
        }
    }
    c.error(
        f.node->pos, f.key,
        "unknown value " + quote(*t) + " (expected one of: " + join(names) + ")" + did_you_mean(*t, names));
}

struct DurationRange {
    bool allow_zero = true;
    std::optional<Duration> max;
};

std::optional<Duration> read_duration(Checker& c, const Field& f, DurationRange range = {}) {
    const std::string* t = scalar(c, f, "a duration (e.g. 15s, 500ms, 1h30m)");
    if (t == nullptr) return std::nullopt;
    const auto d = parse_duration(*t);
    if (!d) {
        c.error(f.node->pos, f.key, d.error());
        return std::nullopt;
    }
    if (*d < Duration::zero()) {
        c.error(f.node->pos, f.key, "negative duration " + quote(*t) + ": must be >= 0");
        return std::nullopt;
    }
    if (!range.allow_zero && *d == Duration::zero()) {
        c.error(f.node->pos, f.key, "must be > 0, got " + excerpt(*t));
        return std::nullopt;
    }
    if (range.max && *d > *range.max) {
        c.error(f.node->pos, f.key,
                "must be at most " + format_duration(*range.max) + ", got " + excerpt(*t));
        return std::nullopt;
    }
    return *d;
}

void get_duration(Checker& c, const Field& f, Duration& out, DurationRange range = {}) {
    if (const auto d = read_duration(c, f, range)) out = *d;
}

void get_duration_or_off(Checker& c, const Field& f, std::optional<Duration>& out, DurationRange range = {}) {
    if (!f) return;
    if (f.node->is_scalar() && f.node->text == "off") {
        out.reset();
        return;
    }
    if (const auto d = read_duration(c, f, range)) out = *d;
}

std::optional<double> read_probability(Checker& c, const Field& f) {
    const std::string* t = scalar(c, f, "a probability in [0, 1]");
    if (t == nullptr) return std::nullopt;
    const auto p = parse_probability(*t);
    if (!p) {
        c.error(f.node->pos, f.key, p.error());
        return std::nullopt;
    }
    return *p;
}

void get_probability(Checker& c, const Field& f, double& out) {
    if (const auto p = read_probability(c, f)) out = *p;
}

// A finite number >= lo (> lo when lo_exclusive).
std::optional<double> read_number(Checker& c, const Field& f, double lo, bool lo_exclusive) {
    const std::string* t = scalar(c, f, "a number");
    if (t == nullptr) return std::nullopt;
    const auto v = parse_number(*t);
    if (!v) {
        c.error(f.node->pos, f.key, v.error());
        return std::nullopt;
    }
    if (lo_exclusive ? !(*v > lo) : !(*v >= lo)) {
        std::ostringstream bound;
        bound << lo;
        c.error(
            f.node->pos, f.key,
            std::string("must be ") + (lo_exclusive ? "> " : ">= ") + bound.str() + ", got " + excerpt(*t));
        return std::nullopt;
    }
    return *v;
}

std::optional<Rate> read_rate(Checker& c, const Field& f) {
    const std::string* t = scalar(c, f, "a rate (e.g. 0.5/s, 30/min)");
    if (t == nullptr) return std::nullopt;
    const auto r = parse_rate(*t);
    if (!r) {
        c.error(f.node->pos, f.key, r.error());
        return std::nullopt;
    }
    return *r;
}

// A bandwidth, or `keyword` (unlimited / off) for 0.
std::optional<std::uint64_t> read_bandwidth(Checker& c, const Field& f, std::string_view keyword) {
    const std::string* t = scalar(c, f, "a bandwidth (e.g. 100Mbit/s)");
    if (t == nullptr) return std::nullopt;
    if (*t == keyword) return 0;
    const auto b = parse_bandwidth(*t);
    if (!b) {
        c.error(f.node->pos, f.key, b.error() + " (or " + std::string(keyword) + ")");
        return std::nullopt;
    }
    if (*b == 0) {
        c.error(f.node->pos, f.key, "must be > 0 (write " + std::string(keyword) + " for no limit)");
        return std::nullopt;
    }
    return *b;
}

// A list; null or absent is an empty list.
const std::vector<Node>* list(Checker& c, const Field& f, std::string_view of) {
    static const std::vector<Node> kEmpty;
    if (!f || f.node->is_null()) return &kEmpty;
    if (!f.node->is_sequence()) {
        c.error(f.node->pos, f.key,
                "expected a list of " + std::string(of) + ", got " + detail::describe(*f.node));
        return nullptr;
    }
    return &f.node->items;
}

Field item(const Field& list_field, const std::vector<Node>& items, std::size_t i) {
    return Field{&items[i], index_key(list_field.key, i), items[i].pos};
}

// Reads a mapping whose keys are names from `names` (tiers, regions) into a per-name
// vector; an unknown name is an error with a suggestion. `read` reads one value.
template <class T>
void read_named_map(Checker& c, const Field& f, const std::vector<std::string>& names, std::string_view what,
                    std::vector<T>& out, const std::function<std::optional<T>(const Field&)>& read) {
    if (!f || f.node->is_null()) return;
    if (!f.node->is_map()) {
        c.error(f.node->pos, f.key,
                "expected a mapping of " + std::string(what) + " names to values, got " +
                    detail::describe(*f.node));
        return;
    }
    for (const Entry& e : f.node->entries) {
        const Field vf{&e.value, join_key(f.key, e.key), e.value.pos};
        const auto it = std::find(names.begin(), names.end(), e.key);
        if (it == names.end()) {
            c.error(e.key_pos, vf.key,
                    "unknown " + std::string(what) + " " + quote(e.key) + " (" + std::string(what) +
                        "s: " + join(names) + ")" + did_you_mean(e.key, names));
            continue;
        }
        if (auto v = read(vf)) out[static_cast<std::size_t>(it - names.begin())] = std::move(*v);
    }
}

// ---- --set overrides -----------------------------------------------------------------------

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
    std::vector<detail::ParseError> perr;
    auto value = detail::parse_yaml(o.value, Source::kSet, index, value_column - 1, perr);
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
                            " is " + detail::describe(*cur) + ", not a mapping");
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
                        "cannot index '" + segments_key(*segs, s) + "': it is " + detail::describe(*cur) +
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

// ---- region data ---------------------------------------------------------------------------

struct RegionData {
    std::vector<std::string> datasets;
    std::vector<std::string> names;  // of the chosen dataset; empty when unknown
};

// Dataset names (top-level keys whose value holds a `regions` list) and the regions of
// `dataset`, from a regions YAML text.
RegionData read_region_data(std::string_view text, std::string_view dataset) {
    RegionData out;
    std::vector<detail::ParseError> perr;
    const auto root = detail::parse_yaml(text, Source::kFile, 0, 0, perr);
    if (!root || !root->is_map()) return out;
    for (const Entry& e : root->entries) {
        if (!e.value.is_map()) continue;
        const Entry* regions = e.value.find("regions");
        if (regions == nullptr || !regions->value.is_sequence()) continue;
        out.datasets.push_back(e.key);
        if (e.key != dataset) continue;
        for (const Node& r : regions->value.items) {
            if (r.is_scalar()) out.names.push_back(r.text);
        }
    }
    return out;
}

// A path written in the scenario is relative to the scenario file's directory; one from
// --set, to the working directory.
std::string resolve(const Checker& c, const Field& f, const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path p(path);
    if (p.is_absolute() || f.node == nullptr || f.node->pos.source == Source::kSet) return path;
    const fs::path base = fs::path(c.file()).parent_path();
    if (base.empty()) return path;
    return (base / p).lexically_normal().string();
}

// ---- the schema ----------------------------------------------------------------------------

constexpr std::array<EnumName<TopologyKind>, 8> kTopologyKinds{{
    {"regions", TopologyKind::kRegions},
    {"random_regular", TopologyKind::kRandomRegular},
    {"barabasi_albert", TopologyKind::kBarabasiAlbert},
    {"erdos_renyi", TopologyKind::kErdosRenyi},
    {"watts_strogatz", TopologyKind::kWattsStrogatz},
    {"complete", TopologyKind::kComplete},
    {"ring", TopologyKind::kRing},
    {"file", TopologyKind::kFile},
}};

constexpr std::array<EnumName<net::JitterKind>, 4> kJitterModels{{
    {"none", net::JitterKind::kNone},
    {"uniform", net::JitterKind::kUniform},
    {"exponential", net::JitterKind::kExponential},
    {"pareto", net::JitterKind::kPareto},
}};

constexpr std::array<EnumName<clique::ForkChoiceRule>, 3> kForkChoices{{
    {"eip3436", clique::ForkChoiceRule::kEip3436},
    {"eip225", clique::ForkChoiceRule::kEip225Geth},
    {"td-first-seen", clique::ForkChoiceRule::kTdFirstSeen},
}};

// Client presets (docs/scenarios.md "Clients", docs/clique.md "Client presets"): the
// fork-choice rule each client's Clique implementation applies.
constexpr std::array<EnumName<clique::ForkChoiceRule>, 4> kClients{{
    {"geth", clique::ForkChoiceRule::kEip225Geth},
    {"besu", clique::ForkChoiceRule::kEip3436},
    {"nethermind", clique::ForkChoiceRule::kTdFirstSeen},
    {"openethereum", clique::ForkChoiceRule::kTdFirstSeen},
}};

constexpr std::array<EnumName<clique::Rule3Direction>, 2> kRule3{{
    {"smallest", clique::Rule3Direction::kSmallest},
    {"largest", clique::Rule3Direction::kLargest},
}};

constexpr std::array<EnumName<clique::OutOfTurnDelay>, 3> kOutOfTurn{{
    {"geth", clique::OutOfTurnDelay::kGeth},
    {"eip225", clique::OutOfTurnDelay::kEip225},
    {"besu", clique::OutOfTurnDelay::kBesu},
}};

constexpr std::array<EnumName<state::TtlKind>, 4> kTtlPolicies{{
    {"fixed", state::TtlKind::kFixed},
    {"per_tier", state::TtlKind::kPerTier},
    {"renewable", state::TtlKind::kRenewable},
    {"adaptive", state::TtlKind::kAdaptive},
}};

constexpr std::array<EnumName<FaultSpec::Kind>, 3> kFaultKinds{{
    {"crash", FaultSpec::Kind::kCrash},
    {"partition", FaultSpec::Kind::kPartition},
    {"link_loss", FaultSpec::Kind::kLinkLoss},
}};

constexpr std::uint64_t kMaxNodes = kMaxFullNodes;

std::vector<state::Tier> default_tiers() {
    return {
        state::Tier{"small", 1, 2, 20, 720},
        state::Tier{"medium", 2, 8, 80, 336},
        state::Tier{"large", 8, 32, 200, 72},
    };
}

class SchemaChecker {
  public:
    SchemaChecker(Checker& c, Scenario& s) : c_(c), s_(s) {}

    void check(const Node& root) {
        const Field rf{&root, "", root.pos};
        MapReader top(c_, rf,
                      strings({"name", "description", "seed", "replications", "duration", "network", "clouds",
                               "consensus", "cpu", "pool", "txpool", "workload", "faults", "outputs"}),
                      {}, true);
        check_name(top.get("name"), rf);
        std::string description;
        get_string(c_, top.get("description"), description);
        get_uint(c_, top.get("seed"), s_.seed);
        get_uint(c_, top.get("replications"), s_.replications, 1, kMaxReplications);
        const std::size_t before = c_.count();
        get_duration(c_, top.get("duration"), s_.duration, {.allow_zero = false, .max = std::nullopt});
        duration_ok_ = c_.count() == before;

        check_pool(top.get("pool"));
        check_network(top.get("network"));
        check_clouds(top.require("clouds"));
        check_topology();
        check_consensus(top.get("consensus"));
        check_ttl(ttl_field_);  // after consensus: a TTL written as a duration needs the period
        check_cpu(top.get("cpu"));
        check_txpool(top.get("txpool"));
        check_workload(top.get("workload"));
        check_faults(top.get("faults"));
        check_outputs(top.get("outputs"));
        check_run_size(top);
    }

  private:
    // ---- name ----
    // The run's name in results (/runs/<name>-seed<S>-rep<R>): the file's stem unless
    // written. Bounded by kMaxScenarioNameBytes; no '/', control characters or invalid UTF-8.
    void check_name(const Field& f, const Field& root) {
        s_.name = std::filesystem::path(c_.file()).stem().string();
        if (s_.name.empty()) s_.name = "scenario";
        std::string name = s_.name;
        get_string(c_, f, name);
        const Field at = f ? f : Field{root.node, "name", Pos{}};
        const std::string what = f ? "the scenario name " + quote(name)
                                   : "the file name " + quote(name) +
                                         " (the scenario's name when none is written: set one with name:)";
        if (name.size() > kMaxScenarioNameBytes) {
            c_.error(at.pos, at.key,
                     what + " is " + std::to_string(name.size()) + " bytes long; at most " +
                         std::to_string(kMaxScenarioNameBytes) + " (it names the run in the results file)");
        } else if (name.find('/') != std::string::npos) {
            c_.error(at.pos, at.key,
                     what +
                         " holds '/' (it names the run's group /runs/<name>-seed<S>-rep<R> in the results "
                         "file)");
        } else if (const auto bad = detail::find_bad_text(name, false)) {
            c_.error(at.pos, at.key, what + ": " + bad->message);
        } else {
            s_.name = name;
        }
    }

    // ---- run size (limits.hpp): products of keys, on the values the run will use ----
    // The field at `path` below `root` (absent: node null, pos of the deepest mapping).
    static Field find(const Field& root, std::initializer_list<std::string_view> path) {
        Field f = root;
        f.key.clear();
        for (std::string_view k : path) {
            f.key = join_key(f.key, k);
            const Entry* e = f.node != nullptr && f.node->is_map() ? f.node->find(k) : nullptr;
            if (e == nullptr) {
                f.node = nullptr;
                continue;
            }
            f.node = &e->value;
            f.pos = e->value.pos;
        }
        return f;
    }

    // Reported at the first of `fields` that is written (the value to change), else at
    // the last. REQUIRES: fields not empty.
    void size_error(const std::vector<const Field*>& fields, const std::string& message) {
        const Field* at = fields.back();
        for (const Field* f : fields) {
            if (*f) {
                at = f;
                break;
            }
        }
        c_.error(at->pos, at->key, message);
    }

    static std::string count_text(long double v) {
        if (v < 1e15L) return std::to_string(static_cast<std::uint64_t>(v));
        std::ostringstream o;
        o.precision(3);
        o << static_cast<double>(v);
        return o.str();
    }

    // Links the generated topology is expected to have (limits.hpp kMaxLinks); 0 for a file.
    long double expected_links(long double n) const {
        const TopologySpec& t = s_.network.topology;
        const auto d = static_cast<long double>(t.degree);
        switch (t.kind) {
            case TopologyKind::kRegions:
            case TopologyKind::kBarabasiAlbert:
                return n * d;
            case TopologyKind::kRandomRegular:
            case TopologyKind::kWattsStrogatz:
                return n * d / 2;
            case TopologyKind::kErdosRenyi:
                return static_cast<long double>(t.probability) * n * (n - 1) / 2;
            case TopologyKind::kComplete:
                return n * (n - 1) / 2;
            case TopologyKind::kRing:
                return n;
            case TopologyKind::kFile:
                return static_cast<long double>(file_links_);
        }
        return 0;
    }

    void check_run_size(const MapReader& top) {
        const Field root{top.node(), "", top.pos()};
        const Field duration = find(root, {"duration"});
        const Field period = find(root, {"consensus", "period"});
        const Field interval = find(root, {"outputs", "sample_interval"});
        const Field rate = find(root, {"workload", "users", "arrival_rate"});
        const Field full = find(root, {"network", "full_nodes"});
        const Field kind = find(root, {"network", "topology", "kind"});
        const Field degree = find(root, {"network", "topology", "degree"});
        const Field probability = find(root, {"network", "topology", "probability"});
        const Field topology_file = find(root, {"network", "topology", "file"});
        const Field top_field{nullptr, "duration", top.pos()};
        if (!duration_ok_ || !node_count_ok_ || !clouds_ok_ || s_.clouds.empty()) return;  // already in error
        const auto dur = static_cast<long double>(s_.duration.nanos());
        const long double nodes = static_cast<long double>(s_.node_count());
        const std::string run = "a run of " + format_duration(s_.duration);

        // The nodes of a file topology come from the file (full_nodes is checked as read).
        if (s_.network.full_nodes > kMaxFullNodes) {
            size_error({&full, &kind}, "the topology has " + std::to_string(s_.network.full_nodes) +
                                           " full nodes; at most " + std::to_string(kMaxFullNodes));
        }
        const long double links = expected_links(nodes);
        if (links > static_cast<long double>(kMaxLinks)) {
            const bool by_p = s_.network.topology.kind == TopologyKind::kErdosRenyi;
            const bool by_n = s_.network.topology.kind == TopologyKind::kComplete ||
                              s_.network.topology.kind == TopologyKind::kRing;
            const bool by_file = s_.network.topology.kind == TopologyKind::kFile;
            const std::vector<const Field*> where =
                by_file ? std::vector<const Field*>{&topology_file, &kind}
                : by_p  ? std::vector<const Field*>{&probability, &full, &kind}
                        : (by_n ? std::vector<const Field*>{&full, &kind}
                                : std::vector<const Field*>{&degree, &full, &kind});
            size_error(where, std::string("a ") + to_string(s_.network.topology.kind) + " topology of " +
                                  count_text(nodes) + " nodes is expected to have " + count_text(links) +
                                  " links; at most " + std::to_string(kMaxLinks) +
                                  " (each link holds its own state and relays every message)");
        }

        const long double blocks = dur / static_cast<long double>(s_.consensus.period.nanos());
        if (blocks > static_cast<long double>(kMaxBlocks)) {
            size_error({&duration, &period, &top_field},
                       run + " at one block per " + format_duration(s_.consensus.period) + " seals " +
                           count_text(blocks) + " blocks; at most " + std::to_string(kMaxBlocks) +
                           " (the run keeps every block): shorten duration or lengthen consensus.period");
        } else if (blocks * nodes > static_cast<long double>(kMaxBlockNodePairs)) {
            size_error({&duration, &full, &period, &top_field},
                       run + " seals " + count_text(blocks) + " blocks for " + count_text(nodes) +
                           " nodes: " + count_text(blocks * nodes) + " block deliveries; at most " +
                           std::to_string(kMaxBlockNodePairs) +
                           " (the run keeps each node's view of each block and when it arrived)");
        }

        const long double samples = dur / static_cast<long double>(s_.outputs.sample_interval.nanos());
        if (samples > static_cast<long double>(kMaxSamples)) {
            size_error({&interval, &duration, &top_field},
                       run + " sampled every " + format_duration(s_.outputs.sample_interval) + " gives " +
                           count_text(samples) + " samples; at most " + std::to_string(kMaxSamples) +
                           " (each sample visits every node and is kept until the results are written)");
        } else if (samples * nodes > static_cast<long double>(kMaxSampleNodeVisits)) {
            size_error({&interval, &duration, &full, &top_field},
                       run + " sampled every " + format_duration(s_.outputs.sample_interval) + " over " +
                           count_text(nodes) + " nodes visits " + count_text(samples * nodes) +
                           " nodes; at most " + std::to_string(kMaxSampleNodeVisits));
        }

        long double per_ns = 0;  // expected new users per nanosecond
        const UserWorkload& u = s_.workload.users;
        if (!u.per_region.empty()) {
            for (const RegionRate& r : u.per_region) {
                per_ns +=
                    static_cast<long double>(r.rate.count) / static_cast<long double>(r.rate.per.nanos());
            }
        } else {
            per_ns = static_cast<long double>(u.total.count) / static_cast<long double>(u.total.per.nanos());
        }
        const long double users = per_ns * dur;
        if (users > static_cast<long double>(kMaxExpectedUsers)) {
            size_error({&rate, &duration, &top_field},
                       run + " at arrival_rate " +
                           (u.per_region.empty() ? format_rate(u.total) : "(per region)") + " brings " +
                           count_text(users) + " users on average; at most " +
                           std::to_string(kMaxExpectedUsers) +
                           " (each user is a key pair and signed transactions every node verifies)");
        } else if (users * nodes > static_cast<long double>(kMaxUserNodePairs)) {
            size_error({&rate, &duration, &full, &top_field},
                       run + " brings " + count_text(users) + " users on average to " + count_text(nodes) +
                           " nodes: " + count_text(users * nodes) + " transaction deliveries; at most " +
                           std::to_string(kMaxUserNodePairs));
        }
        // Re-requests: a refused user asks again, at most max_attempts requests in all.
        const Field attempts = find(root, {"workload", "users", "rerequest", "max_attempts"});
        const Field delay = find(root, {"workload", "users", "rerequest", "delay"});
        long double per_user = static_cast<long double>(u.max_attempts);
        if (u.rerequest_delay > Duration::zero()) {
            per_user = std::min(per_user, 1 + dur / static_cast<long double>(u.rerequest_delay.nanos()));
        }
        if (users <= static_cast<long double>(kMaxExpectedUsers) && u.rerequest_probability > 0 &&
            users * per_user > static_cast<long double>(kMaxExpectedRequests)) {
            size_error({&attempts, &delay, &rate, &duration, &top_field},
                       run + " brings " + count_text(users) + " users on average, each making up to " +
                           count_text(per_user) + " requests (rerequest.max_attempts " +
                           std::to_string(u.max_attempts) + ", rerequest.delay " +
                           format_duration(u.rerequest_delay) + "): " + count_text(users * per_user) +
                           "; at most " + std::to_string(kMaxExpectedRequests));
        }
    }

    // At most `max` items in the list at `f` (limits.hpp); `why` says why.
    bool check_count(const Field& f, std::size_t count, std::size_t max, std::string_view what,
                     std::string_view why) {
        if (count <= max) return true;
        c_.error(f.pos, f.key,
                 std::to_string(count) + " " + std::string(what) + "; at most " + std::to_string(max) + " (" +
                     std::string(why) + ")");
        return false;
    }

    // A tier's name ends summary metric names (`pool_utilisation_<tier>`, limits.hpp).
    bool check_tier_name_length(const Field& f, const std::string& name) {
        if (name.size() <= kMaxTierNameBytes) return true;
        c_.error(f.pos, f.key,
                 "tier name " + quote(name) + " is " + std::to_string(name.size()) + " bytes long; at most " +
                     std::to_string(kMaxTierNameBytes) +
                     " (it ends the summary metric name pool_utilisation_<tier>, stored in 64 bytes)");
        return false;
    }

    // ---- pool ----
    void check_pool(const Field& f) {
        MapReader m(c_, f,
                    strings({"tiers", "default_quota", "ttl", "per_user_live", "per_user_lifetime",
                             "per_block_issue_cap", "max_txs_per_block", "max_transfers", "reward_per_redeem",
                             "reclaim"}));
        PoolSpec& p = s_.pool;
        const Field tiers = m.get("tiers");
        if (!tiers) {
            p.tiers = default_tiers();
        } else if (const auto* items = list(c_, tiers, "tiers")) {
            if (items->empty()) c_.error(tiers.pos, tiers.key, "at least one tier is required");
            check_count(tiers, items->size(), kMaxTiers, "tiers",
                        "the results keep one pool column per tier in every sample row");
            for (std::size_t i = 0; i < items->size() && i < kMaxTiers; ++i) {
                const Field tf = item(tiers, *items, i);
                MapReader t(c_, tf, strings({"name", "vcpu", "ram_gib", "disk_gib", "hours"}), "in a tier");
                if (!t.present()) {
                    if (tf.node->is_null())
                        c_.error(tf.pos, tf.key, "expected a tier mapping, got nothing (null)");
                    continue;
                }
                state::Tier tier;
                const Field nf = t.require("name");
                if (nf && get_name(c_, nf, tier.name, "tier name") && check_tier_name_length(nf, tier.name)) {
                    for (const auto& other : p.tiers) {
                        if (other.name == tier.name) {
                            c_.error(nf.pos, nf.key, "duplicate tier name " + quote(tier.name));
                            tier.name.clear();
                        }
                    }
                }
                get_uint(c_, t.require("vcpu"), tier.vcpu, 1, 1024);
                get_uint(c_, t.require("ram_gib"), tier.ram_gib, 1, 1 << 20);
                get_uint(c_, t.require("disk_gib"), tier.disk_gib, 0, 1 << 24);
                get_uint(c_, t.require("hours"), tier.hours, 1, 100'000);
                if (!tier.name.empty()) p.tiers.push_back(tier);
            }
        }
        for (const auto& t : p.tiers) tier_names_.push_back(t.name);
        get_uint(c_, m.get("default_quota"), p.default_quota);
        get_uint_or_off(c_, m.get("per_user_live"), p.per_user_live, 1);
        get_uint_or_off(c_, m.get("per_user_lifetime"), p.per_user_lifetime, 1);
        get_uint_or_off(c_, m.get("per_block_issue_cap"), p.per_block_issue_cap, 1);
        get_uint_or_off(c_, m.get("max_txs_per_block"), p.max_txs_per_block, 1);
        get_uint(c_, m.get("max_transfers"), p.max_transfers);
        get_uint(c_, m.get("reward_per_redeem"), p.reward_per_redeem);
        get_bool(c_, m.get("reclaim"), p.reclaim);
        ttl_field_ = m.get("ttl");
    }

    void check_ttl(const Field& f) {
        MapReader m(
            c_, f,
            strings({"policy", "ttl_blocks", "per_tier", "max_renewals", "base_ttl", "min_ttl", "exponent"}));
        TtlSpec& t = s_.pool.ttl;
        get_enum(c_, m.get("policy"), t.policy, kTtlPolicies);
        // Bounded as state::validate() bounds them, so that `check` reports it.
        get_ttl(m.get("ttl_blocks"), t.ttl_blocks);
        get_uint(c_, m.get("max_renewals"), t.max_renewals);
        get_ttl(m.get("base_ttl"), t.base_ttl);
        const Field min_ttl = m.get("min_ttl");
        get_ttl(min_ttl, t.min_ttl);
        get_uint(c_, m.get("exponent"), t.exponent, 0, 16);
        if (t.min_ttl > t.base_ttl) {
            c_.error(min_ttl.pos, min_ttl.key,
                     "min_ttl (" + std::to_string(t.min_ttl) + ") must be <= base_ttl (" +
                         std::to_string(t.base_ttl) + ")");
        }
        std::vector<std::optional<std::uint64_t>> per_tier(tier_names_.size());
        read_named_map<std::optional<std::uint64_t>>(
            c_, m.get("per_tier"), tier_names_, "tier", per_tier,
            [&](const Field& vf) -> std::optional<std::optional<std::uint64_t>> {
                const auto v = read_ttl(vf);
                if (!v) return std::nullopt;
                return std::optional<std::uint64_t>(*v);
            });
        t.per_tier_blocks.clear();
        for (const auto& v : per_tier) t.per_tier_blocks.push_back(v.value_or(t.ttl_blocks));
    }

    // A TTL: a number of blocks (`5760`) or a duration (`1d`) that is a whole number of
    // blocks of consensus.period; in [1, kMaxTtlBlocks] blocks either way.
    std::optional<std::uint64_t> read_ttl(const Field& f) {
        if (f.node == nullptr) return std::nullopt;
        if (!f.node->is_scalar() || parse_unsigned(f.node->text) || !parse_duration(f.node->text)) {
            const std::string* t = scalar(c_, f, "a number of blocks or a duration (e.g. 5760, 1d)");
            if (t == nullptr) return std::nullopt;
            if (!parse_unsigned(*t) && !t->starts_with('-')) {
                c_.error(f.node->pos, f.key,
                         "expected a number of blocks or a duration (e.g. 5760, 1d), got '" + *t + "'");
                return std::nullopt;
            }
            return read_uint(c_, f, 1, state::kMaxTtlBlocks);
        }
        const Duration d = *parse_duration(f.node->text);
        const Duration period = s_.consensus.period;
        if (d <= Duration::zero()) {
            c_.error(f.node->pos, f.key, "must be > 0, got " + f.node->text);
            return std::nullopt;
        }
        if (d % period != Duration::zero()) {
            std::ostringstream blocks;
            blocks << d.to_seconds_f64() / period.to_seconds_f64();
            c_.error(f.node->pos, f.key,
                     f.node->text + " is not a whole number of blocks of consensus.period " +
                         format_duration(period) + " (" + blocks.str() + " blocks)");
            return std::nullopt;
        }
        const auto blocks = static_cast<std::uint64_t>(d / period);
        if (blocks > state::kMaxTtlBlocks) {
            c_.error(f.node->pos, f.key,
                     range_text(1, state::kMaxTtlBlocks) + " blocks, got " + f.node->text + " = " +
                         std::to_string(blocks) + " blocks");
            return std::nullopt;
        }
        return blocks;
    }
    void get_ttl(const Field& f, std::uint64_t& out) {
        if (const auto v = read_ttl(f)) out = *v;
    }

    // ---- network ----
    void check_network(const Field& f) {
        MapReader m(
            c_, f,
            strings({"topology", "regions", "full_nodes", "upload_bandwidth", "validator_upload_bandwidth",
                     "link_latency", "link_bandwidth", "latency", "loss", "allow_reordering"}));
        NetworkSpec& n = s_.network;
        full_nodes_field_ = m.get("full_nodes");
        const std::size_t before = c_.count();
        get_uint(c_, full_nodes_field_, n.full_nodes, 1, kMaxNodes);
        node_count_ok_ = c_.count() == before;
        if (const auto b = read_bandwidth(c_, m.get("upload_bandwidth"), "unlimited")) n.upload_bps = *b;
        if (const auto b = read_bandwidth(c_, m.get("validator_upload_bandwidth"), "unlimited")) {
            n.validator_upload_bps = *b;
        }
        get_duration(c_, m.get("link_latency"), n.link_latency);
        if (const auto b = read_bandwidth(c_, m.get("link_bandwidth"), "off")) n.link_bandwidth_bps = *b;
        get_probability(c_, m.get("loss"), n.loss);
        get_bool(c_, m.get("allow_reordering"), n.allow_reordering);

        MapReader lat(c_, m.get("latency"), strings({"model", "jitter", "pareto_shape"}));
        get_enum(c_, lat.get("model"), n.latency.kind, kJitterModels);
        get_duration(c_, lat.get("jitter"), n.latency.jitter);
        if (const auto v = read_number(c_, lat.get("pareto_shape"), 1.0, true)) n.latency.pareto_shape = *v;

        check_regions(m.get("regions"));

        topology_.emplace(c_, m.get("topology"), strings({"kind", "degree", "probability", "file"}));
        get_enum(c_, topology_->get("kind"), n.topology.kind, kTopologyKinds);
        degree_field_ = topology_->get("degree");
        get_uint(c_, degree_field_, n.topology.degree, 1, kMaxNodes);
        get_probability(c_, topology_->get("probability"), n.topology.probability);
        const Field file = topology_->get("file");
        if (file) {
            get_string(c_, file, n.topology.file);
            if (!n.topology.file.empty()) n.topology.file = resolve(c_, file, n.topology.file);
        }
    }

    void check_regions(const Field& f) {
        MapReader m(c_, f, strings({"file", "dataset"}));
        RegionsSpec& r = s_.network.regions;
        const Field file = m.get("file");
        const Field dataset = m.get("dataset");
        get_string(c_, dataset, r.dataset);
        std::string text;
        std::string file_name = "data/regions.yaml (embedded)";
        if (file) {
            get_string(c_, file, r.file);
            if (r.file.empty()) return;
            r.file = resolve(c_, file, r.file);
            file_name = r.file;
            const auto contents = detail::read_input_file(r.file, kMaxInputBytes);
            if (!contents) {
                c_.error(file.pos, file.key,
                         "cannot read regions file " + quote(r.file) + ": " + contents.error());
                return;
            }
            if (const auto bad = detail::find_bad_text(*contents)) {
                c_.error_in(r.file, bad->line, bad->column, file.key, bad->message);
                return;
            }
            text = *contents;
        } else {
            text = std::string(embedded_regions_text());
        }
        const RegionData data = read_region_data(text, r.dataset);
        if (std::find(data.datasets.begin(), data.datasets.end(), r.dataset) == data.datasets.end()) {
            const Field at = dataset ? dataset : Field{nullptr, dataset.key, file ? file.pos : m.pos()};
            c_.error(at.pos, at.key,
                     "no region dataset " + quote(r.dataset) + " in " + file_name +
                         " (datasets: " + join(data.datasets) + ")" + did_you_mean(r.dataset, data.datasets));
            return;
        }
        if (!r.file.empty()) {
            // The full model check (latency matrix, shares) of the file the run will use.
            const auto model = net::load_region_model(r.file, r.dataset);
            if (!model) {
                c_.error_in(model.error().file, model.error().line, model.error().column, file.key,
                            model.error().message);
                return;
            }
        }
        r.names = data.names;
        regions_known_ = true;
    }

    bool check_region_name(const Field& f, const std::string& name) {
        if (!regions_known_) return true;  // the dataset itself is in error
        const auto& names = s_.network.regions.names;
        if (std::find(names.begin(), names.end(), name) != names.end()) return true;
        c_.error(f.pos, f.key,
                 "unknown region " + quote(name) + " (regions of dataset " + s_.network.regions.dataset +
                     ": " + join(names) + ")" + did_you_mean(name, names));
        return false;
    }

    // ---- clouds ----
    void check_clouds(const Field& f) {
        if (!f) return;
        const auto* items = list(c_, f, "clouds");
        if (items == nullptr) return;
        if (items->empty()) {
            c_.error(f.pos, f.key, "at least one cloud is required (each runs a validator)");
            return;
        }
        if (!check_count(f, items->size(), kMaxClouds, "clouds",
                         "each runs a Clique signer that every block's snapshot lists")) {
            clouds_ok_ = false;
            return;
        }
        std::vector<std::uint64_t> capacity;  // Σ quotas per tier so far
        for (std::size_t i = 0; i < items->size(); ++i) {
            const Field cf = item(f, *items, i);
            const std::size_t before = c_.count();
            MapReader m(c_, cf, strings({"name", "region", "quotas", "client", "fork_choice"}), "in a cloud");
            if (!m.present()) {
                if (cf.node->is_null())
                    c_.error(cf.pos, cf.key, "expected a cloud mapping, got nothing (null)");
                continue;
            }
            CloudSpec cloud;
            const Field nf = m.require("name");
            if (nf && get_name(c_, nf, cloud.name, "cloud name")) {
                for (const auto& other : s_.clouds) {
                    if (other.name == cloud.name) {
                        c_.error(nf.pos, nf.key, "duplicate cloud name " + quote(cloud.name));
                    }
                }
            }
            const Field rf = m.require("region");
            if (rf && get_name(c_, rf, cloud.region, "region")) check_region_name(rf, cloud.region);
            cloud.fork_choice = read_client(m);
            cloud.quotas.assign(s_.pool.tiers.size(), s_.pool.default_quota);
            read_named_map<std::uint64_t>(c_, m.get("quotas"), tier_names_, "tier", cloud.quotas,
                                          [&](const Field& vf) { return read_uint(c_, vf); });
            // A tier's capacity is the sum of its quotas (spec §3); like state::validate(),
            // refuse a sum beyond 2^64 - 1.
            capacity.resize(cloud.quotas.size(), 0);
            for (std::size_t t = 0; t < cloud.quotas.size(); ++t) {
                if (cloud.quotas[t] > std::numeric_limits<std::uint64_t>::max() - capacity[t]) {
                    const Field qf = m.get("quotas");
                    c_.error(qf ? qf.pos : cf.pos, qf ? qf.key : cf.key,
                             "the quotas of tier '" + tier_names_.at(t) + "' sum to more than 2^64 - 1");
                    capacity[t] = std::numeric_limits<std::uint64_t>::max();
                } else {
                    capacity[t] += cloud.quotas[t];
                }
            }
            if (c_.count() != before) clouds_ok_ = false;
            s_.clouds.push_back(std::move(cloud));
        }
    }

    // ---- topology (needs the node count) ----
    void check_topology() {
        NetworkSpec& n = s_.network;
        TopologySpec& t = n.topology;
        const std::size_t clouds = s_.clouds.size();
        const Pos topo_pos = topology_ ? topology_->pos() : Pos{};
        const std::string topo_key = topology_ ? topology_->path() : "network.topology";
        if (t.kind == TopologyKind::kFile) {
            const Field file = topology_->get("file");
            if (!file) {
                c_.error(topo_pos, join_key(topo_key, "file"),
                         "missing required key 'file' (topology kind 'file' reads a GraphML or DOT file)");
                return;
            }
            if (t.file.empty()) return;
            // Missing or a directory: said here, with the path looked for. Anything else that
            // exists (a FIFO, /dev/zero behind a symlink) is load_topology's to read, within
            // its size cap.
            std::error_code ec;
            const auto status = std::filesystem::status(t.file, ec);
            if (!std::filesystem::exists(status) || std::filesystem::is_directory(status)) {
                std::string where =
                    "topology file " + quote(file.node->text) +
                    (std::filesystem::is_directory(status) ? " is a directory, not a file" : " not found");
                if (t.file != file.node->text) where += " (looked for " + quote(t.file) + ")";
                c_.error(file.pos, file.key, where);
                return;
            }
            const auto topology = net::load_topology(t.file);
            if (!topology && topology.error().line == 0) {
                // About the file as a whole (unknown extension, unreadable): no place in
                // it to name, so the error is at the scenario's `file` key.
                c_.error(file.pos, file.key,
                         "topology file '" + file.node->text + "': " + topology.error().message);
                return;
            }
            if (!topology) {
                c_.error_in(topology.error().file, topology.error().line, topology.error().column, file.key,
                            topology.error().message);
                return;
            }
            const std::size_t nodes = topology->node_count();
            file_links_ = topology->edge_count();
            if (nodes <= clouds) {
                c_.error(file.pos, file.key,
                         "topology file has " + std::to_string(nodes) + " nodes; it needs more than the " +
                             std::to_string(clouds) +
                             " validators (validators are its first nodes, full nodes "
                             "the rest)");
                return;
            }
            if (full_nodes_field_ && n.full_nodes != nodes - clouds) {
                c_.error(full_nodes_field_.pos, full_nodes_field_.key,
                         "full_nodes is " + std::to_string(n.full_nodes) + " but the topology file has " +
                             std::to_string(nodes) + " nodes for " + std::to_string(clouds) +
                             " validators (" + std::to_string(nodes - clouds) +
                             " full nodes); leave full_nodes out");
            }
            n.full_nodes = nodes - clouds;
            return;
        }
        if (topology_ && topology_->get("file")) {
            const Field file = topology_->get("file");
            c_.error(
                file.pos, file.key,
                std::string("'file' applies only to topology kind 'file', not '") + to_string(t.kind) + "'");
        }
        const std::size_t nodes = clouds + n.full_nodes;
        // Already an error: node-count rules would only echo it.
        if (clouds == 0 || !node_count_ok_ || !clouds_ok_) return;
        const Pos dpos = degree_field_ ? degree_field_.pos : topo_pos;
        const std::string dkey = degree_field_ ? degree_field_.key : join_key(topo_key, "degree");
        if (t.kind == TopologyKind::kRegions) {
            // The default degree shrinks to fit a small network; a written one must fit.
            if (!degree_field_ && t.degree >= nodes) t.degree = nodes - 1;
            if (t.degree >= nodes) {
                c_.error(dpos, dkey,
                         "degree " + std::to_string(t.degree) + " must be below the node count " +
                             std::to_string(nodes) + " (" + std::to_string(clouds) + " validators + " +
                             std::to_string(n.full_nodes) + " full nodes)");
            }
            return;
        }
        net::TopologySpec spec;
        switch (t.kind) {
            case TopologyKind::kRandomRegular:
                spec.kind = net::TopologyKind::kRandomRegular;
                break;
            case TopologyKind::kBarabasiAlbert:
                spec.kind = net::TopologyKind::kBarabasiAlbert;
                break;
            case TopologyKind::kErdosRenyi:
                spec.kind = net::TopologyKind::kErdosRenyi;
                break;
            case TopologyKind::kWattsStrogatz:
                spec.kind = net::TopologyKind::kWattsStrogatz;
                break;
            case TopologyKind::kComplete:
                spec.kind = net::TopologyKind::kComplete;
                break;
            case TopologyKind::kRing:
                spec.kind = net::TopologyKind::kRing;
                break;
            case TopologyKind::kRegions:
            case TopologyKind::kFile:
                return;
        }
        spec.nodes = nodes;
        spec.degree = t.degree;
        spec.probability = t.probability;
        spec.link.latency = n.link_latency;
        const auto ok = net::validate(spec);
        if (!ok) {
            const std::string& field = ok.error().field;
            if (field.starts_with("degree")) {
                c_.error(dpos, dkey, ok.error().message);
            } else if (field.starts_with("probability")) {
                const Field pf = topology_ ? topology_->get("probability") : Field{};
                c_.error(pf ? pf.pos : topo_pos, join_key(topo_key, "probability"), ok.error().message);
            } else if (field.starts_with("nodes")) {
                c_.error(full_nodes_field_ ? full_nodes_field_.pos : topo_pos, "network.full_nodes",
                         ok.error().message);
            } else {
                c_.error(topo_pos, topo_key, ok.error().to_string());
            }
        }
    }

    // ---- consensus, cpu, txpool ----
    void check_consensus(const Field& f) {
        MapReader m(c_, f,
                    strings({"period", "epoch", "fork_choice", "rule3", "out_of_turn_delay", "clients"}));
        ConsensusSpec& k = s_.consensus;
        const Field period = m.get("period");
        if (const auto d = read_duration(c_, period, {.allow_zero = false, .max = hours(24)})) {
            if (*d % seconds(1) != Duration::zero()) {
                c_.error(period.pos, period.key,
                         "must be a whole number of seconds (Clique header timestamps are in seconds), got " +
                             excerpt(period.node->text));
            } else {
                k.period = *d;
            }
        }
        get_uint(c_, m.get("epoch"), k.epoch, 1);
        get_enum(c_, m.get("fork_choice"), k.fork_choice, kForkChoices);
        get_enum(c_, m.get("rule3"), k.rule3, kRule3);
        get_enum(c_, m.get("out_of_turn_delay"), k.out_of_turn_delay, kOutOfTurn);
        check_clients(m.get("clients"));
    }

    // `client` (a preset) or `fork_choice` (a rule) of a cloud or a consensus.clients
    // entry, not both; nullopt when neither is given or the one given is in error.
    std::optional<clique::ForkChoiceRule> read_client(const MapReader& m) {
        const Field client = m.get("client");
        const Field rule = m.get("fork_choice");
        if (client && rule) {
            c_.error(rule.pos, rule.key, "give either client (a preset) or fork_choice (a rule), not both");
            return std::nullopt;
        }
        if (!client && !rule) return std::nullopt;
        const std::size_t before = c_.count();
        clique::ForkChoiceRule out = clique::ForkChoiceRule::kEip3436;
        if (client) {
            get_enum(c_, client, out, kClients);
        } else {
            get_enum(c_, rule, out, kForkChoices);
        }
        if (c_.count() != before) return std::nullopt;
        return out;
    }

    // consensus.clients: [{nodes: SELECTOR or [SELECTOR, ...], client: NAME | fork_choice: RULE}].
    // Entries may not share a node (as partition groups may not): what the scenario alone
    // shows is checked here, the rest once full nodes are placed (sim/world check_world()).
    void check_clients(const Field& f) {
        const auto* items = list(c_, f, "client assignments ({nodes: SELECTOR, client: NAME})");
        if (items == nullptr) return;
        std::vector<std::vector<Members>> seen;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const Field ef = item(f, *items, i);
            MapReader m(c_, ef, strings({"nodes", "client", "fork_choice"}), "in a client assignment");
            seen.emplace_back();
            if (!m.present()) {
                if (ef.node->is_null())
                    c_.error(ef.pos, ef.key,
                             "expected a mapping {nodes: SELECTOR, client: NAME}, got nothing (null)");
                continue;
            }
            ClientAssignment a;
            a.pos = source_pos(ef.pos);
            bool ok = true;
            if (const auto rule = read_client(m)) {
                a.fork_choice = *rule;
            } else {
                if (!m.get("client") && !m.get("fork_choice")) {
                    c_.error(m.pos(), join_key(ef.key, "client"),
                             "missing required key 'client' (geth, besu, nethermind, openethereum) or "
                             "'fork_choice' (eip3436, eip225, td-first-seen)");
                }
                ok = false;
            }
            const Field nf = m.require("nodes");
            std::vector<Field> selectors;
            if (!nf) {
                ok = false;
            } else if (nf.node->is_sequence()) {
                a.nodes_listed = true;
                if (nf.node->items.empty()) {
                    c_.error(nf.pos, nf.key, "at least one node selector is required");
                    ok = false;
                }
                for (std::size_t k = 0; k < nf.node->items.size(); ++k)
                    selectors.push_back(item(nf, nf.node->items, k));
            } else {
                selectors.push_back(nf);
            }
            for (const Field& sf : selectors) {
                auto sel = check_selector(sf);
                if (!sel) {
                    ok = false;
                    continue;
                }
                Members mem = members(*sel);
                std::string why;
                std::size_t other = 0;
                for (; other + 1 < seen.size() && why.empty(); ++other) {
                    for (const Members& prev : seen[other]) {
                        why = overlap(prev, mem);
                        if (!why.empty()) break;
                    }
                }
                if (!why.empty()) {
                    c_.error(sf.pos, sf.key,
                             "'" + sel->text + "' overlaps consensus.clients[" + std::to_string(other - 1) +
                                 "] (" + why + " would run two clients)");
                    ok = false;
                    continue;
                }
                seen.back().push_back(std::move(mem));
                a.nodes.push_back(std::move(*sel));
            }
            if (ok) s_.clients.push_back(std::move(a));
        }
    }

    void check_cpu(const Field& f) {
        MapReader m(c_, f, strings({"verify_header", "verify_tx", "execute_tx"}));
        const DurationRange r{.allow_zero = true, .max = seconds(60)};
        get_duration(c_, m.get("verify_header"), s_.cpu.verify_header, r);
        get_duration(c_, m.get("verify_tx"), s_.cpu.verify_tx, r);
        get_duration(c_, m.get("execute_tx"), s_.cpu.execute_tx, r);
    }

    void check_txpool(const Field& f) {
        MapReader m(c_, f,
                    strings({"account_slots", "global_slots", "account_queue", "global_queue", "lifetime",
                             "burst", "refill", "exempt_members", "stamp_bits", "max_txs_per_block"}));
        TxpoolSpec& t = s_.txpool;
        get_uint_or_off(c_, m.get("account_slots"), t.account_slots);
        get_uint_or_off(c_, m.get("global_slots"), t.global_slots);
        get_uint_or_off(c_, m.get("account_queue"), t.account_queue);
        get_uint_or_off(c_, m.get("global_queue"), t.global_queue);
        get_duration_or_off(c_, m.get("lifetime"), t.lifetime, {.allow_zero = false, .max = std::nullopt});
        get_uint_or_off(c_, m.get("burst"), t.burst, 1, 1'000'000);
        get_duration_or_off(c_, m.get("refill"), t.refill, {.allow_zero = false, .max = hours(24 * 365)});
        get_bool(c_, m.get("exempt_members"), t.exempt_members);
        stamp_bits_field_ = m.get("stamp_bits");
        get_uint_or_off(c_, stamp_bits_field_, t.stamp_bits, 0, 64);
        get_uint_or_off(c_, m.get("max_txs_per_block"), t.max_txs_per_block, 1);
    }

    // ---- workload ----
    void check_workload(const Field& f) {
        MapReader m(c_, f, strings({"users", "clouds"}));
        check_users(m.get("users"));
        MapReader cl(c_, m.get("clouds"), strings({"screening_delay", "pass_probability", "confirmations"}));
        CloudWorkload& w = s_.workload.clouds;
        get_duration(c_, cl.get("screening_delay"), w.screening_delay);
        get_probability(c_, cl.get("pass_probability"), w.pass_probability);
        get_uint(c_, cl.get("confirmations"), w.confirmations, 0, 1'000'000);
    }

    void check_users(const Field& f) {
        MapReader m(c_, f,
                    strings({"arrival_rate", "region_weights", "tier_mix", "transfer_probability",
                             "redeem_probability", "double_present_probability", "redeem_delay", "rerequest",
                             "hash_rate", "renew_probability", "renew_margin"}));
        UserWorkload& u = s_.workload.users;
        const auto& regions = s_.network.regions.names;
        const Field rate = m.get("arrival_rate");
        const Field weights = m.get("region_weights");
        if (rate && rate.node->is_map()) {
            std::vector<std::optional<Rate>> per(regions.size());
            if (regions_known_) {
                read_named_map<std::optional<Rate>>(
                    c_, rate, regions, "region", per,
                    [&](const Field& vf) -> std::optional<std::optional<Rate>> {
                        const auto r = read_rate(c_, vf);
                        if (!r) return std::nullopt;
                        return std::optional<Rate>(*r);
                    });
            }
            u.per_region.clear();
            for (std::size_t r = 0; r < regions.size(); ++r) {
                if (per[r]) u.per_region.push_back(RegionRate{regions[r], *per[r]});
            }
            if (rate.node->entries.empty())
                c_.error(rate.pos, rate.key, "at least one region's rate is required");
            if (weights) {
                c_.error(weights.pos, weights.key,
                         "region_weights applies only when arrival_rate is one total rate, not per region");
            }
        } else if (rate) {
            if (const auto r = read_rate(c_, rate)) u.total = *r;
        }
        u.region_weights.assign(regions.size(), 1.0);
        if (weights && !(rate && rate.node->is_map()) && regions_known_) {
            std::vector<double> w(regions.size(), 0.0);
            read_named_map<double>(c_, weights, regions, "region", w,
                                   [&](const Field& vf) { return read_number(c_, vf, 0.0, false); });
            if (weights.node->is_map()) {
                double sum = 0;
                for (double x : w) sum += x;
                if (!(sum > 0)) c_.error(weights.pos, weights.key, "the weights must not all be 0");
                u.region_weights = w;
            }
        }
        const Field mix = m.get("tier_mix");
        u.tier_mix.assign(tier_names_.size(), 1.0);
        if (mix) {
            std::vector<double> w(tier_names_.size(), 0.0);
            read_named_map<double>(c_, mix, tier_names_, "tier", w,
                                   [&](const Field& vf) { return read_number(c_, vf, 0.0, false); });
            if (mix.node->is_map()) {
                double sum = 0;
                for (double x : w) sum += x;
                if (!(sum > 0)) c_.error(mix.pos, mix.key, "the weights must not all be 0");
                u.tier_mix = w;
            }
        }
        get_probability(c_, m.get("transfer_probability"), u.transfer_probability);
        get_probability(c_, m.get("redeem_probability"), u.redeem_probability);
        get_probability(c_, m.get("double_present_probability"), u.double_present_probability);
        get_duration(c_, m.get("redeem_delay"), u.redeem_delay);
        MapReader rr(c_, m.get("rerequest"), strings({"probability", "delay", "max_attempts"}));
        get_probability(c_, rr.get("probability"), u.rerequest_probability);
        get_duration(c_, rr.get("delay"), u.rerequest_delay);
        get_uint(c_, rr.get("max_attempts"), u.max_attempts, 1, 1'000'000);
        check_stamp_work(m.get("hash_rate"));
        get_probability(c_, m.get("renew_probability"), u.renew_probability);
        get_duration(c_, m.get("renew_margin"), u.renew_margin);
    }

    // Simulated users compute real request stamps (docs/scenarios.md "How the workload
    // behaves"): a hash rate in (0, 10^12/s], and stamp_bits at most kMaxUserStampBits
    // while any user arrives.
    void check_stamp_work(const Field& hash_rate) {
        UserWorkload& u = s_.workload.users;
        if (const auto r = read_rate(c_, hash_rate)) {
            if (r->is_zero() || r->per_second() > 1e12) {
                c_.error(hash_rate.pos, hash_rate.key,
                         "must be > 0 and at most 1000000000000/s (hashes per unit time), got " +
                             hash_rate.node->text);
            } else {
                u.hash_rate = *r;
            }
        }
        bool users_arrive = !u.total.is_zero() && u.per_region.empty();
        for (const RegionRate& r : u.per_region) users_arrive = users_arrive || !r.rate.is_zero();
        if (users_arrive && stamp_bits_field_ && s_.txpool.stamp_bits &&
            *s_.txpool.stamp_bits > kMaxUserStampBits) {
            c_.error(stamp_bits_field_.pos, stamp_bits_field_.key,
                     "at most " + std::to_string(kMaxUserStampBits) + " while users arrive, got " +
                         std::to_string(*s_.txpool.stamp_bits) +
                         " (simulated users compute real stamps, 2^bits hashes each; set "
                         "workload.users.arrival_rate to 0 for a run without users)");
        }
    }

    // ---- faults ----
    std::optional<NodeSelector> check_selector(const Field& f) {
        const std::string* t = scalar(c_, f, "a node selector (e.g. validator:NAME, full:N, region:NAME)");
        if (t == nullptr) return std::nullopt;
        std::string error;
        auto sel = parse_selector(*t, &error);
        if (!sel) {
            c_.error(f.pos, f.key, error);
            return std::nullopt;
        }
        sel->pos = source_pos(f.pos);
        const std::size_t clouds = s_.clouds.size();
        const std::size_t full = s_.network.full_nodes;
        switch (sel->kind) {
            case NodeSelector::Kind::kValidator: {
                std::vector<std::string> names;
                for (const auto& c : s_.clouds) {
                    if (!c.name.empty() && std::find(names.begin(), names.end(), c.name) == names.end()) {
                        names.push_back(c.name);
                    }
                }
                if (std::find(names.begin(), names.end(), sel->name) == names.end()) {
                    c_.error(f.pos, f.key,
                             "no cloud named " + quote(sel->name) + " (clouds: " + join(names) + ")" +
                                 did_you_mean(sel->name, names));
                    return std::nullopt;
                }
                break;
            }
            case NodeSelector::Kind::kFull:
                if (sel->last >= full && node_count_ok_) {
                    c_.error(f.pos, f.key,
                             "full node " + std::to_string(sel->last) + " does not exist (" +
                                 std::to_string(full) + " full nodes: full:0 to full:" +
                                 std::to_string(full == 0 ? 0 : full - 1) + ")");
                    return std::nullopt;
                }
                break;
            case NodeSelector::Kind::kNode:
                if (sel->last >= clouds + full && node_count_ok_) {
                    c_.error(f.pos, f.key,
                             "node " + std::to_string(sel->last) + " does not exist (" +
                                 std::to_string(clouds + full) +
                                 " nodes: node:0 to node:" + std::to_string(clouds + full - 1) + ")");
                    return std::nullopt;
                }
                break;
            case NodeSelector::Kind::kRegion: {
                if (!check_region_name(f, sel->name)) return std::nullopt;
                break;
            }
            case NodeSelector::Kind::kAllValidators:
            case NodeSelector::Kind::kAllFull:
                break;
        }
        return sel;
    }

    // A time of the run: in [0, duration) (or [0, duration] when `end_allowed`).
    std::optional<Time> read_time(const Field& f, bool end_allowed) {
        const auto d = read_duration(c_, f);
        if (!d) return std::nullopt;
        if (!duration_ok_) return Time::at(*d);  // the run's end is itself in error
        const bool outside = end_allowed ? *d > s_.duration : *d >= s_.duration;
        if (outside) {
            c_.error(f.pos, f.key,
                     "time " + excerpt(f.node->text) + " is " + (*d == s_.duration ? "at" : "after") +
                         " the end of the run (duration " + format_duration(s_.duration) + ")");
            return std::nullopt;
        }
        return Time::at(*d);
    }

    void check_faults(const Field& f) {
        const auto* items = list(c_, f, "faults");
        if (items == nullptr || (!clouds_ok_ && s_.clouds.empty())) return;  // selectors need the clouds
        if (!check_count(f, items->size(), kMaxFaults, "faults", "each is scheduled and checked on its own"))
            return;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const Field ff = item(f, *items, i);
            if (!ff.node->is_map()) {
                c_.error(ff.pos, ff.key,
                         "expected a fault mapping with a kind (crash, partition, link_loss), got " +
                             detail::describe(*ff.node));
                continue;
            }
            const Entry* kind_entry = ff.node->find("kind");
            if (kind_entry == nullptr) {
                c_.error(ff.pos, join_key(ff.key, "kind"),
                         "missing required key 'kind' (crash, partition or link_loss)");
                continue;
            }
            FaultSpec fault;
            fault.pos = source_pos(ff.pos);
            const Field kf{&kind_entry->value, join_key(ff.key, "kind"), kind_entry->value.pos};
            const std::size_t before = c_.count();
            get_enum(c_, kf, fault.kind, kFaultKinds);
            if (c_.count() != before) continue;
            bool ok = true;
            switch (fault.kind) {
                case FaultSpec::Kind::kCrash:
                    ok = check_crash(ff, fault.crash);
                    break;
                case FaultSpec::Kind::kPartition:
                    ok = check_partition(ff, fault.partition);
                    break;
                case FaultSpec::Kind::kLinkLoss:
                    ok = check_link_loss(ff, fault.link_loss);
                    break;
            }
            if (ok) s_.faults.push_back(std::move(fault));
        }
    }

    bool check_crash(const Field& ff, CrashFault& out) {
        MapReader m(c_, ff, strings({"kind", "node", "at", "restart_at"}), "for a crash fault");
        bool ok = true;
        const Field node = m.require("node");
        if (node) {
            if (auto sel = check_selector(node))
                out.node = std::move(*sel);
            else
                ok = false;
        } else {
            ok = false;
        }
        const Field at = m.require("at");
        std::optional<Time> at_time;
        if (at) at_time = read_time(at, false);
        if (at_time)
            out.at = *at_time;
        else
            ok = false;
        const Field restart = m.get("restart_at");
        if (restart) {
            const auto r = read_time(restart, true);
            if (r && at_time && *r <= *at_time) {
                c_.error(restart.pos, restart.key,
                         "restart_at (" + excerpt(restart.node->text) + ") must be after at (" +
                             excerpt(at.node->text) + ")");
                ok = false;
            } else if (r) {
                out.restart_at = *r;
            } else {
                ok = false;
            }
        }
        return ok;
    }

    // [from, to): from within the run, to after from and at most the end (default).
    bool check_interval(const MapReader& m, Time& from, Time& to) {
        const Field ff = m.require("from");
        const Field tf = m.get("to");
        std::optional<Time> f;
        if (ff) f = read_time(ff, false);
        std::optional<Time> t = Time::at(s_.duration);
        if (tf) t = read_time(tf, true);
        if (!f || !t) return false;
        if (*t <= *f) {
            if (!tf) return false;  // the default end: only when the duration is itself in error
            c_.error(
                tf.pos, tf.key,
                "to (" + excerpt(tf.node->text) + ") must be after from (" + excerpt(ff.node->text) + ")");
            return false;
        }
        from = *f;
        to = *t;
        return true;
    }

    // What a selector covers, as far as the scenario alone can tell (full nodes'
    // regions are decided by the topology builder).
    struct Members {
        std::vector<bool> validators;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> full;  // inclusive ranges
        bool all_full = false;
        std::vector<std::string> regions;
    };

    Members members(const NodeSelector& sel) {
        Members m;
        const std::size_t clouds = s_.clouds.size();
        m.validators.assign(clouds, false);
        switch (sel.kind) {
            case NodeSelector::Kind::kValidator:
                for (std::size_t c = 0; c < clouds; ++c) m.validators[c] = s_.clouds[c].name == sel.name;
                break;
            case NodeSelector::Kind::kAllValidators:
                m.validators.assign(clouds, true);
                break;
            case NodeSelector::Kind::kFull:
                m.full.emplace_back(sel.first, sel.last);
                break;
            case NodeSelector::Kind::kAllFull:
                m.all_full = true;
                break;
            case NodeSelector::Kind::kNode:
                for (std::uint64_t v = sel.first; v <= sel.last && v < clouds; ++v) m.validators[v] = true;
                if (sel.last >= clouds)
                    m.full.emplace_back(std::max<std::uint64_t>(sel.first, clouds) - clouds,
                                        sel.last - clouds);
                break;
            case NodeSelector::Kind::kRegion:
                for (std::size_t c = 0; c < clouds; ++c) m.validators[c] = s_.clouds[c].region == sel.name;
                m.regions.push_back(sel.name);
                break;
        }
        return m;
    }

    // Why a and b share a node, or "" when they cannot be shown to.
    std::string overlap(const Members& a, const Members& b) {
        for (std::size_t c = 0; c < a.validators.size(); ++c) {
            if (a.validators[c] && b.validators[c]) return "validator:" + s_.clouds[c].name;
        }
        for (const auto& ra : a.full) {
            for (const auto& rb : b.full) {
                if (ra.first <= rb.second && rb.first <= ra.second) {
                    return "full:" + std::to_string(std::max(ra.first, rb.first));
                }
            }
        }
        const std::size_t full = s_.network.full_nodes;
        if ((a.all_full && (b.all_full || !b.full.empty() || !b.regions.empty())) ||
            (b.all_full && (!a.full.empty() || !a.regions.empty()))) {
            return full > 0 ? "full nodes" : "";
        }
        for (const auto& r : a.regions) {
            if (std::find(b.regions.begin(), b.regions.end(), r) != b.regions.end()) return "region:" + r;
        }
        return "";
    }

    bool check_partition(const Field& ff, PartitionFault& out) {
        MapReader m(c_, ff, strings({"kind", "groups", "from", "to"}), "for a partition fault");
        bool ok = check_interval(m, out.from, out.to);
        const Field gf = m.require("groups");
        if (!gf) return false;
        const auto* groups = list(c_, gf, "groups (each a list of node selectors)");
        if (groups == nullptr) return false;
        if (groups->empty()) {
            c_.error(gf.pos, gf.key, "at least one group is required");
            return false;
        }
        std::size_t selectors = 0;
        for (const Node& g : *groups) selectors += g.is_sequence() ? g.items.size() : 1;
        if (!check_count(gf, selectors, kMaxSelectorsPerFault, "node selectors",
                         "every pair of a partition's selectors is checked for overlap")) {
            return false;
        }
        std::vector<std::vector<Members>> seen;
        for (std::size_t g = 0; g < groups->size(); ++g) {
            const Field group = item(gf, *groups, g);
            const auto* sels = list(c_, group, "node selectors");
            if (sels == nullptr) {
                ok = false;
                continue;
            }
            if (sels->empty()) {
                c_.error(group.pos, group.key, "a partition group must name at least one node");
                ok = false;
                continue;
            }
            std::vector<NodeSelector> parsed;
            std::vector<Members> mine;
            for (std::size_t k = 0; k < sels->size(); ++k) {
                const Field sf = item(group, *sels, k);
                auto sel = check_selector(sf);
                if (!sel) {
                    ok = false;
                    continue;
                }
                Members mem = members(*sel);
                std::string why;
                std::size_t other = 0;
                for (; other < seen.size() && why.empty(); ++other) {
                    for (const Members& prev : seen[other]) {
                        why = overlap(prev, mem);
                        if (!why.empty()) break;
                    }
                }
                if (!why.empty()) {
                    c_.error(sf.pos, sf.key,
                             quote(sel->text) + " overlaps group " + std::to_string(other - 1) + " (" + why +
                                 " would be in two groups)");
                    ok = false;
                    continue;
                }
                mine.push_back(std::move(mem));
                parsed.push_back(std::move(*sel));
            }
            seen.push_back(std::move(mine));
            out.groups.push_back(std::move(parsed));
        }
        return ok;
    }

    bool check_link_loss(const Field& ff, LinkLossFault& out) {
        MapReader m(c_, ff, strings({"kind", "between", "loss", "from", "to"}), "for a link_loss fault");
        bool ok = check_interval(m, out.from, out.to);
        get_probability(c_, m.get("loss"), out.loss);
        const Field bf = m.require("between");
        if (!bf) return false;
        const auto* ends = list(c_, bf, "two node selectors");
        if (ends == nullptr) return false;
        if (ends->size() != 2) {
            c_.error(bf.pos, bf.key,
                     "expected exactly two node selectors, got " + std::to_string(ends->size()));
            return false;
        }
        auto a = check_selector(item(bf, *ends, 0));
        auto b = check_selector(item(bf, *ends, 1));
        if (!a || !b) return false;
        out.a = std::move(*a);
        out.b = std::move(*b);
        return ok;
    }

    // ---- outputs ----
    void check_outputs(const Field& f) {
        MapReader m(c_, f, strings({"file", "sample_interval"}));
        const Field file = m.get("file");
        get_string(c_, file, s_.outputs.file);
        if (file) s_.outputs.file_pos = source_pos(file.node->pos);
        const Field si = m.get("sample_interval");
        if (const auto d = read_duration(c_, si, {.allow_zero = false, .max = std::nullopt})) {
            if (*d > s_.duration && duration_ok_) {
                c_.error(si.pos, si.key,
                         "sample_interval " + excerpt(si.node->text) + " is longer than the run (duration " +
                             format_duration(s_.duration) + ")");
            } else {
                s_.outputs.sample_interval = *d;
            }
        }
    }

    Checker& c_;
    Scenario& s_;
    std::vector<std::string> tier_names_;
    bool regions_known_ = false;
    bool duration_ok_ = true;
    bool node_count_ok_ = true;
    bool clouds_ok_ = true;
    std::optional<MapReader> topology_;
    Field full_nodes_field_;
    Field degree_field_;
    Field ttl_field_;             // pool.ttl, checked after consensus (read_ttl needs the period)
    Field stamp_bits_field_;      // txpool.stamp_bits, bounded again once the workload is known
    std::size_t file_links_ = 0;  // links of a `file` topology, once loaded
};

// The raw text of a scenario (before YAML): within kMaxInputBytes, UTF-8, no control
// characters but tab, LF and CR (docs/scenarios.md "Checking and errors").
bool check_text(Checker& c, std::string_view text) {
    if (text.size() > kMaxInputBytes) {
        c.error(Pos{}, "",
                "the scenario is larger than " + std::to_string(kMaxInputBytes >> 20) +
                    " MiB, the most an input file may hold");
        return false;
    }
    if (const auto bad = detail::find_bad_text(text)) {
        c.error(Pos{Source::kFile, bad->line, bad->column}, "", bad->message);
        return false;
    }
    return true;
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
    if (const auto bad = detail::find_bad_text(o.value)) {
        c.error(Pos{Source::kSet, index + bad->line,
                    bad->line == 1 ? value_column + bad->column - 1 : bad->column},
                o.path, "in the value of --set " + o.path + ": " + bad->message);
        return false;
    }
    return true;
}

}  // namespace

std::expected<Override, std::string> parse_override(std::string_view arg) {
    const auto eq = arg.find('=');
    if (eq == std::string_view::npos) {
        return std::unexpected("expected key=value after --set, got " + quote(arg));
    }
    return Override{std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

std::expected<Scenario, std::vector<ScenarioError>> load_scenario(std::string_view text, std::string filename,
                                                                  const std::vector<Override>& sets) {
    Checker c(filename);
    if (!check_text(c, text)) return std::unexpected(c.take_sorted());
    std::vector<detail::ParseError> perr;
    auto root = detail::parse_yaml(text, Source::kFile, 0, 0, perr);
    for (const auto& e : perr) c.error(e.pos, e.key, e.message);
    if (!root) return std::unexpected(c.take_sorted());
    if (root->is_null()) {
        root->kind = Node::Kind::kMap;
        root->pos = Pos{};
    }
    if (!root->is_map()) {
        c.error(root->pos, "",
                "a scenario is a mapping of keys (name, duration, network, clouds, ...), got " +
                    detail::describe(*root));
        return std::unexpected(c.take_sorted());
    }
    for (std::size_t i = 0; i < sets.size(); ++i) {
        if (check_override_text(c, sets[i], i)) apply_override(c, *root, sets[i], i);
    }

    Scenario s;
    s.source_file = filename;
    s.source_text = std::string(text);
    s.overrides = sets;
    SchemaChecker(c, s).check(*root);
    if (c.has_errors()) return std::unexpected(c.take_sorted());
    return s;
}

std::expected<Scenario, std::vector<ScenarioError>> load_scenario_file(const std::string& path,
                                                                       const std::vector<Override>& sets) {
    const auto text = detail::read_input_file(path, kMaxInputBytes);
    if (!text) {
        return std::unexpected(std::vector<ScenarioError>{
            ScenarioError{path, 0, 0, "", "cannot read the scenario: " + text.error()}});
    }
    return load_scenario(*text, path, sets);
}

std::vector<std::pair<std::string_view, clique::ForkChoiceRule>> fork_choice_rules() {
    std::vector<std::pair<std::string_view, clique::ForkChoiceRule>> out;
    for (const auto& e : kForkChoices) out.emplace_back(e.name, e.value);
    return out;
}

std::expected<Scenario, std::vector<ScenarioError>> load_default_scenario(const std::vector<Override>& sets) {
    return load_scenario(default_scenario_text(), std::string(kDefaultScenarioName), sets);
}

}  // namespace cl::sim::scenario
