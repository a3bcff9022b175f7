// A host: what runs on one node of the simulated network (DESIGN.md §3). The world feeds
// it its inputs — start, a message from a peer, one of its timers, a transaction a local
// client submits — and it answers each with node::Effects (messages, timers, metric
// events, and the work done, which the CPU model charges). Hosts own no time and send
// nothing themselves: sim/world/host/hosts.hpp applies the CPU model and releases the
// effects, for every kind of host alike.
//
// Today's host is HonestNode (honest_node.hpp): protocol::node::Node as written. An
// adversary is another implementation of this interface — e.g. a validator holding its
// real key that runs modified protocol behaviour (a node::Node inside it, effects
// rewritten) — installed with World::Parts::make_host.
//
// Contract: handlers are called in simulated-time order, only while the host is up
// (crashes: sim/world/faults.hpp) and within the run; `now` is the host's wall clock
// (ns since the Unix epoch). A host must be deterministic given its inputs and the
// random stream it was built with. Thread-safety: none (one world, one thread).
#pragma once

#include <cstdint>

#include "protocol/node/node.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::world {

class Host {
  public:
    virtual ~Host() = default;

    // At time 0, and again when the host restarts after a crash (with its stored state).
    virtual node::Effects start(node::Nanos now) = 0;
    // `peer_index`: the position of `from` among this host's topology neighbours (the
    // network's Delivery::to_index; node::Send::kUnknownPeerIndex when not known). A hint
    // for hosts that keep their peers in that order (node::Node does): it must be checked
    // against `from` before it is trusted.
    virtual node::Effects on_message(node::Nanos now, net::NodeId from, const node::Message& message,
                                     std::uint32_t peer_index) = 0;
    // A timer this host set (node::Timer::token).
    virtual node::Effects on_timer(node::Nanos now, std::uint64_t token) = 0;
    // A transaction a local client (a workload) submits to this host.
    virtual node::Effects on_local_tx(node::Nanos now, const node::TxRef& tx) = 0;
    // A command from whoever runs this host (its operator: an adversary's own control
    // channel, e.g. a clone told to start sealing). Honest hosts take none.
    virtual node::Effects on_command(node::Nanos /*now*/, std::uint64_t /*command*/) { return {}; }
    // checkpoint §4: the latest final checkpoint, as the host read it from the mainchain
    // (sim/world/checkpoints.hpp). Default: ignored (a host that does not apply finality).
    virtual node::Effects on_final_checkpoint(node::Nanos /*now*/,
                                              const checkpoint::FinalCheckpoint& /*final*/) {
        return {};
    }

    // Whether its operator withholds what it seals (a private fork's colluder, spec
    // adversaries.md §2.2): it then publishes no checkpoint vote and submits no checkpoint
    // (sim/world/checkpoints.hpp). Honest hosts never do.
    virtual bool withholding() const { return false; }

    // Where the state on_message touches first lies, for the driver's prefetch of the next
    // delivery (issue 16; sim/world/host/hosts.hpp): addresses stable for the host's
    // lifetime, or null. Hints only. Default: the host object alone.
    struct CacheHints {
        const void* object = nullptr;  // the host itself (its vtable pointer, its members)
        const void* state = nullptr;   // e.g. the node's per-message fields
        const void* peers = nullptr;   // per-peer entries in peer_index order, peer_stride apart
        std::uint32_t peer_stride = 0;
        std::uint32_t peer_count = 0;
    };
    virtual CacheHints cache_hints() const { return CacheHints{this}; }

    // The protocol state others observe: the recorder, the reference chain, sampling, and
    // workloads (a user reads its code, nonce and head on its own node). Read only.
    virtual const node::Node& node() const = 0;
};

}  // namespace cl::sim::world
