// YAML → Scenario (DESIGN.md §2 sim/scenario, §8; docs/scenarios.md).
//
// load_scenario parses the text (yaml-cpp, kept private to the .cpp files), applies the
// `--set` overrides to the tree, then checks the whole tree against the schema and
// returns either a Scenario that satisfies every invariant of scenario.hpp, or every
// error found — never just the first. Checked: YAML syntax (one error; a tab in the
// indentation is named as such), duplicate keys, unknown keys (with "did you mean"),
// wrong types, units (a bare number where a unit is required is an error naming the
// accepted units), ranges, required keys, and cross-field rules (tiers named in quotas
// exist, regions exist in the regions dataset, selectors name existing clouds and
// nodes, fault times lie within the run, partition groups do not overlap, a topology
// file exists and loads, topology parameters fit the node count).
//
// File access: only for the files a scenario names (network.topology.file,
// network.regions.file). A relative path written in the scenario is resolved against
// the directory of `filename`; one given with --set, against the working directory.
// outputs.file is not opened here and not resolved: it is relative to the working
// directory (docs/scenarios.md).
//
// --set overrides edit the tree after YAML aliases were expanded; one that cannot act
// as if written in the file — an `x-` key, or a value under an anchor that an alias
// copies — is refused, naming the key. Positions inside an override's value are on the
// override's line (the column counts newlines in the value as characters).
//
// Errors are sorted by source (the scenario file, then --set, then other files) and
// position. Exceptions never escape (bad input is a value, STYLE.md §6).
//
// Thread-safety: the functions are reentrant (no shared state).
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace cl::sim::scenario {

// The `file` of errors that come from a --set override; their line is the 1-based index
// of the override, their column the 1-based position in `path=value`.
inline constexpr std::string_view kSetSource = "--set";

struct ScenarioError {
    std::string file;
    std::size_t line = 0;    // 1-based; 0 when unknown (e.g. the file cannot be read)
    std::size_t column = 0;  // 1-based; 0 when unknown
    std::string key;         // dotted key path, e.g. `pool.ttl.ttl_blocks`, `clouds[2].quotas.small`
    std::string message;

    // `FILE:LINE:COLUMN: KEY: MESSAGE` (KEY omitted when empty; LINE/COLUMN when 0).
    std::string to_string() const;
};

// The error at `pos` of the scenario file `file`: FILE is `--set` for a value from an
// override (pos.from_set). What the loader reports, and what sim/world reports for a
// value it finds wrong once the world is built (to_scenario_error).
ScenarioError error_at(std::string file, const SourcePos& pos, std::string key, std::string message);

// REQUIRES: nothing; any text is accepted and judged.
std::expected<Scenario, std::vector<ScenarioError>> load_scenario(std::string_view text, std::string filename,
                                                                  const std::vector<Override>& sets = {});

// Reads `path` and calls load_scenario; an unreadable file is one error.
std::expected<Scenario, std::vector<ScenarioError>> load_scenario_file(
    const std::string& path, const std::vector<Override>& sets = {});

// Splits a `--set` argument `path=value` (at the first '='). The path syntax
// (`a.b[2].c`) is checked by load_scenario, which names the override in its errors.
std::expected<Override, std::string> parse_override(std::string_view arg);

// Every fork-choice rule with the name a scenario's `fork_choice` keys give it
// (docs/scenarios.md "Clients"), in the documented order: eip3436, eip225, td-first-seen.
// The table the loader reads those keys with, so a name here is one a scenario accepts.
std::vector<std::pair<std::string_view, clique::ForkChoiceRule>> fork_choice_rules();

// The shipped default scenario (scenarios/passport.yaml) and region data
// (data/regions.yaml), embedded in the library at build time.
std::string_view default_scenario_text();
inline constexpr std::string_view kDefaultScenarioName = "scenarios/passport.yaml";
std::string_view embedded_regions_text();

// The default scenario, loaded (with overrides).
std::expected<Scenario, std::vector<ScenarioError>> load_default_scenario(
    const std::vector<Override>& sets = {});

}  // namespace cl::sim::scenario
