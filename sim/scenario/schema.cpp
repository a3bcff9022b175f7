// The schema reader (schema.hpp): suggestions, error collection, the mapping reader and
// the typed getters every section reads its keys with.
#include "sim/scenario/schema.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "protocol/core/assert.hpp"

namespace cl::sim::scenario::detail {

// ---- suggestions ---------------------------------------------------------------------------

namespace {

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

}  // namespace

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

void Checker::error(const Pos& p, std::string key, std::string message) {
    const int rank = p.source == Source::kFile ? 0 : 1;
    add(rank, error_at(file_, source_pos(p), std::move(key), std::move(message)));
}

void Checker::error_in(std::string file, std::size_t line, std::size_t column, std::string key,
                       std::string message) {
    add(2, ScenarioError{std::move(file), line, column, std::move(key), std::move(message)});
}

std::vector<ScenarioError> Checker::take_sorted() {
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

SourcePos source_pos(const Pos& p) { return SourcePos{p.source == Source::kSet, p.line, p.column}; }

std::string join_key(const std::string& path, std::string_view key) {
    if (path.empty()) return std::string(key);
    return path + "." + std::string(key);
}

std::string index_key(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Reads one mapping: reports unknown keys (against `known`) on construction, a value
MapReader::MapReader(Checker& c, const Field& f, std::vector<std::string> known, std::string what,
                     bool extensions)
    : c_(c), path_(f.key), pos_(f.pos), known_(std::move(known)) {
    if (f.node == nullptr) return;
    pos_ = f.node->pos;
    if (f.node->is_null()) return;
    if (!f.node->is_map()) {
        c_.error(f.node->pos, f.key,
                 "expected a mapping (keys: " + join(known_) + "), got " + describe(*f.node));
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

Field MapReader::get(std::string_view key) const {
    // A key read here must be declared in the mapping's table (schema.hpp).
    CL_ASSERT(std::find(known_.begin(), known_.end(), key) != known_.end());
    Field f{nullptr, join_key(path_, key), pos_};
    if (node_ == nullptr) return f;
    if (const Entry* e = node_->find(key)) {
        f.node = &e->value;
        f.pos = e->value.pos;
    }
    return f;
}

Field MapReader::require(std::string_view key) const {
    Field f = get(key);
    if (!f) c_.error(pos_, f.key, "missing required key '" + std::string(key) + "'");
    return f;
}

// ---- scalar readers: each reports its own error and returns nullopt --------------------------

const std::string* scalar(Checker& c, const Field& f, std::string_view expected) {
    if (f.node == nullptr) return nullptr;
    if (!f.node->is_scalar()) {
        c.error(f.node->pos, f.key, "expected " + std::string(expected) + ", got " + describe(*f.node));
        return nullptr;
    }
    return &f.node->text;
}

std::string range_text(std::uint64_t lo, std::uint64_t hi) {
    if (hi == std::numeric_limits<std::uint64_t>::max()) return "must be >= " + std::to_string(lo);
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
}

std::optional<std::uint64_t> read_uint(Checker& c, const Field& f, std::uint64_t lo, std::uint64_t hi) {
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

// An integer or `off` (std::nullopt).
void get_uint_or_off(Checker& c, const Field& f, std::optional<std::uint64_t>& out, std::uint64_t lo,
                     std::uint64_t hi) {
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

std::optional<Duration> read_duration(Checker& c, const Field& f, DurationRange range) {
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

void get_duration(Checker& c, const Field& f, Duration& out, DurationRange range) {
    if (const auto d = read_duration(c, f, range)) out = *d;
}

void get_duration_or_off(Checker& c, const Field& f, std::optional<Duration>& out, DurationRange range) {
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
        c.error(f.node->pos, f.key, "expected a list of " + std::string(of) + ", got " + describe(*f.node));
        return nullptr;
    }
    return &f.node->items;
}

Field item(const Field& list_field, const std::vector<Node>& items, std::size_t i) {
    return Field{&items[i], index_key(list_field.key, i), items[i].pos};
}

void get_size_or_off(Checker& c, const Field& f, std::optional<std::size_t>& out, std::uint64_t lo,
                     std::uint64_t hi) {
    std::optional<std::uint64_t> v = out;
    get_uint_or_off(c, f, v, lo, hi);
    out = v ? std::optional<std::size_t>(static_cast<std::size_t>(*v)) : std::nullopt;
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

}  // namespace cl::sim::scenario::detail
