#include "protocol/txpool/txpool.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "protocol/core/assert.hpp"
#include "protocol/txpool/stamp.hpp"

namespace cl::txpool {

Config Config::unlimited() {
    Config c;
    c.chain_id.reset();
    c.account_slots.reset();
    c.global_slots.reset();
    c.account_queue.reset();
    c.global_queue.reset();
    c.lifetime.reset();
    c.rate_limit.reset();
    c.stamp_bits.reset();
    c.max_txs_per_block.reset();
    c.max_tx_size.reset();
    return c;
}

const char* to_string(Refusal r) {
    switch (r) {
        case Refusal::kAlreadyKnown:
            return "already_known";
        case Refusal::kWrongChainId:
            return "wrong_chain_id";
        case Refusal::kNonceTooLow:
            return "nonce_too_low";
        case Refusal::kReplacementNotAllowed:
            return "replacement_not_allowed";
        case Refusal::kMissingStamp:
            return "missing_stamp";
        case Refusal::kBadStamp:
            return "bad_stamp";
        case Refusal::kRateLimited:
            return "rate_limited";
        case Refusal::kAccountSlotsFull:
            return "account_slots_full";
        case Refusal::kAccountQueueFull:
            return "account_queue_full";
        case Refusal::kGlobalSlotsFull:
            return "global_slots_full";
        case Refusal::kOversized:
            return "oversized";
        case Refusal::kGlobalQueueFull:
            return "global_queue_full";
    }
    return "unknown_refusal";
}

const char* to_string(TxStatus s) { return s == TxStatus::kPending ? "pending" : "queued"; }

TxPool::TxPool(Config config) : TxPool(std::move(config), std::make_unique<SenderTable>(), nullptr) {}

TxPool::TxPool(Config config, SenderTable& shared) : TxPool(std::move(config), nullptr, &shared) {}

TxPool::TxPool(Config config, std::unique_ptr<SenderTable> own, SenderTable* shared)
    : config_(std::move(config)),
      own_senders_(std::move(own)),
      senders_(shared ? shared : own_senders_.get()),
      member_(senders_->join()) {
    CL_ASSERT(!config_.rate_limit || config_.rate_limit->refill_interval > Nanos::zero());
    CL_ASSERT(!config_.stamp_bits || *config_.stamp_bits <= 256);
}

// ---- indexes ---------------------------------------------------------------------

TxPool::IndexKeys TxPool::index_keys(AccountId id) const {
    const Account& a = accounts_[id];
    return IndexKeys{a.pending, a.queued(), a.heartbeat};
}

// Touches a set only if the account's key in it changed, and only sets whose limit is on:
// most admissions change one count and leave the heartbeat alone.
void TxPool::reindex(AccountId id, const IndexKeys& before) {
    const Account& a = accounts_[id];
    const IndexKeys after = index_keys(id);
    const bool heartbeat_moved = before.heartbeat != after.heartbeat;
    if (pending_rank_live_ && (before.pending != after.pending || heartbeat_moved)) {
        if (before.pending > 0) {
            const std::size_t erased =
                pending_rank_.erase(RankKey{before.pending, before.heartbeat, a.first_seen, id});
            CL_ASSERT(erased == 1);
        }
        if (after.pending > 0)
            pending_rank_.insert(RankKey{after.pending, after.heartbeat, a.first_seen, id});
    }
    if (queued_rank_live_ && (before.queued != after.queued || heartbeat_moved)) {
        if (before.queued > 0) {
            const std::size_t erased =
                queued_rank_.erase(RankKey{before.queued, before.heartbeat, a.first_seen, id});
            CL_ASSERT(erased == 1);
        }
        if (after.queued > 0) queued_rank_.insert(RankKey{after.queued, after.heartbeat, a.first_seen, id});
    }
    if (config_.lifetime && ((before.queued > 0) != (after.queued > 0) || heartbeat_moved)) {
        if (before.queued > 0) {
            const std::size_t erased = expiry_.erase(ExpiryKey{before.heartbeat, a.first_seen, id});
            CL_ASSERT(erased == 1);
        }
        if (after.queued > 0) expiry_.insert(ExpiryKey{after.heartbeat, a.first_seen, id});
    }
}

void TxPool::ensure_pending_rank() {
    CL_ASSERT(config_.global_slots.has_value());
    if (pending_rank_live_) return;
    for (const auto& [first_seen, id] : order_) {
        const Account& a = accounts_[id];
        if (a.pending > 0) pending_rank_.insert(RankKey{a.pending, a.heartbeat, a.first_seen, id});
    }
    pending_rank_live_ = true;
}

void TxPool::ensure_queued_rank() {
    CL_ASSERT(config_.global_queue.has_value());
    if (queued_rank_live_) return;
    for (const auto& [first_seen, id] : order_) {
        const Account& a = accounts_[id];
        if (a.queued() > 0) queued_rank_.insert(RankKey{a.queued(), a.heartbeat, a.first_seen, id});
    }
    queued_rank_live_ = true;
}

void TxPool::retire_ranks() {
    if (pending_rank_live_ && pending_total_ < *config_.global_slots / 2) {
        pending_rank_.clear();
        pending_rank_live_ = false;
    }
    if (queued_rank_live_ && queued_total_ < *config_.global_queue / 2) {
        queued_rank_.clear();
        queued_rank_live_ = false;
    }
}

TxPool::AccountId TxPool::create_account(const Address& sender, std::uint64_t state_nonce, std::uint64_t seq,
                                         Nanos now) {
    AccountId id;
    if (!free_ids_.empty()) {
        id = free_ids_.back();
        free_ids_.pop_back();
    } else {
        CL_ASSERT(accounts_.size() < std::numeric_limits<AccountId>::max());
        id = static_cast<AccountId>(accounts_.size());
        accounts_.emplace_back();
    }
    Account& a = accounts_[id];
    a.address = sender;
    a.state_nonce = state_nonce;
    a.pending = 0;
    a.heartbeat = now;
    a.first_seen = seq;
    if (Sender* s = sender_record(sender)) {
        s->account = id;
    } else {
        senders_->assign(member_, sender, Sender{kNoBucket, id});
    }
    order_.push_back(seq, id);
    return id;
}

// REQUIRES: reindex() was called after the account's last change.
void TxPool::remove_account_if_empty(AccountId id) {
    Account& a = accounts_[id];
    if (!a.txs.empty()) return;
    Sender* s = sender_record(a.address);
    CL_ASSERT(s != nullptr && s->account == id);
    if (s->tat == kNoBucket) {
        senders_->assign(member_, a.address, Sender{});  // neither account nor bucket: removed
    } else {
        s->account = kNoAccount;
    }
    order_.erase(a.first_seen);
    // The slot keeps its (empty) transaction map; create_account() sets every other field.
    free_ids_.push_back(id);
}

void TxPool::erase_entry(Account& a, std::map<std::uint64_t, Entry>::iterator it) { a.txs.erase(it); }

Eviction TxPool::evict_pending_tail(AccountId id) {
    Account& a = accounts_[id];
    CL_ASSERT(a.pending > 0);
    const IndexKeys before = index_keys(id);
    auto it = a.txs.find(a.state_nonce + a.pending - 1);
    Eviction e{it->second.tx->hash, a.address, it->first, TxStatus::kPending};
    erase_entry(a, it);
    --a.pending;
    --pending_total_;
    reindex(id, before);
    remove_account_if_empty(id);
    return e;
}

Eviction TxPool::evict_queued_top(AccountId id) {
    Account& a = accounts_[id];
    CL_ASSERT(a.queued() > 0);
    const IndexKeys before = index_keys(id);
    auto it = std::prev(a.txs.end());  // queued nonces are above the pending run
    Eviction e{it->second.tx->hash, a.address, it->first, TxStatus::kQueued};
    erase_entry(a, it);
    --queued_total_;
    reindex(id, before);
    remove_account_if_empty(id);
    return e;
}

bool TxPool::slots_room(const Account& a) const {
    return (!config_.account_slots || a.pending < *config_.account_slots) &&
           (!config_.global_slots || pending_total_ < *config_.global_slots);
}

std::size_t TxPool::promote(Account& a) {
    std::size_t moved = 0;
    while (slots_room(a) && a.txs.contains(a.state_nonce + a.pending)) {
        ++a.pending;
        ++pending_total_;
        --queued_total_;
        ++moved;
    }
    return moved;
}

// ---- admission -------------------------------------------------------------------

std::expected<AdmitOutcome, Refusal> TxPool::admit(const TxRef& shared, Nanos now,
                                                   const AccountNonces& nonces, Source source) {
    CL_ASSERT(shared != nullptr);
    const RecoveredTransaction& tx = *shared;
    // Stateless and lookup checks first, the stamp's hash next, state-changing rules last.
    const Address& sender = tx.sender;
    const std::uint64_t nonce = tx.tx.nonce;
    // `known` is the sender's account if it has pooled transactions; the pointer is not
    // used once anything may have been added to or removed from accounts_.
    // One lookup for the account and the token bucket; the pointer is not kept.
    const Sender* entry = sender_record(sender);
    const AccountId found = entry ? entry->account : kNoAccount;
    const Nanos bucket = entry ? entry->tat : kNoBucket;
    const Account* known = found != kNoAccount ? &accounts_[found] : nullptr;
    const AccountId known_id = known ? found : 0;
    Entry* existing = nullptr;
    if (known) {
        auto it = accounts_[known_id].txs.find(nonce);
        if (it != accounts_[known_id].txs.end()) existing = &it->second;
    }
    // A pooled transaction with this hash has this sender and nonce (the hash covers the
    // signed encoding, which fixes both): it is the one at (sender, nonce), if any.
    if (existing && existing->tx->hash == tx.hash) return std::unexpected(Refusal::kAlreadyKnown);
    if (config_.max_tx_size && tx.encoded_size > *config_.max_tx_size)
        return std::unexpected(Refusal::kOversized);
    if (config_.chain_id && tx.tx.chain_id != *config_.chain_id) {
        return std::unexpected(Refusal::kWrongChainId);
    }

    const std::uint64_t state_nonce = known ? known->state_nonce : nonces.nonce(sender);
    if (nonce < state_nonce) return std::unexpected(Refusal::kNonceTooLow);

    if (existing && !config_.allow_replacement) return std::unexpected(Refusal::kReplacementNotAllowed);

    if (config_.stamp_bits) {
        const CallStamp stamp = request_stamp(tx.tx.call);
        switch (stamp.kind) {
            case CallStamp::Kind::kNotRequest:
                break;
            case CallStamp::Kind::kMissing:
                return std::unexpected(Refusal::kMissingStamp);
            case CallStamp::Kind::kMalformed:
                return std::unexpected(Refusal::kBadStamp);
            case CallStamp::Kind::kPresent:
                if (!stamp_is_valid(sender, nonce, stamp.stamp, *config_.stamp_bits)) {
                    return std::unexpected(Refusal::kBadStamp);
                }
                break;
        }
    }

    const bool metered = config_.rate_limit && (source == Source::kNetwork ||
                                                (source == Source::kMember && !config_.exempt_members));
    std::optional<Nanos> tat;
    if (metered) {
        if (bucket != kNoBucket) tat = bucket;
        if (bucket_tokens(*config_.rate_limit, tat, now) == 0) return std::unexpected(Refusal::kRateLimited);
    }
    auto take_token = [&] {
        if (!metered) return;
        const Nanos taken = bucket_take(*config_.rate_limit, tat, now);
        if (Sender* s = sender_record(sender)) {
            s->tat = taken;
        } else {
            senders_->assign(member_, sender, Sender{taken, kNoAccount});
        }
    };

    // Same sender and nonce: the new transaction takes the old one's place (no price to bump).
    if (existing) {
        const AccountId id = known_id;
        Account& a = accounts_[id];
        const bool pending = nonce < a.state_nonce + a.pending;
        const IndexKeys before = index_keys(id);
        const Hash32 old = existing->tx->hash;
        existing->tx = shared;
        existing->seq = next_seq_++;
        if (pending) a.heartbeat = now;  // geth bumps the heartbeat of a pending replacement
        reindex(id, before);
        take_token();
        AdmitOutcome out;
        out.status = pending ? TxStatus::kPending : TxStatus::kQueued;
        out.replaced = old;
        return out;
    }

    const std::size_t pending = known ? known->pending : 0;
    const std::size_t queued = known ? known->queued() : 0;
    const bool executable = nonce == state_nonce + pending;
    // Eviction (docs/txpool.md): the victim is the account with the most transactions of
    // the kind that is full, and only if it holds at least two more of that kind than the
    // sender does now (victim >= sender + 2): after one leaves the victim and one joins the
    // sender, victim >= sender still, so loads only get more equal. Hence an account never
    // evicts itself and equal loads never churn.
    std::optional<AccountId> victim;
    if (executable) {
        if (config_.account_slots && pending >= *config_.account_slots) {
            return std::unexpected(Refusal::kAccountSlotsFull);
        }
        if (config_.global_slots && pending_total_ >= *config_.global_slots) {
            ensure_pending_rank();
            if (pending_rank_.empty() || pending_rank_.begin()->count < pending + 2) {
                return std::unexpected(Refusal::kGlobalSlotsFull);
            }
            victim = pending_rank_.begin()->id;
        }
    } else {
        if (config_.account_queue && queued >= *config_.account_queue) {
            return std::unexpected(Refusal::kAccountQueueFull);
        }
        if (config_.global_queue && queued_total_ >= *config_.global_queue) {
            ensure_queued_rank();
            if (queued_rank_.empty() || queued_rank_.begin()->count < queued + 2) {
                return std::unexpected(Refusal::kGlobalQueueFull);
            }
            victim = queued_rank_.begin()->id;
        }
    }

    // Admitted: from here on nothing can fail.
    AdmitOutcome out;
    if (victim) out.evicted = executable ? evict_pending_tail(*victim) : evict_queued_top(*victim);
    const std::uint64_t seq = next_seq_++;
    const AccountId id = known ? known_id : create_account(sender, state_nonce, seq, now);
    Account& a = accounts_[id];
    const IndexKeys before = index_keys(id);
    a.txs.emplace(nonce, Entry{shared, seq});
    if (executable) {
        ++a.pending;
        ++pending_total_;
        a.heartbeat = now;
        out.status = TxStatus::kPending;
        out.promoted = promote(a);
    } else {
        if (queued == 0) a.heartbeat = now;  // the account's queue starts
        ++queued_total_;
        out.status = TxStatus::kQueued;
    }
    reindex(id, before);
    take_token();
    return out;
}

// ---- head changes and expiry -----------------------------------------------------

// Hints, no effect on results: an account and its lowest transaction are cold in a pool
// of a simulated network, where hundreds of pools take turns (docs/txpool.md, "Cost").
void TxPool::prefetch_slot(const Account& a) {
    __builtin_prefetch(&a);
    __builtin_prefetch(reinterpret_cast<const char*>(&a) + sizeof(Account) - 1);
}
void TxPool::prefetch_first_tx(const Account& a) {
    if (!a.txs.empty()) __builtin_prefetch(&*a.txs.begin());
}

HeadOutcome TxPool::on_new_head(const AccountNonces& nonces, Nanos now) {
    HeadOutcome out;
    // 1. Per account: drop what the new state executed, demote runs that lost their start,
    //    and cut the account's queue back to account_queue (highest nonces first).
    // Hints: an account's slot is requested two accounts ahead, its lowest transaction one
    // ahead (the slot, holding where it is, has arrived by then).
    auto far = order_.begin();
    for (int k = 0; k < 2 && far != order_.end(); ++k, ++far) prefetch_slot(accounts_[far->second]);
    for (auto it = order_.begin(); it != order_.end();) {
        const AccountId id = it->second;
        ++it;  // the account may be removed below
        if (it != order_.end()) prefetch_first_tx(accounts_[it->second]);
        if (far != order_.end()) prefetch_slot(accounts_[(far++)->second]);
        Account& a = accounts_[id];
        const std::uint64_t n = nonces.nonce(a.address);
        if (n == a.state_nonce) continue;
        const IndexKeys before = index_keys(id);
        if (n > a.state_nonce) {
            const std::uint64_t advance = n - a.state_nonce;
            const std::size_t stale_pending =
                advance >= a.pending ? a.pending : static_cast<std::size_t>(advance);
            std::size_t stale = 0;
            for (auto t = a.txs.begin(); t != a.txs.end() && t->first < n;) {
                t = a.txs.erase(t);
                ++stale;
            }
            a.pending -= stale_pending;
            pending_total_ -= stale_pending;
            queued_total_ -= stale - stale_pending;
            out.stale += stale;
        } else {
            // The state went back (a reorg): no pooled transaction carries the nonces in
            // between, so the whole pending run waits in the queue again.
            if (a.pending > 0 && a.queued() == 0) a.heartbeat = now;  // the account's queue starts
            out.demoted += a.pending;
            pending_total_ -= a.pending;
            queued_total_ += a.pending;
            a.pending = 0;
        }
        a.state_nonce = n;
        if (config_.account_queue) {
            while (a.queued() > *config_.account_queue) {
                erase_entry(a, std::prev(a.txs.end()));
                --queued_total_;
                ++out.truncated;
            }
        }
        reindex(id, before);
        remove_account_if_empty(id);
    }
    // 2. Promote, accounts in first-seen order while global_slots has room.
    for (const auto& [first_seen, id] : order_) {
        Account& a = accounts_[id];
        if (a.queued() == 0 || !slots_room(a) || !a.txs.contains(a.state_nonce + a.pending)) continue;
        const IndexKeys before = index_keys(id);
        out.promoted += promote(a);
        a.heartbeat = now;
        reindex(id, before);
    }
    // 3. Demotions may have overfilled the global queue: evict by the eviction order.
    if (config_.global_queue && queued_total_ > *config_.global_queue) {
        ensure_queued_rank();
        while (queued_total_ > *config_.global_queue) {
            (void)evict_queued_top(queued_rank_.begin()->id);
            ++out.truncated;
        }
    }
    retire_ranks();
    return out;
}

std::size_t TxPool::expire(Nanos now) {
    std::size_t dropped = 0;
    if (config_.lifetime) {
        while (!expiry_.empty() && now - expiry_.begin()->heartbeat > *config_.lifetime) {
            const AccountId id = expiry_.begin()->id;
            Account& a = accounts_[id];
            const IndexKeys before = index_keys(id);
            for (auto t = a.txs.lower_bound(a.state_nonce + a.pending); t != a.txs.end();) {
                t = a.txs.erase(t);
                --queued_total_;
                ++dropped;
            }
            reindex(id, before);
            remove_account_if_empty(id);
        }
    }
    // A bucket that has refilled completely is the same as no bucket.
    // Forgetting one drops the sender's entry unless it has an account.
    if (config_.rate_limit) {
        senders_->update_all(member_, [now](Sender& s) {
            if (s.tat <= now) s.tat = kNoBucket;
        });
    }
    retire_ranks();
    return dropped;
}

// ---- selection -------------------------------------------------------------------

std::vector<TxRef> TxPool::select(const AccountNonces& nonces, std::optional<std::size_t> max) const {
    std::size_t limit = std::numeric_limits<std::size_t>::max();
    if (max) limit = std::min(limit, *max);
    if (config_.max_txs_per_block) limit = std::min(limit, *config_.max_txs_per_block);
    std::vector<TxRef> out;
    if (limit == 0) return out;

    struct Cursor {
        std::uint64_t seq;  // arrival of the account's next transaction
        std::map<std::uint64_t, Entry>::const_iterator next;
        std::uint64_t end;  // one past the account's last pending nonce
    };
    auto later = [](const Cursor& x, const Cursor& y) { return x.seq > y.seq; };  // min-heap on seq
    std::vector<Cursor> heap;
    for (const auto& [first_seen, id] : order_) {
        const Account& a = accounts_[id];
        if (a.pending == 0) continue;
        const std::uint64_t from = nonces.nonce(a.address);
        const std::uint64_t end = a.state_nonce + a.pending;
        if (from < a.state_nonce || from >= end) continue;
        auto next = a.txs.find(from);
        heap.push_back(Cursor{next->second.seq, next, end});
    }
    std::make_heap(heap.begin(), heap.end(), later);
    while (!heap.empty() && out.size() < limit) {
        std::pop_heap(heap.begin(), heap.end(), later);
        Cursor& c = heap.back();
        out.push_back(c.next->second.tx);
        const std::uint64_t taken = c.next->first;
        ++c.next;
        if (taken + 1 < c.end) {
            c.seq = c.next->second.seq;
            std::push_heap(heap.begin(), heap.end(), later);
        } else {
            heap.pop_back();
        }
    }
    return out;
}

// ---- queries ---------------------------------------------------------------------

const TxPool::Account* TxPool::account_of(const Address& sender) const {
    const AccountId id = account_id(sender);
    return id != kNoAccount ? &accounts_[id] : nullptr;
}

std::size_t TxPool::pending_count(const Address& sender) const {
    const Account* a = account_of(sender);
    return a ? a->pending : 0;
}

std::size_t TxPool::queued_count(const Address& sender) const {
    const Account* a = account_of(sender);
    return a ? a->queued() : 0;
}

const TxPool::Entry* TxPool::find_entry(const Hash32& hash) const {
    for (const auto& [first_seen, id] : order_) {
        for (const auto& [nonce, entry] : accounts_[id].txs) {
            if (entry.tx->hash == hash) return &entry;
        }
    }
    return nullptr;
}

const RecoveredTransaction* TxPool::find(const Hash32& hash) const {
    const Entry* e = find_entry(hash);
    return e ? e->tx.get() : nullptr;
}

std::optional<TxStatus> TxPool::status(const Hash32& hash) const {
    const Entry* e = find_entry(hash);
    if (!e) return std::nullopt;
    const Account& a = *account_of(e->tx->sender);  // a pooled entry's sender has an account
    return e->tx->tx.nonce < a.state_nonce + a.pending ? TxStatus::kPending : TxStatus::kQueued;
}

std::optional<std::uint64_t> TxPool::next_nonce(const Address& sender) const {
    const Account* a = account_of(sender);
    if (!a) return std::nullopt;
    return a->state_nonce + a->pending;
}

std::uint64_t TxPool::tokens(const Address& sender, Nanos now) const {
    if (!config_.rate_limit) return 0;
    const Sender* s = sender_record(sender);
    return bucket_tokens(*config_.rate_limit, s && s->tat != kNoBucket ? std::optional(s->tat) : std::nullopt,
                         now);
}

std::vector<TxPool::AccountView> TxPool::accounts() const {
    std::vector<AccountView> out;
    out.reserve(order_.size());
    for (const auto& [first_seen, id] : order_) {
        const Account& a = accounts_[id];
        AccountView v{a.address, a.state_nonce, {}, {}};
        for (const auto& [nonce, entry] : a.txs) {
            (nonce < a.state_nonce + a.pending ? v.pending : v.queued).push_back(nonce);
        }
        out.push_back(std::move(v));
    }
    return out;
}

std::optional<std::string> TxPool::check_invariants() const {
    auto fail = [](std::string what) { return std::optional<std::string>(std::move(what)); };
    std::size_t indexed = 0;
    senders_->for_each(member_, [&](const Sender& s) {
        if (s.account != kNoAccount) ++indexed;
    });
    if (order_.size() != indexed) return fail("order and address index differ in size");
    std::size_t pending = 0, queued = 0, txs = 0, with_pending = 0, with_queued = 0;
    std::vector<Hash32> hashes;
    for (const auto& [first_seen, id] : order_) {
        const Account& a = accounts_[id];
        const std::string who = a.address.hex();
        if (a.first_seen != first_seen) return fail(who + ": first_seen mismatch");
        if (account_id(a.address) != id) {
            return fail(who + ": address index");
        }
        if (a.txs.empty()) return fail(who + ": empty account kept");
        if (a.txs.begin()->first < a.state_nonce) return fail(who + ": nonce below the state nonce");
        for (std::size_t i = 0; i < a.pending; ++i) {
            if (!a.txs.contains(a.state_nonce + i)) return fail(who + ": pending run not contiguous");
        }
        if (a.pending > a.txs.size()) return fail(who + ": pending count above size");
        if (config_.account_slots && a.pending > *config_.account_slots) return fail(who + ": account_slots");
        if (config_.account_queue && a.queued() > *config_.account_queue)
            return fail(who + ": account_queue");
        for (const auto& [nonce, entry] : a.txs) {
            if (entry.tx->tx.nonce != nonce || entry.tx->sender != a.address)
                return fail(who + ": entry misfiled");
            hashes.push_back(entry.tx->hash);
        }
        if (a.pending > 0) {
            ++with_pending;
            if (pending_rank_live_ &&
                !pending_rank_.contains(RankKey{a.pending, a.heartbeat, a.first_seen, id})) {
                return fail(who + ": pending rank");
            }
        }
        if (a.queued() > 0) {
            ++with_queued;
            if (queued_rank_live_ &&
                !queued_rank_.contains(RankKey{a.queued(), a.heartbeat, a.first_seen, id})) {
                return fail(who + ": queued rank");
            }
            if (config_.lifetime && !expiry_.contains(ExpiryKey{a.heartbeat, a.first_seen, id})) {
                return fail(who + ": expiry index");
            }
        }
        pending += a.pending;
        queued += a.queued();
        txs += a.txs.size();
    }
    if (pending != pending_total_ || queued != queued_total_) return fail("totals");
    std::sort(hashes.begin(), hashes.end());
    if (std::adjacent_find(hashes.begin(), hashes.end()) != hashes.end()) return fail("a hash pooled twice");
    if (pending_rank_live_ && !config_.global_slots) return fail("pending rank live without global_slots");
    if (queued_rank_live_ && !config_.global_queue) return fail("queued rank live without global_queue");
    if (pending_rank_.size() != (pending_rank_live_ ? with_pending : 0) ||
        queued_rank_.size() != (queued_rank_live_ ? with_queued : 0) ||
        expiry_.size() != (config_.lifetime ? with_queued : 0)) {
        return fail("index sizes");
    }
    if (config_.global_slots && pending_total_ > *config_.global_slots) return fail("global_slots");
    if (config_.global_queue && queued_total_ > *config_.global_queue) return fail("global_queue");
    return std::nullopt;
}

}  // namespace cl::txpool
