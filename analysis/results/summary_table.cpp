#include "analysis/results/summary_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "analysis/results/digest.hpp"

namespace cl::analysis {
namespace {

struct Line {
    std::string name;
    std::string value;
    std::string unit;
};

// snprintf with "C"-locale formats only (%g/%f never use the locale's decimal point in a
// program that does not call setlocale; the simulator does not).
std::string printf_double(const char* format, double value) {
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, format, value);
    return std::string(buffer,
                       static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buffer) - 1)));
}

}  // namespace

std::string format_metric_value(double value) {
    if (std::isnan(value)) return "n/a";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0)
        return printf_double("%.0f", value);
    if (std::fabs(value) < 1000.0) return printf_double("%.4g", value);
    return printf_double("%.1f", value);
}

std::string format_summary(const RunResults& run) {
    const Provenance& p = run.provenance;
    std::string out = "run " + p.run_id + "  scenario " + p.scenario_name + "  seed " +
                      std::to_string(p.seed) + "  replication " + std::to_string(p.replication) + "\n";
    out += "digest " + results_digest(run) + "\n";

    std::vector<Line> metrics;
    for (const SummaryEntry& e : run.summary)
        metrics.push_back({e.name.str(), format_metric_value(e.value), e.unit.str()});
    const WallClock& w = run.wall_clock;
    const std::vector<Line> wall = {
        {"wall_seconds", format_metric_value(w.wall_seconds), "s"},
        {"events", std::to_string(w.events), "count"},
        {"events_per_s", format_metric_value(w.events_per_s), "1/s"},
        {"sim_seconds_per_wall_second", format_metric_value(w.sim_seconds_per_wall_second), "s/s"},
        {"peak_rss_bytes", std::to_string(w.peak_rss_bytes), "B"},
    };

    std::size_t name_width = 6;   // "metric"
    std::size_t value_width = 5;  // "value"
    for (const std::vector<Line>* lines : std::array<const std::vector<Line>*, 2>{&metrics, &wall}) {
        for (const Line& l : *lines) {
            name_width = std::max(name_width, l.name.size());
            value_width = std::max(value_width, l.value.size());
        }
    }
    auto emit = [&](const Line& l) {
        std::string row = l.name;
        row.append(name_width - l.name.size() + 2 + value_width - l.value.size(), ' ');
        row += l.value;
        if (!l.unit.empty()) row += "  " + l.unit;
        out += row + "\n";
    };
    out += "\n";
    emit({"metric", "value", "unit"});
    for (const Line& l : metrics) emit(l);
    out += "\nwall clock (not in the digest)\n";
    for (const Line& l : wall) emit(l);
    return out;
}

}  // namespace cl::analysis
