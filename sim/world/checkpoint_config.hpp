// The checkpoint settings of a world (shared/spec/checkpoint.md; docs/checkpoints.md
// "Scenario keys"): the protocol's checkpoint::Config, the PoW mainchain the checkpoints
// go to, the optional majority attack on it, and a cloud's allocation policy. The
// defaults here are the defaults of a scenario's `checkpoints:` section (one place).
//
// Header-only, part of sim_world_config (below sim/scenario). Plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/checkpoint/config.hpp"
#include "sim/kernel/time.hpp"

namespace cl::sim::world {

// One mainchain miner (a mining pool): its share of the honest hash power (a weight; the
// shares are normalised to sum to 1 − attack share).
struct MinerSpec {
    std::string name;
    double share = 0;
};

// spec §2. The mainchain's own network: every block and every transaction reaches each
// other miner, and the mainchain node the sidechain reads (the "reader"), `delay` after it
// was mined or sent.
struct MainchainConfig {
    Duration block_time = seconds(13);  // mean of the exponential inter-block time (ETC's target)
    // Illustrative pool shares (not measured): a few pools with a dominant one.
    std::vector<MinerSpec> miners{{"pool-a", 0.4}, {"pool-b", 0.3}, {"pool-c", 0.2}, {"pool-d", 0.1}};
    // A checkpoint is final when the block including it has this many blocks on top in
    // the reader's heaviest chain (spec §2; presets 12, 400, 4000).
    std::uint64_t confirmations = 120;
    Duration delay = millis(500);  // between miners, and to the reader
};

// The confirmation presets of spec §2 (ETC exchange practice before and after the 2019 and
// 2020 reorgs; docs/checkpoints.md cites the sources).
struct ConfirmationPreset {
    std::string_view name;
    std::uint64_t confirmations;
};
inline constexpr ConfirmationPreset kConfirmationPresets[] = {
    {"etc-2018", 12},    // before January 2019: a dozen blocks, as for Ethereum
    {"etc-2019", 400},   // after the January 2019 reorg (exchanges raised to ~400)
    {"etc-2020", 4000},  // after the August 2020 reorgs (exchanges raised to ~4000)
};

// The reorg depths of the ETC majority attacks (spec §2).
struct ReorgPreset {
    std::string_view name;
    std::uint64_t depth;
};
inline constexpr ReorgPreset kReorgPresets[] = {
    {"etc-2019-01", 123},  // 5-7 January 2019
    {"etc-2020-08-01", 3693},
    {"etc-2020-08-06", 4236},
    {"etc-2020-08-29", 7000},
};

// spec §2: an attacker with hash-power share `share` mines a private branch from the
// reader's head at `start` (nullopt: the parent of the first block that includes a
// checkpoint transaction, so that the attack drops it), includes no checkpoint
// transaction, and releases the branch once it has more blocks than the public chain
// since the fork and the public chain has at least `reorg_depth` blocks since the fork:
// the release reorganises at least reorg_depth blocks. One attack per run.
struct MainchainAttack {
    double share = 0.6;  // in (0, 1)
    std::uint64_t reorg_depth = 123;
    std::optional<Time> start;
};

struct CheckpointsConfig {
    checkpoint::Config protocol;
    MainchainConfig mainchain;
    std::optional<MainchainAttack> attack;
};

// workload.clouds.allocate_after (spec §4 last point): when a cloud allocates the
// resources of a successful redeem. `confirmations` (nullopt: workload.clouds.confirmations)
// blocks on top on its own node, or — `final_checkpoint` — once the redeem's block is at or
// below the latest final checkpoint its node knows (and still k blocks deep).
struct AllocateAfter {
    bool final_checkpoint = false;
    std::optional<std::uint64_t> confirmations;
};

}  // namespace cl::sim::world
