// `faults:` — crashes, partitions and lossy links at times of the run
// (docs/scenarios.md "Faults"). Selectors are checked against the clouds and node count.
#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

constexpr std::array<EnumName<FaultSpec::Kind>, 3> kFaultKinds{{
    {"crash", FaultSpec::Kind::kCrash},
    {"partition", FaultSpec::Kind::kPartition},
    {"link_loss", FaultSpec::Kind::kLinkLoss},
}};

// A fault being read: ok is false once one of its values is in error.
template <class F>
struct FaultRead {
    F fault;
    bool ok = true;
    std::optional<Time> at;  // crash: `at`, once read
};

// [from, to): from within the run, to after from and at most the end (default).
template <class F>
void read_interval(Load& l, const MapReader& m, FaultRead<F>& r) {
    const Field ff = m.require("from");
    const Field tf = m.get("to");
    std::optional<Time> f;
    if (ff) f = read_time(l, ff, false);
    std::optional<Time> t = Time::at(l.s.duration);
    if (tf) t = read_time(l, tf, true);
    bool ok = f && t;
    if (ok && *t <= *f) {
        // With the default end: only when the duration is itself in error.
        if (tf) {
            l.c.error(
                tf.pos, tf.key,
                "to (" + excerpt(tf.node->text) + ") must be after from (" + excerpt(ff.node->text) + ")");
        }
        ok = false;
    }
    if (!ok) {
        r.ok = false;
        return;
    }
    r.fault.from = *f;
    r.fault.to = *t;
}

using CrashKey = Key<Load, FaultRead<CrashFault>>;

constexpr std::array<CrashKey, 4> kCrashKeys{{
    {"kind", nullptr},  // read by read_faults, which picks the table
    {"node",
     [](Load& l, const Field& node, const MapReader&, FaultRead<CrashFault>& r) {
         if (!node) {
             r.ok = false;
         } else if (auto sel = check_selector(l, node)) {
             r.fault.node = std::move(*sel);
         } else {
             r.ok = false;
         }
     },
     true},
    {"at",
     [](Load& l, const Field& at, const MapReader&, FaultRead<CrashFault>& r) {
         if (at) r.at = read_time(l, at, false);
         if (r.at)
             r.fault.at = *r.at;
         else
             r.ok = false;
     },
     true},
    {"restart_at",
     [](Load& l, const Field& restart, const MapReader& m, FaultRead<CrashFault>& r) {
         if (!restart) return;
         const auto t = read_time(l, restart, true);
         if (t && r.at && *t <= *r.at) {
             l.c.error(restart.pos, restart.key,
                       "restart_at (" + excerpt(restart.node->text) + ") must be after at (" +
                           excerpt(m.get("at").node->text) + ")");
             r.ok = false;
         } else if (t) {
             r.fault.restart_at = *t;
         } else {
             r.ok = false;
         }
     }},
}};

void read_groups(Load& l, const Field& gf, FaultRead<PartitionFault>& r);

using PartitionKey = Key<Load, FaultRead<PartitionFault>>;

constexpr std::array<PartitionKey, 4> kPartitionKeys{{
    {"kind", nullptr},  // read by read_faults, which picks the table
    {"groups",
     [](Load& l, const Field& gf, const MapReader&, FaultRead<PartitionFault>& r) { read_groups(l, gf, r); },
     true, 1},
    {"from",
     [](Load& l, const Field&, const MapReader& m, FaultRead<PartitionFault>& r) { read_interval(l, m, r); }},
    {"to", nullptr},  // read with `from` (read_interval)
}};

using LinkLossKey = Key<Load, FaultRead<LinkLossFault>>;

constexpr std::array<LinkLossKey, 5> kLinkLossKeys{{
    {"kind", nullptr},  // read by read_faults, which picks the table
    {"between",
     [](Load& l, const Field& bf, const MapReader&, FaultRead<LinkLossFault>& r) {
         if (!bf) {
             r.ok = false;
             return;
         }
         const auto* ends = list(l.c, bf, "two node selectors");
         if (ends == nullptr) {
             r.ok = false;
             return;
         }
         if (ends->size() != 2) {
             l.c.error(bf.pos, bf.key,
                       "expected exactly two node selectors, got " + std::to_string(ends->size()));
             r.ok = false;
             return;
         }
         auto a = check_selector(l, item(bf, *ends, 0));
         auto b = check_selector(l, item(bf, *ends, 1));
         if (!a || !b) {
             r.ok = false;
             return;
         }
         r.fault.a = std::move(*a);
         r.fault.b = std::move(*b);
     },
     true, 2},
    {"loss",
     [](Load& l, const Field& f, const MapReader&, FaultRead<LinkLossFault>& r) {
         get_probability(l.c, f, r.fault.loss);
     },
     false, 1},
    {"from",
     [](Load& l, const Field&, const MapReader& m, FaultRead<LinkLossFault>& r) { read_interval(l, m, r); }},
    {"to", nullptr},  // read with `from` (read_interval)
}};

// Reads one fault of kind F with its table; the fault when none of its values is in error.
template <class F, std::size_t N>
std::optional<F> read_fault(Load& l, const Field& ff, const std::array<Key<Load, FaultRead<F>>, N>& keys,
                            std::string what) {
    const MapReader m = map_reader(l.c, ff, keys, std::move(what));
    FaultRead<F> r;
    read_keys(l, m, keys, r);
    if (!r.ok) return std::nullopt;
    return std::move(r.fault);
}

}  // namespace

void read_faults(Load& l, const Field& f) {
    const auto* items = list(l.c, f, "faults");
    if (items == nullptr || (!l.clouds_ok && l.s.clouds.empty())) return;  // selectors need the clouds
    if (!check_count(l, f, items->size(), kMaxFaults, "faults", "each is scheduled and checked on its own"))
        return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field ff = item(f, *items, i);
        if (!ff.node->is_map()) {
            l.c.error(ff.pos, ff.key,
                      "expected a fault mapping with a kind (crash, partition, link_loss), got " +
                          describe(*ff.node));
            continue;
        }
        const Entry* kind_entry = ff.node->find("kind");
        if (kind_entry == nullptr) {
            l.c.error(ff.pos, join_key(ff.key, "kind"),
                      "missing required key 'kind' (crash, partition or link_loss)");
            continue;
        }
        FaultSpec fault;
        fault.pos = source_pos(ff.pos);
        const Field kf{&kind_entry->value, join_key(ff.key, "kind"), kind_entry->value.pos};
        const std::size_t before = l.c.count();
        get_enum(l.c, kf, fault.kind, kFaultKinds);
        if (l.c.count() != before) continue;
        bool ok = false;
        switch (fault.kind) {
            case FaultSpec::Kind::kCrash:
                if (auto c = read_fault(l, ff, kCrashKeys, "for a crash fault")) {
                    fault.crash = std::move(*c);
                    ok = true;
                }
                break;
            case FaultSpec::Kind::kPartition:
                if (auto p = read_fault(l, ff, kPartitionKeys, "for a partition fault")) {
                    fault.partition = std::move(*p);
                    ok = true;
                }
                break;
            case FaultSpec::Kind::kLinkLoss:
                if (auto x = read_fault(l, ff, kLinkLossKeys, "for a link_loss fault")) {
                    fault.link_loss = std::move(*x);
                    ok = true;
                }
                break;
        }
        if (ok) l.s.faults.push_back(std::move(fault));
    }
}

namespace {

void read_groups(Load& l, const Field& gf, FaultRead<PartitionFault>& r) {
    PartitionFault& out = r.fault;
    auto fail = [&r] { r.ok = false; };
    if (!gf) return fail();
    const auto* groups = list(l.c, gf, "groups (each a list of node selectors)");
    if (groups == nullptr) return fail();
    if (groups->empty()) {
        l.c.error(gf.pos, gf.key, "at least one group is required");
        return fail();
    }
    std::size_t selectors = 0;
    for (const Node& g : *groups) selectors += g.is_sequence() ? g.items.size() : 1;
    if (!check_count(l, gf, selectors, kMaxSelectorsPerFault, "node selectors",
                     "every pair of a partition's selectors is checked for overlap")) {
        return fail();
    }
    std::vector<std::vector<Members>> seen;
    for (std::size_t g = 0; g < groups->size(); ++g) {
        const Field group = item(gf, *groups, g);
        const auto* sels = list(l.c, group, "node selectors");
        if (sels == nullptr) {
            fail();
            continue;
        }
        if (sels->empty()) {
            l.c.error(group.pos, group.key, "a partition group must name at least one node");
            fail();
            continue;
        }
        std::vector<NodeSelector> parsed;
        std::vector<Members> mine;
        for (std::size_t k = 0; k < sels->size(); ++k) {
            const Field sf = item(group, *sels, k);
            auto sel = check_selector(l, sf);
            if (!sel) {
                fail();
                continue;
            }
            Members mem = members(l, *sel);
            std::string why;
            std::size_t other = 0;
            for (; other < seen.size() && why.empty(); ++other) {
                for (const Members& prev : seen[other]) {
                    why = overlap(l, prev, mem);
                    if (!why.empty()) break;
                }
            }
            if (!why.empty()) {
                l.c.error(sf.pos, sf.key,
                          quote(sel->text) + " overlaps group " + std::to_string(other - 1) + " (" + why +
                              " would be in two groups)");
                fail();
                continue;
            }
            mine.push_back(std::move(mem));
            parsed.push_back(std::move(*sel));
        }
        seen.push_back(std::move(mine));
        out.groups.push_back(std::move(parsed));
    }
}

}  // namespace
}  // namespace cl::sim::scenario::detail
