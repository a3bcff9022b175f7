// A workload: an actor of the world that is not a host — users, clouds, and later spam or
// an adversary's senders. Modelled on the FoundationDB simulation's workloads (setup /
// start / check / metrics):
//
//   setup   — the constructor, given the WorldContext (config, simulator, streams, hosts,
//             execution cache); draws nothing and schedules nothing yet.
//   start   — at time 0, after every host started: schedules its first timers. Its
//             timers are its own simulator events (WorldContext::sim), which it may set
//             at any time; it submits transactions through WorldContext::hosts.submit().
//   react   — the outcomes it watches, as nodes report them when their CPU releases an
//             input's effects: a block sealed, a node's canonical chain changed (its
//             head), a txpool refusal. Called for every node; a workload filters.
//             A reaction may record and schedule, but must not feed an input to a host
//             synchronously (the host is in the middle of releasing effects).
//   finish  — at the end of the run: reads its transactions' outcomes on the reference
//             chain (Inclusion), and contributes its tables and summary metrics to
//             WorldResults (record vectors of results.hpp; WorldResults::metrics).
//   check   — optional: what must hold of the results if the run was sound (FDB's
//             check()); failures go to WorldResults::check_failures.
//
// Randomness (DESIGN.md §6): every draw from a stream named after the workload or its
// entities (WorldContext::streams.stream("workload/<name>/...")), in an order fixed by the
// events, never by addresses or unordered iteration. Thread-safety: none.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/node/execution_cache.hpp"
#include "protocol/node/node.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

// What a workload may use. Every reference outlives the workload.
struct WorldContext {
    const WorldConfig& config;
    Simulator& sim;
    const RandomStreams& streams;
    Hosts& hosts;
    const node::ExecutionCache& cache;  // receipts of executed blocks (DESIGN.md §5)
    // The network, for an adversary that controls links (spec adversaries.md §0): it may add
    // partitions and link faults from now on (net::Network::add_partition), nothing else.
    net::Network& network;
};

// A transaction on the reference chain at the end of the run (docs/metrics.md
// "Conventions"), in chain order.
struct Inclusion {
    Hash32 tx;
    std::optional<Time> included;  // the seal time of its block (none: sealed before recording)
    bool success = false;
    state::Reason reason = state::Reason::kNone;  // the receipt's
};

class Workload {
  public:
    virtual ~Workload() = default;

    // Names its streams and its check failures.
    virtual std::string_view name() const = 0;
    virtual void start() = 0;

    virtual void on_block_sealed(net::NodeId /*sealer*/, const node::Block& /*block*/, Time /*at*/) {}
    virtual void on_head_changed(net::NodeId /*node*/, Time /*at*/) {}
    virtual void on_tx_refused(net::NodeId /*node*/, const Hash32& /*tx*/, txpool::Refusal /*reason*/,
                               Time /*at*/) {}

    // A sample of the world is being taken (docs/metrics.md "party_samples"): an adversary
    // appends its party's share (PartySample) to `sample.parties`. Reads only.
    virtual void on_sample(Sample& /*sample*/) {}

    virtual void finish(std::span<const Inclusion> reference_chain, WorldResults& results) = 0;
    // Each failure a sentence; empty: sound.
    virtual std::vector<std::string> check(const WorldResults& /*results*/) const { return {}; }
};

}  // namespace cl::sim::world
