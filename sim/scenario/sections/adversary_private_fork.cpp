// `kind: private_fork` (shared/spec/adversaries.md §2.2, docs/attacks.md "Private fork"):
// validators (colluding clouds), from, release (when_heavier | never | {at: TIME}). What
// depends on the topology (the colluders reach each other over their own links) is planned
// by sim/world (adversary/private_fork.hpp).
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

using Release = world::PrivateForkAttack::Release;

struct ForkRead {
    PrivateForkSpec spec;
    bool ok = true;
};

void read_validators(Load& l, const Field& f, ForkRead& r) {
    if (!read_cloud_list(l, f, "colluding", r.spec.validators)) {
        r.ok = false;
        return;
    }
    if (r.ok && r.spec.validators.size() == l.s.clouds.size()) {
        l.c.error(
            f.pos, f.key,
            "every cloud colludes; at least one must stay honest (the attacker redeems its code there)");
        r.ok = false;
    }
}

constexpr std::array<EnumName<Release>, 2> kReleaseWords{{
    {"when_heavier", Release::kWhenHeavier},
    {"never", Release::kNever},
}};

using AtKey = Key<Load, ForkRead>;

constexpr std::array<AtKey, 1> kAtKeys{{
    {"at",
     [](Load& l, const Field& f, const MapReader&, ForkRead& r) {
         if (!f) {
             r.ok = false;  // required: reported by read_keys
             return;
         }
         if (auto t = read_time(l, f, false)) {
             r.spec.release = Release::kAt;
             r.spec.release_at = *t;
         } else {
             r.ok = false;
         }
     },
     true},
}};

void read_release(Load& l, const Field& f, ForkRead& r) {
    if (!f) return;  // the default: when_heavier
    if (f.node->is_map()) {
        const std::size_t before = l.c.count();
        const MapReader m = map_reader(l.c, f, kAtKeys, "for a release time ({at: TIME})");
        read_keys(l, m, kAtKeys, r);
        if (l.c.count() != before) r.ok = false;
        return;
    }
    const std::size_t before = l.c.count();
    get_enum(l.c, f, r.spec.release, kReleaseWords);
    if (l.c.count() != before) r.ok = false;
}

using ForkKey = Key<Load, ForkRead>;

constexpr std::array<ForkKey, 5> kForkKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"validators", [](Load& l, const Field& f, const MapReader&, ForkRead& r) { read_validators(l, f, r); },
     true},
    {"from",
     [](Load& l, const Field& f, const MapReader&, ForkRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, false)) {
             r.spec.from = *t;
         } else {
             r.ok = false;
         }
     }},
    {"release", [](Load& l, const Field& f, const MapReader&, ForkRead& r) { read_release(l, f, r); }, false,
     1},
}};

}  // namespace

std::optional<PrivateForkSpec> read_private_fork(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kForkKeys, "for a private_fork adversary");
    ForkRead r;
    read_keys(l, m, kForkKeys, r);
    if (r.ok && l.c.count() == before && r.spec.release == Release::kAt && r.spec.release_at <= r.spec.from) {
        const Field rf = m.get("release");
        l.c.error(rf.pos, rf.key, "the release time must be after from (the fork starts then)");
        r.ok = false;
    }
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
