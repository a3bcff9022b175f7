// Block execution results keyed by block hash: the pure work that every node importing
// the same block would otherwise repeat (DESIGN.md §5).
//
// A block hash fixes the parent (hence the parent state), the transactions and the
// header, and the signer set after the block is a function of the header chain; so the
// result of executing a block — and whether its header's roots match it — is the same
// for every node. A simulator shares one cache among all its nodes; a real node has its
// own. Simulated CPU time is charged by the host per execution request, hit or miss, so
// sharing never changes the simulated timeline. Not thread-safe.
#pragma once

#include <expected>
#include <span>
#include <unordered_map>
#include <vector>

#include "protocol/chain/block_index.hpp"
#include "protocol/clique/chain.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/node/block.hpp"
#include "protocol/node/gossip_memory.hpp"
#include "protocol/state/execute.hpp"
#include "protocol/txpool/sender_table.hpp"

namespace cl::node {

// Why a block's body does not match its header, or cannot be executed.
enum class BodyFault {
    kInvalidTransaction,   // a transaction with a wrong chain id or nonce (spec §1), or too many
    kStateRootMismatch,    // header.state_root is not the root after execution
    kTxRootMismatch,       // header.tx_root is not the root of the transactions
    kReceiptRootMismatch,  // header.receipt_root is not the root of the receipts
};
const char* name(BodyFault f);

using ExecutionResult = std::expected<state::BlockResult, BodyFault>;

class ExecutionCache {
  public:
    // The result of executing `block` on `parent` with `signers_after` (the Clique signer
    // set after the block), computed on the first call for the block's hash.
    // REQUIRES: `parent` is the state of block.header.parent_hash.
    const ExecutionResult& execute(const state::LedgerState& parent, const Block& block,
                                   std::span<const Address> signers_after);

    // Stores a result computed elsewhere (the sealer's own execution).
    void put(const Hash32& hash, state::BlockResult result);

    // The stored result for a block hash, if any.
    const ExecutionResult* find(const Hash32& hash) const {
        auto it = results_.find(hash);
        return it == results_.end() ? nullptr : &it->second;
    }

    // state.account(a).nonce, which every pool admission and every new head asks for the
    // same (state, sender) pairs on every node. Memoised in a direct-mapped table that
    // compares full keys (state root and address), so an answer is always exact; a miss
    // reads the trie through a memoised account key (no Keccak per lookup).
    std::uint64_t nonce(const state::LedgerState& state, const Address& a);

    // The operator addresses of the clouds `state` lists as active (§2), sorted; memoised
    // by state root (a pure function of the state, asked by every node at every admission).
    const std::vector<Address>& active_operators(const state::LedgerState& state);

    // The Clique snapshot after `block`, shared by every node that imports it: the first
    // caller's `computed` is kept, later callers get that one (equal to theirs: a snapshot
    // is a function of the block's hash). Never null.
    std::shared_ptr<const clique::Snapshot> shared_snapshot(const Hash32& block,
                                                            std::shared_ptr<const clique::Snapshot> computed);
    // The shared snapshot after `block`, if a node has computed it (nullptr: none yet).
    const std::shared_ptr<const clique::Snapshot>* find_snapshot(const Hash32& block) const {
        const auto it = snapshots_.find(block);
        return it == snapshots_.end() ? nullptr : &it->second;
    }

    // ---- the blocks stored by the nodes sharing this cache (docs/benchmarks.md "Chain state") ----
    // The block index and Clique meta shared by those nodes' chains: one entry per block,
    // under a dense id, instead of one per node.
    const std::shared_ptr<clique::ChainIndex>& chain_index() const { return chain_index_; }
    // A stored block and the ledger state after it, both pure functions of the block hash.
    struct Stored {
        BlockRef block;
        const state::LedgerState* state = nullptr;  // owned by this cache
    };
    // Records the block of id `id` (in chain_index()) as a node stores it, with the state
    // after it: `executed` must be this cache's execute() result for the block. The first
    // record of an id stays (a later one is equal).
    void store(BlockId id, const BlockRef& block, const state::BlockResult& executed);
    // Records a genesis block and its state (kept by the cache).
    void store_genesis(BlockId id, const BlockRef& genesis, state::LedgerState state);
    // REQUIRES: the id was recorded. The reference lasts until the next store (the pointees
    // for the cache's lifetime).
    const Stored& stored(BlockId id) const { return stored_[id]; }

    // The gossip bookkeeping of the nodes that share this cache, each node one member
    // (gossip_memory.hpp): their storage is shared, their answers are each node's own.
    GossipMemory& gossip() { return gossip_; }
    // The per-sender records of the transaction pools of the nodes that share this cache,
    // each pool one member (txpool/sender_table.hpp).
    txpool::SenderTable& pool_senders() { return pool_senders_; }

    // Distinct executions (misses and put()s) and requests answered from the cache.
    std::size_t executions() const { return executions_; }
    std::size_t hits() const { return hits_; }

  private:
    std::unordered_map<Hash32, ExecutionResult> results_;  // lookup only, never iterated
    struct NonceEntry {
        Hash32 root;
        Address account;
        std::uint64_t nonce = 0;
    };
    static constexpr std::size_t kNonceSlots = 1 << 14;
    static std::size_t nonce_slot(const Hash32& root, const Address& a) {
        return (std::hash<Hash32>{}(root) ^ std::hash<Address>{}(a)) & (kNonceSlots - 1);
    }
    std::vector<NonceEntry> nonces_ = std::vector<NonceEntry>(kNonceSlots);  // root 0: empty
    std::unordered_map<Address, Hash32> account_keys_;                       // lookup only, never iterated
    std::unordered_map<Hash32, std::vector<Address>> active_operators_;      // by state root; lookup only
    Hash32 last_operators_root_{};                          // the last active_operators() answer's root
    const std::vector<Address>* last_operators_ = nullptr;  // … and the answer
    std::unordered_map<Hash32, std::shared_ptr<const clique::Snapshot>> snapshots_;  // by block; lookup only
    std::shared_ptr<clique::ChainIndex> chain_index_ = std::make_shared<clique::ChainIndex>();
    std::vector<Stored> stored_;                                     // by block id
    std::unordered_map<Hash32, state::LedgerState> genesis_states_;  // by hash; lookup only
    std::size_t executions_ = 0;
    std::size_t hits_ = 0;
    GossipMemory gossip_;
    txpool::SenderTable pool_senders_;
};

// receiptsRoot of a block's receipts.
Hash32 receipts_root(const std::vector<state::Receipt>& receipts);

}  // namespace cl::node
