// The bounds the loader puts on scenario values whose size drives a run's memory or time,
// or that the results format cannot hold (docs/scenarios.md "Limits" cites each one).
//
// The contract: what `cloudledger check` accepts, `cloudledger run` can finish — no value
// is let through that makes the run abort (a name too long for the results), simulate for
// ever or grow memory without bound (a sample every nanosecond). Each bound is here once,
// by the key it bounds, with the reason; the loader's messages quote the reason.
//
// The bounds on products (samples = duration / sample_interval, and so on) are checked
// after every key is read, on the values the run will use, defaults included.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/input/text_file.hpp"

namespace cl::sim::scenario {

// ---- the file itself -----------------------------------------------------------------------

// Bytes of a scenario file, a regions file (network.regions.file) or a --set value. A
// scenario is a few kilobytes; this stops `check /dev/zero` reading for ever. The cap of
// every text input file (sim/input/text_file.hpp), topology files included.
inline constexpr std::size_t kMaxInputBytes = input::kMaxTextFileBytes;

// Nodes of the YAML tree once aliases are expanded: copies of anchored nodes could
// otherwise grow exponentially ("billion laughs").
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;

// ---- top level ---------------------------------------------------------------------------

// `name`: bytes. It names the run's group in the results file (/runs/<name>-seed<S>-rep<R>)
// and is printed in reports; HDF5 group names may not hold '/' and the loader also refuses
// control characters and invalid UTF-8.
inline constexpr std::size_t kMaxScenarioNameBytes = 128;

// `replications`: each is a whole run, one after the other, and `check` builds the
// topology of every one of them.
inline constexpr std::uint64_t kMaxReplications = 10'000;

// `duration` / `consensus.period`: blocks one run may seal. The run keeps every block, its
// row and its per-node arrival times until the results are written.
inline constexpr std::uint64_t kMaxBlocks = 1'000'000;

// ---- network ---------------------------------------------------------------------------------

// `network.full_nodes` (also the full nodes a `file` topology implies).
inline constexpr std::uint64_t kMaxFullNodes = 1'000'000;

// `network.topology`: links the topology is expected to have (regions: nodes x degree
// dials; random_regular and watts_strogatz: nodes x degree / 2; barabasi_albert:
// nodes x degree; erdos_renyi: p x n(n-1)/2; complete: n(n-1)/2; ring: n). Each link
// holds its own latency, bandwidth queue and loss stream, and every message is relayed
// over the links of each node.
inline constexpr std::uint64_t kMaxLinks = 10'000'000;

// blocks x nodes: a run records when each node received each block and each node holds its
// view of every block. Measured: about 0.7 KB of memory per pair (the default scenario,
// 1,440 blocks x 210 nodes, peaks near 200 MiB), so this is some 70 GB at most.
inline constexpr std::uint64_t kMaxBlockNodePairs = 100'000'000;

// ---- clouds ------------------------------------------------------------------------------

// `clouds`: one validator (Clique signer) each. The results store a cloud as a 16-bit
// index (RedemptionRow::cloud), and every block's signer snapshot lists all of them.
inline constexpr std::size_t kMaxClouds = 1'000;

// ---- pool ----------------------------------------------------------------------------------

// `pool.tiers`: the results keep one pool-remaining column per tier inline in each sample
// row (analysis::kMaxTiers; app/results_mapping.cpp asserts the two agree).
inline constexpr std::size_t kMaxTiers = 8;

// `pool.tiers[].name`: bytes. The summary metric `pool_utilisation_<tier>` is stored in a
// 64-byte name (analysis::SummaryEntry::name): 64 - 17 bytes of the prefix = 47
// (app/results_mapping.cpp asserts it).
inline constexpr std::size_t kMaxTierNameBytes = 47;

// ---- workload ------------------------------------------------------------------------------

// `workload.users.arrival_rate` x `duration`: expected new users of one run. Every user is a
// key pair, a record and signed transactions that every node verifies and relays.
inline constexpr std::uint64_t kMaxExpectedUsers = 10'000'000;
// expected users x requests per user: a refused user asks again up to
// `users.rerequest.max_attempts` times, at most about once per `users.rerequest.delay`
// (so per user: min(max_attempts, 1 + duration / delay); with a zero delay, max_attempts).
inline constexpr std::uint64_t kMaxExpectedRequests = 100'000'000;
// expected users x nodes: each user's transactions are relayed to, verified and pooled by
// every node (the default scenario: 4,320 x 210; this is some 1,000 times that).
inline constexpr std::uint64_t kMaxUserNodePairs = 1'000'000'000;

// ---- adversaries -------------------------------------------------------------------------------

// `adversaries`: attack instances of one run (each is planned and checked on its own).
inline constexpr std::size_t kMaxAdversaries = 100;
// An adversary's name: it prefixes its summary metrics (attack.<name>.<figure>, at most 64
// bytes with the longest figure name, 26 bytes) and names its random stream.
inline constexpr std::size_t kMaxAdversaryNameBytes = 24;

// ---- faults ----------------------------------------------------------------------------------

// `faults`: scheduled faults of one run.
inline constexpr std::size_t kMaxFaults = 10'000;
// Node selectors in one partition (all groups) or link_loss: the loader compares every
// pair of a partition's selectors for overlap.
inline constexpr std::size_t kMaxSelectorsPerFault = 1'000;

// ---- outputs -----------------------------------------------------------------------------

// `duration` / `outputs.sample_interval`: rows of the sampled time series. Each sample
// visits every node; the rows stay in memory until the results are written.
inline constexpr std::uint64_t kMaxSamples = 1'000'000;
// samples x nodes: the node visits of all samples.
inline constexpr std::uint64_t kMaxSampleNodeVisits = 10'000'000'000;

}  // namespace cl::sim::scenario
