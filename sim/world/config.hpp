// What one world is made of (DESIGN.md §3): the resolved, concrete configuration of one
// run — topology, network, faults, clouds, ledger rules, node policy, CPU costs and
// workloads. sim/world/from_scenario.hpp builds it from a scenario; tests build it in code.
// Plain value types: copyable, no shared state.
//
// Header-only (library sim_world_config, below sim/scenario): a scenario holds CpuCosts,
// UserWorkload and CloudWorkload as they are, so their defaults here are the defaults of
// a scenario too (docs/scenarios.md "Reference" lists them; keep both in step).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/clique/config.hpp"
#include "protocol/state/config.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/time.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "sim/world/adversary/spam_config.hpp"
#include "sim/world/checkpoint_config.hpp"

namespace cl::sim::world {

// Simulated CPU time charged per operation (DESIGN.md §5: modelled, not measured);
// scenario keys cpu.verify_header, cpu.execute_tx, cpu.verify_tx.
struct CpuCosts {
    Duration verify_header = micros(60);  // seal recovery (secp256k1 ≈ 31 µs) + hashing + rules, per header
    Duration execute_tx = micros(20);     // per transaction of an executed block
    Duration admit_tx = micros(40);       // per transaction checked for admission (sender recovery)
};

struct CloudSpec {
    std::string name;
    std::uint16_t region = 0;           // index into the topology's region names
    std::vector<std::uint64_t> quotas;  // per tier
    // false: not in the genesis; it joins by a GovernanceEvent (its validator node runs from
    // the start, not a signer). Such clouds follow every genesis cloud in WorldConfig::clouds.
    bool genesis = true;
};

// `events:` — honest governance (shared/spec/promo-pool.md §2; sim/world/governance.hpp).
// kJoin: at `at`, cloud `cloud` (not a genesis cloud) sends register_cloud with the notary's
// attestation; the validators then vote its validator in (NodeConfig::vote_for_pending_clouds).
// kLeave: at `at`, the cloud's validator stops sealing and every other validator proposes
// DROP for it until it is voted out.
struct GovernanceEvent {
    enum class Kind : std::uint8_t { kJoin, kLeave };
    Kind kind = Kind::kJoin;
    std::size_t cloud = 0;  // index into WorldConfig::clouds
    Time at;
    friend bool operator==(const GovernanceEvent&, const GovernanceEvent&) = default;
};

// What users do (docs/scenarios.md "How the workload behaves"). A user learns the outcome
// of its transaction from its own node: once a block holding it is on that node's
// canonical chain with CloudWorkload::confirmations blocks on top, the receipt is final
// for the user (a success: the code is confirmed; a failure: the request was refused). A
// transaction the node's txpool refuses is refused at once.
struct UserWorkload {
    // Poisson arrivals of new users, all regions together. A scenario writes its arrivals
    // as scenario::UserArrivals (per region as written); world_config() derives this and
    // region_weights from them.
    double requests_per_second = 1.0;
    std::vector<double> region_weights;          // per region; empty: proportional to full nodes
    std::vector<double> tier_mix;                // per tier; empty: uniform
    double transfer_probability = 0.05;          // a user with a confirmed code gives it to a new user
    double redeem_probability = 0.9;             // a holder of a confirmed code presents it to a cloud
    double double_present_probability = 0;       // ... and also to a second cloud at once (an attack)
    Duration redeem_delay_mean = minutes(30);    // mean, from holding a confirmed code to presenting it
    double rerequest_probability = 0.5;          // a refused user asks again ...
    Duration rerequest_delay_mean = minutes(5);  // ... after an exponential delay of this mean ...
    std::uint64_t max_attempts = 3;              // ... making at most this many requests in all
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
    AllocateAfter allocate_after;  // when a successful redeem is allocated (checkpoint_config.hpp)
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

// ---- adversaries (shared/spec/adversaries.md; sim/world/adversary/) ----

// §2.1 `clone`: cloud `validator`'s key runs on its own node and on `clone_node`; the
// sides are the sealers of the next `next_in_turn` in-turn slots (the cloned validator's
// own first) against the rest, or the explicit cloud lists; full nodes go with the side
// of most of their peers. From `from`, once the cloned validator's node holds the block
// just before its own in-turn slot, the network between the sides is cut for `duration`.
struct CloneAttack {
    std::size_t validator = 0;          // cloud index
    std::uint32_t next_in_turn = 0;     // > 0: the split by in-turn slots; 0: attacker / victim
    std::vector<std::size_t> attacker;  // cloud indices (the cloned validator not among them)
    std::vector<std::size_t> victim;
    std::optional<net::NodeId> clone_node;  // a full node; none: chosen (adversary/clone.hpp)
    Time from;
    Duration duration = seconds(25);
    friend bool operator==(const CloneAttack&, const CloneAttack&) = default;
};

// §2.2 `private_fork`: the colluding clouds' validators stop publishing the blocks they
// seal from `from` (once the attacker holds a confirmed code) and extend a private branch,
// within the Recents rule; they release it (announce its head to their honest peers) by
// `release`: kWhenHeavier — as soon as it outweighs the public head they see and the
// public redemption has been allocated —, kAt `release_at`, or kNever.
struct PrivateForkAttack {
    enum class Release : std::uint8_t { kWhenHeavier, kAt, kNever };
    std::vector<std::size_t> validators;  // cloud indices, sorted, unique, at least one
    Time from;
    Release release = Release::kWhenHeavier;
    Time release_at;  // kAt only
    friend bool operator==(const PrivateForkAttack&, const PrivateForkAttack&) = default;
};

// §2.3 `equivocation`: from `from`, each block cloud `validator`'s node seals is, with
// `probability`, sealed twice on the same parent (a twin with another transaction set),
// and each of the two goes to one half of its peers.
struct EquivocationAttack {
    std::size_t validator = 0;  // cloud index
    double probability = 1;     // per own sealed block, in [0, 1]
    Time from;
    friend bool operator==(const EquivocationAttack&, const EquivocationAttack&) = default;
};

// The transaction kinds a censorship filter can name: the promo pool's calls
// (state::RequestCall, RedeemCall, TransferCodeCall, RenewCall).
enum class CensoredKind : std::uint8_t { kRequest, kRedeem, kTransfer, kRenew };

// §2.4 `censorship`: the colluding clouds' validators leave every transaction that matches
// the filter out of the blocks they seal (node::NodeConfig::exclude, a miner policy) while
// they seal in [from, to); with relay false they do not relay them then either. The filter:
// signed by one of the senders (none listed: any sender) and of one of `kinds` (none: any
// kind); at least one senders or kinds.
struct CensorshipAttack {
    std::vector<std::size_t> validators;  // cloud indices, sorted, unique, at least one
    std::vector<std::size_t> clouds;      // senders: these clouds' operators (sorted, unique)
    std::vector<std::uint64_t> users;     // senders: these user indices (sorted, unique)
    std::vector<CensoredKind> kinds;      // sorted, unique
    bool relay = true;
    Time from = Time::zero();
    Time to = Time::max();  // Time::max(): to the end of the run
    friend bool operator==(const CensorshipAttack&, const CensorshipAttack&) = default;
};

// §2.6 `governance_capture`: from `from`, the colluding clouds' validators propose, in the
// headers they seal, DROP for cloud `target` (kRemove) or AUTH for an identity they
// control that no notary attested (kAdd; its key "adversary/<name>/identity/<identity>",
// which seals nothing). With honest_counter_votes the other validators propose DROP for
// every signer with no active or pending cloud behind it (NodeConfig::drop_unattested_signers).
struct GovernanceCaptureAttack {
    enum class Goal : std::uint8_t { kRemove, kAdd };
    std::vector<std::size_t> validators;  // cloud indices, sorted, unique, at least one
    Goal goal = Goal::kRemove;
    std::size_t target = 0;  // kRemove: a cloud index, not a colluder
    std::string identity;    // kAdd: the identity's name
    Time from;
    bool honest_counter_votes = false;
    friend bool operator==(const GovernanceCaptureAttack&, const GovernanceCaptureAttack&) = default;
};

// §2.5 `eclipse`: the adversary holds every link of the `victims` during [from, to) and
// relays to them only what `mode` says — kDrop: nothing, either way; kDelay: everything,
// `delay` later, either way; kBranch: the chain of the private_fork adversary named
// `branch` (its colluders publish their withheld branch to the victims; the victims'
// other links carry no block, announcement or transaction either way). adversary/eclipse.hpp.
struct EclipseAttack {
    enum class Mode : std::uint8_t { kDrop, kDelay, kBranch };
    std::vector<net::NodeId> victims;  // sorted, unique, at least one
    Mode mode = Mode::kDrop;
    Duration delay;      // kDelay only, > 0
    std::string branch;  // kBranch only: a private_fork adversary's name
    Time from;
    Time to = Time::max();  // exclusive; Time::max(): the end of the run
    friend bool operator==(const EclipseAttack&, const EclipseAttack&) = default;
};

// One adversary of the run: its unique name (its random stream is `adversary/<name>`,
// its row of the attacks table, the prefix of its metrics) and what it does; the
// alternative held is the kind (adversary/adversaries.hpp dispatches on it). §3 `spam`:
// adversary/spam_config.hpp.
struct AdversaryConfig {
    std::string name;
    std::variant<CloneAttack, SpamConfig, PrivateForkAttack, EquivocationAttack, CensorshipAttack,
                 GovernanceCaptureAttack, EclipseAttack>
        attack;
    friend bool operator==(const AdversaryConfig&, const AdversaryConfig&) = default;
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
    // The `checkpoints:` section (sim/world/checkpoint_config.hpp, docs/checkpoints.md);
    // nullopt: no checkpoints, no mainchain (nothing of them runs or draws).
    std::optional<CheckpointsConfig> checkpoints;
    // Every node started together at time 0, so every connection's first ping is exactly
    // node::NodeConfig::ping_interval after it opened (tests whose premises need the ping
    // phase). Default false: connections of unknown age (NodeConfig::first_connections_aged).
    bool started_together = false;
    // The attacks (sim/world/adversary/), in scenario order: each adds its hosts and its
    // workload (after the users and clouds, in this order).
    std::vector<AdversaryConfig> adversaries;
    // Honest joins and leaves (GovernanceEvent), in time order; empty: the genesis set only.
    std::vector<GovernanceEvent> events;
};

}  // namespace cl::sim::world
