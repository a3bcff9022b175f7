// `events:` — honest governance at times of the run (shared/spec/promo-pool.md §2,
// docs/scenarios.md "`events`"): `{at: TIME, join: {name: NAME, region: REGION}}` or
// `{at: TIME, leave: CLOUD}`. A joining cloud is appended to `clouds` (genesis false,
// quotas zero: it is not in the genesis) in the order the clouds join, so its validator
// is a node of the topology from the start; read right after `clouds`, before the
// topology is checked. The events are kept in time order (list order among equal times),
// and checked in that order: a join names a new cloud, a leave a member at that time.
#include <algorithm>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

using Kind = world::GovernanceEvent::Kind;

struct EventRead {
    EventSpec spec;
    std::string region;  // a join's
    Field cloud_field;   // where the join's name or the leave's cloud was written
    bool has_kind = false;
    bool ok = true;
};

using JoinKey = Key<Load, EventRead>;

constexpr std::array<JoinKey, 2> kJoinKeys{{
    {"name",
     [](Load& l, const Field& f, const MapReader&, EventRead& r) {
         if (!f || !get_name(l.c, f, r.spec.cloud, "cloud name")) {
             r.ok = false;
             return;
         }
         r.cloud_field = f;
     },
     true},
    {"region",
     [](Load& l, const Field& f, const MapReader&, EventRead& r) {
         if (!f || !get_name(l.c, f, r.region, "region") || !check_region_name(l, f, r.region)) r.ok = false;
     },
     true},
}};

void read_join(Load& l, const Field& f, EventRead& r) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kJoinKeys, "in a join (the new cloud)");
    if (!m.present()) {
        if (f.node->is_null())
            l.c.error(f.pos, f.key, "expected a join mapping {name, region}, got nothing (null)");
        r.ok = false;
        return;
    }
    read_keys(l, m, kJoinKeys, r);
    if (l.c.count() != before) r.ok = false;
}

using EventKey = Key<Load, EventRead>;

constexpr std::array<EventKey, 3> kEventKeys{{
    {"at",
     [](Load& l, const Field& f, const MapReader&, EventRead& r) {
         const auto t = f ? read_time(l, f, false) : std::nullopt;
         if (t) {
             r.spec.at = *t;
         } else {
             r.ok = false;
         }
     },
     true},
    {"join",
     [](Load& l, const Field& f, const MapReader&, EventRead& r) {
         if (!f) return;
         r.has_kind = true;
         r.spec.kind = Kind::kJoin;
         read_join(l, f, r);
     }},
    {"leave",
     [](Load& l, const Field& f, const MapReader& m, EventRead& r) {
         if (!f) return;
         if (r.has_kind) {
             l.c.error(f.pos, f.key, "an event is a join or a leave, not both");
             r.ok = false;
             return;
         }
         (void)m;
         r.has_kind = true;
         r.spec.kind = Kind::kLeave;
         const std::string* t = scalar(l.c, f, "a cloud name");
         if (t == nullptr) {
             r.ok = false;
             return;
         }
         r.spec.cloud = *t;
         r.cloud_field = f;
     }},
}};

}  // namespace

void read_events(Load& l, const Field& f) {
    if (!f) return;
    const auto* items = list(l.c, f, "events");
    if (items == nullptr || !l.clouds_ok || l.s.clouds.empty()) return;  // the events name clouds
    if (!check_count(l, f, items->size(), kMaxClouds, "events", "each joins or removes a Clique signer"))
        return;
    std::vector<EventRead> read;
    bool ok = true;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field ef = item(f, *items, i);
        const std::size_t before = l.c.count();
        const MapReader m = map_reader(l.c, ef, kEventKeys, "in an event");
        if (!m.present()) {
            if (ef.node->is_null())
                l.c.error(ef.pos, ef.key, "expected an event mapping, got nothing (null)");
            ok = false;
            continue;
        }
        EventRead r;
        r.spec.pos = source_pos(ef.pos);
        read_keys(l, m, kEventKeys, r);
        if (r.ok && !r.has_kind && l.c.count() == before) {
            l.c.error(ef.pos, ef.key, "an event needs join: {name, region} or leave: CLOUD");
            r.ok = false;
        }
        if (!r.ok || l.c.count() != before) {
            ok = false;
            continue;
        }
        read.push_back(std::move(r));
    }
    if (!ok) return;
    std::stable_sort(read.begin(), read.end(),
                     [](const EventRead& a, const EventRead& b) { return a.spec.at < b.spec.at; });
    // Membership in time order: the genesis clouds, then each join and leave.
    std::vector<std::string> names, members;
    for (const auto& c : l.s.clouds) names.push_back(c.name);
    members = names;
    const std::size_t genesis = names.size();
    std::vector<std::string> all = names;  // with every joining cloud, whenever it joins
    for (const EventRead& r : read) {
        if (r.spec.kind == Kind::kJoin) all.push_back(r.spec.cloud);
    }
    std::vector<CloudSpec> joining;
    for (const EventRead& r : read) {
        const Field& cf = r.cloud_field;
        const std::string& name = r.spec.cloud;
        const bool known = std::find(names.begin(), names.end(), name) != names.end();
        if (r.spec.kind == Kind::kJoin) {
            if (known) {
                const bool in_genesis =
                    std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(genesis), name) !=
                    names.begin() + static_cast<std::ptrdiff_t>(genesis);
                l.c.error(cf.pos, cf.key,
                          quote(name) + (in_genesis ? " is a cloud of the genesis already (clouds:)"
                                                    : " joins in an earlier event already"));
                return;
            }
            names.push_back(name);
            members.push_back(name);
            CloudSpec c;
            c.name = name;
            c.region = r.region;
            c.quotas.assign(l.s.pool.tiers.size(), 0);
            c.genesis = false;
            joining.push_back(std::move(c));
        } else {
            if (std::find(all.begin(), all.end(), name) == all.end()) {
                l.c.error(cf.pos, cf.key,
                          "no cloud named " + quote(name) + " (clouds and joining clouds: " + join(all) +
                              ")" + did_you_mean(name, all));
                return;
            }
            const auto it = std::find(members.begin(), members.end(), name);
            if (it == members.end()) {
                l.c.error(cf.pos, cf.key,
                          quote(name) + " is not a member at " + format_duration(r.spec.at - Time{}) +
                              " (it has not joined yet, or has left already)");
                return;
            }
            members.erase(it);
            if (members.empty()) {
                l.c.error(cf.pos, cf.key, "the leave of " + quote(name) + " leaves no validator to seal");
                return;
            }
        }
    }
    if (!check_count(l, f, l.s.clouds.size() + joining.size(), kMaxClouds, "clouds with the joining ones",
                     "each runs a Clique signer that every block's snapshot lists"))
        return;
    for (CloudSpec& c : joining) l.s.clouds.push_back(std::move(c));
    for (EventRead& r : read) l.s.events.push_back(std::move(r.spec));
}

}  // namespace cl::sim::scenario::detail
