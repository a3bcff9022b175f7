// The node-local transaction pool (shared/spec/promo-pool.md §5 — node policy, not
// consensus): which transactions a node accepts, keeps, forgets and offers to a block.
//
// Modelled on go-ethereum's legacypool with the same defaults (account_slots 16,
// global_slots 5120, account_queue 64, global_queue 1024, lifetime 3 h), adapted to a
// fee-free chain: there is no price, so replacement, eviction and block order are decided
// by nonce, load and arrival instead. The rules, in full, are in docs/txpool.md.
//
// Per sender, the pool holds transactions with nonces >= the sender's head-state nonce:
//   pending  the executable run [state_nonce, state_nonce + p), contiguous, p <= account_slots;
//   queued   every other pooled transaction of the sender (a gap in front of it, or held
//            back because account_slots or global_slots was reached).
// Invariants (check_invariants()): pending runs are contiguous from the state nonce;
// per-account and global counts are within the configured limits after every call; every
// hash is pooled once; no sender has two transactions with one nonce.
//
// Determinism (DESIGN.md §6): results never depend on hash-map iteration or addresses.
// Ties are broken by arrival: every admission gets the next sequence number, and an
// account is ordered by the sequence number of the admission that brought it into the
// pool ("first seen"). Hash maps are used for lookup only.
//
// Pure: no clock, no RNG, no I/O. Time is passed in (nanoseconds since an arbitrary
// origin); the head state is read through AccountNonces. Not thread-safe.
//
// Complexity: admit O(log n) (n = pooled transactions), amortised: the eviction ranks are
// built only once a global limit is reached (O(a log a) over the a accounts, at most once
// per limit / 2 admissions) and kept while the pool stays above half the limit; expire
// O(k log n) for k dropped, plus one pass over the token buckets; on_new_head and select
// visit every account with pooled transactions once.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/chain/transaction.hpp"
#include "protocol/core/bytes.hpp"
#include "protocol/txpool/first_seen_order.hpp"
#include "protocol/txpool/sender_table.hpp"
#include "protocol/txpool/token_bucket.hpp"

namespace cl::txpool {

using Nanos = std::chrono::nanoseconds;

// The head state as the pool needs it, implemented by the node: the nonce the next
// transaction of `sender` must carry in the state the pool is synchronised to.
class AccountNonces {
  public:
    virtual ~AccountNonces() = default;
    virtual std::uint64_t nonce(const Address& sender) const = 0;
};

// geth's txMaxSize = 4 × 32 KiB: the largest transaction its pool accepts, in bytes of the
// signed RLP encoding (core/txpool/legacypool/legacypool.go; ValidateTransaction refuses a
// larger one with ErrOversizedData, "to prevent DOS attacks"). The one place this default
// lives: Config::max_tx_size, the scenario key `txpool.max_tx_size` and the spam
// adversary's oversized junk (when the limit is off) all read it.
inline constexpr std::size_t kGethTxMaxSize = 4 * 32 * 1024;

// Every limit is a std::optional: std::nullopt switches it off (§5: "each can be switched
// off to measure what it buys"). A present value is enforced as written, 0 included
// (account_slots = 0 accepts no executable transaction at all).
struct Config {
    std::optional<std::uint64_t> chain_id;                  // refuse other chain ids (§1); off: any
    std::optional<std::size_t> account_slots = 16;          // max pending per sender
    std::optional<std::size_t> global_slots = 4096 + 1024;  // max pending in the pool
    std::optional<std::size_t> account_queue = 64;          // max queued per sender
    std::optional<std::size_t> global_queue = 1024;         // max queued in the pool
    std::optional<Nanos> lifetime = std::chrono::hours(3);  // queued transactions of idle senders expire
    std::optional<RateLimit> rate_limit = RateLimit{};      // per-sender token bucket, burst 5, 1 / 60 s
    std::optional<unsigned> stamp_bits;                     // required request stamp (off by default)
    std::optional<std::size_t> max_txs_per_block;           // select() cap, the "sign limit per slot"
    // Largest transaction accepted, in bytes of its signed RLP encoding (kGethTxMaxSize by
    // default). Off: any size.
    std::optional<std::size_t> max_tx_size = kGethTxMaxSize;
    bool allow_replacement = true;  // same sender and nonce, another hash, replaces the pooled one
    bool exempt_members = true;     // Source::kMember skips the token bucket (docs/txpool.md)

    // Every limit off: chain id, slots, queues, lifetime, rate, stamp, block cap.
    static Config unlimited();
};

// Why a transaction was refused, in the order admit() checks — except kOversized, checked
// right after kAlreadyKnown (geth's order) but numbered last so that the older reasons keep
// their codes. A refused transaction changes nothing in the pool (no token is taken,
// nothing is evicted).
enum class [[nodiscard]] Refusal{
    kAlreadyKnown,           // a transaction with this hash is pooled (geth ErrAlreadyKnown)
    kWrongChainId,           // chain_id differs from Config::chain_id (§1 replay protection)
    kNonceTooLow,            // nonce below the sender's head-state nonce (§1)
    kReplacementNotAllowed,  // same sender and nonce as a pooled transaction, allow_replacement off
    kMissingStamp,           // a request without a stamp while stamp_bits is set (§5)
    kBadStamp,               // a request whose stamp is malformed or too weak for stamp_bits (§5)
    kRateLimited,            // the sender's token bucket is empty (§5 burst / refill)
    kAccountSlotsFull,       // next executable nonce, but the sender has account_slots pending (§5)
    kAccountQueueFull,       // future nonce, but the sender has account_queue queued (§5)
    kGlobalSlotsFull,        // executable, global_slots reached and nothing evictable (§5)
    kGlobalQueueFull,        // future nonce, global_queue reached and nothing evictable (§5)
    kOversized,              // encoded_size > Config::max_tx_size (geth ErrOversizedData)
};
inline constexpr std::size_t kRefusalCount = 12;
// A stable snake_case identifier ("rate_limited") for metrics and reports.
const char* to_string(Refusal r);

enum class TxStatus { kPending, kQueued };
const char* to_string(TxStatus s);

// A transaction of another sender dropped to make room (docs/txpool.md, eviction).
struct Eviction {
    Hash32 hash;
    Address sender;
    std::uint64_t nonce = 0;
    TxStatus was = TxStatus::kPending;
};

struct AdmitOutcome {
    TxStatus status = TxStatus::kPending;  // where the admitted transaction is now
    std::optional<Hash32> replaced;        // the same-nonce transaction it replaced
    std::optional<Eviction> evicted;       // what was evicted to make room for it
    std::size_t promoted = 0;              // the sender's queued transactions it made pending
};

// What on_new_head() changed; every count is of transactions.
struct HeadOutcome {
    std::size_t stale = 0;      // dropped: nonce below the new state nonce (included, or superseded)
    std::size_t demoted = 0;    // pending → queued (the state nonce went back, a gap opened)
    std::size_t promoted = 0;   // queued → pending
    std::size_t truncated = 0;  // queued dropped to bring the queues back within their limits
};

// Where a transaction comes from. Reinjected transactions (those of blocks a reorg
// removed from the canonical chain, resubmitted by the node) skip the token bucket:
// they were paid for when first admitted. Member transactions (sent by the operator of a
// cloud the node's head state lists as active, §2) skip it while Config::exempt_members
// holds: members are known and accountable, and their redemptions are the program's own
// traffic, which a per-sender bucket sized for anonymous users would throttle. Every
// other rule applies to every source.
enum class Source { kNetwork, kMember, kReinjected };

class TxPool {
  public:
    // REQUIRES: rate_limit->refill_interval > 0; stamp_bits <= 256.
    explicit TxPool(Config config);
    // A pool whose per-sender records live in `shared` (a new member of it), which must
    // outlive the pool. Behaves exactly as TxPool(config).
    TxPool(Config config, SenderTable& shared);

    // §5 admission. Checks, in order: known hash, size, chain id, nonce too low, replacement
    // policy, stamp, token bucket, then room (account slots / queue, global slots / queue
    // with eviction). REQUIRES: on_new_head() was called after every change of the head
    // state, so that `nonces` is the state the pool is synchronised to (`nonces` is only
    // read for senders with nothing pooled).
    // The pool keeps `tx` itself (shared, never copied).
    std::expected<AdmitOutcome, Refusal> admit(const TxRef& tx, Nanos now, const AccountNonces& nonces,
                                               Source source = Source::kNetwork);
    // The same for a transaction the caller owns (tests, tools): the pool keeps a copy.
    std::expected<AdmitOutcome, Refusal> admit(const RecoveredTransaction& tx, Nanos now,
                                               const AccountNonces& nonces,
                                               Source source = Source::kNetwork) {
        return admit(std::make_shared<const RecoveredTransaction>(tx), now, nonces, source);
    }

    // Resynchronises to a new head state (a new block, or a reorganisation): drops
    // transactions below each sender's new state nonce, demotes pending runs that lost
    // their start, promotes runs that became executable (accounts in first-seen order while
    // global_slots has room), then truncates queues over their limits. `now` is the time of
    // the call (promotion counts as sender activity for lifetime). Visits every pooled sender.
    HeadOutcome on_new_head(const AccountNonces& nonces, Nanos now);

    // §5 lifetime, as geth: every queued transaction of a sender is dropped once the sender
    // has been idle for longer than lifetime (now − heartbeat > lifetime). Pending
    // transactions never expire. Also forgets token buckets that are full again (which
    // changes no result). Returns the number of transactions dropped.
    std::size_t expire(Nanos now);

    // Transactions for a block on top of the state `nonces`, in the order to include them:
    // each sender's pending run from its nonce in `nonces` (contiguous, nonce order), the
    // senders interleaved by arrival — the next transaction taken is always the one with
    // the smallest arrival sequence among the senders' next transactions. At most
    // min(max, max_txs_per_block) (nullopt: no cap). Does not modify the pool.
    std::vector<TxRef> select(const AccountNonces& nonces,
                              std::optional<std::size_t> max = std::nullopt) const;

    // ---- queries (metrics, tests) ----
    const Config& config() const { return config_; }
    std::size_t pending_count() const { return pending_total_; }
    std::size_t queued_count() const { return queued_total_; }
    std::size_t size() const { return pending_total_ + queued_total_; }
    std::size_t account_count() const { return order_.size(); }
    std::size_t pending_count(const Address& sender) const;
    std::size_t queued_count(const Address& sender) const;
    // By hash: these visit the pooled transactions (O(n)); the pool keeps no hash index,
    // as admission finds a known transaction through its sender and nonce.
    bool contains(const Hash32& hash) const { return find(hash) != nullptr; }
    const RecoveredTransaction* find(const Hash32& hash) const;
    std::optional<TxStatus> status(const Hash32& hash) const;
    // The nonce after the sender's pending run (geth's pool nonce); nullopt if nothing pooled.
    std::optional<std::uint64_t> next_nonce(const Address& sender) const;
    // Whole tokens in the sender's bucket at `now` (rate limit off: 0).
    std::uint64_t tokens(const Address& sender, Nanos now) const;

    struct AccountView {
        Address sender;
        std::uint64_t state_nonce = 0;
        std::vector<std::uint64_t> pending;  // nonces, ascending
        std::vector<std::uint64_t> queued;   // nonces, ascending
    };
    // Every pooled sender, in first-seen order.
    std::vector<AccountView> accounts() const;
    // The counts of accounts() without building it: f(sender, pending, queued) for every
    // pooled sender, in first-seen order.
    template <class F>
    void for_each_account(F&& f) const {
        for (const auto& [first_seen, id] : order_) {
            const Account& a = accounts_[id];
            f(a.address, a.pending, a.queued());
        }
    }

    // Accounts in the eviction ranks (pending and queued), which are kept only while a
    // global limit is near (docs/txpool.md, "Cost"). For tests.
    std::size_t ranked_accounts() const { return pending_rank_.size() + queued_rank_.size(); }

    // Checks every invariant and index (O(n log n)); returns a description of the first
    // violation. For tests.
    std::optional<std::string> check_invariants() const;

  private:
    // Exactly one of `own` and `shared` is set.
    TxPool(Config config, std::unique_ptr<SenderTable> own, SenderTable* shared);

    using AccountId = std::uint32_t;
    struct Entry {
        TxRef tx;               // never null
        std::uint64_t seq = 0;  // arrival sequence of this admission
    };
    struct Account {
        Address address;
        std::uint64_t state_nonce = 0;
        std::map<std::uint64_t, Entry> txs;  // by nonce; every nonce >= state_nonce
        std::size_t pending = 0;             // txs in [state_nonce, state_nonce + pending)
        Nanos heartbeat{0};                  // last activity (docs/txpool.md, lifetime)
        std::uint64_t first_seen = 0;        // seq of the admission that created the account
        std::size_t queued() const { return txs.size() - pending; }
    };
    // Eviction order: most transactions first, then the longest idle (oldest heartbeat),
    // then the first seen. begin() is the next victim.
    struct RankKey {
        std::size_t count;
        Nanos heartbeat;
        std::uint64_t first_seen;
        AccountId id;
        friend bool operator<(const RankKey& a, const RankKey& b) {
            if (a.count != b.count) return a.count > b.count;
            if (a.heartbeat != b.heartbeat) return a.heartbeat < b.heartbeat;
            return a.first_seen < b.first_seen;
        }
    };
    struct ExpiryKey {
        Nanos heartbeat;
        std::uint64_t first_seen;
        AccountId id;
        friend bool operator<(const ExpiryKey& a, const ExpiryKey& b) {
            if (a.heartbeat != b.heartbeat) return a.heartbeat < b.heartbeat;
            return a.first_seen < b.first_seen;
        }
    };

    const Account* account_of(const Address& sender) const;
    const Entry* find_entry(const Hash32& hash) const;
    AccountId create_account(const Address& sender, std::uint64_t state_nonce, std::uint64_t seq, Nanos now);
    void remove_account_if_empty(AccountId id);
    // Every change to an account's counts or heartbeat is bracketed by
    //   const IndexKeys before = index_keys(id);  …change…  reindex(id, before);
    // The ordered indexes are kept only while their limit is on: pending_rank_ for
    // global_slots, queued_rank_ for global_queue, expiry_ for lifetime. The two eviction
    // ranks are moreover kept only while they are live (docs/txpool.md, "Cost"): a rank
    // is built from the accounts when an admission first finds its limit reached, kept up
    // to date from then on, and dropped once the pool's count of its kind is back below
    // half the limit. A rank is a function of the accounts alone, so when it is built
    // changes no result; the hysteresis bounds the rebuilds to one per limit / 2
    // admissions (a flood below the limits, the common case, never pays for a rank).
    struct IndexKeys {
        std::size_t pending;
        std::size_t queued;
        Nanos heartbeat;
    };
    IndexKeys index_keys(AccountId id) const;
    void reindex(AccountId id, const IndexKeys& before);
    // Builds pending_rank_ (queued_rank_) from the accounts if it is not live.
    void ensure_pending_rank();
    void ensure_queued_rank();
    // Drops a live rank whose kind is below half its limit.
    void retire_ranks();
    // Drops one transaction (by the eviction rule) and fixes the indexes.
    Eviction evict_pending_tail(AccountId id);
    Eviction evict_queued_top(AccountId id);
    void erase_entry(Account& a, std::map<std::uint64_t, Entry>::iterator it);
    // Moves the account's contiguous queued transactions into pending while the account
    // and global slot limits allow. Returns how many moved; the caller reindexes.
    std::size_t promote(Account& a);
    static void prefetch_slot(const Account& a);
    static void prefetch_first_tx(const Account& a);
    bool slots_room(const Account& a) const;

    Config config_;
    std::uint64_t next_seq_ = 0;
    std::size_t pending_total_ = 0;
    std::size_t queued_total_ = 0;

    std::vector<Account> accounts_;  // slab; ids of removed accounts are reused
    std::vector<AccountId> free_ids_;
    // Per address, what the pool holds of it: its account (if it has pooled transactions)
    // and its token bucket (if not full), in one record, so that an admission finds both
    // with one lookup. A record lives while either is present. The records live in a
    // SenderTable, this pool's own or one shared by the pools of a process (one row per
    // sender for all of them: what a flood reads is contiguous).
    static constexpr AccountId kNoAccount = SenderTable::kNoAccount;
    static constexpr Nanos kNoBucket = SenderTable::kNoBucket;
    using Sender = SenderTable::Record;
    std::unique_ptr<SenderTable> own_senders_;  // null when the table is shared
    SenderTable* senders_;                      // never null
    SenderTable::Member member_;
    const Sender* sender_record(const Address& sender) const { return senders_->find(member_, sender); }
    Sender* sender_record(const Address& sender) { return senders_->find(member_, sender); }  // see find()
    // The sender's account id, or kNoAccount.
    AccountId account_id(const Address& sender) const {
        const Sender* s = sender_record(sender);
        return s ? s->account : kNoAccount;
    }
    FirstSeenOrder order_;            // first_seen → account: deterministic visits
    std::set<RankKey> pending_rank_;  // accounts with pending > 0 (while live)
    std::set<RankKey> queued_rank_;   // accounts with queued > 0 (while live)
    bool pending_rank_live_ = false;  // only with global_slots
    bool queued_rank_live_ = false;   // only with global_queue
    std::set<ExpiryKey> expiry_;      // accounts with queued > 0, by heartbeat (if lifetime)
};

}  // namespace cl::txpool
