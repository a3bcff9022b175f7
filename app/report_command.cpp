#include "app/report_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "analysis/report/aggregate.hpp"
#include "analysis/report/report.hpp"
#include "analysis/report/sensitivity.hpp"
#include "analysis/results/results_file.hpp"
#include "app/command_line.hpp"

namespace cl::app {
namespace {

constexpr std::string_view kReportUsage = "usage: cloudledger report FILE.h5 [--format md|csv|json] [-o OUT]";

constexpr std::string_view kReportHelp =
    "\n"
    "Prints the aggregate table of a results file: for a sweep file, per point and metric\n"
    "(n, mean, sd, 95 % Student-t interval, min, max, and a bootstrap interval for quantile\n"
    "metrics), then a least-squares sensitivity table against the numeric swept parameters;\n"
    "for a run file, its runs aggregated as one point, and the summary of each run.\n"
    "Columns and formats: docs/experiments.md.\n"
    "\n"
    "options:\n"
    "  --format md|csv|json   Markdown (default), CSV (RFC 4180) or JSON\n"
    "  -o, --output OUT       write the report to OUT instead of stdout\n"
    "  -h, --help             show this text\n"
    "\n"
    "Exit codes: 0 ok, 1 the report could not be written, 2 bad usage, an unwritable OUT or an\n"
    "unreadable results file.\n";

}  // namespace

std::expected<void, std::string> write_text_file(const std::string& path, const std::string& text) {
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream file(temp, std::ios::binary | std::ios::trunc);
        if (!file) return std::unexpected(path + ": cannot create " + temp + ": " + std::strerror(errno));
        file << text;
        file.flush();
        if (!file) {
            std::remove(temp.c_str());
            return std::unexpected(path + ": cannot write " + temp);
        }
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(temp.c_str());
        return std::unexpected(path + ": cannot rename " + temp + " into place: " + reason);
    }
    return {};
}

int run_report(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    std::string path;
    std::optional<std::string> output;
    analysis::ReportFormat format = analysis::ReportFormat::kMarkdown;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            out << kReportUsage << "\n" << kReportHelp;
            return 0;
        }
        if (auto v = take_value(args, i, {"--format"})) {
            if (!*v) return usage_error(err, v->error(), kReportUsage, "report");
            const auto f = analysis::parse_report_format(**v);
            if (!f)
                return usage_error(err, "unknown format '" + **v + "' (md, csv, json)", kReportUsage,
                                   "report");
            format = *f;
        } else if (auto o = take_value(args, i, {"-o", "--output"})) {
            if (!*o) return usage_error(err, o->error(), kReportUsage, "report");
            if (o->value().empty())
                return usage_error(err, "the output file name is empty", kReportUsage, "report");
            output = **o;
        } else if (a.size() > 1 && a[0] == '-') {
            return usage_error(err, "unknown option '" + a + "'", kReportUsage, "report");
        } else if (path.empty()) {
            if (a.empty()) return usage_error(err, "the results file name is empty", kReportUsage, "report");
            path = a;
        } else {
            return usage_error(err, "report takes one results file, got '" + path + "' and '" + a + "'",
                               kReportUsage, "report");
        }
    }
    if (path.empty()) return usage_error(err, "no results file given", kReportUsage, "report");

    // An output that cannot be written is bad usage, found before any work (as `run` does).
    if (output) {
        if (auto writable = analysis::check_output_path(*output); !writable) {
            err << "error: -o " << writable.error() << "\n";
            return 2;
        }
    }
    auto file = analysis::read_results_file(path);
    if (!file) {
        err << "error: " << file.error() << "\n";
        return 2;
    }
    if (file->runs.empty()) {
        err << "error: " << path << ": the file holds no runs\n";
        return 2;
    }
    const bool is_sweep = file->sweep.has_value();
    if (!is_sweep) {
        auto single = analysis::single_point_sweep(file->runs, analysis::AggregateOptions{});
        if (!single) {
            err << "error: " << path << ": " << single.error() << "\n";
            return 2;
        }
        file->sweep = std::move(*single);
    }
    const analysis::SensitivityTable sensitivity = analysis::sensitivity(file->runs, *file->sweep);
    const std::string text =
        analysis::format_report({file->runs, *file->sweep, sensitivity, is_sweep}, format);
    if (!output) {
        out << text;
        return 0;
    }
    if (auto ok = write_text_file(*output, text); !ok) {
        err << "error: -o " << ok.error() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace cl::app
