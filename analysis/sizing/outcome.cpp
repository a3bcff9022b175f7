#include "analysis/sizing/outcome.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string_view>

namespace cl::analysis::sizing {
namespace {

constexpr std::uint8_t kRequestRefused = 3;      // requests.status `refused` (docs/metrics.md)
constexpr std::uint8_t kRedemptionRedeemed = 1;  // redemptions.status `redeemed`
constexpr std::uint8_t kRedemptionRejected = 2;  // redemptions.status `rejected`

using UserTier = std::pair<std::uint64_t, std::uint16_t>;

void summary_refusals(const RunResults& run, RunOutcome& out) {
    constexpr std::string_view kRequests = "requests_refused_";
    constexpr std::string_view kRedemptions = "redemptions_refused_";
    for (const auto& e : run.summary) {
        const std::string name = e.name.str();
        if (name.starts_with(kRequests))
            out.request_refusals.emplace_back(name.substr(kRequests.size()), e.value);
        else if (name.starts_with(kRedemptions))
            out.redemption_refusals.emplace_back(name.substr(kRedemptions.size()), e.value);
    }
}

}  // namespace

RunOutcome run_outcome(const RunResults& run, std::span<const std::uint64_t> capacity) {
    const std::size_t tiers = run.codes.tiers.size();
    RunOutcome out;
    out.tiers.resize(tiers);
    out.peak_use.assign(tiers, 0);

    // Requests: each user's outcome per tier; each code's tier.
    std::map<Bytes32, std::uint16_t> code_tier;
    std::map<UserTier, bool> asked_all_refused;  // (user, tier) → every request refused so far
    for (const RequestRow& r : run.requests) {
        code_tier.emplace(r.tx_hash, r.tier);
        const auto [it, fresh] = asked_all_refused.emplace(UserTier{r.user, r.tier}, true);
        it->second = it->second && r.status == kRequestRefused;
    }
    // Redemptions: who was served, who was turned away for capacity or time.
    std::vector<bool> capacity_reason(run.codes.redemption_reason.size(), false);
    for (std::size_t i = 0; i < capacity_reason.size(); ++i) {
        const std::string& n = run.codes.redemption_reason[i];
        capacity_reason[i] = n == "cloud_quota_exhausted" || n == "expired";
    }
    std::set<UserTier> served, turned_away;
    for (const RedemptionRow& r : run.redemptions) {
        const auto t = code_tier.find(r.code);
        if (t == code_tier.end()) continue;  // not a code of the honest users' requests
        const UserTier key{r.user, t->second};
        if (r.status == kRedemptionRedeemed) served.insert(key);
        if (r.status == kRedemptionRejected && r.reason < capacity_reason.size() && capacity_reason[r.reason])
            turned_away.insert(key);
    }
    for (const auto& key : served) {
        if (key.second < tiers) ++out.tiers[key.second].served;
    }
    for (const auto& key : turned_away) {
        if (key.second < tiers && !served.contains(key)) ++out.tiers[key.second].refused_cloud;
    }
    for (const auto& [key, all_refused] : asked_all_refused) {
        if (all_refused && key.second < tiers && !served.contains(key) && !turned_away.contains(key))
            ++out.tiers[key.second].refused_pool;
    }

    for (const SampleRow& s : run.samples) {
        for (std::size_t t = 0; t < tiers && t < capacity.size(); ++t) {
            const std::uint64_t used = capacity[t] - std::min(capacity[t], s.pool_remaining[t]);
            out.peak_use[t] = std::max(out.peak_use[t], used);
        }
    }
    summary_refusals(run, out);
    return out;
}

double served_fraction(const TierCounts& c, double weight) {
    const double served = static_cast<double>(c.served);
    const double denominator =
        served + weight * static_cast<double>(c.refused_pool) + static_cast<double>(c.refused_cloud);
    return denominator > 0 ? served / denominator : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace cl::analysis::sizing
