// Pool budgets that refill (issue 14; docs/ledger.md "Refilling quotas"): the optional
// pool.refill rule, rule by rule, and a property test over random chains with it on.
#include <gtest/gtest.h>

#include <limits>

#include "protocol/core/split_mix64.hpp"
#include "tests/state/ledger_fixture.hpp"

namespace cl::state {
namespace {

using namespace testing;

GenesisConfig refill_config(std::uint64_t every, RefillAmount kind, std::uint64_t amount = 0) {
    GenesisConfig c = test_config();
    c.pool.refill = RefillConfig{every, kind, amount};
    return c;
}

Hash32 request(Ledger& l, const Actor& user, std::uint64_t tier = kSmall) {
    auto tx = l.tx(user, RequestCall{tier, {}});
    EXPECT_EQ(l.block({tx}).receipts.at(0).reason, Reason::kNone);
    return tx.hash;
}

TEST(PoolRefill, OffByDefaultAndTheGenesisRootIsUnchanged) {
    EXPECT_FALSE(PoolConfig{}.refill.has_value());
    GenesisConfig plain = test_config();
    plain.pool.ttl.max_renewals = 0;  // the default when the root below was pinned
    GenesisConfig refilling = refill_config(5, RefillAmount::kAbsolute, 2);
    refilling.pool.ttl.max_renewals = 0;
    // No refill: the configuration encodes exactly as before refills existed (the pool
    // list ends with `reclaim`), so no existing state root changes.
    // The refill adds one item, [5, 0, 2] (4 bytes), to the pool list.
    EXPECT_EQ(encode(plain).size() + 4, encode(refilling).size());
    EXPECT_EQ(LedgerState::genesis(plain)->root().hex(),
              "0xaf30ea4d74ab3c089ab186d81cdfc581c5d0c59344d85331846d809c1785b22f");
    EXPECT_NE(LedgerState::genesis(plain)->root(), LedgerState::genesis(refilling)->root())
        << "different pool rules, different roots";
    Ledger l;
    l.advance_to(12);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 6u);
    EXPECT_EQ(l.state.quota(0, kSmall).quota, 4u);
}

TEST(PoolRefill, AddsTheAbsoluteAmountAtTheEndOfEveryMultipleOfEvery) {
    Ledger l(refill_config(5, RefillAmount::kAbsolute, 2));
    l.advance_to(4);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 6u);  // 4 + 2 + 0
    const BlockResult b5 = l.block({});            // block 5
    EXPECT_EQ(l.state.quota(0, kSmall).quota, 6u);
    EXPECT_EQ(l.state.quota(1, kSmall).quota, 4u);
    EXPECT_EQ(l.state.quota(2, kSmall).quota, 2u);
    EXPECT_EQ(l.state.quota(2, kLarge).quota, 3u);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 12u);
    EXPECT_EQ(l.state.tier(kLarge).capacity, 9u);
    // One event per cloud and tier, in cloud order then tier order.
    ASSERT_EQ(b5.block_events.size(), 6u);
    EXPECT_EQ(b5.block_events[0].kind, EventKind::kQuotaRefilled);
    EXPECT_EQ(b5.block_events[0].from, kCloudA.address);
    EXPECT_EQ(b5.block_events[1].tier, kLarge);
    EXPECT_EQ(b5.block_events[5].from, kCloudC.address);
    EXPECT_EQ(b5.block_events[5].amount, 2u);
    l.advance_to(9);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 12u);
    l.advance_to(10);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 18u);
    EXPECT_EQ(l.state.quota(0, kSmall).quota, 8u) << "unused budget carries over";
}

TEST(PoolRefill, InitialAddsEachCloudsGenesisQuota) {
    Ledger l(refill_config(3, RefillAmount::kInitial));
    l.advance_to(3);
    EXPECT_EQ(l.state.quota(0, kSmall).quota, 8u);
    EXPECT_EQ(l.state.quota(1, kSmall).quota, 4u);
    EXPECT_EQ(l.state.quota(2, kSmall).quota, 0u);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 12u);
    EXPECT_EQ(l.state.tier(kLarge).capacity, 6u);
    l.advance_to(6);
    EXPECT_EQ(l.state.tier(kSmall).capacity, 18u);
}

TEST(PoolRefill, ServesAgainAfterTheBudgetRanOut) {
    GenesisConfig c = refill_config(8, RefillAmount::kInitial);
    c.pool.ttl.ttl_blocks = 100;
    Ledger l(c);  // large: capacity 3, one per cloud
    const Hash32 a = request(l, kAlice, kLarge);
    const Hash32 b = request(l, kBob, kLarge);
    request(l, kCarol, kLarge);
    EXPECT_EQ(l.run(kAlice, RequestCall{kLarge, {}}).reason, Reason::kPoolExhausted);  // block 4
    EXPECT_EQ(l.run(kCloudA, RedeemCall{a}).reason, Reason::kNone);
    EXPECT_EQ(l.run(kCloudA, RedeemCall{b}).reason, Reason::kCloudQuotaExhausted);
    l.advance_to(8);  // refill at the end of block 8
    EXPECT_EQ(l.run(kCloudA, RedeemCall{b}).reason, Reason::kNone) << "cloud-a's quota was topped up";
    EXPECT_EQ(l.run(kAlice, RequestCall{kLarge, {}}).reason, Reason::kNone) << "the pool grew";
}

TEST(PoolRefill, OnlyActiveCloudsAreRefilled) {
    Ledger l(refill_config(4, RefillAmount::kAbsolute, 1));
    l.advance_to(2);
    l.signers = {kValidatorA.address, kValidatorB.address};  // cloud-c voted out after block 3
    l.advance_to(4);
    EXPECT_EQ(l.state.clouds()[2].status, CloudStatus::kRemoved);
    EXPECT_EQ(l.state.quota(0, kLarge).quota, 2u);
    EXPECT_EQ(l.state.quota(2, kLarge).quota, 1u) << "a removed cloud's quota is frozen";
    EXPECT_EQ(l.state.tier(kLarge).capacity, 5u);
}

TEST(PoolRefill, SaturatesAtTheLargestCapacity) {
    GenesisConfig c =
        refill_config(1, RefillAmount::kAbsolute, std::numeric_limits<std::uint64_t>::max() / 2);
    Ledger l(c);
    l.advance_to(3);
    EXPECT_EQ(l.state.tier(kSmall).capacity, std::numeric_limits<std::uint64_t>::max());
    std::uint64_t sum = 0;
    for (std::uint64_t cloud = 0; cloud < 3; ++cloud) sum += l.state.quota(cloud, kSmall).quota;
    EXPECT_EQ(sum, std::numeric_limits<std::uint64_t>::max()) << "capacity is still the sum of the quotas";
    const BlockResult b = l.block({});
    EXPECT_TRUE(b.block_events.empty()) << "nothing left to add";
}

TEST(PoolRefill, ValidationNamesTheKey) {
    auto field = [](const GenesisConfig& c) {
        auto g = LedgerState::genesis(c);
        return g ? std::string("(accepted)") : g.error().field;
    };
    EXPECT_EQ(field(refill_config(0, RefillAmount::kAbsolute, 1)), "pool.refill.every");
    EXPECT_EQ(field(refill_config(kMaxTtlBlocks + 1, RefillAmount::kAbsolute, 1)), "pool.refill.every");
    EXPECT_EQ(field(refill_config(5, RefillAmount::kAbsolute, 0)), "pool.refill.amount");
    EXPECT_EQ(field(refill_config(5, RefillAmount::kInitial, 0)), "(accepted)");
    EXPECT_EQ(field(refill_config(kMaxTtlBlocks, RefillAmount::kAbsolute, 1)), "(accepted)");
}

TEST(PoolRefill, EventName) { EXPECT_STREQ(name(EventKind::kQuotaRefilled), "quota_refilled"); }

// Property: over random blocks of requests, redemptions, quota changes and expiries with
// refills on, the §3 invariants hold after every block (capacity = Σ quota, redeemed ≤
// quota, live + redeemed + burned ≤ capacity), and at each refill height every active
// cloud's quota grew by exactly its amount beyond what the block's set_quota calls did.
class PoolRefillProperty : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(PoolRefillProperty, InvariantsHoldAndRefillsAddExactlyTheAmount) {
    SplitMix64 rng(GetParam());
    const bool initial = GetParam() % 2 == 0;
    GenesisConfig c = refill_config(7, initial ? RefillAmount::kInitial : RefillAmount::kAbsolute, 3);
    c.pool.ttl.ttl_blocks = 5;
    c.pool.reclaim = GetParam() % 3 != 0;
    Ledger l(c);
    const std::vector<Actor> users = {kAlice, kBob, kCarol};
    const std::vector<Actor> clouds = {kCloudA, kCloudB, kCloudC};
    std::vector<Hash32> codes;
    int refills = 0, served_after_exhaustion = 0;
    bool exhausted = false;
    for (int b = 0; b < 200; ++b) {
        std::vector<RecoveredTransaction> txs;
        bool set_quota = false;
        const std::uint64_t n = uniform_below(rng, 6);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::uint64_t roll = uniform_below(rng, 10);
            if (roll < 5) {
                txs.push_back(l.tx(users[uniform_below(rng, 3)], RequestCall{uniform_below(rng, 2), {}}));
                codes.push_back(txs.back().hash);
            } else if (roll < 9 && !codes.empty()) {
                const Hash32 code =
                    codes[codes.size() - 1 - uniform_below(rng, std::min<std::size_t>(codes.size(), 8))];
                txs.push_back(l.tx(clouds[uniform_below(rng, 3)], RedeemCall{code}));
            } else {
                txs.push_back(l.tx(clouds[uniform_below(rng, 3)],
                                   SetQuotaCall{uniform_below(rng, 2), uniform_below(rng, 12)}));
                set_quota = true;
            }
        }
        const LedgerState parent = l.state;
        const BlockResult result = l.block(txs);
        for (const Receipt& r : result.receipts) {
            if (r.reason == Reason::kPoolExhausted || r.reason == Reason::kCloudQuotaExhausted)
                exhausted = true;
            if (exhausted && r.reason == Reason::kNone && !r.events.empty() &&
                r.events[0].kind == EventKind::kRedeemed)
                ++served_after_exhaustion;
        }
        const std::uint64_t number = l.state.number();
        for (std::uint64_t t = 0; t < 2; ++t) {
            const TierEntry tier = l.state.tier(t);
            std::uint64_t quotas = 0, redeemed = 0;
            for (std::uint64_t cl = 0; cl < 3; ++cl) {
                const QuotaEntry q = l.state.quota(cl, t);
                ASSERT_LE(q.redeemed, q.quota);
                quotas += q.quota;
                redeemed += q.redeemed;
                if (number % 7 == 0 && !set_quota) {
                    const std::uint64_t amount = initial ? c.clouds[cl].quotas[t] : 3;
                    ASSERT_EQ(q.quota, parent.quota(cl, t).quota + amount) << "block " << number;
                } else if (number % 7 != 0 && !set_quota) {
                    ASSERT_EQ(q.quota, parent.quota(cl, t).quota) << "no refill off the period";
                }
            }
            ASSERT_EQ(tier.capacity, quotas);
            ASSERT_EQ(tier.redeemed, redeemed);
            ASSERT_LE(tier.used(), tier.capacity);
        }
        if (number % 7 == 0) ++refills;
    }
    EXPECT_EQ(refills, 200 / 7);
    EXPECT_GT(served_after_exhaustion, 0) << "refills served requests once a budget ran out";
}

INSTANTIATE_TEST_SUITE_P(Seeds, PoolRefillProperty, ::testing::Values(1, 2, 3, 4, 5, 6));

}  // namespace
}  // namespace cl::state
