#include "app/sweep_runner.hpp"

#include <sys/resource.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <system_error>
#include <thread>

#include "analysis/results/results_file.hpp"
#include "app/replication.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {
namespace {

std::uint64_t peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

std::vector<std::string> override_strings(const sim::scenario::Scenario& s) {
    std::vector<std::string> out;
    for (const auto& o : s.overrides) out.push_back(o.path + "=" + o.value);
    return out;
}

}  // namespace

std::vector<SweepRun> sweep_runs(const sim::scenario::SweepFile& sweep) {
    std::vector<SweepRun> runs;
    runs.reserve(sweep.run_count());
    for (std::size_t p = 0; p < sweep.points.size(); ++p) {
        for (std::uint64_t r = 0; r < sweep.replications; ++r) runs.push_back(SweepRun{p, r});
    }
    return runs;
}

std::string sweep_run_id(const sim::scenario::SweepFile& sweep, const SweepRun& run) {
    return sweep.name + "-p" + std::to_string(run.point) + "-rep" + std::to_string(run.replication);
}

std::string journal_dir(const std::string& output) { return output + ".partial"; }

std::string journal_path(const std::string& dir, const std::string& run_id) {
    return (std::filesystem::path(dir) / (run_id + ".h5")).string();
}

std::optional<analysis::RunResults> read_journal_run(const sim::scenario::SweepFile& sweep,
                                                     const std::string& dir, const SweepRun& run) {
    const std::string id = sweep_run_id(sweep, run);
    const std::string path = journal_path(dir, id);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    auto read = analysis::read_results(path);  // checks the digest
    if (!read || read->size() != 1) return std::nullopt;
    analysis::RunResults& r = read->front();
    const sim::scenario::Scenario& s = sweep.points[run.point].scenario;
    const analysis::Provenance& p = r.provenance;
    if (p.run_id != id || p.scenario_text != s.source_text || p.overrides != override_strings(s) ||
        p.seed != s.seed || p.replication != run.replication || p.program_version != CLOUDLEDGER_VERSION ||
        p.build_type != CLOUDLEDGER_BUILD_TYPE) {
        return std::nullopt;
    }
    return std::move(r);
}

void remove_journal_leftovers(const std::string& dir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find(".h5.tmp-") != std::string::npos) std::filesystem::remove(entry.path(), ec);
    }
}

std::expected<void, std::string> open_journal(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directory(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) {
        return std::unexpected("cannot create the journal directory " + dir + ": " + ec.message());
    }
    remove_journal_leftovers(dir);
    return {};
}

void remove_journal(const std::string& dir, std::span<const std::string> run_ids) {
    std::error_code ec;
    for (const std::string& id : run_ids) std::filesystem::remove(journal_path(dir, id), ec);
    remove_journal_leftovers(dir);
    std::filesystem::remove(dir, ec);  // only when empty: never another's files
}

std::expected<void, std::string> run_sweep_runs(const sim::scenario::SweepFile& sweep,
                                                const std::vector<SweepRun>& runs, const std::string& dir,
                                                unsigned jobs, const SweepProgress& progress) {
    std::vector<SweepTask> tasks;
    tasks.reserve(runs.size());
    for (const SweepRun& run : runs) tasks.push_back(SweepTask{&sweep, run});
    return run_sweep_tasks(tasks, dir, jobs, progress);
}

std::expected<void, std::string> run_sweep_tasks(std::span<const SweepTask> runs, const std::string& dir,
                                                 unsigned jobs, const SweepProgress& progress) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex lock;  // guards error and done, and serialises `progress`
    std::string error;
    std::size_t done = 0;

    auto worker = [&] {
        while (!failed.load()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= runs.size()) return;
            const SweepRun& task = runs[i].run;
            const sim::scenario::SweepFile& sweep = *runs[i].sweep;
            const std::string id = sweep_run_id(sweep, task);
            auto result = run_replication(sweep.points[task.point].scenario, task.replication);
            std::expected<void, std::string> written;
            if (!result) {
                written = std::unexpected(result.error().key + ": " + result.error().message);
            } else {
                result->provenance.run_id = id;
                result->wall_clock.peak_rss_bytes = peak_rss_bytes();
                written = analysis::write_results(journal_path(dir, id), std::span(&*result, 1));
            }
            const std::scoped_lock guard(lock);
            if (!written) {
                if (!failed.exchange(true)) error = "run " + id + ": " + written.error();
                return;
            }
            ++done;
            if (progress) progress(done);
        }
    };
    const unsigned n = std::max(1U, std::min<unsigned>(jobs, static_cast<unsigned>(runs.size())));
    {
        std::vector<std::jthread> workers;
        for (unsigned w = 0; w < n; ++w) workers.emplace_back(worker);
    }
    if (failed) return std::unexpected(error);
    return {};
}

}  // namespace cl::app
