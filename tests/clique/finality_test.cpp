// clique::Chain with a final checkpoint (spec/checkpoint.md §4): fork choice never takes a
// chain that lacks it, whatever its difficulty; a head that conflicts with a checkpoint
// that becomes final is rolled back; without a final checkpoint nothing changes.
#include <gtest/gtest.h>

#include <memory>

#include "protocol/clique/chain.hpp"
#include "protocol/core/split_mix64.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

constexpr std::uint64_t kNow = ~std::uint64_t{0};

// Four signers (N = 4, block m in turn for keys[m % 4]). Trunk g, 1 (keys[1]), 2 (keys[2]);
// branch a: 3a (keys[3], in turn), 4a (keys[0], in turn) — TD 9; branch b: 3b (keys[0],
// out of turn), 4b (keys[3], out of turn) — TD 7.
class ChainFinality : public ::testing::Test {
  protected:
    ChainFinality() : keys(test::make_signers(4)), chain(config, test::make_genesis(test::addresses(keys))) {
        b1 = add(chain.tree().genesis().hash, 1);
        b2 = add(b1, 2);
    }
    Header child(const Hash32& parent, std::size_t i) {
        const BlockEntry& p = *chain.tree().find(parent);
        Header h = test::make_child(p.header, p.hash, chain.snapshot(p.hash), keys[i].address, config);
        return test::sealed(h, keys[i]);
    }
    ImportResult import(const Hash32& parent, std::size_t i) {
        auto r = chain.import(child(parent, i), kNow, rng);
        EXPECT_TRUE(r.has_value()) << name(r.error());
        return r.value_or(ImportResult{});
    }
    Hash32 add(const Hash32& parent, std::size_t i) {
        const ImportResult r = import(parent, i);
        return r.block ? r.block->hash : Hash32{};
    }

    Config config;
    std::vector<test::Signer> keys;
    Chain chain;
    SplitMix64 rng{5};
    Hash32 b1, b2;
};

TEST_F(ChainFinality, WithoutACheckpointTheHeavierBranchWins) {
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    EXPECT_EQ(chain.head().hash, b4);
    const Hash32 a3 = add(b2, 3);
    const ImportResult a4 = import(a3, 0);
    EXPECT_FALSE(chain.final_checkpoint().has_value());
    EXPECT_TRUE(a4.new_head);
    EXPECT_FALSE(a4.conflicts_final_checkpoint);
    EXPECT_EQ(chain.head().hash, a4.block->hash);
}

TEST_F(ChainFinality, RefusesAHeavierChainThatLacksTheFinalCheckpoint) {
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    EXPECT_EQ(chain.set_final_checkpoint({3, b3}).reorg, std::nullopt);  // the head contains it
    const ImportResult a3 = import(b2, 3);  // same TD as b4 at a lower number: EIP-3436 would switch
    EXPECT_TRUE(a3.conflicts_final_checkpoint);
    EXPECT_FALSE(a3.new_head);
    const ImportResult a4 = import(a3.block->hash, 0);  // heavier: TD 9 against 7
    EXPECT_TRUE(a4.conflicts_final_checkpoint);
    EXPECT_FALSE(a4.new_head);
    EXPECT_GT(a4.block->total_difficulty, chain.head().total_difficulty);
    EXPECT_EQ(chain.head().hash, b4);
    EXPECT_EQ(chain.final_relation(a4.block->hash), checkpoint::Relation::kConflicts);
    // Blocks on the checkpoint's chain are taken as before.
    const ImportResult b5 = import(b4, 1);
    EXPECT_TRUE(b5.new_head);
    EXPECT_FALSE(b5.conflicts_final_checkpoint);
}

TEST_F(ChainFinality, BlocksBelowTheCheckpointOffItsPathConflict) {
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    (void)chain.set_final_checkpoint({4, b4});
    const ImportResult a3 = import(b2, 3);  // height 3 < 4, but not b4's ancestor
    EXPECT_TRUE(a3.conflicts_final_checkpoint);
    EXPECT_EQ(chain.final_relation(b3), checkpoint::Relation::kOnPath);
    EXPECT_EQ(chain.head().hash, b4);
}

TEST_F(ChainFinality, UnknownCheckpointBlockLeavesShorterChainsToForkChoice) {
    // A checkpoint above every stored block (the node has not received it yet).
    Hash32 unknown;
    unknown.bytes[0] = 0xcc;
    const FinalUpdate update = chain.set_final_checkpoint({120, unknown});
    EXPECT_EQ(update.outcome, FinalOutcome::kAccepted) << "the first final checkpoint is always taken";
    EXPECT_EQ(update.reorg, std::nullopt);
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    EXPECT_EQ(chain.final_relation(b4), checkpoint::Relation::kUndecided);
    const ImportResult a3 = import(b2, 3);
    const ImportResult a4 = import(a3.block->hash, 0);
    EXPECT_FALSE(a4.conflicts_final_checkpoint);
    EXPECT_EQ(chain.head().hash, a4.block->hash);
}

TEST_F(ChainFinality, HeadThatConflictsWithANewFinalCheckpointIsRolledBack) {
    const Hash32 a3 = add(b2, 3);
    const Hash32 a4 = add(a3, 0);
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    ASSERT_EQ(chain.head().hash, a4);
    const auto reorg = chain.set_final_checkpoint({3, b3}).reorg;
    ASSERT_TRUE(reorg.has_value());
    EXPECT_EQ(chain.head().hash, b4);  // the heaviest block that contains b3
    EXPECT_EQ(reorg->depth(), 2u);
    EXPECT_EQ(reorg->dropped, (std::vector<Hash32>{a4, a3}));
    EXPECT_EQ(reorg->added, (std::vector<Hash32>{b3, b4}));
    EXPECT_EQ(reorg->common_ancestor, b2);
    // The rolled-back branch stays out.
    const ImportResult a5 = import(a4, 1);
    EXPECT_TRUE(a5.conflicts_final_checkpoint);
    EXPECT_EQ(chain.head().hash, b4);
}

// Final means final: a threshold certifying a second history (checkpoint h + interval on
// another branch than h) cannot move the node off the first.
TEST_F(ChainFinality, RefusesALaterFinalCheckpointOffTheHeldOnesChain) {
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    ASSERT_EQ(chain.set_final_checkpoint({3, b3}).outcome, FinalOutcome::kAccepted);
    const Hash32 a3 = add(b2, 3);  // stored, conflicting
    const Hash32 a4 = add(a3, 0);
    const Hash32 a5 = add(a4, 1);
    const FinalUpdate update = chain.set_final_checkpoint({5, a5});
    EXPECT_EQ(update.outcome, FinalOutcome::kConflicting);
    EXPECT_EQ(update.reorg, std::nullopt);
    EXPECT_EQ(chain.final_checkpoint(), (checkpoint::FinalCheckpoint{3, b3}));
    EXPECT_EQ(chain.head().hash, b4);
    // An earlier checkpoint off the held one's chain is refused as well.
    EXPECT_EQ(chain.set_final_checkpoint({2, a3}).outcome, FinalOutcome::kConflicting);
}

TEST_F(ChainFinality, ALaterFinalCheckpointOnTheHeldOnesChainReplacesIt) {
    const Hash32 b3 = add(b2, 0);
    const Hash32 b4 = add(b3, 3);
    ASSERT_EQ(chain.set_final_checkpoint({3, b3}).outcome, FinalOutcome::kAccepted);
    EXPECT_EQ(chain.set_final_checkpoint({4, b4}).outcome, FinalOutcome::kAccepted);
    EXPECT_EQ(chain.final_checkpoint(), (checkpoint::FinalCheckpoint{4, b4}));
    // An earlier one on its chain is implied by it: accepted, nothing changes.
    EXPECT_EQ(chain.set_final_checkpoint({3, b3}).outcome, FinalOutcome::kAccepted);
    EXPECT_EQ(chain.final_checkpoint(), (checkpoint::FinalCheckpoint{4, b4}));
}

TEST_F(ChainFinality, ALaterFinalCheckpointWaitsForItsBlock) {
    const Hash32 b3 = add(b2, 0);
    ASSERT_EQ(chain.set_final_checkpoint({3, b3}).outcome, FinalOutcome::kAccepted);
    const Header h4 = child(b3, 3);  // not imported yet
    const checkpoint::FinalCheckpoint later{4, block_hash(h4)};
    EXPECT_EQ(chain.set_final_checkpoint(later).outcome, FinalOutcome::kUnknownBlock);
    EXPECT_EQ(chain.final_checkpoint(), (checkpoint::FinalCheckpoint{3, b3}));
    ASSERT_TRUE(chain.import(h4, kNow, rng).has_value());
    EXPECT_EQ(chain.set_final_checkpoint(later).outcome, FinalOutcome::kAccepted);
    EXPECT_EQ(chain.final_checkpoint(), later);
}

// Chains sharing a ChainIndex (simulated nodes, docs/benchmarks.md "Chain state") each
// keep their own "first seen" order: the roll-back's tie-break between equally heavy
// blocks follows each chain's own arrivals, not the shared index's id order.
TEST_F(ChainFinality, RollBackTieBreakIsEachSharingChainsOwnArrival) {
    // Two children of b2 of equal TD: keys[0] out of turn, sealed at two different times.
    const Header x3 = child(b2, 0);
    Header y3 = child(b2, 0);
    y3.time += 1;
    y3 = test::sealed(y3, keys[0]);
    // The heavier branch off b1 that a final checkpoint at b2 rolls back: c2, c3, c4.
    const Hash32 c2 = add(b1, 0);
    const Hash32 c3 = add(c2, 3);
    const Header c4 = child(c3, 1);
    const Header trunk[] = {chain.tree().find(b1)->header, chain.tree().find(b2)->header,
                            chain.tree().find(c2)->header, chain.tree().find(c3)->header, c4};
    auto index = std::make_shared<ChainIndex>();
    const Header genesis = chain.tree().genesis().header;
    Chain first(config, genesis, index);   // stores x3, then y3
    Chain second(config, genesis, index);  // stores y3, then x3
    for (Chain* c : {&first, &second}) {
        for (const Header& h : trunk) ASSERT_TRUE(c->import(h, kNow, rng).has_value());
    }
    ASSERT_TRUE(first.import(x3, kNow, rng).has_value());
    ASSERT_TRUE(first.import(y3, kNow, rng).has_value());
    ASSERT_TRUE(second.import(y3, kNow, rng).has_value());
    ASSERT_TRUE(second.import(x3, kNow, rng).has_value());
    ASSERT_EQ(first.tree().find(block_hash(x3))->id, second.tree().find(block_hash(x3))->id);
    ASSERT_LT(first.tree().find(block_hash(x3))->id, first.tree().find(block_hash(y3))->id);
    ASSERT_EQ(first.head().hash, block_hash(c4));
    ASSERT_EQ(second.head().hash, block_hash(c4));
    EXPECT_TRUE(first.set_final_checkpoint({2, b2}).reorg.has_value());
    EXPECT_TRUE(second.set_final_checkpoint({2, b2}).reorg.has_value());
    EXPECT_EQ(first.head().hash, block_hash(x3));
    EXPECT_EQ(second.head().hash, block_hash(y3)) << "its own first seen, not the index's first";
    EXPECT_EQ(index->blocks.size(), 8u) << "one entry per block for both chains";
}

}  // namespace
}  // namespace cl::clique
