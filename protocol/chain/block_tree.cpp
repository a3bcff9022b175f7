#include "protocol/chain/block_tree.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"

namespace cl {

const char* to_string(InsertError e) {
    switch (e) {
        case InsertError::kDuplicate:
            return "block already known";
        case InsertError::kUnknownParent:
            return "unknown parent";
        case InsertError::kNotParentPlusOne:
            return "number is not parent number + 1";
    }
    return "unknown insert error";
}

BlockTree::BlockTree(Header genesis, std::shared_ptr<BlockIndex> index)
    : index_(index ? std::move(index) : std::make_shared<BlockIndex>()) {
    const Hash32 hash = block_hash(genesis);
    const std::uint64_t td = genesis.difficulty;
    const std::uint64_t number = genesis.number;
    genesis_ = head_ =
        &index_->intern(std::make_shared<const Header>(std::move(genesis)), hash, td, kNoBlock);
    CL_ASSERT(genesis_->total_difficulty == td && genesis_->parent == kNoBlock);
    arrival_.assign(genesis_->id + 1, 0);
    arrival_[genesis_->id] = 1;
    size_ = 1;
    canonical_.assign(number + 1, kNoBlock);
    canonical_.back() = genesis_->id;
}

std::expected<const BlockEntry*, InsertError> BlockTree::insert(Header header) {
    const Hash32 hash = block_hash(header);
    return insert(std::move(header), hash);
}

std::expected<const BlockEntry*, InsertError> BlockTree::insert(std::shared_ptr<const Header> header,
                                                                const Hash32& hash) {
    CL_ASSERT(header != nullptr);
    if (find(hash) != nullptr) return std::unexpected(InsertError::kDuplicate);
    const BlockEntry* parent = find(header->parent_hash);
    if (parent == nullptr) return std::unexpected(InsertError::kUnknownParent);
    if (header->number != parent->header.number + 1) return std::unexpected(InsertError::kNotParentPlusOne);
    const std::uint64_t td = parent->total_difficulty + header->difficulty;
    const BlockEntry& entry = index_->intern(std::move(header), hash, td, parent->id);
    if (entry.id >= arrival_.size()) arrival_.resize(entry.id + 1, 0);
    arrival_[entry.id] = static_cast<std::uint32_t>(++size_);
    return &entry;
}

const BlockEntry* BlockTree::find(const Hash32& hash) const {
    const BlockEntry* e = index_->find(hash);
    return e != nullptr && stores(e->id) ? e : nullptr;
}

Reorg BlockTree::set_head(const Hash32& hash) {
    const BlockEntry* target = find(hash);
    CL_ASSERT(target != nullptr);
    Reorg reorg;
    // Walk the new branch back until it meets the canonical chain.
    const BlockEntry* b = target;
    std::vector<BlockId> added;
    while (!on_canonical(*b)) {
        added.push_back(b->id);
        reorg.added.push_back(b->hash);
        CL_ASSERT(b->parent != kNoBlock && stores(b->parent));
        b = &index_->at(b->parent);
    }
    reorg.common_ancestor = b->hash;
    std::reverse(reorg.added.begin(), reorg.added.end());
    std::reverse(added.begin(), added.end());
    // Canonical blocks above the ancestor leave the chain, old head first.
    for (std::uint64_t n = head_->header.number; n > b->header.number; --n)
        reorg.dropped.push_back(index_->at(canonical_[n]).hash);

    canonical_.resize(b->header.number + 1);
    canonical_.insert(canonical_.end(), added.begin(), added.end());
    head_ = target;
    return reorg;
}

std::optional<Hash32> BlockTree::canonical_hash(std::uint64_t number) const {
    if (number >= canonical_.size() || number < genesis_->header.number) return std::nullopt;
    return index_->at(canonical_[number]).hash;
}

bool BlockTree::is_canonical(const Hash32& hash) const {
    const BlockEntry* b = find(hash);
    return b != nullptr && on_canonical(*b);
}

}  // namespace cl
