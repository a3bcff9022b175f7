#include "app/run_command.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

#include "analysis/results/digest.hpp"
#include "analysis/results/results_file.hpp"
#include "analysis/results/summary_table.hpp"
#include "app/results_mapping.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {
namespace {

struct Options {
    std::string scenario;  // empty: the embedded default
    std::string output;    // empty: outputs.file of the scenario
    std::optional<std::uint64_t> seed;
    std::vector<sim::scenario::Override> sets;
    bool quiet = false;
};

std::expected<Options, std::string> parse(std::span<const std::string> args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::expected<std::string, std::string> {
            if (i + 1 >= args.size()) return std::unexpected(a + " needs a value");
            return args[++i];
        };
        if (a == "-o" || a == "--output") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            o.output = *v;
        } else if (a == "--seed") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            std::uint64_t seed = 0;
            const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seed);
            if (ec != std::errc() || end != v->data() + v->size()) {
                return std::unexpected("--seed: '" + *v + "' is not an unsigned integer");
            }
            o.seed = seed;
        } else if (a == "--set") {
            auto v = value();
            if (!v) return std::unexpected(v.error());
            auto parsed = sim::scenario::parse_override(*v);
            // As `check` reports it: the override's place among the --set arguments.
            if (!parsed) {
                return std::unexpected(std::string(sim::scenario::kSetSource) + ":" +
                                       std::to_string(o.sets.size() + 1) + ":1: " + parsed.error());
            }
            o.sets.push_back(*parsed);
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            return std::unexpected("unknown option " + a);
        } else if (o.scenario.empty()) {
            o.scenario = a;
        } else {
            return std::unexpected("more than one scenario given ('" + o.scenario + "', '" + a + "')");
        }
    }
    return o;
}

std::uint64_t peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace

int run_scenario(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    auto options = parse(args);
    if (!options) {
        // A malformed --set is reported as `check` reports it (`--set:N:1: ...`).
        const bool positioned = options.error().starts_with(sim::scenario::kSetSource);
        err << (positioned ? "" : "cloudledger run: ") << options.error() << "\n";
        return 2;
    }
    if (options->seed) options->sets.push_back({"seed", std::to_string(*options->seed)});
    auto scenario = options->scenario.empty()
                        ? sim::scenario::load_default_scenario(options->sets)
                        : sim::scenario::load_scenario_file(options->scenario, options->sets);
    if (!scenario) {
        for (const auto& e : scenario.error()) err << e.to_string() << "\n";
        return 2;
    }
    const std::string output = options->output.empty() ? scenario->outputs.file : options->output;
    const bool progress = !options->quiet && isatty(STDERR_FILENO);
    // What only the built world shows (selectors resolved against each replication's
    // topology) is bad input too: reported before any run, so nothing is written.
    if (auto ok = sim::world::check_world(*scenario); !ok) {
        err << sim::world::to_scenario_error(*scenario, ok.error()).to_string() << "\n";
        return 2;
    }

    std::vector<analysis::RunResults> runs;
    for (std::uint64_t rep = 0; rep < scenario->replications; ++rep) {
        auto config = sim::world::world_config(*scenario, rep);
        if (!config) {  // check_world() passed: cannot happen, but never abort on input
            err << sim::world::to_scenario_error(*scenario, config.error()).to_string() << "\n";
            return 2;
        }
        const double total = scenario->duration.to_seconds_f64();
        const auto start = std::chrono::steady_clock::now();
        auto created = sim::world::World::create(std::move(*config));
        if (!created) {
            err << sim::world::to_scenario_error(*scenario, {"", created.error(), {}}).to_string() << "\n";
            return 2;
        }
        sim::world::World& world = *created;
        auto report = [&](sim::Time now, std::uint64_t events) {
            const double wall =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double done = now.since_start().to_seconds_f64();
            std::fprintf(stderr,
                         "\r%s rep %llu: %5.1f%% simulated (%.0f s of %.0f s), %.1f s wall, %.2f M events/s, "
                         "ETA %.0f s   ",
                         scenario->name.c_str(), static_cast<unsigned long long>(rep), 100 * done / total,
                         done, total, wall, wall > 0 ? static_cast<double>(events) / wall / 1e6 : 0.0,
                         done > 0 ? wall * (total - done) / done : 0.0);
        };
        const sim::world::WorldResults results = progress ? world.run(report) : world.run();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress) std::fprintf(stderr, "\n");

        analysis::RunResults run = to_run_results(*scenario, rep, results);
        run.wall_clock.wall_seconds = wall;
        run.wall_clock.events = results.events;
        run.wall_clock.events_per_s = static_cast<double>(results.events) / wall;
        run.wall_clock.sim_seconds_per_wall_second = total / wall;
        run.wall_clock.peak_rss_bytes = peak_rss_bytes();
        out << analysis::format_summary(run) << "\n";
        runs.push_back(std::move(run));
    }
    if (auto written = analysis::write_results(output, runs); !written) {
        err << "cloudledger run: " << written.error() << "\n";
        return 1;
    }
    out << "results: " << output << " (digest " << analysis::results_file_digest(runs) << ")\n";
    return 0;
}

}  // namespace cl::app
