// The per-table mappers behind to_run_results (app/results_mapping.hpp): each maps one of
// the world's record tables (sim/world/results.hpp) onto its results table
// (analysis/results/schema.hpp) and returns what the summary needs from it. The summary
// itself is assembled in results_mapping.cpp, in the order docs/metrics.md lists it.
// A new record table (an adversary's, a workload's) gets a new mapper file here.
// Internal to app_results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/results/schema.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/results.hpp"

namespace cl::app::mapping {

// ---- shared conversions ----
inline analysis::Bytes32 bytes(const Hash32& h) { return h.bytes; }
inline analysis::Bytes20 bytes(const Address& a) { return a.bytes; }
inline std::int64_t ns(sim::Time t) { return t.nanos(); }
inline std::int64_t ns(const std::optional<sim::Time>& t) { return t ? t->nanos() : analysis::kNever; }

// ---- code books (codes.cpp) ----
// Every code book of `run.codes` from the scenario (tiers, regions, clouds, fork-choice
// rules) and the fixed vocabularies (statuses, reasons).
void fill_code_books(const sim::scenario::Scenario& scenario, analysis::CodeBook& codes);

// Row status and reason code of a request, transfer or renewal (codes.request_reason):
// 0 pending (not on the reference chain), 1 included (succeeded there), 2 confirmed (also
// shown confirmed to the user), 3 refused (failed there, or refused by the txpool).
struct Coded {
    std::uint8_t status = 0;
    std::uint8_t reason = 0;
};
Coded code_tx_outcome(bool included, bool success, bool confirmed, const sim::world::OutcomeReason& reason);
// Of a redemption (codes.redemption_reason): 0 pending, 1 redeemed, 2 rejected.
Coded code_redemption_outcome(bool included, bool success, const sim::world::OutcomeReason& reason);

// Of a traffic row (codes.traffic_outcomes): the TrafficOutcome, a refusal as txpool_<r>.
// REQUIRES: refusal set iff outcome is kRefused.
std::uint8_t code_traffic_outcome(sim::world::TrafficOutcome outcome, std::optional<txpool::Refusal> refusal);

// ---- nodes (nodes.cpp) ----
void map_nodes(const sim::scenario::Scenario& scenario, const sim::world::WorldResults& world,
               analysis::RunResults& run);

// ---- blocks and propagation (blocks.cpp) ----
struct BlockStats {
    std::size_t canonical = 0;
    std::size_t in_turn = 0;
    std::optional<sim::Time> first_canonical, last_canonical;
    std::vector<double> t50s, t90s;  // s, per block reached by half / 90 % of the online nodes
};
BlockStats map_blocks(const sim::world::WorldResults& world, analysis::RunResults& run);

// ---- requests, transfers, renewals (transactions.cpp) ----
struct RequestStats {
    std::vector<double> latencies;       // s, submission to confirmation, per served request
    std::vector<double> stamp_seconds;   // per request that needed a stamp
    std::vector<std::size_t> by_reason;  // per codes.request_reason
    std::size_t served = 0, issued = 0, rerequests = 0;
    std::set<std::uint64_t> users_issued;
};
RequestStats map_requests(const sim::world::WorldResults& world, analysis::RunResults& run);
std::size_t map_transfers(const sim::world::WorldResults& world, analysis::RunResults& run);  // succeeded
std::size_t map_renewals(const sim::world::WorldResults& world, analysis::RunResults& run);   // succeeded

// ---- redemptions (redemptions.cpp) ----
struct RedemptionStats {
    std::size_t redeemed = 0;
    std::set<std::uint64_t> users_redeemed;
    std::vector<std::size_t> by_reason;        // rejections, per codes.redemption_reason
    std::vector<double> allocation_latencies;  // s, presentation to allocation
};
RedemptionStats map_redemptions(const sim::world::WorldResults& world, analysis::RunResults& run);

// ---- checkpoints and the mainchain (checkpoints.cpp) ----
void map_checkpoints(const sim::world::WorldResults& world, analysis::RunResults& run);

// ---- reorgs, network counters, samples (chain_and_network.cpp) ----
std::uint32_t map_reorgs(const sim::world::WorldResults& world, analysis::RunResults& run);  // max depth
void map_network(const sim::world::WorldResults& world, analysis::RunResults& run);
void map_samples(const sim::world::WorldResults& world, analysis::RunResults& run);

// ---- traffic and party samples by party (parties.cpp) ----
void map_parties(const sim::world::WorldResults& world, analysis::RunResults& run);

// ---- signers, attacks, attack figures (attacks.cpp) ----
void map_signers(const sim::world::WorldResults& world, analysis::RunResults& run);
std::size_t map_attacks(const sim::world::WorldResults& world, analysis::RunResults& run);  // succeeded

// ---- summary (results_mapping.cpp) ----
void add_summary(analysis::RunResults& run, std::string_view name, double value, std::string_view unit);

}  // namespace cl::app::mapping
