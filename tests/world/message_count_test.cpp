// The per-node network counters of the `nodes` table (docs/metrics.md "nodes":
// messages_sent, bytes_sent, messages_received, bytes_received) against a closed form
// derived by hand from the gossip rules (docs/simulation.md "Peers", DESIGN.md §4,
// protocol/node/messages.hpp wire sizes) for a tiny known workload. Exact equality: a
// counter off by one message (or one byte) fails.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "protocol/core/secp256k1.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {
namespace {

// The line a – b – c: node 0 (a) is the one cloud's validator, nodes 1 (b) and 2 (c) full
// nodes; 50 ms per link, no jitter, no loss, no bandwidth cap.
constexpr net::NodeId kA = 0, kB = 1, kC = 2;

WorldConfig line_world() {
    WorldConfig c;
    c.name = "line";
    c.seed = 11;
    c.duration = seconds(47);
    c.clouds.push_back(CloudSpec{"a", 0, {100}});
    const std::array<net::Edge, 2> edges{
        {{kA, kB, net::LinkParams{millis(50), 0}}, {kB, kC, net::LinkParams{millis(50), 0}}}};
    c.topology = net::Topology::from_edges(3, edges);
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.clique.period = 5;
    c.users.requests_per_second = 0;  // no users: the only transactions are the test's
    c.started_together = true;        // every first ping exactly ping_interval after its connection
    return c;
}

// Three promo requests, each from a key of its own (nonce 0): at 2.5 s and 12.5 s into c,
// at 7.5 s into a.
class ThreeRequests final : public Workload {
  public:
    explicit ThreeRequests(const WorldContext& context) : ctx_(context) {}
    std::string_view name() const override { return "three"; }
    void start() override {
        const std::array<std::pair<Duration, net::NodeId>, 3> plan{
            {{millis(2500), kC}, {millis(7500), kA}, {millis(12500), kC}}};
        for (std::size_t i = 0; i < plan.size(); ++i) {
            const PrivateKey key = derive_private_key(ctx_.config.seed, "three/" + std::to_string(i));
            const node::TxRef tx = signed_tx(key, 0, state::RequestCall{0, {}});
            sizes.push_back(tx->encoded_size);
            at.push_back(plan[i].second);
            ctx_.sim.schedule_at(Time::zero() + plan[i].first, [this, tx, entry = plan[i].second]() noexcept {
                ctx_.hosts.submit(entry, tx);
            });
        }
    }
    void finish(std::span<const Inclusion> chain, WorldResults&) override { included = chain.size(); }

    std::vector<std::size_t> sizes;  // encoded sizes, in submission order
    std::vector<net::NodeId> at;     // entry nodes, in submission order
    std::size_t included = 0;

  private:
    WorldContext ctx_;
};

// The derivation (P = pings per connection and direction, B = blocks, T_x = transactions
// submitted at node x; sizes are wire sizes, messages.hpp: RLP + a 16-byte frame):
//
// Handshake. At 0 every node dials each peer with a Status. Per link both dials cross;
// each arrives at a node not yet connected to its sender, which opens the connection and
// answers with its own Status; each answer arrives at a node already connected (it only
// updates the peer's head). So 2 Status per link and direction: a and c send and receive
// 2, b 4. Size: rlp([66, 61777, td 1, head, genesis, [forkhash, 0]]) = list(1 + 3 + 1 +
// 33 + 33 + list(5 + 1) = 78) = 80, + 16 = 96 bytes (all are sent at TD 1, the genesis').
//
// Pings. started_together: each end pings each connection every 15 s from its opening
// (~50 ms): at ~15.05, 30.05 and 45.05 s, answered by a Pong ~50 ms later, all before
// 47 s: P = 3 each way, so per node P·degree Pings and P·degree Pongs sent, the same
// received. Ping = Pong = rlp([]) = 1 + 16 = 17 bytes. Nothing stays unread for the 30 s
// read timeout, so no Disconnect and no redial.
//
// Blocks. One signer, always in turn: a seals block k at 5k s, k = 1..9 (45 s), B = 9.
// relay_block sends the full block to ⌊√connected⌋ of the peers that do not know it and
// an announcement to the rest: a has 1 peer, b → ⌊√1⌋ = 1: NewBlock a→b. b has 2
// connected peers, ⌊√2⌋ = 1 full, and its only target is c (a sent it): NewBlock b→c,
// never an announcement. c's only peer sent it: nothing. Every NewBlock's TD (1 + 2k)
// lets the receiver import it at once, so no GetBlock, no orphan, and no chain sync
// (a peer's TD is never above the receiver's after the import). NewBlock of block k =
// rlp([block, td]) = list(size_k + 1) = 3 + size_k + 1, + 16 = size_k + 20 bytes
// (256 ≤ size_k + 1 < 65536).
//
// Transactions. A submitted transaction is relayed once per peer by every node whose pool
// first admits it, never back to where it came from: at c, c→b then b→a; at a, a→b then
// b→c. Transactions = rlp([tx]) = list(size) = 2 + size, + 16 = size + 18 bytes
// (56 ≤ size < 256). No transaction is pending when the connections open (at ~50 ms),
// so none is sent on a handshake.
//
//   sent(a) = 2·1 + 2P·1 + B + T_a          received(a) = 2 + 2P + T_c
//   sent(b) = 2·2 + 2P·2 + B + T_c + T_a    received(b) = 4 + 4P + B + T_c + T_a
//   sent(c) = 2·1 + 2P·1 + T_c              received(c) = 2 + 2P + B + T_a
TEST(MessageCounts, LineOfThreeMatchesTheGossipRulesExactly) {
    auto world = World::create(line_world());
    ASSERT_TRUE(world.has_value()) << world.error();
    auto& load = static_cast<ThreeRequests&>(
        world->add_workload([](const WorldContext& c) { return std::make_unique<ThreeRequests>(c); }));
    const WorldResults r = world->run();
    ASSERT_TRUE(r.check_failures.empty()) << r.check_failures.front();

    // The premises: 9 blocks, all three requests on the chain, no message dropped.
    constexpr std::uint64_t P = 3, B = 9;
    ASSERT_EQ(r.blocks.size(), B);
    ASSERT_EQ(load.included, 3u);
    std::uint64_t block_bytes = 0;  // Σ_k (size_k + 20)
    for (const BlockRecord& b : r.blocks) block_bytes += b.size + 20;
    std::uint64_t tx_bytes_at_a = 0, tx_bytes_at_c = 0, t_a = 0, t_c = 0;  // Σ (size + 18), count
    for (std::size_t i = 0; i < load.sizes.size(); ++i) {
        (load.at[i] == kA ? tx_bytes_at_a : tx_bytes_at_c) += load.sizes[i] + 18;
        ++(load.at[i] == kA ? t_a : t_c);
    }
    ASSERT_EQ(t_a, 1u);
    ASSERT_EQ(t_c, 2u);
    constexpr std::uint64_t kStatus = 96, kPing = 17;

    struct Expected {
        std::uint64_t messages_sent, bytes_sent, messages_received, bytes_received;
    };
    const std::array<Expected, 3> want{{
        // a: degree 1
        {2 + 2 * P + B + t_a, 2 * kStatus + 2 * P * kPing + block_bytes + tx_bytes_at_a,  //
         2 + 2 * P + t_c, 2 * kStatus + 2 * P * kPing + tx_bytes_at_c},
        // b: degree 2
        {4 + 4 * P + B + t_c + t_a, 4 * kStatus + 4 * P * kPing + block_bytes + tx_bytes_at_c + tx_bytes_at_a,
         4 + 4 * P + B + t_c + t_a,
         4 * kStatus + 4 * P * kPing + block_bytes + tx_bytes_at_c + tx_bytes_at_a},
        // c: degree 1
        {2 + 2 * P + t_c, 2 * kStatus + 2 * P * kPing + tx_bytes_at_c,  //
         2 + 2 * P + B + t_a, 2 * kStatus + 2 * P * kPing + block_bytes + tx_bytes_at_a},
    }};
    ASSERT_EQ(r.node_counters.size(), 3u);
    for (std::size_t n = 0; n < 3; ++n) {
        const NodeCounters& got = r.node_counters[n];
        SCOPED_TRACE("node " + std::string(1, static_cast<char>('a' + n)));
        EXPECT_EQ(got.messages_sent, want[n].messages_sent);
        EXPECT_EQ(got.bytes_sent, want[n].bytes_sent);
        EXPECT_EQ(got.messages_received, want[n].messages_received);
        EXPECT_EQ(got.bytes_received, want[n].bytes_received);
    }
    // The `network` table by type agrees: 8 Status, 12 Ping, 12 Pong, 2B NewBlock, 2 per
    // transaction, nothing else.
    for (const MessageCounters& m : r.network) {
        const std::uint64_t expected = m.type == "status"         ? 8
                                       : m.type == "ping"         ? 4 * P
                                       : m.type == "pong"         ? 4 * P
                                       : m.type == "new_block"    ? 2 * B
                                       : m.type == "transactions" ? 2 * (t_a + t_c)
                                                                  : 0;
        EXPECT_EQ(m.messages, expected) << m.type;
        EXPECT_EQ(m.dropped, 0u) << m.type;
    }
}

}  // namespace
}  // namespace cl::sim::world
