// protocol/node driven by a minimal in-test event loop (fixed link latency, no
// bandwidth): sealing in turn, gossip, fetching, ancestor sync, transactions and
// governance votes end to end on real keys and real blocks.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <queue>

#include "protocol/core/split_mix64.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "protocol/state/call.hpp"

namespace cl::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::uint64_t kChainId = 61'777;
constexpr std::uint64_t kGenesisTime = 1'700'000'000;

PrivateKey key(const std::string& name) { return derive_private_key(11, name); }

state::GenesisConfig config(int clouds) {
    state::GenesisConfig c;
    c.chain_id = kChainId;
    c.notary = address_of(key("notary"));
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    for (int i = 0; i < clouds; ++i) {
        const std::string n = "cloud-" + std::to_string(i);
        c.clouds.push_back(
            state::GenesisCloud{n, address_of(key(n + "/op")), address_of(key(n + "/val")), "r", {100}});
    }
    return c;
}

// Nodes 0..validators-1 are validators; all nodes are connected to all others unless
// `links` says otherwise. Messages take `latency`; `down` nodes drop everything.
class Net {
  public:
    Net(int validators, int full, milliseconds latency = milliseconds(80))
        : latency_(latency), genesis_(make_genesis(config(validators), kGenesisTime).value()) {
        const int n = validators + full;
        for (int i = 0; i < n; ++i) {
            NodeConfig c;
            c.txpool.chain_id = kChainId;
            if (i < validators) c.signer_key = key("cloud-" + std::to_string(i) + "/val");
            for (int p = 0; p < n; ++p) {
                if (p != i) c.peers.push_back(static_cast<PeerId>(p));
            }
            rngs_.push_back(std::make_unique<SplitMix64>(static_cast<std::uint64_t>(i) + 1));
            nodes_.push_back(
                std::make_unique<Node>(c, genesis_.block, genesis_.state, cache_, *rngs_.back()));
        }
        down_.assign(static_cast<std::size_t>(n), false);
        for (int i = 0; i < n; ++i) apply(i, nodes_[static_cast<std::size_t>(i)]->start(now_));
    }

    Node& node(int i) { return *nodes_[static_cast<std::size_t>(i)]; }
    int size() const { return static_cast<int>(nodes_.size()); }
    Nanos now() const { return now_; }
    void set_down(int i, bool down) {
        down_[static_cast<std::size_t>(i)] = down;
        if (!down) apply(i, node(i).start(now_));
    }
    void submit(int i, const TxRef& tx) { apply(i, node(i).on_local_tx(now_, tx)); }
    std::map<std::string, int> rejected;
    std::size_t messages = 0;

    void run_for(Nanos d) {
        const Nanos end = now_ + d;
        while (!queue_.empty() && queue_.top().at <= end) {
            Event e = queue_.top();
            queue_.pop();
            now_ = e.at;
            if (down_[static_cast<std::size_t>(e.node)]) continue;
            apply(e.node, e.message ? node(e.node).on_message(now_, e.from, *e.message)
                                    : node(e.node).on_timer(now_, e.token));
        }
        now_ = end;
    }

  private:
    struct Event {
        Nanos at;
        std::uint64_t seq;
        int node;
        PeerId from;
        std::optional<Message> message;
        std::uint64_t token;
        bool operator>(const Event& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
    };
    void apply(int from, const Effects& effects) {
        for (const auto& ev : effects.events) {
            if (const auto* r = std::get_if<BlockRejected>(&ev)) ++rejected[r->reason];
        }
        for (const Send& s : effects.sends) {
            ++messages;
            queue_.push(Event{now_ + latency_, seq_++, static_cast<int>(s.to), static_cast<PeerId>(from),
                              s.message, 0});
        }
        for (const Timer& t : effects.timers)
            queue_.push(Event{t.at, seq_++, from, 0, std::nullopt, t.token});
    }

    milliseconds latency_;
    Genesis genesis_;
    ExecutionCache cache_;
    std::vector<std::unique_ptr<SplitMix64>> rngs_;
    std::vector<std::unique_ptr<Node>> nodes_;
    std::vector<bool> down_;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
    std::uint64_t seq_ = 0;
    Nanos now_ = seconds(kGenesisTime);
};

TxRef request_tx(const std::string& user, std::uint64_t nonce) {
    Transaction t;
    t.chain_id = kChainId;
    t.nonce = nonce;
    t.to = state::kPoolAddress;
    t.call = state::encode_call(state::RequestCall{0, {}});
    return std::make_shared<RecoveredTransaction>(
        recover_transaction(sign_transaction(t, key(user))).value());
}

TEST(Node, ValidatorsSealInTurnEveryPeriodAndAllNodesAgree) {
    Net net(3, 3);
    net.run_for(seconds(15 * 40 + 5));
    const BlockEntry& head = net.node(0).head();
    EXPECT_EQ(head.header.number, 40u);
    for (int i = 1; i < net.size(); ++i) EXPECT_EQ(net.node(i).head().hash, head.hash) << "node " << i;
    // Every block in turn, 15 s apart.
    const BlockTree& tree = net.node(4).chain().tree();
    for (std::uint64_t n = 1; n <= 40; ++n) {
        const BlockEntry* b = tree.find(tree.canonical_hash(n).value());
        EXPECT_EQ(b->header.difficulty, 2u) << n;
        EXPECT_EQ(b->header.time, kGenesisTime + 15 * n);
    }
    EXPECT_TRUE(net.rejected.empty());
}

TEST(Node, RequestsAreRelayedIncludedAndQueryable) {
    Net net(3, 2);
    auto tx = request_tx("alice", 0);
    net.submit(4, tx);  // a full node
    net.run_for(seconds(31));
    const CodeView view = net.node(3).query_code(tx->hash);
    ASSERT_TRUE(view.code.has_value());
    EXPECT_EQ(view.code->owner, tx->sender);
    EXPECT_GE(view.confirmations, 0u);
    for (int i = 0; i < net.size(); ++i) EXPECT_EQ(net.node(i).txpool().size(), 0u) << "included: dropped";
}

TEST(Node, OfflineValidatorIsCoveredOutOfTurnAndResyncs) {
    Net net(3, 1);
    net.set_down(2, true);
    net.run_for(seconds(15 * 12));
    const std::uint64_t height = net.node(0).head().header.number;
    EXPECT_GE(height, 10u) << "the two others seal out of turn for the third";
    net.set_down(2, false);
    net.run_for(seconds(15 * 4 + 5));
    // Node 2 fetched the blocks it missed (ancestor sync) and agrees again.
    EXPECT_EQ(net.node(2).head().hash, net.node(0).head().hash);
    EXPECT_EQ(net.node(3).head().hash, net.node(0).head().hash);
}

TEST(Node, PendingCloudIsVotedInAndBecomesActive) {
    Net net(3, 0);
    state::RegisterCloudCall call{"cloud-new", address_of(key("new/val")), {}};
    call.attestation = sign(state::attestation_hash(kChainId, call.name, call.validator), key("notary"));
    Transaction t;
    t.chain_id = kChainId;
    t.to = state::kGovernanceAddress;
    t.call = state::encode_call(call);
    net.submit(0, std::make_shared<RecoveredTransaction>(
                      recover_transaction(sign_transaction(t, key("new/op"))).value()));
    net.run_for(seconds(15 * 8));
    const auto clouds = net.node(1).head_state().clouds();
    ASSERT_EQ(clouds.size(), 4u);
    EXPECT_EQ(clouds[3].status, state::CloudStatus::kActive) << "two of three validators voted AUTH";
    EXPECT_TRUE(net.node(1).chain().snapshot(net.node(1).head().hash).is_signer(call.validator));
}

TEST(Node, SameRunTwiceGivesTheSameChain) {
    auto run = [] {
        Net net(4, 3);
        for (int i = 0; i < 5; ++i) net.submit(4 + i % 3, request_tx("user-" + std::to_string(i), 0));
        net.run_for(seconds(15 * 10));
        return std::make_pair(net.node(5).head().hash, net.messages);
    };
    EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace cl::node
