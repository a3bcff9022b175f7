// Internal to sim/scenario: raw input as the loader receives it, before and around YAML
// (docs/scenarios.md "Checking and errors").
//
//   - read_input_file: reads one file the loader was given or a scenario names, refusing
//     what is not a readable file (a directory) and stopping at a size cap, so that
//     `check DIRECTORY` or `check /dev/zero` is one clear error, never an empty document
//     or an endless read.
//   - find_bad_text: the first byte of a text that is not UTF-8 or is a control character
//     YAML does not allow (YAML 1.2 §5.1 c-printable: tab, LF and CR only), with its line
//     and column, so invalid text never reaches names, HDF5 attributes or group names.
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

namespace cl::sim::scenario::detail {

// Longest quoted value in a message, in characters; longer ones end in "..." (docs/scenarios.md).
inline constexpr std::size_t kMaxQuotedChars = 60;

// `text` for a message: one line, at most kMaxQuotedChars characters (then "...").
std::string excerpt(std::string_view text);
// `'text'`: excerpt(text) in single quotes.
std::string quote(std::string_view text);
// `text` with control characters and invalid UTF-8 bytes escaped (no quotes, no cut):
// what ScenarioError::to_string() applies so that every error is one line.
std::string escape(std::string_view text);

struct BadText {
    std::size_t line = 1;    // 1-based
    std::size_t column = 1;  // 1-based, in bytes of the line (as yaml-cpp counts columns)
    std::string message;     // e.g. "invalid UTF-8 (byte 0xff)"
};

// The first offending byte of `text`, or nullopt when it is valid UTF-8 (no overlong
// form, no surrogate, nothing above U+10FFFF) with no C0 control character other than
// tab, LF and CR, and no DEL. `allow_newlines` false: tab, LF and CR offend too (names).
std::optional<BadText> find_bad_text(std::string_view text, bool allow_newlines = true);

// Why a file could not be read (message only: the caller names the file).
// REQUIRES: max_bytes < SIZE_MAX.
std::expected<std::string, std::string> read_input_file(const std::string& path, std::size_t max_bytes);

}  // namespace cl::sim::scenario::detail
