// protocol/node driven by a minimal in-test event loop (fixed link latency, no
// bandwidth): sealing in turn, gossip, fetching, ancestor sync, transactions and
// governance votes end to end on real keys and real blocks; lost requests and replies,
// crashed peers, bounded orphans, abandoned seals and the eth block-relay split; the peer
// life cycle (Status handshake, pings, read timeouts, redials), the chain sync and what
// they make of a healed partition; and RecentSet, the node's recent-transaction table.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <queue>
#include <set>

#include "protocol/core/split_mix64.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "protocol/state/call.hpp"

namespace cl::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::uint64_t kChainId = state::kSimulatedChainId;
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
// `linked` says otherwise. Messages take `latency`; `down` nodes drop everything; a send
// for which `drop_if` returns true is lost.
class Net {
  public:
    using Filter = std::function<bool(int from, int to, const Message& m)>;
    Net(int validators, int full, milliseconds latency = milliseconds(80),
        const std::function<bool(int, int)>& linked = {},
        const std::function<void(int, NodeConfig&)>& configure = {})
        : latency_(latency), genesis_(make_genesis(config(validators), kGenesisTime).value()) {
        const int n = validators + full;
        for (int i = 0; i < n; ++i) {
            NodeConfig c;
            c.txpool.chain_id = kChainId;
            if (i < validators) c.signer_key = key("cloud-" + std::to_string(i) + "/val");
            for (int p = 0; p < n; ++p) {
                if (p != i && (!linked || linked(i, p))) c.peers.push_back(static_cast<PeerId>(p));
            }
            if (configure) configure(i, c);
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
    void set_final_checkpoint(int i, const checkpoint::FinalCheckpoint& cp) {
        apply(i, node(i).set_final_checkpoint(now_, cp));
    }
    bool is_down(int i) const { return down_[static_cast<std::size_t>(i)]; }
    const Genesis& genesis() const { return genesis_; }
    // Node i's canonical chain, genesis first: element k is block k.
    std::vector<BlockRef> canonical_chain(int i) {
        const BlockTree& tree = node(i).chain().tree();
        std::vector<BlockRef> blocks{genesis_.block};
        for (std::uint64_t k = 1; k <= node(i).head().header.number; ++k)
            blocks.push_back(node(i).block(tree.canonical_hash(k).value()));
        return blocks;
    }
    std::map<std::string, int> rejected;
    std::map<int, std::vector<CheckpointConflict>> conflicts;           // by node
    std::map<int, std::vector<FinalCheckpointRefused>> refused_finals;  // by node
    std::size_t messages = 0;
    std::size_t dropped = 0;
    Filter drop_if;

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
            if (const auto* c = std::get_if<CheckpointConflict>(&ev)) conflicts[from].push_back(*c);
            if (const auto* f = std::get_if<FinalCheckpointRefused>(&ev)) refused_finals[from].push_back(*f);
        }
        for (const Send& s : effects.sends) {
            ++messages;
            if (drop_if && drop_if(from, static_cast<int>(s.to), s.message)) {
                ++dropped;
                continue;
            }
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

// DESIGN.md §5: nodes sharing one ExecutionCache keep one copy of each block's header
// (the block's own) and of the Clique snapshot after it, whoever imported it first.
TEST(Node, NodesShareHeadersAndSnapshots) {
    Net net(3, 3);
    net.run_for(seconds(15 * 5 + 5));
    const Hash32 h = net.node(0).head().hash;
    ASSERT_GE(net.node(0).head().header.number, 5u);
    const Header* header = &net.node(0).chain().tree().find(h)->header;
    const clique::Snapshot* snapshot = &net.node(0).chain().snapshot(h);
    EXPECT_EQ(header, &net.node(0).block(h)->header) << "the tree keeps the block's header";
    for (int i = 1; i < net.size(); ++i) {
        ASSERT_EQ(net.node(i).head().hash, h);
        EXPECT_EQ(&net.node(i).chain().tree().find(h)->header, header) << "node " << i;
        EXPECT_EQ(&net.node(i).chain().snapshot(h), snapshot) << "node " << i;
    }
}

// Chain state by dense block id (docs/benchmarks.md "Chain state"): nodes sharing one
// ExecutionCache share its block index, and each stored block's Block and the ledger state
// after it are the cache's one copy; each node still answers only for what it stores.
TEST(Node, NodesShareBlockIndexBlocksAndStates) {
    Net net(3, 3);
    net.run_for(seconds(15 * 5 + 5));
    const Hash32 h = net.node(0).head().hash;
    ASSERT_GE(net.node(0).head().header.number, 5u);
    const BlockIndex& index = net.node(0).chain().tree().index();
    EXPECT_EQ(index.size(), net.node(0).chain().tree().size()) << "one entry per block, not per node";
    const state::LedgerState* state = net.node(0).state_of(h);
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(state, &net.node(0).head_state());
    for (int i = 1; i < net.size(); ++i) {
        EXPECT_EQ(&net.node(i).chain().tree().index(), &index) << "node " << i;
        EXPECT_EQ(net.node(i).state_of(h), state) << "node " << i;
        EXPECT_EQ(net.node(i).block(h), net.node(0).block(h)) << "node " << i;
    }
    EXPECT_EQ(net.node(0).state_of(Hash32{}), nullptr);
    EXPECT_EQ(net.node(0).block(Hash32{}), nullptr);
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

// docs/txpool.md "Who is metered": the operator of a cloud active in the head state is
// not held to the per-sender token bucket (burst 5); anyone else is.
TEST(Node, MemberOperatorsSkipTheTokenBucketOthersDoNot) {
    Net net(3, 2);
    for (std::uint64_t n = 0; n < 8; ++n) {
        net.submit(4, request_tx("cloud-0/op", n));
        net.submit(4, request_tx("bob", n));
    }
    net.run_for(seconds(1));  // relayed, not yet sealed
    const Address op = address_of(key("cloud-0/op"));
    const Address bob = address_of(key("bob"));
    for (int i : {3, 4}) {
        EXPECT_EQ(net.node(i).txpool().pending_count(op), 8u) << "node " << i;
        EXPECT_EQ(net.node(i).txpool().pending_count(bob), 5u) << "node " << i;
    }
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

// Membership of `a` after each block of node i's canonical chain, genesis first.
std::vector<bool> membership(Net& net, int i, const Address& a) {
    std::vector<bool> out;
    for (const BlockRef& b : net.canonical_chain(i))
        out.push_back(net.node(i).chain().snapshot(b->hash).is_signer(a));
    return out;
}

// NodeConfig::proposals (geth clique_propose): two of three validators vote cloud-2 out
// from 60 s on. No header before then carries the vote; afterwards 2 votes > 3/2 pass,
// and the ledger marks the cloud removed.
TEST(NodeSeal, OperatorProposalsAreVotedFromTheirTime) {
    const Address target = address_of(key("cloud-2/val"));
    const Nanos from = seconds(kGenesisTime + 60);
    Net net(3, 0, milliseconds(80), {}, [&](int i, NodeConfig& c) {
        if (i < 2)
            c.proposals.push_back(NodeConfig::ScheduledProposal{clique::Proposal{target, false}, from});
    });
    net.run_for(seconds(55));
    for (const BlockRef& b : net.canonical_chain(0)) EXPECT_NE(b->header.coinbase, target);
    net.run_for(seconds(15 * 6));
    EXPECT_FALSE(net.node(0).chain().snapshot(net.node(0).head().hash).is_signer(target));
    EXPECT_EQ(net.node(0).head_state().clouds()[2].status, state::CloudStatus::kRemoved);
    const std::size_t before = net.canonical_chain(0).size();
    net.run_for(seconds(15 * 4));
    EXPECT_GT(net.canonical_chain(0).size(), before + 2) << "the other two seal on";
}

// NodeConfig::drop_unattested_signers: nodes 0 and 1 of 3 vote an identity without a
// cloud in; with counter-votes on all three, it is voted out again once it is a signer
// (3 of 4 DROP), and in again (2 of 3 AUTH): its membership flips; without them it stays.
TEST(NodeSeal, UnattestedSignersAreCounterVotedOut) {
    const Address intruder = address_of(key("intruder"));
    const auto run = [&](bool counter) {
        Net net(3, 0, milliseconds(80), {}, [&](int i, NodeConfig& c) {
            if (i < 2)
                c.proposals.push_back(NodeConfig::ScheduledProposal{clique::Proposal{intruder, true}, {}});
            c.drop_unattested_signers = counter;
        });
        net.run_for(seconds(15 * 20));
        const std::vector<bool> m = membership(net, 0, intruder);
        int flips = 0;
        for (std::size_t k = 1; k < m.size(); ++k) flips += m[k] != m[k - 1] ? 1 : 0;
        return flips;
    };
    EXPECT_EQ(run(false), 1) << "added, never removed";
    EXPECT_GE(run(true), 2) << "added, then voted out by the counter-votes";
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

// ---- fetching: lost requests and replies, crashed peers (liveness) ----

// A full node that hears of blocks only by announcement (every full block sent to it
// is lost unless it answers one of its requests) and loses one request or one reply,
// while blocks are sealed. Then the network is healed for a few blocks; the node must
// have caught up: the lost fetch was retried, not left to block every later orphan.
void expect_catch_up_after_one_lost(bool lose_reply) {
    Net net(3, 1);
    constexpr int kFull = 3;
    std::set<std::pair<int, Hash32>> asked;  // (peer, block) requested by kFull, unanswered
    std::map<Hash32, int> requests;          // requests kFull sent, per block
    std::optional<Hash32> lost;
    net.drop_if = [&](int from, int to, const Message& m) {
        if (const auto* g = std::get_if<GetBlockMsg>(&m); g && from == kFull) {
            ++requests[g->hash];
            if (!lose_reply && !lost) {
                lost = g->hash;
                return true;
            }
            asked.emplace(to, g->hash);
        }
        if (const auto* b = std::get_if<NewBlockMsg>(&m); b && to == kFull) {
            if (asked.erase({from, b->block->hash}) == 0) return true;  // not a reply
            if (lose_reply && !lost) {
                lost = b->block->hash;
                return true;
            }
        }
        return false;
    };
    net.run_for(seconds(15 * 6 + 5));
    net.drop_if = nullptr;
    net.run_for(seconds(15 * 3));
    ASSERT_TRUE(lost.has_value());
    EXPECT_GE(requests[*lost], 2) << "the block was requested again";
    EXPECT_EQ(net.node(0).head().header.number, 9u);
    EXPECT_EQ(net.node(kFull).head().hash, net.node(0).head().hash) << "caught up";
    EXPECT_EQ(net.node(kFull).orphan_count(), 0u);
    EXPECT_EQ(net.node(kFull).fetch_count(), 0u);
}

TEST(NodeFetch, LostRequestIsSentAgainAndTheNodeCatchesUp) { expect_catch_up_after_one_lost(false); }

TEST(NodeFetch, LostReplyIsRequestedAgainAndTheNodeCatchesUp) { expect_catch_up_after_one_lost(true); }

TEST(NodeFetch, AncestorSyncMovesOnFromACrashedPeer) {
    Net net(3, 1);
    constexpr int kFull = 3;
    net.set_down(kFull, true);
    net.run_for(seconds(15 * 5 + 5));  // misses five blocks
    net.set_down(kFull, false);
    int crashed = -1;
    std::set<int> asked;
    net.drop_if = [&](int from, int to, const Message& m) {
        const auto* g = std::get_if<GetBlockMsg>(&m);
        if (from != kFull || g == nullptr) return false;
        asked.insert(to);
        const BlockEntry* b = net.node(0).chain().tree().find(g->hash);
        if (crashed < 0 && b != nullptr && b->header.number <= 5) {
            crashed = to;  // the first peer asked for a missed ancestor crashes: the request is lost
            net.set_down(to, true);
        }
        return false;
    };
    net.run_for(seconds(15 * 6));
    ASSERT_GE(crashed, 0);
    const int live = crashed == 0 ? 1 : 0;
    EXPECT_GE(net.node(live).head().header.number, 10u) << "the other two seal out of turn";
    EXPECT_EQ(net.node(kFull).head().hash, net.node(live).head().hash) << "synced from another peer";
    EXPECT_GE(asked.size(), 2u);
    EXPECT_EQ(net.node(kFull).orphan_count(), 0u);
}

Hash32 hash_with_prefix(std::uint64_t first8, std::uint8_t last = 0) {
    Hash32 h;
    for (int i = 0; i < 8; ++i)
        h.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(first8 >> (8 * i));
    h.bytes[31] = last;
    return h;
}

const GetBlockMsg* only_request(const Effects& e) {
    if (e.sends.size() != 1) return nullptr;
    return std::get_if<GetBlockMsg>(&e.sends[0].message);
}

// The Status a peer on genesis `g` sends; TD `td` (genesis: its difficulty) and head `head`.
StatusMsg status_of(const Genesis& g, std::uint64_t td = 0, std::optional<Hash32> head = std::nullopt) {
    return StatusMsg{kChainId, td == 0 ? g.block->header.difficulty : td, head.value_or(g.block->hash),
                     g.block->hash};
}

// Opens the connections of `n` to `peers` as their dials would: a Status from each.
void connect(Node& n, const Genesis& g, const std::vector<PeerId>& peers, Nanos now) {
    for (PeerId p : peers) (void)n.on_message(now, p, status_of(g));
}

// Delivers every message among `nodes` (node i is peer i), starting from `pending`, until
// none is left; returns the effects each node produced, in order.
void exchange(std::vector<std::unique_ptr<Node>>& nodes, std::vector<std::pair<PeerId, Effects>> pending,
              Nanos now) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
        const PeerId from = pending[i].first;
        const std::vector<Send> sends = pending[i].second.sends;
        for (const Send& s : sends) pending.emplace_back(s.to, nodes[s.to]->on_message(now, from, s.message));
    }
}

TEST(NodeFetch, RetriesCyclePeersKnownToHaveTheBlockThenTheOthersThenGiveUp) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(1);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {1, 2, 3, 4};
    Node n(c, g.block, g.state, cache, rng);
    const Hash32 h = hash_with_prefix(0xfeed);  // a block nobody will deliver
    Nanos now = seconds(kGenesisTime + 1);
    connect(n, g, c.peers, now);

    Effects e = n.on_message(now, 2, NewBlockHashesMsg{h, 1});
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(e.sends[0].to, 2u);
    ASSERT_EQ(e.timers.size(), 1u);
    EXPECT_EQ(e.timers[0].at, now + c.fetch_timeout);
    const std::uint64_t first_token = e.timers[0].token;
    EXPECT_TRUE(n.on_message(now, 4, NewBlockHashesMsg{h, 1}).sends.empty()) << "fetching already";

    // Known to have it: 2, 4 (announcers, in that order); then 1, 3 (configuration order).
    Timer timer = e.timers[0];
    for (PeerId want : {4u, 1u, 3u, 2u, 4u, 1u, 3u}) {
        now = timer.at;
        e = n.on_timer(now, timer.token);
        ASSERT_NE(only_request(e), nullptr) << "to " << want;
        EXPECT_EQ(only_request(e)->hash, h);
        EXPECT_EQ(e.sends[0].to, want);
        ASSERT_EQ(e.timers.size(), 1u);
        timer = e.timers[0];
    }
    // Eight requests sent (fetch_attempts): the ninth timeout gives up.
    e = n.on_timer(timer.at, timer.token);
    EXPECT_TRUE(e.sends.empty() && e.timers.empty());
    EXPECT_EQ(n.fetch_count(), 0u);
    EXPECT_TRUE(n.on_timer(timer.at, first_token).sends.empty()) << "a stale token does nothing";
    // A new announcement starts a new fetch.
    e = n.on_message(timer.at, 3, NewBlockHashesMsg{h, 1});
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(e.sends[0].to, 3u);
}

TEST(NodeFetch, OrphansAreBoundedOldestDroppedFirstAndFetchedAgainWhenNeeded) {
    Net net(1, 0);
    net.run_for(seconds(15 * 13 + 5));
    ASSERT_EQ(net.node(0).head().header.number, 13u);
    const std::vector<BlockRef> blocks = net.canonical_chain(0);

    ExecutionCache cache;
    SplitMix64 rng(2);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {7};
    c.max_orphans = 4;
    Node n(c, net.genesis().block, net.genesis().state, cache, rng);
    const Nanos now = seconds(kGenesisTime + 15 * 14);
    connect(n, net.genesis(), c.peers, now);
    auto deliver = [&](std::size_t k) { return n.on_message(now, 7, NewBlockMsg{blocks[k]}); };

    // 12 down to 2, each an orphan asking for its parent; only the 4 latest arrivals stay.
    for (std::size_t k = 12; k >= 2; --k) {
        const Effects e = deliver(k);
        ASSERT_NE(only_request(e), nullptr) << k;
        EXPECT_EQ(only_request(e)->hash, blocks[k - 1]->hash);
        EXPECT_EQ(e.sends[0].to, 7u);
        EXPECT_EQ(n.orphan_count(), std::min<std::size_t>(13 - k, 4));
    }
    (void)deliver(1);
    EXPECT_EQ(n.head().header.number, 5u) << "1 and the kept orphans 2..5 imported; 6..12 were dropped";
    EXPECT_EQ(n.orphan_count(), 0u);
    // The dropped blocks are fetched again when a descendant needs them: 9 asks for 8 (a
    // block dropped earlier), and so on down to 6; then 13 for 12 down to 10.
    for (const auto& [top, bottom] : {std::pair<std::size_t, std::size_t>{9, 6}, {13, 10}}) {
        for (std::size_t k = top; k > bottom; --k) {
            const Effects e = deliver(k);
            ASSERT_NE(only_request(e), nullptr) << k;
            EXPECT_EQ(only_request(e)->hash, blocks[k - 1]->hash);
        }
        (void)deliver(bottom);
        EXPECT_EQ(n.head().hash, blocks[top]->hash);
        EXPECT_EQ(n.orphan_count(), 0u);
    }
    EXPECT_EQ(n.fetch_count(), 0u);
}

// ---- peers: the Status handshake, pings, read timeouts, redials (docs/simulation.md "Peers") ----

template <class M>
const M* sent(const Effects& e, std::size_t i, PeerId to) {
    if (i >= e.sends.size() || e.sends[i].to != to) return nullptr;
    return std::get_if<M>(&e.sends[i].message);
}

TEST(NodePeers, StartDialsEveryPeerAndAStatusOpensTheConnection) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(1);
    NodeConfig c;
    c.first_connections_aged = false;  // first pings exactly one interval after opening
    c.txpool.chain_id = kChainId;
    c.peers = {1, 2};
    Node n(c, g.block, g.state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime);
    Effects e = n.start(t0);
    ASSERT_EQ(e.sends.size(), 2u) << "a dial (our Status) to each peer";
    for (PeerId p : {1u, 2u}) {
        const auto* s = sent<StatusMsg>(e, p - 1, p);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->network_id, kChainId);
        EXPECT_EQ(s->head, g.block->hash);
        EXPECT_EQ(s->genesis, g.block->hash);
        EXPECT_EQ(s->total_difficulty, g.block->header.difficulty);
    }
    EXPECT_EQ(n.connected_count(), 0u);

    // A message on a connection that is not open is not read: it meets a reset.
    const Nanos t1 = t0 + milliseconds(80);
    e = n.on_message(t1, 1, NewBlockHashesMsg{hash_with_prefix(5), 1});
    ASSERT_EQ(e.sends.size(), 1u);
    ASSERT_NE(sent<DisconnectMsg>(e, 0, 1), nullptr);
    EXPECT_EQ(n.fetch_count(), 0u);

    // Peer 1's Status opens it, answered with ours; the first ping is due one interval on.
    e = n.on_message(t1, 1, status_of(g));
    EXPECT_TRUE(n.connected(1));
    EXPECT_FALSE(n.connected(2));
    ASSERT_EQ(e.sends.size(), 1u);
    EXPECT_NE(sent<StatusMsg>(e, 0, 1), nullptr);
    ASSERT_EQ(e.timers.size(), 1u);
    EXPECT_EQ(e.timers[0].at, t1 + c.ping_interval);
    // A second Status (the answer to our own dial) is not answered again.
    EXPECT_TRUE(n.on_message(t1, 1, status_of(g)).sends.empty());
    // Now what peer 1 sends is read.
    e = n.on_message(t1, 1, NewBlockHashesMsg{hash_with_prefix(5), 1});
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(n.on_message(t1, 1, PingMsg{}).sends.size(), 1u) << "a Pong";

    // A Status of another chain is refused (eth handshake: genesis mismatch).
    StatusMsg other = status_of(g);
    other.genesis = hash_with_prefix(9);
    e = n.on_message(t1, 2, other);
    EXPECT_FALSE(n.connected(2));
    ASSERT_EQ(e.sends.size(), 1u);
    const auto* refused = sent<DisconnectMsg>(e, 0, 2);
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->reason, kDiscSubprotocolError);
}

// The driver's peer index (the network's index of the sender at the receiver) is a hint:
// taken when it names the sender, otherwise the sender is found by id, so a wrong one
// never makes a message count as another peer's.
TEST(NodePeers, ThePeerIndexOfAMessageIsCheckedAgainstItsSender) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(1);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {4, 1, 4, 2};  // peers_ = {4, 1, 2}: the repeat is dropped
    Node n(c, g.block, g.state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime);
    (void)n.start(t0);
    (void)n.on_message(t0, 4, status_of(g), 0);  // right
    (void)n.on_message(t0, 1, status_of(g), 2);  // wrong: peer 2's index
    ASSERT_TRUE(n.connected(4));
    ASSERT_TRUE(n.connected(1));
    ASSERT_FALSE(n.connected(2)) << "a Status from 1 hinted as 2's is 1's";

    Effects e = n.on_message(t0, 4, PingMsg{}, 0);
    ASSERT_EQ(e.sends.size(), 1u);
    EXPECT_NE(sent<PongMsg>(e, 0, 4), nullptr);
    EXPECT_EQ(e.sends[0].peer_index, 0u);
    // Peer 2 is not connected: its message meets a reset, whatever index it comes with.
    for (std::uint32_t hint : {0u, 1u, 2u, 3u, Send::kUnknownPeerIndex}) {
        e = n.on_message(t0, 2, PingMsg{}, hint);
        ASSERT_EQ(e.sends.size(), 1u) << hint;
        EXPECT_NE(sent<DisconnectMsg>(e, 0, 2), nullptr) << hint;
        EXPECT_EQ(e.sends[0].peer_index, 2u) << hint;
    }
    // Peer 1 is connected: a Pong to it, at its own index.
    for (std::uint32_t hint : {0u, 1u, 2u, 9u, Send::kUnknownPeerIndex}) {
        e = n.on_message(t0, 1, PingMsg{}, hint);
        ASSERT_EQ(e.sends.size(), 1u) << hint;
        EXPECT_NE(sent<PongMsg>(e, 0, 1), nullptr) << hint;
        EXPECT_EQ(e.sends[0].peer_index, 1u) << hint;
    }
    EXPECT_TRUE(n.on_message(t0, 9, PingMsg{}, 0).sends.empty()) << "not a peer, whatever the hint";
}

// geth p2p: a ping every 15 s; a connection from which nothing was read for 30 s is
// dropped; a static peer is redialled, at most once every 35 s (dial history).
// Nodes sharing one ExecutionCache share its GossipMemory's storage, not what they know:
// a transaction one node saw is new to the other; each Send names its peer's index.
TEST(NodeGossip, NodesSharingACacheRememberTransactionsEachForItself) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng_a(1), rng_b(2);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {7, 3, 7, 9};  // a repeat is dropped: indices 0, 1, 2 for peers 7, 3, 9
    Node a(c, g.block, g.state, cache, rng_a);
    Node b(c, g.block, g.state, cache, rng_b);
    const Nanos now = seconds(kGenesisTime);
    connect(a, g, {7, 3, 9}, now);
    connect(b, g, {7, 3, 9}, now);
    const TxRef tx = request_tx("gossip-user", 0);

    Effects first = a.on_message(now, 3, TransactionsMsg{tx});
    EXPECT_EQ(first.work.txs_admitted, 1u);
    ASSERT_EQ(first.sends.size(), 2u) << "relayed to the other peers";
    EXPECT_EQ(first.sends[0].to, 7u);
    EXPECT_EQ(first.sends[0].peer_index, 0u);
    EXPECT_EQ(first.sends[1].to, 9u);
    EXPECT_EQ(first.sends[1].peer_index, 2u);

    Effects again = a.on_message(now, 9, TransactionsMsg{tx});
    EXPECT_EQ(again.work.txs_admitted, 0u) << "remembered: dropped on its hash";
    EXPECT_TRUE(again.sends.empty());

    Effects other = b.on_message(now, 9, TransactionsMsg{tx});
    EXPECT_EQ(other.work.txs_admitted, 1u) << "new to b, which shares only the storage";
    ASSERT_EQ(other.sends.size(), 2u);
    EXPECT_EQ(other.sends[1].to, 3u);
    EXPECT_EQ(other.sends[1].peer_index, 1u);
    EXPECT_EQ(cache.gossip().members(), 2u);
}

TEST(NodePeers, PingsEachIntervalDropsASilentPeerAndRedialsEveryDialInterval) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(1);
    NodeConfig c;
    c.first_connections_aged = false;  // first pings exactly one interval after opening
    c.txpool.chain_id = kChainId;
    c.peers = {1};
    Node n(c, g.block, g.state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime);
    const Effects started = n.start(t0);   // dials peer 1 at t0
    ASSERT_EQ(started.timers.size(), 2u);  // the peer timer (the next dial), the force-sync timer
    const Nanos up = t0 + milliseconds(50);
    Effects e = n.on_message(up, 1, status_of(g));
    ASSERT_EQ(e.timers.size(), 1u);
    Timer peer_timer = e.timers[0];
    EXPECT_EQ(peer_timer.at, up + seconds(15));

    // Fires the peer timer; returns its effects and keeps the next one.
    auto fire = [&](Nanos expected_at) {
        EXPECT_EQ(peer_timer.at, expected_at);
        Effects fired = n.on_timer(peer_timer.at, peer_timer.token);
        EXPECT_EQ(fired.timers.size(), 1u);
        if (!fired.timers.empty()) peer_timer = fired.timers[0];
        return fired;
    };
    e = fire(up + seconds(15));
    ASSERT_EQ(e.sends.size(), 1u);
    EXPECT_NE(sent<PingMsg>(e, 0, 1), nullptr);
    const Nanos pong = up + seconds(15) + milliseconds(100);
    EXPECT_TRUE(n.on_message(pong, 1, PongMsg{}).sends.empty());  // read: the last word from peer 1
    e = fire(up + seconds(30));
    EXPECT_NE(sent<PingMsg>(e, 0, 1), nullptr) << "unanswered: the peer went silent";
    e = fire(up + seconds(45));
    EXPECT_NE(sent<PingMsg>(e, 0, 1), nullptr);
    EXPECT_TRUE(n.connected(1)) << "29.95 s without a read";
    // 30 s after the pong: dropped (a Disconnect, "ping timeout"), and redialled at once
    // (the last dial, at t0, is more than 35 s ago).
    e = fire(pong + seconds(30));
    EXPECT_FALSE(n.connected(1));
    ASSERT_EQ(e.sends.size(), 2u);
    const auto* closed = sent<DisconnectMsg>(e, 0, 1);
    ASSERT_NE(closed, nullptr);
    EXPECT_EQ(closed->reason, kDiscReadTimeout);
    EXPECT_NE(sent<StatusMsg>(e, 1, 1), nullptr);
    // Unanswered dials are repeated every 35 s.
    for (int k = 1; k <= 3; ++k) {
        e = fire(pong + seconds(30) + seconds(35) * k);
        ASSERT_EQ(e.sends.size(), 1u);
        EXPECT_NE(sent<StatusMsg>(e, 0, 1), nullptr);
    }
    // Nothing arrives on the closed connection; a Status opens it again.
    EXPECT_NE(sent<DisconnectMsg>(n.on_message(peer_timer.at, 1, PingMsg{}), 0, 1), nullptr);
    EXPECT_FALSE(n.connected(1));
    (void)n.on_message(peer_timer.at, 1, status_of(g));
    EXPECT_TRUE(n.connected(1));
}

// The first connections stand for connections of unknown age (NodeConfig::
// first_connections_aged, the default): each one's first ping comes at its own random moment
// within the interval — not all one interval after the start, which would lock every ping of
// the network to the block slots. (Later connections ping one interval after opening:
// NodePeers.PingsEachIntervalDropsASilentPeerAndRedialsEveryDialInterval.)
TEST(NodePeers, FirstConnectionsPingAtTheirOwnRandomPhases) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(7);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {1, 2, 3, 4, 5, 6, 7, 8};
    Node n(c, g.block, g.state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime);
    const Nanos up = t0 + milliseconds(50);
    // A small event loop over the node's timers (stale tokens are ignored by the node),
    // recording when each peer is pinged during the first interval after `up`.
    std::vector<Timer> timers = n.start(t0).timers;
    for (PeerId p : c.peers) {
        const Effects e = n.on_message(up, p, status_of(g));
        timers.insert(timers.end(), e.timers.begin(), e.timers.end());
    }
    std::vector<std::vector<Nanos>> pings(9);
    while (!timers.empty()) {
        const auto first = std::min_element(timers.begin(), timers.end(),
                                            [](const Timer& a, const Timer& b) { return a.at < b.at; });
        const Timer t = *first;
        timers.erase(first);
        if (t.at > up + seconds(15)) break;
        // Keep every connection alive: each peer answered our last ping at once.
        for (PeerId p : c.peers) (void)n.on_message(t.at, p, PongMsg{});
        const Effects e = n.on_timer(t.at, t.token);
        for (const Send& s : e.sends)
            if (std::holds_alternative<PingMsg>(s.message)) pings[s.to].push_back(t.at);
        timers.insert(timers.end(), e.timers.begin(), e.timers.end());
    }
    std::set<Nanos> moments;
    for (PeerId p : c.peers) {
        ASSERT_EQ(pings[p].size(), 1u) << "peer " << p << ": one ping in the first interval";
        EXPECT_GT(pings[p][0], up) << "peer " << p;
        EXPECT_LE(pings[p][0], up + seconds(15)) << "peer " << p;
        moments.insert(pings[p][0]);
    }
    EXPECT_EQ(moments.size(), c.peers.size()) << "each first connection has its own phase";
}

// A Disconnect closes the connection at once (no read timeout to wait for); a peer that
// was dialled lately is redialled only once its 35 s are up.
TEST(NodePeers, DisconnectClosesTheConnectionAndTheRedialWaitsForTheDialHistory) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(1);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {1};
    Node n(c, g.block, g.state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime);
    (void)n.start(t0);
    const Effects up = n.on_message(t0 + milliseconds(50), 1, status_of(g));
    ASSERT_EQ(up.timers.size(), 1u);
    const Effects e = n.on_message(t0 + seconds(5), 1, DisconnectMsg{kDiscNetworkError});
    EXPECT_FALSE(n.connected(1));
    EXPECT_TRUE(e.sends.empty()) << "dialled at t0: not again before t0 + 35 s";
    // The peer timer (due for the first ping) finds nothing to do and waits for the dial.
    const Effects idle = n.on_timer(up.timers[0].at, up.timers[0].token);
    EXPECT_TRUE(idle.sends.empty());
    ASSERT_EQ(idle.timers.size(), 1u);
    EXPECT_EQ(idle.timers[0].at, t0 + seconds(35));
    const Effects dialled = n.on_timer(idle.timers[0].at, idle.timers[0].token);
    ASSERT_EQ(dialled.sends.size(), 1u);
    EXPECT_NE(sent<StatusMsg>(dialled, 0, 1), nullptr);
}

// ---- chain sync ----

// Item: a node holding orphans whose missing ancestor's fetch was given up fetches it
// again when something points at them (here the chain sync, whose target — the peer's
// head, learnt from its last NewBlock — is such an orphan). A line 0 — 1 — 2: validator 0
// seals, node 2 misses block 2 and every reply of node 1 to it is lost, so its fetch of
// block 2 is given up after 8 requests; blocks 3..6 stay orphans. Then the validator
// stops (no new block will point at them) and the replies get through again.
TEST(NodeFetch, OrphansWhoseAncestorFetchWasGivenUpAreFetchedAgain) {
    Net net(1, 2, milliseconds(80), [](int a, int b) { return a - b == 1 || b - a == 1; });
    std::set<Hash32> asked;  // blocks node 2 requested from node 1
    bool lose_replies = true;
    net.drop_if = [&](int from, int to, const Message& m) {
        if (from == 2 && to == 1) {
            if (const auto* g = std::get_if<GetBlockMsg>(&m)) asked.insert(g->hash);
        }
        if (from != 1 || to != 2) return false;
        if (const auto* a = std::get_if<NewBlockHashesMsg>(&m)) return a->number == 2;
        if (const auto* b = std::get_if<NewBlockMsg>(&m)) {
            if (asked.contains(b->block->hash)) return lose_replies;  // a reply
            return b->block->header.number == 2;                      // the relay of block 2
        }
        return false;
    };
    net.run_for(seconds(100));  // blocks 1..6
    net.set_down(0, true);
    ASSERT_EQ(net.node(1).head().header.number, 6u);
    EXPECT_EQ(net.node(2).head().header.number, 1u);
    EXPECT_EQ(net.node(2).orphan_count(), 4u) << "blocks 3..6";
    net.run_for(seconds(35));  // the last fetch of block 2 (from 90 s) is given up
    EXPECT_EQ(net.node(2).fetch_count(), 0u);
    EXPECT_EQ(net.node(2).head().header.number, 1u);
    lose_replies = false;
    net.run_for(seconds(30));
    EXPECT_EQ(net.node(2).head().hash, net.node(1).head().hash) << "block 2 fetched again, 3..6 imported";
    EXPECT_EQ(net.node(2).orphan_count(), 0u);
}

// The announcement path of the same fix: a block held as an orphan, announced again (or
// sent again in full) after the fetch of its missing ancestor was given up, restarts that
// fetch; while the fetch runs, it does not add another.
TEST(NodeFetch, AnnouncingAnOrphanRestartsTheGivenUpFetchOfItsAncestor) {
    Net net(1, 0);
    net.run_for(seconds(15 * 3 + 5));
    const std::vector<BlockRef> blocks = net.canonical_chain(0);

    ExecutionCache cache;
    SplitMix64 rng(2);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {7};
    Node n(c, net.genesis().block, net.genesis().state, cache, rng);
    Nanos now = seconds(kGenesisTime + 100);
    connect(n, net.genesis(), c.peers, now);
    Effects e = n.on_message(now, 7, NewBlockMsg{blocks[3], 0});
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(only_request(e)->hash, blocks[2]->hash);
    EXPECT_TRUE(n.on_message(now, 7, NewBlockHashesMsg{blocks[3]->hash, 3}).sends.empty()) << "being fetched";
    // Every request unanswered: given up after fetch_attempts.
    Timer t = e.timers.back();
    for (std::uint32_t k = 1; k < c.fetch_attempts; ++k) {
        e = n.on_timer(t.at, t.token);
        ASSERT_NE(only_request(e), nullptr);
        t = e.timers.back();
    }
    e = n.on_timer(t.at, t.token);
    EXPECT_TRUE(e.sends.empty());
    EXPECT_EQ(n.fetch_count(), 0u);
    EXPECT_EQ(n.orphan_count(), 1u);
    now = t.at;
    e = n.on_message(now, 7, NewBlockHashesMsg{blocks[3]->hash, 3});
    ASSERT_NE(only_request(e), nullptr) << "the announcement of the orphan restarts the fetch";
    EXPECT_EQ(only_request(e)->hash, blocks[2]->hash);
    EXPECT_TRUE(n.on_message(now, 7, NewBlockMsg{blocks[3], 0}).sends.empty()) << "being fetched again";
    (void)n.on_message(now, 7, NewBlockMsg{blocks[2], 0});
    (void)n.on_message(now, 7, NewBlockMsg{blocks[1], 0});
    EXPECT_EQ(n.head().hash, blocks[3]->hash);
}

// The chain sync (geth eth/sync.go): a node with fewer than 5 peers syncs once the force
// timer (10 s) has fired, from the peer whose Status carries the highest TD when it beats
// its own head's, fetching that peer's head and then its missing ancestors.
TEST(NodeSync, SyncsFromTheBestTdPeerAfterTheForceTimerAndAnnouncesTheNewHead) {
    Net net(1, 0);
    net.run_for(seconds(15 * 3 + 5));
    const BlockTree& tree = net.node(0).chain().tree();
    ASSERT_EQ(net.node(0).head().header.number, 3u);
    std::vector<BlockRef> blocks;
    for (std::uint64_t k = 1; k <= 3; ++k)
        blocks.push_back(net.node(0).block(tree.canonical_hash(k).value()));
    const std::uint64_t td3 = net.node(0).head().total_difficulty;

    ExecutionCache cache;
    SplitMix64 rng(3);
    NodeConfig c;
    c.txpool.chain_id = kChainId;
    c.peers = {1, 2, 3};
    Node n(c, net.genesis().block, net.genesis().state, cache, rng);
    const Nanos t0 = seconds(kGenesisTime + 100);
    const Effects started = n.start(t0);
    ASSERT_EQ(started.timers.size(), 2u);
    const Timer force = started.timers[1];
    EXPECT_EQ(force.at, t0 + seconds(10));
    // Peer 2 is ahead (TD of block 3), peers 1 and 3 at genesis; three peers are fewer
    // than five: no sync before the force timer.
    for (PeerId p : {1u, 2u, 3u}) {
        const Effects e = n.on_message(
            t0, p, p == 2 ? status_of(net.genesis(), td3, blocks[2]->hash) : status_of(net.genesis()));
        EXPECT_EQ(e.sends.size(), 1u) << "only our Status";
    }
    EXPECT_FALSE(n.syncing());
    Effects e = n.on_timer(force.at, force.token);
    EXPECT_TRUE(n.syncing());
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(e.sends[0].to, 2u);
    EXPECT_EQ(only_request(e)->hash, blocks[2]->hash);
    // Block 3, then its missing ancestors, from peer 2.
    e = n.on_message(force.at, 2, NewBlockMsg{blocks[2], td3});
    ASSERT_NE(only_request(e), nullptr);
    EXPECT_EQ(only_request(e)->hash, blocks[1]->hash);
    e = n.on_message(force.at, 2, NewBlockMsg{blocks[1], 0});
    EXPECT_EQ(only_request(e)->hash, blocks[0]->hash);
    e = n.on_message(force.at, 2, NewBlockMsg{blocks[0], 0});
    EXPECT_EQ(n.head().hash, blocks[2]->hash);
    EXPECT_FALSE(n.syncing());
    // Peers 1 and 3 learn of the new head (relayed as the blocks were imported; the
    // announcement that ends a sync goes to peers not told yet); peer 2 sent it.
    std::set<PeerId> told;
    for (const Send& s : e.sends) {
        const auto* a = std::get_if<NewBlockHashesMsg>(&s.message);
        const auto* b = std::get_if<NewBlockMsg>(&s.message);
        if ((a != nullptr && a->hash == blocks[2]->hash) ||
            (b != nullptr && b->block->hash == blocks[2]->hash))
            told.insert(s.to);
    }
    EXPECT_EQ(told, (std::set<PeerId>{1, 3}));
}

// ---- partitions: what the peer rules make of a heal ----

// Four signers (EIP-225, N = 4: the signer in turn for height m is the one at position
// m mod 4 of the address-sorted list; a signer that sealed one of the last two blocks
// waits) seal blocks 1..4 in turn — positions 1, 2, 3, 0 — then split 2 | 2 at 65 s for
// 5 minutes: the cross connections are dropped after 30 s of silence and redialled in
// vain every 35 s; after the heal a redial succeeds, and its Status carries each side's
// TD. A node syncs from a peer only when the peer's TD beats its own.
struct Split {
    std::vector<int> a, b;  // node indices of each side
};
Split split_by_position(const std::vector<std::size_t>& side_a) {
    std::vector<Address> signers;
    for (int i = 0; i < 4; ++i) signers.push_back(address_of(key("cloud-" + std::to_string(i) + "/val")));
    std::vector<Address> sorted = signers;
    std::sort(sorted.begin(), sorted.end());
    Split s;
    for (int i = 0; i < 4; ++i) {
        const auto p = static_cast<std::size_t>(
            std::find(sorted.begin(), sorted.end(), signers[static_cast<std::size_t>(i)]) - sorted.begin());
        (std::find(side_a.begin(), side_a.end(), p) != side_a.end() ? s.a : s.b).push_back(i);
    }
    return s;
}

void run_split(Net& net, const Split& s, bool& split) {
    auto side = [&](int n) { return std::find(s.a.begin(), s.a.end(), n) != s.a.end(); };
    net.drop_if = [&, side](int from, int to, const Message&) { return split && side(from) != side(to); };
    net.run_for(seconds(65));
    const BlockTree& tree = net.node(0).chain().tree();
    ASSERT_EQ(net.node(0).head().header.number, 4u);
    for (std::uint64_t m = 1; m <= 4; ++m)
        ASSERT_EQ(tree.find(tree.canonical_hash(m).value())->header.difficulty, 2u)
            << "premise: " << m << " in turn";
    split = true;
    net.run_for(minutes(5));
    split = false;
    net.run_for(minutes(3));
}

// Sides {1, 2} | {3, 0}. Height 5 (in turn 1): side a seals it (+2); side b's 3 and 0
// sealed 3 and 4: it stalls. Height 6 (2): a +2; then a's signers sealed 5 and 6: it
// stalls. a is heavier (+4 against +0): after the heal b's nodes sync from a's, 3 is no
// longer recent on a's chain and seals 7 in turn: sealing resumes on one chain.
TEST(NodeSplit, HeavierSideWinsWhenTheRedialledHandshakeShowsItsTd) {
    Net net(4, 0);
    const Split s = split_by_position({1, 2});
    bool split = false;
    run_split(net, s, split);
    for (int i = 1; i < 4; ++i) EXPECT_EQ(net.node(i).head().hash, net.node(0).head().hash) << i;
    EXPECT_GE(net.node(0).head().header.number, 6u + 4u) << "sealing resumed";
    const BlockTree& tree = net.node(0).chain().tree();
    for (std::uint64_t m = 5; m <= 6; ++m)
        EXPECT_EQ(tree.find(tree.canonical_hash(m).value())->header.difficulty, 2u) << "a's block " << m;
}

// Sides {1, 0} | {2, 3}. Height 5 (in turn 1): a +2; b: 3 sealed 3, so 2 seals it out of
// turn (+1). Height 6 (2): a's 1 and 0 sealed 5 and 4: a stalls at TD +2; b: 2 sealed 5,
// 3 seals 6 out of turn (+1), then b stalls at TD +2 too. Equal TDs: after the heal the
// connections are back, but no node's peer beats its TD, so none syncs, no new block is
// made, and the split lasts (the Clique deadlock of equal-difficulty forks).
TEST(NodeSplit, SidesStalledAtEqualTdStaySplitAfterTheHeal) {
    Net net(4, 0);
    const Split s = split_by_position({1, 0});
    bool split = false;
    run_split(net, s, split);
    const Node& a = net.node(s.a[0]);
    const Node& b = net.node(s.b[0]);
    EXPECT_EQ(a.head().header.number, 5u);
    EXPECT_EQ(b.head().header.number, 6u);
    EXPECT_EQ(a.head().total_difficulty, b.head().total_difficulty);
    EXPECT_EQ(net.node(s.a[1]).head().hash, a.head().hash);
    EXPECT_EQ(net.node(s.b[1]).head().hash, b.head().hash);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(net.node(i).connected_count(), 3u) << "node " << i << " reconnected";
}

// ---- checkpoint finality (spec/checkpoint.md §4) ----

// Five validators split 3 | 2 from genesis, full node 5 on the side of two. Side a
// ({0, 1, 2}) seals on (three signers rotate under the recent-signer limit of 3); side b
// ({3, 4}) seals blocks 1 and 2 and stalls. Node 5 learns that b's block 2 is final (as it
// would from the mainchain); node 3 does not. After the heal a's chain is far heavier:
// node 3 switches to it, node 5 refuses every block of it and counts each as a detection.
// Told of the checkpoint afterwards, node 3 rolls its head back to b's block 2.
TEST(NodeCheckpoint, FinalCheckpointKeepsTheNodeOffAHeavierChainThatLacksIt) {
    Net net(5, 1);
    const std::vector<int> side_a{0, 1, 2};
    bool split = true;
    auto side = [&](int n) { return std::find(side_a.begin(), side_a.end(), n) != side_a.end(); };
    net.drop_if = [&](int from, int to, const Message&) { return split && side(from) != side(to); };
    net.run_for(minutes(3));
    const BlockEntry& b_head = net.node(5).head();
    ASSERT_EQ(b_head.header.number, 2u) << "premise: side b stalls after two blocks";
    ASSERT_EQ(net.node(3).head().hash, b_head.hash);
    ASSERT_GT(net.node(0).head().total_difficulty, b_head.total_difficulty + 4) << "premise: a is heavier";
    const Hash32 final_hash = b_head.hash;
    const checkpoint::FinalCheckpoint cp{2, final_hash};
    net.set_final_checkpoint(5, cp);
    EXPECT_TRUE(net.conflicts[5].empty()) << "node 5's head contains the checkpoint";

    split = false;
    net.run_for(minutes(3) + seconds(5));  // not at a block boundary: every block has arrived
    EXPECT_EQ(net.node(3).head().hash, net.node(0).head().hash) << "without the checkpoint: a's chain";
    EXPECT_EQ(net.node(5).head().hash, final_hash) << "with it: a's heavier chain is refused";
    EXPECT_GT(net.node(0).head().total_difficulty, net.node(5).head().total_difficulty);
    ASSERT_FALSE(net.conflicts[5].empty());
    for (const CheckpointConflict& c : net.conflicts[5]) {
        EXPECT_EQ(c.checkpoint, cp);
        EXPECT_EQ(c.rolled_back, 0u);
        EXPECT_TRUE(net.node(5).block(c.block->hash)) << "stored, so never fetched again";
        EXPECT_EQ(net.node(5).chain().final_relation(c.block->hash), checkpoint::Relation::kConflicts);
    }
    // Each of a's blocks counted once, a's head among them.
    std::set<Hash32> counted;
    for (const CheckpointConflict& c : net.conflicts[5]) EXPECT_TRUE(counted.insert(c.block->hash).second);
    EXPECT_TRUE(counted.contains(net.node(0).head().hash));
    EXPECT_TRUE(net.conflicts[3].empty());

    const Hash32 a_head = net.node(3).head().hash;
    const std::uint64_t a_number = net.node(3).head().header.number;
    net.set_final_checkpoint(3, cp);
    ASSERT_EQ(net.conflicts[3].size(), 1u);
    EXPECT_EQ(net.conflicts[3][0].block->hash, a_head);
    EXPECT_EQ(net.conflicts[3][0].rolled_back, a_number) << "a forked at genesis";
    EXPECT_EQ(net.node(3).head().hash, final_hash);
}

// The same split. Node 3 (side b) holds b's block 1 as final; then it is told that a's
// block 4 is final — as the mainchain would if a threshold certified a second history.
// It does not hold that block (the split), so the update waits; after the heal a's blocks
// arrive, conflict with b's block 1 and are stored, and once a's block 4 is stored the
// waiting checkpoint is judged and refused. Node 3 stays on b: final means final.
TEST(NodeCheckpoint, ALaterFinalCheckpointOffTheHeldChainIsRefusedOnceItsBlockArrives) {
    Net net(5, 1);
    const std::vector<int> side_a{0, 1, 2};
    bool split = true;
    auto side = [&](int n) { return std::find(side_a.begin(), side_a.end(), n) != side_a.end(); };
    net.drop_if = [&](int from, int to, const Message&) { return split && side(from) != side(to); };
    net.run_for(minutes(3));
    ASSERT_EQ(net.node(3).head().header.number, 2u) << "premise: side b stalls after two blocks";
    ASSERT_GE(net.node(0).head().header.number, 4u);
    const Hash32 b2 = net.node(3).head().hash;
    const checkpoint::FinalCheckpoint held{1, net.node(3).chain().tree().canonical_hash(1).value()};
    const checkpoint::FinalCheckpoint other{4, net.node(0).chain().tree().canonical_hash(4).value()};
    net.set_final_checkpoint(3, held);
    net.set_final_checkpoint(3, other);
    EXPECT_TRUE(net.refused_finals[3].empty()) << "node 3 does not hold a's block 4 yet";
    EXPECT_EQ(net.node(3).chain().final_checkpoint(), held);

    split = false;
    net.run_for(minutes(3) + seconds(5));
    ASSERT_TRUE(net.node(3).block(other.block_hash)) << "a's blocks arrived (stored as conflicting)";
    ASSERT_EQ(net.refused_finals[3].size(), 1u);
    EXPECT_EQ(net.refused_finals[3][0].refused, other);
    EXPECT_EQ(net.refused_finals[3][0].held, held);
    EXPECT_EQ(net.node(3).chain().final_checkpoint(), held);
    EXPECT_EQ(net.node(3).chain().tree().canonical_hash(2), b2) << "node 3 stays on b's chain";
    EXPECT_NE(net.node(4).chain().tree().canonical_hash(2), b2) << "premise: without it, a's chain";
    EXPECT_EQ(net.node(3).chain().final_relation(net.node(0).head().hash), checkpoint::Relation::kConflicts);
}

// ---- sealing and relay ----

// Three validators, each a peer of the others, started at genesis with their Status
// handshakes done: planned[i] is node i's first seal timer; in_turn is the signer whose
// timer falls at the period (block 1 in turn), the others plan a later, out-of-turn release.
struct ThreeSigners {
    Genesis g = make_genesis(config(3), kGenesisTime).value();
    ExecutionCache cache;
    std::vector<std::unique_ptr<SplitMix64>> rngs;
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<Timer> planned;
    std::size_t in_turn = 0;

    void start() {
        std::vector<std::pair<PeerId, Effects>> started;
        for (int i = 0; i < 3; ++i) {
            NodeConfig c;
            c.txpool.chain_id = kChainId;
            c.signer_key = key("cloud-" + std::to_string(i) + "/val");
            for (int p = 0; p < 3; ++p) {
                if (p != i) c.peers.push_back(static_cast<PeerId>(p));
            }
            rngs.push_back(std::make_unique<SplitMix64>(static_cast<std::uint64_t>(i) + 1));
            nodes.push_back(std::make_unique<Node>(c, g.block, g.state, cache, *rngs.back()));
            const Effects e = nodes.back()->start(seconds(kGenesisTime));
            ASSERT_EQ(e.timers.size(), 3u)
                << "the peer timer, the force-sync timer, and every signer plans block 1";
            planned.push_back(e.timers.back());
            started.emplace_back(static_cast<PeerId>(i), e);
        }
        exchange(nodes, started, seconds(kGenesisTime));  // the Status handshakes
        for (const auto& n : nodes) ASSERT_EQ(n->connected_count(), 2u);
        in_turn = static_cast<std::size_t>(
            std::find_if(planned.begin(), planned.end(),
                         [](const Timer& t) { return t.at == seconds(kGenesisTime + 15); }) -
            planned.begin());
        ASSERT_LT(in_turn, 3u);
    }
};

TEST(NodeSeal, PendingSealIsAbandonedWhenABetterHeadArrives) {
    ThreeSigners t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    auto& nodes = t.nodes;
    const auto& planned = t.planned;
    const std::size_t in_turn = t.in_turn;
    const std::size_t out = in_turn == 0 ? 1 : 0;
    ASSERT_GT(planned[out].at, planned[in_turn].at);

    const Effects sealed = nodes[in_turn]->on_timer(planned[in_turn].at, planned[in_turn].token);
    ASSERT_EQ(sealed.events.size(), 2u);  // BlockSealed, BlockImported
    const auto* block = std::get_if<BlockSealed>(&sealed.events[0]);
    ASSERT_NE(block, nullptr);
    EXPECT_TRUE(block->in_turn);

    const Effects got =
        nodes[out]->on_message(planned[in_turn].at, static_cast<PeerId>(in_turn), NewBlockMsg{block->block});
    EXPECT_EQ(nodes[out]->head().hash, block->block->hash);
    ASSERT_EQ(got.timers.size(), 1u) << "a new plan, on the new head";
    EXPECT_NE(got.timers[0].token, planned[out].token);

    const Effects stale = nodes[out]->on_timer(planned[out].at, planned[out].token);
    EXPECT_TRUE(stale.events.empty()) << "the abandoned seal makes no block";
    EXPECT_TRUE(stale.sends.empty());
    EXPECT_TRUE(stale.timers.empty());
    EXPECT_EQ(nodes[out]->head().hash, block->block->hash);

    const Effects next = nodes[out]->on_timer(got.timers[0].at, got.timers[0].token);
    ASSERT_FALSE(next.events.empty());
    const auto* second = std::get_if<BlockSealed>(&next.events[0]);
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->block->header.number, 2u);
    EXPECT_EQ(second->block->header.parent_hash, block->block->hash);
}

// The sealer executes its own block once and does not verify its header (geth writes a
// block it sealed with the state it built: miner/worker.go resultLoop); a peer importing
// the block verifies the header and executes the block.
TEST(NodeSeal, SealerExecutesItsBlockOnceAndDoesNotVerifyIt) {
    ThreeSigners t;
    ASSERT_NO_FATAL_FAILURE(t.start());
    auto& nodes = t.nodes;
    const auto& planned = t.planned;
    const std::size_t in_turn = t.in_turn;
    const std::size_t other = (in_turn + 1) % 3;
    for (std::uint64_t n = 0; n < 3; ++n) {
        const Effects admitted =
            nodes[in_turn]->on_local_tx(seconds(kGenesisTime + 1), request_tx("carol", n));
        EXPECT_EQ(admitted.work.txs_admitted, 1u);
    }

    const Effects sealed = nodes[in_turn]->on_timer(planned[in_turn].at, planned[in_turn].token);
    ASSERT_FALSE(sealed.events.empty());
    const auto* block = std::get_if<BlockSealed>(&sealed.events[0]);
    ASSERT_NE(block, nullptr);
    ASSERT_EQ(block->block->txs.size(), 3u);
    EXPECT_EQ(nodes[in_turn]->head().hash, block->block->hash) << "sealed and imported";
    EXPECT_EQ(sealed.work.txs_executed, 3u) << "executed once";
    EXPECT_EQ(sealed.work.headers_verified, 0u) << "its own header is not verified";
    EXPECT_EQ(sealed.work.txs_admitted, 0u);

    const Effects imported = nodes[other]->on_message(planned[in_turn].at, static_cast<PeerId>(in_turn),
                                                      NewBlockMsg{block->block});
    EXPECT_EQ(nodes[other]->head().hash, block->block->hash);
    EXPECT_EQ(imported.work.headers_verified, 1u) << "a peer verifies the header";
    EXPECT_EQ(imported.work.txs_executed, 3u) << "and executes the block";
}

struct SendCount {
    std::size_t full = 0, announced = 0;
    std::set<PeerId> to;
    std::size_t total = 0;
};
SendCount count_sends(const Effects& e) {
    SendCount c;
    for (const Send& s : e.sends) {
        ++c.total;
        c.to.insert(s.to);
        if (std::holds_alternative<NewBlockMsg>(s.message)) ++c.full;
        if (std::holds_alternative<NewBlockHashesMsg>(s.message)) ++c.announced;
    }
    return c;
}

TEST(NodeRelay, NewBlockInFullToSqrtPeersAndAnnouncedToTheRest) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng_v(1), rng_f(2);
    NodeConfig vc;
    vc.txpool.chain_id = kChainId;
    vc.signer_key = key("cloud-0/val");
    for (PeerId p = 1; p <= 16; ++p) vc.peers.push_back(p);
    Node validator(vc, g.block, g.state, cache, rng_v);
    const Effects planned = validator.start(seconds(kGenesisTime));
    ASSERT_EQ(planned.timers.size(), 3u);  // the peer timer, the force-sync timer, the seal
    connect(validator, g, vc.peers, seconds(kGenesisTime));
    const Timer seal = planned.timers.back();
    const Effects sealed = validator.on_timer(seal.at, seal.token);
    const SendCount s = count_sends(sealed);
    EXPECT_EQ(s.full, 4u) << "floor(sqrt(16))";
    EXPECT_EQ(s.announced, 12u);
    EXPECT_EQ(s.to.size(), 16u) << "every peer once";
    EXPECT_EQ(s.total, 16u);
    const auto* block = std::get_if<BlockSealed>(&sealed.events[0]);
    ASSERT_NE(block, nullptr);

    // A full node with 10 peers relays what peer 0 sent it to the 9 others.
    NodeConfig fc;
    fc.txpool.chain_id = kChainId;
    for (PeerId p = 0; p < 10; ++p) fc.peers.push_back(p);
    Node full(fc, g.block, g.state, cache, rng_f);
    const Nanos now = seal.at + milliseconds(100);
    connect(full, g, fc.peers, now);
    const SendCount r = count_sends(full.on_message(now, 0, NewBlockMsg{block->block}));
    EXPECT_EQ(r.full, 3u) << "floor(sqrt(10))";
    EXPECT_EQ(r.announced, 6u);
    EXPECT_EQ(r.total, 9u);
    EXPECT_EQ(r.to.size(), 9u);
    EXPECT_FALSE(r.to.contains(0)) << "not back to the sender";
    // Known now: neither the announcement nor the block again is relayed.
    EXPECT_TRUE(full.on_message(now, 5, NewBlockHashesMsg{block->block->hash, 1}).sends.empty());
    EXPECT_TRUE(full.on_message(now, 6, NewBlockMsg{block->block}).sends.empty());
}

// A transaction goes to every connected peer but the one it came from, once: the relay
// excludes the relaying peer whether the driver's peer-index hint named it or not, and a
// local submission goes to every connected peer.
TEST(NodeRelay, TransactionToEveryConnectedPeerButItsSender) {
    const Genesis g = make_genesis(config(1), kGenesisTime).value();
    ExecutionCache cache;
    SplitMix64 rng(3);
    NodeConfig fc;
    fc.txpool.chain_id = kChainId;
    for (PeerId p = 0; p < 10; ++p) fc.peers.push_back(p);
    Node full(fc, g.block, g.state, cache, rng);
    const Nanos now = seconds(kGenesisTime + 1);
    connect(full, g, fc.peers, now);
    auto sends_of = [](const Effects& e) {
        std::set<PeerId> to;
        for (const Send& s : e.sends) {
            EXPECT_TRUE(std::holds_alternative<TransactionsMsg>(s.message));
            to.insert(s.to);
        }
        EXPECT_EQ(to.size(), e.sends.size()) << "each peer once";
        return to;
    };
    const std::set<PeerId> hinted =
        sends_of(full.on_message(now, 3, TransactionsMsg{request_tx("dave", 0)}, 3));
    EXPECT_EQ(hinted.size(), 9u);
    EXPECT_FALSE(hinted.contains(3)) << "not back to the sender (peer found by the hint)";
    const std::set<PeerId> searched =
        sends_of(full.on_message(now, 7, TransactionsMsg{request_tx("erin", 0)}));
    EXPECT_EQ(searched.size(), 9u);
    EXPECT_FALSE(searched.contains(7)) << "not back to the sender (peer found by search)";
    EXPECT_TRUE(full.on_message(now, 5, TransactionsMsg{request_tx("dave", 0)}).sends.empty()) << "known";
    EXPECT_EQ(sends_of(full.on_local_tx(now, request_tx("frank", 0))).size(), 10u) << "local: every peer";
}

// ---- RecentSet ----

TEST(RecentSet, RemembersUntilDisplacedBySameIndex) {
    RecentSet set(8);
    const Hash32 a = hash_with_prefix(1), b = hash_with_prefix(9), c = hash_with_prefix(2);
    EXPECT_FALSE(set.contains(a));
    EXPECT_TRUE(set.insert(a)) << "new";
    EXPECT_FALSE(set.insert(a)) << "remembered";
    EXPECT_TRUE(set.contains(a));
    EXPECT_TRUE(set.insert(c));
    EXPECT_TRUE(set.insert(b)) << "9 mod 8 = 1: a's slot";
    EXPECT_FALSE(set.contains(a)) << "displaced: forgetful by design";
    EXPECT_TRUE(set.contains(b));
    EXPECT_TRUE(set.contains(c)) << "another slot is untouched";
    EXPECT_TRUE(set.insert(a)) << "forgotten, so new again";
}

TEST(RecentSet, FingerprintIsTheFirstEightBytes) {
    RecentSet set(16);
    EXPECT_TRUE(set.insert(hash_with_prefix(0x1234, 1)));
    EXPECT_TRUE(set.contains(hash_with_prefix(0x1234, 2))) << "same first 8 bytes: taken for each other";
    EXPECT_FALSE(set.insert(hash_with_prefix(0x1234, 3)));
}

TEST(RecentSet, ZeroFingerprintIsNeverRemembered) {
    RecentSet set(4);
    const Hash32 z = hash_with_prefix(0, 7);
    EXPECT_TRUE(set.insert(z));
    EXPECT_TRUE(set.insert(z));
    EXPECT_FALSE(set.contains(z));
}

TEST(RecentSetDeathTest, CapacityMustBeAPowerOfTwo) {
    EXPECT_DEATH(RecentSet(6), "assertion failed");
    EXPECT_DEATH(RecentSet(0), "assertion failed");
}

}  // namespace
}  // namespace cl::node
