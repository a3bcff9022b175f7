#include "sim/world/workload/confirmations.hpp"

#include "protocol/core/assert.hpp"

namespace cl::sim::world {

std::size_t TxWatcher::watch(const Hash32& tx, net::NodeId node) {
    if (by_node_.empty()) by_node_.resize(hosts_.size());
    const std::size_t id = watches_.size();
    by_tx_[tx] = id;
    by_node_[node].push_back(id);
    watches_.push_back(Watch{tx, false});
    return id;
}

void TxWatcher::on_block_sealed(const node::Block& b) {
    if (by_tx_.empty()) return;
    for (std::size_t t = 0; t < b.txs.size(); ++t) {
        if (by_tx_.contains(b.txs[t]->hash))
            sealed_[b.txs[t]->hash].push_back(Sealed{b.hash, b.header.number, static_cast<std::uint32_t>(t)});
    }
}

std::optional<bool> TxWatcher::final_outcome(const node::Node& node, const Hash32& tx,
                                             std::uint64_t head) const {
    const auto it = sealed_.find(tx);
    if (it == sealed_.end()) return std::nullopt;
    for (const Sealed& s : it->second) {
        if (head < s.number + k_ || node.chain().tree().canonical_hash(s.number) != s.block) continue;
        const node::ExecutionResult* executed = cache_.find(s.block);
        CL_ASSERT(executed && executed->has_value());
        return (*executed)->receipts[s.position].status == state::Status::kSuccess;
    }
    return std::nullopt;
}

void TxWatcher::settle_final(net::NodeId n, std::vector<std::pair<std::size_t, bool>>& settled) {
    if (n >= by_node_.size() || by_node_[n].empty()) return;
    const node::Node& node = hosts_.node(n);
    const std::uint64_t head = node.head().header.number;
    std::vector<std::size_t>& list = by_node_[n];
    std::size_t kept = 0;
    for (const std::size_t w : list) {
        if (watches_[w].settled) continue;
        if (const auto ok = final_outcome(node, watches_[w].tx, head)) {
            watches_[w].settled = true;
            settled.emplace_back(w, *ok);
        } else {
            list[kept++] = w;
        }
    }
    list.resize(kept);
}

std::optional<std::size_t> TxWatcher::settle_refused(const Hash32& tx) {
    const auto it = by_tx_.find(tx);
    if (it == by_tx_.end() || watches_[it->second].settled) return std::nullopt;
    watches_[it->second].settled = true;
    return it->second;
}

}  // namespace cl::sim::world
