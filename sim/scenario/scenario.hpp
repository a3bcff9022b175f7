// A scenario: the typed, validated description of one simulation run (DESIGN.md §2
// sim/scenario, docs/scenarios.md). The YAML loader (loader.hpp) is the only way to make
// one from a file; every field below is documented there with its key, unit and default.
//
// Invariants of a Scenario returned by load_scenario() (the world builder may rely on
// them without re-checking):
//   - at least one cloud; cloud names unique; every cloud's region is one of
//     network.regions.names; quotas has one entry per pool tier;
//   - node numbering: validators are nodes [0, clouds.size()) in cloud order, full nodes
//     follow: node_count() = clouds.size() + network.full_nodes;
//   - durations are exact integer nanoseconds; every duration that is a time of the run
//     (fault times) lies in [0, duration];
//   - every selector names an existing cloud, region or node index;
//   - consensus.clients entries do not overlap as far as the scenario alone tells (what
//     depends on node placement is checked by sim/world check_world());
//   - tier_mix and per_tier_ttl are indexed like pool.tiers; probabilities are in [0, 1].
// A default-constructed Scenario is NOT valid (it has no clouds); use the loader.
//
// One set of config types: where the protocol or the world has a config struct, the
// scenario holds it as it is (clique::Config, state::PoolConfig with its TtlConfig,
// txpool::Config, world::CpuCosts, world::UserWorkload, world::CloudWorkload), with the
// defaults written there; what only a scenario has (names, regions as written,
// selectors, source positions, arrivals per region) is declared here.
//
// Plain value types: copyable, no shared state, thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/clique/config.hpp"
#include "protocol/state/config.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/kernel/time.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/config.hpp"

namespace cl::sim::scenario {

// ---- network ----------------------------------------------------------------------------

// The topology kinds are sim/net's (generators.hpp): every generator and `file`.
using TopologyKind = net::TopologyKind;
using net::to_string;

struct TopologySpec {
    TopologyKind kind = TopologyKind::kRegions;
    std::size_t degree = 8;    // d (regions, random_regular), m (barabasi_albert), k (watts_strogatz)
    double probability = 0.1;  // p (erdos_renyi), beta (watts_strogatz)
    std::string file;          // kFile: path, resolved against the scenario file's directory
};

struct RegionsSpec {
    std::string file;  // empty: the embedded data/regions.yaml
    std::string dataset = "ibm_cloud_2024_03";
    std::vector<std::string> names;  // the dataset's regions (filled by the loader)
};

struct NetworkSpec {
    TopologySpec topology;
    RegionsSpec regions;
    std::size_t full_nodes = 200;
    std::uint64_t upload_bps = 100'000'000;             // per node; 0 = unlimited
    std::optional<std::uint64_t> validator_upload_bps;  // nullopt: upload_bps
    Duration link_latency = millis(50);                 // one-way, for topologies without geography
    std::uint64_t link_bandwidth_bps = 0;               // cap per link; 0 = none
    net::LatencyModel latency;                          // jitter on top of each link's latency
    double loss = 0.0;
    bool allow_reordering = false;
};

// ---- clouds, consensus, costs -----------------------------------------------------------

// A member cloud: one validator node in `region`, contributing quotas[t] units of tier t.
struct CloudSpec {
    std::string name;
    std::string region;
    std::vector<std::uint64_t> quotas;  // one per pool tier
    // Its validator's fork-choice rule, from `client` (a preset) or `fork_choice`; nullopt:
    // the consensus.clients entry that selects it, else consensus.fork_choice.
    std::optional<clique::ForkChoiceRule> fork_choice;
    // false: a cloud of an `events:` join (sections/events.cpp): not in the genesis, quotas
    // all zero; such clouds follow the `clouds:` list, in the order they join.
    bool genesis = true;
};

// consensus: Clique's own settings (period in whole seconds, >= 1 in a scenario).
using ConsensusSpec = clique::Config;
// cpu: the world's CPU costs (key verify_tx is CpuCosts::admit_tx).
using world::CpuCosts;

// ---- pool and txpool --------------------------------------------------------------------

// pool: the ledger's pool rules (state::PoolConfig, its `ttl` the TtlConfig; key
// ttl.policy is TtlConfig::kind, ttl.per_tier fills per_tier_blocks, one per tier) and the
// tiers and quotas a scenario gives the genesis.
struct PoolSpec : state::PoolConfig {
    std::vector<state::Tier> tiers;      // the loader fills the three default tiers when absent
    std::uint64_t default_quota = 1000;  // quota of a tier a cloud does not list
};

// The largest txpool.stamp_bits a scenario with users may set: simulated users compute
// real stamps (txpool::find_stamp, 2^bits Keccak-256 hashes expected per request, ≈ 0.5 µs
// each on the machine running the simulation), so 24 bits already cost seconds per request.
inline constexpr std::uint64_t kMaxUserStampBits = 24;

// txpool: node policy (docs/txpool.md), txpool::Config as written (keys burst and refill
// make its rate_limit: off when either is off; chain_id is left off, the world sets it;
// max_txs_per_block is the key's value, the world caps it by pool.max_txs_per_block).
using TxpoolSpec = txpool::Config;

// ---- workload ---------------------------------------------------------------------------

struct RegionRate {
    std::string region;
    Rate rate;
};

// Arrivals of new users as written (workload.users.arrival_rate, region_weights), a
// Poisson process per region. Either `per_region` is non-empty (explicit rates), or
// `total` is split by `region_weights` (one weight per entry of network.regions.names; all
// equal by default). world_config() turns them into UserWorkload::requests_per_second and
// region_weights (arrival_rates_per_second()).
struct UserArrivals {
    Rate total = Rate{1, seconds(1)};  // world::UserWorkload::requests_per_second's default
    std::vector<double> region_weights;
    std::vector<RegionRate> per_region;
};

using world::CloudWorkload;
using world::UserWorkload;

// workload: what users and clouds do. `users` is the world's UserWorkload as the keys
// set it (tier_mix one weight per tier; requests_per_second and region_weights unused:
// see `arrivals`).
struct WorkloadSpec {
    UserArrivals arrivals;
    UserWorkload users;
    CloudWorkload clouds;
};

// ---- faults -----------------------------------------------------------------------------

// Where a value is written, for errors found only after loading (when selectors are
// resolved against the built topology). line 0: unknown (a Scenario built in code).
struct SourcePos {
    bool from_set = false;  // in a --set override (line = the override's number)
    std::size_t line = 0;   // 1-based
    std::size_t column = 0;
};

// `validator:NAME`, `validator:*`, `full:N`, `full:A-B`, `full:*`, `region:NAME`, `node:N`,
// `node:A-B` (docs/scenarios.md "Node selectors"). Ranges are inclusive.
struct NodeSelector {
    enum class Kind : std::uint8_t { kValidator, kAllValidators, kFull, kAllFull, kRegion, kNode };
    Kind kind = Kind::kAllValidators;
    std::string name;         // kValidator: cloud; kRegion: region
    std::uint64_t first = 0;  // kFull, kNode
    std::uint64_t last = 0;
    std::string text;  // as written
    SourcePos pos;     // where
};

struct CrashFault {
    NodeSelector node;
    Time at;
    std::optional<Time> restart_at;  // nullopt: stays down
};

struct PartitionFault {
    std::vector<std::vector<NodeSelector>> groups;
    Time from;
    Time to;  // exclusive; the end of the run when not given
};

struct LinkLossFault {
    NodeSelector a;
    NodeSelector b;
    double loss = 1.0;  // per message on every link between a node of a and one of b
    Time from;
    Time to;
};

// consensus.clients[i]: the nodes its selectors pick (any overlap allowed within one
// entry, none between entries) run `fork_choice`, from a client preset or a rule
// (docs/scenarios.md "Clients").
struct ClientAssignment {
    std::vector<NodeSelector> nodes;
    bool nodes_listed = false;  // `nodes` was written as a list (keys nodes[k]), not one selector
    clique::ForkChoiceRule fork_choice = clique::ForkChoiceRule::kEip3436;
    SourcePos pos;  // of the entry's mapping
};

struct FaultSpec {
    enum class Kind : std::uint8_t { kCrash, kPartition, kLinkLoss };
    Kind kind = Kind::kCrash;
    CrashFault crash;
    PartitionFault partition;
    LinkLossFault link_loss;
    SourcePos pos;  // of the fault's mapping
};

// ---- adversaries (shared/spec/adversaries.md; docs/attacks.md) ---------------------------
// One file per kind reads its keys (sections/adversary_<kind>.cpp); world_config() turns
// each into the world's AdversaryConfig (sim/world/config.hpp), resolving what needs the
// topology.

// `kind: clone` (§2.1): the cloud whose validator key runs twice, the split of the other
// validators, the full node running the second instance, and the trigger and cut.
struct CloneSpec {
    std::string validator;                      // a cloud name
    std::uint32_t next_in_turn = 0;             // split: {next_in_turn: m}; 0: the lists below
    std::vector<std::string> attacker, victim;  // split: {attacker: [...], victim: [...]}
    std::optional<std::uint64_t> clone_node;    // `full:N`: full node N; none: chosen by the world
    Time from;                                  // start looking for the trigger
    Duration duration = seconds(25);            // the adversary-made partition
};

// `kind: spam` (§3; docs/attacks.md "Spam"): the world's configuration (its `entry` left
// empty) and the entry selectors, which world_config() resolves against the topology.
struct SpamSpec {
    world::SpamConfig config;
    std::vector<NodeSelector> entry;
};

// `kind: private_fork` (§2.2): the colluding clouds, when they start withholding, and the
// release policy.
struct PrivateForkSpec {
    std::vector<std::string> validators;  // cloud names, unique, not all the clouds
    Time from;
    world::PrivateForkAttack::Release release = world::PrivateForkAttack::Release::kWhenHeavier;
    Time release_at;  // release: {at: T}
};

// `kind: equivocation` (§2.3): the validator that seals twice, how often, from when.
struct EquivocationSpec {
    std::string validator;   // a cloud name
    double probability = 1;  // per block it seals
    Time from;
};

// `kind: censorship` (§2.4): the censoring validators, the filtered senders (clouds'
// operators, user indices) and whether the censors relay what they filter.
struct CensorshipSpec {
    std::vector<std::string> validators;     // cloud names, unique
    std::vector<std::string> clouds;         // senders `cloud:NAME`, unique
    std::vector<std::uint64_t> users;        // senders `user:N` / `user:N-M`, sorted, unique
    std::vector<world::CensoredKind> kinds;  // `kinds`, sorted, unique (empty: any kind)
    bool relay = true;
    Time from = Time::zero();
    std::optional<Time> to;  // none: the end of the run
};

// `kind: governance_capture` (§2.6): the colluding clouds, the goal (remove a cloud, or
// add an identity of theirs), from when, and whether honest validators counter-vote.
struct GovernanceCaptureSpec {
    std::vector<std::string> validators;  // cloud names, unique
    world::GovernanceCaptureAttack::Goal goal = world::GovernanceCaptureAttack::Goal::kRemove;
    std::string target;  // goal remove: a cloud name; goal add: the identity's name
    Time from;
    bool honest_counter_votes = false;
};

// One item of the top-level `events:` list (sections/events.cpp; docs/scenarios.md
// "`events`"): a cloud joins (its CloudSpec, genesis false, is in `clouds`) or leaves.
struct EventSpec {
    world::GovernanceEvent::Kind kind = world::GovernanceEvent::Kind::kJoin;
    std::string cloud;
    Time at;
    SourcePos pos;  // of the item's mapping
};

// `kind: eclipse` (§2.5): the victims (node selectors), what the adversary relays to them
// (drop | {delay: D} | {branch: NAME}, NAME a private_fork adversary listed earlier) and the
// window [from, to).
struct EclipseSpec {
    std::vector<NodeSelector> victims;
    world::EclipseAttack::Mode mode = world::EclipseAttack::Mode::kDrop;
    Duration delay;      // {delay: D}: > 0
    std::string branch;  // {branch: NAME}
    Time from;
    std::optional<Time> to;  // none: the end of the run
};

// One item of the top-level `adversaries:` list: a unique name (its random stream
// `adversary/<name>`, its row of the attacks table, the prefix of its summary metrics) and
// the kind's keys; the alternative held is the kind.
struct AdversarySpec {
    std::string name;
    std::variant<CloneSpec, SpamSpec, PrivateForkSpec, EquivocationSpec, CensorshipSpec,
                 GovernanceCaptureSpec, EclipseSpec>
        attack;
    SourcePos pos;  // of the item's mapping
};

struct OutputSpec {
    // Relative to the working directory (like `run -o`), not to the scenario file: the
    // results go where the program runs, wherever the scenario lives (docs/scenarios.md).
    std::string file = "results.h5";
    SourcePos file_pos;  // where `file` was written; line 0 when defaulted
    Duration sample_interval = seconds(30);
};

// One override from the command line: `--set path=value` (docs/scenarios.md "--set").
struct Override {
    std::string path;
    std::string value;
    friend bool operator==(const Override&, const Override&) = default;
};

struct Scenario {
    std::string name;
    std::uint64_t seed = 1;
    std::uint64_t replications = 1;
    Duration duration = hours(1);
    NetworkSpec network;
    std::vector<CloudSpec> clouds;
    ConsensusSpec consensus;
    std::vector<ClientAssignment> clients;  // consensus.clients
    CpuCosts cpu;
    PoolSpec pool;
    TxpoolSpec txpool;
    WorkloadSpec workload;
    std::vector<FaultSpec> faults;
    std::vector<AdversarySpec> adversaries;
    std::vector<EventSpec> events;  // in time order
    // `checkpoints:` (sections/checkpoints.cpp; docs/checkpoints.md); nullopt: off.
    std::optional<world::CheckpointsConfig> checkpoints;
    OutputSpec outputs;

    // Provenance (DESIGN.md §6): what the scenario was made from.
    std::string source_file;
    std::string source_text;
    std::vector<Override> overrides;

    std::size_t node_count() const { return clouds.size() + network.full_nodes; }
};

// consensus.period as a duration.
inline Duration block_period(const Scenario& s) {
    return seconds(static_cast<std::int64_t>(s.consensus.period));
}

// ---- conversions to the engines' configurations ------------------------------------------

// The txpool policy a node runs: txpool as written, with the sealer's select() cap
// min(txpool.max_txs_per_block, pool.max_txs_per_block), so that a sealer never builds a
// block the pool rule would reject. chain_id as written (the builder sets it).
txpool::Config node_txpool_config(const Scenario& s);
// NetworkConfig for sim/net (upload_bps, latency, loss, reordering).
net::NetworkConfig to_network_config(const Scenario& s);
// Arrival rate of new users per region, per second, in network.regions.names order
// (zero for regions without users). Edges only: the workload's Poisson draws.
std::vector<double> arrival_rates_per_second(const Scenario& s);

// Parses one selector (syntax only; the loader checks names and indices).
std::optional<NodeSelector> parse_selector(std::string_view text, std::string* error = nullptr);

// Node index of cloud c's validator and of full node i (the numbering above).
inline std::uint32_t validator_node(std::size_t cloud) { return static_cast<std::uint32_t>(cloud); }
inline std::uint32_t full_node(const Scenario& s, std::size_t i) {
    return static_cast<std::uint32_t>(s.clouds.size() + i);
}
// Whether `node` (placed in `node_region`, an index into network.regions.names, or
// SIZE_MAX when unknown) is selected. REQUIRES: node < s.node_count().
bool matches(const NodeSelector& sel, const Scenario& s, std::uint32_t node, std::size_t node_region);

}  // namespace cl::sim::scenario
