#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {

// REQUIRES: run.codes filled (fill_code_books).
RedemptionStats map_redemptions(const sim::world::WorldResults& world, analysis::RunResults& run) {
    RedemptionStats s;
    s.by_reason.assign(run.codes.redemption_reason.size(), 0);
    for (const auto& r : world.redemptions) {
        analysis::RedemptionRow row{bytes(r.code),
                                    r.user,
                                    r.cloud,
                                    ns(r.requested),
                                    ns(r.first_query),
                                    ns(r.submitted),
                                    ns(r.included),
                                    ns(r.allocated),
                                    0,
                                    0};
        const Coded c = code_redemption_outcome(r.included.has_value(), r.success, r.reason);
        row.status = c.status;
        row.reason = c.reason;
        if (r.included) {
            s.redeemed += r.success ? 1 : 0;
            if (r.success) s.users_redeemed.insert(r.user);
            if (r.success && r.allocated)
                s.allocation_latencies.push_back((*r.allocated - r.requested).to_seconds_f64());
        }
        if (row.status == 2) ++s.by_reason[row.reason];
        run.redemptions.push_back(row);
    }
    return s;
}

}  // namespace cl::app::mapping
