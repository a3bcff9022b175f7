// The mainchain checkpoint contract (spec/checkpoint.md §3): every rejection reason, the
// conflict evidence, and validator-set changes certified by the old set. Each test
// submits one thing wrong and expects that exact reason, with nothing stored.
#include <gtest/gtest.h>

#include "protocol/checkpoint/contract.hpp"
#include "tests/checkpoint/fixture.hpp"

namespace cl::checkpoint {
namespace {

using test::kChainId;
using test::label;
using test::Validator;

struct ContractTest : ::testing::Test {
    Config config;                                         // interval 120, threshold floor(2N/3)+1
    std::vector<Validator> vs = test::make_validators(4);  // threshold 3
    std::vector<Address> set = test::addresses(vs);
    CheckpointContract contract{config, kChainId, set};

    Hash32 block(std::uint64_t h, const std::string& fork = "") {
        return label("block-" + fork + std::to_string(h));
    }
    Hash32 root(std::uint64_t h, const std::string& fork = "") {
        return label("root-" + fork + std::to_string(h));
    }
    // Submits h signed by `signers` (in that order) over the payload for `signer_set`.
    std::expected<Accepted, Reason> submit(std::uint64_t h, const std::vector<Validator>& signers,
                                           const std::vector<Address>& signer_set,
                                           const std::string& fork = "") {
        const Payload p = test::payload(h, block(h, fork), root(h, fork), signer_set);
        return contract.submit(h, p.block_hash, p.state_root, signer_set, test::sign_all(p, signers));
    }
    std::expected<Accepted, Reason> submit(std::uint64_t h, const std::vector<Validator>& signers) {
        return submit(h, signers, set);
    }
    std::vector<Validator> pick(std::initializer_list<std::size_t> indices) const {
        std::vector<Validator> out;
        for (std::size_t i : indices) out.push_back(vs[i]);
        return out;
    }
};

TEST_F(ContractTest, AcceptsTheNextHeightSignedByThresholdDistinctSortedMembers) {
    EXPECT_EQ(contract.last_height(), 0u);
    EXPECT_EQ(contract.threshold(), 3u);
    const auto r = submit(120, pick({0, 2, 3}));
    ASSERT_TRUE(r.has_value()) << name(r.error());
    EXPECT_EQ(r->height, 120u);
    EXPECT_FALSE(r->validator_set_changed);
    EXPECT_EQ(contract.last_height(), 120u);
    const Checkpoint* cp = contract.checkpoint(120);
    ASSERT_NE(cp, nullptr);
    EXPECT_EQ(cp->block_hash, block(120));
    EXPECT_EQ(cp->state_root, root(120));
    EXPECT_EQ(cp->signer_set_hash, signer_set_hash(set));
    EXPECT_EQ(cp->signers, (std::vector<Address>{vs[0].address, vs[2].address, vs[3].address}));
    // All four sign the next one.
    ASSERT_TRUE(submit(240, pick({0, 1, 2, 3})).has_value());
    EXPECT_EQ(contract.last_height(), 240u);
}

TEST_F(ContractTest, RejectsGapsAndHeightsThatAreNoCheckpoint) {
    EXPECT_EQ(submit(240, pick({0, 1, 2})).error(), Reason::kGap);
    EXPECT_EQ(submit(0, pick({0, 1, 2})).error(), Reason::kNotCheckpointHeight);
    EXPECT_EQ(submit(121, pick({0, 1, 2})).error(), Reason::kNotCheckpointHeight);
    ASSERT_TRUE(submit(120, pick({0, 1, 2})).has_value());
    EXPECT_EQ(submit(360, pick({0, 1, 2})).error(), Reason::kGap);
    EXPECT_EQ(contract.last_height(), 120u);
    EXPECT_EQ(contract.checkpoint(360), nullptr);
}

TEST_F(ContractTest, RejectsTooFewSignatures) {
    EXPECT_EQ(submit(120, pick({0, 1})).error(), Reason::kTooFewSignatures);
    EXPECT_EQ(submit(120, {}).error(), Reason::kTooFewSignatures);
    EXPECT_EQ(contract.last_height(), 0u);
}

TEST_F(ContractTest, RejectsADuplicateSigner) {
    EXPECT_EQ(submit(120, pick({0, 0, 1})).error(), Reason::kDuplicateSigner);
    EXPECT_EQ(submit(120, pick({0, 1, 2, 2})).error(), Reason::kDuplicateSigner);
    EXPECT_EQ(contract.last_height(), 0u);
}

TEST_F(ContractTest, RejectsUnsortedSignatures) {
    EXPECT_EQ(submit(120, pick({1, 0, 2})).error(), Reason::kUnsorted);
    EXPECT_EQ(submit(120, pick({0, 1, 3, 2})).error(), Reason::kUnsorted);
    EXPECT_EQ(contract.last_height(), 0u);
}

TEST_F(ContractTest, RejectsNonMembersAndSignaturesOverAnotherPayload) {
    // An outsider that sorts among the members keeps the order valid: only membership fails.
    auto outsider = test::make_validators(1, "outsider-");
    std::vector<Validator> signers = pick({0, 1, 2});
    signers.push_back(outsider[0]);
    std::sort(signers.begin(), signers.end(),
              [](const Validator& a, const Validator& b) { return a.address < b.address; });
    EXPECT_EQ(submit(120, signers).error(), Reason::kNotMember);
    // Members' signatures over another block recover to unrelated addresses.
    const Payload other = test::payload(120, label("elsewhere"), root(120), set);
    EXPECT_EQ(
        contract.submit(120, block(120), root(120), set, test::sign_all(other, pick({0, 1, 2}))).error(),
        Reason::kNotMember);
    // ... and so do signatures for another chain.
    Payload other_chain = test::payload(120, block(120), root(120), set);
    other_chain.chain_id += 1;
    EXPECT_EQ(contract.submit(120, block(120), root(120), set, test::sign_all(other_chain, pick({0, 1, 2})))
                  .error(),
              Reason::kNotMember);
    EXPECT_EQ(contract.last_height(), 0u);
}

TEST_F(ContractTest, RejectsAMalformedSignature) {
    const Payload p = test::payload(120, block(120), root(120), set);
    auto sigs = test::sign_all(p, pick({0, 1, 2}));
    sigs[1].bytes[64] = 27;  // v must be 0 or 1
    EXPECT_EQ(contract.submit(120, block(120), root(120), set, sigs).error(), Reason::kBadSignature);
    EXPECT_EQ(contract.last_height(), 0u);
}

TEST_F(ContractTest, RejectsAMalformedSignerSet) {
    const Payload p = test::payload(120, block(120), root(120), set);
    const auto sigs = test::sign_all(p, pick({0, 1, 2}));
    auto submit_set = [&](const std::vector<Address>& signer_set) {
        return contract.submit(120, block(120), root(120), signer_set, sigs);
    };
    EXPECT_EQ(submit_set({}).error(), Reason::kBadSignerSet);
    EXPECT_EQ(submit_set({set[1], set[0], set[2], set[3]}).error(), Reason::kBadSignerSet);
    EXPECT_EQ(submit_set({set[0], set[0], set[1], set[2]}).error(), Reason::kBadSignerSet);
    EXPECT_TRUE(submit_set(set).has_value());  // the same signatures with the set they signed
    // A fixed threshold of 3 cannot be met by a set of two.
    Config fixed;
    fixed.threshold = 3;
    CheckpointContract c(fixed, kChainId, set);
    const std::vector<Address> two{set[0], set[1]};
    const Payload p2 = test::payload(120, block(120), root(120), two);
    EXPECT_EQ(c.submit(120, block(120), root(120), two, test::sign_all(p2, pick({0, 1, 2}))).error(),
              Reason::kSignerSetBelowThreshold);
    EXPECT_EQ(c.last_height(), 0u);
}

TEST_F(ContractTest, SecondDifferentSubmissionIsRejectedAndRecordedAsConflictEvidence) {
    ASSERT_TRUE(submit(120, pick({0, 1, 2})).has_value());
    ASSERT_TRUE(submit(240, pick({0, 1, 2})).has_value());
    // The same checkpoint again (a fall-back submitter's): rejected, not evidence.
    EXPECT_EQ(submit(120, pick({1, 2, 3})).error(), Reason::kAlreadyCheckpointed);
    EXPECT_TRUE(contract.conflicts().empty());
    // Another history at 120, signed by 1, 2, 3: rejected and recorded.
    EXPECT_EQ(submit(120, pick({1, 2, 3}), set, "fork-").error(), Reason::kConflict);
    ASSERT_EQ(contract.conflicts().size(), 1u);
    const Conflict& c = contract.conflicts()[0];
    EXPECT_EQ(c.height, 120u);
    EXPECT_EQ(c.block_hash, block(120, "fork-"));
    EXPECT_EQ(c.state_root, root(120, "fork-"));
    EXPECT_EQ(c.signers, (std::vector<Address>{vs[1].address, vs[2].address, vs[3].address}));
    EXPECT_EQ(c.double_signers, (std::vector<Address>{vs[1].address, vs[2].address}));
    // The accepted checkpoint stays.
    EXPECT_EQ(contract.checkpoint(120)->block_hash, block(120));
    EXPECT_EQ(contract.last_height(), 240u);
    // A different state root alone is a conflict too.
    const Payload root_only = test::payload(240, block(240), label("other-root"), set);
    EXPECT_EQ(
        contract.submit(240, block(240), label("other-root"), set, test::sign_all(root_only, pick({0, 1, 2})))
            .error(),
        Reason::kConflict);
    EXPECT_EQ(contract.conflicts().size(), 2u);
}

TEST_F(ContractTest, ConflictWithoutValidSignaturesIsNotEvidence) {
    ASSERT_TRUE(submit(120, pick({0, 1, 2})).has_value());
    EXPECT_EQ(submit(120, pick({1, 2}), set, "fork-").error(), Reason::kTooFewSignatures);
    auto outsiders = test::make_validators(3, "outsider-");
    EXPECT_EQ(submit(120, outsiders, set, "fork-").error(), Reason::kNotMember);
    EXPECT_EQ(submit(120, pick({2, 1, 3}), set, "fork-").error(), Reason::kUnsorted);
    EXPECT_TRUE(contract.conflicts().empty());
}

TEST_F(ContractTest, ValidatorSetChangeIsCertifiedByTheOldSet) {
    // vs[3] leaves, `added` joins: the set at 120 is {0, 1, 2, added}.
    const auto added = test::make_validators(1, "added-");
    std::vector<Validator> next_vs = pick({0, 1, 2});
    next_vs.push_back(added[0]);
    std::sort(next_vs.begin(), next_vs.end(),
              [](const Validator& a, const Validator& b) { return a.address < b.address; });
    const std::vector<Address> next = test::addresses(next_vs);

    // Signed by the new set where it needs its new member: not certified by the old set.
    std::vector<Validator> new_majority{vs[0], vs[1], added[0]};
    std::sort(new_majority.begin(), new_majority.end(),
              [](const Validator& a, const Validator& b) { return a.address < b.address; });
    EXPECT_EQ(submit(120, new_majority, next).error(), Reason::kNotMember);
    EXPECT_EQ(contract.validators(), set);

    // Signed by the old set: accepted, and the new set becomes current.
    const auto r = submit(120, pick({1, 2, 3}), next);
    ASSERT_TRUE(r.has_value()) << name(r.error());
    EXPECT_TRUE(r->validator_set_changed);
    EXPECT_EQ(contract.validators(), next);
    EXPECT_EQ(contract.checkpoint(120)->signer_set_hash, signer_set_hash(next));

    // From now on the removed validator's signature does not count, the added one's does.
    std::vector<Validator> with_removed{vs[0], vs[1], vs[3]};
    EXPECT_EQ(submit(240, with_removed, next).error(), Reason::kNotMember);
    const auto r2 = submit(240, new_majority, next);
    ASSERT_TRUE(r2.has_value()) << name(r2.error());
    EXPECT_FALSE(r2->validator_set_changed);

    // Evidence at 120 is judged against the set that certified 120 (the old set).
    EXPECT_EQ(submit(120, new_majority, next, "fork-").error(), Reason::kNotMember);
    EXPECT_EQ(submit(120, pick({0, 1, 3}), next, "fork-").error(), Reason::kConflict);
    EXPECT_EQ(contract.conflicts().size(), 1u);
}

TEST(CheckpointContractNames, EveryReasonHasASpelling) {
    for (int r = static_cast<int>(Reason::kBadSignerSet); r <= static_cast<int>(Reason::kConflict); ++r)
        EXPECT_STRNE(name(static_cast<Reason>(r)), "unknown");
}

}  // namespace
}  // namespace cl::checkpoint
