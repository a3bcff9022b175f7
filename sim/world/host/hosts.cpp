#include "sim/world/host/hosts.hpp"

#include <algorithm>
#include <variant>

#include "protocol/core/assert.hpp"

namespace cl::sim::world {

Hosts::Hosts(Simulator& sim, const CpuCosts& cpu, std::uint64_t genesis_time, Duration duration)
    : sim_(sim), cpu_(cpu), genesis_(std::chrono::seconds(genesis_time)), end_(Time::zero() + duration) {}

void Hosts::add(std::unique_ptr<Host> host) {
    CL_ASSERT(network_ == nullptr);
    slots_.push_back(Slot{std::move(host), Time::zero(), true, Duration::zero(), Traffic{}});
}

void Hosts::connect(net::Network& network, Observer& observer) {
    network_ = &network;
    observer_ = &observer;
    hints_.reserve(slots_.size());
    for (const Slot& s : slots_) hints_.push_back(s.host->cache_hints());
}

void Hosts::start(net::NodeId n) { apply(n, slots_[n].host->start(node_time())); }

void Hosts::crash(net::NodeId n) { slots_[n].up = false; }

void Hosts::restart(net::NodeId n) {
    slots_[n].up = true;
    slots_[n].busy_until = sim_.now();
    apply(n, slots_[n].host->start(node_time()));
}

void Hosts::submit(net::NodeId n, const node::TxRef& tx) {
    CL_ASSERT(slots_[n].up);
    apply(n, slots_[n].host->on_local_tx(node_time(), tx));
}

bool Hosts::submit_raw(net::NodeId n, Transaction tx) {
    CL_ASSERT(slots_[n].up);
    auto recovered = recover_transaction(std::move(tx));
    if (recovered) {
        submit(n, std::make_shared<const RecoveredTransaction>(std::move(*recovered)));
        return true;
    }
    node::Effects checked;
    checked.work.txs_admitted = 1;
    apply(n, std::move(checked));
    return false;
}

void Hosts::command(net::NodeId n, std::uint64_t command) {
    if (!slots_[n].up || !within_run()) return;
    apply(n, slots_[n].host->on_command(node_time(), command));
}

void Hosts::set_final_checkpoint(net::NodeId n, const checkpoint::FinalCheckpoint& final) {
    CL_ASSERT(slots_[n].up);
    apply(n, slots_[n].host->on_final_checkpoint(node_time(), final));
}

void Hosts::on_deliver(const net::Delivery& d) noexcept {
    if (d.type >= node::kMessageKindCount) {
        if (extra_ != nullptr) extra_->on_deliver(d);
        return;
    }
    const Handle h = handle(d);
    Slot& s = slots_[d.to];
    if (!s.up || !within_run()) {
        unref(h);
        return;
    }
    ++s.traffic.messages_received;
    s.traffic.bytes_received += d.size;
    // The message is read where it lies (the pool never moves it) and let go once the
    // host has handled it, before its effects are sent (which acquire pool entries).
    // d.to_index is the sender's position among the receiver's neighbours, which World
    // makes the node's peer order (node::Node checks it: it finds the peer by id if not).
    static_assert(net::Delivery::kNoIndex == node::Send::kUnknownPeerIndex);
    node::Effects effects = s.host->on_message(node_time(), d.from, in_flight_[h].message, d.to_index);
    unref(h);
    apply(d.to, std::move(effects));
}

void Hosts::prefetch(net::MessageType type, net::NodeId to, std::uint32_t to_index,
                     std::uint64_t payload) const noexcept {
    if (type >= node::kMessageKindCount || to >= hints_.size()) return;
    __builtin_prefetch(&slots_[to]);
    __builtin_prefetch(&in_flight_[static_cast<Handle>(payload)]);
    const Host::CacheHints& h = hints_[to];
    __builtin_prefetch(h.object);
    __builtin_prefetch(h.state);
    if (to_index < h.peer_count)
        __builtin_prefetch(static_cast<const char*>(h.peers) + std::size_t{to_index} * h.peer_stride);
}

void Hosts::on_drop(const net::Delivery& d, net::DropReason reason) noexcept {
    if (d.type >= node::kMessageKindCount) {
        if (extra_ != nullptr) extra_->on_drop(d, reason);
        return;
    }
    unref(handle(d));  // the payload is freed now if no other delivery shares it
}

void Hosts::apply(net::NodeId n, node::Effects&& effects) {
    // Empty effects (a duplicate transaction: most deliveries) cost nothing and change
    // nothing: busy_until may lag behind now, as only max(now, busy_until) is ever read.
    if (effects.empty()) return;
    Slot& s = slots_[n];
    const Duration cost = cpu_.verify_header * effects.work.headers_verified +
                          cpu_.execute_tx * effects.work.txs_executed +
                          cpu_.admit_tx * effects.work.txs_admitted;
    const Time finish = std::max(sim_.now(), s.busy_until) + cost;
    s.busy_until = finish;
    s.cpu += cost;
    if (finish >= end_) return;
    if (!effects.events.empty()) observer_->on_effects(n, effects, finish);
    for (const node::Timer& t : effects.timers) {
        const Time at = std::max(finish, Time::from_nanos((t.at - genesis_).count()));
        sim_.schedule_at(at, [this, n, token = t.token]() noexcept {
            if (slots_[n].up && within_run()) apply(n, slots_[n].host->on_timer(node_time(), token));
        });
    }
    if (effects.sends.empty()) return;
    if (finish == sim_.now()) {
        send_all(n, effects.sends);
        return;
    }
    const auto slot = pending_sends_.acquire(std::move(effects.sends));
    sim_.schedule_at(finish, [this, n, slot]() noexcept {
        if (slots_[n].up) send_all(n, pending_sends_[slot]);  // acquires nothing in pending_sends_
        pending_sends_.release(slot);
    });
}

namespace {
// Whether two messages carry the same payload, so that one in-flight entry can stand for
// both (the kinds a node sends to many peers at once; others are never shared). Only a
// test of identity: the shared objects are immutable (BlockRef, TxRef).
bool same_payload(const node::Message& a, const node::Message& b) {
    if (a.index() != b.index()) return false;
    if (const auto* t = std::get_if<node::TransactionsMsg>(&a))
        return t->tx == std::get<node::TransactionsMsg>(b).tx;
    if (const auto* x = std::get_if<node::NewBlockMsg>(&a)) {
        const auto& y = std::get<node::NewBlockMsg>(b);
        return x->block == y.block && x->total_difficulty == y.total_difficulty;
    }
    if (const auto* x = std::get_if<node::NewBlockHashesMsg>(&a)) {
        const auto& y = std::get<node::NewBlockHashesMsg>(b);
        return x->hash == y.hash && x->number == y.number;
    }
    return false;
}
}  // namespace

void Hosts::send_all(net::NodeId from, std::vector<node::Send>& sends) {
    Traffic& traffic = slots_[from].traffic;
    constexpr Handle kNone = 0xffffffffU;
    Handle slot = kNone;  // the entry of the payload being sent; send_all holds one ref on it
    net::MessageType type = 0;
    std::uint32_t size = 0;
    for (node::Send& s : sends) {
        if (slot == kNone || !same_payload(in_flight_[slot].message, s.message)) {
            if (slot != kNone) unref(slot);
            type = static_cast<net::MessageType>(node::kind_of(s.message));
            size = static_cast<std::uint32_t>(node::wire_size(s.message));
            slot = in_flight_.acquire(InFlight{std::move(s.message), 1});
        }
        ++in_flight_[slot].refs;  // before send(): a drop at send time lets it go at once
        ++traffic.messages_sent;
        traffic.bytes_sent += size;
        // Node peers are the topology's neighbours in order (World), so the node's peer
        // index is the half-edge's position; the network checks it.
        (void)network_->send(from, s.to, type, size, slot, s.peer_index);  // a drop is reported to on_drop
    }
    if (slot != kNone) unref(slot);
}

}  // namespace cl::sim::world
