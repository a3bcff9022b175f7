// `adversaries:` — the attack instances of a run (shared/spec/adversaries.md,
// docs/scenarios.md "Adversaries"). The generic part: the list, each item's `kind` and
// unique `name`; then the kind's own reader (adversary_<kind>.cpp) reads the rest of the
// item. A new kind adds one entry to kKinds and one file.
#include <set>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

enum class AdversaryKind : std::uint8_t { kClone };

constexpr std::array<EnumName<AdversaryKind>, 1> kKinds{{
    {"clone", AdversaryKind::kClone},
}};

std::string kind_list() {
    std::vector<std::string> names;
    for (const auto& k : kKinds) names.emplace_back(k.name);
    return join(names);
}

// The item's name: required, a name (letters, digits, '_', '-'), at most
// kMaxAdversaryNameBytes, unused by an earlier item.
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

}  // namespace

void read_adversaries(Load& l, const Field& f) {
    const auto* items = list(l.c, f, "adversaries");
    if (items == nullptr || (!l.clouds_ok && l.s.clouds.empty())) return;  // their keys name clouds
    if (!check_count(l, f, items->size(), kMaxAdversaries, "adversaries",
                     "each is planned and checked on its own"))
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
        const std::optional<std::string> name = read_adversary_name(l, item_field, names);
        if (l.c.count() != before) continue;
        AdversarySpec spec;
        spec.name = *name;
        spec.pos = source_pos(item_field.pos);
        bool ok = false;
        switch (kind) {
            case AdversaryKind::kClone:
                if (auto c = read_clone(l, item_field)) {
                    spec.attack = std::move(*c);
                    ok = true;
                }
                break;
        }
        if (ok) l.s.adversaries.push_back(std::move(spec));
    }
}

}  // namespace cl::sim::scenario::detail
