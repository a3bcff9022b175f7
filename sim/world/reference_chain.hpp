// The reference chain (docs/metrics.md "Conventions"): the best head under the scenario's
// fork choice among the nodes online at a sample, among all nodes at the end. Inclusion,
// receipts and the final pool state are read on it at the end of the run. A coin flip the
// rule needs comes from the stream "world/reference". Thread-safety: none.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/clique/config.hpp"
#include "protocol/state/ledger.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/recorder.hpp"

namespace cl::sim::world {

class ReferenceChain {
  public:
    ReferenceChain(const Hosts& hosts, const Recorder& recorder, const clique::Config& clique,
                   const RandomStreams& streams)
        : hosts_(hosts), recorder_(recorder), clique_(clique), streams_(streams) {}

    // Node n's head at the end of the run: its head, unless that is a block whose sealing
    // the end cut short (sealed by n, never recorded: Hosts::apply), then that block's
    // parent. Every other block a node has was recorded: it was sealed, and sent, within
    // the run.
    const BlockEntry& end_head(std::size_t n) const;

    // Node n's head as the run sees it now: its head within the run, its end head at the
    // end (so the sample at t = duration shows no block the end cut short).
    const BlockEntry& current_head(std::size_t n) const;

    // The node whose head is the best, under the scenario's fork-choice rule, among the
    // heads of the nodes online now (`online_only`) or, at the end, among the end heads of
    // all nodes; the lowest-numbered such node.
    net::NodeId reference_node(bool online_only);

  private:
    const Hosts& hosts_;
    const Recorder& recorder_;
    const clique::Config& clique_;
    const RandomStreams& streams_;
    std::optional<RandomStream> rng_;  // "world/reference", made at its first use
};

// What is left of each tier's capacity in `state`.
std::vector<std::uint64_t> pool_remaining(const state::LedgerState& state, std::size_t tiers);

}  // namespace cl::sim::world
