// BlockTree (protocol/chain/block_tree.hpp): insertion rules, total difficulty, arrival
// order, and the reorganisations set_head() reports.
#include "protocol/chain/block_tree.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace cl {
namespace {

Header make_genesis(std::uint64_t number = 0, std::uint64_t difficulty = 1) {
    Header g;
    g.number = number;
    g.difficulty = difficulty;
    g.uncle_hash = kEmptyUncleHash;
    g.extra = Bytes(97, 0);
    return g;
}

// A child of `parent`; `salt` makes siblings distinct.
Header child_of(const BlockEntry& parent, std::uint64_t difficulty, std::uint8_t salt = 0) {
    Header h;
    h.parent_hash = parent.hash;
    h.number = parent.header.number + 1;
    h.difficulty = difficulty;
    h.time = parent.header.time + 15;
    h.extra = Bytes(97, salt);
    return h;
}

class BlockTreeTest : public ::testing::Test {
  protected:
    BlockTreeTest() : tree(make_genesis()) {}

    // Inserts a child of `parent` and returns its hash; fails the test on error.
    Hash32 add(const Hash32& parent, std::uint64_t difficulty, std::uint8_t salt = 0) {
        const BlockEntry* p = tree.find(parent);
        EXPECT_NE(p, nullptr);
        if (p == nullptr) return Hash32{};
        auto e = tree.insert(child_of(*p, difficulty, salt));
        EXPECT_TRUE(e.has_value()) << (e ? "" : to_string(e.error()));
        return e ? (*e)->hash : Hash32{};
    }

    BlockTree tree;
};

TEST_F(BlockTreeTest, GenesisIsHeadAndCanonical) {
    const Hash32 g = tree.genesis().hash;
    EXPECT_EQ(g, block_hash(make_genesis()));
    EXPECT_EQ(tree.head().hash, g);
    EXPECT_EQ(tree.size(), 1u);
    EXPECT_EQ(tree.genesis().total_difficulty, 1u);
    EXPECT_EQ(tree.arrival(tree.genesis()), 0u);
    EXPECT_EQ(tree.canonical_hash(0), g);
    EXPECT_EQ(tree.canonical_hash(1), std::nullopt);
    EXPECT_TRUE(tree.is_canonical(g));
    EXPECT_EQ(tree.find(Hash32{}), nullptr);
    EXPECT_FALSE(tree.is_canonical(Hash32{}));
}

TEST_F(BlockTreeTest, InsertStoresEntryWithHash) {
    const Header h = child_of(tree.genesis(), 2);
    auto e = tree.insert(h);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ((*e)->hash, block_hash(h));
    EXPECT_EQ((*e)->header, h);
    EXPECT_EQ(tree.find(block_hash(h)), *e);
    EXPECT_EQ(tree.size(), 2u);
    // Inserting does not move the head.
    EXPECT_EQ(tree.head().hash, tree.genesis().hash);
    EXPECT_FALSE(tree.is_canonical(block_hash(h)));
}

TEST_F(BlockTreeTest, InsertWithPrecomputedHash) {
    const Header h = child_of(tree.genesis(), 2);
    auto e = tree.insert(h, block_hash(h));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(tree.find(block_hash(h)), *e);
}

TEST_F(BlockTreeTest, RejectsUnknownParent) {
    Header h = child_of(tree.genesis(), 2);
    h.parent_hash.bytes[0] ^= 1;
    auto e = tree.insert(h);
    ASSERT_FALSE(e.has_value());
    EXPECT_EQ(e.error(), InsertError::kUnknownParent);
    EXPECT_EQ(tree.size(), 1u);
}

TEST_F(BlockTreeTest, RejectsDuplicate) {
    const Header h = child_of(tree.genesis(), 2);
    ASSERT_TRUE(tree.insert(h).has_value());
    auto again = tree.insert(h);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error(), InsertError::kDuplicate);
    EXPECT_EQ(tree.size(), 2u);
    Header genesis_again = make_genesis();
    EXPECT_EQ(tree.insert(genesis_again).error(), InsertError::kDuplicate);
}

TEST_F(BlockTreeTest, RejectsNumberOtherThanParentPlusOne) {
    for (std::uint64_t n : {std::uint64_t{0}, std::uint64_t{2}, std::uint64_t{100}}) {
        Header h = child_of(tree.genesis(), 2);
        h.number = n;
        auto e = tree.insert(h);
        ASSERT_FALSE(e.has_value()) << n;
        EXPECT_EQ(e.error(), InsertError::kNotParentPlusOne) << n;
    }
    EXPECT_EQ(tree.size(), 1u);
}

TEST_F(BlockTreeTest, TotalDifficultyAccumulates) {
    const Hash32 a1 = add(tree.genesis().hash, 2);
    const Hash32 a2 = add(a1, 1);
    const Hash32 a3 = add(a2, 2);
    const Hash32 b2 = add(a1, 2, 0xbb);
    EXPECT_EQ(tree.find(a1)->total_difficulty, 3u);
    EXPECT_EQ(tree.find(a2)->total_difficulty, 4u);
    EXPECT_EQ(tree.find(a3)->total_difficulty, 6u);
    EXPECT_EQ(tree.find(b2)->total_difficulty, 5u);
}

TEST_F(BlockTreeTest, ArrivalCountsInsertions) {
    const Hash32 a1 = add(tree.genesis().hash, 2);
    const Hash32 b1 = add(tree.genesis().hash, 1, 0xbb);
    (void)tree.insert(child_of(*tree.find(a1), 2));  // a2
    const BlockEntry* a1e = tree.find(a1);
    EXPECT_EQ(tree.arrival(*a1e), 1u);
    EXPECT_EQ(tree.arrival(*tree.find(b1)), 2u);
    EXPECT_EQ(tree.arrival(*tree.find(block_hash(child_of(*a1e, 2)))), 3u);
    // A rejected insert does not consume an arrival number.
    EXPECT_FALSE(tree.insert(child_of(*a1e, 2)).has_value());
    const Hash32 c1 = add(tree.genesis().hash, 1, 0xcc);
    EXPECT_EQ(tree.arrival(*tree.find(c1)), 4u);
}

TEST_F(BlockTreeTest, EntriesStayValidAcrossInsertions) {
    const Hash32 a1 = add(tree.genesis().hash, 2);
    const BlockEntry* first = tree.find(a1);
    Hash32 tip = a1;
    for (int i = 0; i < 500; ++i) tip = add(tip, 1);  // forces rehashing of the map
    EXPECT_EQ(tree.find(a1), first);
    EXPECT_EQ(first->hash, a1);
    EXPECT_EQ(&tree.genesis(), tree.find(tree.genesis().hash));
}

// G ─ A1 ─ A2 ─ A3
//        └ B2 ─ B3 ─ B4
class BlockTreeFork : public BlockTreeTest {
  protected:
    void SetUp() override {
        g = tree.genesis().hash;
        a1 = add(g, 2);
        a2 = add(a1, 2);
        a3 = add(a2, 2);
        b2 = add(a1, 1, 0xbb);
        b3 = add(b2, 1, 0xbb);
        b4 = add(b3, 1, 0xbb);
    }
    Hash32 g, a1, a2, a3, b2, b3, b4;
};

TEST_F(BlockTreeFork, FirstHeadExtendsFromGenesis) {
    const Reorg r = tree.set_head(a3);
    EXPECT_EQ(r.common_ancestor, g);
    EXPECT_TRUE(r.dropped.empty());
    EXPECT_EQ(r.added, (std::vector<Hash32>{a1, a2, a3}));
    EXPECT_EQ(r.depth(), 0u);
    EXPECT_EQ(tree.head().hash, a3);
    EXPECT_EQ(tree.canonical_hash(0), g);
    EXPECT_EQ(tree.canonical_hash(1), a1);
    EXPECT_EQ(tree.canonical_hash(2), a2);
    EXPECT_EQ(tree.canonical_hash(3), a3);
    EXPECT_EQ(tree.canonical_hash(4), std::nullopt);
    EXPECT_TRUE(tree.is_canonical(a2));
    EXPECT_FALSE(tree.is_canonical(b2));
}

TEST_F(BlockTreeFork, ReorgToOtherBranchAndBack) {
    (void)tree.set_head(a3);

    const Reorg to_b = tree.set_head(b4);
    EXPECT_EQ(to_b.common_ancestor, a1);
    EXPECT_EQ(to_b.dropped, (std::vector<Hash32>{a3, a2}));    // old head first
    EXPECT_EQ(to_b.added, (std::vector<Hash32>{b2, b3, b4}));  // ascending
    EXPECT_EQ(to_b.depth(), 2u);
    EXPECT_EQ(tree.head().hash, b4);
    EXPECT_EQ(tree.canonical_hash(1), a1);
    EXPECT_EQ(tree.canonical_hash(2), b2);
    EXPECT_EQ(tree.canonical_hash(3), b3);
    EXPECT_EQ(tree.canonical_hash(4), b4);
    for (const Hash32& h : {g, a1, b2, b3, b4}) EXPECT_TRUE(tree.is_canonical(h));
    for (const Hash32& h : {a2, a3}) EXPECT_FALSE(tree.is_canonical(h));

    const Reorg back = tree.set_head(a3);
    EXPECT_EQ(back.common_ancestor, a1);
    EXPECT_EQ(back.dropped, (std::vector<Hash32>{b4, b3, b2}));
    EXPECT_EQ(back.added, (std::vector<Hash32>{a2, a3}));
    EXPECT_EQ(back.depth(), 3u);
    EXPECT_EQ(tree.canonical_hash(2), a2);
    EXPECT_EQ(tree.canonical_hash(3), a3);
    EXPECT_EQ(tree.canonical_hash(4), std::nullopt);  // the shorter chain has no block 4
    for (const Hash32& h : {g, a1, a2, a3}) EXPECT_TRUE(tree.is_canonical(h));
    for (const Hash32& h : {b2, b3, b4}) EXPECT_FALSE(tree.is_canonical(h));

    const Reorg again = tree.set_head(b3);
    EXPECT_EQ(again.common_ancestor, a1);
    EXPECT_EQ(again.dropped, (std::vector<Hash32>{a3, a2}));
    EXPECT_EQ(again.added, (std::vector<Hash32>{b2, b3}));
    EXPECT_EQ(tree.canonical_hash(4), std::nullopt);
    EXPECT_FALSE(tree.is_canonical(b4));
}

TEST_F(BlockTreeFork, RewindToAncestorDropsOnly) {
    (void)tree.set_head(a3);
    const Reorg r = tree.set_head(a1);
    EXPECT_EQ(r.common_ancestor, a1);
    EXPECT_EQ(r.dropped, (std::vector<Hash32>{a3, a2}));
    EXPECT_TRUE(r.added.empty());
    EXPECT_EQ(tree.head().hash, a1);
    EXPECT_EQ(tree.canonical_hash(2), std::nullopt);
    EXPECT_FALSE(tree.is_canonical(a2));
}

TEST_F(BlockTreeFork, ExtendingTheHeadDropsNothing) {
    (void)tree.set_head(b2);
    const Reorg r = tree.set_head(b4);
    EXPECT_EQ(r.common_ancestor, b2);
    EXPECT_TRUE(r.dropped.empty());
    EXPECT_EQ(r.added, (std::vector<Hash32>{b3, b4}));
}

TEST_F(BlockTreeFork, SameHeadIsEmptyReorg) {
    (void)tree.set_head(a3);
    const Reorg r = tree.set_head(a3);
    EXPECT_EQ(r.common_ancestor, a3);
    EXPECT_TRUE(r.dropped.empty());
    EXPECT_TRUE(r.added.empty());
    EXPECT_EQ(r.depth(), 0u);
}

TEST_F(BlockTreeFork, ReorgBackToGenesis) {
    (void)tree.set_head(b4);
    const Reorg r = tree.set_head(g);
    EXPECT_EQ(r.common_ancestor, g);
    EXPECT_EQ(r.dropped, (std::vector<Hash32>{b4, b3, b2, a1}));
    EXPECT_EQ(r.depth(), 4u);
    EXPECT_EQ(tree.canonical_hash(1), std::nullopt);
}

TEST(BlockTree, GenesisAboveZero) {
    BlockTree tree(make_genesis(100, 5));
    const Hash32 g = tree.genesis().hash;
    EXPECT_EQ(tree.canonical_hash(100), g);
    EXPECT_EQ(tree.canonical_hash(99), std::nullopt);
    EXPECT_EQ(tree.canonical_hash(0), std::nullopt);
    EXPECT_EQ(tree.genesis().total_difficulty, 5u);
    auto e = tree.insert(child_of(tree.genesis(), 2));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ((*e)->total_difficulty, 7u);
    const Reorg r = tree.set_head((*e)->hash);
    EXPECT_EQ(r.common_ancestor, g);
    EXPECT_EQ(tree.canonical_hash(101), (*e)->hash);
    EXPECT_TRUE(tree.is_canonical(g));
}

// block_index.hpp: trees sharing an index hold one entry per block, under one id, whichever
// tree inserted it first; each tree still finds only the blocks it stores.
TEST(BlockIndexShared, IdsAndEntriesAreSharedAcrossTrees) {
    auto index = std::make_shared<BlockIndex>();
    BlockTree a(make_genesis(), index);
    BlockTree b(make_genesis(), index);
    EXPECT_EQ(&a.genesis(), &b.genesis()) << "one entry for the shared genesis";
    const Header h1 = child_of(a.genesis(), 2);
    const Header h2 = child_of(a.genesis(), 1, 0xbb);
    const BlockEntry* a1 = a.insert(h1).value();
    EXPECT_EQ(b.find(a1->hash), nullptr) << "known to the index, not stored by b";
    EXPECT_FALSE(b.is_canonical(a1->hash));
    const BlockEntry* b2 = b.insert(h2).value();
    const BlockEntry* b1 = b.insert(h1).value();
    EXPECT_EQ(b1, a1) << "b's insert of a known block returns the shared entry";
    EXPECT_EQ(index->size(), 3u);
    EXPECT_EQ(a1->id, 1u);
    EXPECT_EQ(b2->id, 2u) << "ids in order of first insertion by any tree";
    EXPECT_EQ(a1->parent, a.genesis().id);
    EXPECT_EQ(a.find(b2->hash), nullptr);
    EXPECT_EQ(a.size(), 2u);
    EXPECT_EQ(b.size(), 3u);
}

// Arrival ("first seen") is each tree's own order, not the index's id order.
TEST(BlockIndexShared, ArrivalIsPerTree) {
    auto index = std::make_shared<BlockIndex>();
    BlockTree a(make_genesis(), index);
    BlockTree b(make_genesis(), index);
    const Header x = child_of(a.genesis(), 1, 0x01);
    const Header y = child_of(a.genesis(), 1, 0x02);
    const BlockEntry* ax = a.insert(x).value();
    const BlockEntry* ay = a.insert(y).value();
    const BlockEntry* by = b.insert(y).value();
    const BlockEntry* bx = b.insert(x).value();
    EXPECT_EQ(a.arrival(*ax), 1u);
    EXPECT_EQ(a.arrival(*ay), 2u);
    EXPECT_EQ(b.arrival(*by), 1u);
    EXPECT_EQ(b.arrival(*bx), 2u);
    std::vector<Hash32> stored;
    b.for_each([&](const BlockEntry& e) { stored.push_back(e.hash); });
    EXPECT_EQ(stored, (std::vector<Hash32>{b.genesis().hash, ax->hash, ay->hash})) << "id order";
    // Each tree's canonical chain is its own.
    (void)a.set_head(ax->hash);
    (void)b.set_head(by->hash);
    EXPECT_TRUE(a.is_canonical(ax->hash));
    EXPECT_FALSE(a.is_canonical(ay->hash));
    EXPECT_TRUE(b.is_canonical(by->hash));
    EXPECT_EQ(b.canonical_hash(1), by->hash);
}

// A tree built without an index has a private one: nothing leaks between such trees.
TEST(BlockIndexShared, StandaloneTreesHavePrivateIndexes) {
    BlockTree a(make_genesis());
    BlockTree b(make_genesis());
    EXPECT_NE(&a.index(), &b.index());
    EXPECT_NE(&a.genesis(), &b.genesis());
    (void)a.insert(child_of(a.genesis(), 2)).value();
    EXPECT_EQ(a.index().size(), 2u);
    EXPECT_EQ(b.index().size(), 1u);
}

TEST(BlockTree, InsertErrorsHaveNames) {
    EXPECT_STRNE(to_string(InsertError::kDuplicate), to_string(InsertError::kUnknownParent));
    EXPECT_STRNE(to_string(InsertError::kUnknownParent), to_string(InsertError::kNotParentPlusOne));
}

}  // namespace
}  // namespace cl
