// The hosts of a world and the one place that runs them (DESIGN.md §3): it delivers
// inputs, applies the CPU model and releases effects, for every kind of Host.
//
// CPU model: a host handles each input when it arrives (its protocol state changes then)
// but the input's outputs — messages and timers — leave only when the host's single CPU
// has finished this input and every earlier one: finish = max(now, busy_until) + cost,
// cost from the configured CpuCosts and the input's node::Work. Effects the CPU finishes
// at or after the end of the run do not happen within it: nothing of them is observed,
// sent or scheduled. Messages in flight and sends waiting for their CPU are kept in
// net::HandlePool slabs, so steady-state traffic allocates nothing (DESIGN.md §5); one
// input's consecutive sends of the same payload (a relay to every peer) share one entry.
//
// The metric events of released effects go to one Observer (the world), at `finish`.
// Thread-safety: none (one world, one thread).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "protocol/node/node.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/net/network.hpp"
#include "sim/net/pool.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/host.hpp"

namespace cl::sim::world {

class Hosts final : public net::DeliveryHandler {
  public:
    // Sees the metric events of every input's effects when the host's CPU releases them.
    class Observer {
      public:
        virtual void on_effects(net::NodeId n, const node::Effects& effects, Time finish) = 0;

      protected:
        ~Observer() = default;
    };

    // `duration`: the run is [0, duration) (docs/metrics.md "The end of the run"): a
    // host handles no input at or after its end.
    Hosts(Simulator& sim, const CpuCosts& cpu, std::uint64_t genesis_time, Duration duration);

    // Host i is node i. REQUIRES: before connect().
    void add(std::unique_ptr<Host> host);
    // REQUIRES: every host added; `network` delivers to *this; both outlive the hosts' run.
    void connect(net::Network& network, Observer& observer);

    std::size_t size() const { return slots_.size(); }
    const node::Node& node(net::NodeId n) const { return slots_[n].host->node(); }
    bool withholding(net::NodeId n) const { return slots_[n].host->withholding(); }  // Host::withholding
    bool up(net::NodeId n) const { return slots_[n].up; }

    // The hosts' wall clock now: genesis_time + simulated time, ns since the Unix epoch.
    node::Nanos node_time() const { return genesis_ + std::chrono::nanoseconds(sim_.now().nanos()); }
    Time end_of_run() const { return end_; }
    bool within_run() const { return sim_.now() < end_; }

    void start(net::NodeId n);    // at time 0
    void crash(net::NodeId n);    // drops every input from now on
    void restart(net::NodeId n);  // up again, CPU idle, start() with its stored state
    // A local client submits `tx` to host n. REQUIRES: up(n).
    void submit(net::NodeId n, const node::TxRef& tx);
    // A local client submits the raw transaction `tx` to host n, which recovers its sender
    // first (DESIGN.md §5: the recovery is pure work computed here once; its cost is the
    // admit_tx the node's CPU is charged for every transaction it checks). A transaction
    // whose signature does not recover is dropped there — admit_tx charged, nothing
    // relayed, nothing pooled (geth's ErrInvalidSender) — and submit_raw returns false;
    // one that does goes on as submit(). REQUIRES: up(n).
    bool submit_raw(net::NodeId n, Transaction tx);

    // Host n learns the latest final checkpoint (Host::on_final_checkpoint). REQUIRES: up(n).
    void set_final_checkpoint(net::NodeId n, const checkpoint::FinalCheckpoint& final);
    // Messages of types >= node::kMessageKindCount (not node::Message: the checkpoint votes of
    // sim/world/checkpoints.hpp) are passed to `handler`, which owns their payloads.
    void set_extra_handler(net::DeliveryHandler* handler) { extra_ = handler; }
    net::Network& network() { return *network_; }

    // The simulated CPU time host n has been charged so far (the sum of every input's cost,
    // whether or not its effects fell within the run).
    Duration cpu_time(net::NodeId n) const { return slots_[n].cpu; }
    // Messages host n handed to the network (every send(), dropped ones included) and
    // those delivered to it while it was up, with their wire bytes.
    struct Traffic {
        std::uint64_t messages_sent = 0, bytes_sent = 0;
        std::uint64_t messages_received = 0, bytes_received = 0;
    };
    const Traffic& traffic(net::NodeId n) const { return slots_[n].traffic; }
    // node::Message payloads held for messages in flight (one per payload, however many
    // deliveries share it).
    std::size_t messages_in_flight() const { return in_flight_.live(); }
    // The operator of host n sends it `command` (Host::on_command). Nothing when n is down.
    void command(net::NodeId n, std::uint64_t command);

    void on_deliver(const net::Delivery& d) noexcept override;
    void on_drop(const net::Delivery& d, net::DropReason) noexcept override;
    // The delivery next in line: prefetches the receiver's slot, the payload and the lines
    // its host named (Host::cache_hints), so they load while the event before runs.
    void prefetch(net::MessageType type, net::NodeId to, std::uint32_t to_index,
                  std::uint64_t payload) const noexcept override;

  private:
    struct Slot {
        std::unique_ptr<Host> host;
        Time busy_until;
        bool up = true;
        Duration cpu;  // charged so far (cpu_time)
        Traffic traffic;
    };
    // A message in flight, shared by the consecutive sends of one input that carry the
    // same payload (a transaction relayed to every peer is stored once, not once per
    // peer): `refs` counts its deliveries and drops still to come, plus one while
    // send_all() is still sending it.
    struct InFlight {
        node::Message message;
        std::uint32_t refs = 0;
    };
    using Handle = net::HandlePool<InFlight>::Handle;
    static Handle handle(const net::Delivery& d) { return static_cast<Handle>(d.payload); }
    void unref(Handle h) {
        if (--in_flight_[h].refs == 0) in_flight_.release(h);
    }
    void apply(net::NodeId n, node::Effects&& effects);
    void send_all(net::NodeId from, std::vector<node::Send>& sends);

    Simulator& sim_;
    CpuCosts cpu_;
    node::Nanos genesis_;
    Time end_;
    net::Network* network_ = nullptr;
    Observer* observer_ = nullptr;
    net::DeliveryHandler* extra_ = nullptr;
    std::vector<Slot> slots_;
    std::vector<Host::CacheHints> hints_;                     // per host, from connect()
    net::HandlePool<InFlight> in_flight_;                     // by Delivery::payload
    net::HandlePool<std::vector<node::Send>> pending_sends_;  // waiting for their host's CPU
};

}  // namespace cl::sim::world
