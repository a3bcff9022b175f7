// Snapshot.apply, rule by rule (shared/spec/clique.md §5, §6). Each test isolates one
// rule so that removing the rule from snapshot.cpp makes it fail.
#include "protocol/clique/snapshot.hpp"

#include <gtest/gtest.h>

#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

using test::make_signers;

class SnapshotTest : public ::testing::Test {
  protected:
    // Applies a vote block sealed by `by` at the next number; expects success.
    void vote(const Address& by, const Address& target, bool authorize) {
        auto next = try_block(by, target, authorize);
        ASSERT_TRUE(next.has_value()) << name(next.error());
    }
    std::expected<Snapshot, Error> try_block(const Address& by, const Address& target = {},
                                             bool authorize = false) {
        Header h;
        h.number = snap.number() + 1;
        h.coinbase = target;
        h.nonce = authorize ? kNonceAuth : kNonceDrop;
        Hash32 hash;
        hash.bytes[0] = static_cast<std::uint8_t>(h.number);  // any distinct value
        auto next = snap.apply(h, by, hash, config);
        if (next) snap = *next;
        return next;
    }
    void start(std::size_t n, std::size_t signers_in_set) {
        keys = make_signers(n);
        std::vector<Address> set;
        for (std::size_t i = 0; i < signers_in_set; ++i) set.push_back(keys[i].address);
        snap = Snapshot::at_checkpoint(0, Hash32{}, set);
    }
    const Address& a(std::size_t i) const { return keys[i].address; }

    Config config;
    std::vector<test::Signer> keys;
    Snapshot snap;
};

TEST_F(SnapshotTest, SignersAreSortedAndIndexed) {
    start(4, 4);
    ASSERT_TRUE(std::is_sorted(snap.signers().begin(), snap.signers().end()));
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(snap.signer_index(a(i)), i);
    EXPECT_EQ(snap.signer_limit(), 3u);
}

TEST_F(SnapshotTest, InTurnIsNumberModuloSignerCount) {
    start(3, 3);
    EXPECT_TRUE(snap.in_turn(3, a(0)));
    EXPECT_TRUE(snap.in_turn(4, a(1)));
    EXPECT_FALSE(snap.in_turn(4, a(0)));
    EXPECT_FALSE(Snapshot::at_checkpoint(0, Hash32{}, {}).in_turn(1, a(0)));  // no signers, no division by 0
}

// §6.1: votes and tally reset on an epoch block; recents survive (geth #17593).
TEST_F(SnapshotTest, EpochBlockResetsVotesButNotRecents) {
    start(5, 4);  // N = 4: three votes to add, limit 3
    config.epoch = 3;
    vote(a(0), a(4), true);
    vote(a(1), a(4), true);
    ASSERT_EQ(snap.votes().size(), 2u);
    vote(a(2), {}, false);  // block 3: checkpoint
    EXPECT_TRUE(snap.votes().empty());
    EXPECT_TRUE(snap.tally().empty());
    EXPECT_EQ(snap.recents().size(), 3u);
    auto again = try_block(a(1));  // block 4 by the sealer of block 2
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error(), Error::kRecentlySigned);
}

// §6.2: with N = 3 (limit 2) a signer may seal again after one other block.
TEST_F(SnapshotTest, OldestRecentLeavesTheWindow) {
    start(3, 3);
    vote(a(0), {}, false);
    vote(a(1), {}, false);
    EXPECT_EQ(snap.recents().count(1), 1u);
    EXPECT_TRUE(try_block(a(0)).has_value());  // block 3 pushes block 1 out first
    EXPECT_EQ(snap.recents().count(1), 0u);
}

// §6.3
TEST_F(SnapshotTest, RejectsUnauthorizedSigner) {
    start(3, 2);
    auto r = try_block(a(2));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kUnauthorizedSigner);
}

TEST_F(SnapshotTest, RejectsRecentSigner) {
    start(3, 3);
    vote(a(0), {}, false);
    auto r = try_block(a(0));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kRecentlySigned);
}

TEST_F(SnapshotTest, RecentlySignedIsStrictNearGenesis) {
    start(5, 5);  // limit 3: blocks 1 and 2 lie inside the window even though number < limit
    vote(a(0), {}, false);
    EXPECT_TRUE(snap.recently_signed(2, a(0)));
    EXPECT_FALSE(snap.recently_signed(2, a(1)));
    EXPECT_TRUE(snap.recently_signed(3, a(0)));
    EXPECT_FALSE(snap.recently_signed(4, a(0)));
}

TEST_F(SnapshotTest, RejectsInvalidNonce) {
    start(1, 1);
    Header h;
    h.number = 1;
    h.nonce.bytes[7] = 1;
    auto r = snap.apply(h, a(0), Hash32{}, config);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kInvalidVote);
}

// §6.4: a second vote by the same signer on the same target replaces the first.
TEST_F(SnapshotTest, RepeatedVoteCountsOnce) {
    start(5, 4);  // N = 4: three votes needed
    vote(a(0), a(4), true);
    vote(a(1), {}, false);
    vote(a(2), {}, false);
    vote(a(3), {}, false);
    vote(a(0), a(4), true);
    EXPECT_EQ(snap.tally().at(a(4)).votes, 1);
    EXPECT_EQ(snap.votes().size(), 1u);
}

// §6.4: the replaced vote is uncast even when the new vote is not valid.
TEST_F(SnapshotTest, NewVoteOnSameTargetRemovesPreviousVote) {
    start(5, 4);
    vote(a(0), a(4), true);
    vote(a(1), {}, false);
    vote(a(2), {}, false);
    vote(a(0), a(4), false);  // a drop vote on a non-signer: invalid, but it withdraws the auth vote
    EXPECT_TRUE(snap.tally().empty());
    EXPECT_TRUE(snap.votes().empty());
}

// §6.5: only membership-changing votes are cast.
TEST_F(SnapshotTest, MeaninglessVotesAreNotCast) {
    start(4, 3);
    vote(a(0), a(1), true);   // authorise an existing signer
    vote(a(1), a(3), false);  // drop a non-signer
    vote(a(2), {}, false);    // no vote (drop of the zero address)
    EXPECT_TRUE(snap.votes().empty());
    EXPECT_TRUE(snap.tally().empty());
}

// §6.6: a vote reaching SIGNER_LIMIT changes membership.
TEST_F(SnapshotTest, MajorityAddsSigner) {
    start(3, 2);
    vote(a(0), a(2), true);
    EXPECT_FALSE(snap.is_signer(a(2)));
    vote(a(1), a(2), true);
    EXPECT_TRUE(snap.is_signer(a(2)));
    EXPECT_TRUE(snap.tally().empty());
    EXPECT_TRUE(snap.votes().empty());
}

TEST_F(SnapshotTest, MajorityRemovesSigner) {
    start(3, 3);
    vote(a(0), a(2), false);
    vote(a(1), a(2), false);
    EXPECT_FALSE(snap.is_signer(a(2)));
    EXPECT_EQ(snap.signers().size(), 2u);
}

TEST_F(SnapshotTest, HalfIsNotAMajority) {
    start(4, 4);
    vote(a(0), a(3), false);
    vote(a(1), a(3), false);
    EXPECT_TRUE(snap.is_signer(a(3)));
}

// §6.6: on removal the recents window shrinks at once.
TEST_F(SnapshotTest, RemovalShrinksRecentsWindow) {
    start(4, 4);              // limit 3
    vote(a(0), {}, false);    // 1
    vote(a(1), a(3), false);  // 2
    vote(a(2), a(3), false);  // 3
    vote(a(3), {}, false);    // 4 (a(3) still a signer; limit 3 drops block 1)
    vote(a(0), a(3), false);  // 5: a(3) removed, N = 3, limit 2: block 3 leaves too
    EXPECT_FALSE(snap.is_signer(a(3)));
    EXPECT_EQ(snap.recents().count(3), 0u);
    EXPECT_TRUE(
        try_block(a(2)).has_value());  // a(2) sealed block 3; 3 + 2 > 6 would reject without the shrink
}

// §6.6: the votes a removed signer cast are discarded and uncast.
TEST_F(SnapshotTest, RemovedSignersVotesAreDiscarded) {
    start(5, 4);
    vote(a(3), a(4), true);  // a(3) votes to add a(4)
    vote(a(0), a(3), false);
    vote(a(1), a(3), false);
    vote(a(2), a(3), false);  // a(3) removed (3 of 4)
    EXPECT_FALSE(snap.is_signer(a(3)));
    EXPECT_EQ(snap.tally().count(a(4)), 0u);
    EXPECT_TRUE(snap.votes().empty());
}

// §6.7: no cascading — when a removal lowers the threshold, a proposal that now has
// enough votes waits for a vote on its own target ("execute on touch", EIP-225 vectors 16-17).
TEST_F(SnapshotTest, NoCascadingAfterRemoval) {
    start(4, 4);  // N = 4: three votes needed
    vote(a(0), a(2), false);
    vote(a(1), a(2), false);  // a(2): 2 drop votes
    vote(a(2), a(3), false);
    vote(a(0), a(3), false);
    vote(a(1), a(3), false);  // block 5: a(3) removed → N = 3, where 2 votes would be enough
    ASSERT_FALSE(snap.is_signer(a(3)));
    EXPECT_TRUE(snap.is_signer(a(2)));
    EXPECT_EQ(snap.tally().at(a(2)).votes, 2);
    vote(a(2), a(2), false);  // touched: now it executes
    EXPECT_FALSE(snap.is_signer(a(2)));
}

TEST_F(SnapshotTest, ApplyLeavesOriginalUnchanged) {
    start(3, 2);
    const Snapshot before = snap;
    Header h;
    h.number = 1;
    h.coinbase = a(2);
    h.nonce = kNonceAuth;
    auto next = before.apply(h, a(0), Hash32{}, config);
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(before, Snapshot::at_checkpoint(0, Hash32{}, {a(0), a(1)}));
    EXPECT_NE(*next, before);
}

}  // namespace
}  // namespace cl::clique
