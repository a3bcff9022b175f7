#include "app/sweep_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "analysis/report/aggregate.hpp"
#include "analysis/results/digest.hpp"
#include "analysis/results/results_file.hpp"
#include "app/command_line.hpp"
#include "app/results_mapping.hpp"
#include "app/sweep_ranks.hpp"
#include "app/sweep_runner.hpp"
#include "app/termination.hpp"
#include "sim/scenario/sweep_file.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {
namespace {

constexpr std::string_view kSweepUsage =
    "usage: cloudledger sweep SWEEP.yaml [-j N] [-o FILE.h5] [--quiet] [--check]";

constexpr std::string_view kSweepHelp =
    "\n"
    "Runs every replication of every point of a sweep file (docs/experiments.md): the base\n"
    "scenario with each point's --set overrides. Writes one HDF5 results file with every\n"
    "run (/runs) and the point and aggregate tables (/sweep). Finished runs are kept in\n"
    "FILE.h5.partial/ until the file is written: started again with the same sweep file\n"
    "and output, a sweep skips the runs already done. Under mpirun (or srun), the ranks\n"
    "share the runs and rank 0 writes the file. Results do not depend on -j or the ranks.\n"
    "\n"
    "options:\n"
    "  -j, --jobs N           worker threads (default: the number of cores; under MPI,\n"
    "                         the cores divided by the ranks on the machine)\n"
    "  -o, --output FILE.h5   the results file (default: SWEEP-NAME.h5 in the working\n"
    "                         directory); checked before running\n"
    "  -q, --quiet            no progress line\n"
    "  --check                check the sweep file and every run's world, print the\n"
    "                         points, run nothing\n"
    "  -h, --help             show this text\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure (finished runs kept for a restart), 2 bad usage\n"
    "or input (nothing run, nothing written).\n";

struct Options {
    std::string file;
    std::optional<unsigned> jobs;
    std::optional<std::string> output;
    bool quiet = false;
    bool check = false;
    bool help = false;
};

std::expected<Options, std::string> parse(std::span<const std::string> args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            o.help = true;
            return o;
        }
        if (auto v = take_value(args, i, {"-o", "--output"})) {
            if (!*v) return std::unexpected(v->error());
            if ((*v)->empty()) return std::unexpected("-o needs a file name, got ''");
            o.output = **v;
        } else if (auto j = take_value(args, i, {"-j", "--jobs"})) {
            if (!*j) return std::unexpected(j->error());
            auto n = parse_jobs(**j);
            if (!n) return std::unexpected(n.error());
            o.jobs = *n;
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (a == "--check") {
            o.check = true;
        } else if (auto taken = take_file_argument(a, o.file, "sweep"); !taken) {
            return std::unexpected(taken.error());
        }
    }
    if (!o.help && o.file.empty()) return std::unexpected("no sweep file given");
    return o;
}

// What only a built world shows (selectors against each replication's topology), for
// every run, before any runs; and the metric names against the summary a run of each
// point produces. Unique errors, in point order.
std::vector<sim::scenario::ScenarioError> check_runs(const sim::scenario::SweepFile& sweep) {
    std::vector<sim::scenario::ScenarioError> errors;
    std::set<std::string> seen;
    for (std::size_t p = 0; p < sweep.points.size(); ++p) {
        const auto& scenario = sweep.points[p].scenario;
        for (std::uint64_t r = 0; r < sweep.replications; ++r) {
            auto checked = sim::world::checked_world_config(scenario, r);
            if (checked) continue;
            auto e = sweep.locate(p, sim::world::to_scenario_error(scenario, checked.error()));
            if (seen.insert(e.to_string()).second) errors.push_back(std::move(e));
            break;
        }
        if (sweep.metrics.empty()) continue;
        // The built-in summary's names depend on the scenario only (its tiers, the reason
        // code books; docs/metrics.md): the mapping of an empty record with the scenario's
        // tiers lists them, every refusal count included (they are zero-filled). The names
        // an adversary's workload contributes
        // (WorldResults::metrics: `spam.<name>.*`, docs/attacks.md) are known in full only
        // after a run: a name under the prefix of one of the scenario's adversaries passes.
        sim::world::WorldResults record;
        record.final_pool_remaining.assign(scenario.pool.tiers.size(), 0);
        const analysis::RunResults empty = to_run_results(scenario, 0, record);
        std::vector<std::string> names;
        for (const auto& entry : empty.summary) names.push_back(entry.name.str());
        std::vector<std::string> prefixes;
        for (const auto& adversary : scenario.adversaries) {
            prefixes.push_back("attack." + adversary.name + ".");  // every attack's figures
            if (std::holds_alternative<sim::scenario::SpamSpec>(adversary.attack))
                prefixes.push_back("spam." + adversary.name + ".");
        }
        if (scenario.checkpoints) {  // sim/world/checkpoints.cpp's metrics (docs/metrics.md)
            for (const char* prefix :
                 {"checkpoint_", "mainchain_", "allocation_latency_mean_s", "allocations_unbacked"})
                prefixes.emplace_back(prefix);
        }
        for (std::size_t m = 0; m < sweep.metrics.size(); ++m) {
            bool found = false;
            for (const auto& name : names) found = found || name == sweep.metrics[m];
            for (const auto& prefix : prefixes) found = found || sweep.metrics[m].starts_with(prefix);
            if (found) continue;
            auto e = sweep.error_at_pos(
                sweep.metric_pos[m], "metrics[" + std::to_string(m) + "]",
                "unknown metric '" + sweep.metrics[m] + "' (the summary metrics of docs/metrics.md)");
            if (seen.insert(e.to_string()).second) errors.push_back(std::move(e));
        }
    }
    return errors;
}

// "\rsweep NAME: 12/40 runs (4 from before), 35 s, ETA 1 min 30 s   "
std::string format_sweep_progress(const std::string& name, std::size_t done, std::size_t total,
                                  std::size_t resumed, std::size_t ran, double wall_s) {
    char buf[256];
    const std::size_t left = total - done;
    std::string eta = "ETA ?";
    if (ran > 0) {
        const auto s =
            static_cast<long long>(wall_s / static_cast<double>(ran) * static_cast<double>(left) + 0.5);
        eta = s >= 60 ? "ETA " + std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s"
                      : "ETA " + std::to_string(s) + " s";
    }
    std::snprintf(buf, sizeof buf, "\rsweep %s: %zu/%zu runs%s, %.0f s, %s   ", name.c_str(), done, total,
                  resumed > 0 ? (" (" + std::to_string(resumed) + " from before)").c_str() : "", wall_s,
                  eta.c_str());
    return buf;
}

// Reads every run from the journal, in the sweep's order, aggregates, and writes the
// results file. Memory: every run once (the writer builds the file from them).
std::expected<std::string, std::string> assemble(const sim::scenario::SweepFile& sweep,
                                                 const std::vector<SweepRun>& all, const std::string& dir,
                                                 const std::string& output) {
    std::vector<analysis::RunResults> runs;
    runs.reserve(all.size());
    analysis::SweepTables tables;
    tables.name = sweep.name;
    tables.seed = sweep.seed;
    tables.parameters = sweep.parameters;
    tables.points.resize(sweep.points.size());
    for (std::size_t p = 0; p < sweep.points.size(); ++p) {
        const auto& spec = sweep.points[p];
        for (std::size_t k = 0; k < spec.swept; ++k) {
            tables.points[p].overrides.emplace_back(spec.overrides[k].path, spec.overrides[k].value);
        }
    }
    for (const SweepRun& run : all) {
        auto r = read_journal_run(sweep, dir, run);
        if (!r)
            return std::unexpected("the finished run " + sweep_run_id(sweep, run) + " is missing from " +
                                   dir);
        tables.points[run.point].run_ids.push_back(r->provenance.run_id);
        runs.push_back(std::move(*r));
    }
    analysis::AggregateOptions options;
    options.seed = sweep.seed;
    options.confidence = tables.confidence;
    options.resamples = tables.bootstrap_resamples;
    options.metrics = sweep.metrics;
    auto aggregates = analysis::aggregate_points(runs, tables.points, options);
    if (!aggregates) return std::unexpected(aggregates.error());
    tables.aggregates = std::move(*aggregates);
    if (auto written = analysis::write_sweep_results(output, runs, tables); !written) {
        return std::unexpected(written.error());
    }
    return analysis::results_file_digest(runs);
}

}  // namespace

int run_sweep(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    auto options = parse(args);
    if (!options) return usage_error(err, options.error(), kSweepUsage, "sweep");
    if (options->help) {
        out << kSweepUsage << "\n" << kSweepHelp;
        return 0;
    }
    const Ranks ranks;
    const bool lead = ranks.rank() == 0;  // the rank that reports and writes

    auto sweep = sim::scenario::load_sweep_file(options->file);
    if (!sweep) {
        if (lead) {
            for (const auto& e : sweep.error()) err << e.to_string() << "\n";
        }
        return 2;
    }
    if (auto errors = check_runs(*sweep); !errors.empty()) {
        if (lead) {
            for (const auto& e : errors) err << e.to_string() << "\n";
        }
        return 2;
    }
    if (options->check) {
        if (!lead) return 0;
        out << "ok: sweep '" << sweep->name << "', scenario " << sweep->scenario_file << ", "
            << sweep->points.size() << (sweep->points.size() == 1 ? " point" : " points") << " x "
            << sweep->replications << (sweep->replications == 1 ? " replication" : " replications") << " = "
            << sweep->run_count() << " runs, seed " << sweep->seed << "\n";
        for (std::size_t p = 0; p < sweep->points.size(); ++p) {
            out << "  point " << p << ":";
            const auto& spec = sweep->points[p];
            for (std::size_t k = 0; k < spec.swept; ++k) {
                out << " " << spec.overrides[k].path << "=" << spec.overrides[k].value;
            }
            out << (spec.swept == 0 ? " (the base scenario)\n" : "\n");
        }
        return 0;
    }
    const std::string output = options->output.value_or(sweep->name + ".h5");
    if (auto writable = analysis::check_output_path(output); !writable) {
        if (lead) err << "error: " << (options->output ? "-o " : "") << writable.error() << "\n";
        return 2;
    }
    const std::string dir = journal_dir(output);
    install_termination_handlers();

    // The journal: created by the lead rank, emptied of a killed writer's temporary names.
    bool ok = true;
    if (lead) {
        if (auto opened = open_journal(dir); !opened) {
            err << "cloudledger sweep: " << opened.error() << "\n";
            ok = false;
        }
    }
    if (!ranks.all(ok)) return 1;

    // The schedule: run i belongs to rank i mod K; a rank skips its runs already in the journal.
    const std::vector<SweepRun> all = sweep_runs(*sweep);
    std::vector<SweepRun> todo;
    std::size_t resumed = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (i % static_cast<std::size_t>(ranks.size()) != static_cast<std::size_t>(ranks.rank())) continue;
        if (read_journal_run(*sweep, dir, all[i])) {
            ++resumed;
        } else {
            todo.push_back(all[i]);
        }
    }
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const unsigned jobs =
        options->jobs.value_or(std::max(1U, cores / static_cast<unsigned>(std::max(1, ranks.local_size()))));
    const std::size_t mine = todo.size() + resumed;
    const bool progress = lead && !options->quiet && isatty(STDERR_FILENO);
    const auto start = std::chrono::steady_clock::now();
    auto report = [&](std::size_t done) {
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fputs(format_sweep_progress(sweep->name, resumed + done, mine, resumed, done, wall).c_str(),
                   stderr);
    };
    if (progress) report(0);
    auto ran = run_sweep_runs(*sweep, todo, dir, jobs, progress ? SweepProgress(report) : SweepProgress{});
    if (progress) std::fputs("\n", stderr);
    if (!ran) err << "cloudledger sweep: " << ran.error() << "\n";
    if (!ranks.all(ran.has_value())) {
        if (lead)
            err << "cloudledger sweep: stopped; the finished runs are kept in " << dir << " for a restart\n";
        return 1;
    }
    const std::uint64_t resumed_total = ranks.sum(resumed);
    if (!lead) return 0;
    auto digest = assemble(*sweep, all, dir, output);
    if (!digest) {
        err << "cloudledger sweep: " << digest.error() << "\n";
        return 1;
    }
    // The journal goes once the results file holds its runs.
    std::vector<std::string> ids;
    for (const SweepRun& run : all) ids.push_back(sweep_run_id(*sweep, run));
    remove_journal(dir, ids);
    out << "sweep " << sweep->name << ": " << sweep->points.size() << " points x " << sweep->replications
        << " replications = " << all.size() << " runs (" << resumed_total << " from before)"
        << (ranks.is_mpi() ? ", " + std::to_string(ranks.size()) + " ranks" : std::string()) << ", " << jobs
        << (jobs == 1 ? " worker" : " workers") << "\n";
    out << "results: " << output << " (digest " << *digest << ")\n";
    return 0;
}

}  // namespace cl::app
