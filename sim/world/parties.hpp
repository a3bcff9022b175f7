// The honest party's share of the party tables (shared/spec/adversaries.md §0; docs/
// metrics.md "traffic", "party_samples"): each adversary records its own share (its
// Workload::finish and on_sample); the honest share is what the users and clouds recorded.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/world/config.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

// REQUIRES: every workload finished (the adversaries' traffic rows and party samples are in
// `results`). Puts the honest traffic rows (from the requests, transfers, renewals and
// redemptions tables) before the adversaries', and each sample's honest share first: the
// txpool totals minus the adversaries' shares, and the codes issued to users on the
// reference chain by the sample's time minus those redeemed there by then.
void tally_honest_party(WorldResults& results);

// The party of adversary `name`: its position in config.adversaries plus one (0, the honest
// party, when no adversary has that name).
std::uint16_t party_of(const WorldConfig& config, std::string_view name);

// Appends `party`'s traffic rows (kind kRedemption, one per outcome and refusal) for the
// redeems an adversary made clouds submit (`records`, tagged kAdversaryUser, which the
// honest rows leave out): the clone's TX1 and TX2 redeems, the private fork's two, the
// eclipse's TX_v and TX_h.
void tally_adversary_redemptions(std::uint16_t party, std::span<const RedemptionRecord> records,
                                 WorldResults& results);

}  // namespace cl::sim::world
