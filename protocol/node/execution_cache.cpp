#include "protocol/node/execution_cache.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"

namespace cl::node {

const char* name(BodyFault f) {
    switch (f) {
        case BodyFault::kInvalidTransaction:
            return "invalid_transaction";
        case BodyFault::kStateRootMismatch:
            return "state_root_mismatch";
        case BodyFault::kTxRootMismatch:
            return "tx_root_mismatch";
        case BodyFault::kReceiptRootMismatch:
            return "receipt_root_mismatch";
    }
    return "unknown";
}

Hash32 receipts_root(const std::vector<state::Receipt>& receipts) {
    std::vector<Bytes> encoded;
    encoded.reserve(receipts.size());
    for (const state::Receipt& r : receipts) encoded.push_back(state::encode(r));
    return state::ordered_root(encoded);
}

std::uint64_t ExecutionCache::nonce(const state::LedgerState& state, const Address& a) {
    const Hash32 root = state.root();
    NonceEntry& e = nonces_[nonce_slot(root, a)];
    if (e.root == root && e.account == a) return e.nonce;  // an empty slot's root is 0, never a trie root
    auto key = account_keys_.find(a);
    if (key == account_keys_.end()) key = account_keys_.emplace(a, state::key::account(a)).first;
    e = NonceEntry{root, a, state.account_at(key->second).nonce};
    return e.nonce;
}

std::shared_ptr<const clique::Snapshot> ExecutionCache::shared_snapshot(
    const Hash32& block, std::shared_ptr<const clique::Snapshot> computed) {
    CL_ASSERT(computed != nullptr);
    const auto [it, inserted] = snapshots_.try_emplace(block, std::move(computed));
    return it->second;
}

const std::vector<Address>& ExecutionCache::active_operators(const state::LedgerState& state) {
    const Hash32 root = state.root();
    // Most calls ask about the head most nodes share: answered without hashing the root.
    if (last_operators_ != nullptr && root == last_operators_root_) return *last_operators_;
    auto it = active_operators_.find(root);
    if (it == active_operators_.end()) {
        std::vector<Address> operators;
        for (const state::CloudEntry& c : state.clouds()) {
            if (c.status == state::CloudStatus::kActive) operators.push_back(c.operator_address);
        }
        std::sort(operators.begin(), operators.end());
        it = active_operators_.emplace(root, std::move(operators)).first;
    }
    last_operators_root_ = root;
    last_operators_ = &it->second;  // a node of the map: stable until erased (never)
    return it->second;
}

namespace {

ExecutionResult run(const state::LedgerState& parent, const Block& block,
                    std::span<const Address> signers_after) {
    if (block.header.tx_root != transactions_root(block.txs))
        return std::unexpected(BodyFault::kTxRootMismatch);
    std::vector<RecoveredTransaction> txs;
    txs.reserve(block.txs.size());
    for (const TxRef& tx : block.txs) txs.push_back(*tx);
    auto result = state::execute_block(parent, state::BlockContext{block.header.number, signers_after}, txs);
    if (!result) return std::unexpected(BodyFault::kInvalidTransaction);
    if (result->state.root() != block.header.state_root)
        return std::unexpected(BodyFault::kStateRootMismatch);
    if (receipts_root(result->receipts) != block.header.receipt_root) {
        return std::unexpected(BodyFault::kReceiptRootMismatch);
    }
    return std::move(*result);
}

}  // namespace

const ExecutionResult& ExecutionCache::execute(const state::LedgerState& parent, const Block& block,
                                               std::span<const Address> signers_after) {
    if (auto it = results_.find(block.hash); it != results_.end()) {
        ++hits_;
        return it->second;
    }
    ++executions_;
    return results_.emplace(block.hash, run(parent, block, signers_after)).first->second;
}

void ExecutionCache::store(BlockId id, const BlockRef& block, const state::BlockResult& executed) {
    if (id >= stored_.size()) stored_.resize(id + 1);
    if (stored_[id].block == nullptr) stored_[id] = Stored{block, &executed.state};
}

void ExecutionCache::store_genesis(BlockId id, const BlockRef& genesis, state::LedgerState state) {
    if (id < stored_.size() && stored_[id].block != nullptr) return;
    const auto [it, inserted] = genesis_states_.try_emplace(genesis->hash, std::move(state));
    if (id >= stored_.size()) stored_.resize(id + 1);
    stored_[id] = Stored{genesis, &it->second};
}

void ExecutionCache::put(const Hash32& hash, state::BlockResult result) {
    ++executions_;
    results_.emplace(hash, std::move(result));
}

}  // namespace cl::node
