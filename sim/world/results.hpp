// What a world recorded (sim-side schema; app/results_mapping maps it onto
// analysis/results, docs/metrics.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/checkpoint/contract.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/core/bytes.hpp"
#include "sim/kernel/time.hpp"
#include "sim/net/topology.hpp"
#include "sim/world/config.hpp"
#include "sim/world/outcome.hpp"

namespace cl::sim::world {

//
// "Reference chain" (docs/metrics.md "Conventions"): the best head under the scenario's
// fork choice among the nodes online at a sample (among all nodes at the end). Inclusion,
// receipts (success, reason) and the final pool state are read on the reference chain at
// the end of the run; `confirmed` times are what users saw on their own nodes during it.

struct BlockRecord {
    Hash32 hash;
    Hash32 parent;
    std::uint64_t number = 0;
    Address signer;
    bool in_turn = false;
    Time sealed;
    std::uint32_t tx_count = 0;
    std::uint32_t size = 0;
    bool canonical = false;
    std::uint32_t online = 0;         // nodes online when it was sealed, the sealer included
    std::vector<Duration> arrivals;   // import delay after sealing, one per node online then that imported it
    std::uint32_t late_arrivals = 0;  // imports by nodes that were offline when it was sealed
};

struct RequestRecord {
    Hash32 tx;
    std::uint64_t user = 0;
    std::uint32_t attempt = 1;  // 1 for the user's first request, 2 for its first re-request, ...
    std::uint16_t region = 0;
    std::uint16_t tier = 0;
    Time submitted;
    std::optional<Time> included;   // seal time of the block holding it on the reference chain
    std::optional<Time> confirmed;  // when the user's node showed it succeeded, k blocks on top
    bool success = false;           // on the reference chain
    // The receipt's reason on the reference chain; a txpool refusal when the node refused it;
    // WorldReason::kNotIncluded when it never made it onto the reference chain.
    OutcomeReason reason;
    // The hashes the user's stamp search took (0: no stamp required) and the time they cost
    // the user, spent before `submitted`.
    std::uint64_t stamp_hashes = 0;
    Duration stamp_time;
};

// A holder renewing its code (`renew(code)`, renewable TTL policy).
struct RenewalRecord {
    Hash32 tx;
    Hash32 code;
    std::uint64_t user = 0;  // the holder
    Time submitted;
    std::optional<Time> included;   // as RequestRecord
    std::optional<Time> confirmed;  // when the holder's node showed it succeeded, k blocks on top
    bool success = false;
    OutcomeReason reason;  // as RequestRecord
};

// A user giving its confirmed code to a new user (`transfer(code, to)`).
struct TransferRecord {
    Hash32 tx;
    Hash32 code;
    std::uint64_t from = 0;  // user indices
    std::uint64_t to = 0;
    Time submitted;
    std::optional<Time> included;   // as RequestRecord
    std::optional<Time> confirmed;  // when the recipient's node showed it succeeded, k blocks on top
    bool success = false;
    OutcomeReason reason;  // as RequestRecord
};

struct RedemptionRecord {
    Hash32 code;
    std::uint64_t user = 0;  // who presented it: the requester or the transferee
    std::uint16_t cloud = 0;
    Time requested;  // when the user presented the code to the cloud
    Time first_query;
    std::optional<Time> submitted;
    std::optional<Time> included;
    // When the cloud saw its redeem succeed on its own node with k blocks on top (the
    // user's confirmation rule applied to the cloud): it allocates the resources then.
    std::optional<Time> allocated;
    bool success = false;
    // Included: the receipt's state::Reason. Not included: a state::Reason when the cloud
    // refused the code on its own node's view before redeeming (kExpired, kAlreadyRedeemed),
    // else a WorldReason (screening failed, never redeemable in time, not included).
    OutcomeReason reason;
};

struct ReorgRecord {
    net::NodeId node = 0;
    Time time;
    std::uint32_t depth = 0;
    Hash32 old_head;
    Hash32 new_head;
};

// Parties (shared/spec/adversaries.md §0: every result separates honest from adversarial
// traffic; docs/metrics.md "traffic", "party_samples"): party 0 is the honest side (users
// and clouds); party i >= 1 is the adversary WorldConfig::adversaries[i - 1].
inline constexpr std::uint16_t kHonestParty = 0;

// One party's share of a sample: transactions of its senders in the txpools of the running
// nodes (summed over them), and the codes it holds at the reference head's time (issued to
// it on the reference chain by then, minus those it redeemed there by then).
struct PartySample {
    std::uint16_t party = kHonestParty;
    std::uint64_t txpool_pending = 0;
    std::uint64_t txpool_queued = 0;
    std::uint64_t codes_held = 0;
};

struct Sample {
    Time time;
    double txpool_pending_mean = 0;
    double txpool_queued_mean = 0;
    std::uint32_t up = 0;              // running nodes the txpool figures are over
    std::uint64_t txpool_pending = 0;  // summed over them
    std::uint64_t txpool_queued = 0;
    // Honest first, then each adversary that samples (Workload::on_sample) in config order;
    // the honest share is the total minus the adversaries' (world/parties.cpp).
    std::vector<PartySample> parties;
    std::vector<std::uint64_t> pool_remaining;  // per tier, at the head of the reference chain
    std::uint64_t head_spread = 0;              // max − min head number over running nodes
    std::uint32_t distinct_heads = 0;
};

// What became of transactions sent by one party, by kind (docs/metrics.md "traffic").
enum class TrafficKind : std::uint8_t {
    kRequest,        // promo requests (users; the spam adversary's `request`)
    kTransfer,       // code transfers (users; spam `transfer` of made-up codes)
    kRenewal,        // renew(code) (users)
    kRedemption,     // redeem(code) a cloud submitted for a user
    kRedeemUnknown,  // spam `redeem_unknown`: redeem of a made-up code
    kJunk,           // spam `junk`: invalid transactions
};
inline constexpr std::size_t kTrafficKindCount = 6;
// Disjoint, in this order of precedence: a transaction counts once, under the first that holds.
enum class TrafficOutcome : std::uint8_t {
    kLost,          // submitted to a node that was down
    kBadSignature,  // dropped by the entry node's sender recovery
    kSucceeded,     // on the reference chain with a successful receipt ("served" for a request)
    kFailed,        // on the reference chain with a failed receipt
    kRefused,       // refused by the entry node's txpool (TrafficRecord::refusal says why)
    kNotIncluded,   // admitted, not on the reference chain at the end
};
struct TrafficRecord {
    std::uint16_t party = kHonestParty;
    TrafficKind kind = TrafficKind::kRequest;
    TrafficOutcome outcome = TrafficOutcome::kNotIncluded;
    std::optional<txpool::Refusal> refusal;  // set iff outcome == kRefused
    std::uint64_t count = 0;
    friend bool operator==(const TrafficRecord&, const TrafficRecord&) = default;
};

// One node's network and CPU totals over the run (docs/metrics.md "nodes").
struct NodeCounters {
    std::uint64_t messages_sent = 0;  // handed to the network, dropped ones included
    std::uint64_t bytes_sent = 0;
    std::uint64_t messages_received = 0;  // delivered while it was up, within the run
    std::uint64_t bytes_received = 0;
    Duration cpu;  // simulated CPU charged (Hosts::cpu_time)
};

struct MessageCounters {
    std::string type;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint64_t dropped = 0;
};

// A summary metric a workload contributes (Workload::finish), after the built-in ones
// (docs/metrics.md "summary"). REQUIRES (a workload's bug otherwise, which aborts when the
// results are mapped): the name unique within the run, at most 64 bytes; the unit at most 16.
struct Metric {
    std::string name;
    double value = 0;
    std::string unit;  // as the built-in ones: "count", "s", "1", ...
};

// One attack instance (shared/spec/adversaries.md §0): its kind, name, the window it
// acted in, a digest of its parameters, whether it succeeded by its kind's rule, and the
// kind's own figures (docs/attacks.md).
struct AttackRecord {
    std::string kind;
    std::string name;
    std::optional<Time> start;  // none: never triggered
    std::optional<Time> end;
    Hash32 parameters_digest;  // keccak256 of the attack's parameters (adversary/adversaries.hpp)
    bool success = false;
    std::vector<Metric> figures;  // names at most 64 bytes, units at most 16
};

// Who seals for whom: cloud ↔ validator node ↔ signer address ↔ position in the sorted
// signer list at genesis (slot `number` is in turn for the signer at number mod N).
struct SignerRecord {
    std::size_t cloud = 0;
    net::NodeId node = 0;
    Address address;
    std::uint32_t index = 0;
    static constexpr std::uint32_t kNotGenesisSigner = 0xffffffffU;  // joins by an `events:` join
};

// Harm (shared/spec/adversaries.md §1; sim/world/harm.hpp, docs/metrics.md "Harm").
struct Harm {
    std::uint64_t allocations = 0;  // redemptions a cloud allocated for (k blocks on top on its node)
    std::uint64_t unbacked_allocations = 0;  // ... whose redeem the final chain does not credit to that cloud
    double unbacked_instance_hours = 0;      // their codes' tier hours
    std::uint64_t double_allocations = 0;    // per code, allocating clouds beyond the first
    double double_allocation_instance_hours = 0;
    std::uint64_t erased_confirmations = 0;  // shown with k blocks on top, not successful on the final chain
    std::vector<std::uint32_t> deepest_reorg;  // per node, blocks (0: none)
    std::uint64_t blocks_decided = 0;          // canonical blocks decided by the end (NDSS rule)
    std::vector<Duration> decided_delays;      // per decided block: seal to decided
};

// One row per checkpoint height that any validator voted for (docs/metrics.md
// "checkpoints"; sim/world/checkpoints.hpp).
struct CheckpointRecord {
    std::uint64_t height = 0;
    Hash32 block_hash;  // the accepted checkpoint's (else the first certificate's, else the first vote's)
    Hash32 state_root;
    std::uint32_t votes = 0;  // distinct validators whose vote for this (block, root) a validator counted
    std::optional<std::uint32_t> submitter;  // node of the accepted submission (else the first one)
    std::optional<Time> sealed;              // the sidechain block's seal time (recorded blocks)
    std::optional<Time> submitted;           // the first submission
    std::uint32_t submissions = 0;           // every submission sent (resubmissions included)
    std::optional<Time> included;            // mined time of the block that accepted it on the reader's chain
    std::optional<Time> final;               // when it first became final (confirmations deep at the reader)
    std::uint32_t rejections = 0;            // submissions the contract rejected, in any block of any branch
    std::optional<checkpoint::Reason> first_rejection;
    std::uint32_t conflicts = 0;       // conflict evidence at this height (reader's contract at the end)
    std::uint32_t double_signers = 0;  // validators who signed both histories, over that evidence
};

// One row per mainchain block (docs/metrics.md "mainchain").
struct MainchainBlockRecord {
    std::uint64_t height = 0;
    std::uint32_t index = 0;   // the block's id; parent refers to it
    std::uint32_t parent = 0;  // the genesis (id 0) is not a row
    std::uint16_t miner = 0;   // index into WorldResults::miner_names
    Time mined;
    std::optional<Time> published;  // private attack blocks: the release; none when never released
    bool canonical = false;         // on the reader's chain at the end of the run
    bool attack = false;            // mined on the attacker's private branch
    std::uint32_t txs = 0;          // checkpoint submissions included
};

struct WorldResults {
    std::vector<BlockRecord> blocks;  // every sealed block, in sealing order
    std::vector<RequestRecord> requests;
    std::vector<TransferRecord> transfers;
    std::vector<RenewalRecord> renewals;
    std::vector<RedemptionRecord> redemptions;
    std::vector<ReorgRecord> reorgs;
    std::vector<Sample> samples;
    // Per party, kind, outcome (refusal): honest rows first (world/parties.cpp), then each
    // adversary's (its Workload::finish); no row with count 0.
    std::vector<TrafficRecord> traffic;
    std::vector<std::uint64_t> final_pool_remaining;  // per tier, at the reference head at the end
    std::vector<MessageCounters> network;
    std::vector<NodeCounters> node_counters;  // per node, in node order
    std::uint64_t events = 0;
    Duration simulated;
    // The end state, for the safety checks.
    std::vector<Hash32> final_heads;  // per node
    std::vector<std::uint64_t> final_numbers;
    // Safety: each node's canonical block at check_height = (lowest final head) − 3.
    std::uint64_t check_height = 0;
    std::vector<Hash32> hashes_at_check;
    std::vector<clique::ForkChoiceRule> fork_choices;  // per node: the rule it applied
    std::uint64_t executions = 0;  // distinct block executions (the shared cache's misses)
    std::uint64_t execution_requests = 0;
    std::vector<NodeInfo> nodes;        // WorldConfig::nodes
    std::vector<Metric> metrics;        // contributed by workloads, in workload order
    std::vector<AttackRecord> attacks;  // one per adversary, in scenario order
    std::vector<SignerRecord> signers;  // one per cloud, in cloud order
    Harm harm;
    // With checkpoints (WorldConfig::checkpoints): the checkpoints, the mainchain's blocks and
    // the names of its miners (the attacker last). Empty without.
    std::vector<CheckpointRecord> checkpoints;
    std::vector<MainchainBlockRecord> mainchain;
    std::vector<std::string> miner_names;
    // What a workload's check() found wrong ("<workload>: <sentence>"); empty: sound.
    std::vector<std::string> check_failures;
};

}  // namespace cl::sim::world
