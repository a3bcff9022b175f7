// The top level of a scenario (name, seed, replications, duration and the sections, in
// the order they are read) and `outputs` (docs/scenarios.md "Reference").
#include <filesystem>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// The run's name in results (/runs/<name>-seed<S>-rep<R>): the file's stem unless
// written. Bounded by kMaxScenarioNameBytes; no '/', control characters or invalid UTF-8.
void read_name(Load& l, const Field& f, const Field& root) {
    l.s.name = std::filesystem::path(l.c.file()).stem().string();
    if (l.s.name.empty()) l.s.name = "scenario";
    std::string name = l.s.name;
    get_string(l.c, f, name);
    const Field at = f ? f : Field{root.node, "name", Pos{}};
    const std::string what = f ? "the scenario name " + quote(name)
                               : "the file name " + quote(name) +
                                     " (the scenario's name when none is written: set one with name:)";
    if (name.size() > kMaxScenarioNameBytes) {
        l.c.error(at.pos, at.key,
                  what + " is " + std::to_string(name.size()) + " bytes long; at most " +
                      std::to_string(kMaxScenarioNameBytes) + " (it names the run in the results file)");
    } else if (name.find('/') != std::string::npos) {
        l.c.error(at.pos, at.key,
                  what +
                      " holds '/' (it names the run's group /runs/<name>-seed<S>-rep<R> in the results "
                      "file)");
    } else if (const auto bad = find_bad_text(name, false)) {
        l.c.error(at.pos, at.key, what + ": " + bad->message);
    } else {
        l.s.name = name;
    }
}

using TopKey = Key<Load, Scenario>;

// The top-level keys in documented order; `stage` is the order the sections are read in.
constexpr std::array<TopKey, 17> kTopKeys{{
    {"name",
     [](Load& l, const Field& f, const MapReader& m, Scenario&) {
         read_name(l, f, Field{m.node(), "", m.pos()});
     }},
    {"description",
     [](Load& l, const Field& f, const MapReader&, Scenario&) {
         std::string description;
         get_string(l.c, f, description);
     }},
    {"seed", [](Load& l, const Field& f, const MapReader&, Scenario& s) { get_uint(l.c, f, s.seed); }},
    {"replications", [](Load& l, const Field& f, const MapReader&,
                        Scenario& s) { get_uint(l.c, f, s.replications, 1, kMaxReplications); }},
    {"duration",
     [](Load& l, const Field& f, const MapReader&, Scenario& s) {
         const std::size_t before = l.c.count();
         get_duration(l.c, f, s.duration, {.allow_zero = false, .max = std::nullopt});
         l.duration_ok = l.c.count() == before;
     }},
    {"network", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_network(l, f); }, false, 2},
    // The clouds need the tiers (quotas) and the regions; the topology then needs the node
    // count, with the joining clouds of `events` (read in this stage, after the clouds).
    {"clouds", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_clouds(l, f); }, true, 3},
    // pool.ttl is read after consensus: a TTL written as a duration needs the period.
    {"consensus",
     [](Load& l, const Field& f, const MapReader&, Scenario&) {
         read_consensus(l, f);
         read_ttl(l, l.ttl_field);
     },
     false, 4},
    {"cpu", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_cpu(l, f); }, false, 5},
    {"pool", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_pool(l, f); }, false, 1},
    {"txpool", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_txpool(l, f); }, false, 6},
    {"workload", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_workload(l, f); }, false, 7},
    {"faults", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_faults(l, f); }, false, 8},
    {"adversaries", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_adversaries(l, f); },
     false, 9},
    {"events",
     [](Load& l, const Field& f, const MapReader&, Scenario&) {
         read_events(l, f);
         check_topology(l);
     },
     false, 3},
    // After the clouds (threshold) and the workload (allocate_after: final_checkpoint).
    {"checkpoints", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_checkpoints(l, f); },
     false, 10},
    {"outputs", [](Load& l, const Field& f, const MapReader&, Scenario&) { read_outputs(l, f); }, false, 11},
}};

using OutputKey = Key<Load, OutputSpec>;

constexpr std::array<OutputKey, 2> kOutputKeys{{
    {"file",
     [](Load& l, const Field& f, const MapReader&, OutputSpec& o) {
         get_string(l.c, f, o.file);
         if (f) o.file_pos = source_pos(f.node->pos);
     }},
    {"sample_interval",
     [](Load& l, const Field& si, const MapReader&, OutputSpec& o) {
         if (const auto d = read_duration(l.c, si, {.allow_zero = false, .max = std::nullopt})) {
             if (*d > l.s.duration && l.duration_ok) {
                 l.c.error(si.pos, si.key,
                           "sample_interval " + excerpt(si.node->text) +
                               " is longer than the run (duration " + format_duration(l.s.duration) + ")");
             } else {
                 o.sample_interval = *d;
             }
         }
     }},
}};

}  // namespace

void read_scenario(Load& l, const Node& root) {
    const Field rf{&root, "", root.pos};
    const MapReader top = map_reader(l.c, rf, kTopKeys, {}, true);
    read_keys(l, top, kTopKeys, l.s);
    check_run_size(l, top);
}

void read_outputs(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kOutputKeys);
    read_keys(l, m, kOutputKeys, l.s.outputs);
}

bool check_count(Load& l, const Field& f, std::size_t count, std::size_t max, std::string_view what,
                 std::string_view why) {
    if (count <= max) return true;
    l.c.error(f.pos, f.key,
              std::to_string(count) + " " + std::string(what) + "; at most " + std::to_string(max) + " (" +
                  std::string(why) + ")");
    return false;
}

}  // namespace cl::sim::scenario::detail
