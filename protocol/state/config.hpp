// Genesis configuration of the ledger (shared/spec/promo-pool.md §2–3): the chain id,
// member clouds, the notary, instance tiers and the promo-pool settings. A plain struct:
// the scenario loader (sim/scenario) fills it from YAML.
//
// The whole configuration is committed to by the state root (the genesis state stores
// its encoding), so two chains with different pool rules never share a root.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/core/bytes.hpp"

namespace cl::state {

// An instance specification (§3).
struct Tier {
    std::string name;
    std::uint64_t vcpu = 0;
    std::uint64_t ram_gib = 0;
    std::uint64_t disk_gib = 0;
    std::uint64_t hours = 0;
};

// A member cloud present at genesis; active from block 0 (its validator is a genesis signer).
struct GenesisCloud {
    std::string name;
    Address operator_address;
    Address validator;
    std::string region;
    std::vector<std::uint64_t> quotas;  // quota[t] for each tier t; missing entries are 0
};

enum class TtlKind : std::uint8_t { kFixed, kPerTier, kRenewable, kAdaptive };

// The largest TTL validate() accepts, in blocks (2^40: ~520 000 years at 15 s). It keeps
// `block_number + ttl` (§3 `expires_at = issued_at + ttl_blocks`) far from 2^64 and
// base_ttl where adaptive's fixed-point error stays below half a block (ttl_policy.cpp).
inline constexpr std::uint64_t kMaxTtlBlocks = std::uint64_t{1} << 40;

// TTL policy (§3 "TTL policies"). All durations are in blocks.
struct TtlConfig {
    TtlKind kind = TtlKind::kFixed;
    std::uint64_t ttl_blocks = 5760;             // fixed, renewable: one day at 15 s
    std::vector<std::uint64_t> per_tier_blocks;  // per_tier: ttl of tier t
    std::uint64_t max_renewals = 1;              // renewable (the default of scenarios)
    std::uint64_t base_ttl = 5760;               // adaptive
    std::uint64_t min_ttl = 240;                 // adaptive
    std::uint64_t exponent = 1;                  // adaptive: the k of (1 − utilisation)^k, 0 ≤ k ≤ 16
};

// Pool budgets that refill (docs/ledger.md "Refilling quotas"; issue 14): at the end of
// every block whose number is a positive multiple of `every_blocks`, the quota of every
// active cloud in every tier grows by the amount — `amount` units (kAbsolute), or the
// cloud's genesis quota of that tier (kInitial; 0 for a cloud registered after genesis) —
// and the tier's capacity with it, saturating at 2^64 − 1. Heights, not timestamps, so
// every fork at the same height has refilled the same number of times.
enum class RefillAmount : std::uint8_t { kAbsolute, kInitial };

struct RefillConfig {
    std::uint64_t every_blocks = 5760;  // one day at 15 s; in [1, kMaxTtlBlocks]
    RefillAmount kind = RefillAmount::kAbsolute;
    std::uint64_t amount = 0;  // kAbsolute: units per cloud and tier, >= 1; ignored for kInitial
};

struct PoolConfig {
    TtlConfig ttl;
    std::optional<std::uint64_t> per_user_live = 3;    // live codes a user may hold (nullopt: off)
    std::optional<std::uint64_t> per_user_lifetime;    // requests a user may ever make (off)
    std::optional<std::uint64_t> per_block_issue_cap;  // codes issued per block (off)
    std::optional<std::uint64_t> max_txs_per_block;    // transactions per block (off)
    std::uint64_t max_transfers = 1;
    std::uint64_t reward_per_redeem = 1;
    bool reclaim = true;                 // false: an expired code's unit is burned, not returned (§3)
    std::optional<RefillConfig> refill;  // quotas that refill (off: the spec's fixed quotas)
};

// The chain id of the simulated chain (§1 replay protection): the GenesisConfig::chain_id
// and txpool chain id the world gives its nodes, and what benches and tests sign for.
inline constexpr std::uint64_t kSimulatedChainId = 61'777;

struct GenesisConfig {
    std::uint64_t chain_id = 0;
    Address notary;
    std::vector<Tier> tiers;
    std::vector<GenesisCloud> clouds;
    PoolConfig pool;
};

// Why a configuration cannot start a chain; `field` names the offending key.
struct ConfigError {
    std::string field;
    std::string message;
};

// Checks what the contracts rely on: at least one tier, ttl values in [1, kMaxTtlBlocks],
// per_tier sized to the tiers, min_ttl ≤ base_ttl, exponent ≤ 16, unique cloud names,
// validators and operators, quotas no longer than the tier list, and each tier's capacity
// Σc quota[c][t] (§3) at most 2^64 − 1; a refill every 1 … kMaxTtlBlocks blocks, by at
// least one unit when absolute.
std::optional<ConfigError> validate(const GenesisConfig& config);

// A canonical RLP encoding of the whole configuration.
Bytes encode(const GenesisConfig& config);

}  // namespace cl::state
