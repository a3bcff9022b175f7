// `workload:` — what users and clouds do (docs/scenarios.md "How the workload behaves").
// Needs the regions (network) and the tiers (pool); bounds txpool.stamp_bits again.
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// Simulated users compute real request stamps (docs/scenarios.md "How the workload
// behaves"): a hash rate in (0, 10^12/s], and stamp_bits at most kMaxUserStampBits
// while any user arrives.
void check_stamp_work(Load& l, const Field& hash_rate, WorkloadSpec& w) {
    if (const auto r = read_rate(l.c, hash_rate)) {
        if (r->is_zero() || r->per_second() > 1e12) {
            l.c.error(hash_rate.pos, hash_rate.key,
                      "must be > 0 and at most 1000000000000/s (hashes per unit time), got " +
                          hash_rate.node->text);
        } else {
            w.users.hash_rate = r->per_second();
        }
    }
    const UserArrivals& a = w.arrivals;
    bool users_arrive = !a.total.is_zero() && a.per_region.empty();
    for (const RegionRate& r : a.per_region) users_arrive = users_arrive || !r.rate.is_zero();
    if (users_arrive && l.stamp_bits_field && l.s.txpool.stamp_bits &&
        *l.s.txpool.stamp_bits > kMaxUserStampBits) {
        l.c.error(l.stamp_bits_field.pos, l.stamp_bits_field.key,
                  "at most " + std::to_string(kMaxUserStampBits) + " while users arrive, got " +
                      std::to_string(*l.s.txpool.stamp_bits) +
                      " (simulated users compute real stamps, 2^bits hashes each; set "
                      "workload.users.arrival_rate to 0 for a run without users)");
    }
}

// `arrival_rate` with `region_weights`: one total rate split by weights, or a rate per region.
void read_arrivals(Load& l, const Field& rate, const Field& weights, UserArrivals& u) {
    const auto& regions = l.s.network.regions.names;
    if (rate && rate.node->is_map()) {
        std::vector<std::optional<Rate>> per(regions.size());
        if (l.regions_known) {
            read_named_map<std::optional<Rate>>(l.c, rate, regions, "region", per,
                                                [&](const Field& vf) -> std::optional<std::optional<Rate>> {
                                                    const auto r = read_rate(l.c, vf);
                                                    if (!r) return std::nullopt;
                                                    return std::optional<Rate>(*r);
                                                });
        }
        u.per_region.clear();
        for (std::size_t r = 0; r < regions.size(); ++r) {
            if (per[r]) u.per_region.push_back(RegionRate{regions[r], *per[r]});
        }
        if (rate.node->entries.empty())
            l.c.error(rate.pos, rate.key, "at least one region's rate is required");
        if (weights) {
            l.c.error(weights.pos, weights.key,
                      "region_weights applies only when arrival_rate is one total rate, not per region");
        }
    } else if (rate) {
        if (const auto r = read_rate(l.c, rate)) u.total = *r;
    }
    u.region_weights.assign(regions.size(), 1.0);
    if (weights && !(rate && rate.node->is_map()) && l.regions_known) {
        std::vector<double> w(regions.size(), 0.0);
        read_named_map<double>(l.c, weights, regions, "region", w,
                               [&](const Field& vf) { return read_number(l.c, vf, 0.0, false); });
        if (weights.node->is_map()) {
            double sum = 0;
            for (double x : w) sum += x;
            if (!(sum > 0)) l.c.error(weights.pos, weights.key, "the weights must not all be 0");
            u.region_weights = w;
        }
    }
}

using RerequestKey = Key<Load, UserWorkload>;

constexpr std::array<RerequestKey, 3> kRerequestKeys{{
    {"probability", [](Load& l, const Field& f, const MapReader&,
                       UserWorkload& u) { get_probability(l.c, f, u.rerequest_probability); }},
    {"delay", [](Load& l, const Field& f, const MapReader&,
                 UserWorkload& u) { get_duration(l.c, f, u.rerequest_delay_mean); }},
    {"max_attempts", [](Load& l, const Field& f, const MapReader&,
                        UserWorkload& u) { get_uint(l.c, f, u.max_attempts, 1, 1'000'000); }},
}};

using UserKey = Key<Load, WorkloadSpec>;

constexpr std::array<UserKey, 11> kUserKeys{{
    {"arrival_rate", [](Load& l, const Field& rate, const MapReader& m,
                        WorkloadSpec& w) { read_arrivals(l, rate, m.get("region_weights"), w.arrivals); }},
    {"region_weights", nullptr},  // read with arrival_rate
    {"tier_mix",
     [](Load& l, const Field& mix, const MapReader&, WorkloadSpec& w) {
         w.users.tier_mix.assign(l.tier_names.size(), 1.0);
         if (mix) {
             std::vector<double> weights(l.tier_names.size(), 0.0);
             read_named_map<double>(l.c, mix, l.tier_names, "tier", weights,
                                    [&](const Field& vf) { return read_number(l.c, vf, 0.0, false); });
             if (mix.node->is_map()) {
                 double sum = 0;
                 for (double x : weights) sum += x;
                 if (!(sum > 0)) l.c.error(mix.pos, mix.key, "the weights must not all be 0");
                 w.users.tier_mix = weights;
             }
         }
     }},
    {"transfer_probability", [](Load& l, const Field& f, const MapReader&,
                                WorkloadSpec& w) { get_probability(l.c, f, w.users.transfer_probability); }},
    {"redeem_probability", [](Load& l, const Field& f, const MapReader&,
                              WorkloadSpec& w) { get_probability(l.c, f, w.users.redeem_probability); }},
    {"double_present_probability",
     [](Load& l, const Field& f, const MapReader&, WorkloadSpec& w) {
         get_probability(l.c, f, w.users.double_present_probability);
     }},
    {"redeem_delay", [](Load& l, const Field& f, const MapReader&,
                        WorkloadSpec& w) { get_duration(l.c, f, w.users.redeem_delay_mean); }},
    {"rerequest",
     [](Load& l, const Field& f, const MapReader&, WorkloadSpec& w) {
         const MapReader rr = map_reader(l.c, f, kRerequestKeys);
         read_keys(l, rr, kRerequestKeys, w.users);
     }},
    {"hash_rate",
     [](Load& l, const Field& f, const MapReader&, WorkloadSpec& w) { check_stamp_work(l, f, w); }},
    {"renew_probability", [](Load& l, const Field& f, const MapReader&,
                             WorkloadSpec& w) { get_probability(l.c, f, w.users.renew_probability); }},
    {"renew_margin", [](Load& l, const Field& f, const MapReader&,
                        WorkloadSpec& w) { get_duration(l.c, f, w.users.renew_margin); }},
}};

using CloudWorkloadKey = Key<Load, CloudWorkload>;

constexpr std::array<CloudWorkloadKey, 4> kCloudWorkloadKeys{{
    {"screening_delay", [](Load& l, const Field& f, const MapReader&,
                           CloudWorkload& w) { get_duration(l.c, f, w.screening_delay); }},
    {"pass_probability", [](Load& l, const Field& f, const MapReader&,
                            CloudWorkload& w) { get_probability(l.c, f, w.pass_probability); }},
    {"confirmations", [](Load& l, const Field& f, const MapReader&,
                         CloudWorkload& w) { get_uint(l.c, f, w.confirmations, 0, 1'000'000); }},
    {"allocate_after", [](Load& l, const Field& f, const MapReader&,
                          CloudWorkload& w) { read_allocate_after(l, f, w.allocate_after); }},
}};

using WorkloadKey = Key<Load, WorkloadSpec>;

constexpr std::array<WorkloadKey, 2> kWorkloadKeys{{
    {"users",
     [](Load& l, const Field& f, const MapReader&, WorkloadSpec& w) {
         const MapReader m = map_reader(l.c, f, kUserKeys);
         read_keys(l, m, kUserKeys, w);
     }},
    {"clouds",
     [](Load& l, const Field& f, const MapReader&, WorkloadSpec& w) {
         const MapReader m = map_reader(l.c, f, kCloudWorkloadKeys);
         read_keys(l, m, kCloudWorkloadKeys, w.clouds);
     }},
}};

}  // namespace

void read_workload(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kWorkloadKeys);
    read_keys(l, m, kWorkloadKeys, l.s.workload);
}

}  // namespace cl::sim::scenario::detail
