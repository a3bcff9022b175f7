// The promo pool contract (shared/spec/promo-pool.md §3).
#include <limits>

#include "protocol/core/assert.hpp"
#include "protocol/state/contracts.hpp"

namespace cl::state {
namespace {

// The code's state for an owner-side operation (transfer, renew): unknown, redeemed,
// expired, or usable. Expiry happens at the end of block expires_at, so a code is still
// usable during that block (§3 "Expiry is exact").
Reason check_usable(const std::optional<CodeEntry>& code) {
    if (!code) return Reason::kUnknownCode;
    if (code->status == CodeStatus::kRedeemed) return Reason::kAlreadyRedeemed;
    if (code->status == CodeStatus::kExpired) return Reason::kExpired;
    return Reason::kNone;
}

// §3 `expires_at = issued_at + ttl` (or renewal block + ttl). validate() bounds every ttl
// by kMaxTtlBlocks, so this could only wrap past block 2^64 − 2^40, which no chain reaches;
// saturate anyway so that a code is never scheduled to expire in the past.
std::uint64_t expiry_height(std::uint64_t block, std::uint64_t ttl) {
    constexpr std::uint64_t kLast = std::numeric_limits<std::uint64_t>::max();
    return ttl > kLast - block ? kLast : block + ttl;
}

bool at_live_limit(const ChainRules& rules, const AccountEntry& account) {
    const auto& limit = rules.config.pool.per_user_live;
    return limit && account.live_codes >= *limit;
}

}  // namespace

Reason run(CallEnv& env, const RequestCall& call) {
    const PoolConfig& pool = env.rules.config.pool;
    if (call.tier >= env.rules.config.tiers.size()) return Reason::kUnknownTier;
    TierEntry tier = env.store.tier(call.tier);
    if (tier.used() >= tier.capacity) return Reason::kPoolExhausted;
    AccountEntry user = env.store.account(env.tx.sender);
    if (at_live_limit(env.rules, user)) return Reason::kUserLimit;
    if (pool.per_user_lifetime && user.requests >= *pool.per_user_lifetime) return Reason::kUserLimit;
    if (pool.per_block_issue_cap && env.issued_in_block >= *pool.per_block_issue_cap)
        return Reason::kBlockCap;

    const std::uint64_t ttl = env.rules.ttl->ttl_blocks(call.tier, TierUse{tier.used(), tier.capacity});
    CL_ASSERT(ttl >= 1);
    const CodeEntry code{env.tx.sender,
                         call.tier,
                         env.block_number,
                         expiry_height(env.block_number, ttl),
                         CodeStatus::kIssued,
                         0,
                         0,
                         Address{}};
    // The id is the request's transaction hash, unique because (sender, nonce) is.
    env.store.set_code(env.tx.hash, code);
    env.store.schedule_expiry(code.expires_at, env.tx.hash);
    tier.live += 1;
    env.store.set_tier(call.tier, tier);
    user.live_codes += 1;
    user.requests += 1;
    env.store.set_account(env.tx.sender, user);
    env.issued_in_block += 1;
    env.events.push_back(
        Event{EventKind::kIssued, env.tx.hash, Address{}, env.tx.sender, call.tier, code.expires_at});
    return Reason::kNone;
}

Reason run(CallEnv& env, const RedeemCall& call) {
    std::optional<CodeEntry> code = env.store.code(call.code);
    if (Reason r = check_usable(code); r != Reason::kNone) return r;
    const auto cloud = active_cloud_of(env.store, env.tx.sender);
    if (!cloud) return Reason::kNotMember;
    QuotaEntry quota = env.store.quota(*cloud, code->tier);
    if (quota.redeemed >= quota.quota) return Reason::kCloudQuotaExhausted;

    code->status = CodeStatus::kRedeemed;
    code->redeemed_by = env.tx.sender;
    env.store.set_code(call.code, *code);
    quota.redeemed += 1;
    env.store.set_quota(*cloud, code->tier, quota);
    TierEntry tier = env.store.tier(code->tier);
    tier.live -= 1;
    tier.redeemed += 1;
    env.store.set_tier(code->tier, tier);
    AccountEntry owner = env.store.account(code->owner);
    owner.live_codes -= 1;
    env.store.set_account(code->owner, owner);
    env.events.push_back(Event{EventKind::kRedeemed, call.code, env.tx.sender, code->owner, code->tier, 0});
    mint(env, code->owner, env.rules.config.pool.reward_per_redeem);
    return Reason::kNone;
}

Reason run(CallEnv& env, const TransferCodeCall& call) {
    std::optional<CodeEntry> code = env.store.code(call.code);
    if (code && code->owner != env.tx.sender) return Reason::kNotOwner;
    if (Reason r = check_usable(code); r != Reason::kNone) return r;
    if (code->transfers >= env.rules.config.pool.max_transfers) return Reason::kTransferLimit;
    if (call.to == code->owner) {  // to oneself: counts as a transfer, moves nothing
        code->transfers += 1;
        env.store.set_code(call.code, *code);
        env.events.push_back(Event{EventKind::kTransferred, call.code, code->owner, call.to, code->tier, 0});
        return Reason::kNone;
    }
    AccountEntry recipient = env.store.account(call.to);
    if (at_live_limit(env.rules, recipient)) return Reason::kUserLimit;

    AccountEntry sender = env.store.account(env.tx.sender);
    sender.live_codes -= 1;
    env.store.set_account(env.tx.sender, sender);
    recipient.live_codes += 1;
    env.store.set_account(call.to, recipient);
    code->owner = call.to;
    code->transfers += 1;  // the TTL does not restart
    env.store.set_code(call.code, *code);
    env.events.push_back(Event{EventKind::kTransferred, call.code, env.tx.sender, call.to, code->tier, 0});
    return Reason::kNone;
}

Reason run(CallEnv& env, const RenewCall& call) {
    std::optional<CodeEntry> code = env.store.code(call.code);
    if (code && code->owner != env.tx.sender) return Reason::kNotOwner;
    if (Reason r = check_usable(code); r != Reason::kNone) return r;
    const auto max_renewals = env.rules.ttl->max_renewals();
    if (!max_renewals) return Reason::kNotRenewable;
    if (code->renewals >= *max_renewals) return Reason::kRenewalLimit;

    const std::uint64_t old_expiry = code->expires_at;
    code->renewals += 1;
    code->expires_at = expiry_height(env.block_number, env.rules.ttl->renewal_blocks());
    env.store.set_code(call.code, *code);
    // The entry at the old height stays and is skipped at expiry (expires_at no longer matches).
    if (code->expires_at != old_expiry) env.store.schedule_expiry(code->expires_at, call.code);
    env.events.push_back(
        Event{EventKind::kRenewed, call.code, env.tx.sender, env.tx.sender, code->tier, code->expires_at});
    return Reason::kNone;
}

}  // namespace cl::state
