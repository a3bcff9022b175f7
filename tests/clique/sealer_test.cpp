// Block production timing and header preparation (shared/spec/clique.md §6, §7).
#include "protocol/clique/sealer.hpp"

#include <gtest/gtest.h>

#include "protocol/clique/verify.hpp"
#include "protocol/core/split_mix64.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

using namespace std::chrono_literals;

struct DelayCase {
    OutOfTurnDelay variant;
    std::size_t signers;
    std::chrono::nanoseconds min, max_exclusive;
};

// §0: geth (N/2+1)·500 ms; EIP-225 text N·500 ms; Besu 1 ms + [0, (N/2.0+1)·500) ms.
TEST(OutOfTurnDelay, StaysInEachVariantsRange) {
    const DelayCase cases[] = {
        {OutOfTurnDelay::kGeth, 3, 0ms, 1000ms},   {OutOfTurnDelay::kGeth, 10, 0ms, 3000ms},
        {OutOfTurnDelay::kEip225, 3, 0ms, 1500ms}, {OutOfTurnDelay::kEip225, 10, 0ms, 5000ms},
        {OutOfTurnDelay::kBesu, 3, 1ms, 1251ms},   {OutOfTurnDelay::kBesu, 10, 1ms, 3001ms},
    };
    for (const auto& c : cases) {
        SplitMix64 rng(42);
        std::chrono::nanoseconds lo = c.max_exclusive, hi{0};
        for (int i = 0; i < 20000; ++i) {
            const auto d = out_of_turn_delay(c.variant, c.signers, rng);
            ASSERT_GE(d, c.min);
            ASSERT_LT(d, c.max_exclusive);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
            if (c.variant == OutOfTurnDelay::kBesu) {
                ASSERT_EQ(d % 1ms, 0ns);  // whole milliseconds
            }
        }
        // The whole range is used, not a fraction of it.
        EXPECT_LT(lo - c.min, (c.max_exclusive - c.min) / 100);
        EXPECT_GT(hi - c.min, (c.max_exclusive - c.min) * 99 / 100);
    }
}

TEST(OutOfTurnDelay, IsAPureFunctionOfTheStream) {
    SplitMix64 a(7), b(7);
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(out_of_turn_delay(OutOfTurnDelay::kGeth, 10, a),
                  out_of_turn_delay(OutOfTurnDelay::kGeth, 10, b));
}

class SealerTest : public ::testing::Test {
  protected:
    SealerTest()
        : keys(test::make_signers(4)),
          genesis(test::make_genesis({keys[0].address, keys[1].address, keys[2].address})),
          snap(Snapshot::at_checkpoint(0, block_hash(genesis),
                                       {keys[0].address, keys[1].address, keys[2].address})) {}

    std::expected<SealPlan, SealRefusal> plan(std::size_t i, std::uint64_t now, bool has_txs = false) {
        return plan_seal(config, snap, genesis, keys[i].address, now, has_txs, rng);
    }

    Header sealed(const Header& h, std::size_t i) const { return test::sealed(h, keys[i]); }

    Config config;
    std::vector<test::Signer> keys;
    Header genesis;
    Snapshot snap;
    SplitMix64 rng{1};
};

TEST_F(SealerTest, InTurnSealsAtHeaderTimeWithDifficultyTwo) {
    auto p = plan(1, genesis.time);  // block 1, N = 3: index 1 in turn
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->difficulty, kDiffInTurn);
    EXPECT_EQ(p->delay, 0ns);
    EXPECT_EQ(p->time, genesis.time + config.period);
    EXPECT_EQ(p->release_at(), std::chrono::seconds(p->time));
}

TEST_F(SealerTest, OutOfTurnWaitsAWiggle) {
    auto p = plan(0, genesis.time);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->difficulty, kDiffNoTurn);
    EXPECT_LT(p->delay, 1000ms);  // (3/2 + 1) × 500 ms
    EXPECT_EQ(p->release_at(), std::chrono::seconds(p->time) + p->delay);
}

TEST_F(SealerTest, TimestampIsMaxOfParentPlusPeriodAndNow) {
    EXPECT_EQ(plan(1, genesis.time + 100)->time, genesis.time + 100);
    EXPECT_EQ(plan(1, genesis.time + 3)->time, genesis.time + config.period);
}

TEST_F(SealerTest, RefusesWhenUnauthorized) {
    EXPECT_EQ(plan(3, genesis.time).error(), SealRefusal::kUnauthorized);
}

TEST_F(SealerTest, RefusesWhenRecentlySigned) {
    Header b1 = sealed(prepare_header(config, snap, genesis, *plan(1, genesis.time), {}, rng), 1);
    snap = snap.apply(b1, keys[1].address, block_hash(b1), config).value();
    EXPECT_EQ(plan_seal(config, snap, b1, keys[1].address, b1.time, false, rng).error(),
              SealRefusal::kRecentlySigned);
    EXPECT_TRUE(plan_seal(config, snap, b1, keys[2].address, b1.time, false, rng).has_value());
}

TEST_F(SealerTest, PeriodZeroSealsOnlyWithTransactions) {
    config.period = 0;
    EXPECT_EQ(plan(1, genesis.time).error(), SealRefusal::kNoTransactions);
    EXPECT_TRUE(plan(1, genesis.time, true).has_value());
}

TEST_F(SealerTest, PreparedAndSealedHeaderVerifies) {
    for (std::size_t i = 0; i < 3; ++i) {
        const Header h = sealed(prepare_header(config, snap, genesis, *plan(i, genesis.time), {}, rng), i);
        auto r = verify_header(config, h, &genesis, &snap, h.time);
        ASSERT_TRUE(r.has_value()) << i << ": " << name(r.error());
        EXPECT_EQ(*r, keys[i].address);
    }
}

TEST_F(SealerTest, ProposesOnlyValidVotesChosenUniformly) {
    const Proposal proposals[] = {
        {keys[3].address, true},   // valid: add an outsider
        {keys[0].address, false},  // valid: drop a signer
        {keys[1].address, true},   // invalid: already a signer
    };
    int add = 0, drop = 0;
    for (int i = 0; i < 1000; ++i) {
        const Header h = prepare_header(config, snap, genesis, *plan(1, genesis.time), proposals, rng);
        if (h.coinbase == keys[3].address && h.nonce == kNonceAuth)
            ++add;
        else if (h.coinbase == keys[0].address && h.nonce == kNonceDrop)
            ++drop;
        else
            ADD_FAILURE() << "unexpected vote for " << h.coinbase.hex();
    }
    EXPECT_GT(add, 400);
    EXPECT_GT(drop, 400);
}

TEST_F(SealerTest, NoVoteAndSignerListOnCheckpoint) {
    config.epoch = 1;
    const Proposal proposals[] = {{keys[3].address, true}};
    const Header h = prepare_header(config, snap, genesis, *plan(1, genesis.time), proposals, rng);
    EXPECT_TRUE(h.coinbase.is_zero());
    EXPECT_EQ(h.nonce, kNonceDrop);
    EXPECT_EQ(checkpoint_signers(sealed(h, 1)), snap.signers());
}

}  // namespace
}  // namespace cl::clique
