// The chain a live node or testnet runs (docs/live.md "Genesis"): the genesis built from
// a scenario's clouds exactly as the simulator builds it (sim/world/world.cpp
// genesis_config: chain id 61777, keys derived from the seed — "notary",
// "validator/CLOUD", "operator/CLOUD"), so a testnet of a scenario's clouds has the same
// genesis block and validator addresses as its simulation at the same seed and genesis
// time. With --validators N the first N clouds are used; more than the scenario has are
// added as "cloud-K", in the first cloud's region with its quotas.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"

namespace cl::app {

struct LiveChainOptions {
    std::string scenario_file;              // empty: the embedded default scenario
    std::optional<std::uint64_t> seed;      // nullopt: the scenario's
    std::optional<std::size_t> validators;  // nullopt: one per scenario cloud
    std::optional<std::uint64_t> period;    // seconds; nullopt: the scenario's
    std::uint64_t genesis_time = 0;         // Unix seconds
};

struct LiveChain {
    std::optional<node::Genesis> genesis;  // always set on success
    node::NodeConfig base;                 // consensus and txpool settings; no key, no peers
    std::vector<PrivateKey> validator_keys;
    std::uint64_t seed = 0;
};

// Errors are bad input (the scenario's FILE:LINE:COLUMN messages, joined by newlines).
std::expected<LiveChain, std::string> make_live_chain(const LiveChainOptions& options);

// "500ms", "1s", "2m", "1h": a whole number and a unit.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
std::optional<std::uint64_t> parse_uint(std::string_view s);

}  // namespace cl::app
