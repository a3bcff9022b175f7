// What `cloudledger size-pool` reports (docs/sizing.md "Output"): per TTL option, the
// quota per tier and per cloud with the served fraction and its interval, the analytic
// cross-check beside it, the peak pool use and the refusals by reason at both stages —
// as a table for people and as JSON for programs (the same content).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/stats/describe.hpp"

namespace cl::app::size_pool {

struct TierAnswer {
    std::string tier;
    std::uint64_t quota = 0;                   // per cloud
    std::uint64_t pool = 0;                    // the tier's pool: quota × clouds
    analysis::Description served;              // served fraction over the runs (analysis/sizing/outcome.hpp)
    double users = 0;                          // the model's expected users asking for the tier (a)
    std::optional<std::uint64_t> model_quota;  // the model's quota per cloud (nullopt: none)
    std::optional<std::uint64_t> model_shared_quota;  // ... were the clouds' units one budget
    double model_fraction = 0;                        // the model's served fraction at `quota`
    double peak_use_mean = 0;                         // units, over the runs
    double peak_use_max = 0;
};

struct OptionAnswer {
    std::string label;  // "scenario" or the --ttl value
    std::string ttl;    // the TTL policy as run, e.g. "fixed 1440 blocks (6h)"
    bool reached = true;
    bool scale_answer = false;  // the per-tier minima together fell short: the scale search's quotas
    std::vector<TierAnswer> tiers;
    std::vector<std::pair<std::string, double>> request_refusals;     // mean per run, every reason
    std::vector<std::pair<std::string, double>> redemption_refusals;  // mean per run, every reason
    std::vector<std::string> model_gaps;  // what the model leaves out that this scenario has
    std::uint64_t runs = 0;               // runs of the answer's quotas
};

struct Answer {
    std::string scenario;
    std::vector<std::string> clouds;
    double target = 0.99;
    double confidence = 0.95;
    double precision = 0.01;
    std::uint64_t replications = 4;
    std::uint64_t max_replications = 32;
    std::vector<OptionAnswer> options;
    std::size_t runs = 0;     // every run of the search
    std::size_t resumed = 0;  // ... found in the journal from before
    std::size_t rounds = 0;
    unsigned jobs = 1;
};

std::string format_table(const Answer& a);
std::string format_json(const Answer& a);

}  // namespace cl::app::size_pool
