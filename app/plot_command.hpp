// `cloudledger plot FILE.h5 [-o DIR]` (docs/experiments.md "Plots"): checks that FILE is a
// readable results file (as `report` does: bad input exits 2 with `error: FILE: message`),
// then runs analysis/plot.py on it, which writes the standard figures as DIR/NAME.png and
// DIR/NAME.svg and DIR/manifest.json (default DIR: FILE without `.h5`, plus `-plots`).
//
// Finding the script: $CLOUDLEDGER_PLOT_SCRIPT if set; else analysis/plot.py of the source
// tree the program was built from, found relative to the executable (build/<preset>/app/
// → ../../../analysis/plot.py) or at the configured source directory. The interpreter:
// $CLOUDLEDGER_PYTHON if set; else /usr/bin/python3, the interpreter of Debian's
// python3-matplotlib/-h5py/-numpy (scripts/install-deps), when it exists; else python3 on
// PATH. Missing Python modules: the script says which and how to install them, exit 1.
//
// Exit codes: 0 ok, 1 plotting failed (no Python, missing modules, unwritable DIR), 2 bad
// usage or a file that is not a readable results file.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// `args` are the words after `plot`.
int run_plot(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
