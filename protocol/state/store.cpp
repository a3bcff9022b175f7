#include "protocol/state/store.hpp"

#include "protocol/core/assert.hpp"

namespace cl::state {

std::optional<Bytes> StateStore::get(const Hash32& key) const {
    if (auto it = tx_.find(key); it != tx_.end()) {
        if (it->second.empty()) return std::nullopt;
        return it->second;
    }
    if (auto it = block_.find(key); it != block_.end()) {
        if (it->second.empty()) return std::nullopt;
        return it->second;
    }
    auto value = base_.get(key.view());
    if (!value) return std::nullopt;
    return Bytes(value->begin(), value->end());
}

void StateStore::put(const Hash32& key, Bytes value) { (in_tx_ ? tx_ : block_)[key] = std::move(value); }

void StateStore::set_raw(const Hash32& key, Bytes value) { put(key, std::move(value)); }

namespace {
// Writes the default value as a deletion (see the header).
template <class Entry>
Bytes encode_or_delete(const Entry& e) {
    return e == Entry{} ? Bytes{} : encode(e);
}
}  // namespace

AccountEntry StateStore::account(const Address& a) const { return account_at(key::account(a)); }
AccountEntry StateStore::account_at(const Hash32& account_key) const {
    auto v = get(account_key);
    return v ? decode_account(*v) : AccountEntry{};
}
void StateStore::set_account(const Address& a, const AccountEntry& e) {
    put(key::account(a), encode_or_delete(e));
}

std::uint64_t StateStore::allowance(const Address& owner, const Address& spender) const {
    auto v = get(key::allowance(owner, spender));
    return v ? decode_uint(*v) : 0;
}
void StateStore::set_allowance(const Address& owner, const Address& spender, std::uint64_t amount) {
    put(key::allowance(owner, spender), amount == 0 ? Bytes{} : encode_uint(amount));
}

std::optional<CodeEntry> StateStore::code(const Hash32& id) const {
    auto v = get(key::code(id));
    if (!v) return std::nullopt;
    return decode_code(*v);
}
void StateStore::set_code(const Hash32& id, const CodeEntry& e) { put(key::code(id), encode(e)); }

TierEntry StateStore::tier(std::uint64_t t) const {
    auto v = get(key::tier(t));
    return v ? decode_tier(*v) : TierEntry{};
}
void StateStore::set_tier(std::uint64_t t, const TierEntry& e) { put(key::tier(t), encode_or_delete(e)); }

std::optional<CloudEntry> StateStore::cloud(std::uint64_t index) const {
    auto v = get(key::cloud(index));
    if (!v) return std::nullopt;
    return decode_cloud(*v);
}
void StateStore::set_cloud(std::uint64_t index, const CloudEntry& e) { put(key::cloud(index), encode(e)); }

namespace {
std::optional<std::uint64_t> as_index(const std::optional<Bytes>& v) {
    if (!v) return std::nullopt;
    return decode_uint(*v);
}
}  // namespace

std::optional<std::uint64_t> StateStore::cloud_by_name(std::string_view name) const {
    return as_index(get(key::cloud_by_name(name)));
}
std::optional<std::uint64_t> StateStore::cloud_by_operator(const Address& a) const {
    return as_index(get(key::cloud_by_operator(a)));
}
std::optional<std::uint64_t> StateStore::cloud_by_validator(const Address& a) const {
    return as_index(get(key::cloud_by_validator(a)));
}
void StateStore::index_cloud(std::uint64_t index, const CloudEntry& e) {
    // Index 0 must stay distinguishable from absence: indexes are stored as one-item lists.
    put(key::cloud_by_name(e.name), encode_uint(index));
    put(key::cloud_by_operator(e.operator_address), encode_uint(index));
    put(key::cloud_by_validator(e.validator), encode_uint(index));
}

QuotaEntry StateStore::quota(std::uint64_t cloud, std::uint64_t tier) const {
    auto v = get(key::quota(cloud, tier));
    return v ? decode_quota(*v) : QuotaEntry{};
}
void StateStore::set_quota(std::uint64_t cloud, std::uint64_t tier, const QuotaEntry& e) {
    put(key::quota(cloud, tier), encode_or_delete(e));
}

GlobalsEntry StateStore::globals() const {
    auto v = get(key::globals());
    return v ? decode_globals(*v) : GlobalsEntry{};
}
void StateStore::set_globals(const GlobalsEntry& e) { put(key::globals(), encode_or_delete(e)); }

std::uint64_t StateStore::expiry_count(std::uint64_t height) const {
    auto v = get(key::expiry_count(height));
    return v ? decode_uint(*v) : 0;
}
Hash32 StateStore::expiry_slot(std::uint64_t height, std::uint64_t i) const {
    auto v = get(key::expiry_slot(height, i));
    CL_ASSERT(v.has_value());
    return decode_hash(*v);
}
void StateStore::schedule_expiry(std::uint64_t height, const Hash32& id) {
    const std::uint64_t n = expiry_count(height);
    put(key::expiry_slot(height, n), encode_hash(id));
    put(key::expiry_count(height), encode_uint(n + 1));
}
void StateStore::clear_expiry(std::uint64_t height) {
    const std::uint64_t n = expiry_count(height);
    for (std::uint64_t i = 0; i < n; ++i) put(key::expiry_slot(height, i), Bytes{});
    put(key::expiry_count(height), Bytes{});
}

void StateStore::begin_tx() {
    CL_ASSERT(!in_tx_);
    in_tx_ = true;
}

void StateStore::commit_tx() {
    CL_ASSERT(in_tx_);
    for (auto& [k, v] : tx_) block_[k] = std::move(v);
    tx_.clear();
    in_tx_ = false;
}

void StateStore::revert_tx() {
    CL_ASSERT(in_tx_);
    tx_.clear();
    in_tx_ = false;
}

Trie StateStore::commit() && {
    CL_ASSERT(!in_tx_);
    Trie trie = std::move(base_);
    // Consuming `trie` lets it update in place the nodes this block already copied.
    for (const auto& [k, v] : block_) {
        trie = v.empty() ? std::move(trie).without(k.view()) : std::move(trie).with(k.view(), v);
    }
    return trie;
}

}  // namespace cl::state
