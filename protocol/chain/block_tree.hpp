// A store of block headers forming a tree rooted at genesis: blocks by hash, parent
// links, total difficulty, the canonical head and the canonical number → hash index.
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
#include <unordered_map>
#include <vector>

#include "protocol/chain/header.hpp"

namespace cl {

// A stored block. The header is held by a shared pointer, so that trees of many nodes
// (simulated ones, DESIGN.md §5) can share one copy of each header.
struct BlockEntry {
    BlockEntry(std::shared_ptr<const Header> stored, const Hash32& block_hash, std::uint64_t td,
               std::uint64_t arrival_index)
        : owner(std::move(stored)),
          header(*owner),
          hash(block_hash),
          total_difficulty(td),
          arrival(arrival_index) {}

    std::shared_ptr<const Header> owner;  // keeps `header` alive; never null
    const Header& header;
    Hash32 hash;
    std::uint64_t total_difficulty = 0;  // sum of difficulties from genesis, inclusive
    std::uint64_t arrival = 0;           // insertion order (genesis = 0): "first seen"
};

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
    explicit BlockTree(Header genesis);

    // Adds a header whose parent is stored. `hash` must be block_hash(*header). The tree
    // keeps `header` (shared, not copied). REQUIRES: header != nullptr.
    std::expected<const BlockEntry*, InsertError> insert(std::shared_ptr<const Header> header,
                                                         const Hash32& hash);
    std::expected<const BlockEntry*, InsertError> insert(Header header, const Hash32& hash) {
        return insert(std::make_shared<const Header>(std::move(header)), hash);
    }
    std::expected<const BlockEntry*, InsertError> insert(Header header);

    const BlockEntry* find(const Hash32& hash) const;
    const BlockEntry& genesis() const { return *genesis_; }
    const BlockEntry& head() const { return *head_; }
    std::size_t size() const { return blocks_.size(); }

    // Makes `hash` the canonical head. REQUIRES: find(hash) != nullptr.
    // Cost: O(blocks dropped + added).
    Reorg set_head(const Hash32& hash);

    std::optional<Hash32> canonical_hash(std::uint64_t number) const;
    bool is_canonical(const Hash32& hash) const;

  private:
    std::unordered_map<Hash32, BlockEntry> blocks_;  // lookup only; never iterated
    std::vector<Hash32> canonical_;                  // canonical_[n] = hash of canonical block n
    const BlockEntry* genesis_ = nullptr;
    const BlockEntry* head_ = nullptr;
};

}  // namespace cl
