// `cloudledger check SCENARIO.yaml [--set key=value]...` (DESIGN.md §8): validate a
// scenario without running it, reporting every error at once.
//
// Output contract (CI annotators and editors parse it):
//   errors   one line each on `err`: `FILE:LINE:COLUMN: KEY: MESSAGE` (FILE is `--set` for
//            an override, whose LINE is the override's 1-based index); exit code 2.
//   success  one summary line on `out`; exit code 0.
// Nothing else is written, and no file is created.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// `args` are the words after `check`. Bad usage (no file, unknown option) exits 2 too.
int run_check(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
