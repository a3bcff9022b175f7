// `kind: governance_capture` (shared/spec/adversaries.md §2.6, docs/attacks.md
// "Governance capture"): validators (colluding clouds), goal ({remove: CLOUD} or
// {add: IDENTITY}), from (default 0), honest_counter_votes (default false: geth's clique
// votes only what its operator proposes).
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

using Goal = world::GovernanceCaptureAttack::Goal;

struct CaptureRead {
    GovernanceCaptureSpec spec;
    bool ok = true;
};

void read_validators(Load& l, const Field& f, CaptureRead& r) {
    if (!read_cloud_list(l, f, "colluding", r.spec.validators)) r.ok = false;
}

// goal: exactly one of {remove: CLOUD} (not a colluder) and {add: NAME} (a new identity).
void read_goal(Load& l, const Field& f, CaptureRead& r) {
    if (!f) {
        r.ok = false;  // required: reported by read_keys
        return;
    }
    if (!f.node->is_map() || f.node->entries.size() != 1) {
        l.c.error(f.pos, f.key,
                  "expected a mapping with exactly one of remove (a cloud name) or add (a new identity's "
                  "name), got " +
                      describe(*f.node));
        r.ok = false;
        return;
    }
    const Entry& e = f.node->entries.front();
    const Field vf{&e.value, join_key(f.key, e.key), e.value.pos};
    if (e.key == "remove") {
        const std::optional<std::string> t = read_cloud_name(l, vf);
        if (!t) {
            r.ok = false;
            return;
        }
        if (std::find(r.spec.validators.begin(), r.spec.validators.end(), *t) != r.spec.validators.end()) {
            l.c.error(vf.pos, vf.key,
                      quote(*t) + " is one of the colluders (they would vote themselves out)");
            r.ok = false;
            return;
        }
        r.spec.goal = Goal::kRemove;
        r.spec.target = *t;
    } else if (e.key == "add") {
        std::string name;
        if (!get_name(l.c, vf, name, "an identity name")) {
            r.ok = false;
            return;
        }
        if (std::any_of(l.s.clouds.begin(), l.s.clouds.end(),
                        [&](const auto& c) { return c.name == name; })) {
            l.c.error(
                vf.pos, vf.key,
                quote(name) + " is a cloud; add names a new identity of the colluders (no attestation)");
            r.ok = false;
            return;
        }
        r.spec.goal = Goal::kAdd;
        r.spec.target = name;
    } else {
        l.c.error(e.key_pos, vf.key, "unknown goal " + quote(e.key) + " (expected remove or add)");
        r.ok = false;
    }
}

using CaptureKey = Key<Load, CaptureRead>;

constexpr std::array<CaptureKey, 6> kCaptureKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"validators",
     [](Load& l, const Field& f, const MapReader&, CaptureRead& r) { read_validators(l, f, r); }, true},
    // After the validators: a remove goal may not name a colluder.
    {"goal", [](Load& l, const Field& f, const MapReader&, CaptureRead& r) { read_goal(l, f, r); }, true, 1},
    {"from",
     [](Load& l, const Field& f, const MapReader&, CaptureRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, false)) {
             r.spec.from = *t;
         } else {
             r.ok = false;
         }
     }},
    {"honest_counter_votes",
     [](Load& l, const Field& f, const MapReader&, CaptureRead& r) {
         if (!f) return;
         const std::size_t before = l.c.count();
         get_bool(l.c, f, r.spec.honest_counter_votes);
         if (l.c.count() != before) r.ok = false;
     }},
}};

}  // namespace

std::optional<GovernanceCaptureSpec> read_governance_capture(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kCaptureKeys, "for a governance_capture adversary");
    CaptureRead r;
    read_keys(l, m, kCaptureKeys, r);
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
