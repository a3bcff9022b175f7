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

BlockTree::BlockTree(Header genesis) {
    const Hash32 hash = block_hash(genesis);
    const std::uint64_t td = genesis.difficulty;
    auto [it, inserted] =
        blocks_.try_emplace(hash, std::make_shared<const Header>(std::move(genesis)), hash, td, 0);
    genesis_ = head_ = &it->second;
    canonical_.assign(genesis_->header.number + 1, Hash32{});
    canonical_.back() = hash;
}

std::expected<const BlockEntry*, InsertError> BlockTree::insert(Header header) {
    const Hash32 hash = block_hash(header);
    return insert(std::move(header), hash);
}

std::expected<const BlockEntry*, InsertError> BlockTree::insert(std::shared_ptr<const Header> header,
                                                                const Hash32& hash) {
    CL_ASSERT(header != nullptr);
    if (blocks_.contains(hash)) return std::unexpected(InsertError::kDuplicate);
    const BlockEntry* parent = find(header->parent_hash);
    if (parent == nullptr) return std::unexpected(InsertError::kUnknownParent);
    if (header->number != parent->header.number + 1) return std::unexpected(InsertError::kNotParentPlusOne);
    const std::uint64_t td = parent->total_difficulty + header->difficulty;
    const std::uint64_t arrival = blocks_.size();
    auto [it, inserted] = blocks_.try_emplace(hash, std::move(header), hash, td, arrival);
    return &it->second;
}

const BlockEntry* BlockTree::find(const Hash32& hash) const {
    auto it = blocks_.find(hash);
    return it == blocks_.end() ? nullptr : &it->second;
}

Reorg BlockTree::set_head(const Hash32& hash) {
    const BlockEntry* target = find(hash);
    CL_ASSERT(target != nullptr);
    Reorg reorg;
    // Walk the new branch back until it meets the canonical chain.
    const BlockEntry* b = target;
    while (!is_canonical(b->hash)) {
        reorg.added.push_back(b->hash);
        b = find(b->header.parent_hash);
        CL_ASSERT(b != nullptr);
    }
    reorg.common_ancestor = b->hash;
    std::reverse(reorg.added.begin(), reorg.added.end());
    // Canonical blocks above the ancestor leave the chain, old head first.
    for (std::uint64_t n = head_->header.number; n > b->header.number; --n)
        reorg.dropped.push_back(canonical_[n]);

    canonical_.resize(b->header.number + 1);
    for (const Hash32& h : reorg.added) canonical_.push_back(h);
    head_ = target;
    return reorg;
}

std::optional<Hash32> BlockTree::canonical_hash(std::uint64_t number) const {
    if (number >= canonical_.size() || number < genesis_->header.number) return std::nullopt;
    return canonical_[number];
}

bool BlockTree::is_canonical(const Hash32& hash) const {
    const BlockEntry* b = find(hash);
    return b != nullptr && canonical_hash(b->header.number) == hash;
}

}  // namespace cl
