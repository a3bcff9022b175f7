#include "analysis/sizing/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/sizing/binomial.hpp"
#include "analysis/sizing/poisson.hpp"

namespace cl::analysis::sizing {
namespace {

constexpr std::uint64_t kMaxQuota = std::uint64_t{1} << 40;

// R_pool for a pool of `capacity` units (model.hpp).
double pool_refused(const TierModel& m, std::uint64_t capacity) {
    if (m.users <= 0 || m.duration_s <= 0) return 0;
    const double lambda = m.users / m.duration_s;
    const double theta = m.reclaim ? std::clamp(1.0 - m.present, 0.0, 1.0) : 0.0;
    const double until = std::min(m.ttl_s, m.duration_s);
    const double m_l = lambda * until;
    const double x_l = poisson_excess(m_l, capacity);
    if (m.ttl_s >= m.duration_s) return x_l;
    if (theta >= 1.0) return x_l + lambda * (m.duration_s - m.ttl_s) * poisson_tail(m_l, capacity);
    const double m_t = lambda * (m.duration_s - theta * (m.duration_s - m.ttl_s));
    return x_l + (poisson_excess(m_t, capacity) - x_l) / (1.0 - theta);
}

ModelOutcome outcome(const TierModel& m, std::uint64_t quota, bool cloud_stage) {
    ModelOutcome o;
    const std::uint64_t clouds = std::max<std::uint64_t>(1, m.clouds);
    const std::uint64_t capacity = quota > std::numeric_limits<std::uint64_t>::max() / clouds
                                       ? std::numeric_limits<std::uint64_t>::max()
                                       : quota * clouds;
    o.pool_refused = std::min(m.users, pool_refused(m, capacity));
    const double issued = std::max(0.0, m.users - o.pool_refused);
    const double presented = m.present * issued;
    o.cloud_refused = cloud_stage ? static_cast<double>(clouds) *
                                        binomial_excess(presented, 1.0 / static_cast<double>(clouds), quota)
                                  : 0.0;
    o.cloud_refused = std::min(o.cloud_refused, presented);
    o.served = presented - o.cloud_refused;
    const double denominator = o.served + m.present * o.pool_refused + o.cloud_refused;
    o.fraction = denominator > 0 ? o.served / denominator : std::numeric_limits<double>::quiet_NaN();
    return o;
}

}  // namespace

ModelOutcome evaluate(const TierModel& m, std::uint64_t quota) { return outcome(m, quota, true); }

ModelOutcome evaluate_pool_only(const TierModel& m, std::uint64_t quota) { return outcome(m, quota, false); }

std::optional<std::uint64_t> quota_for(const TierModel& m, double target, bool pool_only) {
    auto passes = [&](std::uint64_t q) {
        const ModelOutcome o = outcome(m, q, !pool_only);
        return std::isnan(o.fraction) || o.fraction >= target;
    };
    if (passes(0)) return 0;
    std::uint64_t lo = 0, hi = 1;  // passes(lo) is false
    while (!passes(hi)) {
        lo = hi;
        if (hi >= kMaxQuota) return std::nullopt;
        hi *= 2;
    }
    while (hi - lo > 1) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        (passes(mid) ? hi : lo) = mid;
    }
    return hi;
}

}  // namespace cl::analysis::sizing
