// What one run says about the pool's size (docs/sizing.md "Served users"): per tier, the
// users served and the users refused at each stage, the peak pool use, and the refusal
// counts by reason of the run's summary.
//
// Per tier t, over the run's tables (a code's tier is its request's, the code being the
// request's transaction hash):
//   served        users with a `redeemed` row of `redemptions` for a tier-t code — a user
//                 who got a code AND whose redemption a cloud accepted (spec §4);
//   refused_pool  other users who asked for tier t and all of whose requests for it were
//                 refused (`requests.status` = refused, any reason: pool_exhausted,
//                 user_limit, block_cap, a txpool refusal) — none pending, none succeeded;
//   refused_cloud other users who presented a tier-t code and were rejected for a reason of
//                 capacity or time: `cloud_quota_exhausted`, `expired`.
// Users who were screened out, did not present their code, or were still waiting when the
// run ended are neither: their outcome says nothing about the quota.
//
// Served fraction (weight w = redeem_probability × pass_probability):
//   served / (served + w·refused_pool + refused_cloud)
// A user refused a code would have presented it and passed the screening with
// probability w: weighting it so estimates the would-be-served users the pool turned
// away, and treats them as the holders who chose not to present (left out) are treated.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis/results/schema.hpp"

namespace cl::analysis::sizing {

struct TierCounts {
    std::uint64_t served = 0;
    std::uint64_t refused_pool = 0;
    std::uint64_t refused_cloud = 0;
};

struct RunOutcome {
    std::vector<TierCounts> tiers;        // per codes.tiers
    std::vector<std::uint64_t> peak_use;  // per tier: max over samples of capacity − remaining
    // The summary's refusal counts, in summary order: (reason, count).
    std::vector<std::pair<std::string, double>> request_refusals;     // requests_refused_<reason>
    std::vector<std::pair<std::string, double>> redemption_refusals;  // redemptions_refused_<reason>
};

// REQUIRES: capacity has one entry per tier of run.codes.tiers (the pool's units per
// tier at genesis: Σ over clouds of their quotas).
RunOutcome run_outcome(const RunResults& run, std::span<const std::uint64_t> capacity);

// NaN when nobody counts (served + refused = 0).
double served_fraction(const TierCounts& c, double weight);

}  // namespace cl::analysis::sizing
