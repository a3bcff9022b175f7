// The genesis block of a Cloud Ledger chain: a Clique checkpoint header listing the
// initial signers (the genesis clouds' validators) and committing to the genesis ledger
// state (protocol/state/ledger.hpp).
#pragma once

#include <cstdint>
#include <expected>

#include "protocol/node/block.hpp"
#include "protocol/state/ledger.hpp"

namespace cl::node {

struct Genesis {
    BlockRef block;
    state::LedgerState state;
};

// `timestamp`: the genesis header's time, seconds since the Unix epoch. Fails on a
// configuration state::validate() rejects.
std::expected<Genesis, state::ConfigError> make_genesis(const state::GenesisConfig& config,
                                                        std::uint64_t timestamp);

}  // namespace cl::node
