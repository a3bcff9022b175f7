// `cloudledger report` output (docs/experiments.md "Reports"): the point table, the
// aggregate table per point and metric, and the sensitivity table when the sweep has
// numeric parameters — as Markdown for people, CSV for spreadsheets, JSON for programs.
//
//   md    `# report: NAME`, a line of provenance, then `## points`, `## aggregates`
//         (values as the summary table prints them: analysis/results/summary_table.hpp),
//         `## sensitivity` (when present) and, for a plain run file, `## runs`: each
//         summary metric per run (the first 12 runs; the rest are counted).
//   csv   RFC 4180. The aggregate table: point, one column per swept parameter (its value
//         at the point; for a plain run file none), metric, unit, n, mean, sd, ci_low,
//         ci_high, min, max, boot_low, boot_high. When there is a sensitivity table, an
//         empty line and a second table: metric, unit, n, parameter, coefficient,
//         intercept, r_squared, error (one row per metric and parameter). Numbers with 17
//         significant digits (round trip); NaN is an empty field.
//   json  one object: name, kind ("sweep" | "runs"), seed, confidence,
//         bootstrap_resamples, parameters, points [{point, overrides {key: value}, runs
//         [ids]}], aggregates [{point, metric, unit, n, mean, sd, ci_low, ci_high, min, max,
//         boot_low, boot_high}], sensitivity {parameters, rows [{metric, unit, n,
//         intercept, coefficients, r_squared, error}]}; for a plain run file also runs
//         [{run, seed, replication, summary {metric: value}}]. NaN is null.
//
// The text depends only on its inputs (locale-independent).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "analysis/report/sensitivity.hpp"
#include "analysis/results/schema.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis {

enum class ReportFormat { kMarkdown, kCsv, kJson };

// "md", "csv", "json"; nullopt otherwise.
std::optional<ReportFormat> parse_report_format(std::string_view text);

struct ReportInput {
    std::span<const RunResults> runs;
    const SweepTables& sweep;
    const SensitivityTable& sensitivity;
    bool is_sweep_file = false;  // false: a plain run file aggregated as one point
};

std::string format_report(const ReportInput& input, ReportFormat format);

}  // namespace cl::analysis
