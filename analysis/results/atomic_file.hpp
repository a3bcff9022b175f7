// Writing a finished file's bytes atomically (results_file.hpp: write_results' contract,
// docs/metrics.md "How the file is written"): afterwards the path is the complete new file
// or, on any failure, as it was, with no temporary name left. The public helpers of
// results_file.hpp that concern the file system (temp_path_for, check_output_path,
// remove_unfinished_results_files) are defined with it, in atomic_file.cpp.
#pragma once

#include <expected>
#include <span>
#include <string>

namespace cl::analysis {

// Ok when `path` names a file (not empty, not ending in '/', "." or ".."); the error
// names the path.
std::expected<void, std::string> check_names_a_file(const std::string& path);

// Writes `bytes` to `path` atomically (O_TMPFILE + linkat, or a temporary name renamed
// over it; both fsynced, then the directory). The error names the path and the step.
std::expected<void, std::string> publish_atomically(const std::string& path,
                                                    std::span<const unsigned char> bytes);

}  // namespace cl::analysis
