#include "analysis/report/sensitivity.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include "analysis/stats/regression.hpp"

namespace cl::analysis {
namespace {

// A decimal at the start of `text` (from_chars, correctly rounded); advances `text`.
std::optional<double> take_number(std::string_view& text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data() || !std::isfinite(value)) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

// Seconds per duration unit; the longest unit name first so `min` and `ms` win over `m`.
std::optional<double> take_unit(std::string_view& text) {
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"min", 60.0}, {"ns", 1e-9}, {"us", 1e-6},  {"ms", 1e-3},
        {"s", 1.0},    {"m", 60.0},  {"h", 3600.0}, {"d", 86400.0}};
    for (const auto& [name, seconds] : kUnits) {
        if (text.starts_with(name)) {
            text.remove_prefix(name.size());
            return seconds;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> parse_parameter_number(std::string_view text) {
    std::string_view rest = text;
    const auto first = take_number(rest);
    if (!first) return std::nullopt;
    if (rest.empty()) return first;
    if (rest == "%") return *first / 100.0;
    double total = 0;
    double value = *first;
    while (true) {
        const auto unit = take_unit(rest);
        if (!unit) return std::nullopt;
        total += value * *unit;
        if (rest.empty()) return total;
        const auto next = take_number(rest);
        if (!next || *next < 0) return std::nullopt;
        value = *next;
    }
}

SensitivityTable sensitivity(std::span<const RunResults> runs, const SweepTables& sweep) {
    SensitivityTable table;
    // The numeric value of each parameter at each point, where every point has one.
    std::vector<std::vector<double>> values_by_parameter;  // [parameter][point]
    for (const std::string& key : sweep.parameters) {
        std::vector<double> values;
        for (const SweepPoint& point : sweep.points) {
            std::optional<double> v;
            for (const auto& [k, text] : point.overrides) {
                if (k == key) v = parse_parameter_number(text);
            }
            if (!v) break;
            values.push_back(*v);
        }
        if (!sweep.points.empty() && values.size() == sweep.points.size()) {
            table.parameters.push_back(key);
            values_by_parameter.push_back(std::move(values));
        }
    }
    if (table.parameters.empty()) return table;

    std::map<std::string_view, const RunResults*> by_id;
    for (const RunResults& run : runs) by_id.emplace(run.provenance.run_id, &run);
    std::vector<std::string> metrics;
    std::map<std::string, std::string> units;
    for (const AggregateRow& a : sweep.aggregates) {
        if (units.emplace(a.metric.str(), a.unit.str()).second) metrics.push_back(a.metric.str());
    }
    for (const std::string& metric : metrics) {
        std::vector<std::vector<double>> columns(table.parameters.size());
        std::vector<double> y;
        for (std::size_t p = 0; p < sweep.points.size(); ++p) {
            for (const std::string& id : sweep.points[p].run_ids) {
                const auto it = by_id.find(id);
                if (it == by_id.end()) continue;
                for (const SummaryEntry& e : it->second->summary) {
                    if (e.name.view() != metric || std::isnan(e.value)) continue;
                    y.push_back(e.value);
                    for (std::size_t j = 0; j < columns.size(); ++j)
                        columns[j].push_back(values_by_parameter[j][p]);
                }
            }
        }
        SensitivityRow row;
        row.metric = metric;
        row.unit = units.at(metric);
        const auto fit = fit_least_squares(columns, y);
        if (fit) {
            row.intercept = fit->intercept;
            row.coefficients = fit->coefficients;
            row.r_squared = fit->r_squared;
            row.n = fit->n;
        } else {
            row.error = fit.error();
            row.n = y.size();
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace cl::analysis
