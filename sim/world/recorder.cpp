#include "sim/world/recorder.hpp"

#include <algorithm>

#include "sim/world/faults.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/reference_chain.hpp"

namespace cl::sim::world {

void Recorder::on_event(net::NodeId n, const node::MetricEvent& event, Time finish) {
    if (const auto* sealed = std::get_if<node::BlockSealed>(&event)) {
        const node::Block& b = *sealed->block;
        block_index_.emplace(b.hash, results_.blocks.size());
        BlockRecord r;
        r.hash = b.hash;
        r.parent = b.header.parent_hash;
        r.number = b.header.number;
        r.signer = b.sealer.value_or(Address{});
        r.in_turn = sealed->in_turn;
        r.sealed = finish;
        r.tx_count = static_cast<std::uint32_t>(b.txs.size());
        r.size = static_cast<std::uint32_t>(b.encoded_size);
        r.online = online_at(config_, nodes_, finish);
        // At most one arrival per node online now (the sealer's own import is none):
        // reserved once, so each block's arrivals take 8 bytes per node, not up to 16
        // (capacity doubling; 16,384 slots for 10,000 nodes) plus the freed smaller buffers.
        r.arrivals.reserve(r.online);
        results_.blocks.push_back(std::move(r));
    } else if (const auto* imported = std::get_if<node::BlockImported>(&event)) {
        if (auto it = block_index_.find(imported->block->hash); it != block_index_.end()) {
            BlockRecord& r = results_.blocks[it->second];
            if (was_online(config_, n, r.sealed)) {
                r.arrivals.push_back(finish - r.sealed);
            } else {
                ++r.late_arrivals;
            }
        }
        if (imported->reorg_depth > 0) {
            results_.reorgs.push_back(
                ReorgRecord{n, finish, imported->reorg_depth, imported->old_head, imported->block->hash});
        }
    }
}

std::optional<Time> Recorder::sealed_at(const Hash32& block) const {
    auto it = block_index_.find(block);
    if (it == block_index_.end()) return std::nullopt;
    return results_.blocks[it->second].sealed;
}

void Recorder::mark_canonical(const Hash32& block) {
    if (auto it = block_index_.find(block); it != block_index_.end())
        results_.blocks[it->second].canonical = true;
}

void Recorder::finish(const Hosts& hosts, const net::Network& network, const ReferenceChain& reference) {
    for (std::size_t t = 0; t < node::kMessageKindCount; ++t) {
        const net::TypeCounters& c = network.counters(static_cast<net::MessageType>(t));
        results_.network.push_back(MessageCounters{node::name(static_cast<node::MessageKind>(t)),
                                                   c.sent_messages, c.sent_bytes, c.dropped_messages});
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const Hosts::Traffic& t = hosts.traffic(static_cast<net::NodeId>(i));
        results_.node_counters.push_back(NodeCounters{t.messages_sent, t.bytes_sent, t.messages_received,
                                                      t.bytes_received,
                                                      hosts.cpu_time(static_cast<net::NodeId>(i))});
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        results_.final_heads.push_back(reference.end_head(i).hash);
        results_.final_numbers.push_back(reference.end_head(i).header.number);
    }
    const std::uint64_t lowest =
        *std::min_element(results_.final_numbers.begin(), results_.final_numbers.end());
    results_.check_height = lowest > 3 ? lowest - 3 : 0;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        results_.hashes_at_check.push_back(hosts.node(static_cast<net::NodeId>(i))
                                               .chain()
                                               .tree()
                                               .canonical_hash(results_.check_height)
                                               .value());
    }
    for (std::size_t i = 0; i < hosts.size(); ++i)
        results_.fork_choices.push_back(hosts.node(static_cast<net::NodeId>(i)).chain().config().fork_choice);
}

}  // namespace cl::sim::world
