// The `/sweep` schema (round trip, validation), the aggregation of runs per point, the
// sensitivity table and the report text (issue 14; docs/experiments.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/report/aggregate.hpp"
#include "analysis/report/report.hpp"
#include "analysis/report/sensitivity.hpp"
#include "analysis/results/results_file.hpp"
#include "tests/analysis/sample_results.hpp"
#include "tests/analysis/sample_sweep.hpp"

namespace cl::analysis {
namespace {

using testing::sample_sweep;
using testing::SampleSweep;

std::string temp_file(const std::string& name) {
    return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".h5"))
        .string();
}

SampleSweep aggregated_sweep() {
    SampleSweep s = sample_sweep();
    auto rows = aggregate_points(s.runs, s.sweep.points, {.seed = s.sweep.seed});
    EXPECT_TRUE(rows.has_value());
    s.sweep.aggregates = *rows;
    return s;
}

// Equal including NaN fields (bit for bit), which operator== treats as unequal.
bool same_rows(const std::vector<AggregateRow>& a, const std::vector<AggregateRow>& b) {
    if (a.size() != b.size()) return false;
    auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
    for (std::size_t i = 0; i < a.size(); ++i) {
        const AggregateRow& x = a[i];
        const AggregateRow& y = b[i];
        if (x.point != y.point || x.metric != y.metric || x.unit != y.unit || x.n != y.n) return false;
        for (auto [u, v] : {std::pair{x.mean, y.mean},
                            {x.sd, y.sd},
                            {x.ci_low, y.ci_low},
                            {x.ci_high, y.ci_high},
                            {x.min, y.min},
                            {x.max, y.max},
                            {x.boot_low, y.boot_low},
                            {x.boot_high, y.boot_high}}) {
            if (bits(u) != bits(v)) return false;
        }
    }
    return true;
}

const AggregateRow& row_of(const SweepTables& sweep, std::uint32_t point, std::string_view metric) {
    for (const AggregateRow& a : sweep.aggregates) {
        if (a.point == point && a.metric.view() == metric) return a;
    }
    ADD_FAILURE() << "no row " << point << " " << metric;
    return sweep.aggregates.front();
}

TEST(Aggregate, MeanSdAndIntervalPerPoint) {
    const SampleSweep s = aggregated_sweep();
    ASSERT_EQ(s.sweep.aggregates.size(), 6u * 3u);
    // Point 2: quota 200, eip225. Fractions 0.69, 0.695, 0.705, 0.71.
    const AggregateRow& f = row_of(s.sweep, 2, "users_served_fraction");
    EXPECT_EQ(f.n, 4u);
    EXPECT_NEAR(f.mean, 0.7, 1e-12);
    EXPECT_NEAR(f.sd, std::sqrt(0.00025 / 3.0), 1e-12);
    // t_{0.975,3} = 3.182446; half width = 3.182446 · 0.0091287 / 2 = 0.0145258.
    EXPECT_NEAR(f.ci_high - f.mean, 0.0145258, 1e-6);
    EXPECT_NEAR(f.mean - f.ci_low, 0.0145258, 1e-6);
    EXPECT_NEAR(f.min, 0.69, 1e-12);
    EXPECT_NEAR(f.max, 0.71, 1e-12);
    EXPECT_TRUE(std::isnan(f.boot_low));  // not a quantile metric
    EXPECT_EQ(f.unit.view(), "1");

    const AggregateRow& p99 = row_of(s.sweep, 5, "request_latency_p99_s");
    EXPECT_EQ(p99.mean, 3.5);
    EXPECT_NEAR(p99.sd, std::sqrt(5.0 / 3.0), 1e-12);
    EXPECT_FALSE(std::isnan(p99.boot_low));
    EXPECT_GE(p99.boot_low, 2.0);
    EXPECT_LE(p99.boot_high, 5.0);
    EXPECT_LT(p99.boot_low, 3.5);
    EXPECT_GT(p99.boot_high, 3.5);

    const AggregateRow& blocks = row_of(s.sweep, 0, "blocks_sealed");
    EXPECT_EQ(blocks.sd, 0.0);
    EXPECT_EQ(blocks.ci_low, 100.0);
}

TEST(Aggregate, DoesNotDependOnRunOrderInTheFileOrOnOtherMetrics) {
    SampleSweep s = sample_sweep();
    const auto all = aggregate_points(s.runs, s.sweep.points, {.seed = 11});
    std::reverse(s.runs.begin(), s.runs.end());  // runs finished in another order
    const auto reversed = aggregate_points(s.runs, s.sweep.points, {.seed = 11});
    ASSERT_TRUE(all && reversed);
    EXPECT_TRUE(same_rows(*all, *reversed));
    const auto only =
        aggregate_points(s.runs, s.sweep.points, {.seed = 11, .metrics = {"request_latency_p99_s"}});
    ASSERT_TRUE(only.has_value());
    ASSERT_EQ(only->size(), 6u);
    EXPECT_TRUE(
        same_rows({(*only)[1]}, {row_of(SweepTables{.aggregates = *all}, 1, "request_latency_p99_s")}));
}

TEST(Aggregate, LeavesOutNaNAndReportsUnknownMetrics) {
    SampleSweep s = sample_sweep();
    s.runs[0].summary[0].value = NAN;
    const auto rows = aggregate_points(s.runs, s.sweep.points, {});
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ((*rows)[0].n, 3u);
    EXPECT_FALSE(aggregate_points(s.runs, s.sweep.points, {.metrics = {"no_such_metric"}}).has_value());
    s.sweep.points[0].run_ids.push_back("missing");
    EXPECT_FALSE(aggregate_points(s.runs, s.sweep.points, {}).has_value());
}

TEST(Aggregate, QuantileMetricNames) {
    EXPECT_TRUE(is_quantile_metric("request_latency_p99_s"));
    EXPECT_TRUE(is_quantile_metric("propagation_p50_s"));
    EXPECT_TRUE(is_quantile_metric("latency_p999"));
    EXPECT_FALSE(is_quantile_metric("pool_utilisation_small"));
    EXPECT_FALSE(is_quantile_metric("users_p_served"));
    EXPECT_FALSE(is_quantile_metric("p99x_latency"));
}

TEST(Aggregate, SinglePointOfARunFile) {
    const std::vector<RunResults> runs = {testing::sample_run("a", 7), testing::sample_run("b", 7)};
    const auto sweep = single_point_sweep(runs, {});
    ASSERT_TRUE(sweep.has_value());
    ASSERT_EQ(sweep->points.size(), 1u);
    EXPECT_EQ(sweep->points[0].run_ids, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(sweep->points[0].overrides.size(), 2u);
    EXPECT_EQ(sweep->points[0].overrides[0], (std::pair<std::string, std::string>{"duration", "2h"}));
    EXPECT_EQ(sweep->seed, 7u);
    EXPECT_EQ(sweep->aggregates.size(), runs[0].summary.size());
    EXPECT_FALSE(single_point_sweep({}, {}).has_value());
}

TEST(SweepFile, RoundTrip) {
    const SampleSweep s = aggregated_sweep();
    const std::string path = temp_file("sweep-round-trip");
    ASSERT_TRUE(write_sweep_results(path, s.runs, s.sweep).has_value());
    const auto file = read_results_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(file.has_value()) << file.error();
    EXPECT_EQ(file->runs, s.runs);
    ASSERT_TRUE(file->sweep.has_value());
    EXPECT_EQ(file->sweep->points, s.sweep.points);
    EXPECT_EQ(file->sweep->parameters, s.sweep.parameters);
    EXPECT_EQ(file->sweep->name, s.sweep.name);
    EXPECT_EQ(file->sweep->seed, s.sweep.seed);
    EXPECT_EQ(file->sweep->confidence, s.sweep.confidence);
    EXPECT_EQ(file->sweep->bootstrap_resamples, s.sweep.bootstrap_resamples);
    EXPECT_TRUE(same_rows(file->sweep->aggregates, s.sweep.aggregates));
}

TEST(SweepFile, PlainRunFileHasNoSweep) {
    const std::vector<RunResults> runs = {testing::sample_run("a", 7)};
    const std::string path = temp_file("sweep-plain");
    ASSERT_TRUE(write_results(path, runs).has_value());
    const auto file = read_results_file(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(file.has_value()) << file.error();
    EXPECT_FALSE(file->sweep.has_value());
    EXPECT_EQ(file->runs, runs);
}

TEST(SweepFile, ValidationRejectsInconsistentTables) {
    const SampleSweep good = aggregated_sweep();
    const std::string path = temp_file("sweep-invalid");
    auto expect_rejected = [&](const SweepTables& sweep, std::string_view fragment) {
        const auto ok = write_sweep_results(path, good.runs, sweep);
        ASSERT_FALSE(ok.has_value());
        EXPECT_NE(ok.error().find(fragment), std::string::npos) << ok.error();
        EXPECT_FALSE(std::filesystem::exists(path));
    };
    SweepTables s = good.sweep;
    s.points[1].run_ids.push_back("nope");
    expect_rejected(s, "not among the file's runs");
    s = good.sweep;
    s.points[1].run_ids.push_back(s.points[0].run_ids[0]);
    expect_rejected(s, "belongs to two points");
    s = good.sweep;
    s.points[0].overrides.push_back({"", "1"});
    expect_rejected(s, "override key");
    s = good.sweep;
    s.points[0].overrides.push_back({"k", std::string(129, 'x')});
    expect_rejected(s, "over 128 bytes");
    s = good.sweep;
    s.aggregates.push_back(s.aggregates.front());
    expect_rejected(s, "repeated");
    s = good.sweep;
    s.aggregates.front().point = 99;
    expect_rejected(s, "does not exist");
}

TEST(Sensitivity, RecoversTheQuotaSlopeAndSkipsNonNumericParameters) {
    const SampleSweep s = aggregated_sweep();
    const SensitivityTable t = sensitivity(s.runs, s.sweep);
    ASSERT_EQ(t.parameters, (std::vector<std::string>{"pool.default_quota"}));
    ASSERT_EQ(t.rows.size(), 3u);
    const SensitivityRow& f = t.rows[0];
    EXPECT_EQ(f.metric, "users_served_fraction");
    ASSERT_TRUE(f.error.empty()) << f.error;
    EXPECT_EQ(f.n, 24u);
    EXPECT_NEAR(f.coefficients[0], 0.001, 1e-12);
    EXPECT_NEAR(f.intercept, 0.5, 1e-10);
    // SS_res = 6 · 0.00025 = 0.0015 over SS_tot = 0.0015 + 24 · 0.01 · 2/3 = 0.1615.
    EXPECT_NEAR(f.r_squared, 1.0 - 0.0015 / 0.1615, 1e-10);
    // Constant metrics cannot be explained: R² is NaN, the slope 0.
    EXPECT_TRUE(std::isnan(t.rows[2].r_squared));
}

TEST(Sensitivity, ParameterNumbers) {
    EXPECT_EQ(parse_parameter_number("250"), 250.0);
    EXPECT_EQ(parse_parameter_number("1e3"), 1000.0);
    EXPECT_EQ(parse_parameter_number("1%"), 0.01);
    EXPECT_EQ(parse_parameter_number("6h"), 21600.0);
    EXPECT_EQ(parse_parameter_number("1h30m"), 5400.0);
    EXPECT_EQ(parse_parameter_number("5min"), 300.0);
    EXPECT_EQ(parse_parameter_number("500ms"), 0.5);
    EXPECT_FALSE(parse_parameter_number("eip225").has_value());
    EXPECT_FALSE(parse_parameter_number("5 min").has_value());
    EXPECT_FALSE(parse_parameter_number("").has_value());
    EXPECT_FALSE(parse_parameter_number("10Mbit/s").has_value());
}

TEST(Report, FormatsAllThreeWays) {
    const SampleSweep s = aggregated_sweep();
    const SensitivityTable t = sensitivity(s.runs, s.sweep);
    const ReportInput input{s.runs, s.sweep, t, true};

    const std::string md = format_report(input, ReportFormat::kMarkdown);
    EXPECT_NE(md.find("# report: quota-vs-fork-choice"), std::string::npos);
    EXPECT_NE(md.find("| 2 | pool.default_quota=200, consensus.fork_choice=eip225 | 4 |"), std::string::npos);
    EXPECT_NE(md.find("| 2 | users_served_fraction | 1 | 4 | 0.7 | 0.009129 | 0.6855 | 0.7145 | 0.69 | 0.71 "
                      "| n/a | n/a |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("## sensitivity"), std::string::npos);
    EXPECT_NE(md.find("| users_served_fraction | 1 | 24 | 0.5 | 0.001 | 0.9907 |"), std::string::npos) << md;
    EXPECT_EQ(md.find("## runs"), std::string::npos);

    const std::string csv = format_report(input, ReportFormat::kCsv);
    EXPECT_EQ(csv.substr(0, csv.find('\r')),
              "point,pool.default_quota,consensus.fork_choice,metric,unit,n,mean,sd,ci_low,ci_high,min,max,"
              "boot_low,boot_high");
    EXPECT_NE(csv.find("\r\n2,200,eip225,users_served_fraction,1,4,0.69999999999999996,"), std::string::npos);
    EXPECT_NE(csv.find("metric,unit,n,parameter,coefficient,intercept,r_squared,error"), std::string::npos);

    const auto json = nlohmann::json::parse(format_report(input, ReportFormat::kJson));
    EXPECT_EQ(json["kind"], "sweep");
    EXPECT_EQ(json["points"].size(), 6u);
    EXPECT_EQ(json["points"][2]["overrides"]["pool.default_quota"], "200");
    EXPECT_EQ(json["aggregates"].size(), 18u);
    EXPECT_TRUE(json["aggregates"][0]["boot_low"].is_null());
    EXPECT_NEAR(json["sensitivity"]["rows"][0]["coefficients"][0].get<double>(), 0.001, 1e-12);
}

TEST(Report, RunFileListsEachRun) {
    const std::vector<RunResults> runs = {testing::sample_run("a", 7), testing::sample_run("b", 7)};
    const auto sweep = single_point_sweep(runs, {});
    ASSERT_TRUE(sweep.has_value());
    const SensitivityTable t = sensitivity(runs, *sweep);
    EXPECT_TRUE(t.parameters.empty());
    const std::string md = format_report({runs, *sweep, t, false}, ReportFormat::kMarkdown);
    EXPECT_NE(md.find("## runs\n\n| metric | a | b |"), std::string::npos) << md;
    EXPECT_NE(md.find("| blocks_sealed | 3 | 3 |"), std::string::npos);
    EXPECT_EQ(md.find("## sensitivity"), std::string::npos);
    EXPECT_EQ(parse_report_format("xml"), std::nullopt);
}

}  // namespace
}  // namespace cl::analysis
