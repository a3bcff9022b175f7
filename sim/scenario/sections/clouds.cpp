// `clouds:` — the member clouds: name, region, quotas per tier and client
// (docs/scenarios.md "Reference"). Needs the pool's tiers and the network's regions.
#include <limits>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// A cloud being read, and the sum of quotas per tier of the clouds before it.
struct CloudRead {
    CloudSpec cloud;
    std::vector<std::uint64_t>& capacity;
};

using CloudKey = Key<Load, CloudRead>;

constexpr std::array<CloudKey, 5> kCloudKeys{{
    {"name",
     [](Load& l, const Field& nf, const MapReader&, CloudRead& r) {
         if (nf && get_name(l.c, nf, r.cloud.name, "cloud name")) {
             for (const auto& other : l.s.clouds) {
                 if (other.name == r.cloud.name) {
                     l.c.error(nf.pos, nf.key, "duplicate cloud name " + quote(r.cloud.name));
                 }
             }
         }
     },
     true},
    {"region",
     [](Load& l, const Field& rf, const MapReader&, CloudRead& r) {
         if (rf && get_name(l.c, rf, r.cloud.region, "region")) check_region_name(l, rf, r.cloud.region);
     },
     true},
    {"quotas",
     [](Load& l, const Field& qf, const MapReader& m, CloudRead& r) {
         CloudSpec& cloud = r.cloud;
         cloud.quotas.assign(l.s.pool.tiers.size(), l.s.pool.default_quota);
         read_named_map<std::uint64_t>(l.c, qf, l.tier_names, "tier", cloud.quotas,
                                       [&](const Field& vf) { return read_uint(l.c, vf); });
         // A tier's capacity is the sum of its quotas (spec §3); like state::validate(),
         // refuse a sum beyond 2^64 - 1.
         std::vector<std::uint64_t>& capacity = r.capacity;
         capacity.resize(cloud.quotas.size(), 0);
         for (std::size_t t = 0; t < cloud.quotas.size(); ++t) {
             if (cloud.quotas[t] > std::numeric_limits<std::uint64_t>::max() - capacity[t]) {
                 l.c.error(qf ? qf.pos : m.pos(), qf ? qf.key : m.path(),
                           "the quotas of tier '" + l.tier_names.at(t) + "' sum to more than 2^64 - 1");
                 capacity[t] = std::numeric_limits<std::uint64_t>::max();
             } else {
                 capacity[t] += cloud.quotas[t];
             }
         }
     }},
    {"client", [](Load& l, const Field&, const MapReader& m,
                  CloudRead& r) { r.cloud.fork_choice = read_client(l, m); }},
    {"fork_choice", nullptr},  // read with `client` (read_client)
}};

}  // namespace

void read_clouds(Load& l, const Field& f) {
    if (!f) return;
    const auto* items = list(l.c, f, "clouds");
    if (items == nullptr) return;
    if (items->empty()) {
        l.c.error(f.pos, f.key, "at least one cloud is required (each runs a validator)");
        return;
    }
    if (!check_count(l, f, items->size(), kMaxClouds, "clouds",
                     "each runs a Clique signer that every block's snapshot lists")) {
        l.clouds_ok = false;
        return;
    }
    std::vector<std::uint64_t> capacity;  // Σ quotas per tier so far
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field cf = item(f, *items, i);
        const std::size_t before = l.c.count();
        const MapReader m = map_reader(l.c, cf, kCloudKeys, "in a cloud");
        if (!m.present()) {
            if (cf.node->is_null()) l.c.error(cf.pos, cf.key, "expected a cloud mapping, got nothing (null)");
            continue;
        }
        CloudRead r{CloudSpec{}, capacity};
        read_keys(l, m, kCloudKeys, r);
        if (l.c.count() != before) l.clouds_ok = false;
        l.s.clouds.push_back(std::move(r.cloud));
    }
}

}  // namespace cl::sim::scenario::detail
