// YAML → Scenario (loader.hpp). The schema is read in parts: schema.hpp (the checker,
// key tables, typed getters, suggestions), overrides.hpp (`--set`), and one file per
// section under sections/ (docs/scenarios.md is the prose form of those tables; keep
// them in step).
#include "sim/scenario/loader.hpp"

#include "sim/scenario/embedded.hpp"
#include "sim/scenario/input.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/schema.hpp"
#include "sim/scenario/sections/sections.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace cl::sim::scenario {

using detail::Checker;
using detail::Node;
using detail::Pos;
using detail::quote;
using detail::Source;

// One line whatever the parts hold: control characters are escaped (docs/scenarios.md
// "Checking and errors"; the messages already quote values with detail::quote).
std::string ScenarioError::to_string() const {
    std::string s = input::location(detail::escape(file), line, column);
    s += ": ";
    if (!key.empty()) {
        s += detail::escape(key);
        s += ": ";
    }
    s += detail::escape(message);
    return s;
}

ScenarioError error_at(std::string file, const SourcePos& pos, std::string key, std::string message) {
    return ScenarioError{pos.from_set ? std::string(kSetSource) : std::move(file), pos.line, pos.column,
                         std::move(key), std::move(message)};
}

std::string_view default_scenario_text() { return detail::embedded_passport_yaml(); }
std::string_view embedded_regions_text() { return detail::embedded_regions_yaml(); }

namespace {

// The raw text of a scenario (before YAML): within kMaxInputBytes, UTF-8, no control
// characters but tab, LF and CR (docs/scenarios.md "Checking and errors").
bool check_text(Checker& c, std::string_view text) {
    if (text.size() > kMaxInputBytes) {
        c.error(Pos{}, "",
                "the scenario is larger than " + std::to_string(kMaxInputBytes >> 20) +
                    " MiB, the most an input file may hold");
        return false;
    }
    if (const auto bad = detail::find_bad_text(text)) {
        c.error(Pos{Source::kFile, bad->line, bad->column}, "", bad->message);
        return false;
    }
    return true;
}

}  // namespace

std::expected<Scenario, std::vector<ScenarioError>> load_scenario(std::string_view text, std::string filename,
                                                                  const std::vector<Override>& sets) {
    Checker c(filename);
    if (!check_text(c, text)) return std::unexpected(c.take_sorted());
    std::vector<detail::ParseError> perr;
    auto root = detail::parse_yaml(text, Source::kFile, 0, 0, perr);
    for (const auto& e : perr) c.error(e.pos, e.key, e.message);
    if (!root) return std::unexpected(c.take_sorted());
    if (root->is_null()) {
        root->kind = Node::Kind::kMap;
        root->pos = Pos{};
    }
    if (!root->is_map()) {
        c.error(root->pos, "",
                "a scenario is a mapping of keys (name, duration, network, clouds, ...), got " +
                    detail::describe(*root));
        return std::unexpected(c.take_sorted());
    }
    for (std::size_t i = 0; i < sets.size(); ++i) {
        if (detail::check_override_text(c, sets[i], i)) detail::apply_override(c, *root, sets[i], i);
    }

    Scenario s;
    s.source_file = filename;
    s.source_text = std::string(text);
    s.overrides = sets;
    detail::Load load(c, s);
    detail::read_scenario(load, *root);
    if (c.has_errors()) return std::unexpected(c.take_sorted());
    return s;
}

std::expected<Scenario, std::vector<ScenarioError>> load_scenario_file(const std::string& path,
                                                                       const std::vector<Override>& sets) {
    const auto text = detail::read_input_file(path, kMaxInputBytes);
    if (!text) {
        return std::unexpected(std::vector<ScenarioError>{
            ScenarioError{path, 0, 0, "", "cannot read the scenario: " + text.error()}});
    }
    return load_scenario(*text, path, sets);
}
std::expected<Scenario, std::vector<ScenarioError>> load_default_scenario(const std::vector<Override>& sets) {
    return load_scenario(default_scenario_text(), std::string(kDefaultScenarioName), sets);
}

}  // namespace cl::sim::scenario
