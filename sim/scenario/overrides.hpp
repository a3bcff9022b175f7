// `--set` overrides (docs/scenarios.md "--set"): applied to the YAML tree before the
// schema is checked, so that an override acts as if written in the file. Internal to
// sim/scenario (loader.cpp calls them).
#pragma once

#include <cstddef>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/schema.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace cl::sim::scenario::detail {

// The raw text of an override's value: within kMaxInputBytes, UTF-8, no control
// characters but tab, LF and CR; its position is the override's, as parse_yaml would give
// it. false (reported) when it is not.
bool check_override_text(Checker& c, const Override& o, std::size_t index);

// Applies override number `index` (0-based) to the tree, as if the value had been written
// in the file at `o.path`. Refused (an error naming the key) where that cannot be done by
// editing one place: an `x-` key (ignored by the schema; what its aliases copied was
// copied when the file was read), and a path through or to a node with a YAML anchor
// that an alias copies (the copies would not see the change).
void apply_override(Checker& c, Node& root, const Override& o, std::size_t index);

}  // namespace cl::sim::scenario::detail
