// The ledger state of one block (shared/spec/promo-pool.md): an immutable value over a
// persistent Merkle Patricia Trie, plus the chain's configuration.
//
// Copying a LedgerState is O(1) and shares everything; executing a block from it
// (execute.hpp) yields a new LedgerState that shares all untouched trie nodes with it, so
// states of forks and of old blocks stay readable at the cost of what each block changed.
// Thread-safety: as Trie — one thread per family of states.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <vector>

#include "protocol/state/config.hpp"
#include "protocol/state/schema.hpp"
#include "protocol/state/trie.hpp"
#include "protocol/state/ttl_policy.hpp"

namespace cl::state {

// What every state of one chain shares: its genesis configuration and TTL policy.
struct ChainRules {
    GenesisConfig config;
    std::unique_ptr<TtlPolicy> ttl;
};

class LedgerState {
  public:
    // The state of block 0: configuration, tiers (capacity = Σ genesis quotas), the genesis
    // clouds (active) and their quotas. Fails on a configuration validate() rejects.
    static std::expected<LedgerState, ConfigError> genesis(const GenesisConfig& config);

    // A state of the same chain as `sibling` (sharing its rules) over `trie`, at block
    // `number`. For tools that build states directly (benches, snapshot import): the
    // trie's contents are not checked.
    static LedgerState from_trie(const LedgerState& sibling, Trie trie, std::uint64_t number) {
        return LedgerState(sibling.rules_, std::move(trie), number);
    }

    std::uint64_t number() const { return number_; }
    Hash32 root() const { return trie_.root_hash(); }
    const Trie& trie() const { return trie_; }
    const ChainRules& rules() const { return *rules_; }
    const GenesisConfig& config() const { return rules_->config; }

    AccountEntry account(const Address& a) const;
    // account(a) for a caller that already holds account_key == key::account(a) (a hot
    // lookup skips the Keccak of the address). REQUIRES: that equality.
    AccountEntry account_at(const Hash32& account_key) const;
    std::uint64_t allowance(const Address& owner, const Address& spender) const;
    std::optional<CodeEntry> code(const Hash32& id) const;
    TierEntry tier(std::uint64_t t) const;
    QuotaEntry quota(std::uint64_t cloud, std::uint64_t tier) const;
    std::uint64_t total_supply() const;
    // Every cloud ever registered, by registration index.
    std::vector<CloudEntry> clouds() const;
    // Validators of pending clouds (attestation on chain): those an honest validator may
    // propose to AUTHorise (§2).
    std::vector<Address> pending_validators() const;

    // A Merkle proof of the code's entry (or of its absence) against root().
    std::vector<Bytes> prove_code(const Hash32& id) const;

  private:
    friend class BlockExecutor;
    LedgerState(std::shared_ptr<const ChainRules> rules, Trie trie, std::uint64_t number)
        : rules_(std::move(rules)), trie_(std::move(trie)), number_(number) {}

    std::shared_ptr<const ChainRules> rules_;
    Trie trie_;
    std::uint64_t number_ = 0;
};

}  // namespace cl::state
