// The governance contract and the reward token (shared/spec/promo-pool.md §2, §4).
#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "protocol/core/keccak.hpp"
#include "protocol/state/store.hpp"
#include "tests/state/ledger_fixture.hpp"

namespace cl::state {
namespace {

using namespace testing;

const Actor kCloudD = actor("cloud-d/operator");
const Actor kValidatorD = actor("cloud-d/validator");

RegisterCloudCall registration(std::string name, const Address& validator,
                               const PrivateKey& signer = kNotary.key, std::uint64_t chain_id = kChainId) {
    return RegisterCloudCall{name, validator, sign(attestation_hash(chain_id, name, validator), signer)};
}

TEST(Governance, GenesisCloudsAreActiveWithTheirQuotas) {
    Ledger l;
    const auto clouds = l.state.clouds();
    ASSERT_EQ(clouds.size(), 3u);
    EXPECT_EQ(clouds[0].name, "cloud-a");
    EXPECT_EQ(clouds[0].status, CloudStatus::kActive);
    EXPECT_EQ(clouds[2].region, "ap-south");
    EXPECT_EQ(l.state.quota(0, kSmall).quota, 4u);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 6u);
    EXPECT_EQ(l.state.tier(kLarge).capacity, 3u);
    EXPECT_TRUE(l.state.pending_validators().empty());
}

TEST(Governance, RegisterWithNotaryAttestationMakesCloudPending) {
    Ledger l;
    const Receipt r = l.run(kCloudD, registration("cloud-d", kValidatorD.address));
    ASSERT_EQ(r.reason, Reason::kNone);
    const auto clouds = l.state.clouds();
    ASSERT_EQ(clouds.size(), 4u);
    EXPECT_EQ(clouds[3].status, CloudStatus::kPending);
    EXPECT_EQ(clouds[3].operator_address, kCloudD.address);
    EXPECT_EQ(l.state.pending_validators(), std::vector<Address>{kValidatorD.address});
    EXPECT_EQ(r.events.at(0).kind, EventKind::kCloudRegistered);
    // Pending clouds may not act yet.
    EXPECT_EQ(l.run(kCloudD, SetQuotaCall{kSmall, 5}).reason, Reason::kNotMember);
}

TEST(Governance, RegisterRejectsBadAttestations) {
    Ledger l;
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kValidatorD.address, kAlice.key)).reason,
              Reason::kBadAttestation)
        << "signed by someone other than the notary";
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kValidatorD.address, kNotary.key, kChainId + 1)).reason,
              Reason::kBadAttestation)
        << "attestation for another chain";
    RegisterCloudCall swapped = registration("cloud-d", kValidatorD.address);
    swapped.validator = kBob.address;
    EXPECT_EQ(l.run(kCloudD, swapped).reason, Reason::kBadAttestation) << "attestation for another validator";
    RegisterCloudCall garbage = registration("cloud-d", kValidatorD.address);
    garbage.attestation.bytes[64] = 9;
    EXPECT_EQ(l.run(kCloudD, garbage).reason, Reason::kBadAttestation) << "unrecoverable signature";
    EXPECT_EQ(l.state.clouds().size(), 3u);
}

TEST(Governance, RegisterRejectsDuplicates) {
    Ledger l;
    EXPECT_EQ(l.run(kCloudD, registration("cloud-a", kValidatorD.address)).reason,
              Reason::kAlreadyRegistered);
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kValidatorA.address)).reason,
              Reason::kAlreadyRegistered);
    EXPECT_EQ(l.run(kCloudA, registration("cloud-d", kValidatorD.address)).reason,
              Reason::kAlreadyRegistered);
    EXPECT_EQ(l.run(kCloudD, registration("", kValidatorD.address)).reason, Reason::kAlreadyRegistered);
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kCloudD.address)).reason, Reason::kAlreadyRegistered)
        << "a cloud's validator must not be its own operator";
}

TEST(Governance, RegisterRejectsAddressesUsedInAnotherRole) {
    Ledger l;
    EXPECT_EQ(l.run(kValidatorA, registration("cloud-d", kValidatorD.address)).reason,
              Reason::kAlreadyRegistered)
        << "the operator is another cloud's validator";
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kCloudA.address)).reason, Reason::kAlreadyRegistered)
        << "the validator is another cloud's operator";
    EXPECT_EQ(l.state.clouds().size(), 3u);
    EXPECT_EQ(l.run(kCloudD, registration("cloud-d", kValidatorD.address)).reason, Reason::kNone);
}

TEST(Governance, SignerVoteActivatesAndRemovesClouds) {
    Ledger l;
    l.run(kCloudD, registration("cloud-d", kValidatorD.address));
    l.signers.push_back(kValidatorD.address);  // the Clique vote passed
    const BlockResult joined = l.block({});
    EXPECT_EQ(l.state.clouds()[3].status, CloudStatus::kActive);
    ASSERT_EQ(joined.block_events.size(), 1u);
    EXPECT_EQ(joined.block_events[0].kind, EventKind::kCloudActivated);
    EXPECT_EQ(l.run(kCloudD, SetQuotaCall{kSmall, 5}).reason, Reason::kNone);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 11u);

    l.signers.erase(l.signers.begin());  // cloud-a's validator voted out
    const BlockResult left = l.block({});
    EXPECT_EQ(l.state.clouds()[0].status, CloudStatus::kRemoved);
    EXPECT_EQ(left.block_events.at(0).kind, EventKind::kCloudRemoved);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 11u) << "a removed cloud's quota stays committed";
    auto code = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({code});
    EXPECT_EQ(l.run(kCloudA, RedeemCall{code.hash}).reason, Reason::kNotMember);
    EXPECT_EQ(l.run(kCloudA, SetQuotaCall{kSmall, 9}).reason, Reason::kNotMember);
    l.signers.insert(l.signers.begin(), kValidatorA.address);
    l.block({});
    EXPECT_EQ(l.state.clouds()[0].status, CloudStatus::kRemoved) << "removal is final";
}

TEST(Governance, SetQuotaRules) {
    Ledger l;
    EXPECT_EQ(l.run(kAlice, SetQuotaCall{kSmall, 5}).reason, Reason::kNotMember);
    EXPECT_EQ(l.run(kCloudA, SetQuotaCall{5, 5}).reason, Reason::kUnknownTier);
    auto a = l.tx(kAlice, RequestCall{kSmall, {}});
    auto b = l.tx(kBob, RequestCall{kSmall, {}});
    auto c = l.tx(kCarol, RequestCall{kSmall, {}});
    l.block({a, b, c});
    l.block({l.tx(kCloudB, RedeemCall{a.hash}), l.tx(kCloudB, RedeemCall{b.hash})});
    EXPECT_EQ(l.run(kCloudB, SetQuotaCall{kSmall, 1}).reason, Reason::kQuotaBelowUsed);
    // small: capacity 6, used 3 (1 live + 2 redeemed by b). a cutting 4 → 0 leaves 2 < 3.
    EXPECT_EQ(l.run(kCloudA, SetQuotaCall{kSmall, 0}).reason, Reason::kCapacityInUse);
    const Receipt ok = l.run(kCloudA, SetQuotaCall{kSmall, 1});
    ASSERT_EQ(ok.reason, Reason::kNone);
    EXPECT_EQ(ok.events.at(0).kind, EventKind::kQuotaSet);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 3u);
    EXPECT_EQ(l.run(actor("dave"), RequestCall{kSmall, {}}).reason, Reason::kPoolExhausted);
}

TEST(Governance, SetQuotaCannotOverflowTheTierCapacity) {
    Ledger l;
    const Receipt r = l.run(kCloudA, SetQuotaCall{kSmall, std::numeric_limits<std::uint64_t>::max()});
    EXPECT_EQ(r.reason, Reason::kQuotaTooLarge);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 6u);
    // The largest amount that fits is accepted.
    const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - 2;  // cloud-b holds 2
    EXPECT_EQ(l.run(kCloudA, SetQuotaCall{kSmall, room}).reason, Reason::kNone);
    EXPECT_EQ(l.state.tier(kSmall).capacity, std::numeric_limits<std::uint64_t>::max());
}

TEST(RewardToken, TransferApproveTransferFrom) {
    Ledger l;
    auto code = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({code});
    l.run(kCloudA, RedeemCall{code.hash});  // alice: 5 tokens
    EXPECT_EQ(l.run(kBob, TokenTransferCall{kAlice.address, 1}).reason, Reason::kInsufficientBalance);
    Receipt sent = l.run(kAlice, TokenTransferCall{kBob.address, 2});
    ASSERT_EQ(sent.reason, Reason::kNone);
    EXPECT_EQ(sent.events.at(0),
              (Event{EventKind::kTokenTransfer, Hash32{}, kAlice.address, kBob.address, 0, 2}));
    EXPECT_EQ(l.state.account(kAlice.address).balance, 3u);
    EXPECT_EQ(l.state.account(kBob.address).balance, 2u);

    EXPECT_EQ(l.run(kCarol, TransferFromCall{kAlice.address, kCarol.address, 1}).reason,
              Reason::kInsufficientAllowance);
    Receipt approved = l.run(kAlice, ApproveCall{kCarol.address, 2});
    EXPECT_EQ(approved.events.at(0),
              (Event{EventKind::kApproval, Hash32{}, kAlice.address, kCarol.address, 0, 2}));
    EXPECT_EQ(l.state.allowance(kAlice.address, kCarol.address), 2u);
    EXPECT_EQ(l.run(kCarol, TransferFromCall{kAlice.address, kCarol.address, 3}).reason,
              Reason::kInsufficientAllowance);
    EXPECT_EQ(l.run(kCarol, TransferFromCall{kAlice.address, kCarol.address, 2}).reason, Reason::kNone);
    EXPECT_EQ(l.state.allowance(kAlice.address, kCarol.address), 0u);
    EXPECT_EQ(l.state.account(kCarol.address).balance, 2u);
    EXPECT_EQ(l.state.account(kAlice.address).balance, 1u);
    EXPECT_EQ(l.state.total_supply(), 5u);

    // Allowance above the balance: the balance check fails and the allowance is kept.
    l.run(kAlice, ApproveCall{kCarol.address, 4});
    EXPECT_EQ(l.run(kCarol, TransferFromCall{kAlice.address, kBob.address, 4}).reason,
              Reason::kInsufficientBalance);
    EXPECT_EQ(l.state.allowance(kAlice.address, kCarol.address), 4u);
    // The maximum allowance is unlimited.
    l.run(kBob, ApproveCall{kCarol.address, std::numeric_limits<std::uint64_t>::max()});
    EXPECT_EQ(l.run(kCarol, TransferFromCall{kBob.address, kCarol.address, 1}).reason, Reason::kNone);
    EXPECT_EQ(l.state.allowance(kBob.address, kCarol.address), std::numeric_limits<std::uint64_t>::max());
}

// §4: transfer_from moves tokens with an ERC-20 Transfer(from, to, amount) event.
TEST(RewardToken, TransferFromEmitsTransfer) {
    Ledger l;
    auto code = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({code});
    l.run(kCloudA, RedeemCall{code.hash});  // alice: 5 tokens
    l.run(kAlice, ApproveCall{kCarol.address, 3});
    const Receipt r = l.run(kCarol, TransferFromCall{kAlice.address, kBob.address, 2});
    ASSERT_EQ(r.reason, Reason::kNone);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0], (Event{EventKind::kTokenTransfer, Hash32{}, kAlice.address, kBob.address, 0, 2}))
        << "from the owner, not the spender";
}

TEST(RewardToken, TransferFromChecksTheAllowanceFirst) {
    Ledger l;  // bob has neither tokens nor an allowance for carol
    EXPECT_EQ(l.run(kCarol, TransferFromCall{kBob.address, kCarol.address, 1}).reason,
              Reason::kInsufficientAllowance);
}

TEST(RewardToken, AnAllowanceSpentInABlockStaysSpentForTheRestOfIt) {
    Ledger l;
    auto code = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({code});
    l.run(kCloudA, RedeemCall{code.hash});  // alice: 5 tokens
    l.run(kAlice, ApproveCall{kCarol.address, 2});
    const BlockResult b = l.block({l.tx(kCarol, TransferFromCall{kAlice.address, kCarol.address, 2}),
                                   l.tx(kCarol, TransferFromCall{kAlice.address, kCarol.address, 1})});
    EXPECT_EQ(b.receipts[0].reason, Reason::kNone);
    EXPECT_EQ(b.receipts[1].reason, Reason::kInsufficientAllowance);
    EXPECT_EQ(l.state.allowance(kAlice.address, kCarol.address), 0u);
    EXPECT_EQ(l.state.account(kAlice.address).balance, 3u);
}

// Entries equal to their default are absent from the trie (docs/ledger.md §6), so the root
// depends only on the non-default entries.
TEST(StateRoot, DefaultEntriesAreAbsent) {
    Ledger l;
    auto stored = [&](const Hash32& key) { return l.state.trie().get(key.view()).has_value(); };
    EXPECT_FALSE(stored(key::quota(2, kSmall))) << "cloud-c's small quota is 0";
    EXPECT_TRUE(stored(key::quota(2, kLarge)));
    ASSERT_EQ(l.run(kCloudB, SetQuotaCall{kSmall, 0}).reason, Reason::kNone);
    EXPECT_FALSE(stored(key::quota(1, kSmall)));
    EXPECT_TRUE(stored(key::tier(kSmall)));

    l.run(kAlice, ApproveCall{kBob.address, 3});
    EXPECT_TRUE(stored(key::allowance(kAlice.address, kBob.address)));
    l.run(kAlice, ApproveCall{kBob.address, 0});
    EXPECT_FALSE(stored(key::allowance(kAlice.address, kBob.address)));

    // The same through the root: approving 3 then 0 leaves the state of approving 0 twice.
    Ledger one, other;
    one.block({one.tx(kAlice, ApproveCall{kBob.address, 3}), one.tx(kAlice, ApproveCall{kBob.address, 0})});
    other.block(
        {other.tx(kAlice, ApproveCall{kCarol.address, 0}), other.tx(kAlice, ApproveCall{kCarol.address, 0})});
    EXPECT_EQ(one.state.root(), other.state.root());
}

TEST(StateStore, RevertDropsTheTransactionsWritesOnly) {
    StateStore store{Trie{}};
    store.set_account(kAlice.address, AccountEntry{1, 0, 0, 0});  // a block-level write
    store.begin_tx();
    store.set_account(kAlice.address, AccountEntry{2, 7, 0, 0});
    store.set_account(kBob.address, AccountEntry{1, 0, 0, 0});
    EXPECT_EQ(store.account(kAlice.address).nonce, 2u) << "a transaction reads its own writes";
    store.revert_tx();
    EXPECT_EQ(store.account(kAlice.address), (AccountEntry{1, 0, 0, 0}));
    EXPECT_EQ(store.account(kBob.address), AccountEntry{});
    store.begin_tx();
    store.set_account(kBob.address, AccountEntry{3, 0, 0, 0});
    store.commit_tx();
    EXPECT_EQ(store.account(kBob.address).nonce, 3u);
    const Trie trie = std::move(store).commit();
    EXPECT_EQ(StateStore(trie).account(kAlice.address), (AccountEntry{1, 0, 0, 0}));
    EXPECT_EQ(StateStore(trie).account(kBob.address), (AccountEntry{3, 0, 0, 0}));
}

TEST(Block, ReplayAndNonceGapsMakeTheBlockInvalid) {
    Ledger l;
    auto first = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({first});
    auto replay = l.try_block({first});
    ASSERT_FALSE(replay.has_value());
    EXPECT_EQ(replay.error().reason, InvalidReason::kWrongNonce);
    auto gap = l.try_block({l.tx(kAlice, RequestCall{kSmall, {}}, 5)});
    ASSERT_FALSE(gap.has_value());
    EXPECT_EQ(gap.error().reason, InvalidReason::kWrongNonce);
    auto other_chain = l.try_block({l.tx(kBob, RequestCall{kSmall, {}}, 0, kChainId + 1)});
    ASSERT_FALSE(other_chain.has_value());
    EXPECT_EQ(other_chain.error().reason, InvalidReason::kWrongChainId);
    auto second_bad =
        l.try_block({l.tx(kBob, RequestCall{kSmall, {}}, 0), l.tx(kBob, RequestCall{kSmall, {}}, 0)});
    ASSERT_FALSE(second_bad.has_value());
    EXPECT_EQ(second_bad.error().tx_index, 1u);
}

TEST(Block, MaxTransactionsPerBlock) {
    GenesisConfig c = test_config();
    c.pool.max_txs_per_block = 2;
    Ledger l(c);
    auto too_many =
        l.try_block({l.tx(kAlice, ApproveCall{kBob.address, 1}), l.tx(kBob, ApproveCall{kAlice.address, 1}),
                     l.tx(kCarol, ApproveCall{kAlice.address, 1})});
    ASSERT_FALSE(too_many.has_value());
    EXPECT_EQ(too_many.error().reason, InvalidReason::kTooManyTransactions);
    EXPECT_EQ(too_many.error().tx_index, 2u) << "the first transaction over the cap";
    // Exactly the cap is accepted (the nonces of the refused block were not consumed).
    auto at_cap = l.try_block(
        {l.tx(kAlice, ApproveCall{kBob.address, 1}, 0), l.tx(kBob, ApproveCall{kAlice.address, 1}, 0)});
    ASSERT_TRUE(at_cap.has_value());
    EXPECT_EQ(at_cap->receipts.size(), 2u);
}

TEST(Block, FailedCallLeavesNoStateChangeButTheNonce) {
    Ledger l;
    const Hash32 before = l.state.root();
    const Receipt r = l.run(kAlice, RequestCall{9, {}});
    EXPECT_EQ(r.reason, Reason::kUnknownTier);
    EXPECT_NE(l.state.root(), before);
    AccountEntry expected;
    expected.nonce = 1;
    EXPECT_EQ(l.state.account(kAlice.address), expected);
}

TEST(Block, EmptyBlockKeepsTheRoot) {
    Ledger l;
    const Hash32 before = l.state.root();
    l.block({});
    EXPECT_EQ(l.state.root(), before);
}

TEST(Block, OrderedRootMatchesEthereum) {
    EXPECT_EQ(ordered_root({}).hex(), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
}

// The tries written out by hand (Yellow Paper appendix D). Keys are rlp(index): 0 → 0x80
// (nibbles 8 0), 1 → 0x01 (nibbles 0 1).
TEST(Block, OrderedRootOfOneAndTwoItems) {
    // One item: a leaf with the whole path, hex-prefix 0x20 0x80 (even, leaf):
    // rlp([0x2080, 0x00aabb]) = c7 82 20 80 83 00 aa bb.
    const Bytes leaf = from_hex("c78220808300aabb").value();
    EXPECT_EQ(ordered_root(std::vector<Bytes>{{0x00, 0xaa, 0xbb}}), keccak256(leaf));
    // Two items: a branch with the leaf of item 1 in slot 0 (rest: nibble 1, prefix 0x31)
    // and the leaf of item 0 in slot 8 (rest: nibble 0, prefix 0x30), both shorter than 32
    // bytes and so inlined: rlp([[0x31, 0xbb], ∅ × 7, [0x30, 0xaa], ∅ × 8]).
    const Bytes branch = from_hex("d7c33181bb80808080808080c33081aa8080808080808080").value();
    EXPECT_EQ(ordered_root(std::vector<Bytes>{{0xaa}, {0xbb}}), keccak256(branch));
}

// A real Ethereum transactionsRoot: block "SimpleTx" of ethereum/tests
// bcValidBlockTest.json, as quoted in go-ethereum core/types/block_test.go
// (TestBlockEncoding): one legacy transaction, header field transactionsRoot.
TEST(Block, OrderedRootIsARealTransactionsRoot) {
    const Bytes tx =
        from_hex(
            "f85f800a82c35094095e7baea6a6c7c4c2dfeb977efac326af552d870a801ba09bea4c4daac7c7c52e093e6a4c35dbbc"
            "f8856f"
            "1af7b059ba20253e70848d094fa08a8fae537ce25ed8cb5af9adac3f141af69bd515bd2ba031522df09b97dd72b1")
            .value();
    EXPECT_EQ(ordered_root(std::vector<Bytes>{tx}).hex(),
              "0x5fe50b260da6308036625b850b5d6ced6d0a9f814c0688bc91ffb7b7a3a54b67");
}

// rlp([status, reason, [[kind, code, from, to, tier, amount], ...]]), byte by byte.
TEST(Receipt, EncodingIsTheHandComputedRlp) {
    Receipt failed;
    failed.status = Status::kFailed;
    failed.reason = Reason::kExpired;  // 10
    EXPECT_EQ(to_hex(encode(failed)), "0xc3800ac0") << "[0 (empty string), 10, []]";

    Address from, to;
    from.bytes.fill(0x11);
    to.bytes.fill(0x22);
    Hash32 code;
    code.bytes.fill(0x33);
    Receipt ok;
    ok.events = {Event{EventKind::kRedeemed, code, from, to, 1, 0},                   // kind 1
                 Event{EventKind::kTokenTransfer, Hash32{}, Address{}, to, 0, 300}};  // kind 5, mint
    // Event 1: 01, a0 33×32, 94 11×20, 94 22×20, 01, 80 → 78 bytes → f8 4e.
    // Event 2: 05, a0 00×32, 94 00×20, 94 22×20, 80, 82 01 2c → 80 bytes → f8 50.
    // Events: 80 + 82 = 162 bytes → f8 a2. Receipt: 01, 80, events (164) = 166 → f8 a6.
    auto rep = [](const char* byte, int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += byte;
        return s;
    };
    const std::string event1 =
        "f84e01a0" + rep("33", 32) + "94" + rep("11", 20) + "94" + rep("22", 20) + "0180";
    const std::string event2 =
        "f85005a0" + rep("00", 32) + "94" + rep("00", 20) + "94" + rep("22", 20) + "8082012c";
    EXPECT_EQ(to_hex(encode(ok)), "0xf8a60180f8a2" + event1 + event2);
}

TEST(Receipt, ReasonNamesAreDistinct) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kReasonCount; ++i) {
        const std::string n = name(static_cast<Reason>(i));
        EXPECT_NE(n, "unknown_reason") << i;
        names.insert(n);
    }
    EXPECT_EQ(names.size(), kReasonCount);
    EXPECT_STREQ(name(Reason::kCloudQuotaExhausted), "cloud_quota_exhausted");
    EXPECT_STREQ(name(Reason::kQuotaTooLarge), "quota_too_large");
    const std::set<std::string> invalid{name(InvalidReason::kWrongChainId), name(InvalidReason::kWrongNonce),
                                        name(InvalidReason::kTooManyTransactions)};
    EXPECT_EQ(invalid.size(), 3u);
}

TEST(Genesis, RejectsInvalidConfigurations) {
    GenesisConfig c = test_config();
    c.tiers.clear();
    EXPECT_EQ(LedgerState::genesis(c).error().field, "tiers");
    c = test_config();
    c.clouds[1].name = "cloud-a";
    EXPECT_EQ(LedgerState::genesis(c).error().field, "clouds[1].name");
    c = test_config();
    c.clouds[1].validator = c.clouds[0].validator;
    EXPECT_EQ(LedgerState::genesis(c).error().field, "clouds[1].validator");
    c = test_config();
    c.clouds[0].quotas = {1, 2, 3};
    EXPECT_EQ(LedgerState::genesis(c).error().field, "clouds[0].quotas");
    c = test_config();
    c.pool.ttl.ttl_blocks = 0;
    EXPECT_EQ(LedgerState::genesis(c).error().field, "pool.ttl.ttl_blocks");
    c = test_config();
    c.pool.ttl.kind = TtlKind::kPerTier;
    EXPECT_EQ(LedgerState::genesis(c).error().field, "pool.ttl.per_tier");
    c.pool.ttl.kind = TtlKind::kAdaptive;
    c.pool.ttl.exponent = 17;
    EXPECT_EQ(LedgerState::genesis(c).error().field, "pool.ttl.exponent");
    c.pool.ttl.exponent = 2;
    c.pool.ttl.base_ttl = 5;
    EXPECT_EQ(LedgerState::genesis(c).error().field, "pool.ttl.base_ttl");
}

TEST(Genesis, RejectsSharedOperatorsAndZeroTtls) {
    auto error_field = [](const GenesisConfig& c) {
        auto genesis = LedgerState::genesis(c);
        return genesis ? std::string("(accepted)") : genesis.error().field;
    };
    GenesisConfig c = test_config();
    c.clouds[1].operator_address = c.clouds[0].operator_address;
    EXPECT_EQ(error_field(c), "clouds[1].operator");
    c = test_config();
    c.clouds[1].operator_address = c.clouds[0].validator;
    EXPECT_EQ(error_field(c), "clouds[1].operator");
    c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.ttl_blocks = 0;
    EXPECT_EQ(error_field(c), "pool.ttl.ttl_blocks");
    c = test_config();
    c.pool.ttl.kind = TtlKind::kPerTier;
    c.pool.ttl.per_tier_blocks = {3, 0};
    EXPECT_EQ(error_field(c), "pool.ttl.per_tier");
    c.pool.ttl.per_tier_blocks = {3, 1};
    EXPECT_TRUE(LedgerState::genesis(c).has_value());
    c = test_config();
    c.pool.ttl = TtlConfig{TtlKind::kAdaptive, 0, {}, 0, 100, 0, 1};
    EXPECT_EQ(error_field(c), "pool.ttl.min_ttl");
}

TEST(Genesis, RejectsQuotasWhoseSumOverflows) {
    auto error_field = [](const GenesisConfig& c) {
        auto genesis = LedgerState::genesis(c);
        return genesis ? std::string("(accepted)") : genesis.error().field;
    };
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    GenesisConfig c = test_config();  // large: 1 + 1 + 1
    c.clouds[1].quotas = {2, kMax - 1};
    EXPECT_EQ(error_field(c), "clouds[2].quotas[1]") << "1 + (2^64 - 2) + 1 wraps at cloud-c";
    c.clouds[2].quotas = {0, 0};
    auto genesis = LedgerState::genesis(c);  // exactly 2^64 - 1 fits
    ASSERT_TRUE(genesis.has_value());
    EXPECT_EQ(genesis->tier(kLarge).capacity, kMax);
    c.clouds[2].quotas = {kMax - 5, 0};  // small: 4 + 2 + (2^64 - 6) wraps
    EXPECT_EQ(error_field(c), "clouds[2].quotas[0]");
}

TEST(Genesis, BoundsEveryTtl) {
    auto error_field = [](const GenesisConfig& c) {
        auto genesis = LedgerState::genesis(c);
        return genesis ? std::string("(accepted)") : genesis.error().field;
    };
    GenesisConfig c = test_config();
    c.pool.ttl.ttl_blocks = kMaxTtlBlocks + 1;
    EXPECT_EQ(error_field(c), "pool.ttl.ttl_blocks");
    c.pool.ttl.kind = TtlKind::kRenewable;
    EXPECT_EQ(error_field(c), "pool.ttl.ttl_blocks");
    c.pool.ttl.ttl_blocks = kMaxTtlBlocks;
    EXPECT_EQ(error_field(c), "(accepted)");
    c = test_config();
    c.pool.ttl.kind = TtlKind::kPerTier;
    c.pool.ttl.per_tier_blocks = {kMaxTtlBlocks, kMaxTtlBlocks + 1};
    EXPECT_EQ(error_field(c), "pool.ttl.per_tier");
    c = test_config();
    c.pool.ttl = TtlConfig{TtlKind::kAdaptive, 0, {}, 0, kMaxTtlBlocks + 1, 10, 1};
    EXPECT_EQ(error_field(c), "pool.ttl.base_ttl");
    c.pool.ttl.base_ttl = kMaxTtlBlocks;
    EXPECT_EQ(error_field(c), "(accepted)");
}

// §3 expires_at = issued_at + ttl never wraps: the largest ttl from block 1 is exact, and
// near the end of the uint64 block range the expiry height saturates.
TEST(Genesis, ExpiryHeightNeverWraps) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.max_renewals = 1;
    c.pool.ttl.ttl_blocks = kMaxTtlBlocks;
    Ledger l(c);
    auto code = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({code});
    EXPECT_EQ(l.state.code(code.hash)->expires_at, 1 + kMaxTtlBlocks);

    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    l.state = LedgerState::from_trie(l.state, l.state.trie(), kMax - 10);
    auto late = l.tx(kBob, RequestCall{kSmall, {}});
    l.block({late});  // block 2^64 - 10
    EXPECT_EQ(l.state.code(late.hash)->expires_at, kMax);
    ASSERT_EQ(l.run(kAlice, RenewCall{code.hash}).reason, Reason::kNone);
    EXPECT_EQ(l.state.code(code.hash)->expires_at, kMax) << "renewal saturates too";
}

TEST(Genesis, EverySettingIsCommittedByTheRoot) {
    using Change = void (*)(GenesisConfig&);
    const Change changes[] = {
        [](GenesisConfig& c) { c.chain_id += 1; },
        [](GenesisConfig& c) { c.notary = kAlice.address; },
        [](GenesisConfig& c) { c.tiers[1].hours = 12; },
        [](GenesisConfig& c) { c.clouds[2].region = "ap-east"; },
        [](GenesisConfig& c) { c.clouds[2].quotas[1] = 2; },
        [](GenesisConfig& c) {
            c.pool.ttl.kind = TtlKind::kPerTier;
            c.pool.ttl.per_tier_blocks = {10, 10};
        },
        [](GenesisConfig& c) { c.pool.ttl.ttl_blocks = 11; },
        [](GenesisConfig& c) { c.pool.ttl.max_renewals += 1; },
        [](GenesisConfig& c) { c.pool.ttl.base_ttl += 1; },
        [](GenesisConfig& c) { c.pool.ttl.min_ttl += 1; },
        [](GenesisConfig& c) { c.pool.ttl.exponent = 2; },
        [](GenesisConfig& c) { c.pool.per_user_live.reset(); },
        [](GenesisConfig& c) { c.pool.per_user_live = 0; },
        [](GenesisConfig& c) { c.pool.per_user_lifetime = 3; },
        [](GenesisConfig& c) { c.pool.per_block_issue_cap = 3; },
        [](GenesisConfig& c) { c.pool.max_txs_per_block = 3; },
        [](GenesisConfig& c) { c.pool.max_transfers = 2; },
        [](GenesisConfig& c) { c.pool.reward_per_redeem = 6; },
        [](GenesisConfig& c) { c.pool.reclaim = false; },
    };
    std::set<Hash32> roots{LedgerState::genesis(test_config()).value().root()};
    for (std::size_t i = 0; i < std::size(changes); ++i) {
        GenesisConfig c = test_config();
        changes[i](c);
        EXPECT_TRUE(roots.insert(LedgerState::genesis(c).value().root()).second) << "change " << i;
    }
}

TEST(Genesis, ConfigurationIsCommittedByTheRoot) {
    GenesisConfig c = test_config();
    const Hash32 root = LedgerState::genesis(c).value().root();
    EXPECT_EQ(LedgerState::genesis(c).value().root(), root);
    c.pool.reward_per_redeem = 6;
    EXPECT_NE(LedgerState::genesis(c).value().root(), root);
}

}  // namespace
}  // namespace cl::state
