// The submitter's vote collector: votes for the same (h, block_hash, state_root) from
// distinct current validators until the threshold, sorted by signer (spec §1).
#include <gtest/gtest.h>

#include "protocol/checkpoint/collector.hpp"
#include "protocol/checkpoint/contract.hpp"
#include "protocol/checkpoint/schedule.hpp"
#include "tests/checkpoint/fixture.hpp"

namespace cl::checkpoint {
namespace {

using test::kChainId;
using test::label;

struct CollectorTest : ::testing::Test {
    Config config;
    std::vector<test::Validator> vs = test::make_validators(4);  // threshold 3
    std::vector<Address> set = test::addresses(vs);
    VoteCollector collector{config, kChainId, 240, set, set};
    Payload good = test::payload(240, label("block-240"), label("root-240"), set);
    Vote vote(const test::Validator& v, const Payload& p) { return sign_vote(p, v.key); }
    Vote vote(std::size_t i) { return vote(vs[i], good); }
};

TEST_F(CollectorTest, CompletesAtThresholdWithSignaturesSortedBySigner) {
    EXPECT_EQ(collector.threshold(), 3u);
    // Arrival order 3, 0, 2: the certificate lists 0, 2, 3.
    EXPECT_EQ(collector.add(vote(3)).value(), vs[3].address);
    EXPECT_EQ(collector.add(vote(0)).value(), vs[0].address);
    EXPECT_FALSE(collector.certificate().has_value());
    EXPECT_EQ(collector.add(vote(2)).value(), vs[2].address);
    const auto cert = collector.certificate();
    ASSERT_TRUE(cert.has_value());
    EXPECT_EQ(cert->height, 240u);
    EXPECT_EQ(cert->block_hash, good.block_hash);
    EXPECT_EQ(cert->state_root, good.state_root);
    EXPECT_EQ(cert->signer_set, set);
    EXPECT_EQ(cert->signers, (std::vector<Address>{vs[0].address, vs[2].address, vs[3].address}));
    ASSERT_EQ(cert->signatures.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(recover_signer(payload_hash(good), cert->signatures[i]).value(), cert->signers[i]);
}

TEST_F(CollectorTest, CountsOnlyVotesForTheSameBlockAndRoot) {
    const Payload other_root = test::payload(240, good.block_hash, label("root-x"), set);
    const Payload other_block = test::payload(240, label("block-x"), good.state_root, set);
    ASSERT_TRUE(collector.add(vote(0)).has_value());
    ASSERT_TRUE(collector.add(vote(vs[1], other_root)).has_value());
    ASSERT_TRUE(collector.add(vote(vs[2], other_block)).has_value());
    ASSERT_TRUE(collector.add(vote(3)).has_value());
    EXPECT_EQ(collector.count(good.block_hash, good.state_root), 2u);
    EXPECT_EQ(collector.count(good.block_hash, label("root-x")), 1u);
    EXPECT_FALSE(collector.certificate().has_value());
}

TEST_F(CollectorTest, RefusesWrongHeightSignerSetOutsidersDuplicatesAndSecondVotes) {
    Vote wrong_height = vote(vs[0], test::payload(120, good.block_hash, good.state_root, set));
    EXPECT_EQ(collector.add(wrong_height).error(), VoteError::kWrongHeight);
    const std::vector<Address> smaller{set[0], set[1], set[2]};
    EXPECT_EQ(
        collector.add(vote(vs[0], test::payload(240, good.block_hash, good.state_root, smaller))).error(),
        VoteError::kWrongSignerSet);
    Vote broken = vote(0);
    broken.signature.bytes[64] = 2;
    EXPECT_EQ(collector.add(broken).error(), VoteError::kBadSignature);
    const auto outsider = test::make_validators(1, "outsider-");
    EXPECT_EQ(collector.add(vote(outsider[0], good)).error(), VoteError::kNotVoter);
    ASSERT_TRUE(collector.add(vote(0)).has_value());
    EXPECT_EQ(collector.add(vote(0)).error(), VoteError::kDuplicate);
    const Payload other = test::payload(240, label("block-x"), good.state_root, set);
    EXPECT_EQ(collector.add(vote(vs[0], other)).error(), VoteError::kConflictingVote);
    EXPECT_EQ(collector.count(good.block_hash, good.state_root), 1u);
    EXPECT_EQ(collector.count(other.block_hash, other.state_root), 0u);
}

TEST(Collector, VotersAreTheCurrentSetWhileThePayloadCommitsToTheSetAtH) {
    const Config config;
    auto vs = test::make_validators(4);
    const auto added = test::make_validators(1, "added-");
    const std::vector<Address> current = test::addresses(vs);
    std::vector<test::Validator> all = vs;
    all.push_back(added[0]);
    const std::vector<Address> at_h = test::addresses(all);
    VoteCollector c(config, kChainId, 120, at_h, current);
    EXPECT_EQ(c.threshold(), 3u);  // over the 4 current validators
    const Payload p = test::payload(120, label("b"), label("r"), at_h);
    EXPECT_EQ(c.add(sign_vote(p, added[0].key)).error(), VoteError::kNotVoter);
    for (std::size_t i = 0; i < 3; ++i) ASSERT_TRUE(c.add(sign_vote(p, vs[i].key)).has_value());
    EXPECT_EQ(c.certificate()->signer_set, at_h);
}

// The protocol path end to end: every validator votes for 120 and 240, each height's
// submitter (its rotation slot) collects until the threshold, and the contract accepts
// the certificates as they are; a fall-back submitter's second certificate is harmless.
TEST(Collector, CertificatesAreAcceptedByTheContract) {
    const Config config;
    const auto vs = test::make_validators(5);  // threshold 4
    const auto set = test::addresses(vs);
    CheckpointContract contract(config, kChainId, set);
    for (std::uint64_t h : {std::uint64_t{120}, std::uint64_t{240}}) {
        const Payload p = test::payload(h, label("block-" + std::to_string(h)), label("root"), set);
        const std::uint64_t submitter = submitter_index(config, h, set.size());
        VoteCollector first(config, kChainId, h, set, contract.validators());
        VoteCollector fallback(config, kChainId, h, set, contract.validators());
        for (std::size_t i = vs.size(); i-- > 0;) {  // arrival order: highest address first
            if (!first.certificate()) {
                ASSERT_TRUE(first.add(sign_vote(p, vs[i].key)).has_value());
            }
            ASSERT_TRUE(fallback.add(sign_vote(p, vs[i].key)).has_value());
        }
        const Certificate c = first.certificate().value();
        EXPECT_EQ(c.signatures.size(), 4u) << "the submitter " << submitter << " stops at the threshold";
        const auto accepted =
            contract.submit(c.height, c.block_hash, c.state_root, c.signer_set, c.signatures);
        ASSERT_TRUE(accepted.has_value()) << name(accepted.error());
        const Certificate late = fallback.certificate().value();
        EXPECT_EQ(late.signatures.size(), 5u);
        EXPECT_EQ(
            contract.submit(late.height, late.block_hash, late.state_root, late.signer_set, late.signatures)
                .error(),
            Reason::kAlreadyCheckpointed);
    }
    EXPECT_EQ(contract.last_height(), 240u);
}

}  // namespace
}  // namespace cl::checkpoint
