#include "protocol/state/execute.hpp"

#include <algorithm>
#include <limits>
#include <variant>

#include "protocol/core/assert.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/contracts.hpp"
#include "protocol/state/store.hpp"

namespace cl::state {

const char* name(InvalidReason r) {
    switch (r) {
        case InvalidReason::kWrongChainId:
            return "wrong_chain_id";
        case InvalidReason::kWrongNonce:
            return "wrong_nonce";
        case InvalidReason::kTooManyTransactions:
            return "too_many_transactions";
    }
    return "unknown";
}

namespace {

Reason reason_of(CallError e) {
    switch (e) {
        case CallError::kUnknownContract:
            return Reason::kUnknownContract;
        case CallError::kUnknownMethod:
            return Reason::kUnknownMethod;
        case CallError::kMalformedArguments:
            return Reason::kMalformedCall;
    }
    return Reason::kMalformedCall;
}

}  // namespace

// Executes one block against a StateStore over the parent's trie (see execute.hpp).
class BlockExecutor {
  public:
    BlockExecutor(const LedgerState& parent, const BlockContext& context)
        : parent_(parent), rules_(parent.rules()), context_(context), store_(parent.trie()) {}

    std::expected<BlockResult, InvalidBlock> run(std::span<const RecoveredTransaction> txs) {
        CL_ASSERT(context_.number == parent_.number() + 1);
        const auto& cap = rules_.config.pool.max_txs_per_block;
        if (cap && txs.size() > *cap) {
            return std::unexpected(
                InvalidBlock{static_cast<std::size_t>(*cap), InvalidReason::kTooManyTransactions});
        }
        std::vector<Receipt> receipts;
        receipts.reserve(txs.size());
        for (std::size_t i = 0; i < txs.size(); ++i) {
            auto receipt = apply(txs[i]);
            if (!receipt) return std::unexpected(InvalidBlock{i, receipt.error()});
            receipts.push_back(std::move(*receipt));
        }
        update_cloud_status();
        expire_codes();
        refill_quotas();
        LedgerState state(parent_.rules_, std::move(store_).commit(), context_.number);
        return BlockResult{std::move(state), std::move(receipts), std::move(block_events_)};
    }

  private:
    std::expected<Receipt, InvalidReason> apply(const RecoveredTransaction& tx) {
        if (tx.tx.chain_id != rules_.config.chain_id) return std::unexpected(InvalidReason::kWrongChainId);
        AccountEntry sender = store_.account(tx.sender);
        if (tx.tx.nonce != sender.nonce) return std::unexpected(InvalidReason::kWrongNonce);
        // The nonce is consumed whatever the call does (§1).
        sender.nonce += 1;
        store_.set_account(tx.sender, sender);

        Receipt receipt;
        const auto call = decode_call(tx.tx.to, tx.tx.call);
        if (!call) {
            receipt.status = Status::kFailed;
            receipt.reason = reason_of(call.error());
            return receipt;
        }
        store_.begin_tx();
        CallEnv env{store_, rules_, context_.number, issued_in_block_, tx, receipt.events};
        const std::uint64_t issued_before = issued_in_block_;
        receipt.reason = std::visit([&](const auto& c) { return state::run(env, c); }, *call);
        if (receipt.reason == Reason::kNone) {
            store_.commit_tx();
        } else {
            store_.revert_tx();
            issued_in_block_ = issued_before;
            receipt.status = Status::kFailed;
            receipt.events.clear();
        }
        return receipt;
    }

    // §2: Clique voting decides membership; the contract follows the signer set.
    void update_cloud_status() {
        const std::uint64_t n = store_.globals().cloud_count;
        for (std::uint64_t i = 0; i < n; ++i) {
            CloudEntry cloud = store_.cloud(i).value();
            const bool signer = std::find(context_.signers.begin(), context_.signers.end(),
                                          cloud.validator) != context_.signers.end();
            if (cloud.status == CloudStatus::kPending && signer) {
                cloud.status = CloudStatus::kActive;
                block_events_.push_back(Event{EventKind::kCloudActivated, Hash32{}, cloud.operator_address,
                                              cloud.validator, 0, i});
            } else if (cloud.status == CloudStatus::kActive && !signer) {
                // A removed cloud's quota stays in the tier capacity (it covered codes
                // already issued) but it can no longer redeem or change it.
                cloud.status = CloudStatus::kRemoved;
                block_events_.push_back(
                    Event{EventKind::kCloudRemoved, Hash32{}, cloud.operator_address, cloud.validator, 0, i});
            } else {
                continue;
            }
            store_.set_cloud(i, cloud);
        }
    }

    // §3 "Expiry is exact": every code with expires_at == number still issued expires.
    void expire_codes() {
        const std::uint64_t height = context_.number;
        const std::uint64_t scheduled = store_.expiry_count(height);
        for (std::uint64_t i = 0; i < scheduled; ++i) {
            const Hash32 id = store_.expiry_slot(height, i);
            CodeEntry code = store_.code(id).value();
            if (code.status != CodeStatus::kIssued || code.expires_at != height)
                continue;  // redeemed or renewed
            code.status = CodeStatus::kExpired;
            store_.set_code(id, code);
            TierEntry tier = store_.tier(code.tier);
            tier.live -= 1;
            if (!rules_.config.pool.reclaim) tier.burned += 1;
            store_.set_tier(code.tier, tier);
            AccountEntry owner = store_.account(code.owner);
            owner.live_codes -= 1;
            store_.set_account(code.owner, owner);
            block_events_.push_back(Event{EventKind::kExpired, id, code.owner, Address{}, code.tier, height});
        }
        store_.clear_expiry(height);
    }

    // Pool budgets that refill (config.hpp RefillConfig, docs/ledger.md "Refilling quotas"):
    // at the end of block n with n a multiple of every_blocks, after membership changes and
    // expiries, each cloud active after this block gets its amount in each tier, clouds in
    // index order, tiers ascending. The addition saturates so the tier's capacity stays
    // <= 2^64 − 1; a cloud's quota is at most its tier's capacity, so it cannot wrap either.
    // Quotas only grow, so the §3 invariant live + Σ redeemed (+ burned) <= Σ quota holds.
    void refill_quotas() {
        const auto& refill = rules_.config.pool.refill;
        if (!refill || context_.number % refill->every_blocks != 0) return;
        const std::uint64_t clouds = store_.globals().cloud_count;
        const std::size_t tiers = rules_.config.tiers.size();
        const auto& genesis = rules_.config.clouds;
        for (std::uint64_t c = 0; c < clouds; ++c) {
            const CloudEntry cloud = store_.cloud(c).value();
            if (cloud.status != CloudStatus::kActive) continue;
            for (std::uint64_t t = 0; t < tiers; ++t) {
                std::uint64_t add = refill->amount;
                if (refill->kind == RefillAmount::kInitial) {
                    add = c < genesis.size() && t < genesis[c].quotas.size() ? genesis[c].quotas[t] : 0;
                }
                TierEntry tier = store_.tier(t);
                add = std::min(add, std::numeric_limits<std::uint64_t>::max() - tier.capacity);
                if (add == 0) continue;
                QuotaEntry quota = store_.quota(c, t);
                quota.quota += add;
                tier.capacity += add;
                store_.set_quota(c, t, quota);
                store_.set_tier(t, tier);
                block_events_.push_back(
                    Event{EventKind::kQuotaRefilled, Hash32{}, cloud.operator_address, Address{}, t, add});
            }
        }
    }

    const LedgerState& parent_;
    const ChainRules& rules_;
    const BlockContext& context_;
    StateStore store_;
    std::uint64_t issued_in_block_ = 0;
    std::vector<Event> block_events_;
};

std::expected<BlockResult, InvalidBlock> execute_block(const LedgerState& parent, const BlockContext& context,
                                                       std::span<const RecoveredTransaction> txs) {
    return BlockExecutor(parent, context).run(txs);
}

Hash32 ordered_root(std::span<const Bytes> items) {
    Trie trie;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Bytes key;
        rlp::append_uint(key, i);
        trie = trie.with(key, items[i]);
    }
    return trie.root_hash();
}

}  // namespace cl::state
