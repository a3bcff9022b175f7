// The import pipeline: verification, snapshot, tree, fork choice and reorg reports.
#include "protocol/clique/chain.hpp"

#include <gtest/gtest.h>

#include "protocol/core/split_mix64.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

constexpr std::uint64_t kNow = ~std::uint64_t{0};

class ChainTest : public ::testing::Test {
  protected:
    ChainTest() : keys(test::make_signers(4)), chain(config, test::make_genesis(test::addresses(keys))) {}

    // A sealed child of `parent` by signer i (time offset lets siblings differ).
    Header child(const Hash32& parent, std::size_t i, std::uint64_t extra_seconds = 0) {
        const BlockEntry& p = *chain.tree().find(parent);
        Header h = test::make_child(p.header, p.hash, chain.snapshot(p.hash), keys[i].address, config);
        h.time += extra_seconds;
        return test::sealed(h, keys[i]);
    }
    Hash32 add(const Hash32& parent, std::size_t i) {
        auto r = chain.import(child(parent, i), kNow, rng);
        EXPECT_TRUE(r.has_value()) << name(r.error());
        return r ? r->block->hash : Hash32{};
    }
    const Hash32& genesis() const { return chain.tree().genesis().hash; }

    Config config;
    std::vector<test::Signer> keys;
    Chain chain;
    SplitMix64 rng{5};
};

TEST_F(ChainTest, LinearChainAdvancesHeadAndSnapshots) {
    Hash32 h = genesis();
    for (std::size_t i = 0; i < 8; ++i) h = add(h, (i + 1) % 4);  // all in turn
    EXPECT_EQ(chain.head().hash, h);
    EXPECT_EQ(chain.head().header.number, 8u);
    EXPECT_EQ(chain.head().total_difficulty, 1 + 8 * kDiffInTurn);
    EXPECT_EQ(chain.snapshot(h).number(), 8u);
    EXPECT_EQ(chain.signer(h), keys[0].address);
}

// ImportHints::snapshot: the snapshot another chain computed for the same block is taken
// as it is (the same object, no recomputation); a header that fails verification fails
// whatever the hint.
TEST_F(ChainTest, SnapshotHintIsTakenNotRecomputed) {
    Chain other(config, test::make_genesis(test::addresses(keys)));
    const Header h = child(genesis(), 1);
    auto first = other.verify(h, kNow);
    ASSERT_TRUE(first.has_value());
    const std::shared_ptr<const Snapshot> shared = first->snapshot;
    ImportHints hints;
    hints.snapshot = &shared;
    auto second = chain.verify(h, kNow, hints);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->snapshot.get(), shared.get()) << "the hinted snapshot itself";
    auto plain = chain.verify(h, kNow);
    ASSERT_TRUE(plain.has_value());
    EXPECT_NE(plain->snapshot.get(), shared.get()) << "without the hint: computed";
    EXPECT_EQ(plain->snapshot->signers(), shared->signers());
    Header bad = h;
    bad.difficulty = 7;  // neither in turn nor out of turn
    EXPECT_FALSE(chain.verify(bad, kNow, hints).has_value());
}

TEST_F(ChainTest, UnknownParentIsUnknownAncestor) {
    Header orphan = child(genesis(), 1);
    orphan.parent_hash.bytes[0] ^= 1;
    auto r = chain.import(orphan, kNow, rng);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kUnknownAncestor);
}

TEST_F(ChainTest, DuplicateIsReportedAsKnown) {
    const Header h = child(genesis(), 1);
    ASSERT_TRUE(chain.import(h, kNow, rng).has_value());
    auto again = chain.import(h, kNow, rng);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->already_known);
    EXPECT_FALSE(again->new_head);
}

TEST_F(ChainTest, RejectedHeaderLeavesChainUnchanged) {
    add(genesis(), 1);
    const std::size_t before = chain.tree().size();
    const Hash32 head = chain.head().hash;
    auto r = chain.import(child(head, 1), kNow, rng);  // keys[1] sealed the parent
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kRecentlySigned);
    EXPECT_EQ(chain.tree().size(), before);
    EXPECT_EQ(chain.head().hash, head);
}

TEST_F(ChainTest, FutureBlockRejectedUntilItsTime) {
    const Header h = child(genesis(), 1);
    auto early = chain.import(h, h.time - 1, rng);
    ASSERT_FALSE(early.has_value());
    EXPECT_EQ(early.error(), Error::kFutureBlock);
    EXPECT_TRUE(chain.import(h, h.time, rng).has_value());
}

TEST_F(ChainTest, HeavierBranchReorgsAndReportsDepth) {
    // Main: g → 1 (in turn, keys[1]) → 2 (keys[2], in turn). Fork: g → 1' (keys[0], out of
    // turn) → 2' (keys[2]) → 3' (keys[3]) overtakes at 3'.
    const Hash32 m1 = add(genesis(), 1);
    const Hash32 m2 = add(m1, 2);
    const Hash32 f1 = add(genesis(), 0);
    EXPECT_EQ(chain.head().hash, m2);
    const Hash32 f2 = add(f1, 2);
    EXPECT_EQ(chain.head().hash, m2);  // TD 1+2+2 vs 1+1+2
    auto r = chain.import(child(f2, 3), kNow, rng);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->new_head);
    ASSERT_TRUE(r->reorg.has_value());
    EXPECT_EQ(r->reorg->common_ancestor, genesis());
    EXPECT_EQ(r->reorg->depth(), 2u);
    EXPECT_EQ(r->reorg->dropped, (std::vector<Hash32>{m2, m1}));
    EXPECT_EQ(r->reorg->added, (std::vector<Hash32>{f1, f2, r->block->hash}));
    EXPECT_FALSE(chain.tree().is_canonical(m1));
    EXPECT_TRUE(chain.tree().is_canonical(f1));
}

TEST_F(ChainTest, ExtendingTheHeadIsNotAReorg) {
    auto r = chain.import(child(genesis(), 1), kNow, rng);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->new_head);
    EXPECT_FALSE(r->reorg.has_value());
}

TEST_F(ChainTest, VotesTakeEffectThroughImport) {
    // Four signers drop keys[3]: three votes needed.
    Hash32 h = genesis();
    for (std::size_t i : {1u, 2u, 0u}) {
        const BlockEntry& p = *chain.tree().find(h);
        Header v = test::make_child(p.header, p.hash, chain.snapshot(p.hash), keys[i].address, config);
        v.coinbase = keys[3].address;
        v.nonce = kNonceDrop;
        auto r = chain.import(test::sealed(v, keys[i]), kNow, rng);
        ASSERT_TRUE(r.has_value()) << name(r.error());
        h = r->block->hash;
    }
    EXPECT_FALSE(chain.snapshot(h).is_signer(keys[3].address));
    EXPECT_EQ(chain.snapshot(h).signers().size(), 3u);
}

}  // namespace
}  // namespace cl::clique
