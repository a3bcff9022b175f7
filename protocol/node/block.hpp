// A full block as nodes exchange it: header plus transactions, immutable and shared.
//
// Everything derivable from the block's bytes alone — its hash, RLP size, the sealer
// recovered from the seal, each transaction's sender — is computed once when the block
// is made, so that every node handling the same block shares that pure work (DESIGN.md
// §5). The block's RLP is [header, [tx, ...]]; wire sizes are real RLP sizes.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "protocol/chain/header.hpp"
#include "protocol/chain/transaction.hpp"
#include "protocol/clique/verify.hpp"

namespace cl::node {

using cl::TxRef;

struct Block {
    Header header;
    std::vector<TxRef> txs;
    Hash32 hash;                    // block_hash(header)
    clique::SealerRecovery sealer;  // recover_sealer(header) (an error for genesis)
    std::size_t encoded_size = 0;   // RLP size of [header, [tx, ...], []] (eth block, no uncles)
};
using BlockRef = std::shared_ptr<const Block>;

BlockRef make_block(Header header, std::vector<TxRef> txs);
// The same block for the node that has just sealed it: `sealer` is taken as the
// recovered sealer instead of recovering the seal it made (a recovery costs ~450k
// instructions). REQUIRES: header is sealed (clique::seal_header) with sealer's key.
BlockRef make_block(Header header, std::vector<TxRef> txs, const Address& sealer);

// The transactions root a header must carry for `txs` (ordered trie of their RLP).
Hash32 transactions_root(const std::vector<TxRef>& txs);

}  // namespace cl::node
