// Block execution (shared/spec/promo-pool.md §1–3): transactions in order, receipts, the
// end-of-block governance update and code expiry, and the new state.
//
// Pure: the same parent state, context and transactions give the same result on every
// machine. Cost: O(writes · log(state)) for the trie update plus one map lookup per read;
// expiry costs O(codes scheduled to expire at this height), never O(codes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <vector>

#include "protocol/chain/transaction.hpp"
#include "protocol/state/ledger.hpp"
#include "protocol/state/receipt.hpp"

namespace cl::state {

struct BlockContext {
    std::uint64_t number = 0;  // REQUIRES: parent.number() + 1
    // The Clique signer set after this block (the header chain decides it, §2): pending
    // clouds whose validator is in it become active, active clouds whose validator is not
    // become removed.
    std::span<const Address> signers;
};

struct BlockResult {
    LedgerState state;
    std::vector<Receipt> receipts;    // one per transaction, in order
    std::vector<Event> block_events;  // end of block: activations, removals, expiries
};

// Why a block is invalid (§1): a transaction that no honest node would have accepted.
enum class [[nodiscard]] InvalidReason{
    kWrongChainId,         // replay from another chain
    kWrongNonce,           // replay within the chain, or a gap
    kTooManyTransactions,  // more than max_txs_per_block (§5 "sign limit per slot")
};
const char* name(InvalidReason r);

struct InvalidBlock {
    std::size_t tx_index = 0;
    InvalidReason reason = InvalidReason::kWrongNonce;
};

std::expected<BlockResult, InvalidBlock> execute_block(const LedgerState& parent, const BlockContext& context,
                                                       std::span<const RecoveredTransaction> txs);

// Ethereum's ordered-trie root: a trie from rlp(index) to items[index]. For the header's
// transactionsRoot (of encoded transactions) and receiptsRoot (of encoded receipts).
Hash32 ordered_root(std::span<const Bytes> items);

}  // namespace cl::state
