// Typed, transactional access to the ledger state during block execution.
//
// A StateStore reads through two write buffers — the current transaction's and the
// block's — to the parent state's trie. A failing transaction's writes are dropped with
// revert_tx(); commit() writes the block's buffer into the trie once, in key order, at
// the end of the block (so a value written many times in a block is hashed once).
//
// Absent entries read as their default; writing the default deletes the entry, so a
// state's root depends only on its non-default entries.
#pragma once

#include <map>
#include <optional>
#include <string_view>

#include "protocol/state/schema.hpp"
#include "protocol/state/trie.hpp"

namespace cl::state {

class StateStore {
  public:
    explicit StateStore(Trie base) : base_(std::move(base)) {}

    AccountEntry account(const Address& a) const;
    AccountEntry account_at(const Hash32& account_key) const;  // REQUIRES: key == key::account(a)
    void set_account(const Address& a, const AccountEntry& e);
    std::uint64_t allowance(const Address& owner, const Address& spender) const;
    void set_allowance(const Address& owner, const Address& spender, std::uint64_t amount);
    std::optional<CodeEntry> code(const Hash32& id) const;
    void set_code(const Hash32& id, const CodeEntry& e);
    TierEntry tier(std::uint64_t t) const;
    void set_tier(std::uint64_t t, const TierEntry& e);
    std::optional<CloudEntry> cloud(std::uint64_t index) const;
    void set_cloud(std::uint64_t index, const CloudEntry& e);
    // Indexes from a cloud's name, operator and validator to its registration index.
    std::optional<std::uint64_t> cloud_by_name(std::string_view name) const;
    std::optional<std::uint64_t> cloud_by_operator(const Address& a) const;
    std::optional<std::uint64_t> cloud_by_validator(const Address& a) const;
    void index_cloud(std::uint64_t index, const CloudEntry& e);
    QuotaEntry quota(std::uint64_t cloud, std::uint64_t tier) const;
    void set_quota(std::uint64_t cloud, std::uint64_t tier, const QuotaEntry& e);
    GlobalsEntry globals() const;
    void set_globals(const GlobalsEntry& e);
    // The expiry index (§3): codes scheduled to expire at the end of block `height`.
    std::uint64_t expiry_count(std::uint64_t height) const;
    Hash32 expiry_slot(std::uint64_t height, std::uint64_t i) const;
    void schedule_expiry(std::uint64_t height, const Hash32& id);
    void clear_expiry(std::uint64_t height);       // deletes the height's whole index
    void set_raw(const Hash32& key, Bytes value);  // empty value: delete

    // Transaction boundaries. REQUIRES: begin_tx() before the matching commit/revert.
    void begin_tx();
    void commit_tx();
    void revert_tx();

    // The parent trie with the block's writes applied. REQUIRES: no open transaction.
    Trie commit() &&;

  private:
    std::optional<Bytes> get(const Hash32& key) const;
    void put(const Hash32& key, Bytes value);

    Trie base_;
    std::map<Hash32, Bytes> block_;  // empty value: deleted in this block
    std::map<Hash32, Bytes> tx_;
    bool in_tx_ = false;
};

}  // namespace cl::state
