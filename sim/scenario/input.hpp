// Internal to sim/scenario: raw input as the loader receives it, before and around YAML
// (docs/scenarios.md "Checking and errors"). The helpers live in sim/input/text_file.hpp,
// shared with the topology importer (sim/net); this header names them for the loader
// and fixes the format of its texts to YAML.
#pragma once

#include <optional>
#include <string_view>

#include "sim/input/text_file.hpp"

namespace cl::sim::scenario::detail {

using input::BadText;
using input::escape;
using input::excerpt;
using input::kMaxQuotedChars;
using input::quote;
using input::read_input_file;

// input::find_bad_text for YAML text (YAML 1.2 §5.1 c-printable: tab, LF and CR only).
inline std::optional<BadText> find_bad_text(std::string_view yaml, bool allow_newlines = true) {
    return input::find_bad_text(yaml, allow_newlines, "YAML");
}

}  // namespace cl::sim::scenario::detail
