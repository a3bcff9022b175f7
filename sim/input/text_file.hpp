// Text input files of the simulator, as read before any parser sees them: scenario and
// regions YAML (sim/scenario), GraphML and DOT topologies (sim/net). It sits below both
// so that they share one reading rule and one UTF-8 check (DESIGN.md §2: sim/net may not
// know sim/scenario); it depends on nothing but the standard library.
//
//   - read_input_file: reads one file, refusing what is not a readable file (a directory)
//     and stopping at a size cap, so that a directory, /dev/zero or a FIFO given as an
//     input is one clear error, never an empty document or an endless read.
//   - find_bad_text: the first byte of a text that is not UTF-8 or is a control character
//     other than tab, LF and CR (YAML 1.2 §5.1 c-printable; XML 1.0 §2.2 Char), with its
//     line and column, so invalid text never reaches names, HDF5 attributes or group names.
//   - quote: a value quoted for a one-line message: control characters escaped (`\n`,
//     `\x01`), invalid UTF-8 bytes as `\xFF`, and cut after kMaxQuotedChars characters.
//
// Pure functions apart from read_input_file's file access; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace cl::sim::input {

// Bytes of one text input file (a scenario, a regions file, a topology) or a --set value.
// A scenario is a few kilobytes and an Internet Topology Zoo file some hundreds of
// kilobytes at most (the largest, Kdl, has 754 nodes); this stops a read of /dev/zero or
// a FIFO going on for ever
// (docs/scenarios.md "Limits").
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{16} << 20;

// Longest quoted value in a message, in characters; longer ones end in "..." (docs/scenarios.md).
inline constexpr std::size_t kMaxQuotedChars = 60;

// `text` for a message: one line, at most kMaxQuotedChars characters (then "...").
std::string excerpt(std::string_view text);
// `'text'`: excerpt(text) in single quotes.
std::string quote(std::string_view text);
// `text` with control characters and invalid UTF-8 bytes escaped (no quotes, no cut):
// what an error's to_string() applies so that every error is one line.
std::string escape(std::string_view text);

// Where an error is, as every input error of sim/ names it: `FILE:LINE:COLUMN`,
// `FILE:LINE` when column is 0, `FILE` when line is 0 (lines and columns 1-based). The one
// formatter of positions: net::InputError and scenario::ScenarioError both use it.
std::string location(std::string_view file, std::size_t line, std::size_t column);

struct BadText {
    std::size_t line = 1;    // 1-based
    std::size_t column = 1;  // 1-based, in bytes of the line (as yaml-cpp counts columns)
    std::size_t offset = 0;  // of the offending byte in the text (callers counting columns otherwise)
    std::string message;     // e.g. "invalid UTF-8 (byte \xff): YAML text is UTF-8"
};

// The first offending byte of `text`, or nullopt when it is valid UTF-8 (no overlong
// form, no surrogate, nothing above U+10FFFF) with no C0 control character other than
// tab, LF and CR, and no DEL. `allow_newlines` false: tab, LF and CR offend too (names).
// `format` names the text's format in the message ("YAML", "GraphML", "DOT").
std::optional<BadText> find_bad_text(std::string_view text, bool allow_newlines, std::string_view format);

// The contents of the file at `path`, or why it could not be read (message only: the
// caller names the file): "no such file", "is a directory, not a file", "cannot open:
// REASON", "read error", or "larger than N MiB, ..." once more than max_bytes were read
// (the read stops there: a FIFO or /dev/zero ends in this error).
// REQUIRES: max_bytes < SIZE_MAX.
std::expected<std::string, std::string> read_input_file(const std::string& path, std::size_t max_bytes);

}  // namespace cl::sim::input
