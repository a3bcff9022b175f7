// The bootstrap / governance contract (shared/spec/promo-pool.md §2).
#include <limits>

#include "protocol/state/contracts.hpp"

namespace cl::state {

std::optional<std::uint64_t> active_cloud_of(const StateStore& store, const Address& a) {
    const auto index = store.cloud_by_operator(a);
    if (!index) return std::nullopt;
    if (store.cloud(*index)->status != CloudStatus::kActive) return std::nullopt;
    return index;
}

Reason run(CallEnv& env, const RegisterCloudCall& call) {
    const GenesisConfig& config = env.rules.config;
    const Hash32 digest = attestation_hash(config.chain_id, call.name, call.validator);
    const auto notary = recover_signer(digest, call.attestation);
    if (!notary || *notary != config.notary) return Reason::kBadAttestation;
    if (call.name.empty() || call.validator == env.tx.sender || env.store.cloud_by_name(call.name) ||
        env.store.cloud_by_validator(call.validator) || env.store.cloud_by_operator(env.tx.sender) ||
        env.store.cloud_by_validator(env.tx.sender) || env.store.cloud_by_operator(call.validator)) {
        return Reason::kAlreadyRegistered;
    }
    GlobalsEntry globals = env.store.globals();
    const std::uint64_t index = globals.cloud_count++;
    const CloudEntry cloud{call.name, env.tx.sender, call.validator, "", CloudStatus::kPending};
    env.store.set_cloud(index, cloud);
    env.store.index_cloud(index, cloud);
    env.store.set_globals(globals);
    env.events.push_back(
        Event{EventKind::kCloudRegistered, Hash32{}, env.tx.sender, call.validator, 0, index});
    return Reason::kNone;
}

Reason run(CallEnv& env, const SetQuotaCall& call) {
    const auto cloud = active_cloud_of(env.store, env.tx.sender);
    if (!cloud) return Reason::kNotMember;
    if (call.tier >= env.rules.config.tiers.size()) return Reason::kUnknownTier;
    QuotaEntry quota = env.store.quota(*cloud, call.tier);
    if (call.amount < quota.redeemed) return Reason::kQuotaBelowUsed;
    TierEntry tier = env.store.tier(call.tier);
    const std::uint64_t others = tier.capacity - quota.quota;  // the other clouds' contribution
    if (call.amount > std::numeric_limits<std::uint64_t>::max() - others) return Reason::kQuotaTooLarge;
    const std::uint64_t capacity = others + call.amount;
    // Invariant live + Σ redeemed (+ burned) ≤ Σ quota: a cut may not uncover live codes.
    if (capacity < tier.used()) return Reason::kCapacityInUse;
    tier.capacity = capacity;
    quota.quota = call.amount;
    env.store.set_quota(*cloud, call.tier, quota);
    env.store.set_tier(call.tier, tier);
    env.events.push_back(
        Event{EventKind::kQuotaSet, Hash32{}, env.tx.sender, Address{}, call.tier, call.amount});
    return Reason::kNone;
}

}  // namespace cl::state
