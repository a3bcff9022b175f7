// `adversaries:` — the attack instances of a run (shared/spec/adversaries.md,
// docs/scenarios.md "`adversaries`"). The generic part: the list, each item's `kind` and
// its `name` (unique across every kind); then the kind's own reader (adversary_<kind>.cpp)
// reads the rest of the item. A new kind adds an alternative to AdversarySpec::attack
// (scenario.hpp), one entry to kKinds, one branch to read_kind and one file. Read after
// the faults: the kinds' keys name clouds and nodes, their times need the duration.
#include <set>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

enum class AdversaryKind : std::uint8_t {
    kCensorship,
    kClone,
    kEquivocation,
    kGovernanceCapture,
    kPrivateFork,
    kSpam,
    kEclipse
};

constexpr std::array<EnumName<AdversaryKind>, 7> kKinds{{
    {"censorship", AdversaryKind::kCensorship},
    {"clone", AdversaryKind::kClone},
    {"eclipse", AdversaryKind::kEclipse},
    {"equivocation", AdversaryKind::kEquivocation},
    {"governance_capture", AdversaryKind::kGovernanceCapture},
    {"private_fork", AdversaryKind::kPrivateFork},
    {"spam", AdversaryKind::kSpam},
}};

std::string kind_list() {
    std::vector<std::string> names;
    for (const auto& k : kKinds) names.emplace_back(k.name);
    return join(names);
}

// The item's name: required, a name (letters, digits, '_', '-'), at most
// kMaxAdversaryNameBytes, unused by an earlier item of any kind.
std::optional<std::string> read_adversary_name(Load& l, const Field& item, std::set<std::string>& seen) {
    const Entry* e = item.node->find("name");
    if (e == nullptr) {
        l.c.error(item.pos, join_key(item.key, "name"), "missing required key 'name' (a unique name)");
        return std::nullopt;
    }
    const Field nf{&e->value, join_key(item.key, "name"), e->value.pos};
    std::string name;
    if (!get_name(l.c, nf, name, "an adversary name")) return std::nullopt;
    if (name.size() > kMaxAdversaryNameBytes) {
        l.c.error(nf.pos, nf.key,
                  "name " + quote(name) + " is " + std::to_string(name.size()) + " bytes long; at most " +
                      std::to_string(kMaxAdversaryNameBytes) + " (it prefixes the attack's summary metrics)");
        return std::nullopt;
    }
    if (!seen.insert(name).second) {
        l.c.error(nf.pos, nf.key, "name " + quote(name) + " is used by an earlier adversary");
        return std::nullopt;
    }
    return name;
}

// The kind's keys into spec.attack; false when one of them is in error (reported).
bool read_kind(Load& l, const Field& item, AdversaryKind kind, AdversarySpec& spec) {
    switch (kind) {
        case AdversaryKind::kCensorship:
            if (auto c = read_censorship(l, item)) {
                spec.attack = std::move(*c);
                return true;
            }
            return false;
        case AdversaryKind::kClone:
            if (auto c = read_clone(l, item)) {
                spec.attack = std::move(*c);
                return true;
            }
            return false;
        case AdversaryKind::kEquivocation:
            if (auto e = read_equivocation(l, item)) {
                spec.attack = std::move(*e);
                return true;
            }
            return false;
        case AdversaryKind::kGovernanceCapture:
            if (auto g = read_governance_capture(l, item)) {
                spec.attack = std::move(*g);
                return true;
            }
            return false;
        case AdversaryKind::kPrivateFork:
            if (auto p = read_private_fork(l, item)) {
                spec.attack = std::move(*p);
                return true;
            }
            return false;
        case AdversaryKind::kSpam:
            if (auto s = read_spam(l, item)) {
                spec.attack = std::move(*s);
                return true;
            }
            return false;
        case AdversaryKind::kEclipse:
            if (auto e = read_eclipse(l, item)) {
                spec.attack = std::move(*e);
                return true;
            }
            return false;
    }
    return false;
}

}  // namespace

void read_adversaries(Load& l, const Field& f) {
    const auto* items = list(l.c, f, "adversaries");
    if (items == nullptr || (!l.clouds_ok && l.s.clouds.empty())) return;  // their keys name clouds
    if (!check_count(l, f, items->size(), kMaxAdversaries, "adversaries",
                     "each is planned and runs as its own actor"))
        return;
    std::set<std::string> names;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field item_field = item(f, *items, i);
        if (!item_field.node->is_map()) {
            l.c.error(item_field.pos, item_field.key,
                      "expected an adversary mapping with a kind (" + kind_list() + ") and a name, got " +
                          describe(*item_field.node));
            continue;
        }
        const Entry* kind_entry = item_field.node->find("kind");
        if (kind_entry == nullptr) {
            l.c.error(item_field.pos, join_key(item_field.key, "kind"),
                      "missing required key 'kind' (" + kind_list() + ")");
            continue;
        }
        const Field kf{&kind_entry->value, join_key(item_field.key, "kind"), kind_entry->value.pos};
        AdversaryKind kind = AdversaryKind::kClone;
        const std::size_t before = l.c.count();
        get_enum(l.c, kf, kind, kKinds);
        if (l.c.count() != before) continue;  // the keys of an unknown kind mean nothing
        const std::optional<std::string> name = read_adversary_name(l, item_field, names);
        AdversarySpec spec;
        spec.pos = source_pos(item_field.pos);
        const bool ok = read_kind(l, item_field, kind, spec);  // its errors too, named or not
        if (ok && name) {
            spec.name = *name;
            l.s.adversaries.push_back(std::move(spec));
        }
    }
}

}  // namespace cl::sim::scenario::detail
