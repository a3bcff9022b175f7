// A small chain for ledger tests: three member clouds, two tiers, a notary and users
// with keys derived from fixed names, plus helpers that sign, recover and execute.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "protocol/chain/transaction.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/execute.hpp"
#include "protocol/state/ledger.hpp"

namespace cl::state::testing {

struct Actor {
    PrivateKey key;
    Address address;
};

inline Actor actor(std::string_view name) {
    const PrivateKey key = derive_private_key(7, name);
    return Actor{key, address_of(key)};
}

inline const Actor kNotary = actor("notary");
inline const Actor kAlice = actor("alice");
inline const Actor kBob = actor("bob");
inline const Actor kCarol = actor("carol");
inline const Actor kCloudA = actor("cloud-a/operator");
inline const Actor kCloudB = actor("cloud-b/operator");
inline const Actor kCloudC = actor("cloud-c/operator");
inline const Actor kValidatorA = actor("cloud-a/validator");
inline const Actor kValidatorB = actor("cloud-b/validator");
inline const Actor kValidatorC = actor("cloud-c/validator");

constexpr std::uint64_t kChainId = kSimulatedChainId;
constexpr std::uint64_t kSmall = 0;  // tier indexes
constexpr std::uint64_t kLarge = 1;

// Clouds a, b, c with quotas small 4/2/0 and large 1/1/1; fixed TTL of 10 blocks.
inline GenesisConfig test_config() {
    GenesisConfig c;
    c.chain_id = kChainId;
    c.notary = kNotary.address;
    c.tiers = {Tier{"small", 2, 4, 50, 24}, Tier{"large", 16, 64, 500, 24}};
    c.clouds = {
        GenesisCloud{"cloud-a", kCloudA.address, kValidatorA.address, "eu-west", {4, 1}},
        GenesisCloud{"cloud-b", kCloudB.address, kValidatorB.address, "us-east", {2, 1}},
        GenesisCloud{"cloud-c", kCloudC.address, kValidatorC.address, "ap-south", {0, 1}},
    };
    c.pool.ttl.ttl_blocks = 10;
    c.pool.per_user_live = 3;
    c.pool.max_transfers = 1;
    c.pool.reward_per_redeem = 5;
    return c;
}

class Ledger {
  public:
    explicit Ledger(const GenesisConfig& config = test_config())
        : state(LedgerState::genesis(config).value()),
          signers{kValidatorA.address, kValidatorB.address, kValidatorC.address} {}

    // A signed, recovered transaction from `from` with its next nonce (or `nonce`).
    RecoveredTransaction tx(const Actor& from, const Call& call,
                            std::optional<std::uint64_t> nonce = std::nullopt,
                            std::uint64_t chain_id = kChainId) {
        Transaction t;
        t.chain_id = chain_id;
        t.nonce = nonce ? *nonce : next_nonce_[from.address]++;
        t.to = contract_of(call);
        t.call = encode_call(call);
        return recover_transaction(sign_transaction(std::move(t), from.key)).value();
    }

    // Executes one block on the current state; the test fails if the block is invalid.
    BlockResult block(std::vector<RecoveredTransaction> txs) {
        auto result = try_block(txs);
        if (!result) {
            ADD_FAILURE() << "invalid block: tx " << result.error().tx_index << " "
                          << name(result.error().reason);
        }
        state = result.value().state;  // throws (failing the test) on an invalid block
        return std::move(result).value();
    }
    std::expected<BlockResult, InvalidBlock> try_block(const std::vector<RecoveredTransaction>& txs) {
        return execute_block(state, BlockContext{state.number() + 1, signers}, txs);
    }
    // One transaction in its own block; returns its receipt.
    Receipt run(const Actor& from, const Call& call) { return block({tx(from, call)}).receipts.at(0); }
    // Empty blocks until the state is at `number`.
    void advance_to(std::uint64_t number) {
        while (state.number() < number) block({});
    }

    LedgerState state;
    std::vector<Address> signers;

  private:
    std::map<Address, std::uint64_t> next_nonce_;
};

inline Reason reason(const Receipt& r) { return r.reason; }

}  // namespace cl::state::testing
