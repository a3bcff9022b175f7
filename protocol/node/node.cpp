#include "protocol/node/node.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "protocol/clique/errors.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/clique/sealer.hpp"
#include "protocol/core/assert.hpp"

namespace cl::node {

// The input being handled: its time and the effects it produces.
class Node::Context {
  public:
    Context(Nanos time, Effects& out) : now(time), effects(out) {}
    std::uint64_t now_seconds() const {
        return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count());
    }
    // `m`: a Message or one of its alternatives, constructed in place in the Send.
    template <class M>
    void send(const Peer& to, M&& m) {
        effects.sends.emplace_back(to.id, std::forward<M>(m), to.index);
    }

    Nanos now;
    Effects& effects;
};

namespace {

// The pool's view of a ledger state's account nonces.
class StateNonces final : public txpool::AccountNonces {
  public:
    StateNonces(const state::LedgerState& state, ExecutionCache& cache) : state_(state), cache_(cache) {}
    std::uint64_t nonce(const Address& sender) const override { return cache_.nonce(state_, sender); }

  private:
    const state::LedgerState& state_;
    ExecutionCache& cache_;
};

// Blocks this far below the head are no longer tracked for gossip bookkeeping.
constexpr std::uint64_t kGossipHorizon = 64;

}  // namespace

Node::Node(NodeConfig config, BlockRef genesis, state::LedgerState genesis_state, ExecutionCache& cache,
           RandomSource& rng)
    : config_(std::move(config)),
      cache_(cache),
      rng_(rng),
      chain_(config_.clique, genesis->header, cache.chain_index()),
      txpool_(config_.txpool, cache.pool_senders()),
      gossip_(cache.gossip()) {
    CL_ASSERT(genesis->header.state_root == genesis_state.root());
    CL_ASSERT(config_.fetch_attempts >= 1 && config_.max_orphans >= 1);
    CL_ASSERT(config_.ping_interval > Nanos(0) && config_.read_timeout > Nanos(0) &&
              config_.redial_interval > Nanos(0) && config_.force_sync_cycle > Nanos(0));
    if (config_.signer_key) self_ = address_of(*config_.signer_key);
    if (config_.network_id == 0) config_.network_id = config_.txpool.chain_id.value_or(0);
    std::vector<std::pair<PeerId, std::uint32_t>> by_id;  // (id, index in peers_)
    for (PeerId p : config_.peers) {
        if (std::any_of(peers_.begin(), peers_.end(), [&](const Peer& q) { return q.id == p; })) continue;
        by_id.emplace_back(p, static_cast<std::uint32_t>(peers_.size()));
        peers_.emplace_back();
        peers_.back().id = p;
        peers_.back().index = static_cast<std::uint32_t>(peers_.size() - 1);
    }
    std::sort(by_id.begin(), by_id.end());
    for (const auto& [id, index] : by_id) {
        peer_ids_.push_back(id);
        peer_at_.push_back(index);
    }
    member_ = gossip_.join(static_cast<std::uint32_t>(peers_.size()));
    genesis_hash_ = genesis->hash;
    cache_.store_genesis(chain_.tree().genesis().id, genesis, std::move(genesis_state));
}

const state::LedgerState& Node::head_state() const { return *cache_.stored(chain_.head().id).state; }

const state::LedgerState* Node::state_of(const Hash32& block) const {
    const BlockEntry* e = chain_.tree().find(block);
    return e == nullptr ? nullptr : cache_.stored(e->id).state;
}

BlockRef Node::block(const Hash32& hash) const {
    const BlockEntry* e = chain_.tree().find(hash);
    return e == nullptr ? nullptr : cache_.stored(e->id).block;
}

CodeView Node::query_code(const Hash32& id) const {
    CodeView view;
    view.code = head_state().code(id);
    if (view.code) view.confirmations = chain_.head().header.number - view.code->issued_at;
    return view;
}

Effects Node::start(Nanos now) {
    Effects effects;
    Context ctx(now, effects);
    // A (re)start: the connections, requests and sync of before are gone (their replies
    // were lost while the node was down); orphans are kept. geth's dial history is empty
    // after a restart, so every peer is dialled at once; once connected, the chain sync
    // fetches whatever is missing.
    fetching_.clear();
    fetch_timers_.clear();
    sync_.reset();
    sync_forced_ = false;
    peer_token_ = 0;
    for (Peer& p : peers_) {
        p.connected = false;
        dial(ctx, p);
    }
    if (!peers_.empty()) arm_peer_timer(ctx, now + config_.redial_interval);
    arm_force_timer(ctx);
    plan_seal(ctx);
    return effects;
}

Effects Node::on_message(Nanos now, PeerId from, const Message& message, std::uint32_t peer_index) {
    Effects effects;
    Context ctx(now, effects);
    // The driver's hint, checked (issue 16: one dependent cache miss less per message than
    // the search of peer_ids_); a wrong one falls back to the search.
    Peer* peer =
        peer_index < peers_.size() && peers_[peer_index].id == from ? &peers_[peer_index] : find_peer(from);
    if (peer == nullptr) return effects;  // not a configured peer
    last_sender_ = peer->index;
    if (const auto* s = std::get_if<StatusMsg>(&message)) {
        receive_status(ctx, *peer, *s);
        return effects;
    }
    if (!peer->connected) {
        // A closed connection carries nothing; what arrives on it meets a TCP reset.
        if (!std::holds_alternative<DisconnectMsg>(message))
            ctx.send(*peer, DisconnectMsg{kDiscNetworkError});
        return effects;
    }
    peer->last_read = now;
    if (const auto* m = std::get_if<NewBlockMsg>(&message)) {
        // geth handleBlockBroadcast: the sender must have the block's parent, at TD − the
        // block's difficulty; a higher TD than known raises the peer's head.
        const Header& h = m->block->header;
        bool raised = false;
        if (m->total_difficulty > h.difficulty &&
            m->total_difficulty - h.difficulty > peer->total_difficulty) {
            peer->head = h.parent_hash;
            peer->total_difficulty = m->total_difficulty - h.difficulty;
            raised = true;
        }
        mark_known(m->block->hash, peer->index);
        receive_block(ctx, from, m->block);
        sync_progress(ctx);
        if (raised) sync_check(ctx);
    } else if (const auto* a = std::get_if<NewBlockHashesMsg>(&message)) {
        mark_known(a->hash, peer->index);
        // Unknown, or held as an orphan whose missing ancestor is not being fetched (any
        // more): fetch towards it. Being fetched already: its timer retries.
        fetch_towards(ctx, a->hash, from);
    } else if (const auto* g = std::get_if<GetBlockMsg>(&message)) {
        if (const BlockEntry* e = chain_.tree().find(g->hash)) {
            mark_known(g->hash, peer->index);
            ctx.send(*peer, NewBlockMsg{cache_.stored(e->id).block, e->total_difficulty});
        }
    } else if (const auto* t = std::get_if<TransactionsMsg>(&message)) {
        receive_tx(ctx, peer, t->tx, txpool::Source::kNetwork);
    } else if (std::holds_alternative<PingMsg>(message)) {
        ctx.send(*peer, PongMsg{});
    } else if (std::holds_alternative<DisconnectMsg>(message)) {
        drop(ctx, *peer, std::nullopt);
        arm_peer_timer(ctx, peer->next_dial);
    }  // a Pong only counts as a read
    return effects;
}

Effects Node::set_sealing(Nanos now, bool on) {
    Effects effects;
    Context ctx(now, effects);
    config_.sealing = on;
    plan_seal(ctx);  // on: a seal on the head; off: the pending one abandoned
    return effects;
}

Effects Node::on_timer(Nanos now, std::uint64_t token) {
    Effects effects;
    Context ctx(now, effects);
    if (token != 0 && token == seal_token_) {
        seal(ctx);
    } else if (token != 0 && token == peer_token_) {
        peer_token_ = 0;
        on_peer_timer(ctx);
    } else if (token != 0 && token == force_token_) {
        force_token_ = 0;
        sync_forced_ = true;  // geth chainSyncer: the force timer lowers the peer threshold to one
        sync_check(ctx);
    } else if (fetch_timers_.contains(token)) {
        on_fetch_timeout(ctx, token);
    }
    return effects;
}

Effects Node::on_local_tx(Nanos now, const TxRef& tx) {
    Effects effects;
    Context ctx(now, effects);
    receive_tx(ctx, nullptr, tx, txpool::Source::kNetwork);
    return effects;
}

Effects Node::set_final_checkpoint(Nanos now, const checkpoint::FinalCheckpoint& final) {
    Effects effects;
    Context ctx(now, effects);
    apply_final_checkpoint(ctx, final);
    return effects;
}

void Node::apply_final_checkpoint(Context& ctx, const checkpoint::FinalCheckpoint& final) {
    pending_final_.reset();
    const BlockRef old_head = cache_.stored(chain_.head().id).block;
    const clique::FinalUpdate update = chain_.set_final_checkpoint(final);
    switch (update.outcome) {
        case clique::FinalOutcome::kUnknownBlock:
            pending_final_ = final;  // offered again by receive_block once the block is stored
            sync_check(ctx);
            return;
        case clique::FinalOutcome::kConflicting:
            ctx.effects.events.push_back(FinalCheckpointRefused{final, *chain_.final_checkpoint()});
            return;
        case clique::FinalOutcome::kAccepted:
            break;
    }
    if (!update.reorg) return;
    conflicting_.insert(old_head->hash);
    ctx.effects.events.push_back(
        CheckpointConflict{old_head, final, static_cast<std::uint32_t>(update.reorg->depth())});
    on_new_head(ctx, update.reorg->depth() > 0 ? update.reorg : std::nullopt);
    sync_check(ctx);  // the history that contains the checkpoint may still be missing
}

// ---- blocks ----

void Node::receive_block(Context& ctx, PeerId from, const BlockRef& block) {
    if (stores(block->hash)) return;
    if (orphan_blocks_.contains(block->hash)) {
        fetch_towards(ctx, block->hash, from);  // its ancestor's fetch may have been given up
        return;
    }
    fetching_.erase(block->hash);  // its timer, when it fires, finds no fetch
    const Hash32& parent = block->header.parent_hash;
    if (!stores(parent)) {
        // Keep the block and fetch the first missing ancestor from the peer that sent it
        // (which imported the block, so has all of them).
        add_orphan(block);
        fetch_towards(ctx, parent, from);
        return;
    }
    const Imported imported = import_block(ctx, block);
    if (imported == Imported::kRejected) return;
    if (imported == Imported::kStored) relay_block(ctx, block, from);
    // Children that were waiting for this block, breadth first in arrival order.
    std::vector<Hash32> ready{block->hash};
    for (std::size_t i = 0; i < ready.size(); ++i) {
        auto it = orphans_.find(ready[i]);
        if (it == orphans_.end()) continue;
        std::vector<BlockRef> children = std::move(it->second);
        orphans_.erase(it);
        for (const BlockRef& child : children) {
            orphan_blocks_.erase(child->hash);
            const Imported child_imported = import_block(ctx, child);
            if (child_imported == Imported::kRejected) continue;
            if (child_imported == Imported::kStored) relay_block(ctx, child, std::nullopt);
            ready.push_back(child->hash);
        }
    }
    if (pending_final_ && stores(pending_final_->block_hash)) apply_final_checkpoint(ctx, *pending_final_);
}

Node::Imported Node::import_block(Context& ctx, const BlockRef& block, bool own_seal) {
    if (!own_seal) ctx.effects.work.headers_verified += 1;
    // The snapshot after a block is a function of its hash: the one copy all share is
    // looked up first, and computed (then kept) only by the first node to import it.
    const auto* shared = cache_.find_snapshot(block->hash);
    const clique::ImportHints hints{&block->hash, &block->sealer, shared};
    auto verified = chain_.verify(block->header, ctx.now_seconds(), hints);
    if (!verified) {
        ctx.effects.events.push_back(BlockRejected{block->hash, clique::name(verified.error())});
        return Imported::kRejected;
    }
    if (shared == nullptr)
        verified->snapshot = cache_.shared_snapshot(block->hash, std::move(verified->snapshot));
    const state::LedgerState* parent_state = state_of(block->header.parent_hash);
    CL_ASSERT(parent_state != nullptr);  // callers import only blocks whose parent is stored
    if (!own_seal) ctx.effects.work.txs_executed += static_cast<std::uint32_t>(block->txs.size());
    const ExecutionResult& executed = cache_.execute(*parent_state, *block, verified->snapshot->signers());
    if (!executed) {
        ctx.effects.events.push_back(BlockRejected{block->hash, name(executed.error())});
        return Imported::kRejected;
    }
    const Hash32 old_head = chain_.head().hash;
    // The tree keeps the block's own header (aliasing the shared block): no copy per node.
    const clique::ImportResult result =
        chain_.insert(std::shared_ptr<const Header>(block, &block->header), std::move(*verified), rng_);
    cache_.store(result.block->id, block, *executed);
    known_order_.erase(block->hash);  // stored: never fetched again, membership stays in gossip_
    if (result.conflicts_final_checkpoint) {
        conflicting_.insert(block->hash);
        ctx.effects.events.push_back(CheckpointConflict{block, *chain_.final_checkpoint(), 0});
        return Imported::kConflicting;
    }
    const auto depth = static_cast<std::uint32_t>(result.reorg ? result.reorg->depth() : 0);
    ctx.effects.events.push_back(BlockImported{block, result.new_head, depth, old_head});
    if (result.new_head) on_new_head(ctx, result.reorg);
    return Imported::kStored;
}

void Node::relay_block(Context& ctx, const BlockRef& block, std::optional<PeerId> except) {
    std::vector<std::uint32_t> targets;  // indices in peers_
    targets.reserve(peers_.size());
    ctx.effects.sends.reserve(ctx.effects.sends.size() + peers_.size());
    std::size_t connected = 0;
    for (const Peer& p : peers_) {
        if (!p.connected) continue;
        ++connected;
        if (p.id != except && !peer_knows(block->hash, p.index)) targets.push_back(p.index);
    }
    // eth: the full block to √(peers) of them chosen at random, an announcement to the rest.
    const std::uint64_t td = total_difficulty(block->hash);
    const auto full = static_cast<std::size_t>(std::sqrt(static_cast<double>(connected)));
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const std::size_t j = i + static_cast<std::size_t>(uniform_below(rng_, targets.size() - i));
        std::swap(targets[i], targets[j]);
        mark_known(block->hash, targets[i]);
        const Peer& to = peers_[targets[i]];
        if (i < full) {
            ctx.send(to, NewBlockMsg{block, td});
        } else {
            ctx.send(to, NewBlockHashesMsg{block->hash, block->header.number});
        }
    }
}

void Node::on_new_head(Context& ctx, const std::optional<Reorg>& reorg) {
    const StateNonces nonces(head_state(), cache_);
    (void)txpool_.on_new_head(nonces, ctx.now);
    if (ctx.now - last_pool_expiry_ >= config_.pool_expiry_interval) {
        (void)txpool_.expire(ctx.now);  // §5 lifetime
        last_pool_expiry_ = ctx.now;
    }
    if (reorg) {
        // Transactions of blocks that left the canonical chain go back to the pool.
        for (const Hash32& dropped : reorg->dropped) {
            for (const TxRef& tx : block(dropped)->txs) {
                (void)txpool_.admit(tx, ctx.now, nonces, txpool::Source::kReinjected);
            }
        }
    }
    // Forget gossip bookkeeping of blocks far below the head, and of blocks neither
    // stored, nor kept, nor being fetched (rejected ones, fetches given up), every
    // kGossipHorizon / 4 heights. Erasing only: no output depends on the map's iteration
    // order. Fetches end on their own (answered or given up by their timers).
    const std::uint64_t head = chain_.head().header.number;
    if (head > kGossipHorizon && head % (kGossipHorizon / 4) == 0) {
        const auto forget = [&](const Hash32& hash) {
            const BlockEntry* e = chain_.tree().find(hash);
            if (e == nullptr) return !orphan_blocks_.contains(hash) && !fetching_.contains(hash);
            return e->header.number + kGossipHorizon < head;
        };
        gossip_.forget_blocks_if(member_, forget);
        std::erase_if(known_order_, [&](const auto& entry) { return forget(entry.first); });
    }
    plan_seal(ctx);
}

std::uint64_t Node::total_difficulty(const Hash32& block) const {
    const BlockEntry* entry = chain_.tree().find(block);
    return entry ? entry->total_difficulty : 0;
}

// The order in which peers became known matters only for blocks not stored (fetches);
// membership is the GossipMemory's bit for (this node, peer).
void Node::mark_known(const Hash32& block, std::uint32_t index) {
    const std::uint32_t slot = member_.slot_base + index;
    if (gossip_.knows(block, slot)) return;
    gossip_.mark_known(block, slot);
    if (!stores(block)) known_order_[block].push_back(peers_[index].id);
}

bool Node::peer_knows(const Hash32& block, std::uint32_t index) const {
    return gossip_.knows(block, member_.slot_base + index);
}

// ---- fetching and orphans ----

// Fetches `hash`, or the missing ancestor of the orphan `hash`, from `from` (which has
// it, hence all its ancestors) unless that is being fetched already. Nothing when `hash`
// is stored.
void Node::fetch_towards(Context& ctx, const Hash32& hash, PeerId from) {
    if (stores(hash)) return;
    const Hash32 missing = missing_ancestor(hash);
    if (const Peer* p = find_peer(from)) mark_known(missing, p->index);
    if (!fetching_.contains(missing)) request_block(ctx, missing, from);
}

// A request to a peer not connected (no connected peer was left to ask) goes nowhere but
// counts as an attempt, so that the fetch is given up in time.
void Node::request_block(Context& ctx, const Hash32& hash, PeerId peer) {
    Fetch& f = fetching_[hash];
    f.peer = peer;
    f.attempts += 1;
    f.token = ++tokens_issued_;
    fetch_timers_.emplace(f.token, hash);
    if (const Peer* p = find_peer(peer); p != nullptr && p->connected) ctx.send(*p, GetBlockMsg{hash});
    ctx.effects.timers.push_back(Timer{ctx.now + config_.fetch_timeout, f.token});
}

void Node::on_fetch_timeout(Context& ctx, std::uint64_t token) {
    const auto timer = fetch_timers_.find(token);
    const Hash32 hash = timer->second;
    fetch_timers_.erase(timer);
    const auto it = fetching_.find(hash);
    if (it == fetching_.end() || it->second.token != token) return;  // answered, or superseded
    if (it->second.attempts >= config_.fetch_attempts) {
        // Given up: the next announcement of the block or of an orphan descending from it,
        // the next orphan that needs it, or a chain sync starts a new fetch.
        fetching_.erase(it);
        sync_progress(ctx);
        return;
    }
    request_block(ctx, hash, next_fetch_peer(hash, it->second.peer));
}

// The connected peers known to have the block (in the order they became known), then the
// other connected peers (in configuration order): the one after `last` in that cycle.
// `last` itself when it is the only one, or when no peer is connected.
PeerId Node::next_fetch_peer(const Hash32& hash, PeerId last) const {
    std::vector<PeerId> order;
    order.reserve(peers_.size());
    if (auto it = known_order_.find(hash); it != known_order_.end()) {
        for (PeerId p : it->second) {
            if (connected(p)) order.push_back(p);
        }
    }
    const std::size_t known = order.size();
    for (const Peer& p : peers_) {
        if (p.connected && std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(known),
                                     p.id) == order.begin() + static_cast<std::ptrdiff_t>(known))
            order.push_back(p.id);
    }
    if (order.empty()) return last;
    const auto at = std::find(order.begin(), order.end(), last);
    if (at == order.end()) return order.front();
    return std::next(at) == order.end() ? order.front() : *std::next(at);
}

// Keeps a block whose parent is missing. Beyond max_orphans the oldest arrival goes; the
// arrival list is compacted when stale entries (orphans imported since) dominate, so it
// stays O(max_orphans) and each arrival costs O(1) amortised.
void Node::add_orphan(const BlockRef& block) {
    const std::uint64_t seq = ++orphans_received_;
    orphan_blocks_.emplace(block->hash, Orphan{block, seq});
    orphans_[block->header.parent_hash].push_back(block);
    orphan_order_.emplace_back(block->hash, seq);
    auto live = [&](const std::pair<Hash32, std::uint64_t>& entry) {
        const auto it = orphan_blocks_.find(entry.first);
        return it != orphan_blocks_.end() && it->second.seq == entry.second;
    };
    while (orphan_blocks_.size() > config_.max_orphans) {
        const auto oldest = orphan_order_.front();
        orphan_order_.pop_front();
        if (live(oldest)) drop_orphan(oldest.first);
    }
    if (orphan_order_.size() > 2 * config_.max_orphans + 64) {
        std::erase_if(orphan_order_, [&](const auto& entry) { return !live(entry); });
    }
}

void Node::drop_orphan(const Hash32& hash) {
    const auto it = orphan_blocks_.find(hash);
    const Hash32 parent = it->second.block->header.parent_hash;
    orphan_blocks_.erase(it);
    const auto siblings = orphans_.find(parent);
    std::erase_if(siblings->second, [&](const BlockRef& b) { return b->hash == hash; });
    if (siblings->second.empty()) orphans_.erase(siblings);
}

// The first block on the way down from `parent` (itself included) that is not an orphan:
// `parent` when it is not one. O(orphans on that path), at most max_orphans.
Hash32 Node::missing_ancestor(Hash32 parent) const {
    for (auto it = orphan_blocks_.find(parent); it != orphan_blocks_.end(); it = orphan_blocks_.find(parent))
        parent = it->second.block->header.parent_hash;
    return parent;
}

// ---- peers ----

Node::Peer* Node::find_peer(PeerId id) { return const_cast<Peer*>(std::as_const(*this).find_peer(id)); }

const Node::Peer* Node::find_peer(PeerId id) const {
    if (last_sender_ < peers_.size() && peers_[last_sender_].id == id) return &peers_[last_sender_];
    const auto it = std::lower_bound(peer_ids_.begin(), peer_ids_.end(), id);
    if (it == peer_ids_.end() || *it != id) return nullptr;
    return &peers_[peer_at_[static_cast<std::size_t>(it - peer_ids_.begin())]];
}

bool Node::connected(PeerId peer) const {
    const Peer* p = find_peer(peer);
    return p != nullptr && p->connected;
}

std::size_t Node::connected_count() const {
    return static_cast<std::size_t>(
        std::count_if(peers_.begin(), peers_.end(), [](const Peer& p) { return p.connected; }));
}

StatusMsg Node::status() const {
    const BlockEntry& head = chain_.head();
    return StatusMsg{config_.network_id, head.total_difficulty, head.hash, genesis_hash_};
}

// geth dialScheduler: a static peer is dialled when not connected and not dialled within
// dialHistoryExpiration. The dial is the Status it opens with; it fails (no answer) while
// the network does not carry it.
void Node::dial(Context& ctx, Peer& peer) {
    ctx.send(peer, status());
    peer.next_dial = ctx.now + config_.redial_interval;
}

// Closes the connection (`reason`: with a Disconnect to the peer; none: the peer closed
// it) and redials at once when the peer was not dialled lately. The caller arms the peer
// timer for the next dial.
void Node::drop(Context& ctx, Peer& peer, std::optional<std::uint8_t> reason) {
    peer.connected = false;
    if (reason) ctx.send(peer, DisconnectMsg{*reason});
    if (ctx.now >= peer.next_dial) dial(ctx, peer);
}

// eth handshake (geth eth/protocols/eth/handshake.go): a Status naming another network or
// genesis is refused. From a peer not connected it opens the connection, answered with
// this node's Status; from a connected one it only updates the peer's head.
void Node::receive_status(Context& ctx, Peer& peer, const StatusMsg& s) {
    if (s.network_id != config_.network_id || s.genesis != genesis_hash_) {
        if (peer.connected) {
            drop(ctx, peer, kDiscSubprotocolError);
            arm_peer_timer(ctx, peer.next_dial);
        } else {
            ctx.send(peer, DisconnectMsg{kDiscSubprotocolError});
        }
        return;
    }
    peer.head = s.head;
    peer.total_difficulty = s.total_difficulty;
    peer.last_read = ctx.now;
    if (!peer.connected) {
        peer.connected = true;
        // geth Peer.pingLoop starts with the peer: the first ping is ping_interval after the
        // connection opened, but for the first connections when they stand for connections
        // of unknown age (NodeConfig::first_connections_aged).
        Nanos first_ping = config_.ping_interval;
        if (!peer.ever_connected && config_.first_connections_aged) {
            const auto interval = static_cast<std::uint64_t>(config_.ping_interval.count());
            first_ping = Nanos(static_cast<std::int64_t>(1 + uniform_below(rng_, interval)));
        }
        peer.next_ping = ctx.now + first_ping;
        peer.ever_connected = true;
        // A new connection: the peer has seen nothing of what was sent on earlier ones.
        gossip_.forget_slot(member_.slot_base + peer.index);
        for (auto& [hash, known] : known_order_) std::erase(known, peer.id);
        ctx.send(peer, status());
        // geth syncTransactions: a new peer gets the pending transactions (here: those the
        // node would put in its next block, in that order).
        const StateNonces nonces(head_state(), cache_);
        for (const TxRef& tx : txpool_.select(nonces)) {
            if (!config_.relay_excluded && config_.exclude && config_.exclude(*tx, ctx.now)) continue;
            ctx.send(peer, TransactionsMsg{tx});
        }
        arm_peer_timer(ctx, peer.next_ping);
    }
    sync_check(ctx);  // geth: a new peer, or a peer's new head, is a chain-sync event
}

// Per connected peer, in configuration order: drop it when nothing was read from it for
// read_timeout (geth: the RLPx frame read deadline), else ping it when due; per peer not
// connected: dial it when due. Then the timer is armed for the earliest next deadline.
void Node::on_peer_timer(Context& ctx) {
    Nanos next = Nanos::max();
    for (Peer& p : peers_) {
        if (p.connected && ctx.now - p.last_read >= config_.read_timeout) {
            drop(ctx, p, kDiscReadTimeout);
        } else if (p.connected && ctx.now >= p.next_ping) {
            ctx.send(p, PingMsg{});
            p.next_ping = ctx.now + config_.ping_interval;
        } else if (!p.connected && ctx.now >= p.next_dial) {
            dial(ctx, p);
        }
        next = std::min(
            next, p.connected ? std::min(p.last_read + config_.read_timeout, p.next_ping) : p.next_dial);
    }
    if (!peers_.empty()) arm_peer_timer(ctx, next);
}

// One peer timer at a time, at the earliest deadline asked for: an earlier one replaces
// it (the later token goes stale), a later one waits for the timer to fire and re-arm.
void Node::arm_peer_timer(Context& ctx, Nanos at) {
    if (peer_token_ != 0 && peer_timer_at_ <= at) return;
    peer_token_ = ++tokens_issued_;
    peer_timer_at_ = at;
    ctx.effects.timers.push_back(Timer{at, peer_token_});
}

void Node::arm_force_timer(Context& ctx) {
    force_token_ = ++tokens_issued_;
    ctx.effects.timers.push_back(Timer{ctx.now + config_.force_sync_cycle, force_token_});
}

// ---- chain sync (geth eth/sync.go chainSyncer.nextSyncOp) ----

void Node::sync_check(Context& ctx) {
    if (sync_) return;
    const std::size_t connected = connected_count();
    if (connected == 0 || connected < (sync_forced_ ? 1 : config_.min_sync_peers)) return;
    const Peer* best = nullptr;
    for (const Peer& p : peers_) {
        // checkpoint §4: a peer whose head is known to conflict is not synced from.
        if (!conflicting_.empty() && conflicting_.contains(p.head)) continue;
        if (p.connected && (best == nullptr || p.total_difficulty > best->total_difficulty)) best = &p;
    }
    if (best == nullptr) return;
    if (best->total_difficulty <= chain_.head().total_difficulty) return;  // in sync
    if (stores(best->head)) return;  // stored, yet lighter than the head: nothing to fetch
    sync_ = SyncOp{best->id, best->head};
    fetch_towards(ctx, best->head, best->id);
}

// Ends the running sync when its target is stored (success) or nothing on its way is
// being fetched (failure); then, as geth's loop: the force timer restarts, a success
// announces the new head to the connected peers not known to have it, and the next sync
// is considered.
void Node::sync_progress(Context& ctx) {
    if (!sync_) return;
    const Hash32 target = sync_->target;
    const bool success = stores(target);
    if (!success && fetching_.contains(missing_ancestor(target))) return;
    sync_.reset();
    sync_forced_ = false;
    arm_force_timer(ctx);
    const BlockEntry& head = chain_.head();
    if (success && head.header.number > 0) {
        for (const Peer& p : peers_) {
            if (!p.connected || peer_knows(head.hash, p.index)) continue;
            mark_known(head.hash, p.index);
            ctx.send(p, NewBlockHashesMsg{head.hash, head.header.number});
        }
    }
    sync_check(ctx);
}

// ---- transactions ----

void Node::receive_tx(Context& ctx, const Peer* from, const TxRef& tx, txpool::Source source) {
    // A relayed transaction seen recently is dropped on its hash, before any work (geth's
    // known-transaction check); the pool would refuse it as known or as a stale nonce.
    if (from && !gossip_.remember_tx(member_.member, tx->hash)) return;
    ctx.effects.work.txs_admitted += 1;
    const state::LedgerState& head = head_state();
    const StateNonces nonces(head, cache_);
    const std::vector<Address>& members = cache_.active_operators(head);
    if (source == txpool::Source::kNetwork && std::binary_search(members.begin(), members.end(), tx->sender))
        source = txpool::Source::kMember;
    auto admitted = txpool_.admit(tx, ctx.now, nonces, source);
    if (!admitted) {
        // Refusals of relayed transactions (mostly "already known") are routine; report
        // only those of transactions submitted here.
        if (!from) ctx.effects.events.push_back(TxRefused{tx->hash, admitted.error()});
        return;
    }
    if (!config_.relay_excluded && config_.exclude && config_.exclude(*tx, ctx.now))
        return;  // a censor's policy
    // Relayed once: a transaction is forwarded only when this pool first admits it.
    ctx.effects.sends.reserve(ctx.effects.sends.size() + peers_.size());
    for (const Peer& p : peers_) {
        if (p.connected && &p != from) ctx.send(p, TransactionsMsg{tx});
    }
}

// ---- sealing ----

void Node::plan_seal(Context& ctx) {
    seal_token_ = 0;  // any pending seal is abandoned (§7: a better head arrived)
    if (!self_ || !config_.sealing) return;
    const BlockEntry& head = chain_.head();
    auto plan = clique::plan_seal(config_.clique, chain_.snapshot(head.hash), head.header, *self_,
                                  ctx.now_seconds(), true, rng_);
    if (!plan) return;  // not a signer, or signed recently: wait for the next head
    seal_token_ = ++tokens_issued_;
    seal_plan_ = *plan;
    seal_parent_ = head.hash;
    ctx.effects.timers.push_back(Timer{std::max(ctx.now, Nanos(plan->release_at())), seal_token_});
}

void Node::seal(Context& ctx) {
    seal_token_ = 0;
    CL_ASSERT(seal_plan_ && seal_parent_ == chain_.head().hash);
    const BlockEntry& parent = chain_.head();
    const clique::Snapshot& snapshot = chain_.snapshot(parent.hash);
    const state::LedgerState& parent_state = *cache_.stored(parent.id).state;

    std::vector<clique::Proposal> proposals;
    if (config_.vote_for_pending_clouds) {
        for (const Address& v : parent_state.pending_validators()) {
            if (!snapshot.is_signer(v)) proposals.push_back(clique::Proposal{v, true});
        }
    }
    for (const NodeConfig::ScheduledProposal& p : config_.proposals) {
        if (ctx.now >= p.from) proposals.push_back(p.proposal);
    }
    if (config_.drop_unattested_signers) {
        const std::vector<state::CloudEntry> clouds = parent_state.clouds();
        for (const Address& s : snapshot.signers()) {
            const bool attested = std::any_of(clouds.begin(), clouds.end(), [&](const state::CloudEntry& c) {
                return c.validator == s && c.status != state::CloudStatus::kRemoved;
            });
            if (!attested) proposals.push_back(clique::Proposal{s, false});
        }
    }
    Header header =
        clique::prepare_header(config_.clique, snapshot, parent.header, *seal_plan_, proposals, rng_);
    const std::vector<Address> signers_after =
        snapshot.apply(header, *self_, Hash32{}, config_.clique).value().signers();

    // Transactions in pool order; one the ledger refuses (it cannot, for a pool that
    // checks the chain id, but a block must never be invalid) is left out.
    const StateNonces nonces(parent_state, cache_);
    std::vector<TxRef> txs = txpool_.select(nonces);
    if (config_.exclude) std::erase_if(txs, [&](const TxRef& tx) { return config_.exclude(*tx, ctx.now); });
    std::optional<state::BlockResult> result;
    while (!result) {
        std::vector<RecoveredTransaction> plain;
        plain.reserve(txs.size());
        for (const TxRef& tx : txs) plain.push_back(*tx);
        auto executed =
            state::execute_block(parent_state, state::BlockContext{header.number, signers_after}, plain);
        if (executed) {
            result = std::move(*executed);
        } else {
            txs.resize(executed.error().tx_index);  // keep the valid prefix
        }
    }
    header.state_root = result->state.root();
    header.tx_root = transactions_root(txs);
    header.receipt_root = receipts_root(result->receipts);
    clique::seal_header(header, *config_.signer_key);
    const bool in_turn = header.difficulty == clique::kDiffInTurn;
    ctx.effects.work.txs_executed += static_cast<std::uint32_t>(txs.size());
    BlockRef block = make_block(std::move(header), std::move(txs), *self_);  // its own seal: no recovery
    cache_.put(block->hash, std::move(*result));
    ctx.effects.events.push_back(BlockSealed{block, in_turn});
    // The sealer's own block is executed once (above) and its header is not verified
    // again: geth's worker writes a sealed block with the state it built it on
    // (miner/worker.go resultLoop → BlockChain.WriteBlockAndSetHead), without InsertChain's
    // VerifyHeaders and Process. import_block still runs the checks — an invalid block of
    // its own would be a bug here, not work a node does — and finds the execution cached.
    if (import_block(ctx, block, true) == Imported::kStored) relay_block(ctx, block, std::nullopt);
}

}  // namespace cl::node
