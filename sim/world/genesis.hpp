// The world's chain: its id, the keys derived from the seed (DESIGN.md §6: keys are
// named after their entity) and the genesis they make, and signing a system-contract
// call as a transaction of that chain. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/core/secp256k1.hpp"
#include "protocol/node/block.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/config.hpp"
#include "sim/world/config.hpp"

namespace cl::sim::world {

// The chain id of every simulated chain (one constant: protocol/state/config.hpp).
inline constexpr std::uint64_t kChainId = state::kSimulatedChainId;

// Cloud c's validator key ("validator/<name>") and operator key ("operator/<name>").
PrivateKey validator_key(const WorldConfig& config, std::size_t cloud);
PrivateKey operator_key(const WorldConfig& config, std::size_t cloud);
// User u's key ("user/<index>").
PrivateKey user_key(const WorldConfig& config, std::uint64_t user);

// The notary's key ("notary"): it attests the clouds that register (spec promo-pool.md §2).
PrivateKey notary_key(const WorldConfig& config);
// How many clouds are in the genesis (CloudSpec::genesis): clouds [0, that) are.
std::size_t genesis_cloud_count(const WorldConfig& config);

// The genesis of the world's chain: one cloud per genesis CloudSpec, with the keys above.
state::GenesisConfig genesis_config(const WorldConfig& config);

// `call` signed by `key` as a transaction of the world's chain, with what recovery
// would give (hash, size, sender; sign_transaction_as: the signer knows its address, so
// no recovery is run). The second form takes the key's address from a caller that has
// it (REQUIRES: sender == address_of(key)); the first derives it.
node::TxRef signed_tx(const PrivateKey& key, std::uint64_t nonce, const state::Call& call);
node::TxRef signed_tx(const PrivateKey& key, const Address& sender, std::uint64_t nonce,
                      const state::Call& call);

}  // namespace cl::sim::world
