// The sweep file (sweep_file.hpp): read with the scenario's schema reader (schema.hpp),
// each point checked by loading the base scenario with the point's overrides.
#include "sim/scenario/sweep_file.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/schema.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace cl::sim::scenario {

using detail::Checker;
using detail::Field;
using detail::MapReader;
using detail::Node;
using detail::Pos;
using detail::quote;
using detail::Source;

ScenarioError SweepFile::error_at_pos(const SourcePos& pos, std::string key, std::string message) const {
    return ScenarioError{source_file, pos.line, pos.column, std::move(key), std::move(message)};
}

ScenarioError SweepFile::locate(std::size_t point, ScenarioError e) const {
    if (e.file != kSetSource || point >= points.size()) return e;
    const SweepPointSpec& p = points[point];
    if (e.line == 0 || e.line > p.overrides.size()) return e;
    const std::size_t i = e.line - 1;
    const std::size_t value_column = p.overrides[i].path.size() + 2;  // after `path=`
    SourcePos at;
    if (e.column >= value_column) {
        at = p.value_pos[i];
        // Within a plain one-line scalar, the override's column is the file's; a quoted
        // value was re-quoted, so point at its start.
        if (p.value_plain[i]) at.column += e.column - value_column;
    } else {
        at = p.key_pos[i];
        if (e.column > 0) at.column += e.column - 1;
    }
    e.file = source_file;
    e.line = at.line;
    e.column = at.column;
    return e;
}

namespace detail {
namespace {

// One override as the sweep file wrote it.
struct Written {
    std::string key;
    Pos key_pos;
    const Node* value = nullptr;
};

// What the key readers share.
struct SweepLoad {
    Checker& c;
    SweepFile& s;
    Field scenario;                         // `scenario:`
    std::optional<Pos> seed_key, reps_key;  // present: the sweep overrides them
    Field seed_value, reps_value;
    std::uint64_t reps = 1;
    std::vector<std::vector<Written>> grid;    // per grid key: one Written per value
    std::vector<std::vector<Written>> points;  // per `points` entry
    std::vector<std::pair<std::string, Pos>> grid_keys;
};

// The text given to --set for a scalar written in the sweep file: a plain scalar as
// written; a quoted one re-quoted (double quotes), so that it stays the string it was.
std::string override_text(const Node& n) {
    if (n.plain) return n.text;
    std::string out = "\"";
    for (const char ch : n.text) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (ch == '\n') {
            out += "\\n";
            continue;
        }
        if (ch == '\t') {
            out += "\\t";
            continue;
        }
        out += ch;
    }
    out += '"';
    return out;
}

// An override key (a --set path; its syntax is checked when the point is loaded):
// within its column, and not one the sweep sets with its own keys.
bool check_key(Checker& c, const Pos& pos, const std::string& key, const std::string& where) {
    if (key.size() > kMaxSweepKeyBytes) {
        c.error(pos, where,
                "the key " + quote(key) + " is " + std::to_string(key.size()) + " bytes long; at most " +
                    std::to_string(kMaxSweepKeyBytes) + " (the /sweep point_overrides column)");
        return false;
    }
    if (key == "seed" || key == "replications") {
        c.error(pos, where,
                "'" + key + "' cannot be swept: the sweep's own `" + key +
                    ":` sets it for every point (a point's runs are its replications)");
        return false;
    }
    return true;
}

// An override value: a scalar within its column.
bool check_value(Checker& c, const Field& f) {
    if (!f.node->is_scalar()) {
        c.error(f.node->pos, f.key,
                "expected a value as --set takes it (a scalar; write a list or mapping as a quoted "
                "YAML flow string), got " +
                    describe(*f.node));
        return false;
    }
    if (override_text(*f.node).size() > kMaxSweepValueBytes) {
        c.error(f.node->pos, f.key,
                "the value is " + std::to_string(f.node->text.size()) + " bytes long; at most " +
                    std::to_string(kMaxSweepValueBytes) + " (the /sweep point_overrides column)");
        return false;
    }
    return true;
}

void read_sweep_name(SweepLoad& l, const Field& f) {
    std::string name;
    const std::size_t before = l.c.count();
    get_string(l.c, f, name);
    if (!f || l.c.count() != before) return;
    if (name.size() > kMaxSweepNameBytes) {
        l.c.error(f.node->pos, f.key,
                  "the sweep name is " + std::to_string(name.size()) + " bytes long; at most " +
                      std::to_string(kMaxSweepNameBytes) + " (it names the runs /runs/<sweep>-p<P>-rep<R>)");
    } else if (!is_name(name)) {
        l.c.error(f.node->pos, f.key,
                  "the sweep name " + quote(name) +
                      " must be letters, digits, '_' and '-' (it names the runs /runs/<sweep>-p<P>-rep<R>)");
    }
    l.s.name = name;
}

void read_grid(SweepLoad& l, const Field& f) {
    if (!f || f.node->is_null()) return;
    if (!f.node->is_map()) {
        l.c.error(f.node->pos, f.key,
                  "expected a mapping of --set keys to lists of values, got " + describe(*f.node));
        return;
    }
    if (f.node->entries.empty()) {
        l.c.error(f.node->pos, f.key, "the grid is empty (leave it out to run the explicit points only)");
        return;
    }
    for (const Entry& e : f.node->entries) {
        const Field vf{&e.value, join_key(f.key, e.key), e.value.pos};
        if (!check_key(l.c, e.key_pos, e.key, vf.key)) continue;
        const auto* items = list(l.c, vf, "values");
        if (items == nullptr) continue;
        if (items->empty()) {
            l.c.error(vf.node->is_null() ? e.key_pos : vf.node->pos, vf.key,
                      "no values: a grid key needs at least one value");
            continue;
        }
        std::vector<Written> values;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const Field itf = item(vf, *items, i);
            if (check_value(l.c, itf)) values.push_back(Written{e.key, e.key_pos, itf.node});
        }
        if (values.size() == items->size()) {
            l.grid.push_back(std::move(values));
            l.grid_keys.emplace_back(e.key, e.key_pos);
        }
    }
}

void read_points(SweepLoad& l, const Field& f) {
    const auto* items = list(l.c, f, "points (mappings of --set keys to values)");
    if (items == nullptr) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field pf = item(f, *items, i);
        if (!pf.node->is_map()) {
            l.c.error(pf.node->pos, pf.key,
                      "expected a mapping of --set keys to values, got " + describe(*pf.node));
            continue;
        }
        if (pf.node->entries.empty()) {
            l.c.error(pf.node->pos, pf.key,
                      "an empty point (the base scenario): give it at least one override");
            continue;
        }
        std::vector<Written> point;
        bool ok = true;
        for (const Entry& e : pf.node->entries) {
            const Field vf{&e.value, join_key(pf.key, e.key), e.value.pos};
            ok = check_key(l.c, e.key_pos, e.key, vf.key) && ok;
            if (!ok) continue;
            if (check_value(l.c, vf)) {
                point.push_back(Written{e.key, e.key_pos, &e.value});
            } else {
                ok = false;
            }
        }
        if (ok) l.points.push_back(std::move(point));
    }
}

void read_metrics(SweepLoad& l, const Field& f) {
    if (!f) return;
    l.s.metrics_pos = source_pos(f.node->pos);
    const auto* items = list(l.c, f, "metric names");
    if (items == nullptr) return;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field mf = item(f, *items, i);
        std::string name;
        if (scalar(l.c, mf, "a metric name") == nullptr) continue;
        name = mf.node->text;
        // Built-in names are one segment; an adversary's own are `<kind>.<name>.<metric>`.
        bool segments_ok = true;
        for (std::size_t start = 0; start <= name.size();) {
            const std::size_t dot = std::min(name.find('.', start), name.size());
            segments_ok =
                segments_ok && dot > start && is_name(std::string_view(name).substr(start, dot - start));
            start = dot + 1;
        }
        if (name.empty() || name.size() > 64 || !segments_ok) {
            l.c.error(mf.node->pos, mf.key,
                      "a metric name " + quote(name) +
                          " is a summary name (letters, digits, '_', '-', and '.' between parts; at most 64 "
                          "bytes; docs/metrics.md)");
            continue;
        }
        if (!seen.insert(name).second) {
            l.c.error(mf.node->pos, mf.key, "the metric " + quote(name) + " is listed twice");
            continue;
        }
        l.s.metrics.push_back(name);
        l.s.metric_pos.push_back(source_pos(mf.node->pos));
    }
}

using SweepKey = Key<SweepLoad, SweepFile>;

// The keys of a sweep file, in documented order (docs/experiments.md "The sweep file").
constexpr std::array<SweepKey, 8> kSweepKeys{{
    {"sweep", [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) { read_sweep_name(l, f); },
     true},
    {"description",
     [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) {
         std::string d;
         get_string(l.c, f, d);
     }},
    {"scenario",
     [](SweepLoad& l, const Field& f, const MapReader&, SweepFile& s) {
         std::string path;
         const std::size_t before = l.c.count();
         get_string(l.c, f, path);
         if (!f || l.c.count() != before) return;
         if (path.empty()) {
             l.c.error(f.node->pos, f.key, "the scenario path is empty (a path, or `default`)");
             return;
         }
         l.scenario = f;
         s.default_scenario = path == "default";
         s.scenario_file = s.default_scenario ? std::string(kDefaultScenarioName) : resolve(l.c, f, path);
     },
     true},
    {"replications",
     [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) {
         if (!f) return;
         const std::size_t before = l.c.count();
         get_uint(l.c, f, l.reps, 1, kMaxReplications);
         if (l.c.count() == before) {
             l.reps_key = f.pos;
             l.reps_value = f;
         }
     }},
    {"seed",
     [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) {
         if (!f) return;
         const std::size_t before = l.c.count();
         std::uint64_t seed = 0;
         get_uint(l.c, f, seed);
         if (l.c.count() == before) {
             l.seed_key = f.pos;
             l.seed_value = f;
         }
     }},
    {"grid", [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) { read_grid(l, f); }},
    {"points", [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) { read_points(l, f); }},
    {"metrics", [](SweepLoad& l, const Field& f, const MapReader&, SweepFile&) { read_metrics(l, f); }},
}};

// The point's overrides from what the file wrote, plus seed and replications.
SweepPointSpec make_point(const SweepLoad& l, const std::vector<const Written*>& written) {
    SweepPointSpec p;
    for (const Written* w : written) {
        p.overrides.push_back(Override{w->key, override_text(*w->value)});
        p.key_pos.push_back(source_pos(w->key_pos));
        p.value_pos.push_back(source_pos(w->value->pos));
        p.value_plain.push_back(w->value->plain);
    }
    p.swept = p.overrides.size();
    auto add = [&](const char* key, const Field& f) {
        p.overrides.push_back(Override{key, f.node->text});
        // The key's position is the mapping key's, one column per character before it.
        p.key_pos.push_back(source_pos(f.pos));
        p.value_pos.push_back(source_pos(f.node->pos));
        p.value_plain.push_back(f.node->plain);
    };
    if (l.seed_value) add("seed", l.seed_value);
    if (l.reps_value) add("replications", l.reps_value);
    return p;
}

// The field of a key as MapReader::get gives it, with the key's own position.
Field key_field(const Node& root, std::string_view key) {
    const Entry* e = root.find(key);
    if (e == nullptr) return Field{};
    return Field{&e->value, std::string(key), e->key_pos};
}

}  // namespace
}  // namespace detail

std::expected<SweepFile, std::vector<ScenarioError>> load_sweep(std::string_view text, std::string filename) {
    using namespace detail;
    Checker c(filename);
    if (text.size() > kMaxInputBytes) {
        c.error(Pos{}, "", "the sweep file is larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB");
        return std::unexpected(c.take_sorted());
    }
    if (const auto bad = find_bad_text(text)) {
        c.error(Pos{Source::kFile, bad->line, bad->column}, "", bad->message);
        return std::unexpected(c.take_sorted());
    }
    std::vector<ParseError> perr;
    auto root = parse_yaml(text, Source::kFile, 0, 0, perr);
    for (const auto& e : perr) c.error(e.pos, e.key, e.message);
    if (!root) return std::unexpected(c.take_sorted());
    if (!root->is_map()) {
        c.error(root->is_null() ? Pos{} : root->pos, "",
                "a sweep file is a mapping of keys (sweep, scenario, replications, seed, grid, points, "
                "metrics), got " +
                    describe(*root));
        return std::unexpected(c.take_sorted());
    }
    SweepFile s;
    s.source_file = filename;
    SweepLoad l{c, s, {}, {}, {}, {}, {}, 1, {}, {}, {}};
    const MapReader top = map_reader(c, Field{&*root, "", root->pos}, kSweepKeys, "in the sweep file", true);
    read_keys(l, top, kSweepKeys, s);
    // seed/replications: the mapping key's position for errors in the key itself.
    if (l.seed_value) l.seed_value = key_field(*root, "seed");
    if (l.reps_value) l.reps_value = key_field(*root, "replications");

    // The points: the grid's cartesian product (first key slowest), then the explicit ones.
    std::uint64_t grid_points = l.grid.empty() ? 0 : 1;
    for (const auto& values : l.grid)
        grid_points = std::min<std::uint64_t>(grid_points * values.size(), kMaxSweepPoints + 1);
    const std::uint64_t total_points = l.grid.empty() && l.points.empty() ? 1 : grid_points + l.points.size();
    const std::uint64_t reps = l.reps;
    if (total_points > kMaxSweepPoints) {
        c.error(top.get("grid") ? top.get("grid").node->pos : Pos{}, "grid",
                "the sweep has more than " + std::to_string(kMaxSweepPoints) + " points");
    } else if (total_points * reps > kMaxSweepRuns) {
        c.error(l.reps_value ? l.reps_value.node->pos : Pos{}, "replications",
                std::to_string(total_points) + " points × " + std::to_string(reps) +
                    " replications is more than " + std::to_string(kMaxSweepRuns) + " runs");
    }
    if (c.has_errors()) return std::unexpected(c.take_sorted());

    std::vector<std::vector<const Written*>> written;
    if (!l.grid.empty()) {
        std::vector<std::size_t> index(l.grid.size(), 0);
        for (std::uint64_t n = 0; n < grid_points; ++n) {
            std::vector<const Written*> point;
            for (std::size_t k = 0; k < l.grid.size(); ++k) point.push_back(&l.grid[k][index[k]]);
            written.push_back(std::move(point));
            for (std::size_t k = l.grid.size(); k-- > 0;) {
                if (++index[k] < l.grid[k].size()) break;
                index[k] = 0;
            }
        }
    }
    for (const auto& p : l.points) {
        std::vector<const Written*> point;
        for (const Written& w : p) point.push_back(&w);
        written.push_back(std::move(point));
    }
    if (written.empty()) written.emplace_back();
    for (const auto& [key, pos] : l.grid_keys) s.parameters.push_back(key);
    for (const auto& p : l.points) {
        for (const Written& w : p) {
            if (std::find(s.parameters.begin(), s.parameters.end(), w.key) == s.parameters.end()) {
                s.parameters.push_back(w.key);
            }
        }
    }

    // The base scenario, as it is: its own errors are reported in its own file.
    std::string base_text;
    if (s.default_scenario) {
        base_text = std::string(default_scenario_text());
    } else {
        auto read = read_input_file(s.scenario_file, kMaxInputBytes);
        if (!read) {
            c.error(l.scenario.node->pos, "scenario",
                    "cannot read the scenario " + quote(s.scenario_file) + ": " + read.error());
            return std::unexpected(c.take_sorted());
        }
        base_text = std::move(*read);
    }
    auto base = load_scenario(base_text, s.scenario_file);
    if (!base) {
        for (auto& e : base.error()) c.error_in(e.file, e.line, e.column, e.key, e.message);
        return std::unexpected(c.take_sorted());
    }
    s.seed = base->seed;
    s.replications = base->replications;

    // Every point: the base scenario with its overrides, checked as --set is. An error an
    // override causes is reported where the sweep file wrote it, once (a grid value is in
    // many points).
    std::set<std::string> reported;
    for (std::size_t i = 0; i < written.size(); ++i) {
        s.points.push_back(make_point(l, written[i]));
        auto loaded = load_scenario(base_text, s.scenario_file, s.points.back().overrides);
        if (!loaded) {
            for (const auto& e0 : loaded.error()) {
                ScenarioError e = s.locate(i, e0);
                if (!reported.insert(e.to_string()).second) continue;
                if (e.file == filename) {
                    c.error(Pos{Source::kFile, e.line, e.column}, e.key, e.message);
                } else {
                    // Reported in the base scenario, caused by the point's overrides: say which.
                    std::string with;
                    for (std::size_t k = 0; k < s.points.back().swept; ++k) {
                        const Override& o = s.points.back().overrides[k];
                        with += (with.empty() ? "" : ", ") + o.path + "=" + o.value;
                    }
                    c.error_in(e.file, e.line, e.column, e.key,
                               e.message + " (sweep point " + std::to_string(i) +
                                   (with.empty() ? "" : ": " + with) + ", " + filename + ")");
                }
            }
            continue;
        }
        s.points.back().scenario = std::move(*loaded);
    }
    if (c.has_errors()) return std::unexpected(c.take_sorted());
    s.seed = s.points.front().scenario.seed;
    s.replications = s.points.front().scenario.replications;
    return s;
}

std::expected<SweepFile, std::vector<ScenarioError>> load_sweep_file(const std::string& path) {
    const auto text = detail::read_input_file(path, kMaxInputBytes);
    if (!text) {
        return std::unexpected(std::vector<ScenarioError>{
            ScenarioError{path, 0, 0, "", "cannot read the sweep file: " + text.error()}});
    }
    return load_sweep(*text, path);
}

}  // namespace cl::sim::scenario
