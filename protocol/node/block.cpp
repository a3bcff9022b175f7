#include "protocol/node/block.hpp"

#include "protocol/clique/seal.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/state/execute.hpp"

namespace cl::node {

namespace {

BlockRef make_block_with(Header header, std::vector<TxRef> txs, clique::SealerRecovery sealer) {
    auto block = std::make_shared<Block>();
    block->hash = block_hash(header);
    block->sealer = std::move(sealer);
    std::size_t tx_bytes = 0;
    for (const TxRef& tx : txs) tx_bytes += tx->encoded_size;
    // eth's block RLP: [header, [tx, ...], uncles] — Clique has no uncles: an empty list.
    const std::size_t header_bytes = encode(header).size();
    const std::size_t payload = header_bytes + rlp::header_size(tx_bytes) + tx_bytes + 1;
    block->encoded_size = rlp::header_size(payload) + payload;
    block->header = std::move(header);
    block->txs = std::move(txs);
    return block;
}

}  // namespace

BlockRef make_block(Header header, std::vector<TxRef> txs) {
    clique::SealerRecovery sealer =
        header.number == 0 ? clique::SealerRecovery(std::unexpected(SignatureError::kRecoveryFailed))
                           : clique::recover_sealer(header);
    return make_block_with(std::move(header), std::move(txs), std::move(sealer));
}

BlockRef make_block(Header header, std::vector<TxRef> txs, const Address& sealer) {
    return make_block_with(std::move(header), std::move(txs), clique::SealerRecovery(sealer));
}

Hash32 transactions_root(const std::vector<TxRef>& txs) {
    std::vector<Bytes> encoded;
    encoded.reserve(txs.size());
    for (const TxRef& tx : txs) encoded.push_back(encode(tx->tx));
    return state::ordered_root(encoded);
}

}  // namespace cl::node
