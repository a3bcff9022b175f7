#include "analysis/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/results/summary_table.hpp"

namespace cl::analysis {
namespace {

constexpr std::size_t kMaxRunColumns = 12;

std::string full_precision(double v) {
    if (std::isnan(v)) return "";
    char buffer[40];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return std::string(buffer, static_cast<std::size_t>(std::max(n, 0)));
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// Markdown table cells: a '|' inside would end the cell.
std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string overrides_text(const SweepPoint& p) {
    std::string out;
    for (const auto& [k, v] : p.overrides) out += (out.empty() ? "" : ", ") + k + "=" + v;
    return out.empty() ? "(none)" : out;
}

std::string value_of(const SweepPoint& p, const std::string& key) {
    for (const auto& [k, v] : p.overrides) {
        if (k == key) return v;
    }
    return "";
}

nlohmann::ordered_json json_number(double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
}

std::string markdown(const ReportInput& in) {
    const SweepTables& s = in.sweep;
    std::string out = "# report: " + s.name + "\n\n";
    out += in.is_sweep_file ? "sweep: " + std::to_string(s.points.size()) + " points, "
                            : std::string("run file, aggregated as one point: ");
    out +=
        std::to_string(in.runs.size()) + " runs; confidence " + format_metric_value(s.confidence * 100) +
        " % (Student t); bootstrap intervals (quantile metrics): " + std::to_string(s.bootstrap_resamples) +
        " resamples, seed " + std::to_string(s.seed) + "\n\n";

    out += "## points\n\n| point | overrides | runs |\n|---:|---|---:|\n";
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        out += "| " + std::to_string(i) + " | " + md_cell(overrides_text(s.points[i])) + " | " +
               std::to_string(s.points[i].run_ids.size()) + " |\n";
    }

    out +=
        "\n## aggregates\n\n| point | metric | unit | n | mean | sd | ci low | ci high | min | max | boot "
        "low | "
        "boot high |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const AggregateRow& a : s.aggregates) {
        out += "| " + std::to_string(a.point) + " | " + md_cell(a.metric.str()) + " | " +
               md_cell(a.unit.str()) + " | " + std::to_string(a.n);
        for (double v : {a.mean, a.sd, a.ci_low, a.ci_high, a.min, a.max, a.boot_low, a.boot_high})
            out += " | " + format_metric_value(v);
        out += " |\n";
    }

    const SensitivityTable& t = in.sensitivity;
    if (!t.parameters.empty()) {
        out +=
            "\n## sensitivity\n\nleast squares over runs: metric ≈ intercept + Σ coefficient · parameter "
            "(durations in s, percentages as fractions)\n\n| metric | unit | n | intercept |";
        for (const std::string& p : t.parameters) out += " " + md_cell(p) + " |";
        out += " R² |\n|---|---|---:|---:|";
        for (std::size_t j = 0; j < t.parameters.size(); ++j) out += "---:|";
        out += "---:|\n";
        for (const SensitivityRow& r : t.rows) {
            out += "| " + md_cell(r.metric) + " | " + md_cell(r.unit) + " | " + std::to_string(r.n) + " |";
            if (!r.error.empty()) {
                out += " n/a |";
                for (std::size_t j = 0; j < t.parameters.size(); ++j) out += " n/a |";
                out += " n/a (" + md_cell(r.error) + ") |\n";
                continue;
            }
            out += " " + format_metric_value(r.intercept) + " |";
            for (double c : r.coefficients) out += " " + format_metric_value(c) + " |";
            out += " " + format_metric_value(r.r_squared) + " |\n";
        }
    }

    if (!in.is_sweep_file && !in.runs.empty()) {
        const std::size_t shown = std::min(in.runs.size(), kMaxRunColumns);
        out += "\n## runs\n\n| metric |";
        for (std::size_t i = 0; i < shown; ++i) out += " " + md_cell(in.runs[i].provenance.run_id) + " |";
        out += "\n|---|";
        for (std::size_t i = 0; i < shown; ++i) out += "---:|";
        out += "\n";
        for (const SummaryEntry& e : in.runs.front().summary) {
            out += "| " + md_cell(e.name.str()) + " |";
            for (std::size_t i = 0; i < shown; ++i) {
                const auto& summary = in.runs[i].summary;
                const auto it = std::find_if(summary.begin(), summary.end(),
                                             [&](const SummaryEntry& x) { return x.name == e.name; });
                out += " " + (it == summary.end() ? std::string("—") : format_metric_value(it->value)) + " |";
            }
            out += "\n";
        }
        if (shown < in.runs.size())
            out += "\n(" + std::to_string(in.runs.size() - shown) + " more runs not shown)\n";
    }
    return out;
}

std::string csv(const ReportInput& in) {
    const SweepTables& s = in.sweep;
    std::string out = "point";
    for (const std::string& p : s.parameters) out += "," + csv_field(p);
    out += ",metric,unit,n,mean,sd,ci_low,ci_high,min,max,boot_low,boot_high\r\n";
    for (const AggregateRow& a : s.aggregates) {
        out += std::to_string(a.point);
        for (const std::string& p : s.parameters) out += "," + csv_field(value_of(s.points[a.point], p));
        out += "," + csv_field(a.metric.str()) + "," + csv_field(a.unit.str()) + "," + std::to_string(a.n);
        for (double v : {a.mean, a.sd, a.ci_low, a.ci_high, a.min, a.max, a.boot_low, a.boot_high})
            out += "," + full_precision(v);
        out += "\r\n";
    }
    const SensitivityTable& t = in.sensitivity;
    if (!t.parameters.empty()) {
        out += "\r\nmetric,unit,n,parameter,coefficient,intercept,r_squared,error\r\n";
        for (const SensitivityRow& r : t.rows) {
            for (std::size_t j = 0; j < t.parameters.size(); ++j) {
                const bool ok = r.error.empty();
                out += csv_field(r.metric) + "," + csv_field(r.unit) + "," + std::to_string(r.n) + "," +
                       csv_field(t.parameters[j]) + "," + (ok ? full_precision(r.coefficients[j]) : "") +
                       "," + (ok ? full_precision(r.intercept) : "") + "," +
                       (ok ? full_precision(r.r_squared) : "") + "," + csv_field(r.error) + "\r\n";
            }
        }
    }
    return out;
}

std::string json(const ReportInput& in) {
    const SweepTables& s = in.sweep;
    nlohmann::ordered_json j;
    j["name"] = s.name;
    j["kind"] = in.is_sweep_file ? "sweep" : "runs";
    j["seed"] = s.seed;
    j["confidence"] = s.confidence;
    j["bootstrap_resamples"] = s.bootstrap_resamples;
    j["parameters"] = s.parameters;
    j["points"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        nlohmann::ordered_json overrides = nlohmann::ordered_json::object();
        for (const auto& [k, v] : s.points[i].overrides) overrides[k] = v;
        j["points"].push_back({{"point", i}, {"overrides", overrides}, {"runs", s.points[i].run_ids}});
    }
    j["aggregates"] = nlohmann::ordered_json::array();
    for (const AggregateRow& a : s.aggregates) {
        j["aggregates"].push_back({{"point", a.point},
                                   {"metric", a.metric.str()},
                                   {"unit", a.unit.str()},
                                   {"n", a.n},
                                   {"mean", json_number(a.mean)},
                                   {"sd", json_number(a.sd)},
                                   {"ci_low", json_number(a.ci_low)},
                                   {"ci_high", json_number(a.ci_high)},
                                   {"min", json_number(a.min)},
                                   {"max", json_number(a.max)},
                                   {"boot_low", json_number(a.boot_low)},
                                   {"boot_high", json_number(a.boot_high)}});
    }
    nlohmann::ordered_json sens;
    sens["parameters"] = in.sensitivity.parameters;
    sens["rows"] = nlohmann::ordered_json::array();
    for (const SensitivityRow& r : in.sensitivity.rows) {
        nlohmann::ordered_json coefficients = nlohmann::ordered_json::array();
        for (double c : r.coefficients) coefficients.push_back(json_number(c));
        sens["rows"].push_back(
            {{"metric", r.metric},
             {"unit", r.unit},
             {"n", r.n},
             {"intercept", r.error.empty() ? json_number(r.intercept) : nullptr},
             {"coefficients", coefficients},
             {"r_squared", r.error.empty() ? json_number(r.r_squared) : nullptr},
             {"error", r.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.error)}});
    }
    j["sensitivity"] = sens;
    if (!in.is_sweep_file) {
        j["runs"] = nlohmann::ordered_json::array();
        for (const RunResults& run : in.runs) {
            nlohmann::ordered_json summary = nlohmann::ordered_json::object();
            for (const SummaryEntry& e : run.summary) summary[e.name.str()] = json_number(e.value);
            j["runs"].push_back({{"run", run.provenance.run_id},
                                 {"seed", run.provenance.seed},
                                 {"replication", run.provenance.replication},
                                 {"summary", summary}});
        }
    }
    return j.dump(2) + "\n";
}

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view text) {
    if (text == "md") return ReportFormat::kMarkdown;
    if (text == "csv") return ReportFormat::kCsv;
    if (text == "json") return ReportFormat::kJson;
    return std::nullopt;
}

std::string format_report(const ReportInput& input, ReportFormat format) {
    switch (format) {
        case ReportFormat::kMarkdown:
            return markdown(input);
        case ReportFormat::kCsv:
            return csv(input);
        case ReportFormat::kJson:
            return json(input);
    }
    return {};
}

}  // namespace cl::analysis
