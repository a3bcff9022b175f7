// The immutable facts of stored blocks, under dense ids (DESIGN.md §5: what every node
// holding a block would compute alike is kept once).
//
// A block's hash fixes its header, hence its parent, number and — given the chain it
// extends down to genesis — its total difficulty: the same on every tree that stores it.
// A BlockIndex keeps those facts once per block, under a dense id assigned in the order
// blocks are first inserted by any tree sharing the index; each BlockTree keeps only
// what is its own (which ids it stores, in what order, and its canonical chain).
//
// Trees that share an index must share their genesis (REQUIRES at BlockTree
// construction): a block's total difficulty is then the same for all of them. A
// standalone tree has a private index. Entries are never removed; references to them
// stay valid for the index's lifetime. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>

#include "protocol/chain/header.hpp"

namespace cl {

using BlockId = std::uint32_t;
inline constexpr BlockId kNoBlock = 0xffffffffU;

// A block's facts. The header is held by a shared pointer, so that it can be the very
// header of a caller's own block object (the node's Block) rather than a copy.
struct BlockEntry {
    BlockEntry(std::shared_ptr<const Header> stored, const Hash32& block_hash, std::uint64_t td,
               BlockId block_id, BlockId parent_id)
        : owner(std::move(stored)),
          header(*owner),
          hash(block_hash),
          total_difficulty(td),
          id(block_id),
          parent(parent_id) {}

    std::shared_ptr<const Header> owner;  // keeps `header` alive; never null
    const Header& header;
    Hash32 hash;
    std::uint64_t total_difficulty = 0;  // sum of difficulties from genesis, inclusive
    BlockId id = 0;                      // dense, in order of first insertion into the index
    BlockId parent = kNoBlock;           // the parent's id; kNoBlock for a genesis
};

class BlockIndex {
  public:
    // The entry of `hash`, added (with the next id) when new; an existing entry is
    // returned unchanged (its facts are those `header`, `td` and `parent` would give).
    // REQUIRES: hash == block_hash(*header), header != nullptr.
    const BlockEntry& intern(std::shared_ptr<const Header> header, const Hash32& hash, std::uint64_t td,
                             BlockId parent);

    const BlockEntry* find(const Hash32& hash) const {
        const auto it = ids_.find(hash);
        return it == ids_.end() ? nullptr : &entries_[it->second];
    }
    // REQUIRES: id < size().
    const BlockEntry& at(BlockId id) const { return entries_[id]; }
    std::size_t size() const { return entries_.size(); }

  private:
    std::deque<BlockEntry> entries_;           // by id; a deque: references stay valid
    std::unordered_map<Hash32, BlockId> ids_;  // lookup only; never iterated
};

}  // namespace cl
