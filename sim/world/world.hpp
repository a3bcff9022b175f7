// The simulated world (DESIGN.md §3): hosts that run protocol::node::Node on the simulated
// network, user and cloud workloads, faults, and the recorder of what happened.
//
// One World is one run (one seed, one replication). Every random draw comes from a stream
// named after its entity (DESIGN.md §6); keys are derived from the seed. Pure work —
// seal recovery, transaction recovery, block execution — is computed once per distinct
// input and shared by all nodes (DESIGN.md §5); what a node's CPU would spend on it is
// charged to that node's simulated clock from the configured costs, so sharing never
// changes the timeline.
//
// CPU model: a host handles each input when it arrives (its protocol state changes then)
// but the input's outputs — messages and timers — leave only when the host's single CPU
// has finished this input and every earlier one: finish = max(now, busy_until) + cost.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/clique/config.hpp"
#include "protocol/state/config.hpp"
#include "protocol/state/ledger.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/kernel/time.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::world {

struct CpuCosts {
    Duration verify_header = micros(60);  // seal recovery + checks, per block header
    Duration execute_tx = micros(20);     // per transaction of an executed block
    Duration admit_tx = micros(55);       // per transaction checked for admission (sender recovery)
};

struct CloudSpec {
    std::string name;
    std::uint16_t region = 0;           // index into the topology's region names
    std::vector<std::uint64_t> quotas;  // per tier
};

// What users do (docs/scenarios.md "How the workload behaves"). A user learns the outcome
// of its transaction from its own node: once a block holding it is on that node's
// canonical chain with CloudWorkload::confirmations blocks on top, the receipt is final
// for the user (a success: the code is confirmed; a failure: the request was refused). A
// transaction the node's txpool refuses is refused at once.
struct UserWorkload {
    double requests_per_second = 0.5;            // Poisson arrivals of new users, all regions together
    std::vector<double> region_weights;          // per region; empty: proportional to full nodes
    std::vector<double> tier_mix;                // per tier; empty: uniform
    double transfer_probability = 0;             // a user with a confirmed code gives it to a new user
    double redeem_probability = 1.0;             // a holder of a confirmed code presents it to a cloud
    double double_present_probability = 0;       // ... and also to a second cloud at once (an attack)
    Duration redeem_delay_mean = seconds(120);   // mean, from holding a confirmed code to presenting it
    double rerequest_probability = 0;            // a refused user asks again ...
    Duration rerequest_delay_mean = minutes(5);  // ... after an exponential delay of this mean ...
    std::uint64_t max_attempts = 1;              // ... making at most this many requests in all
    // With txpool.stamp_bits set, a user computes the request's hashcash stamp (the real
    // search, txpool::find_stamp) before sending it, and is charged the hashes the search
    // took at this many per second: it sends ceil(hashes · 1e9 / hash_rate) ns later.
    double hash_rate = 1e6;
    // Under the `renewable` TTL policy, a holder of a confirmed code that is still issued
    // renews it (`renew(code)`) with this probability when its expiry, as its own node
    // shows it (blocks left × the block period), is renew_margin away; again after each
    // renewal, as long as the code has fewer than pool.ttl.max_renewals renewals.
    double renew_probability = 0;
    Duration renew_margin = minutes(30);
};

struct CloudWorkload {
    Duration screening_delay = seconds(30);  // mean (exponential), from a positive query to the redeem
    double pass_probability = 0.95;          // the user passes the cloud's screening
    std::uint64_t confirmations = 6;         // k: blocks on top of the code's block before redeeming
    Duration retry_interval = seconds(15);   // re-query while the code is unknown or too fresh
    std::uint32_t max_queries = 40;
};

// A node crash: the host drops every input from `at` and, if given, restarts at `restart_at`
// (keeping its stored chain, as a process restarted on the same disk).
struct Crash {
    net::NodeId node = 0;
    Time at;
    std::optional<Time> restart_at;
};

// A link failure between two linked nodes during [from, to): the link carries nothing.
struct LinkFailure {
    net::NodeId a = 0;
    net::NodeId b = 0;
    Time from;
    Time to;
};

// Partial loss on the link between two linked nodes during [from, to): each message sent
// on it, either way, is lost with `probability` (net::Network::add_link_loss).
struct LinkLoss {
    net::NodeId a = 0;
    net::NodeId b = 0;
    double probability = 0;
    Time from;
    Time to;
};

// Who a node is, for the results' `nodes` table (docs/metrics.md); the simulation does not
// read it. world_config() (from_scenario.hpp) fills it, World::run() passes it on.
struct NodeInfo {
    std::string name;                  // as the topology file names it (label, else id), else generated
    std::string region;                // the region `region:NAME` selects it by; empty: none
    std::optional<std::size_t> cloud;  // a validator: its cloud's index in `clouds`; a full node: none

    friend bool operator==(const NodeInfo&, const NodeInfo&) = default;
};

struct WorldConfig {
    std::string name;
    std::uint64_t seed = 1;
    std::uint64_t replication = 0;
    Duration duration = hours(6);
    std::uint64_t genesis_time = 1'700'000'000;  // seconds since the Unix epoch at simulated time 0

    // Nodes 0..clouds.size()-1 are the clouds' validators, the rest full nodes. The
    // topology covers all of them (see make_topology()).
    net::Topology topology;
    net::NetworkConfig network;
    std::vector<net::PartitionSpec> partitions;
    std::vector<Crash> crashes;
    std::vector<LinkFailure> link_failures;
    std::vector<LinkLoss> link_losses;

    std::vector<CloudSpec> clouds;
    std::vector<state::Tier> tiers;
    state::PoolConfig pool;
    clique::Config clique;
    // Each node's fork-choice rule (node order; docs/scenarios.md "Clients"); empty: every
    // node applies clique.fork_choice. The reference chain always uses clique.fork_choice.
    std::vector<clique::ForkChoiceRule> fork_choices;
    txpool::Config txpool;
    CpuCosts cpu;
    UserWorkload users;
    CloudWorkload cloud_behaviour;
    Duration sample_interval = seconds(60);
    std::vector<NodeInfo> nodes;  // one per node (or empty): descriptive only
    // Every node started together at time 0, so every connection's first ping is exactly
    // node::NodeConfig::ping_interval after it opened (tests whose premises need the ping
    // phase). Default false: connections of unknown age (NodeConfig::first_connections_aged).
    bool started_together = false;
};

// Builds the regions topology for a world: validator i in its cloud's region, full nodes
// placed by `full_region_weights` (equal when empty), every node dialling `degree` random
// peers; link latency from the region matrix. Deterministic for a given stream.
net::Topology make_world_topology(std::size_t validators, std::span<const std::uint16_t> validator_regions,
                                  std::size_t full_nodes, std::span<const double> full_region_weights,
                                  std::size_t degree, const net::RegionModel& model, RandomStream& rng);

// ---- results (sim-side schema; the app maps them onto analysis/results) ----
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
    std::uint8_t reason = 0;        // state::Reason (or the txpool refusal + 100 when never included)
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
    std::uint8_t reason = 0;  // as RequestRecord
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
    std::uint8_t reason = 0;  // as RequestRecord
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
    // or a world code: 200 screening failed, 201 never redeemable in time, 255 not included.
    std::uint8_t reason = 0;
};

struct ReorgRecord {
    net::NodeId node = 0;
    Time time;
    std::uint32_t depth = 0;
    Hash32 old_head;
    Hash32 new_head;
};

struct Sample {
    Time time;
    double txpool_pending_mean = 0;
    double txpool_queued_mean = 0;
    std::vector<std::uint64_t> pool_remaining;  // per tier, at the head of the reference chain
    std::uint64_t head_spread = 0;              // max − min head number over running nodes
    std::uint32_t distinct_heads = 0;
};

struct MessageCounters {
    std::string type;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint64_t dropped = 0;
};

struct WorldResults {
    std::vector<BlockRecord> blocks;  // every sealed block, in sealing order
    std::vector<RequestRecord> requests;
    std::vector<TransferRecord> transfers;
    std::vector<RenewalRecord> renewals;
    std::vector<RedemptionRecord> redemptions;
    std::vector<ReorgRecord> reorgs;
    std::vector<Sample> samples;
    std::vector<std::uint64_t> final_pool_remaining;  // per tier, at the reference head at the end
    std::vector<MessageCounters> network;
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
    std::vector<NodeInfo> nodes;  // WorldConfig::nodes
};

class World {
  public:
    // Checks what building the world would otherwise assert: the network configuration,
    // every fault schedule against the topology (partition groups non-empty and
    // disjoint, nodes that exist, failed or lossy links that exist, times in order), at
    // least as many nodes as clouds, and workload weights that can be drawn from. The
    // message names the value, e.g. "partition 'faults[2]'.groups[1][0]: node 3 is
    // already in groups[0]". Cost: a scratch Network, O(nodes + links + faults).
    [[nodiscard]] static std::expected<void, std::string> validate(const WorldConfig& config);

    // validate(), then the world: bad configuration is a value, never an abort.
    [[nodiscard]] static std::expected<World, std::string> create(WorldConfig config);

    // REQUIRES: validate(config) succeeds (asserted: skipping it is a programming error).
    explicit World(WorldConfig config);
    ~World();
    World(World&&) noexcept;
    World& operator=(World&&) noexcept;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Runs the whole duration. Call once. `progress`, if set, is called at every sample
    // (sample_interval) with the simulated time and the events run so far; it must not
    // touch the world.
    using Progress = std::function<void(Time, std::uint64_t events)>;
    WorldResults run(const Progress& progress = {});

    // The ledger state at the head of the reference chain at the end of the run (the
    // node whose head is best, docs/metrics.md "Conventions"). REQUIRES: run() returned.
    const state::LedgerState& final_state() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cl::sim::world
