// Block production for a Clique signer (shared/spec/clique.md §6 proposal strategy, §7
// timing; geth ≤ v1.14 Prepare/Seal). Pure: the caller passes the time, the parent, the
// parent's snapshot and a random stream, and decides what to do with the result.
//
//   auto plan = plan_seal(config, snap, parent, self, now, has_txs, rng);
//   if (plan) { Header h = prepare_header(config, snap, parent, *plan, proposals, rng);
//               /* fill state/tx roots */ seal_header(h, key); release at plan->release_at(); }
//
// A pending seal is abandoned by the caller when a better head arrives (§7).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <span>

#include "protocol/chain/header.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/core/random.hpp"

namespace cl::clique {

enum class [[nodiscard]] SealRefusal{
    kUnauthorized,    // not in the parent snapshot's signer list
    kRecentlySigned,  // sealed one of the last floor(N/2) blocks: must wait for others
    kNoTransactions,  // period == 0 and nothing to include
};
const char* to_string(SealRefusal r);

struct SealPlan {
    std::uint64_t number = 0;
    std::uint64_t time = 0;             // header timestamp, seconds
    std::uint64_t difficulty = 0;       // 2 in turn, 1 out of turn
    std::chrono::nanoseconds delay{0};  // out-of-turn wiggle after `time`; 0 in turn

    // When the sealed block is released, in nanoseconds since the Unix epoch.
    std::chrono::nanoseconds release_at() const { return std::chrono::seconds(time) + delay; }
};

// §7: the out-of-turn wait for a snapshot of `signer_count` signers. REQUIRES: signer_count > 0.
std::chrono::nanoseconds out_of_turn_delay(OutOfTurnDelay variant, std::size_t signer_count,
                                           RandomSource& rng);

// §7: whether `self` may seal on `parent`, and when. `now` in seconds since the epoch.
std::expected<SealPlan, SealRefusal> plan_seal(const Config& config, const Snapshot& parent_snapshot,
                                               const Header& parent, const Address& self, std::uint64_t now,
                                               bool has_transactions, RandomSource& rng);

// A membership change this node would like to vote for.
struct Proposal {
    Address address;
    bool authorize;
};

// geth Prepare: the header skeleton for `plan` on `parent`. Picks one vote uniformly
// among `proposals` that are valid in the parent snapshot (none on checkpoints, where
// extraData lists the signers instead). Gas limit is the parent's; the caller fills the
// state, transaction and receipt roots and gas used, then seals.
Header prepare_header(const Config& config, const Snapshot& parent_snapshot, const Header& parent,
                      const SealPlan& plan, std::span<const Proposal> proposals, RandomSource& rng);

}  // namespace cl::clique
