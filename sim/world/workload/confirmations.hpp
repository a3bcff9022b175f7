// The confirmation rule a user (and a cloud, for its redeems) applies to a transaction it
// sent (docs/scenarios.md "How the workload behaves"): it watches one node, its own; once
// a block holding the transaction is on that node's canonical chain with k blocks on top,
// the receipt there is the outcome; a refusal by the node's txpool is known at once.
//
// One TxWatcher per workload: it remembers where its watched transactions were sealed and
// settles each watch once, in the order watches were made. Lookups by hash only (no
// unordered iteration). Thread-safety: none.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "protocol/node/execution_cache.hpp"
#include "protocol/node/node.hpp"
#include "sim/world/host/hosts.hpp"

namespace cl::sim::world {

class TxWatcher {
  public:
    // k = `confirmations`. `hosts` and `cache` outlive the watcher.
    TxWatcher(const Hosts& hosts, const node::ExecutionCache& cache, std::uint64_t confirmations)
        : hosts_(hosts), cache_(cache), k_(confirmations) {}

    // Watches `tx` on `node`; returns the watch's id (0, 1, 2, ... in order). A later
    // watch of the same hash replaces the earlier one for refusals.
    std::size_t watch(const Hash32& tx, net::NodeId node);

    // A block was sealed: remember where the watched transactions in it are.
    void on_block_sealed(const node::Block& block);

    // Node n's head changed: appends (id, succeeded) of n's unsettled watches whose outcome
    // is now final there, in watch order, and settles them.
    void settle_final(net::NodeId n, std::vector<std::pair<std::size_t, bool>>& settled);

    // A txpool refused `tx`: the id of its (latest) watch if that is unsettled, now settled.
    std::optional<std::size_t> settle_refused(const Hash32& tx);

  private:
    struct Watch {
        Hash32 tx;
        bool settled = false;
    };
    struct Sealed {
        Hash32 block;
        std::uint64_t number = 0;
        std::uint32_t position = 0;  // in the block's transactions
    };
    // Whether `tx` succeeded, once a block holding it is on `node`'s canonical chain with
    // k blocks on top of `head`; nullopt before.
    std::optional<bool> final_outcome(const node::Node& node, const Hash32& tx, std::uint64_t head) const;

    const Hosts& hosts_;
    const node::ExecutionCache& cache_;
    std::uint64_t k_;
    std::vector<Watch> watches_;
    std::unordered_map<Hash32, std::size_t> by_tx_;           // lookup only
    std::vector<std::vector<std::size_t>> by_node_;           // unsettled watches, in order
    std::unordered_map<Hash32, std::vector<Sealed>> sealed_;  // lookup only
};

}  // namespace cl::sim::world
