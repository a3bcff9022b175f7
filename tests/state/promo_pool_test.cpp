// The promo pool contract, rule by rule (shared/spec/promo-pool.md §3).
#include <gtest/gtest.h>

#include "tests/state/ledger_fixture.hpp"

namespace cl::state {
namespace {

using namespace testing;

Hash32 request(Ledger& l, const Actor& user, std::uint64_t tier = kSmall) {
    auto tx = l.tx(user, RequestCall{tier, {}});
    const Receipt r = l.block({tx}).receipts.at(0);
    EXPECT_EQ(r.reason, Reason::kNone);
    return tx.hash;
}

TEST(PromoPool, RequestIssuesCodeWithTransactionHashAsId) {
    Ledger l;
    auto tx = l.tx(kAlice, RequestCall{kSmall, {}});
    const BlockResult b = l.block({tx});
    ASSERT_EQ(b.receipts.at(0).status, Status::kSuccess);
    const CodeEntry code = l.state.code(tx.hash).value();
    EXPECT_EQ(code.owner, kAlice.address);
    EXPECT_EQ(code.tier, kSmall);
    EXPECT_EQ(code.issued_at, 1u);
    EXPECT_EQ(code.expires_at, 11u);
    EXPECT_EQ(code.status, CodeStatus::kIssued);
    EXPECT_EQ(l.state.tier(kSmall).live, 1u);
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 1u);
    EXPECT_EQ(l.state.account(kAlice.address).requests, 1u);
    EXPECT_EQ(l.state.account(kAlice.address).nonce, 1u);
    ASSERT_EQ(b.receipts[0].events.size(), 1u);
    EXPECT_EQ(b.receipts[0].events[0].kind, EventKind::kIssued);
    EXPECT_EQ(b.receipts[0].events[0].code, tx.hash);
    EXPECT_EQ(b.receipts[0].events[0].amount, 11u);
}

TEST(PromoPool, RequestUnknownTier) {
    Ledger l;
    EXPECT_EQ(l.run(kAlice, RequestCall{2, {}}).reason, Reason::kUnknownTier);
    EXPECT_EQ(l.state.account(kAlice.address).nonce, 1u) << "a failed call still consumes its nonce";
}

TEST(PromoPool, RequestPoolExhausted) {
    Ledger l;  // large: capacity 3
    request(l, kAlice, kLarge);
    request(l, kBob, kLarge);
    request(l, kCarol, kLarge);
    const Receipt r = l.run(kAlice, RequestCall{kLarge, {}});
    EXPECT_EQ(r.reason, Reason::kPoolExhausted);
    EXPECT_EQ(r.status, Status::kFailed);
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(l.state.tier(kLarge).live, 3u);
}

TEST(PromoPool, RequestUserLiveLimit) {
    GenesisConfig c = test_config();
    c.clouds[0].quotas = {10, 1};
    Ledger l(c);
    for (int i = 0; i < 3; ++i) request(l, kAlice);
    EXPECT_EQ(l.run(kAlice, RequestCall{kSmall, {}}).reason, Reason::kUserLimit);
    c.pool.per_user_live.reset();  // switched off
    Ledger unlimited(c);
    for (int i = 0; i < 4; ++i) request(unlimited, kAlice);
}

TEST(PromoPool, RequestUserLifetimeLimit) {
    GenesisConfig c = test_config();
    c.pool.per_user_lifetime = 2;
    Ledger l(c);
    const Hash32 first = request(l, kAlice);
    request(l, kAlice);
    l.run(kCloudA, RedeemCall{first});  // live codes drop, lifetime count does not
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 1u);
    EXPECT_EQ(l.run(kAlice, RequestCall{kSmall, {}}).reason, Reason::kUserLimit);
}

TEST(PromoPool, RequestBlockCap) {
    GenesisConfig c = test_config();
    c.pool.per_block_issue_cap = 2;
    Ledger l(c);
    auto b = l.block({l.tx(kAlice, RequestCall{kSmall, {}}), l.tx(kBob, RequestCall{kSmall, {}}),
                      l.tx(kCarol, RequestCall{kSmall, {}})});
    EXPECT_EQ(b.receipts[0].reason, Reason::kNone);
    EXPECT_EQ(b.receipts[1].reason, Reason::kNone);
    EXPECT_EQ(b.receipts[2].reason, Reason::kBlockCap);
    EXPECT_EQ(l.run(kCarol, RequestCall{kSmall, {}}).reason, Reason::kNone) << "the cap is per block";
}

TEST(PromoPool, FailedRequestsDoNotCountTowardTheBlockCap) {
    GenesisConfig c = test_config();
    c.pool.per_block_issue_cap = 1;
    Ledger l(c);
    auto b = l.block({l.tx(kAlice, RequestCall{7, {}}), l.tx(kBob, RequestCall{kSmall, {}})});
    EXPECT_EQ(b.receipts[0].reason, Reason::kUnknownTier);
    EXPECT_EQ(b.receipts[1].reason, Reason::kNone);
}

TEST(PromoPool, RedeemMintsRewardToOwner) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    const Receipt r = l.run(kCloudB, RedeemCall{code});
    ASSERT_EQ(r.reason, Reason::kNone);
    const CodeEntry entry = l.state.code(code).value();
    EXPECT_EQ(entry.status, CodeStatus::kRedeemed);
    EXPECT_EQ(entry.redeemed_by, kCloudB.address);
    EXPECT_EQ(l.state.quota(1, kSmall).redeemed, 1u);
    EXPECT_EQ(l.state.tier(kSmall).live, 0u);
    EXPECT_EQ(l.state.tier(kSmall).redeemed, 1u);
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 0u);
    EXPECT_EQ(l.state.account(kAlice.address).balance, 5u);
    EXPECT_EQ(l.state.total_supply(), 5u);
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.events[0].kind, EventKind::kRedeemed);
    EXPECT_EQ(r.events[1].kind, EventKind::kTokenTransfer);
    EXPECT_EQ(r.events[1].from, Address{}) << "mint is a Transfer from the zero address";
    EXPECT_EQ(r.events[1].to, kAlice.address);
    EXPECT_EQ(r.events[1].amount, 5u);
}

TEST(PromoPool, RedeemFailures) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    EXPECT_EQ(l.run(kCloudA, RedeemCall{Hash32{}}).reason, Reason::kUnknownCode);
    EXPECT_EQ(l.run(kBob, RedeemCall{code}).reason, Reason::kNotMember);
    EXPECT_EQ(l.run(kValidatorA, RedeemCall{code}).reason, Reason::kNotMember) << "the operator redeems";
    EXPECT_EQ(l.run(kCloudC, RedeemCall{code}).reason, Reason::kCloudQuotaExhausted)
        << "c has no small quota";
    EXPECT_EQ(l.run(kCloudA, RedeemCall{code}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kCloudB, RedeemCall{code}).reason, Reason::kAlreadyRedeemed);
    EXPECT_EQ(l.state.tier(kSmall).redeemed, 1u);
}

TEST(PromoPool, RedeemCloudQuotaExhaustedOnceUsedUp) {
    Ledger l;  // cloud-b: small quota 2
    const Hash32 first = request(l, kAlice);
    const Hash32 second = request(l, kAlice);
    const Hash32 third = request(l, kAlice);
    EXPECT_EQ(l.run(kCloudB, RedeemCall{first}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kCloudB, RedeemCall{second}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kCloudB, RedeemCall{third}).reason, Reason::kCloudQuotaExhausted)
        << "redeemed[b][small] reached quota[b][small]";
    EXPECT_EQ(l.state.quota(1, kSmall).redeemed, 2u);
    EXPECT_EQ(l.state.code(third)->status, CodeStatus::kIssued);
    EXPECT_EQ(l.run(kCloudA, RedeemCall{third}).reason, Reason::kNone) << "another cloud still has quota";
}

TEST(PromoPool, RedeemTwiceInOneBlockFailsTheSecond) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    auto b = l.block({l.tx(kCloudA, RedeemCall{code}), l.tx(kCloudB, RedeemCall{code})});
    EXPECT_EQ(b.receipts[0].reason, Reason::kNone);
    EXPECT_EQ(b.receipts[1].reason, Reason::kAlreadyRedeemed);
}

TEST(PromoPool, RedeemAndRequestInTheSameBlock) {
    Ledger l;
    auto req = l.tx(kAlice, RequestCall{kSmall, {}});
    auto b = l.block({req, l.tx(kCloudA, RedeemCall{req.hash})});
    EXPECT_EQ(b.receipts[1].reason, Reason::kNone);
}

TEST(PromoPool, CodeExpiresAtTheEndOfItsExpiryBlock) {
    Ledger l;
    const Hash32 code = request(l, kAlice);  // block 1, expires_at 11
    l.advance_to(10);
    EXPECT_EQ(l.state.code(code)->status, CodeStatus::kIssued);
    // Still usable during block 11 itself; expired at its end.
    auto redeem_in_11 = l.try_block({l.tx(kCloudA, RedeemCall{code})});
    ASSERT_TRUE(redeem_in_11.has_value());
    EXPECT_EQ(redeem_in_11->receipts[0].reason, Reason::kNone);
    const BlockResult b = l.block({});  // block 11 without the redeem (the nonce 0 tx was not applied)
    EXPECT_EQ(l.state.code(code)->status, CodeStatus::kExpired);
    EXPECT_EQ(l.state.tier(kSmall).live, 0u);
    EXPECT_EQ(l.state.tier(kSmall).burned, 0u) << "reclaim: the unit returns to the pool";
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 0u);
    ASSERT_EQ(b.block_events.size(), 1u);
    EXPECT_EQ(b.block_events[0].kind, EventKind::kExpired);
    EXPECT_EQ(b.block_events[0].code, code);
    EXPECT_EQ(l.run(kCloudB, RedeemCall{code}).reason, Reason::kExpired);
}

TEST(PromoPool, ReclaimFalseBurnsExpiredUnits) {
    GenesisConfig c = test_config();
    c.pool.reclaim = false;
    Ledger l(c);
    request(l, kAlice, kLarge);
    l.advance_to(11);
    EXPECT_EQ(l.state.tier(kLarge).live, 0u);
    EXPECT_EQ(l.state.tier(kLarge).burned, 1u);
    request(l, kAlice, kLarge);
    request(l, kBob, kLarge);
    EXPECT_EQ(l.run(kCarol, RequestCall{kLarge, {}}).reason, Reason::kPoolExhausted)
        << "the burned unit does not come back";
}

TEST(PromoPool, ReclaimReturnsExpiredUnits) {
    Ledger l;
    request(l, kAlice, kLarge);
    request(l, kBob, kLarge);
    request(l, kCarol, kLarge);
    EXPECT_EQ(l.run(kAlice, RequestCall{kLarge, {}}).reason, Reason::kPoolExhausted);
    l.advance_to(11);  // alice's code (block 1) expired
    EXPECT_EQ(l.run(kAlice, RequestCall{kLarge, {}}).reason, Reason::kNone);
}

TEST(PromoPool, TransferMovesOwnershipWithoutRestartingTtl) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    const Receipt r = l.run(kAlice, TransferCodeCall{code, kBob.address});
    ASSERT_EQ(r.reason, Reason::kNone);
    const CodeEntry entry = l.state.code(code).value();
    EXPECT_EQ(entry.owner, kBob.address);
    EXPECT_EQ(entry.transfers, 1u);
    EXPECT_EQ(entry.expires_at, 11u);
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 0u);
    EXPECT_EQ(l.state.account(kBob.address).live_codes, 1u);
    EXPECT_EQ(l.state.account(kBob.address).requests, 0u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].kind, EventKind::kTransferred);
    // The reward goes to the current owner.
    l.run(kCloudA, RedeemCall{code});
    EXPECT_EQ(l.state.account(kBob.address).balance, 5u);
}

TEST(PromoPool, TransferFailures) {
    GenesisConfig c = test_config();
    c.clouds[0].quotas = {10, 1};
    Ledger l(c);
    const Hash32 code = request(l, kAlice);
    EXPECT_EQ(l.run(kAlice, TransferCodeCall{Hash32{}, kBob.address}).reason, Reason::kUnknownCode);
    EXPECT_EQ(l.run(kBob, TransferCodeCall{code, kCarol.address}).reason, Reason::kNotOwner);
    for (int i = 0; i < 3; ++i) request(l, kCarol);
    EXPECT_EQ(l.run(kAlice, TransferCodeCall{code, kCarol.address}).reason, Reason::kUserLimit)
        << "the recipient already holds per_user_live codes";
    ASSERT_EQ(l.run(kAlice, TransferCodeCall{code, kBob.address}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kBob, TransferCodeCall{code, kAlice.address}).reason, Reason::kTransferLimit);
    const Hash32 redeemed = request(l, kAlice);
    l.run(kCloudA, RedeemCall{redeemed});
    EXPECT_EQ(l.run(kAlice, TransferCodeCall{redeemed, kBob.address}).reason, Reason::kAlreadyRedeemed);
    const Hash32 expiring = request(l, kAlice);
    l.advance_to(l.state.code(expiring)->expires_at);
    EXPECT_EQ(l.run(kAlice, TransferCodeCall{expiring, kBob.address}).reason, Reason::kExpired);
}

TEST(PromoPool, TransferToOneselfCountsAndMovesNothing) {
    GenesisConfig c = test_config();
    c.clouds[0].quotas = {10, 1};
    Ledger l(c);
    const Hash32 code = request(l, kAlice);
    request(l, kAlice);
    request(l, kAlice);  // alice holds per_user_live codes
    const Receipt r = l.run(kAlice, TransferCodeCall{code, kAlice.address});
    ASSERT_EQ(r.reason, Reason::kNone) << "the owner's own per_user_live does not apply";
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].kind, EventKind::kTransferred);
    const CodeEntry entry = l.state.code(code).value();
    EXPECT_EQ(entry.owner, kAlice.address);
    EXPECT_EQ(entry.transfers, 1u);
    EXPECT_EQ(entry.expires_at, 11u);
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 3u);
    EXPECT_EQ(l.run(kAlice, TransferCodeCall{code, kBob.address}).reason, Reason::kTransferLimit)
        << "a transfer to oneself counts against max_transfers";
}

TEST(PromoPool, RenewNotAllowedUnderFixedTtl) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    EXPECT_EQ(l.run(kAlice, RenewCall{code}).reason, Reason::kNotRenewable);
}

TEST(PromoPool, RenewRedeemedCodeIsAlreadyRedeemed) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.max_renewals = 1;
    Ledger l(c);
    const Hash32 code = request(l, kAlice);
    ASSERT_EQ(l.run(kCloudA, RedeemCall{code}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kAlice, RenewCall{code}).reason, Reason::kAlreadyRedeemed);
    EXPECT_EQ(l.state.code(code)->renewals, 0u);
}

TEST(PromoPool, RenewExtendsFromTheRenewalBlock) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.max_renewals = 1;
    Ledger l(c);
    const Hash32 code = request(l, kAlice);  // block 1, expires 11
    l.advance_to(6);
    const Receipt r = l.run(kAlice, RenewCall{code});  // block 7 → expires 17
    ASSERT_EQ(r.reason, Reason::kNone);
    EXPECT_EQ(l.state.code(code)->expires_at, 17u);
    EXPECT_EQ(r.events.at(0).kind, EventKind::kRenewed);
    EXPECT_EQ(r.events.at(0).amount, 17u);
    l.advance_to(11);
    EXPECT_EQ(l.state.code(code)->status, CodeStatus::kIssued) << "the old expiry height no longer applies";
    EXPECT_EQ(l.state.tier(kSmall).live, 1u);
    EXPECT_EQ(l.run(kAlice, RenewCall{code}).reason, Reason::kRenewalLimit);
    EXPECT_EQ(l.run(kBob, RenewCall{code}).reason, Reason::kNotOwner);
    EXPECT_EQ(l.run(kAlice, RenewCall{Hash32{}}).reason, Reason::kUnknownCode);
    l.advance_to(17);
    EXPECT_EQ(l.state.code(code)->status, CodeStatus::kExpired);
    EXPECT_EQ(l.state.tier(kSmall).live, 0u);
    EXPECT_EQ(l.run(kAlice, RenewCall{code}).reason, Reason::kExpired);
}

TEST(PromoPool, RenewInTheIssueBlockExpiresOnce) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.max_renewals = 3;
    Ledger l(c);
    auto req = l.tx(kAlice, RequestCall{kSmall, {}});
    l.block({req, l.tx(kAlice, RenewCall{req.hash})});
    EXPECT_EQ(l.state.code(req.hash)->expires_at, 11u);
    l.advance_to(11);
    EXPECT_EQ(l.state.tier(kSmall).live, 0u);
    EXPECT_EQ(l.state.account(kAlice.address).live_codes, 0u);
}

// §3 fixed: "default 5760 = one day at 15 s" when the configuration sets no ttl.
TEST(PromoPool, DefaultFixedTtlIs5760Blocks) {
    GenesisConfig c = test_config();
    c.pool.ttl = TtlConfig{};
    Ledger l(c);
    const Hash32 code = request(l, kAlice);  // block 1
    EXPECT_EQ(l.state.code(code)->expires_at, 1u + 5760u);
}

TEST(PromoPool, PerTierTtl) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kPerTier;
    c.pool.ttl.per_tier_blocks = {3, 8};
    Ledger l(c);
    EXPECT_EQ(l.state.code(request(l, kAlice, kSmall))->expires_at, 4u);
    EXPECT_EQ(l.state.code(request(l, kAlice, kLarge))->expires_at, 10u);
}

TEST(PromoPool, AdaptiveTtlShrinksAsTheTierFills) {
    GenesisConfig c = test_config();
    c.pool.ttl = TtlConfig{TtlKind::kAdaptive, 0, {}, 0, 100, 10, 1};
    c.pool.per_user_live.reset();
    Ledger l(c);  // small: capacity 6
    std::vector<std::uint64_t> ttls;
    for (int i = 0; i < 6; ++i) {
        const Hash32 code = request(l, kAlice);
        ttls.push_back(l.state.code(code)->expires_at - l.state.code(code)->issued_at);
    }
    // round(100 · (1 − used/6)): 100, 83, 67, 50, 33, 17.
    EXPECT_EQ(ttls, (std::vector<std::uint64_t>{100, 83, 67, 50, 33, 17}));
}

TEST(PromoPool, AdaptiveTtlCountsRedeemedAndBurnedUnitsAsUsed) {
    GenesisConfig c = test_config();
    c.pool.ttl = TtlConfig{TtlKind::kAdaptive, 0, {}, 0, 100, 10, 1};
    c.pool.reclaim = false;
    Ledger l(c);  // small: capacity 6
    auto ttl_of = [&](const Hash32& code) {
        return l.state.code(code)->expires_at - l.state.code(code)->issued_at;
    };
    const Hash32 first = request(l, kAlice);
    EXPECT_EQ(ttl_of(first), 100u);
    ASSERT_EQ(l.run(kCloudA, RedeemCall{first}).reason, Reason::kNone);
    const Hash32 second = request(l, kAlice);  // used 1 of 6 (redeemed), nothing live
    EXPECT_EQ(ttl_of(second), 83u);
    l.advance_to(l.state.code(second)->expires_at);
    ASSERT_EQ(l.state.tier(kSmall).burned, 1u);
    const Hash32 third = request(l, kAlice);  // used 2 of 6 (redeemed + burned), nothing live
    EXPECT_EQ(ttl_of(third), 67u);
}

TEST(PromoPool, CodesIssuedInOneBlockAllExpire) {
    Ledger l;
    auto a = l.tx(kAlice, RequestCall{kSmall, {}});
    auto b = l.tx(kBob, RequestCall{kSmall, {}});
    auto c = l.tx(kCarol, RequestCall{kLarge, {}});
    l.block({a, b, c});
    l.advance_to(10);
    const BlockResult end = l.block({});  // block 11
    EXPECT_EQ(end.block_events.size(), 3u);
    for (const auto& tx : {a, b, c}) EXPECT_EQ(l.state.code(tx.hash)->status, CodeStatus::kExpired);
    EXPECT_EQ(l.state.tier(kSmall).live, 0u);
    EXPECT_EQ(l.state.tier(kLarge).live, 0u);
}

// The expiry index of a height is deleted from the state once that height is processed,
// stale entries of renewed codes included (the state holds only what is still scheduled).
TEST(PromoPool, ExpiryIndexIsDeletedOnceProcessed) {
    GenesisConfig c = test_config();
    c.pool.ttl.kind = TtlKind::kRenewable;
    c.pool.ttl.max_renewals = 1;
    Ledger l(c);
    auto scheduled = [&](std::uint64_t height) {
        const Trie& trie = l.state.trie();
        const bool count = trie.get(key::expiry_count(height).view()).has_value();
        EXPECT_EQ(trie.get(key::expiry_slot(height, 0).view()).has_value(), count) << height;
        return count;
    };
    const Hash32 renewed = request(l, kAlice);  // block 1: scheduled at 11
    request(l, kBob);                           // block 2: scheduled at 12
    EXPECT_TRUE(scheduled(11));
    EXPECT_TRUE(scheduled(12));
    ASSERT_EQ(l.run(kAlice, RenewCall{renewed}).reason, Reason::kNone);  // block 3: also scheduled at 13
    EXPECT_TRUE(scheduled(13));
    l.advance_to(12);
    EXPECT_FALSE(scheduled(11)) << "the renewed code's stale entry is deleted too";
    EXPECT_FALSE(scheduled(12));
    EXPECT_TRUE(scheduled(13));
    l.advance_to(13);
    EXPECT_FALSE(scheduled(13));
    EXPECT_EQ(l.state.code(renewed)->status, CodeStatus::kExpired);
}

TEST(PromoPool, UnknownCallsFailButConsumeTheNonce) {
    Ledger l;
    const Transaction base = l.tx(kAlice, RequestCall{kSmall, {}}, 0).tx;
    // Same call, sent to an address that is no contract.
    Transaction t = base;
    t.to = kBob.address;
    auto to_bob = recover_transaction(sign_transaction(t, kAlice.key)).value();
    Transaction m = base;
    m.nonce = 1;
    m.call = encode_call(RedeemCall{});
    m.call[3] = 'x';  // "rxdeem"
    auto unknown_method = recover_transaction(sign_transaction(m, kAlice.key)).value();
    Transaction bad_args = base;
    bad_args.nonce = 2;
    bad_args.call = {0xc8, 0x87, 'r', 'e', 'q', 'u', 'e', 's', 't'};  // no tier
    auto malformed = recover_transaction(sign_transaction(bad_args, kAlice.key)).value();
    auto b = l.block({to_bob, unknown_method, malformed});
    EXPECT_EQ(b.receipts[0].reason, Reason::kUnknownContract);
    EXPECT_EQ(b.receipts[1].reason, Reason::kUnknownMethod);
    EXPECT_EQ(b.receipts[2].reason, Reason::kMalformedCall);
    EXPECT_EQ(l.state.account(kAlice.address).nonce, 3u);
}

TEST(PromoPool, CodeProofVerifiesAgainstTheStateRoot) {
    Ledger l;
    const Hash32 code = request(l, kAlice);
    const auto proof = l.state.prove_code(code);
    auto value = verify_proof(l.state.root(), key::code(code).view(), proof);
    ASSERT_TRUE(value.has_value());
    ASSERT_TRUE(value->has_value());
    EXPECT_EQ(decode_code(**value), l.state.code(code).value());
    auto absent = verify_proof(l.state.root(), key::code(Hash32{}).view(), l.state.prove_code(Hash32{}));
    ASSERT_TRUE(absent.has_value());
    EXPECT_FALSE(absent->has_value());
}

}  // namespace
}  // namespace cl::state
