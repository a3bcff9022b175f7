#include "analysis/report/aggregate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "analysis/stats/bootstrap.hpp"
#include "analysis/stats/describe.hpp"

namespace cl::analysis {

bool is_quantile_metric(std::string_view name) {
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('_', start), name.size());
        const std::string_view part = name.substr(start, end - start);
        if (part.size() >= 2 && part[0] == 'p' && std::all_of(part.begin() + 1, part.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) != 0;
            })) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

std::expected<std::vector<AggregateRow>, std::string> aggregate_points(std::span<const RunResults> runs,
                                                                       std::span<const SweepPoint> points,
                                                                       const AggregateOptions& options) {
    if (!(options.confidence > 0.0 && options.confidence < 1.0))
        return std::unexpected("confidence must lie strictly between 0 and 1");
    if (options.resamples == 0) return std::unexpected("bootstrap resamples must be at least 1");
    std::map<std::string_view, const RunResults*> by_id;
    for (const RunResults& run : runs) by_id.emplace(run.provenance.run_id, &run);

    // Metric order and units: first appearance.
    std::vector<std::string> order;
    std::map<std::string, FixedString<16>> units;
    std::vector<std::vector<const RunResults*>> point_runs(points.size());
    for (std::size_t p = 0; p < points.size(); ++p) {
        for (const std::string& id : points[p].run_ids) {
            const auto it = by_id.find(id);
            if (it == by_id.end())
                return std::unexpected("point " + std::to_string(p) + ": no run '" + id + "'");
            point_runs[p].push_back(it->second);
            for (const SummaryEntry& e : it->second->summary) {
                if (units.emplace(e.name.str(), e.unit).second) order.push_back(e.name.str());
            }
        }
    }
    if (!options.metrics.empty()) {
        for (const std::string& m : options.metrics) {
            if (!units.contains(m)) return std::unexpected("no run has the metric '" + m + "'");
        }
        order = options.metrics;
    }

    std::vector<AggregateRow> rows;
    for (std::size_t p = 0; p < points.size(); ++p) {
        for (const std::string& metric : order) {
            std::vector<double> values;
            for (const RunResults* run : point_runs[p]) {
                for (const SummaryEntry& e : run->summary) {
                    if (e.name.view() == metric && !std::isnan(e.value)) values.push_back(e.value);
                }
            }
            const Description d = describe(values, options.confidence);
            AggregateRow row;
            row.point = static_cast<std::uint32_t>(p);
            row.metric = FixedString<64>(metric);
            row.unit = units.at(metric);
            row.n = d.n;
            row.mean = d.mean;
            row.sd = d.sd;
            row.ci_low = d.ci_low;
            row.ci_high = d.ci_high;
            row.min = d.min;
            row.max = d.max;
            if (is_quantile_metric(metric)) {
                const BootstrapOptions b{.seed = options.seed,
                                         .stream_name = "bootstrap/" + std::to_string(p) + "/" + metric,
                                         .resamples = options.resamples,
                                         .confidence = options.confidence};
                const Interval i = bootstrap_interval(values, BootstrapStatistic::mean(), b);
                row.boot_low = i.low;
                row.boot_high = i.high;
            }
            rows.push_back(row);
        }
    }
    return rows;
}

std::expected<SweepTables, std::string> single_point_sweep(std::span<const RunResults> runs,
                                                           AggregateOptions options) {
    if (runs.empty()) return std::unexpected("the file holds no runs");
    SweepTables sweep;
    sweep.name = runs.front().provenance.scenario_name;
    sweep.seed = runs.front().provenance.seed;
    sweep.confidence = options.confidence;
    sweep.bootstrap_resamples = options.resamples;
    SweepPoint point;
    for (const std::string& o : runs.front().provenance.overrides) {
        const bool shared = std::all_of(runs.begin(), runs.end(), [&](const RunResults& r) {
            return std::find(r.provenance.overrides.begin(), r.provenance.overrides.end(), o) !=
                   r.provenance.overrides.end();
        });
        const std::size_t eq = o.find('=');
        if (shared && eq != std::string::npos && eq > 0 && eq + 1 < o.size())
            point.overrides.emplace_back(o.substr(0, eq), o.substr(eq + 1));
    }
    for (const RunResults& r : runs) point.run_ids.push_back(r.provenance.run_id);
    sweep.points.push_back(std::move(point));
    options.seed = sweep.seed;
    auto rows = aggregate_points(runs, sweep.points, options);
    if (!rows) return std::unexpected(rows.error());
    sweep.aggregates = std::move(*rows);
    return sweep;
}

}  // namespace cl::analysis
