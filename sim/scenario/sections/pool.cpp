// `pool:` — the tiers, quotas' default, TTL policy and pool rules (docs/scenarios.md
// "Reference", spec §3).
#include <sstream>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

constexpr std::array<EnumName<state::TtlKind>, 4> kTtlPolicies{{
    {"fixed", state::TtlKind::kFixed},
    {"per_tier", state::TtlKind::kPerTier},
    {"renewable", state::TtlKind::kRenewable},
    {"adaptive", state::TtlKind::kAdaptive},
}};

std::vector<state::Tier> default_tiers() {
    return {
        state::Tier{"small", 1, 2, 20, 720},
        state::Tier{"medium", 2, 8, 80, 336},
        state::Tier{"large", 8, 32, 200, 72},
    };
}

// A tier's name ends summary metric names (`pool_utilisation_<tier>`, limits.hpp).
bool check_tier_name_length(Load& l, const Field& f, const std::string& name) {
    if (name.size() <= kMaxTierNameBytes) return true;
    l.c.error(f.pos, f.key,
              "tier name " + quote(name) + " is " + std::to_string(name.size()) + " bytes long; at most " +
                  std::to_string(kMaxTierNameBytes) +
                  " (it ends the summary metric name pool_utilisation_<tier>, stored in 64 bytes)");
    return false;
}

using TierKey = Key<Load, state::Tier>;

constexpr std::array<TierKey, 5> kTierKeys{{
    {"name",
     [](Load& l, const Field& nf, const MapReader&, state::Tier& tier) {
         if (nf && get_name(l.c, nf, tier.name, "tier name") && check_tier_name_length(l, nf, tier.name)) {
             for (const auto& other : l.s.pool.tiers) {
                 if (other.name == tier.name) {
                     l.c.error(nf.pos, nf.key, "duplicate tier name " + quote(tier.name));
                     tier.name.clear();
                 }
             }
         }
     },
     true},
    {"vcpu",
     [](Load& l, const Field& f, const MapReader&, state::Tier& t) { get_uint(l.c, f, t.vcpu, 1, 1024); },
     true},
    {"ram_gib",
     [](Load& l, const Field& f, const MapReader&, state::Tier& t) {
         get_uint(l.c, f, t.ram_gib, 1, 1 << 20);
     },
     true},
    {"disk_gib",
     [](Load& l, const Field& f, const MapReader&, state::Tier& t) {
         get_uint(l.c, f, t.disk_gib, 0, 1 << 24);
     },
     true},
    {"hours",
     [](Load& l, const Field& f, const MapReader&, state::Tier& t) { get_uint(l.c, f, t.hours, 1, 100'000); },
     true},
}};

void read_tiers(Load& l, const Field& tiers) {
    PoolSpec& p = l.s.pool;
    if (!tiers) {
        p.tiers = default_tiers();
    } else if (const auto* items = list(l.c, tiers, "tiers")) {
        if (items->empty()) l.c.error(tiers.pos, tiers.key, "at least one tier is required");
        check_count(l, tiers, items->size(), kMaxTiers, "tiers",
                    "the results keep one pool column per tier in every sample row");
        for (std::size_t i = 0; i < items->size() && i < kMaxTiers; ++i) {
            const Field tf = item(tiers, *items, i);
            const MapReader t = map_reader(l.c, tf, kTierKeys, "in a tier");
            if (!t.present()) {
                if (tf.node->is_null())
                    l.c.error(tf.pos, tf.key, "expected a tier mapping, got nothing (null)");
                continue;
            }
            state::Tier tier;
            read_keys(l, t, kTierKeys, tier);
            if (!tier.name.empty()) p.tiers.push_back(tier);
        }
    }
    for (const auto& t : p.tiers) l.tier_names.push_back(t.name);
}

using PoolKey = Key<Load, PoolSpec>;

constexpr std::array<PoolKey, 11> kPoolKeys{{
    {"tiers", [](Load& l, const Field& f, const MapReader&, PoolSpec&) { read_tiers(l, f); }},
    {"default_quota",
     [](Load& l, const Field& f, const MapReader&, PoolSpec& p) { get_uint(l.c, f, p.default_quota); }},
    // Read after consensus (read_ttl): a TTL written as a duration needs the period.
    {"ttl", [](Load& l, const Field& f, const MapReader&, PoolSpec&) { l.ttl_field = f; }},
    {"per_user_live", [](Load& l, const Field& f, const MapReader&,
                         PoolSpec& p) { get_uint_or_off(l.c, f, p.per_user_live, 1); }},
    {"per_user_lifetime", [](Load& l, const Field& f, const MapReader&,
                             PoolSpec& p) { get_uint_or_off(l.c, f, p.per_user_lifetime, 1); }},
    {"per_block_issue_cap", [](Load& l, const Field& f, const MapReader&,
                               PoolSpec& p) { get_uint_or_off(l.c, f, p.per_block_issue_cap, 1); }},
    {"max_txs_per_block", [](Load& l, const Field& f, const MapReader&,
                             PoolSpec& p) { get_uint_or_off(l.c, f, p.max_txs_per_block, 1); }},
    {"max_transfers",
     [](Load& l, const Field& f, const MapReader&, PoolSpec& p) { get_uint(l.c, f, p.max_transfers); }},
    {"reward_per_redeem",
     [](Load& l, const Field& f, const MapReader&, PoolSpec& p) { get_uint(l.c, f, p.reward_per_redeem); }},
    {"reclaim", [](Load& l, const Field& f, const MapReader&, PoolSpec& p) { get_bool(l.c, f, p.reclaim); }},
    // Read after consensus (read_refill): `every` as a duration needs the period.
    {"refill", [](Load& l, const Field& f, const MapReader&, PoolSpec&) { l.refill_field = f; }},
}};

// A TTL: a number of blocks (`5760`) or a duration (`1d`) that is a whole number of
// blocks of consensus.period; in [1, kMaxTtlBlocks] blocks either way.
std::optional<std::uint64_t> read_ttl_value(Load& l, const Field& f) {
    if (f.node == nullptr) return std::nullopt;
    if (!f.node->is_scalar() || parse_unsigned(f.node->text) || !parse_duration(f.node->text)) {
        const std::string* t = scalar(l.c, f, "a number of blocks or a duration (e.g. 5760, 1d)");
        if (t == nullptr) return std::nullopt;
        if (!parse_unsigned(*t) && !t->starts_with('-')) {
            l.c.error(f.node->pos, f.key,
                      "expected a number of blocks or a duration (e.g. 5760, 1d), got '" + *t + "'");
            return std::nullopt;
        }
        return read_uint(l.c, f, 1, state::kMaxTtlBlocks);
    }
    const Duration d = *parse_duration(f.node->text);
    const Duration period = block_period(l.s);
    if (d <= Duration::zero()) {
        l.c.error(f.node->pos, f.key, "must be > 0, got " + f.node->text);
        return std::nullopt;
    }
    if (d % period != Duration::zero()) {
        std::ostringstream blocks;
        blocks << d.to_seconds_f64() / period.to_seconds_f64();
        l.c.error(f.node->pos, f.key,
                  f.node->text + " is not a whole number of blocks of consensus.period " +
                      format_duration(period) + " (" + blocks.str() + " blocks)");
        return std::nullopt;
    }
    const auto blocks = static_cast<std::uint64_t>(d / period);
    if (blocks > state::kMaxTtlBlocks) {
        l.c.error(f.node->pos, f.key,
                  range_text(1, state::kMaxTtlBlocks) + " blocks, got " + f.node->text + " = " +
                      std::to_string(blocks) + " blocks");
        return std::nullopt;
    }
    return blocks;
}

void get_ttl(Load& l, const Field& f, std::uint64_t& out) {
    if (const auto v = read_ttl_value(l, f)) out = *v;
}

// pool.refill (docs/ledger.md "Refilling quotas"): `every` a TTL-like value (blocks, or a
// duration that is a whole number of blocks of consensus.period), in [1, kMaxTtlBlocks]
// as state::validate() bounds it; `amount` an integer >= 1 or `initial` (the default).
using RefillKey = Key<Load, state::RefillConfig>;

constexpr std::array<RefillKey, 2> kRefillKeys{{
    {"every",
     [](Load& l, const Field& f, const MapReader&, state::RefillConfig& r) { get_ttl(l, f, r.every_blocks); },
     true},
    {"amount",
     [](Load& l, const Field& f, const MapReader&, state::RefillConfig& r) {
         if (!f) return;
         if (f.node->is_scalar() && f.node->text == "initial") {
             r.kind = state::RefillAmount::kInitial;
             r.amount = 0;
             return;
         }
         if (f.node->is_scalar() && !parse_unsigned(f.node->text) && !f.node->text.starts_with('-')) {
             l.c.error(f.node->pos, f.key, "expected an integer >= 1 or initial, got " + quote(f.node->text));
             return;
         }
         if (const auto v = read_uint(l.c, f, 1)) {
             r.kind = state::RefillAmount::kAbsolute;
             r.amount = *v;
         }
     }},
}};

using TtlKey = Key<Load, state::TtlConfig>;

// Bounded as state::validate() bounds them, so that `check` reports it.
constexpr std::array<TtlKey, 7> kTtlKeys{{
    {"policy", [](Load& l, const Field& f, const MapReader&,
                  state::TtlConfig& t) { get_enum(l.c, f, t.kind, kTtlPolicies); }},
    {"ttl_blocks",
     [](Load& l, const Field& f, const MapReader&, state::TtlConfig& t) { get_ttl(l, f, t.ttl_blocks); }},
    // A tier it does not name has ttl_blocks: read last (stage 1).
    {"per_tier",
     [](Load& l, const Field& f, const MapReader&, state::TtlConfig& t) {
         std::vector<std::optional<std::uint64_t>> per_tier(l.tier_names.size());
         read_named_map<std::optional<std::uint64_t>>(
             l.c, f, l.tier_names, "tier", per_tier,
             [&](const Field& vf) -> std::optional<std::optional<std::uint64_t>> {
                 const auto v = read_ttl_value(l, vf);
                 if (!v) return std::nullopt;
                 return std::optional<std::uint64_t>(*v);
             });
         t.per_tier_blocks.clear();
         for (const auto& v : per_tier) t.per_tier_blocks.push_back(v.value_or(t.ttl_blocks));
     },
     false, 1},
    {"max_renewals", [](Load& l, const Field& f, const MapReader&,
                        state::TtlConfig& t) { get_uint(l.c, f, t.max_renewals); }},
    {"base_ttl",
     [](Load& l, const Field& f, const MapReader&, state::TtlConfig& t) { get_ttl(l, f, t.base_ttl); }},
    {"min_ttl",
     [](Load& l, const Field& f, const MapReader&, state::TtlConfig& t) {
         get_ttl(l, f, t.min_ttl);
         if (t.min_ttl > t.base_ttl) {
             l.c.error(f.pos, f.key,
                       "min_ttl (" + std::to_string(t.min_ttl) + ") must be <= base_ttl (" +
                           std::to_string(t.base_ttl) + ")");
         }
     }},
    {"exponent", [](Load& l, const Field& f, const MapReader&,
                    state::TtlConfig& t) { get_uint(l.c, f, t.exponent, 0, 16); }},
}};

// pool.refill: absent or `off` (switches a base scenario's refill off: a sweep point,
// --set pool.refill=off), or the mapping of kRefillKeys.
void read_refill(Load& l, const Field& f) {
    if (!f || f.node->is_null()) return;
    if (f.node->is_scalar() && f.node->text == "off") {
        l.s.pool.refill.reset();
        return;
    }
    if (f.node->is_scalar()) {
        l.c.error(f.node->pos, f.key,
                  "expected a mapping {every, amount} or off, got " + quote(f.node->text));
        return;
    }
    const MapReader m = map_reader(l.c, f, kRefillKeys);
    if (!m.present()) return;
    state::RefillConfig refill;  // amount: `initial` unless written
    refill.kind = state::RefillAmount::kInitial;
    read_keys(l, m, kRefillKeys, refill);
    l.s.pool.refill = refill;
}

}  // namespace

void read_pool(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kPoolKeys);
    read_keys(l, m, kPoolKeys, l.s.pool);
}

void read_ttl(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kTtlKeys);
    read_keys(l, m, kTtlKeys, l.s.pool.ttl);
    read_refill(l, l.refill_field);
}

}  // namespace cl::sim::scenario::detail
