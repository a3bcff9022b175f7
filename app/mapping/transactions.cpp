#include "app/mapping/mappers.hpp"

namespace cl::app::mapping {

// REQUIRES: run.codes filled (fill_code_books).
RequestStats map_requests(const sim::world::WorldResults& world, analysis::RunResults& run) {
    RequestStats s;
    s.by_reason.assign(run.codes.request_reason.size(), 0);
    for (const auto& q : world.requests) {
        analysis::RequestRow row{bytes(q.tx),     q.user,         q.attempt,       q.region, q.tier,
                                 ns(q.submitted), ns(q.included), ns(q.confirmed), 0,        0};
        const Coded c = code_tx_outcome(q.included.has_value(), q.success, q.confirmed.has_value(), q.reason);
        row.status = c.status;
        row.reason = c.reason;
        ++s.by_reason[row.reason];
        s.rerequests += q.attempt > 1 ? 1 : 0;
        s.issued += row.status == 1 || row.status == 2 ? 1 : 0;
        if (row.status == 2) {
            ++s.served;
            s.users_issued.insert(q.user);
            s.latencies.push_back(static_cast<double>(row.confirm_ns - row.submit_ns) * 1e-9);
        }
        if (q.stamp_hashes > 0) s.stamp_seconds.push_back(q.stamp_time.to_seconds_f64());
        run.requests.push_back(row);
    }
    return s;
}

std::size_t map_transfers(const sim::world::WorldResults& world, analysis::RunResults& run) {
    std::size_t transferred = 0;
    for (const auto& t : world.transfers) {
        analysis::TransferRow row{bytes(t.tx),    bytes(t.code),   t.from, t.to, ns(t.submitted),
                                  ns(t.included), ns(t.confirmed), 0,      0};
        const Coded c = code_tx_outcome(t.included.has_value(), t.success, t.confirmed.has_value(), t.reason);
        row.status = c.status;
        row.reason = c.reason;
        transferred += row.status == 1 || row.status == 2 ? 1 : 0;
        run.transfers.push_back(row);
    }
    return transferred;
}

std::size_t map_renewals(const sim::world::WorldResults& world, analysis::RunResults& run) {
    std::size_t renewed = 0;
    for (const auto& n : world.renewals) {
        analysis::RenewalRow row{bytes(n.tx),    bytes(n.code),   n.user, ns(n.submitted),
                                 ns(n.included), ns(n.confirmed), 0,      0};
        const Coded c = code_tx_outcome(n.included.has_value(), n.success, n.confirmed.has_value(), n.reason);
        row.status = c.status;
        row.reason = c.reason;
        renewed += row.status == 1 || row.status == 2 ? 1 : 0;
        run.renewals.push_back(row);
    }
    return renewed;
}

}  // namespace cl::app::mapping
