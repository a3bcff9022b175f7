// The Cloud Ledger node, sans I/O (DESIGN.md §1–4, STYLE.md §1): Clique consensus, the
// block tree, ledger execution, the transaction pool and eth-style gossip in one state
// machine. Inputs — a message from a peer, a timer, a local transaction, a query — come
// with the current time; outputs are Effects (messages to send, timers to set, metric
// events, and the work done, which the driver turns into CPU time). The node never sees
// a clock, socket or simulator; two drivers can run it (the simulator, later a networked
// node).
//
// Peers (docs/simulation.md "Peers", after geth's p2p and eth packages). Every
// configured peer is a static peer: the node dials it (sends its eth Status) when not
// connected, at most once per NodeConfig::redial_interval (geth dialHistoryExpiration);
// a Status from a peer it is not connected to opens the connection and is answered with
// the node's own Status, then its pending transactions (geth syncTransactions). On an
// open connection the node pings every ping_interval and drops it (sending a Disconnect,
// the TCP close) when nothing was read from it for read_timeout. A dropped connection carries nothing: the
// node sends nothing on it and answers anything but a Status arriving on it with a Disconnect (the TCP
// reset), on which the peer drops it too. A Status from a connected peer (its redial, or the answer to ours)
// only updates what the node knows of the peer's head.
//
// Gossip (eth protocol), on open connections only: a new block goes in full to √peers
// and as a hash announcement to the others; an announced unknown block is fetched from
// the announcer; a block whose parent is unknown is kept (an orphan) and its missing
// ancestor is fetched from the peer that sent it; transactions are relayed once to each
// peer. Validators seal on their turn, out of turn after the configured delay, abandon a
// pending seal when the head changes, and vote to authorise the validators of pending
// clouds (spec/promo-pool.md §2) and what their operator proposes (NodeConfig::proposals).
//
// Fetching (liveness: one lost request must not stall a node). Every block request
// (GetBlockMsg) sets a timer; a request still unanswered when it fires is sent again —
// to the next connected peer known to have the block (known_order_: announcers, senders of
// its descendants), then to the other connected peers in configuration order — up to
// NodeConfig::fetch_attempts requests in all. A fetch given up is started afresh by
// anything that points at the block or at a descendant held as an orphan: an
// announcement, a NewBlock, the next orphan that needs it, a chain sync. A restart
// (start()) forgets outstanding requests: the chain sync finds what is missing.
// Orphans are bounded by NodeConfig::max_orphans: beyond it the oldest arrival is
// dropped (its descendants then fetch it again when they next need it).
//
// Chain sync (geth eth/sync.go chainSyncer). The node knows each peer's head and total
// difficulty from its Status, raised by each NewBlock (to the block's parent and TD −
// the block's difficulty, as geth's handleBlockBroadcast). On a new connection, on a
// raised peer TD, when a sync ends and when the force timer fires (force_sync_cycle after
// the last sync ended), if no sync runs and at least min_sync_peers are connected (one
// once the force timer fired), the connected peer with the highest TD (the first in
// configuration order among equals) is synced from when its TD beats the node's own
// head's: its head is fetched, then its missing ancestors (the fetch machinery above).
// The sync ends when that head is stored, or when nothing on its way is being fetched
// any more; a completed sync announces the node's head to the peers not known to have
// it (geth doSync's BroadcastBlock(head, false)).
//
// Timer tokens: one counter issues the tokens of seals, fetches, the peer timer (pings,
// read deadlines, dials) and the force-sync timer, so they never collide; a token no
// longer current (an abandoned seal, an answered fetch, a timer from before a restart)
// is ignored.
//
// Checkpoint finality (shared/spec/checkpoint.md §4), off until the driver calls
// set_final_checkpoint() with what the node read from the mainchain: from then on a
// received block that conflicts with the latest final checkpoint is stored but never
// chosen, relayed or synced towards, and reported as a CheckpointConflict (a detection);
// a head that conflicts with a newly final checkpoint is rolled back to the best block
// that does not. A final checkpoint off the chain of the one already held is refused and
// reported as FinalCheckpointRefused; one the node cannot judge yet (it lacks the block)
// waits until the block is stored. Without a final checkpoint nothing of this runs.
//
// Determinism: hash maps are used for lookup only; every output order follows input
// order or the tree. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "protocol/checkpoint/finality.hpp"
#include "protocol/clique/chain.hpp"
#include "protocol/clique/sealer.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/random.hpp"
#include "protocol/node/execution_cache.hpp"
#include "protocol/node/gossip_memory.hpp"
#include "protocol/node/messages.hpp"
#include "protocol/state/ledger.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::node {

using Nanos = std::chrono::nanoseconds;  // since the Unix epoch

// The hashes seen lately, in a fixed-size direct-mapped table of 64-bit fingerprints
// (geth's known-transaction cache plays this part). A hash is remembered until a later
// one with the same index (fingerprint modulo the capacity) displaces it: forgetful by
// design. The fingerprint is the hash's first 8 bytes (Keccak output, so uniform); two
// hashes sharing one would be taken for each other, a chance of 2^-64 per lookup.
// Memory is capacity · 8 bytes, no insert allocates. Fingerprint 0 marks an empty slot
// (a hash with it is simply not remembered). A node's recent transactions behave exactly
// as one RecentSet(GossipMemory::kTxSlots), kept in the GossipMemory it shares with the
// nodes of its process (gossip_memory.hpp; its tests check it against this class).
class RecentSet {
  public:
    // REQUIRES: capacity is a power of two.
    explicit RecentSet(std::size_t capacity) : slots_(capacity), mask_(capacity - 1) {
        CL_ASSERT(capacity > 0 && (capacity & mask_) == 0);
    }
    // Inserts `h`; false when it was remembered already.
    bool insert(const Hash32& h) {
        const std::uint64_t f = fingerprint(h);
        std::uint64_t& slot = slots_[f & mask_];
        if (f != 0 && slot == f) return false;
        slot = f;
        return true;
    }
    bool contains(const Hash32& h) const {
        const std::uint64_t f = fingerprint(h);
        return f != 0 && slots_[f & mask_] == f;
    }

  private:
    static std::uint64_t fingerprint(const Hash32& h) { return std::hash<Hash32>{}(h); }
    std::vector<std::uint64_t> slots_;
    std::size_t mask_;
};

struct NodeConfig {
    clique::Config clique;
    txpool::Config txpool;
    std::optional<PrivateKey> signer_key;  // validators only
    // Whether a validator seals (geth's miner.start / miner.stop); set_sealing switches it.
    // A validator that does not seal still verifies, imports and relays like a full node.
    bool sealing = true;
    std::vector<PeerId> peers;
    // A miner policy, the operator's choice and no consensus rule (adversaries.md §2.4): a
    // transaction `exclude` returns true for is admitted to the pool but left out of the
    // blocks this node seals, and, when relay_excluded is false, neither relayed nor sent
    // to new peers. It is asked with the time of the input being handled (the policy may
    // hold only in a window). Empty: every pool transaction is a candidate (honest).
    std::function<bool(const RecoveredTransaction&, Nanos now)> exclude;
    bool relay_excluded = true;
    Nanos fetch_timeout = std::chrono::seconds(5);  // a block request unanswered after this is sent again
    std::uint32_t fetch_attempts = 8;               // requests per fetch before it is given up; >= 1
    std::size_t max_orphans = 2048;                 // blocks kept while their parent is missing; >= 1
    bool vote_for_pending_clouds = true;            // honest validators do (spec §2)
    // The operator's own Clique votes (geth's clique_propose API, consensus/clique/api.go
    // Propose): from `from` on, each is a candidate of the blocks this node seals while it
    // is a valid vote in the parent snapshot (clique.md §6 proposal strategy). An address
    // listed twice is proposed once per entry. Empty: none (geth's default).
    struct ScheduledProposal {
        clique::Proposal proposal;
        Nanos from{0};
    };
    std::vector<ScheduledProposal> proposals;
    // Counter-votes (docs/attacks.md "Governance capture"): propose DROP for every signer
    // that has no active or pending cloud behind it in the parent's ledger state (an
    // identity without a notary attestation on chain). Off by default: geth's clique votes
    // only what the operator proposes.
    bool drop_unattested_signers = false;
    // The peer life cycle (see "Peers", "Chain sync"; all > 0). Sources: geth p2p/peer.go
    // pingInterval; p2p/server.go frameReadTimeout; p2p/dial.go dialHistoryExpiration
    // (inboundThrottleTime 30 s + 5 s); eth/sync.go forceSyncCycle, defaultMinSyncPeers.
    Nanos ping_interval = std::chrono::seconds(15);
    Nanos read_timeout = std::chrono::seconds(30);
    Nanos redial_interval = std::chrono::seconds(35);
    // The connections of the first dial stand for connections of unknown age (real nodes did
    // not all start together at genesis): their first ping comes at a uniformly random moment
    // within ping_interval, drawn from the node's random source, so that pings are not
    // phase-locked to block slots. false: a network started together (every first ping
    // ping_interval after its connection opened, as later connections always are).
    bool first_connections_aged = true;
    Nanos force_sync_cycle = std::chrono::seconds(10);
    std::size_t min_sync_peers = 5;  // connections needed to sync before the force timer fired
    std::uint64_t network_id = 0;    // sent and checked in Status; 0: the txpool's chain id
    // How often the pool's lifetime rule runs (txpool::TxPool::expire), checked at each new
    // head: geth's evictionInterval. It also forgets full token buckets, bounding memory.
    Nanos pool_expiry_interval = std::chrono::minutes(1);
};

// ---- effects ----
struct Send {
    PeerId to = 0;
    Message message;
    // The position of `to` in NodeConfig::peers with repeats dropped (kUnknownPeerIndex:
    // not given). A hint for drivers that keep per-connection state in that order.
    std::uint32_t peer_index = kUnknownPeerIndex;
    static constexpr std::uint32_t kUnknownPeerIndex = 0xffffffffU;
};
struct Timer {
    Nanos at{0};
    std::uint64_t token = 0;
};
struct BlockSealed {
    BlockRef block;
    bool in_turn = false;
};
struct BlockImported {
    BlockRef block;
    bool new_head = false;
    std::uint32_t reorg_depth = 0;  // > 0: the head moved to another branch
    Hash32 old_head;                // the head before this import
};
struct BlockRejected {
    Hash32 hash;
    const char* reason = "";  // a clique::Error or BodyFault name
};
struct TxRefused {
    Hash32 hash;
    txpool::Refusal reason = txpool::Refusal::kAlreadyKnown;
};
// checkpoint §4, a detection. rolled_back == 0: `block` was received and conflicts with
// the final checkpoint (stored, never chosen, not relayed). rolled_back > 0: the node's
// head `block` conflicted with a checkpoint that became final, and the head moved back
// to a block that does not, leaving `rolled_back` blocks of the canonical chain.
struct CheckpointConflict {
    BlockRef block;
    checkpoint::FinalCheckpoint checkpoint;
    std::uint32_t rolled_back = 0;
};
// checkpoint §4, conflict evidence: the mainchain made `refused` final, but it is not on
// the chain of the final checkpoint the node already holds (`held`), so the node keeps
// `held` (clique::Chain::set_final_checkpoint: final means final).
struct FinalCheckpointRefused {
    checkpoint::FinalCheckpoint refused;
    checkpoint::FinalCheckpoint held;
};
using MetricEvent = std::variant<BlockSealed, BlockImported, BlockRejected, TxRefused, CheckpointConflict,
                                 FinalCheckpointRefused>;

// Work done while handling one input, for the driver's CPU-time model.
// A block this node sealed counts once, as executed, and never as verified (see seal()).
struct Work {
    std::uint32_t headers_verified = 0;  // headers of blocks received from peers
    std::uint32_t txs_executed = 0;      // transactions of executed blocks (sealed or imported)
    std::uint32_t txs_admitted = 0;      // transactions checked for admission
    friend bool operator==(const Work&, const Work&) = default;
};

struct Effects {
    // User-provided, so that each member is initialised on its own: the implicit
    // constructor let GCC zero the whole object with `rep stosq`, whose start-up cost held
    // ~2 % of a flood's profile samples (one Effects per delivery; docs/benchmarks.md).
    Effects() noexcept {}  // NOLINT(modernize-use-equals-default)
    std::vector<Send> sends;
    std::vector<Timer> timers;
    std::vector<MetricEvent> events;
    Work work;
    // Nothing to do, and no work done (a duplicate transaction: most deliveries of a flood).
    bool empty() const { return sends.empty() && timers.empty() && events.empty() && work == Work{}; }
};

// A cloud's question "is this code valid?" answered from the node's head (spec §3 query).
struct CodeView {
    std::optional<state::CodeEntry> code;
    std::uint64_t confirmations = 0;  // head number − the issuing block's number
};

class Node {
  public:
    // REQUIRES: genesis is block 0 whose extraData lists the initial signers, and
    // genesis_state is the ledger state committed by genesis.header.state_root.
    Node(NodeConfig config, BlockRef genesis, state::LedgerState genesis_state, ExecutionCache& cache,
         RandomSource& rng);

    // Validators plan their first seal. Also after a restart.
    Effects start(Nanos now);
    // `peer_index`: where the driver believes `from` sits in NodeConfig::peers with
    // repeats dropped (Send::peer_index's numbering; the simulator's network carries it
    // with each delivery). A hint that saves the search for the peer: it is used only when
    // that peer is `from`; otherwise (kUnknownPeerIndex, out of range, another peer) the
    // peer is found by id, so a wrong hint never changes what the node does.
    Effects on_message(Nanos now, PeerId from, const Message& message,
                       std::uint32_t peer_index = Send::kUnknownPeerIndex);
    Effects on_timer(Nanos now, std::uint64_t token);
    Effects on_local_tx(Nanos now, const TxRef& tx);
    // checkpoint §4: `final` is now the latest final checkpoint the node knows (read from
    // the mainchain). Replaces an earlier one.
    Effects set_final_checkpoint(Nanos now, const checkpoint::FinalCheckpoint& final);
    // The operator starts or stops sealing (geth miner.start / miner.stop): stopping
    // abandons a pending seal; starting plans a seal on the current head at once.
    Effects set_sealing(Nanos now, bool on);
    bool sealing() const { return config_.sealing; }

    // ---- queries ----
    const BlockEntry& head() const { return chain_.head(); }
    const state::LedgerState& head_state() const;
    const state::LedgerState* state_of(const Hash32& block) const;
    BlockRef block(const Hash32& hash) const;
    CodeView query_code(const Hash32& id) const;
    const clique::Chain& chain() const { return chain_; }
    const txpool::TxPool& txpool() const { return txpool_; }
    bool is_validator() const { return self_.has_value(); }
    std::size_t orphan_count() const { return orphan_blocks_.size(); }
    std::size_t fetch_count() const { return fetching_.size(); }  // outstanding block requests
    bool connected(PeerId peer) const;
    std::size_t connected_count() const;
    bool syncing() const { return sync_.has_value(); }

    // For a driver's prefetch (issue 16: at 10^4 nodes and more, the receiver's state is
    // cold): the address of the fields on_message reads first, and of the per-peer entries
    // (index Send::peer_index, `peer_stride` bytes apart). Stable for the node's lifetime.
    struct CacheHints {
        const void* state = nullptr;
        const void* peers = nullptr;
        std::uint32_t peer_stride = 0;
        std::uint32_t peer_count = 0;
    };
    CacheHints cache_hints() const {
        return {&peers_, peers_.data(), sizeof(Peer), static_cast<std::uint32_t>(peers_.size())};
    }

  private:
    class Context;  // the effects being built and the input's time

    void receive_block(Context& ctx, PeerId from, const BlockRef& block);
    enum class Imported { kRejected, kStored, kConflicting };  // kConflicting: stored, not to relay
    // `own_seal`: the block was sealed here (seal()), which already executed it; see seal().
    Imported import_block(Context& ctx, const BlockRef& block, bool own_seal = false);
    void relay_block(Context& ctx, const BlockRef& block, std::optional<PeerId> except);
    void on_new_head(Context& ctx, const std::optional<Reorg>& reorg);
    struct Peer;
    // `from`: the peer that relayed it, null for a transaction submitted here. (A pointer, not
    // an optional<PeerId>: the optional built on the stack and read back as one word stalled
    // each delivery on a failed store forward.)
    void receive_tx(Context& ctx, const Peer* from, const TxRef& tx, txpool::Source source);
    void plan_seal(Context& ctx);
    void seal(Context& ctx);
    std::uint64_t total_difficulty(const Hash32& block) const;  // 0 for a block not in the tree
    bool stores(const Hash32& block) const { return chain_.tree().find(block) != nullptr; }
    // Gossip bookkeeping (GossipMemory): `index` is the peer's index in peers_ (Peer::index).
    void mark_known(const Hash32& block, std::uint32_t index);
    bool peer_knows(const Hash32& block, std::uint32_t index) const;
    void request_block(Context& ctx, const Hash32& hash, PeerId peer);
    void on_fetch_timeout(Context& ctx, std::uint64_t token);
    void fetch_towards(Context& ctx, const Hash32& hash, PeerId from);
    PeerId next_fetch_peer(const Hash32& hash, PeerId last) const;
    void add_orphan(const BlockRef& block);
    void drop_orphan(const Hash32& hash);
    Hash32 missing_ancestor(Hash32 parent) const;

    // ---- peers and chain sync ----
    struct Peer {
        PeerId id = 0;
        std::uint32_t index = 0;  // in peers_ (and NodeConfig::peers without repeats)
        bool connected = false;
        bool ever_connected = false;  // a connection to it was opened before (see first_connections_aged)
        Nanos last_read{0};           // connected: when a message from it was last read
        Nanos next_ping{0};           // connected: when the next ping is due
        Nanos next_dial{0};           // not connected: the earliest next dial (last dial + redial_interval)
        Hash32 head;                  // the peer's head and its TD, as last learnt
        std::uint64_t total_difficulty = 0;
    };
    Peer* find_peer(PeerId id);
    const Peer* find_peer(PeerId id) const;
    void receive_status(Context& ctx, Peer& peer, const StatusMsg& status);
    StatusMsg status() const;
    void dial(Context& ctx, Peer& peer);
    void drop(Context& ctx, Peer& peer, std::optional<std::uint8_t> reason);
    void on_peer_timer(Context& ctx);
    void arm_peer_timer(Context& ctx, Nanos at);
    void arm_force_timer(Context& ctx);
    void sync_check(Context& ctx);
    void sync_progress(Context& ctx);
    void apply_final_checkpoint(Context& ctx, const checkpoint::FinalCheckpoint& final);

    NodeConfig config_;
    std::optional<Address> self_;
    ExecutionCache& cache_;
    RandomSource& rng_;
    clique::Chain chain_;
    txpool::TxPool txpool_;

    // The stored blocks are chain_'s (its BlockTree: which ids, in what order, the
    // canonical chain); each one's Block and the state after it are the cache's, by id.
    struct Orphan {
        BlockRef block;
        std::uint64_t seq = 0;  // arrival number, to tell a live entry of orphan_order_
    };
    struct Fetch {
        PeerId peer = 0;             // asked last
        std::uint32_t attempts = 0;  // requests sent
        std::uint64_t token = 0;     // the timer of the last request
    };
    std::unordered_map<Hash32, std::vector<BlockRef>> orphans_;  // by missing parent, arrival order
    std::unordered_map<Hash32, Orphan> orphan_blocks_;           // every orphan, by hash
    std::deque<std::pair<Hash32, std::uint64_t>> orphan_order_;  // arrivals, oldest first (some stale)
    std::uint64_t orphans_received_ = 0;
    std::unordered_map<Hash32, Fetch> fetching_;              // outstanding block requests
    std::unordered_map<std::uint64_t, Hash32> fetch_timers_;  // pending fetch timer token -> block
    // Peers known to have a block (announcers, senders, peers it was sent to), and the
    // transactions seen lately: this node's member of the cache's GossipMemory.
    GossipMemory& gossip_;
    GossipMemory::Membership member_;
    // For blocks not stored (the only ones fetched), the peers known to have them in the
    // order they became known (next_fetch_peer); erased when the block is stored.
    std::unordered_map<Hash32, std::vector<PeerId>> known_order_;
    std::unordered_set<Hash32>
        conflicting_;  // stored blocks that conflict with a final checkpoint (lookup only)
    // A final checkpoint the chain could not judge yet (clique::FinalOutcome::kUnknownBlock).
    std::optional<checkpoint::FinalCheckpoint> pending_final_;

    std::vector<Peer> peers_;  // configuration order; never resized after construction
    // The index in peers_ of the last message's sender (none before the first): find_peer
    // answers for it without the search (the handler's own later look-ups of the sender).
    std::uint32_t last_sender_ = Send::kUnknownPeerIndex;
    std::vector<PeerId> peer_ids_;        // sorted: find_peer's binary search
    std::vector<std::uint32_t> peer_at_;  // peer_ids_[i] is peers_[peer_at_[i]]
    struct SyncOp {
        PeerId peer = 0;
        Hash32 target;  // the peer's head when the sync started
    };
    std::optional<SyncOp> sync_;  // the running chain sync
    bool sync_forced_ = false;    // the force timer fired since the last sync ended
    Hash32 genesis_hash_;

    Nanos last_pool_expiry_{0};        // when txpool_.expire() last ran
    std::uint64_t peer_token_ = 0;     // the pending peer timer (0: none)
    Nanos peer_timer_at_{0};           // ... and when it fires
    std::uint64_t force_token_ = 0;    // the pending force-sync timer (0: none)
    std::uint64_t seal_token_ = 0;     // the timer token of the pending seal (0: none)
    std::uint64_t tokens_issued_ = 0;  // every timer alike
    std::optional<clique::SealPlan> seal_plan_;
    Hash32 seal_parent_;
};

}  // namespace cl::node
