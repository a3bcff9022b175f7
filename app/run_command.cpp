#include "app/run_command.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <vector>

#include "analysis/results/digest.hpp"
#include "analysis/results/results_file.hpp"
#include "analysis/results/summary_table.hpp"
#include "app/command_line.hpp"
#include "app/progress.hpp"
#include "app/replication.hpp"
#include "app/termination.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {
namespace {

constexpr std::string_view kRunUsage =
    "usage: cloudledger run [SCENARIO.yaml] [-o FILE.h5] [--seed N] [--set KEY=VALUE]... [--quiet]";

constexpr std::string_view kRunHelp =
    "\n"
    "Simulates every replication of a scenario (the embedded scenarios/passport.yaml when\n"
    "none is given), prints a summary table per run on stdout and writes the HDF5 results\n"
    "file (docs/metrics.md). Progress goes to stderr when it is a terminal.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE.h5   the results file (default: outputs.file of the scenario);\n"
    "                         relative to the working directory; checked before running\n"
    "  --seed N               the scenario seed (as --set seed=N, after the --sets)\n"
    "  --set KEY=VALUE        override one scenario value, e.g. --set duration=2h\n"
    "                         (docs/scenarios.md); may be repeated, later ones win\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             show this text\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure (results not written), 2 bad usage or input\n"
    "(nothing run, nothing written).\n";

struct Options {
    std::string scenario;               // empty: the embedded default
    std::optional<std::string> output;  // nullopt: outputs.file of the scenario
    std::optional<std::uint64_t> seed;
    std::vector<sim::scenario::Override> sets;
    bool quiet = false;
    bool help = false;
};

// A usage error, or (positioned) a malformed --set, reported as `check` reports it.
struct ParseError {
    std::string message;
    bool positioned = false;
};

std::expected<Options, ParseError> parse(std::span<const std::string> args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            o.help = true;
            return o;
        }
        if (auto v = take_value(args, i, {"-o", "--output"})) {
            if (!*v) return std::unexpected(ParseError{v->error()});
            if ((*v)->empty()) return std::unexpected(ParseError{"-o needs a file name, got ''"});
            o.output = **v;
        } else if (auto seed_arg = take_value(args, i, {"--seed"})) {
            if (!*seed_arg) return std::unexpected(ParseError{seed_arg->error()});
            const std::string& text = **seed_arg;
            std::uint64_t seed = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
            if (ec != std::errc() || end != text.data() + text.size()) {
                return std::unexpected(ParseError{"--seed: '" + text + "' is not an unsigned integer"});
            }
            o.seed = seed;
        } else if (auto set = take_value(args, i, {"--set"})) {
            if (!*set) return std::unexpected(ParseError{set->error()});
            auto parsed = sim::scenario::parse_override(**set);
            // As `check` reports it: the override's place among the --set arguments.
            if (!parsed) {
                return std::unexpected(ParseError{std::string(sim::scenario::kSetSource) + ":" +
                                                      std::to_string(o.sets.size() + 1) +
                                                      ":1: " + parsed.error(),
                                                  true});
            }
            o.sets.push_back(*parsed);
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (auto taken = take_file_argument(a, o.scenario, "scenario"); !taken) {
            return std::unexpected(ParseError{taken.error()});
        }
    }
    return o;
}

// The last replication's world, kept alive until the process exits (issue 16: no
// teardown at exit once the results are written). Freeing a 6-hour world — millions of
// small blocks, states, trie nodes and pool entries — takes a noticeable share of a
// run's time and serves nothing once the results file is closed: the operating system
// reclaims the whole address space at exit anyway. A namespace-scope pointer rather than
// a plain release(): memory reachable from a global stays reachable for LeakSanitizer,
// so ASan builds report no leak. Only this command (a process that exits right after)
// does this; library code and tests always destroy their worlds.
sim::world::World* world_kept_until_exit = nullptr;

std::uint64_t peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace

int run_scenario(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    auto options = parse(args);
    if (!options) {
        if (options.error().positioned) {
            err << options.error().message << "\n";
            return 2;
        }
        return usage_error(err, options.error().message, kRunUsage, "run");
    }
    if (options->help) {
        out << kRunUsage << "\n" << kRunHelp;
        return 0;
    }
    if (options->seed) options->sets.push_back({"seed", std::to_string(*options->seed)});
    auto scenario = options->scenario.empty()
                        ? sim::scenario::load_default_scenario(options->sets)
                        : sim::scenario::load_scenario_file(options->scenario, options->sets);
    if (!scenario) {
        for (const auto& e : scenario.error()) err << e.to_string() << "\n";
        return 2;
    }
    // What only the built world shows (selectors resolved against each replication's
    // topology) is bad input too: reported before any run, so nothing is written. Each
    // replication is checked here once; its world is built from the checked config.
    auto checked = sim::world::check_world(*scenario);
    if (!checked) {
        err << sim::world::to_scenario_error(*scenario, checked.error()).to_string() << "\n";
        return 2;
    }
    // A results file that cannot be written is bad input, found before the simulation.
    const std::string output = options->output.value_or(scenario->outputs.file);
    if (auto writable = analysis::check_output_path(output); !writable) {
        if (options->output) {
            err << "error: -o " << writable.error() << "\n";
        } else {
            const sim::world::WorldConfigError e{"outputs.file", "cannot write results: " + writable.error(),
                                                 scenario->outputs.file_pos};
            err << sim::world::to_scenario_error(*scenario, e).to_string() << "\n";
        }
        return 2;
    }
    const bool progress = !options->quiet && isatty(STDERR_FILENO);
    install_termination_handlers();

    std::vector<analysis::RunResults> runs;
    std::unique_ptr<sim::world::World> last_world;
    for (std::uint64_t rep = 0; rep < scenario->replications; ++rep) {
        last_world.reset();  // one world alive at a time: freed before the next one is built
        const double total = scenario->duration.to_seconds_f64();
        auto report = [&](sim::Time now, std::uint64_t events, double wall_s) {
            const Progress p{
                .scenario = scenario->name,
                .replication = rep,
                .replications = scenario->replications,
                .simulated_s = now.since_start().to_seconds_f64(),
                .total_s = total,
                .wall_s = wall_s,
                .events = events,
            };
            std::fputs(format_progress(p).c_str(), stderr);
        };
        analysis::RunResults run =
            run_replication(*scenario, std::move((*checked)[rep]),
                            progress ? ReplicationProgress(report) : ReplicationProgress(), &last_world);
        if (progress) std::fprintf(stderr, "\n");
        run.wall_clock.peak_rss_bytes = peak_rss_bytes();
        out << analysis::format_summary(run) << "\n";
        runs.push_back(std::move(run));
    }
    if (auto written = analysis::write_results(output, runs); !written) {
        err << "cloudledger run: " << written.error() << "\n";
        return 1;
    }
    out << "results: " << output << " (digest " << analysis::results_file_digest(runs) << ")\n";
    delete world_kept_until_exit;                  // nullptr unless run_scenario ran before in this process
    world_kept_until_exit = last_world.release();  // written and closed: skip the teardown
    return 0;
}

}  // namespace cl::app
