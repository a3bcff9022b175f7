// Header verification (shared/spec/clique.md §4): one test per error, and tests that
// pin geth's order (the first failing check wins).
#include "protocol/clique/verify.hpp"

#include <gtest/gtest.h>

#include "protocol/chain/block_tree.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

constexpr std::uint64_t kNow = 2'000'000'000;

class VerifyTest : public ::testing::Test {
  protected:
    VerifyTest()
        : keys(test::make_signers(4)),
          genesis(test::make_genesis({keys[0].address, keys[1].address, keys[2].address})),
          genesis_hash(block_hash(genesis)),
          snap(Snapshot::at_checkpoint(0, genesis_hash,
                                       {keys[0].address, keys[1].address, keys[2].address})) {}

    // A valid, unsealed block 1 for signer `i` (keys[3] is not authorised).
    Header child(std::size_t i) const {
        return test::make_child(genesis, genesis_hash, snap, keys[i].address, config);
    }
    Header sealed_child(std::size_t i) const { return test::sealed(child(i), keys[i]); }

    std::expected<Address, Error> verify(const Header& h) const {
        return verify_header(config, h, &genesis, &snap, kNow);
    }
    Error error_of(const Header& h) const {
        auto r = verify(h);
        EXPECT_FALSE(r.has_value());
        return r ? Error{} : r.error();
    }

    Config config;
    std::vector<test::Signer> keys;
    Header genesis;
    Hash32 genesis_hash;
    Snapshot snap;
};

TEST_F(VerifyTest, AcceptsValidHeaderAndReturnsSigner) {
    for (std::size_t i = 0; i < 3; ++i) {
        auto r = verify(sealed_child(i));
        ASSERT_TRUE(r.has_value()) << i << ": " << name(r.error());
        EXPECT_EQ(*r, keys[i].address);
    }
}

// ---- §4 verifyHeader ---------------------------------------------------------------

TEST_F(VerifyTest, RejectsFutureBlock) {
    Header h = child(1);
    h.time = kNow + 1;
    EXPECT_EQ(error_of(test::sealed(h, keys[1])), Error::kFutureBlock);
    h.time = kNow;  // exactly now is fine
    EXPECT_TRUE(verify_fields(config, h, kNow).has_value());
}

TEST_F(VerifyTest, RejectsCheckpointBeneficiary) {
    config.epoch = 1;  // every block is a checkpoint
    Header h = child(1);
    h.coinbase = keys[3].address;
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointBeneficiary);
}

TEST_F(VerifyTest, RejectsInvalidVoteNonce) {
    Header h = child(1);
    h.nonce.bytes[7] = 1;
    EXPECT_EQ(error_of(h), Error::kInvalidVote);
}

TEST_F(VerifyTest, RejectsAuthVoteOnCheckpoint) {
    config.epoch = 1;
    Header h = child(1);
    h.nonce = kNonceAuth;
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointVote);
}

TEST_F(VerifyTest, RejectsMissingVanity) {
    Header h = child(1);
    h.extra.resize(kExtraVanity - 1);
    EXPECT_EQ(error_of(h), Error::kMissingVanity);
}

TEST_F(VerifyTest, RejectsMissingSignature) {
    Header h = child(1);
    h.extra.resize(kExtraVanity + kExtraSeal - 1);
    EXPECT_EQ(error_of(h), Error::kMissingSignature);
}

TEST_F(VerifyTest, RejectsSignersOutsideCheckpoint) {
    Header h = child(1);
    h.extra = make_extra({keys[0].address});
    EXPECT_EQ(error_of(h), Error::kExtraSigners);
}

TEST_F(VerifyTest, RejectsCheckpointSignerBytesNotMultipleOf20) {
    config.epoch = 1;
    Header h = child(1);
    h.extra.insert(h.extra.begin() + kExtraVanity, 19, 0xaa);
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointSigners);
}

TEST_F(VerifyTest, RejectsNonZeroMixDigest) {
    Header h = child(1);
    h.mix_digest.bytes[31] = 1;
    EXPECT_EQ(error_of(h), Error::kInvalidMixDigest);
}

TEST_F(VerifyTest, RejectsNonEmptyUncleHash) {
    Header h = child(1);
    h.uncle_hash = Hash32{};
    EXPECT_EQ(error_of(h), Error::kInvalidUncleHash);
}

TEST_F(VerifyTest, RejectsDifficultyOtherThanOneOrTwo) {
    for (std::uint64_t d : {0u, 3u, 131072u}) {
        Header h = child(1);
        h.difficulty = d;
        EXPECT_EQ(error_of(h), Error::kInvalidDifficulty) << d;
    }
}

TEST_F(VerifyTest, RejectsGasLimitAboveMaximum) {
    Header h = child(1);
    h.gas_limit = kMaxGasLimit + 1;
    EXPECT_EQ(verify_fields(config, h, kNow).error(), Error::kInvalidGasLimit);
}

// ---- §4 verifyCascadingFields ----------------------------------------------------

TEST_F(VerifyTest, RejectsUnknownAncestor) {
    const Header h = sealed_child(1);
    auto r = verify_header(config, h, nullptr, nullptr, kNow);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kUnknownAncestor);
    Header wrong_number = h;
    wrong_number.number = 2;
    EXPECT_EQ(verify_cascading(config, wrong_number, &genesis, snap).error(), Error::kUnknownAncestor);
}

TEST_F(VerifyTest, RejectsTimestampBeforeParentPlusPeriod) {
    Header h = child(1);
    h.time = genesis.time + config.period - 1;
    EXPECT_EQ(error_of(test::sealed(h, keys[1])), Error::kInvalidTimestamp);
    h.time = genesis.time + config.period;
    EXPECT_TRUE(verify(test::sealed(h, keys[1])).has_value());
}

TEST_F(VerifyTest, RejectsGasUsedAboveGasLimit) {
    Header h = child(1);
    h.gas_used = h.gas_limit + 1;
    EXPECT_EQ(error_of(h), Error::kInvalidGasUsed);
}

TEST_F(VerifyTest, RejectsGasLimitDrift) {
    const std::uint64_t bound = genesis.gas_limit / kGasLimitBoundDivisor;
    Header h = child(1);
    h.gas_limit = genesis.gas_limit + bound;
    EXPECT_EQ(error_of(h), Error::kInvalidGasLimit);
    h.gas_limit = genesis.gas_limit - bound;
    EXPECT_EQ(error_of(h), Error::kInvalidGasLimit);
    h.gas_limit = genesis.gas_limit + bound - 1;
    EXPECT_TRUE(verify(test::sealed(h, keys[1])).has_value());
}

TEST_F(VerifyTest, RejectsGasLimitBelowMinimum) {
    genesis.gas_limit = 5000;
    genesis_hash = block_hash(genesis);
    Header h = child(1);
    h.gas_limit = 4999;
    EXPECT_EQ(verify_cascading(config, h, &genesis, snap).error(), Error::kInvalidGasLimit);
}

TEST_F(VerifyTest, RejectsCheckpointWithOtherSigners) {
    config.epoch = 1;
    Header h = child(1);
    h.extra = make_extra({keys[0].address, keys[1].address});
    EXPECT_EQ(error_of(test::sealed(h, keys[1])), Error::kMismatchingCheckpointSigners);
    h.extra = make_extra(snap.signers());
    EXPECT_TRUE(verify(test::sealed(h, keys[1])).has_value());
}

// ---- §4 verifySeal -----------------------------------------------------------------

TEST_F(VerifyTest, RejectsSealThatDoesNotRecover) {
    Header h = child(1);  // seal left as 65 zero bytes: r = 0
    EXPECT_EQ(error_of(h), Error::kInvalidSignature);
    h = sealed_child(1);
    h.extra.back() = 27;  // Ethereum's legacy v is not a Clique recovery id
    EXPECT_EQ(error_of(h), Error::kInvalidSignature);
}

TEST_F(VerifyTest, RejectsUnauthorizedSigner) {
    EXPECT_EQ(error_of(sealed_child(3)), Error::kUnauthorizedSigner);
}

TEST_F(VerifyTest, RejectsSignerAmongRecents) {
    // keys[1] sealed block 1; with N = 3 (limit 2) it may not seal block 2.
    const Header b1 = sealed_child(1);
    const Hash32 b1_hash = block_hash(b1);
    const Snapshot s1 = snap.apply(b1, keys[1].address, b1_hash, config).value();
    const Header b2 = test::sealed(test::make_child(b1, b1_hash, s1, keys[1].address, config), keys[1]);
    auto r = verify_header(config, b2, &b1, &s1, kNow);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kRecentlySigned);
    const Header other = test::sealed(test::make_child(b1, b1_hash, s1, keys[2].address, config), keys[2]);
    EXPECT_TRUE(verify_header(config, other, &b1, &s1, kNow).has_value());
}

// geth lets this through verifySeal (number − limit underflows for number < limit);
// the strict rule rejects it at the block itself.
TEST_F(VerifyTest, RecentSignerRuleIsStrictNearGenesis) {
    auto five = test::make_signers(5);
    const Header g = test::make_genesis(test::addresses(five));
    const Hash32 gh = block_hash(g);
    const Snapshot s0 = Snapshot::at_checkpoint(0, gh, test::addresses(five));  // limit 3
    const Header b1 = test::sealed(test::make_child(g, gh, s0, five[0].address, config), five[0]);
    const Hash32 b1h = block_hash(b1);
    const Snapshot s1 = s0.apply(b1, five[0].address, b1h, config).value();
    const Header b2 = test::sealed(test::make_child(b1, b1h, s1, five[0].address, config), five[0]);
    ASSERT_LT(b2.number, s1.signer_limit());
    auto r = verify_header(config, b2, &b1, &s1, kNow);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Error::kRecentlySigned);
}

TEST_F(VerifyTest, RejectsWrongDifficultyForTurn) {
    // Block 1 with N = 3 is in turn for index 1.
    Header in_turn = child(1);
    ASSERT_EQ(in_turn.difficulty, kDiffInTurn);
    in_turn.difficulty = kDiffNoTurn;
    EXPECT_EQ(error_of(test::sealed(in_turn, keys[1])), Error::kWrongDifficulty);
    Header out_of_turn = child(2);
    ASSERT_EQ(out_of_turn.difficulty, kDiffNoTurn);
    out_of_turn.difficulty = kDiffInTurn;
    EXPECT_EQ(error_of(test::sealed(out_of_turn, keys[2])), Error::kWrongDifficulty);
}

// ---- order: the first failing check wins -----------------------------------------

TEST_F(VerifyTest, ChecksInGethOrder) {
    config.epoch = 1;
    Header h = child(1);
    h.time = kNow + 1;
    h.coinbase = keys[3].address;
    h.nonce.bytes[0] = 7;
    EXPECT_EQ(error_of(h), Error::kFutureBlock);
    h.time = genesis.time;  // also an invalid timestamp, checked later
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointBeneficiary);
    h.coinbase = Address{};
    EXPECT_EQ(error_of(h), Error::kInvalidVote);
    h.nonce = kNonceAuth;
    h.extra.resize(10);
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointVote);
    h.nonce = kNonceDrop;
    EXPECT_EQ(error_of(h), Error::kMissingVanity);
    h.extra.resize(kExtraVanity + 1);
    EXPECT_EQ(error_of(h), Error::kMissingSignature);
    h.extra.resize(kExtraVanity + kExtraSeal + 3);
    h.mix_digest.bytes[0] = 1;
    EXPECT_EQ(error_of(h), Error::kInvalidCheckpointSigners);
    h.extra = make_extra({keys[0].address});  // the wrong list: a cascading error
    h.uncle_hash = Hash32{};
    EXPECT_EQ(error_of(h), Error::kInvalidMixDigest);
    h.mix_digest = Hash32{};
    h.difficulty = 5;
    EXPECT_EQ(error_of(h), Error::kInvalidUncleHash);
    h.uncle_hash = kEmptyUncleHash;
    h.gas_limit = kMaxGasLimit + 1;
    EXPECT_EQ(error_of(h), Error::kInvalidDifficulty);
    h.difficulty = kDiffInTurn;
    EXPECT_EQ(error_of(h), Error::kInvalidGasLimit);
    h.gas_limit = genesis.gas_limit;
    h.gas_used = h.gas_limit + 1;
    EXPECT_EQ(error_of(h), Error::kInvalidTimestamp);
    h.time = genesis.time + config.period;
    EXPECT_EQ(error_of(h), Error::kInvalidGasUsed);
    h.gas_used = 0;
    EXPECT_EQ(error_of(h), Error::kMismatchingCheckpointSigners);
    h.extra = make_extra(snap.signers());  // unsealed: the seal stage comes last
    EXPECT_EQ(error_of(h), Error::kInvalidSignature);
}

}  // namespace
}  // namespace cl::clique
