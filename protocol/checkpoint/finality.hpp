// The finality rule sidechain nodes apply in fork choice (shared/spec/checkpoint.md §4).
//
// A checkpoint is final once its mainchain transaction has `confirmations` blocks (the
// mainchain side decides that, and the node learns it after its own delay). A sidechain
// block at or below the latest final checkpoint is final: fork choice never switches to
// a chain that does not contain the final checkpoint block, whatever its difficulty, and
// a received block that conflicts with it is rejected and counted as a detected attack.
//
// relation() is pure: it sees a chain only through ChainView ("the hash of my ancestor
// at height h"), which a block tree, a header store or a test can provide. TreeChainView
// is the view over a cl::BlockTree that clique::Chain uses.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/chain/block_tree.hpp"
#include "protocol/core/bytes.hpp"

namespace cl::checkpoint {

// The latest final checkpoint a node knows: the sidechain block at `height`.
struct FinalCheckpoint {
    std::uint64_t height = 0;
    Hash32 block_hash;
    friend bool operator==(const FinalCheckpoint&, const FinalCheckpoint&) = default;
};

// The chain that ends at one head block.
class ChainView {
  public:
    virtual ~ChainView() = default;
    virtual std::uint64_t head_number() const = 0;
    // The hash of the chain's block at `height` (the head itself at head_number()).
    // REQUIRES: height <= head_number().
    virtual Hash32 hash_at(std::uint64_t height) const = 0;
};

enum class Relation {
    kContains,   // the chain's block at the checkpoint height is the checkpoint block
    kOnPath,     // the chain ends below the checkpoint, at one of the checkpoint block's ancestors
    kUndecided,  // the chain ends below the checkpoint, and the checkpoint block is not known
    kConflicts,  // the chain holds another block at the checkpoint height, or ends below it off its path
};
const char* name(Relation r);

// How `chain` relates to `final`. `checkpoint_chain`: the chain ending at the checkpoint
// block when the caller holds that block (nullptr otherwise); it decides chains that end
// below the checkpoint height.
Relation relation(const FinalCheckpoint& final, const ChainView& chain, const ChainView* checkpoint_chain);

// §4: fork choice may take a chain unless it conflicts with the final checkpoint. A chain
// that cannot be judged yet (kUndecided) stays eligible, so a node that learns of a
// checkpoint before it holds the block still syncs.
inline bool may_choose(Relation r) { return r != Relation::kConflicts; }

// The chain ending at a stored block of a BlockTree. hash_at() walks parent links down to
// the first block of the tree's canonical chain and reads the rest from the canonical
// index, so it costs O(blocks off the canonical chain) — O(1) for a child of the head.
class TreeChainView final : public ChainView {
  public:
    // REQUIRES: tree.find(head) != nullptr. The tree must outlive the view and not change
    // while it is used.
    TreeChainView(const BlockTree& tree, const Hash32& head);
    std::uint64_t head_number() const override { return head_->header.number; }
    Hash32 hash_at(std::uint64_t height) const override;

  private:
    const BlockTree& tree_;
    const BlockEntry* head_;
};

}  // namespace cl::checkpoint
