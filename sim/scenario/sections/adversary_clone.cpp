// `kind: clone` (shared/spec/adversaries.md §2.1, docs/attacks.md "Clone"): validator,
// split {next_in_turn: m} | {attacker: [...], victim: [...]}, clone_node, from, duration.
// What depends on the seed's keys or the topology (which slots are whose, where full nodes
// go) is planned by sim/world (adversary/clone.hpp), which checks it again.
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

struct CloneRead {
    CloneSpec spec;
    bool ok = true;
};

using SplitKey = Key<Load, CloneRead>;

// A split side: a list of cloud names, none the cloned validator, none listed twice (on
// either side).
void read_side(Load& l, const Field& f, CloneRead& r, std::vector<std::string>& out) {
    if (!f) return;
    const auto* items = list(l.c, f, "cloud names");
    if (items == nullptr) {
        r.ok = false;
        return;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field cf = item(f, *items, i);
        auto name = read_cloud_name(l, cf);
        if (!name) {
            r.ok = false;
            continue;
        }
        const auto& a = r.spec.attacker;
        const auto& v = r.spec.victim;
        if (*name == r.spec.validator) {
            l.c.error(
                cf.pos, cf.key,
                quote(*name) + " is the cloned validator (it is on both sides: its node and the clone)");
            r.ok = false;
        } else if (std::find(a.begin(), a.end(), *name) != a.end() ||
                   std::find(v.begin(), v.end(), *name) != v.end()) {
            l.c.error(cf.pos, cf.key, quote(*name) + " is listed twice in the split");
            r.ok = false;
        } else {
            out.push_back(*name);
        }
    }
}

constexpr std::array<SplitKey, 3> kSplitKeys{{
    {"next_in_turn",
     [](Load& l, const Field& f, const MapReader& m, CloneRead& r) {
         if (!f) {
             if (!m.get("attacker") && !m.get("victim") && m.present()) {
                 l.c.error(m.pos(), m.path(),
                           "expected either next_in_turn: M or the lists attacker: [...] and victim: [...]");
                 r.ok = false;
             }
             return;
         }
         if (m.get("attacker") || m.get("victim")) {
             l.c.error(f.pos, f.key, "next_in_turn and the attacker/victim lists exclude each other");
             r.ok = false;
             return;
         }
         const std::uint64_t clouds = l.s.clouds.size();
         if (clouds < 2) {
             l.c.error(f.pos, f.key, "a split needs at least two clouds");
             r.ok = false;
             return;
         }
         // m slots: the cloned validator's own and m − 1 honest sealers; at least one honest
         // validator must remain for the victim side.
         if (const auto v = read_uint(l.c, f, 1, clouds - 1)) {
             r.spec.next_in_turn = static_cast<std::uint32_t>(*v);
         } else {
             r.ok = false;
         }
     }},
    {"attacker",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) { read_side(l, f, r, r.spec.attacker); },
     false, 1},
    {"victim",
     [](Load& l, const Field& f, const MapReader& m, CloneRead& r) {
         if (!f) {
             if (m.get("attacker") && !m.get("next_in_turn")) {
                 l.c.error(m.pos(), join_key(m.path(), "victim"),
                           "missing required key 'victim' (the clouds cut off with the clone)");
                 r.ok = false;
             }
             return;
         }
         read_side(l, f, r, r.spec.victim);
         if (r.ok && !m.get("next_in_turn") && r.spec.victim.empty()) {
             l.c.error(f.pos, f.key, "at least one victim cloud is required");
             r.ok = false;
         }
     },
     false, 1},
}};

using CloneKey = Key<Load, CloneRead>;

constexpr std::array<CloneKey, 7> kCloneKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"validator",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) {
         if (auto name = read_cloud_name(l, f)) {
             r.spec.validator = *name;
         } else {
             r.ok = false;
         }
     },
     true},
    {"split",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) {
         if (!f) {
             r.ok = false;
             return;
         }
         if (!f.node->is_map()) {
             l.c.error(
                 f.pos, f.key,
                 "expected {next_in_turn: M} or {attacker: [...], victim: [...]}, got " + describe(*f.node));
             r.ok = false;
             return;
         }
         const MapReader m = map_reader(l.c, f, kSplitKeys, "for a clone's split");
         read_keys(l, m, kSplitKeys, r);
     },
     true, 1},
    {"clone_node",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) {
         if (!f) return;
         auto sel = check_selector(l, f);
         if (!sel) {
             r.ok = false;
         } else if (sel->kind != NodeSelector::Kind::kFull || sel->first != sel->last) {
             l.c.error(f.pos, f.key,
                       "expected one full node, full:N (the second instance runs on a full node), got " +
                           quote(sel->text));
             r.ok = false;
         } else {
             r.spec.clone_node = sel->first;
         }
     }},
    {"from",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, false)) {
             r.spec.from = *t;
         } else {
             r.ok = false;
         }
     }},
    {"duration",
     [](Load& l, const Field& f, const MapReader&, CloneRead& r) {
         if (!f) {
             r.ok = false;
             return;
         }
         if (auto d = read_duration(l.c, f, {.allow_zero = false, .max = std::nullopt})) {
             r.spec.duration = *d;
         } else {
             r.ok = false;
         }
     },
     true},
}};

}  // namespace

std::optional<CloneSpec> read_clone(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kCloneKeys, "for a clone adversary");
    CloneRead r;
    read_keys(l, m, kCloneKeys, r);
    if (!r.ok) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
