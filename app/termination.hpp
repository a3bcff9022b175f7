// SIGINT, SIGTERM, SIGHUP while a command writes results files: remove the temporary
// name of any results file being written (analysis::remove_unfinished_results_files),
// then die of the signal as if unhandled. Shared by `run` and `sweep`.
#pragma once

namespace cl::app {

// Installs the handlers (not for a signal that is ignored, e.g. under nohup).
void install_termination_handlers();

}  // namespace cl::app
