// A store of block headers forming a tree rooted at genesis: blocks by hash, parent
// links, total difficulty, the canonical head and the canonical number → hash index.
//
// Layout (docs/benchmarks.md "Chain state"): the facts of a block (header, hash, parent,
// number, total difficulty) live in a BlockIndex under a dense id, shared by the trees
// of simulated nodes (block_index.hpp); the tree itself holds per id only its arrival
// number (0: not stored) and its canonical chain as ids — 8 bytes per block.
//
// The tree does not judge validity (the consensus engine does, before insert) nor which
// head is best (fork choice does); set_head() moves the canonical chain and reports the
// reorganisation. Entries are never removed, and pointers to them stay valid for the
// tree's lifetime. Not thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <vector>

#include "protocol/chain/block_index.hpp"
#include "protocol/chain/header.hpp"

namespace cl {

// What set_head() changed: blocks leave the canonical chain (dropped, old head first)
// and join it (added, in ascending number). depth() = blocks.dropped.size().
struct Reorg {
    Hash32 common_ancestor;
    std::vector<Hash32> dropped;
    std::vector<Hash32> added;
    std::size_t depth() const { return dropped.size(); }
};

enum class [[nodiscard]] InsertError{
    kDuplicate,         // a block with this hash is already stored
    kUnknownParent,     // parent_hash is not in the tree
    kNotParentPlusOne,  // number != parent.number + 1
};
const char* to_string(InsertError e);

class BlockTree {
  public:
    // `index`: the index this tree shares with others (null: a private one). REQUIRES:
    // every tree sharing `index` has this genesis, or a genesis the index does not know.
    explicit BlockTree(Header genesis, std::shared_ptr<BlockIndex> index = nullptr);

    // Adds a header whose parent is stored. `hash` must be block_hash(*header). The index
    // keeps `header` (shared, not copied) when it did not know the block yet.
    // REQUIRES: header != nullptr.
    std::expected<const BlockEntry*, InsertError> insert(std::shared_ptr<const Header> header,
                                                         const Hash32& hash);
    std::expected<const BlockEntry*, InsertError> insert(Header header, const Hash32& hash) {
        return insert(std::make_shared<const Header>(std::move(header)), hash);
    }
    std::expected<const BlockEntry*, InsertError> insert(Header header);

    // The stored block `hash` (null: not stored here, even when the shared index knows it).
    const BlockEntry* find(const Hash32& hash) const;
    bool stores(BlockId id) const { return id < arrival_.size() && arrival_[id] != 0; }
    const BlockEntry& genesis() const { return *genesis_; }
    const BlockEntry& head() const { return *head_; }
    std::size_t size() const { return size_; }
    // Insertion order of a stored block in this tree (genesis = 0): "first seen".
    // REQUIRES: stores(block.id).
    std::uint64_t arrival(const BlockEntry& block) const { return arrival_[block.id] - 1; }
    const BlockIndex& index() const { return *index_; }
    // Calls f(entry) for every stored block, in id order.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t id = 0; id < arrival_.size(); ++id) {
            if (arrival_[id] != 0) f(index_->at(static_cast<BlockId>(id)));
        }
    }

    // Makes `hash` the canonical head. REQUIRES: find(hash) != nullptr.
    // Cost: O(blocks dropped + added).
    Reorg set_head(const Hash32& hash);

    std::optional<Hash32> canonical_hash(std::uint64_t number) const;
    bool is_canonical(const Hash32& hash) const;

  private:
    // REQUIRES: stores(block.id).
    bool on_canonical(const BlockEntry& block) const {
        const std::uint64_t n = block.header.number;
        return n < canonical_.size() && canonical_[n] == block.id;
    }

    std::shared_ptr<BlockIndex> index_;   // never null
    std::vector<std::uint32_t> arrival_;  // by id: 1 + insertion order; 0: not stored
    std::vector<BlockId> canonical_;      // canonical_[n] = id of canonical block n (kNoBlock below genesis)
    std::size_t size_ = 0;
    const BlockEntry* genesis_ = nullptr;
    const BlockEntry* head_ = nullptr;
};

}  // namespace cl
