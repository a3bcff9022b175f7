// `kind: equivocation` (shared/spec/adversaries.md §2.3, docs/attacks.md "Equivocation"):
// validator (a cloud), probability (per block it seals; default 1), from (default 0).
// Its node's peers must be at least two (checked by sim/world, adversary/equivocation.hpp).
#include <algorithm>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

struct EquivocationRead {
    EquivocationSpec spec;
    bool ok = true;
};

using EquivocationKey = Key<Load, EquivocationRead>;

constexpr std::array<EquivocationKey, 5> kEquivocationKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"validator",
     [](Load& l, const Field& f, const MapReader&, EquivocationRead& r) {
         if (!f) {
             r.ok = false;  // required: reported by read_keys
             return;
         }
         if (auto name = read_cloud_name(l, f)) {
             r.spec.validator = std::move(*name);
         } else {
             r.ok = false;
         }
     },
     true},
    {"probability",
     [](Load& l, const Field& f, const MapReader&, EquivocationRead& r) {
         if (!f) return;
         const std::size_t before = l.c.count();
         get_probability(l.c, f, r.spec.probability);
         if (l.c.count() != before) r.ok = false;
     }},
    {"from",
     [](Load& l, const Field& f, const MapReader&, EquivocationRead& r) {
         if (!f) return;
         if (auto t = read_time(l, f, false)) {
             r.spec.from = *t;
         } else {
             r.ok = false;
         }
     }},
}};

}  // namespace

std::optional<EquivocationSpec> read_equivocation(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kEquivocationKeys, "for an equivocation adversary");
    EquivocationRead r;
    read_keys(l, m, kEquivocationKeys, r);
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
