#include "protocol/state/config.hpp"

#include <limits>
#include <set>
#include <string_view>

#include "protocol/core/rlp.hpp"

namespace cl::state {
namespace {

void append_string(Bytes& out, std::string_view s) {
    rlp::append_bytes(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// nullopt encodes as the empty list, a value as a one-item list: unambiguous, canonical.
void append_optional(Bytes& out, const std::optional<std::uint64_t>& value) {
    const std::size_t list = rlp::begin_list(out);
    if (value) rlp::append_uint(out, *value);
    rlp::end_list(out, list);
}

void append_uints(Bytes& out, const std::vector<std::uint64_t>& values) {
    const std::size_t list = rlp::begin_list(out);
    for (std::uint64_t v : values) rlp::append_uint(out, v);
    rlp::end_list(out, list);
}

ConfigError error(std::string field, std::string message) { return {std::move(field), std::move(message)}; }

// A TTL in [1, kMaxTtlBlocks], or the error for `field`.
std::optional<ConfigError> check_ttl(const std::string& field, std::uint64_t blocks) {
    if (blocks == 0) return error(field, "must be at least 1");
    if (blocks > kMaxTtlBlocks) return error(field, "must be at most 2^40 blocks");
    return std::nullopt;
}

}  // namespace

std::optional<ConfigError> validate(const GenesisConfig& config) {
    const std::size_t tiers = config.tiers.size();
    if (tiers == 0) return error("tiers", "at least one tier is required");
    std::set<std::string> tier_names;
    for (std::size_t t = 0; t < tiers; ++t) {
        if (!tier_names.insert(config.tiers[t].name).second) {
            return error("tiers[" + std::to_string(t) + "].name",
                         "duplicate tier name '" + config.tiers[t].name + "'");
        }
    }
    std::set<std::string> names;
    std::set<Address> addresses;
    std::vector<std::uint64_t> capacity(tiers, 0);  // Σc quota[c][t] so far
    for (std::size_t c = 0; c < config.clouds.size(); ++c) {
        const GenesisCloud& cloud = config.clouds[c];
        const std::string at = "clouds[" + std::to_string(c) + "]";
        if (cloud.name.empty()) return error(at + ".name", "must not be empty");
        if (!names.insert(cloud.name).second)
            return error(at + ".name", "duplicate cloud name '" + cloud.name + "'");
        if (!addresses.insert(cloud.validator).second) {
            return error(at + ".validator", "address already used by another cloud");
        }
        if (!addresses.insert(cloud.operator_address).second) {
            return error(at + ".operator", "address already used by another cloud");
        }
        if (cloud.quotas.size() > tiers) {
            return error(at + ".quotas", "has " + std::to_string(cloud.quotas.size()) + " entries for " +
                                             std::to_string(tiers) + " tiers");
        }
        for (std::size_t t = 0; t < cloud.quotas.size(); ++t) {
            // §3: the tier's capacity is Σc quota[c][t]; like set_quota (quota_too_large) it
            // must fit in 64 bits.
            if (cloud.quotas[t] > std::numeric_limits<std::uint64_t>::max() - capacity[t]) {
                return error(at + ".quotas[" + std::to_string(t) + "]",
                             "the tier's total quota would exceed 2^64 - 1");
            }
            capacity[t] += cloud.quotas[t];
        }
    }
    const TtlConfig& ttl = config.pool.ttl;
    switch (ttl.kind) {
        case TtlKind::kFixed:
        case TtlKind::kRenewable:
            if (auto e = check_ttl("pool.ttl.ttl_blocks", ttl.ttl_blocks)) return e;
            break;
        case TtlKind::kPerTier:
            if (ttl.per_tier_blocks.size() != tiers) {
                return error("pool.ttl.per_tier", "needs one ttl per tier (" + std::to_string(tiers) + ")");
            }
            for (std::uint64_t blocks : ttl.per_tier_blocks) {
                if (auto e = check_ttl("pool.ttl.per_tier", blocks)) return e;
            }
            break;
        case TtlKind::kAdaptive:
            if (auto e = check_ttl("pool.ttl.min_ttl", ttl.min_ttl)) return e;
            if (auto e = check_ttl("pool.ttl.base_ttl", ttl.base_ttl)) return e;
            if (ttl.base_ttl < ttl.min_ttl) return error("pool.ttl.base_ttl", "must not be below min_ttl");
            if (ttl.exponent > 16) return error("pool.ttl.exponent", "must be at most 16");
            break;
    }
    if (const auto& refill = config.pool.refill) {
        if (refill->every_blocks == 0) return error("pool.refill.every", "must be at least 1 block");
        if (refill->every_blocks > kMaxTtlBlocks)
            return error("pool.refill.every", "must be at most 2^40 blocks");
        if (refill->kind == RefillAmount::kAbsolute && refill->amount == 0)
            return error("pool.refill.amount", "must be at least 1 (or `initial`)");
    }
    return std::nullopt;
}

Bytes encode(const GenesisConfig& config) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    rlp::append_uint(out, config.chain_id);
    rlp::append_fixed(out, config.notary);

    const std::size_t tiers = rlp::begin_list(out);
    for (const Tier& t : config.tiers) {
        const std::size_t tier = rlp::begin_list(out);
        append_string(out, t.name);
        rlp::append_uint(out, t.vcpu);
        rlp::append_uint(out, t.ram_gib);
        rlp::append_uint(out, t.disk_gib);
        rlp::append_uint(out, t.hours);
        rlp::end_list(out, tier);
    }
    rlp::end_list(out, tiers);

    const std::size_t clouds = rlp::begin_list(out);
    for (const GenesisCloud& c : config.clouds) {
        const std::size_t cloud = rlp::begin_list(out);
        append_string(out, c.name);
        rlp::append_fixed(out, c.operator_address);
        rlp::append_fixed(out, c.validator);
        append_string(out, c.region);
        append_uints(out, c.quotas);
        rlp::end_list(out, cloud);
    }
    rlp::end_list(out, clouds);

    const PoolConfig& p = config.pool;
    const std::size_t pool = rlp::begin_list(out);
    rlp::append_uint(out, static_cast<std::uint64_t>(p.ttl.kind));
    rlp::append_uint(out, p.ttl.ttl_blocks);
    append_uints(out, p.ttl.per_tier_blocks);
    rlp::append_uint(out, p.ttl.max_renewals);
    rlp::append_uint(out, p.ttl.base_ttl);
    rlp::append_uint(out, p.ttl.min_ttl);
    rlp::append_uint(out, p.ttl.exponent);
    append_optional(out, p.per_user_live);
    append_optional(out, p.per_user_lifetime);
    append_optional(out, p.per_block_issue_cap);
    append_optional(out, p.max_txs_per_block);
    rlp::append_uint(out, p.max_transfers);
    rlp::append_uint(out, p.reward_per_redeem);
    rlp::append_uint(out, p.reclaim ? 1 : 0);
    // Only when set, so that the encoding (and every genesis state root) of a chain
    // without refills is what it was before refills existed.
    if (p.refill) {
        const std::size_t refill = rlp::begin_list(out);
        rlp::append_uint(out, p.refill->every_blocks);
        rlp::append_uint(out, static_cast<std::uint64_t>(p.refill->kind));
        rlp::append_uint(out, p.refill->kind == RefillAmount::kAbsolute ? p.refill->amount : 0);
        rlp::end_list(out, refill);
    }
    rlp::end_list(out, pool);

    rlp::end_list(out, list);
    return out;
}

}  // namespace cl::state
