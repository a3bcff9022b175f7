// The finality rule as a pure function (spec/checkpoint.md §4): how a chain relates to
// the latest final checkpoint, through "the hash of my ancestor at height h"; and
// TreeChainView, that view over a BlockTree.
#include <gtest/gtest.h>

#include "protocol/chain/block_tree.hpp"
#include "protocol/checkpoint/finality.hpp"
#include "tests/checkpoint/fixture.hpp"

namespace cl::checkpoint {
namespace {

using test::label;

// A chain given as its hashes, genesis first.
class VectorView final : public ChainView {
  public:
    explicit VectorView(std::vector<Hash32> hashes) : hashes_(std::move(hashes)) {}
    std::uint64_t head_number() const override { return hashes_.size() - 1; }
    Hash32 hash_at(std::uint64_t height) const override { return hashes_.at(height); }

  private:
    std::vector<Hash32> hashes_;
};

std::vector<Hash32> chain_of(const std::string& fork, std::size_t from, std::size_t length,
                             std::vector<Hash32> base = {}) {
    if (base.empty()) base.push_back(label("genesis"));
    base.resize(from);
    for (std::size_t n = from; n < length; ++n) base.push_back(label(fork + std::to_string(n)));
    return base;
}

TEST(Finality, ChainsAtOrAboveTheCheckpointContainItOrConflict) {
    const auto honest = chain_of("a", 1, 11);           // blocks 0..10
    const auto rewrite = chain_of("b", 5, 13, honest);  // shares 0..4, then b5..b12
    const FinalCheckpoint cp{6, honest[6]};
    EXPECT_EQ(relation(cp, VectorView(honest), nullptr), Relation::kContains);
    EXPECT_EQ(relation(cp, VectorView(rewrite), nullptr), Relation::kConflicts);
    EXPECT_FALSE(may_choose(relation(cp, VectorView(rewrite), nullptr)));
    // A rewrite that stays above the checkpoint is not caught (§4 exposure window).
    const auto above = chain_of("c", 7, 15, honest);
    EXPECT_EQ(relation(cp, VectorView(above), nullptr), Relation::kContains);
    // Exactly at the checkpoint height.
    EXPECT_EQ(relation(cp, VectorView(std::vector<Hash32>(honest.begin(), honest.begin() + 7)), nullptr),
              Relation::kContains);
    EXPECT_EQ(relation(cp, VectorView(chain_of("d", 6, 7, honest)), nullptr), Relation::kConflicts);
}

TEST(Finality, ShorterChainsAreJudgedOnlyAgainstTheCheckpointBlocksPath) {
    const auto honest = chain_of("a", 1, 11);
    const FinalCheckpoint cp{6, honest[6]};
    const VectorView cp_chain(std::vector<Hash32>(honest.begin(), honest.begin() + 7));
    const VectorView short_honest(std::vector<Hash32>(honest.begin(), honest.begin() + 4));
    const VectorView short_rewrite(chain_of("b", 2, 5, honest));
    EXPECT_EQ(relation(cp, short_honest, &cp_chain), Relation::kOnPath);
    EXPECT_EQ(relation(cp, short_rewrite, &cp_chain), Relation::kConflicts);
    // Without the checkpoint block, nothing below it can be judged.
    EXPECT_EQ(relation(cp, short_rewrite, nullptr), Relation::kUndecided);
    EXPECT_TRUE(may_choose(Relation::kUndecided));
    EXPECT_TRUE(may_choose(Relation::kOnPath));
    EXPECT_TRUE(may_choose(Relation::kContains));
}

Header header(std::uint64_t number, const Hash32& parent, std::uint64_t salt) {
    Header h;
    h.number = number;
    h.parent_hash = parent;
    h.difficulty = 1;
    h.time = salt;
    return h;
}

TEST(TreeChainView, ReadsAncestorsOnAndOffTheCanonicalChain) {
    Header g = header(0, Hash32{}, 0);
    BlockTree tree(g);
    std::vector<Hash32> a{tree.genesis().hash};
    for (std::uint64_t n = 1; n <= 6; ++n) a.push_back((*tree.insert(header(n, a.back(), 1)))->hash);
    std::vector<Hash32> b(a.begin(), a.begin() + 3);  // forks after block 2
    for (std::uint64_t n = 3; n <= 8; ++n) b.push_back((*tree.insert(header(n, b.back(), 2)))->hash);
    (void)tree.set_head(a.back());
    const TreeChainView on_a(tree, a.back());
    const TreeChainView on_b(tree, b.back());
    const TreeChainView mid_b(tree, b[5]);
    EXPECT_EQ(on_a.head_number(), 6u);
    EXPECT_EQ(on_b.head_number(), 8u);
    for (std::uint64_t n = 0; n <= 6; ++n) EXPECT_EQ(on_a.hash_at(n), a[n]) << n;
    for (std::uint64_t n = 0; n <= 8; ++n) EXPECT_EQ(on_b.hash_at(n), b[n]) << n;
    for (std::uint64_t n = 0; n <= 5; ++n) EXPECT_EQ(mid_b.hash_at(n), b[n]) << n;
    // The same answers with b canonical.
    (void)tree.set_head(b.back());
    for (std::uint64_t n = 0; n <= 6; ++n) EXPECT_EQ(TreeChainView(tree, a.back()).hash_at(n), a[n]) << n;
    EXPECT_EQ(relation(FinalCheckpoint{4, a[4]}, on_b, nullptr), Relation::kConflicts);
    EXPECT_EQ(relation(FinalCheckpoint{2, a[2]}, on_b, nullptr), Relation::kContains);
}

}  // namespace
}  // namespace cl::checkpoint
