#include "sim/world/genesis.hpp"

#include <memory>

#include "protocol/chain/transaction.hpp"

namespace cl::sim::world {

PrivateKey validator_key(const WorldConfig& config, std::size_t cloud) {
    return derive_private_key(config.seed, "validator/" + config.clouds[cloud].name);
}

PrivateKey operator_key(const WorldConfig& config, std::size_t cloud) {
    return derive_private_key(config.seed, "operator/" + config.clouds[cloud].name);
}

PrivateKey user_key(const WorldConfig& config, std::uint64_t user) {
    return derive_private_key(config.seed, "user/" + std::to_string(user));
}

PrivateKey notary_key(const WorldConfig& config) { return derive_private_key(config.seed, "notary"); }

std::size_t genesis_cloud_count(const WorldConfig& config) {
    std::size_t n = 0;
    while (n < config.clouds.size() && config.clouds[n].genesis) ++n;
    return n;
}

state::GenesisConfig genesis_config(const WorldConfig& config) {
    state::GenesisConfig g;
    g.chain_id = kChainId;
    g.notary = address_of(notary_key(config));
    g.tiers = config.tiers;
    g.pool = config.pool;
    const auto& regions = config.topology.region_names();
    for (std::size_t i = 0; i < config.clouds.size(); ++i) {
        const CloudSpec& c = config.clouds[i];
        if (!c.genesis) continue;  // joins later (GovernanceEvent)
        g.clouds.push_back(state::GenesisCloud{c.name, address_of(operator_key(config, i)),
                                               address_of(validator_key(config, i)),
                                               c.region < regions.size() ? regions[c.region] : "", c.quotas});
    }
    return g;
}

node::TxRef signed_tx(const PrivateKey& key, std::uint64_t nonce, const state::Call& call) {
    return signed_tx(key, address_of(key), nonce, call);
}

node::TxRef signed_tx(const PrivateKey& key, const Address& sender, std::uint64_t nonce,
                      const state::Call& call) {
    Transaction t;
    t.chain_id = kChainId;
    t.nonce = nonce;
    t.to = state::contract_of(call);
    t.call = state::encode_call(call);
    return std::make_shared<RecoveredTransaction>(sign_transaction_as(std::move(t), key, sender));
}

}  // namespace cl::sim::world
