// live/wire: every message round-trips, its RLP is exactly what wire_size() charges the
// simulator (minus RLPx's 16-byte frame), and the decoder survives arbitrary bytes.
#include "live/wire.hpp"

#include <gtest/gtest.h>

#include "protocol/chain/transaction.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/state/call.hpp"

namespace cl::live {
namespace {

TxRef request_tx(std::uint64_t nonce) {
    Transaction tx;
    tx.chain_id = 61'777;
    tx.nonce = nonce;
    tx.to = state::kPoolAddress;
    tx.call = state::encode_call(state::RequestCall{1, std::nullopt});
    tx = sign_transaction(tx, derive_private_key(7, "user/wire"));
    return std::make_shared<const RecoveredTransaction>(recover_transaction(tx).value());
}

node::BlockRef some_block() {
    Header h;
    h.number = 3;
    h.difficulty = 2;
    h.time = 1'700'000'000;
    h.gas_limit = 5'000'000;
    h.uncle_hash = kEmptyUncleHash;
    h.extra = Bytes(32 + 65, 0);
    std::vector<TxRef> txs = {request_tx(0), request_tx(1)};
    h.tx_root = node::transactions_root(txs);
    return node::make_block(h, txs);
}

std::vector<node::Message> samples() {
    Hash32 h;
    h.bytes[0] = 0xab;
    return {node::NewBlockMsg{some_block(), 12345},
            node::NewBlockHashesMsg{h, 77},
            node::GetBlockMsg{h},
            node::TransactionsMsg{request_tx(5)},
            node::StatusMsg{61'777, 99, h, h},
            node::PingMsg{},
            node::PongMsg{},
            node::DisconnectMsg{node::kDiscReadTimeout}};
}

TEST(LiveWire, RoundTripsEveryMessageAtTheSimulatedSize) {
    for (const node::Message& m : samples()) {
        const Bytes body = encode_message(m);
        // code byte + RLP; the simulator charges RLP + 16 bytes of RLPx frame.
        EXPECT_EQ(body.size() - 1 + 16, node::wire_size(m)) << node::name(node::kind_of(m));
        auto back = decode_message(body);
        ASSERT_TRUE(back.has_value()) << back.error();
        ASSERT_EQ(back->index(), m.index());
        EXPECT_EQ(encode_message(*back), body) << node::name(node::kind_of(m));
    }
    const node::Message decoded = decode_message(encode_message(samples()[0])).value();
    const auto& nb = std::get<node::NewBlockMsg>(decoded);
    EXPECT_EQ(nb.block->hash, std::get<node::NewBlockMsg>(samples()[0]).block->hash);
    EXPECT_EQ(nb.block->txs.size(), 2u);
    EXPECT_EQ(nb.total_difficulty, 12345u);
}

TEST(LiveWire, HelloRoundTripsAndIsRequiredFirst) {
    Hash32 g;
    g.bytes[31] = 1;
    auto h = decode_hello(encode_hello(Hello{42, g}));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->node, 42u);
    EXPECT_EQ(h->genesis, g);
    EXPECT_FALSE(decode_hello(encode_message(node::PingMsg{})).has_value());
    EXPECT_FALSE(decode_message(encode_hello(Hello{1, g})).has_value());
}

TEST(LiveWire, FrameLengthIsBigEndian) {
    const Bytes f = frame(Bytes(300, 7));
    ASSERT_EQ(f.size(), 304u);
    EXPECT_EQ(frame_length(BytesView(f).first(4)), 300u);
}

// Fuzz (bounded): mutated valid bodies and random bytes never crash the decoder; the
// ones it accepts re-encode to a decodable message.
TEST(LiveWire, DecoderSurvivesMutationsAndRandomBytes) {
    SplitMix64 rng(2024);
    std::size_t accepted = 0;
    const auto bodies = [] {
        std::vector<Bytes> out;
        for (const auto& m : samples()) out.push_back(encode_message(m));
        return out;
    }();
    for (int i = 0; i < 20000; ++i) {
        Bytes b = bodies[rng.next_u64() % bodies.size()];
        const int edits = 1 + static_cast<int>(rng.next_u64() % 4);
        for (int e = 0; e < edits; ++e) {
            const auto kind = rng.next_u64() % 3;
            const std::size_t at = b.empty() ? 0 : rng.next_u64() % b.size();
            if (kind == 0 && !b.empty()) b[at] = static_cast<std::uint8_t>(rng.next_u64());
            if (kind == 1 && !b.empty()) b.resize(at);
            if (kind == 2)
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
                         static_cast<std::uint8_t>(rng.next_u64()));
        }
        auto m = decode_message(b);
        (void)decode_hello(b);
        if (m) {
            ++accepted;
            EXPECT_TRUE(decode_message(encode_message(*m)).has_value());
        }
    }
    for (int i = 0; i < 20000; ++i) {
        Bytes b(rng.next_u64() % 64);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng.next_u64());
        (void)decode_message(b);
        (void)decode_hello(b);
    }
    EXPECT_LT(accepted, 20000u);
}

}  // namespace
}  // namespace cl::live
