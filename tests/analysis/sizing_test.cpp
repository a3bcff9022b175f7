// analysis/sizing: the analytic model of `cloudledger size-pool` against values worked by
// hand and against a numeric integration of its own definition, each run's served and
// refused users, the decision rule and the quota search (docs/sizing.md).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/sizing/binomial.hpp"
#include "analysis/sizing/decision.hpp"
#include "analysis/sizing/model.hpp"
#include "analysis/sizing/outcome.hpp"
#include "analysis/sizing/poisson.hpp"
#include "analysis/sizing/search.hpp"

namespace cl::analysis::sizing {
namespace {

TEST(SizingPoisson, TailAndExcessMatchHandValues) {
    const double e2 = std::exp(-2.0);
    EXPECT_NEAR(poisson_tail(2, 1), 1 - e2, 1e-15);
    EXPECT_NEAR(poisson_tail(2, 2), 1 - 3 * e2, 1e-15);
    EXPECT_EQ(poisson_tail(2, 0), 1.0);
    EXPECT_EQ(poisson_excess(2, 0), 2.0);
    // E[(N − 1)^+] = m − 1 + P(N = 0); E[(N − 2)^+] = m − 2 + 2·P(0) + P(1).
    EXPECT_NEAR(poisson_excess(2, 1), 1 + e2, 1e-15);
    EXPECT_NEAR(poisson_excess(2, 2), 2 * e2 + 2 * e2, 1e-15);
    // Large means stay finite and tend to m − k far below the mean.
    EXPECT_NEAR(poisson_excess(1e6, 1000), 1e6 - 1000, 1e-6);
    EXPECT_NEAR(poisson_excess(100, 10'000), 0.0, 1e-12);
}

TEST(SizingBinomial, OneCloudTakesEverythingAndHalvesSplit) {
    EXPECT_DOUBLE_EQ(binomial_excess(10, 1.0, 7), 3.0);
    EXPECT_DOUBLE_EQ(binomial_excess(10, 1.0, 12), 0.0);
    EXPECT_DOUBLE_EQ(binomial_excess(2, 0.5, 1), 0.25);                           // P(B = 2) · 1
    EXPECT_DOUBLE_EQ(binomial_excess(2.5, 0.5, 1), 0.25 + 0.5 * (0.625 - 0.25));  // B(3, ½): 3/8·1 + 1/8·2
}

// One cloud, one tier, nothing expires, everyone presents and passes (w = 1): the cloud's
// quota is the whole pool, so f(q) = E[min(N, q)] / a with N ~ Poisson(a). With a = 2:
// f(1) = (1 − e^−2) / 2, f(2) = (2 − 4e^−2) / 2 = 1 − 2e^−2.
TEST(SizingModel, OneCloudWithoutExpiryGivesTheHandAnswer) {
    TierModel m;
    m.users = 2;
    m.duration_s = 3600;
    m.ttl_s = 86400;
    m.clouds = 1;
    m.present = 1;
    const double e2 = std::exp(-2.0);
    EXPECT_NEAR(evaluate(m, 1).fraction, (1 - e2) / 2, 1e-12);
    EXPECT_NEAR(evaluate(m, 2).fraction, 1 - 2 * e2, 1e-12);
    EXPECT_EQ(evaluate(m, 2).cloud_refused, 0.0) << "one cloud: its quota is the pool";
    EXPECT_EQ(quota_for(m, 0.70), std::optional<std::uint64_t>(2));  // 0.7293 >= 0.70
    EXPECT_EQ(quota_for(m, 0.75), std::optional<std::uint64_t>(3));
    EXPECT_EQ(quota_for(m, 0.40), std::optional<std::uint64_t>(1));
    // Nobody asks: any quota serves everyone who asked.
    m.users = 0;
    EXPECT_EQ(quota_for(m, 0.99), std::optional<std::uint64_t>(0));
}

// The closed form of R_pool with expiry equals a numeric integration of its definition
// ∫_0^T λ·P(Pois(m(τ)) >= K) dτ, m(τ) = λ(τ − θ(τ − L)^+).
TEST(SizingModel, PoolStageClosedFormMatchesItsIntegral) {
    TierModel m;
    m.users = 400;
    m.duration_s = 6 * 3600;
    m.ttl_s = 3600;
    m.clouds = 4;
    m.present = 0.6;                 // θ = 0.4 of the codes come back
    const std::uint64_t quota = 70;  // K = 280
    const double lambda = m.users / m.duration_s, theta = 1 - m.present;
    const int steps = 20'000;
    double integral = 0;
    for (int i = 0; i < steps; ++i) {
        const double tau = (i + 0.5) * m.duration_s / steps;
        const double mean = lambda * (tau - theta * std::max(0.0, tau - m.ttl_s));
        integral += lambda * poisson_tail(mean, 4 * quota) * m.duration_s / steps;
    }
    EXPECT_NEAR(evaluate_pool_only(m, quota).pool_refused, integral, 1e-3 * integral + 1e-9);
    EXPECT_GT(integral, 1.0);
    // Without reclaim nothing comes back: more refusals.
    TierModel burn = m;
    burn.reclaim = false;
    EXPECT_GT(evaluate_pool_only(burn, quota).pool_refused, integral);
}

TEST(SizingModel, MoreCloudsNeedMoreUnitsEachThanTheSharedBudget) {
    TierModel m;
    m.users = 1000;
    m.duration_s = 3600;
    m.ttl_s = 86400;
    m.clouds = 10;
    m.present = 1;  // every issued unit is presented: the clouds' quotas hold what the pool issued
    const auto per_cloud = quota_for(m, 0.99);
    const auto shared = quota_for(m, 0.99, true);
    ASSERT_TRUE(per_cloud && shared);
    EXPECT_GT(*per_cloud, *shared) << "per-cloud quotas bind before the shared pool does";
    EXPECT_GE(evaluate(m, *per_cloud).fraction, 0.99);
    EXPECT_LT(evaluate(m, *per_cloud - 1).fraction, 0.99);
}

TEST(SizingDecision, TheIntervalDecides) {
    const std::vector<double> all{1, 1, 1, 1};
    EXPECT_EQ(decide(all, 1.0, 0.95), Verdict::kPass);
    const std::vector<double> low{0.5, 0.6, 0.55, 0.52};
    EXPECT_EQ(decide(low, 0.9, 0.95), Verdict::kFail);
    const std::vector<double> close{0.9, 0.95, 0.88, 0.93};
    EXPECT_EQ(decide(close, 0.9, 0.95), Verdict::kUndecided);
    const std::vector<double> one{0.99};
    EXPECT_EQ(decide(one, 0.5, 0.95), Verdict::kUndecided) << "one value has no interval";
    const std::vector<double> nobody{NAN, NAN};
    EXPECT_EQ(decide(nobody, 0.99, 0.95), Verdict::kPass) << "a tier nobody asked for";
    const std::vector<double> some{1, NAN, 1};
    EXPECT_EQ(decide(some, 1.0, 0.95), Verdict::kPass);
}

TEST(SizingSearch, FindsTheSmallestPassingQuotaFromAnyGuess) {
    for (const std::uint64_t guess : {1ULL, 5ULL, 37ULL, 1000ULL}) {
        QuotaSearch s(guess, 0.0);
        int rounds = 0;
        while (!s.done() && rounds < 100) {
            for (const std::uint64_t q : s.candidates()) s.record(q, q >= 37);
            ++rounds;
        }
        ASSERT_TRUE(s.answer().has_value()) << guess;
        EXPECT_EQ(*s.answer(), 37u) << guess;
        EXPECT_EQ(s.lower(), 36u);
        EXPECT_LT(rounds, 12) << guess;
    }
    // Precision 10 %: the bracket may stay within 10 % of the answer.
    QuotaSearch coarse(1000, 0.1);
    while (!coarse.done()) {
        for (const std::uint64_t q : coarse.candidates()) coarse.record(q, q >= 370);
    }
    EXPECT_GE(*coarse.answer(), 370u);
    EXPECT_LE(*coarse.answer() - coarse.lower(), *coarse.answer() / 10);
    // Never passing: unreachable after the doublings.
    QuotaSearch never(4, 0.0);
    while (!never.done()) {
        for (const std::uint64_t q : never.candidates()) never.record(q, false);
    }
    EXPECT_TRUE(never.unreachable());
    EXPECT_FALSE(never.answer().has_value());
}

Bytes32 code(std::uint8_t b) {
    Bytes32 c{};
    c.fill(b);
    return c;
}

// Served, refused at each stage, and those who count for neither (docs/sizing.md).
TEST(SizingOutcome, CountsUsersByStageAndLeavesOutTheUndecided) {
    RunResults run;
    run.codes.tiers = {"small", "large"};
    run.codes.redemption_reason = {"none", "cloud_quota_exhausted", "expired", "screening_failed"};
    auto request = [&](std::uint8_t c, std::uint64_t user, std::uint16_t tier, std::uint8_t status) {
        RequestRow r;
        r.tx_hash = code(c);
        r.user = user;
        r.tier = tier;
        r.status = status;
        run.requests.push_back(r);
    };
    auto redemption = [&](std::uint8_t c, std::uint64_t user, std::uint8_t status, std::uint8_t reason) {
        RedemptionRow r;
        r.code = code(c);
        r.user = user;
        r.status = status;
        r.reason = reason;
        run.redemptions.push_back(r);
    };
    request(1, 1, 0, 2);  // user 1: code, redeemed → served
    redemption(1, 1, 1, 0);
    request(2, 2, 0, 3);  // user 2: refused twice → refused at the pool
    request(3, 2, 0, 3);
    request(4, 3, 0, 3);  // user 3: refused, then a pending re-request → neither
    request(5, 3, 0, 0);
    request(6, 4, 0, 2);  // user 4: cloud quota → refused at the cloud
    redemption(6, 4, 2, 1);
    request(7, 5, 0, 2);  // user 5: screened out → neither
    redemption(7, 5, 2, 3);
    request(8, 6, 0, 2);  // user 6: holds a code, never presents → neither
    request(9, 7, 1, 2);  // user 7, large: expired before redeeming → refused at the cloud
    redemption(9, 7, 2, 2);
    request(10, 8, 1, 3);  // user 8, large: refused, then redeemed a code given to it → served
    request(11, 9, 1, 2);
    redemption(11, 8, 1, 0);
    SampleRow s1, s2;
    s1.pool_remaining[0] = 7;
    s1.pool_remaining[1] = 3;
    s2.pool_remaining[0] = 4;
    s2.pool_remaining[1] = 5;
    run.samples = {s1, s2};
    run.summary.push_back({FixedString<64>("requests_refused_pool_exhausted"), 3, FixedString<16>("count")});
    run.summary.push_back({FixedString<64>("redemptions_refused_expired"), 1, FixedString<16>("count")});
    const std::vector<std::uint64_t> capacity{10, 5};
    const RunOutcome o = run_outcome(run, capacity);
    ASSERT_EQ(o.tiers.size(), 2u);
    EXPECT_EQ(o.tiers[0].served, 1u);
    EXPECT_EQ(o.tiers[0].refused_pool, 1u);
    EXPECT_EQ(o.tiers[0].refused_cloud, 1u);
    EXPECT_EQ(o.tiers[1].served, 1u);
    EXPECT_EQ(o.tiers[1].refused_pool, 0u) << "user 8 was served in the end";
    EXPECT_EQ(o.tiers[1].refused_cloud, 1u);
    EXPECT_EQ(o.peak_use, (std::vector<std::uint64_t>{6, 2}));
    ASSERT_EQ(o.request_refusals.size(), 1u);
    EXPECT_EQ(o.request_refusals[0].first, "pool_exhausted");
    EXPECT_EQ(o.redemption_refusals[0].first, "expired");
    EXPECT_DOUBLE_EQ(served_fraction(o.tiers[0], 1.0), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(served_fraction(o.tiers[0], 0.5), 1.0 / 2.5);
    EXPECT_TRUE(std::isnan(served_fraction(TierCounts{}, 1.0)));
}

}  // namespace
}  // namespace cl::analysis::sizing
