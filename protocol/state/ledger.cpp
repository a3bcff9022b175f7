#include "protocol/state/ledger.hpp"

#include "protocol/state/store.hpp"

namespace cl::state {

std::expected<LedgerState, ConfigError> LedgerState::genesis(const GenesisConfig& config) {
    if (auto error = validate(config)) return std::unexpected(*error);
    auto rules = std::make_shared<ChainRules>(ChainRules{config, make_ttl_policy(config.pool.ttl)});
    StateStore store{Trie{}};
    store.set_raw(key::config(), encode(config));
    std::vector<TierEntry> tiers(config.tiers.size());
    for (std::uint64_t c = 0; c < config.clouds.size(); ++c) {
        const GenesisCloud& g = config.clouds[c];
        const CloudEntry cloud{g.name, g.operator_address, g.validator, g.region, CloudStatus::kActive};
        store.set_cloud(c, cloud);
        store.index_cloud(c, cloud);
        for (std::uint64_t t = 0; t < g.quotas.size(); ++t) {
            store.set_quota(c, t, QuotaEntry{g.quotas[t], 0});
            tiers[t].capacity += g.quotas[t];  // validate(): the sum fits in 64 bits
        }
    }
    for (std::uint64_t t = 0; t < tiers.size(); ++t) store.set_tier(t, tiers[t]);
    store.set_globals(GlobalsEntry{0, config.clouds.size()});
    return LedgerState(std::move(rules), std::move(store).commit(), 0);
}

AccountEntry LedgerState::account(const Address& a) const { return StateStore(trie_).account(a); }
AccountEntry LedgerState::account_at(const Hash32& account_key) const {
    return StateStore(trie_).account_at(account_key);
}
std::uint64_t LedgerState::allowance(const Address& owner, const Address& spender) const {
    return StateStore(trie_).allowance(owner, spender);
}
std::optional<CodeEntry> LedgerState::code(const Hash32& id) const { return StateStore(trie_).code(id); }
TierEntry LedgerState::tier(std::uint64_t t) const { return StateStore(trie_).tier(t); }
QuotaEntry LedgerState::quota(std::uint64_t cloud, std::uint64_t tier) const {
    return StateStore(trie_).quota(cloud, tier);
}
std::uint64_t LedgerState::total_supply() const { return StateStore(trie_).globals().total_supply; }

std::vector<CloudEntry> LedgerState::clouds() const {
    const StateStore store(trie_);
    std::vector<CloudEntry> out;
    const std::uint64_t n = store.globals().cloud_count;
    out.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) out.push_back(store.cloud(i).value());
    return out;
}

std::vector<Address> LedgerState::pending_validators() const {
    std::vector<Address> out;
    for (const CloudEntry& c : clouds()) {
        if (c.status == CloudStatus::kPending) out.push_back(c.validator);
    }
    return out;
}

std::vector<Bytes> LedgerState::prove_code(const Hash32& id) const {
    return trie_.prove(key::code(id).view());
}

}  // namespace cl::state
