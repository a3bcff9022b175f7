// `kind: eclipse` (shared/spec/adversaries.md §2.5, docs/attacks.md "Eclipse"): victims
// (a node selector or a list of them), mode (drop | {delay: DURATION > 0} | {branch: NAME},
// NAME a private_fork adversary listed earlier), from (default 0) and to (default the end
// of the run; after from). What depends on the topology (the selectors' nodes, a victim
// peering with the branch's colluders, a victim that is a colluder) is planned by sim/world
// (adversary/eclipse.hpp).
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

using Mode = world::EclipseAttack::Mode;

struct EclipseRead {
    EclipseSpec spec;
    bool ok = true;
};

void read_victims(Load& l, const Field& f, EclipseRead& r) {
    if (!f) {
        r.ok = false;  // required: reported by read_keys
        return;
    }
    std::vector<Field> selectors;
    if (f.node->is_sequence()) {
        if (f.node->items.empty()) {
            l.c.error(f.pos, f.key, "at least one victim (a node selector) is required");
            r.ok = false;
        }
        for (std::size_t k = 0; k < f.node->items.size(); ++k) selectors.push_back(item(f, f.node->items, k));
    } else {
        selectors.push_back(f);
    }
    for (const Field& sf : selectors) {
        if (auto sel = check_selector(l, sf)) {
            r.spec.victims.push_back(std::move(*sel));
        } else {
            r.ok = false;
        }
    }
}

using ModeKey = Key<Load, EclipseRead>;

// The branch: a private_fork adversary read before this one (its colluders must be known
// when the victims' links are planned).
void read_branch(Load& l, const Field& f, EclipseRead& r) {
    const std::string* t = scalar(l.c, f, "the name of a private_fork adversary listed before this one");
    if (t == nullptr) {
        r.ok = false;
        return;
    }
    std::vector<std::string> forks;
    const AdversarySpec* named = nullptr;
    for (const AdversarySpec& a : l.s.adversaries) {
        if (std::holds_alternative<PrivateForkSpec>(a.attack)) forks.push_back(a.name);
        if (a.name == *t) named = &a;
    }
    if (named != nullptr && !std::holds_alternative<PrivateForkSpec>(named->attack)) {
        l.c.error(f.pos, f.key,
                  "adversary " + quote(*t) + " is not a private_fork (a branch is a private fork's)");
        r.ok = false;
        return;
    }
    if (named == nullptr) {
        l.c.error(
            f.pos, f.key,
            "no private_fork adversary named " + quote(*t) + " listed before this one" +
                (forks.empty() ? std::string(" (there is none)") : " (private forks: " + join(forks) + ")") +
                did_you_mean(*t, forks));
        r.ok = false;
        return;
    }
    r.spec.mode = Mode::kBranch;
    r.spec.branch = *t;
}

constexpr std::array<ModeKey, 2> kModeKeys{{
    {"delay",
     [](Load& l, const Field& f, const MapReader&, EclipseRead& r) {
         if (!f) return;
         if (auto d = read_duration(l.c, f, {.allow_zero = false, .max = std::nullopt})) {
             r.spec.mode = Mode::kDelay;
             r.spec.delay = *d;
         } else {
             r.ok = false;
         }
     }},
    {"branch",
     [](Load& l, const Field& f, const MapReader&, EclipseRead& r) {
         if (f) read_branch(l, f, r);
     }},
}};

constexpr std::array<EnumName<Mode>, 1> kModeWords{{{"drop", Mode::kDrop}}};

void read_mode(Load& l, const Field& f, EclipseRead& r) {
    if (!f) {
        r.ok = false;  // required: reported by read_keys
        return;
    }
    const std::size_t before = l.c.count();
    if (f.node->is_map()) {
        const MapReader m =
            map_reader(l.c, f, kModeKeys, "for an eclipse mode ({delay: DURATION} or {branch: NAME})");
        const std::size_t given = (m.get("delay") ? 1U : 0U) + (m.get("branch") ? 1U : 0U);
        if (given != 1 && l.c.count() == before) {
            l.c.error(f.pos, f.key,
                      given == 0 ? "expected drop, {delay: DURATION} or {branch: NAME}"
                                 : "give one of delay and branch, not both");
            r.ok = false;
            return;
        }
        read_keys(l, m, kModeKeys, r);
    } else {
        get_enum(l.c, f, r.spec.mode, kModeWords);
    }
    if (l.c.count() != before) r.ok = false;
}

using EclipseKey = Key<Load, EclipseRead>;

constexpr std::array<EclipseKey, 6> kEclipseKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"victims", [](Load& l, const Field& f, const MapReader&, EclipseRead& r) { read_victims(l, f, r); },
     true},
    {"mode", [](Load& l, const Field& f, const MapReader&, EclipseRead& r) { read_mode(l, f, r); }, true},
    {"from",
     [](Load& l, const Field& f, const MapReader&, EclipseRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, false)) {
             r.spec.from = *t;
         } else {
             r.ok = false;
         }
     }},
    {"to",
     [](Load& l, const Field& f, const MapReader&, EclipseRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, true)) {
             r.spec.to = *t;
         } else {
             r.ok = false;
         }
     }},
}};

}  // namespace

std::optional<EclipseSpec> read_eclipse(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kEclipseKeys, "for an eclipse adversary");
    EclipseRead r;
    read_keys(l, m, kEclipseKeys, r);
    if (r.ok && l.c.count() == before && r.spec.to && *r.spec.to <= r.spec.from) {
        const Field tf = m.get("to");
        l.c.error(tf.pos, tf.key, "the window must end after from (it starts then)");
        r.ok = false;
    }
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
