// `adversaries:` — the attacks of a run (shared/spec/adversaries.md; docs/attacks.md): a
// list of mappings, each with a `kind` and a `name` unique in the list; the kind's own keys
// are read by its file (adversary_<kind>.cpp). Read after the faults: selectors need the
// clouds, times the duration.
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// At most this many adversaries in a run (each is a workload or hosts of its own).
constexpr std::size_t kMaxAdversaries = 100;
// A name is a metric prefix ("spam.<name>.<figure>", at most 64 bytes) and a stream name.
constexpr std::size_t kMaxAdversaryNameBytes = 24;

constexpr std::array<EnumName<AdversarySpec::Kind>, 1> kAdversaryKinds{{
    {"spam", AdversarySpec::Kind::kSpam},
}};

}  // namespace

void read_adversaries(Load& l, const Field& f) {
    const auto* items = list(l.c, f, "adversaries");
    if (items == nullptr || (!l.clouds_ok && l.s.clouds.empty())) return;  // selectors need the clouds
    if (!check_count(l, f, items->size(), kMaxAdversaries, "adversaries", "each runs as its own actor"))
        return;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field af = item(f, *items, i);
        if (!af.node->is_map()) {
            l.c.error(af.pos, af.key,
                      "expected an adversary mapping with a kind and a name, got " + describe(*af.node));
            continue;
        }
        AdversarySpec a;
        a.pos = source_pos(af.pos);
        const Entry* kind_entry = af.node->find("kind");
        if (kind_entry == nullptr) {
            l.c.error(af.pos, join_key(af.key, "kind"), "missing required key 'kind' (spam)");
            continue;
        }
        const Field kf{&kind_entry->value, join_key(af.key, "kind"), kind_entry->value.pos};
        const std::size_t before = l.c.count();
        get_enum(l.c, kf, a.kind, kAdversaryKinds);
        if (l.c.count() != before) continue;
        // The name: required, a name, short, unique.
        bool ok = true;
        if (const Entry* name_entry = af.node->find("name")) {
            const Field nf{&name_entry->value, join_key(af.key, "name"), name_entry->value.pos};
            if (!get_name(l.c, nf, a.name, "an adversary name")) {
                ok = false;
            } else if (a.name.size() > kMaxAdversaryNameBytes) {
                l.c.error(nf.pos, nf.key,
                          "'" + a.name + "' is " + std::to_string(a.name.size()) + " bytes long; at most " +
                              std::to_string(kMaxAdversaryNameBytes) +
                              " (it prefixes the adversary's metrics)");
                ok = false;
            } else if (std::find(names.begin(), names.end(), a.name) != names.end()) {
                l.c.error(nf.pos, nf.key,
                          "'" + a.name + "' names another adversary already (names are unique)");
                ok = false;
            }
        }
        switch (a.kind) {
            case AdversarySpec::Kind::kSpam:
                ok = read_spam(l, af, a) && ok;
                break;
        }
        if (!a.name.empty()) names.push_back(a.name);
        if (ok) l.s.adversaries.push_back(std::move(a));
    }
}

}  // namespace cl::sim::scenario::detail
