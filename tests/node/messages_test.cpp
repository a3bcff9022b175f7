// protocol/node/messages: a message's wire size is the size of the eth/66 message's RLP
// (built here with the RLP encoder, item by item) plus the 16-byte RLPx frame.
#include <gtest/gtest.h>

#include "protocol/clique/seal.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/node/messages.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/config.hpp"

namespace cl::node {
namespace {

constexpr std::size_t kFrame = 16;

void append_raw(Bytes& out, const Bytes& rlp) { out.insert(out.end(), rlp.begin(), rlp.end()); }

TxRef signed_request(std::uint64_t nonce) {
    Transaction t;
    t.chain_id = state::kSimulatedChainId;
    t.nonce = nonce;
    const state::Call call = state::RequestCall{0, {}};
    t.to = state::contract_of(call);
    t.call = state::encode_call(call);
    return std::make_shared<const RecoveredTransaction>(
        recover_transaction(sign_transaction(t, derive_private_key(5, "user"))).value());
}

BlockRef sample_block(std::size_t txs) {
    Header h;
    h.number = 300;  // a number and a difficulty that need more than one RLP byte
    h.difficulty = 2;
    h.gas_limit = 8'000'000;
    h.time = 1'700'000'000;
    h.extra = Bytes(32 + 65, 0);
    std::vector<TxRef> list;
    for (std::size_t i = 0; i < txs; ++i) list.push_back(signed_request(i));
    return make_block(std::move(h), std::move(list));
}

// eth's block: [header, [tx, ...], []].
Bytes block_rlp(const Block& b) {
    Bytes out;
    const std::size_t outer = rlp::begin_list(out);
    append_raw(out, encode(b.header));
    const std::size_t txs = rlp::begin_list(out);
    for (const TxRef& tx : b.txs) append_raw(out, encode(tx->tx));
    rlp::end_list(out, txs);
    rlp::end_list(out, rlp::begin_list(out));  // no uncles
    rlp::end_list(out, outer);
    return out;
}

// The sealer's shortcut (its own address instead of recovering its seal) makes the same
// block as recovery does.
TEST(MakeBlock, KnownSealerGivesTheRecoveredBlock) {
    Header h;
    h.number = 7;
    h.difficulty = 2;
    h.gas_limit = 8'000'000;
    h.time = 1'700'000'000;
    h.extra = Bytes(32 + 65, 0);
    const PrivateKey key = derive_private_key(5, "validator");
    clique::seal_header(h, key);
    const std::vector<TxRef> txs{signed_request(0), signed_request(1)};
    const BlockRef fast = make_block(h, txs, address_of(key));
    const BlockRef slow = make_block(h, txs);
    ASSERT_TRUE(slow->sealer.has_value());
    EXPECT_EQ(*slow->sealer, address_of(key));
    EXPECT_EQ(fast->sealer, slow->sealer);
    EXPECT_EQ(fast->hash, slow->hash);
    EXPECT_EQ(fast->encoded_size, slow->encoded_size);
    EXPECT_EQ(fast->header, slow->header);
    EXPECT_EQ(fast->txs, slow->txs);
}

TEST(WireSize, BlockSizeIsItsEthRlp) {
    for (std::size_t n : {0, 1, 7}) {
        const BlockRef b = sample_block(n);
        EXPECT_EQ(b->encoded_size, block_rlp(*b).size()) << n << " transactions";
    }
}

TEST(WireSize, EveryMessageIsItsEthRlpPlusTheFrame) {
    const BlockRef b = sample_block(3);
    for (std::uint64_t td : {0ULL, 5ULL, 599ULL, 1ULL << 40}) {
        Bytes m;
        const std::size_t l = rlp::begin_list(m);
        append_raw(m, block_rlp(*b));
        rlp::append_uint(m, td);
        rlp::end_list(m, l);
        EXPECT_EQ(wire_size(NewBlockMsg{b, td}), m.size() + kFrame) << "td " << td;
    }
    for (std::uint64_t number : {1ULL, 127ULL, 128ULL, 300ULL}) {
        Bytes m;
        const std::size_t outer = rlp::begin_list(m);
        const std::size_t inner = rlp::begin_list(m);
        rlp::append_fixed(m, b->hash);
        rlp::append_uint(m, number);
        rlp::end_list(m, inner);
        rlp::end_list(m, outer);
        EXPECT_EQ(wire_size(NewBlockHashesMsg{b->hash, number}), m.size() + kFrame) << number;
    }
    {
        Bytes m;  // GetBlockHeaders [request_id, [origin, amount 1, skip 0, reverse 0]]
        const std::size_t outer = rlp::begin_list(m);
        rlp::append_uint(m, ~std::uint64_t{0});
        const std::size_t query = rlp::begin_list(m);
        rlp::append_fixed(m, b->hash);
        rlp::append_uint(m, 1);
        rlp::append_uint(m, 0);
        rlp::append_uint(m, 0);
        rlp::end_list(m, query);
        rlp::end_list(m, outer);
        EXPECT_EQ(wire_size(GetBlockMsg{b->hash}), m.size() + kFrame);
    }
    {
        Bytes m;
        const std::size_t l = rlp::begin_list(m);
        append_raw(m, encode(b->txs[0]->tx));
        rlp::end_list(m, l);
        EXPECT_EQ(wire_size(TransactionsMsg{b->txs[0]}), m.size() + kFrame);
    }
}

// eth/66 Status [version, networkid, td, head, genesis, forkid = [forkhash, forknext]]
// (EIP-2124: the fork hash is a 4-byte string) and the devp2p Ping [], Pong [] and
// Disconnect [reason] messages.
TEST(WireSize, ConnectionMessagesAreTheirDevp2pAndEthRlpPlusTheFrame) {
    const BlockRef b = sample_block(0);
    for (std::uint64_t td : {1ULL, 127ULL, 128ULL, 599ULL, 1ULL << 40}) {
        for (std::uint64_t network : {std::uint64_t{1}, state::kSimulatedChainId}) {
            Bytes m;
            const std::size_t l = rlp::begin_list(m);
            rlp::append_uint(m, 66);
            rlp::append_uint(m, network);
            rlp::append_uint(m, td);
            rlp::append_fixed(m, b->hash);
            rlp::append_fixed(m, b->hash);
            const std::size_t fork_id = rlp::begin_list(m);
            const Bytes fork_hash{0xfc, 0x64, 0xec, 0x04};
            rlp::append_bytes(m, fork_hash);
            rlp::append_uint(m, 0);
            rlp::end_list(m, fork_id);
            rlp::end_list(m, l);
            EXPECT_EQ(wire_size(StatusMsg{network, td, b->hash, b->hash}), m.size() + kFrame) << td;
        }
    }
    Bytes empty;
    rlp::end_list(empty, rlp::begin_list(empty));
    EXPECT_EQ(wire_size(PingMsg{}), empty.size() + kFrame);
    EXPECT_EQ(wire_size(PongMsg{}), empty.size() + kFrame);
    for (std::uint8_t reason : {kDiscReadTimeout, kDiscSubprotocolError}) {
        Bytes m;
        const std::size_t l = rlp::begin_list(m);
        rlp::append_uint(m, reason);
        rlp::end_list(m, l);
        EXPECT_EQ(wire_size(DisconnectMsg{reason}), m.size() + kFrame);
    }
}

}  // namespace
}  // namespace cl::node
