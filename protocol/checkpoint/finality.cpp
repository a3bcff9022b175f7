#include "protocol/checkpoint/finality.hpp"

#include "protocol/core/assert.hpp"

namespace cl::checkpoint {

const char* name(Relation r) {
    switch (r) {
        case Relation::kContains:
            return "contains";
        case Relation::kOnPath:
            return "on_path";
        case Relation::kUndecided:
            return "undecided";
        case Relation::kConflicts:
            return "conflicts";
    }
    return "unknown";
}

Relation relation(const FinalCheckpoint& final, const ChainView& chain, const ChainView* checkpoint_chain) {
    const std::uint64_t n = chain.head_number();
    if (n >= final.height)
        return chain.hash_at(final.height) == final.block_hash ? Relation::kContains : Relation::kConflicts;
    if (checkpoint_chain == nullptr) return Relation::kUndecided;
    CL_ASSERT(checkpoint_chain->head_number() == final.height);
    return checkpoint_chain->hash_at(n) == chain.hash_at(n) ? Relation::kOnPath : Relation::kConflicts;
}

TreeChainView::TreeChainView(const BlockTree& tree, const Hash32& head)
    : tree_(tree), head_(tree.find(head)) {
    CL_ASSERT(head_ != nullptr);
}

Hash32 TreeChainView::hash_at(std::uint64_t height) const {
    CL_ASSERT(height <= head_->header.number);
    const BlockEntry* b = head_;
    while (b->header.number > height && !tree_.is_canonical(b->hash)) {
        b = tree_.find(b->header.parent_hash);
        CL_ASSERT(b != nullptr);  // every stored block's ancestors are stored
    }
    if (b->header.number == height) return b->hash;
    // b is canonical, so are its ancestors.
    return tree_.canonical_hash(height).value();
}

}  // namespace cl::checkpoint
