// `cloudledger report FILE.h5 [--format md|csv|json] [-o OUT]` (DESIGN.md §8,
// docs/experiments.md "Reports"): the aggregate table of a results file — per point and
// metric for a sweep file (its stored `/sweep` tables), or over all runs as one point for
// a plain run file — and the sensitivity table when the sweep has numeric parameters.
//
// Output contract: the report on `out` (or in OUT, written whole under a temporary name
// and renamed into place), nothing else on `out`. A file that cannot be read as a results
// file (missing, not HDF5, wrong schema, altered, no runs) is bad input: `error: FILE:
// message` on `err`, exit 2, nothing written. Bad usage, and an OUT that cannot be
// created (analysis::check_output_path, checked first), exit 2 too.
#pragma once

#include <expected>
#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// `args` are the words after `report`.
int run_report(std::span<const std::string> args, std::ostream& out, std::ostream& err);

// Writes `text` to `path` under a temporary name in the same directory, then renames it
// into place; an error names the path.
std::expected<void, std::string> write_text_file(const std::string& path, const std::string& text);

}  // namespace cl::app
