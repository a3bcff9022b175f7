#include "protocol/node/genesis.hpp"

#include "protocol/clique/seal.hpp"
#include "protocol/clique/verify.hpp"
#include "protocol/state/execute.hpp"

namespace cl::node {

std::expected<Genesis, state::ConfigError> make_genesis(const state::GenesisConfig& config,
                                                        std::uint64_t timestamp) {
    auto state = state::LedgerState::genesis(config);
    if (!state) return std::unexpected(state.error());
    std::vector<Address> signers;
    for (const state::GenesisCloud& c : config.clouds) signers.push_back(c.validator);
    Header h;
    h.uncle_hash = kEmptyUncleHash;
    h.state_root = state->root();
    h.tx_root = state::ordered_root({});
    h.receipt_root = state::ordered_root({});
    h.difficulty = 1;
    h.gas_limit = clique::kMinGasLimit * 1000;
    h.time = timestamp;
    h.extra = clique::make_extra(signers);
    return Genesis{make_block(std::move(h), {}), std::move(*state)};
}

}  // namespace cl::node
