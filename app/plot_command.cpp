#include "app/plot_command.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "analysis/results/results_file.hpp"
#include "app/command_line.hpp"

extern char** environ;

namespace cl::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPlotUsage = "usage: cloudledger plot FILE.h5 [-o DIR]";

constexpr std::string_view kPlotHelp =
    "\n"
    "Draws the standard figures of a results file with analysis/plot.py (matplotlib):\n"
    "for a run file, block interval histogram, block propagation CDF, request latency CDF,\n"
    "pool remaining per tier, txpool occupancy and head spread over time; for a sweep file,\n"
    "each metric against the swept parameter with its 95 % interval. Each figure is written\n"
    "as DIR/NAME.png and DIR/NAME.svg, listed in DIR/manifest.json (docs/experiments.md).\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output directory (default: FILE without .h5, plus -plots)\n"
    "  -h, --help         show this text\n"
    "\n"
    "environment:\n"
    "  CLOUDLEDGER_PLOT_SCRIPT   the plotting script (default: analysis/plot.py of the source tree)\n"
    "  CLOUDLEDGER_PYTHON        the Python interpreter (default: /usr/bin/python3, else python3)\n"
    "\n"
    "Exit codes: 0 ok, 1 plotting failed (e.g. matplotlib missing), 2 bad usage or an\n"
    "unreadable results file.\n";

std::optional<std::string> find_script() {
    if (const char* env = std::getenv("CLOUDLEDGER_PLOT_SCRIPT"); env != nullptr && *env != '\0') return env;
    std::vector<fs::path> candidates;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path() / "../../../analysis/plot.py");
        candidates.push_back(exe.parent_path() / "../share/cloudledger/plot.py");
    }
    candidates.push_back(fs::path(CLOUDLEDGER_SOURCE_DIR) / "analysis/plot.py");
    for (const fs::path& c : candidates) {
        if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec).string();
    }
    return std::nullopt;
}

std::string find_python() {
    if (const char* env = std::getenv("CLOUDLEDGER_PYTHON"); env != nullptr && *env != '\0') return env;
    if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

}  // namespace

int run_plot(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    std::string path;
    std::optional<std::string> output;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            out << kPlotUsage << "\n" << kPlotHelp;
            return 0;
        }
        if (auto o = take_value(args, i, {"-o", "--output"})) {
            if (!*o) return usage_error(err, o->error(), kPlotUsage, "plot");
            if (o->value().empty())
                return usage_error(err, "the output directory name is empty", kPlotUsage, "plot");
            output = **o;
        } else if (a.size() > 1 && a[0] == '-') {
            return usage_error(err, "unknown option '" + a + "'", kPlotUsage, "plot");
        } else if (path.empty()) {
            if (a.empty()) return usage_error(err, "the results file name is empty", kPlotUsage, "plot");
            path = a;
        } else {
            return usage_error(err, "plot takes one results file, got '" + path + "' and '" + a + "'",
                               kPlotUsage, "plot");
        }
    }
    if (path.empty()) return usage_error(err, "no results file given", kPlotUsage, "plot");

    // Bad input is found here, with the reader's checks (schema, digests), before Python.
    auto file = analysis::read_results_file(path);
    if (!file) {
        err << "error: " << file.error() << "\n";
        return 2;
    }
    if (file->runs.empty()) {
        err << "error: " << path << ": the file holds no runs\n";
        return 2;
    }
    const std::optional<std::string> script = find_script();
    if (!script) {
        err << "error: cannot find analysis/plot.py (set CLOUDLEDGER_PLOT_SCRIPT)\n";
        return 1;
    }
    std::string dir = output.value_or("");
    if (dir.empty()) {
        dir = path.ends_with(".h5") ? path.substr(0, path.size() - 3) : path;
        dir += "-plots";
    }
    const std::string python = find_python();
    std::vector<std::string> words = {python, *script, path, "-o", dir};
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    out.flush();
    err.flush();
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ);
    if (spawned != 0) {
        err << "error: cannot run " << python << ": " << std::strerror(spawned)
            << " (plotting needs Python 3 with matplotlib, h5py and numpy; scripts/install-deps)\n";
        return 1;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            err << "error: waiting for " << python << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2) return 2;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        err << "error: cannot run " << python << " (plotting needs Python 3 with matplotlib, h5py and numpy; "
            << "scripts/install-deps)\n";
    }
    return 1;
}

}  // namespace cl::app
