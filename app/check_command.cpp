#include "app/check_command.hpp"

#include <vector>

#include "app/command_line.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {

namespace sc = cl::sim::scenario;

namespace {

constexpr std::string_view kCheckUsage = "usage: cloudledger check SCENARIO.yaml [--set KEY=VALUE]...";

constexpr std::string_view kCheckHelp =
    "\n"
    "Validates a scenario without running it and reports every error, one per line, as\n"
    "FILE:LINE:COLUMN: KEY: MESSAGE on stderr (FILE is --set for an override, LINE its\n"
    "number). Then builds each replication's topology and resolves the fault selectors\n"
    "against it, as `run` does. On success prints one summary line. Writes no file.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE   override one scenario value, e.g. --set duration=2h\n"
    "                    (docs/scenarios.md); may be repeated, later ones win\n"
    "  -h, --help        show this text\n"
    "\n"
    "Exit codes: 0 ok, 2 bad usage or an invalid scenario.\n";

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_check(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    std::string path;
    std::vector<sc::Override> sets;
    bool bad_set = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            out << kCheckUsage << "\n" << kCheckHelp;
            return 0;
        }
        std::string set_arg;
        if (auto v = take_value(args, i, {"--set"})) {
            if (!*v) return usage_error(err, v->error(), kCheckUsage, "check");
            set_arg = **v;
        } else if (a.size() > 1 && a[0] == '-') {
            return usage_error(err, "unknown option '" + a + "'", kCheckUsage, "check");
        } else if (path.empty()) {
            if (a.empty()) return usage_error(err, "the scenario file name is empty", kCheckUsage, "check");
            path = a;
            continue;
        } else {
            return usage_error(err, "check takes one scenario file, got '" + path + "' and '" + a + "'",
                               kCheckUsage, "check");
        }
        auto o = sc::parse_override(set_arg);
        if (!o) {
            // Malformed overrides are reported together, before the file is judged (the
            // indices of the others would otherwise not match their errors).
            err << sc::kSetSource << ":" << sets.size() + 1 << ":1: " << o.error() << "\n";
            bad_set = true;
            sets.push_back({});
            continue;
        }
        sets.push_back(std::move(*o));
    }
    if (path.empty()) return usage_error(err, "no scenario file given", kCheckUsage, "check");
    if (bad_set) return 2;
    const auto scenario = sc::load_scenario_file(path, sets);
    if (!scenario) {
        for (const sc::ScenarioError& e : scenario.error()) err << e.to_string() << "\n";
        return 2;
    }
    const sc::Scenario& s = *scenario;
    // What only the built world shows: selectors resolved against the topology of every
    // replication (partition groups that come out empty or overlapping, and so on).
    if (auto built = sim::world::check_world(s); !built) {
        err << sim::world::to_scenario_error(s, built.error()).to_string() << "\n";
        return 2;
    }
    out << path << ": ok: scenario '" << s.name << "', " << plural(s.clouds.size(), "cloud") << ", "
        << plural(s.network.full_nodes, "full node") << ", " << sc::to_string(s.network.topology.kind)
        << " topology, " << sc::format_duration(s.duration) << " at "
        << sc::format_duration(sc::block_period(s)) << " blocks, seed " << s.seed << ", "
        << plural(s.replications, "replication") << ", " << plural(s.faults.size(), "fault") << "\n";
    return 0;
}

}  // namespace cl::app
