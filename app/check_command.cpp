#include "app/check_command.hpp"

#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {

namespace sc = cl::sim::scenario;

namespace {

constexpr std::string_view kCheckUsage = "usage: cloudledger check SCENARIO.yaml [--set key=value]...";

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
        std::string set_arg;
        if (a == "--set") {
            if (i + 1 == args.size()) {
                err << "error: --set needs key=value\n" << kCheckUsage << "\n";
                return 2;
            }
            set_arg = args[++i];
        } else if (a.starts_with("--set=")) {
            set_arg = a.substr(6);
        } else if (a.starts_with("-") && a != "-") {
            err << "error: unknown option '" << a << "'\n" << kCheckUsage << "\n";
            return 2;
        } else if (path.empty()) {
            path = a;
            continue;
        } else {
            err << "error: check takes one scenario file, got '" << path << "' and '" << a << "'\n"
                << kCheckUsage << "\n";
            return 2;
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
    if (path.empty()) {
        err << "error: no scenario file given\n" << kCheckUsage << "\n";
        return 2;
    }
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
        << sc::format_duration(s.consensus.period) << " blocks, seed " << s.seed << ", "
        << plural(s.replications, "replication") << ", " << plural(s.faults.size(), "fault") << "\n";
    return 0;
}

}  // namespace cl::app
