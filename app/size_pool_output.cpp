#include "app/size_pool_output.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace cl::app::size_pool {
namespace {

std::string fixed(double v, int digits) {
    if (std::isnan(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g %%", 100.0 * v);
    return buf;
}

std::string quota_text(const std::optional<std::uint64_t>& q) { return q ? std::to_string(*q) : "none"; }

// The refusals with a non-zero mean, "name mean, ..." ("none" when there are none).
std::string refusals_text(const std::vector<std::pair<std::string, double>>& refusals) {
    std::string out;
    for (const auto& [reason, mean] : refusals) {
        if (mean == 0) continue;
        out += (out.empty() ? "" : ", ") + reason + " " + fixed(mean, 2);
    }
    return out.empty() ? "none" : out;
}

nlohmann::ordered_json number(double v) {
    return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
}

nlohmann::ordered_json quota_json(const std::optional<std::uint64_t>& q) {
    return q ? nlohmann::ordered_json(*q) : nlohmann::ordered_json();
}

}  // namespace

std::string format_table(const Answer& a) {
    std::string out = "size-pool: scenario " + a.scenario + ", " + std::to_string(a.clouds.size()) +
                      (a.clouds.size() == 1 ? " cloud" : " clouds") + "; target " + percent(a.target) +
                      " of users served per tier, shown at " + percent(a.confidence) + " confidence; " +
                      std::to_string(a.replications) + " to " + std::to_string(a.max_replications) +
                      " replications per candidate\n";
    for (const OptionAnswer& o : a.options) {
        out += "\nTTL " + o.label + " (" + o.ttl + ")";
        if (!o.reached) out += ": TARGET NOT REACHED — the largest quotas tried";
        if (o.scale_answer) out += ": the per-tier minima together fell short; the scale search's quotas";
        out += "\n";
        out += "  " + pad("tier", 12) + pad("quota/cloud", 13) + pad("pool", 10) + pad("served", 10) +
               pad("interval", 20) + pad("n", 5) + pad("model quota/cloud", 19) + pad("model shared", 14) +
               pad("model served", 14) + "peak pool use (mean, max)\n";
        for (const TierAnswer& t : o.tiers) {
            const std::string interval =
                "[" + fixed(t.served.ci_low, 4) + ", " + fixed(t.served.ci_high, 4) + "]";
            const std::string peak =
                fixed(t.peak_use_mean, 1) + ", " + fixed(t.peak_use_max, 0) + " of " +
                std::to_string(t.pool) +
                (t.pool > 0 ? " (" + percent(t.peak_use_max / static_cast<double>(t.pool)) + ")" : "");
            out += "  " + pad(t.tier, 12) + pad(std::to_string(t.quota), 13) +
                   pad(std::to_string(t.pool), 10) + pad(fixed(t.served.mean, 4), 10) + pad(interval, 20) +
                   pad(std::to_string(t.served.n), 5) + pad(quota_text(t.model_quota), 19) +
                   pad(quota_text(t.model_shared_quota), 14) + pad(fixed(t.model_fraction, 4), 14) + peak +
                   "\n";
        }
        out += "  refusals, mean per run: pool stage (requests): " + refusals_text(o.request_refusals) +
               "; cloud stage (redemptions): " + refusals_text(o.redemption_refusals) + "\n";
        if (!o.model_gaps.empty()) {
            out += "  the model leaves out:";
            for (std::size_t i = 0; i < o.model_gaps.size(); ++i) out += (i ? "; " : " ") + o.model_gaps[i];
            out += "\n";
        }
    }
    out += "\nruns: " + std::to_string(a.runs) + " (" + std::to_string(a.resumed) + " from before), " +
           std::to_string(a.rounds) + " rounds, " + std::to_string(a.jobs) +
           (a.jobs == 1 ? " worker" : " workers") + "\n";
    return out;
}

std::string format_json(const Answer& a) {
    nlohmann::ordered_json j;
    j["scenario"] = a.scenario;
    j["clouds"] = a.clouds;
    j["target"] = a.target;
    j["confidence"] = a.confidence;
    j["precision"] = a.precision;
    j["replications"] = a.replications;
    j["max_replications"] = a.max_replications;
    j["options"] = nlohmann::ordered_json::array();
    for (const OptionAnswer& o : a.options) {
        nlohmann::ordered_json oj;
        oj["ttl_option"] = o.label;
        oj["ttl"] = o.ttl;
        oj["reached"] = o.reached;
        oj["scale_answer"] = o.scale_answer;
        oj["runs"] = o.runs;
        oj["tiers"] = nlohmann::ordered_json::array();
        for (const TierAnswer& t : o.tiers) {
            nlohmann::ordered_json tj;
            tj["tier"] = t.tier;
            tj["quota_per_cloud"] = t.quota;
            tj["pool"] = t.pool;
            tj["served_fraction"] = {{"n", t.served.n},
                                     {"mean", number(t.served.mean)},
                                     {"sd", number(t.served.sd)},
                                     {"ci_low", number(t.served.ci_low)},
                                     {"ci_high", number(t.served.ci_high)},
                                     {"min", number(t.served.min)},
                                     {"max", number(t.served.max)}};
            tj["model"] = {{"users", number(t.users)},
                           {"quota_per_cloud", quota_json(t.model_quota)},
                           {"quota_per_cloud_shared_budget", quota_json(t.model_shared_quota)},
                           {"served_fraction_at_quota", number(t.model_fraction)}};
            tj["peak_pool_use"] = {{"mean", number(t.peak_use_mean)}, {"max", number(t.peak_use_max)}};
            oj["tiers"].push_back(tj);
        }
        nlohmann::ordered_json requests = nlohmann::ordered_json::object();
        for (const auto& [reason, mean] : o.request_refusals) requests[reason] = number(mean);
        nlohmann::ordered_json redemptions = nlohmann::ordered_json::object();
        for (const auto& [reason, mean] : o.redemption_refusals) redemptions[reason] = number(mean);
        oj["refusals_mean_per_run"] = {{"pool_stage", requests}, {"cloud_stage", redemptions}};
        oj["model_leaves_out"] = o.model_gaps;
        j["options"].push_back(oj);
    }
    j["runs"] = a.runs;
    j["runs_from_before"] = a.resumed;
    j["rounds"] = a.rounds;
    j["workers"] = a.jobs;
    return j.dump(2) + "\n";
}

}  // namespace cl::app::size_pool
