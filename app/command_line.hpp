// Shared pieces of the hand-written command-line parsing of the `cloudledger` commands, so
// that every command treats options alike: `--name VALUE` and `--name=VALUE` (short
// options `-o VALUE` only), `-h`/`--help` print the command's usage on stdout and exit 0,
// and a usage error is `error: MESSAGE` then the usage line on stderr, exit 2.
#pragma once

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace cl::app {

// True for `-h` and `--help`.
bool is_help(std::string_view arg);

// When args[i] is one of `names` — `NAME VALUE`, or `NAME=VALUE` for a long name (`--…`)
// — consumes it (advancing `i` past the value) and returns the value, or an error when
// the value is missing. Returns nullopt, leaving `i`, when args[i] is none of them.
std::optional<std::expected<std::string, std::string>> take_value(
    std::span<const std::string> args, std::size_t& i, std::initializer_list<std::string_view> names);

// The value of `-j N`: a number of worker threads from 1 to 1024, or the error to report.
std::expected<unsigned, std::string> parse_jobs(std::string_view text);

// An unsigned integer option value in [lo, hi] (`--replications 4`), or the error naming
// `option`.
std::expected<std::uint64_t, std::string> parse_count(std::string_view option, std::string_view text,
                                                      std::uint64_t lo, std::uint64_t hi);

// An argument that is not an option of the command: an unknown option when it starts
// with '-' (a lone "-" is a file name), else the command's one file argument, stored in
// `file` — an error when it is empty or when `file` is already set. `what` names the
// kind of file in the message ("scenario", "sweep").
std::expected<void, std::string> take_file_argument(const std::string& arg, std::string& file,
                                                    std::string_view what);

// Prints `error: MESSAGE`, the usage line and a pointer to --help on `err`; returns 2.
int usage_error(std::ostream& err, std::string_view message, std::string_view usage,
                std::string_view command);

}  // namespace cl::app
