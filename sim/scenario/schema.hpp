// The schema reader (loader.hpp): error collection, the mapping reader with its key
// tables, typed getters and did-you-mean suggestions — what every section of the
// scenario (sections/*.cpp) reads its keys with. Internal to sim/scenario.
//
// A mapping's keys are declared ONCE, in a table of Key entries: the table gives the
// known-key list (unknown-key errors and their suggestions), the required keys, and the
// reader of each key. MapReader::get() of an undeclared key is a programming error
// (assertion), so the known keys and the reads cannot drift apart.
//
// Every getter reports its own error (FILE:LINE:COLUMN, the dotted key) and leaves the
// output unchanged on error; an absent key (a Field without node) is no error.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/input.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace cl::sim::scenario::detail {

// ---- suggestions ---------------------------------------------------------------------------

// " (did you mean 'x'?)" for the closest candidate within a few edits (or a candidate
// that holds `word`, 4 characters or more), else "".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);
std::string join(std::span<const std::string> items);
std::vector<std::string> strings(std::initializer_list<std::string_view> list);
// Letters, digits, '_' and '-' (names in selectors and --set paths).
bool is_name(std::string_view text);

// ---- error collection ----------------------------------------------------------------------

// Collects every error; take_sorted() orders them by source (the scenario file, then
// --set, then other files) and position, keeping the order of reports at one position.
class Checker {
  public:
    explicit Checker(std::string file) : file_(std::move(file)) {}

    void error(const Pos& p, std::string key, std::string message);
    // An error inside another file (a topology or regions file the scenario names).
    void error_in(std::string file, std::size_t line, std::size_t column, std::string key,
                  std::string message);

    bool has_errors() const { return !errors_.empty(); }
    std::size_t count() const { return errors_.size(); }
    const std::string& file() const { return file_; }

    std::vector<ScenarioError> take_sorted();

  private:
    struct Ranked {
        int rank;
        ScenarioError error;
    };
    void add(int rank, ScenarioError e) { errors_.push_back(Ranked{rank, std::move(e)}); }

    std::string file_;
    std::vector<Ranked> errors_;
};

SourcePos source_pos(const Pos& p);

// A key of a mapping as the checker sees it: the node (null when absent), its dotted
// path, and where to point when it is absent (the enclosing mapping).
struct Field {
    const Node* node = nullptr;
    std::string key;
    Pos pos;
    explicit operator bool() const { return node != nullptr; }
};

std::string join_key(const std::string& path, std::string_view key);
std::string index_key(const std::string& path, std::size_t i);

// Reads one mapping: reports unknown keys (against `known`) on construction, a value
// that is not a mapping, and missing required keys on require().
class MapReader {
  public:
    // `extensions`: keys starting with `x-` are allowed and ignored (a home for anchors).
    MapReader(Checker& c, const Field& f, std::vector<std::string> known, std::string what = {},
              bool extensions = false);

    // REQUIRES: `key` is one of the known keys.
    Field get(std::string_view key) const;
    Field require(std::string_view key) const;

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

// ---- key tables ----------------------------------------------------------------------------

// One key of a mapping whose values are read into a T (a section's spec, or a list item
// being built) with the shared loading state L (sections/context.hpp).
//   read: reads the value (`f` has no node when the key is absent; `m` is the whole
//         mapping, for keys read together); nullptr: read by the reader of another key
//         of the table or by a later step (the entry says which).
//   stage: readers run by stage, then in table order — a later stage reads what an
//         earlier one made (and keeps the order of errors reported at one position).
template <class L, class T>
struct Key {
    std::string_view name;
    void (*read)(L&, const Field& f, const MapReader& m, T& out) = nullptr;
    bool required = false;
    int stage = 0;
};

template <class L, class T, std::size_t N>
std::vector<std::string> key_names(const std::array<Key<L, T>, N>& keys) {
    std::vector<std::string> names;
    names.reserve(N);
    for (const auto& k : keys) names.emplace_back(k.name);
    return names;
}

// The reader of the mapping at `f` with the keys of `keys` (unknown keys reported).
template <class L, class T, std::size_t N>
MapReader map_reader(Checker& c, const Field& f, const std::array<Key<L, T>, N>& keys, std::string what = {},
                     bool extensions = false) {
    return MapReader(c, f, key_names(keys), std::move(what), extensions);
}

// Runs the readers of `keys` on the mapping `m` (by stage, then in table order); a
// required key that is absent is reported (and its reader still runs, on no value).
template <class L, class T, std::size_t N>
void read_keys(L& l, const MapReader& m, const std::array<Key<L, T>, N>& keys, T& out) {
    int last = std::numeric_limits<int>::min();
    while (true) {
        int stage = std::numeric_limits<int>::max();
        for (const auto& k : keys) {
            if (k.stage > last && k.stage < stage) stage = k.stage;
        }
        if (stage == std::numeric_limits<int>::max()) return;
        for (const auto& k : keys) {
            if (k.stage != stage || k.read == nullptr) continue;
            const Field f = k.required ? m.require(k.name) : m.get(k.name);
            k.read(l, f, m, out);
        }
        last = stage;
    }
}

// ---- scalar readers: each reports its own error and returns nullopt --------------------------

const std::string* scalar(Checker& c, const Field& f, std::string_view expected);
std::string range_text(std::uint64_t lo, std::uint64_t hi);

std::optional<std::uint64_t> read_uint(Checker& c, const Field& f, std::uint64_t lo = 0,
                                       std::uint64_t hi = std::numeric_limits<std::uint64_t>::max());

template <class T>
void get_uint(Checker& c, const Field& f, T& out, std::uint64_t lo = 0,
              std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
    if (const auto v = read_uint(c, f, lo, hi)) out = static_cast<T>(*v);
}

// An integer or `off` (std::nullopt).
void get_uint_or_off(Checker& c, const Field& f, std::optional<std::uint64_t>& out, std::uint64_t lo = 0,
                     std::uint64_t hi = std::numeric_limits<std::uint64_t>::max());
// The same into an optional size (txpool::Config's slot counts).
void get_size_or_off(Checker& c, const Field& f, std::optional<std::size_t>& out, std::uint64_t lo = 0,
                     std::uint64_t hi = std::numeric_limits<std::uint64_t>::max());

void get_bool(Checker& c, const Field& f, bool& out);
void get_string(Checker& c, const Field& f, std::string& out);
// A name used in selectors and --set paths: letters, digits, '_' and '-'.
bool get_name(Checker& c, const Field& f, std::string& out, std::string_view what);

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

std::optional<Duration> read_duration(Checker& c, const Field& f, DurationRange range = {});
void get_duration(Checker& c, const Field& f, Duration& out, DurationRange range = {});
void get_duration_or_off(Checker& c, const Field& f, std::optional<Duration>& out, DurationRange range = {});

std::optional<double> read_probability(Checker& c, const Field& f);
void get_probability(Checker& c, const Field& f, double& out);
// A finite number >= lo (> lo when lo_exclusive).
std::optional<double> read_number(Checker& c, const Field& f, double lo, bool lo_exclusive);
std::optional<Rate> read_rate(Checker& c, const Field& f);
// A bandwidth, or `keyword` (unlimited / off) for 0.
std::optional<std::uint64_t> read_bandwidth(Checker& c, const Field& f, std::string_view keyword);

// A list; null or absent is an empty list; nullptr (reported) when not a list.
const std::vector<Node>* list(Checker& c, const Field& f, std::string_view of);
Field item(const Field& list_field, const std::vector<Node>& items, std::size_t i);

// Reads a mapping whose keys are names from `names` (tiers, regions) into a per-name
// vector; an unknown name is an error with a suggestion. `read` reads one value.
template <class T>
void read_named_map(Checker& c, const Field& f, const std::vector<std::string>& names, std::string_view what,
                    std::vector<T>& out, const std::function<std::optional<T>(const Field&)>& read) {
    if (!f || f.node->is_null()) return;
    if (!f.node->is_map()) {
        c.error(f.node->pos, f.key,
                "expected a mapping of " + std::string(what) + " names to values, got " + describe(*f.node));
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

// A path written in the scenario is relative to the scenario file's directory; one from
// --set, to the working directory.
std::string resolve(const Checker& c, const Field& f, const std::string& path);

}  // namespace cl::sim::scenario::detail
