// The censorship attack (shared/spec/adversaries.md §2.4): validators that leave the
// transactions of chosen users out of the blocks they seal. Nine validators at 5 s on a
// complete graph of 50 ms links, one full node, users at 0.5/s; users 0-59 are filtered.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "sim/world/adversary/censorship.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/fresh_honest_node.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

constexpr std::uint64_t kFiltered = 60;  // users 0..59

WorldConfig nine(std::vector<std::size_t> censors, std::uint64_t seed = 3) {
    WorldConfig c = test::nine_validators("censorship", seed, minutes(8), 0.5, 4000);
    if (!censors.empty()) {
        CensorshipAttack a;
        a.validators = std::move(censors);
        for (std::uint64_t u = 0; u < kFiltered; ++u) a.users.push_back(u);
        c.adversaries.push_back(AdversaryConfig{"cs", a});
    }
    return c;
}

// Mean inclusion delay (s) of the included requests of the filtered users (or of the others).
double mean_request_delay(const WorldResults& r, bool filtered) {
    double sum = 0;
    std::size_t n = 0;
    for (const RequestRecord& q : r.requests) {
        if ((q.user < kFiltered) != filtered || !q.included) continue;
        sum += (*q.included - q.submitted).to_seconds_f64();
        ++n;
    }
    CL_ASSERT(n > 0);
    return sum / static_cast<double>(n);
}

// Four of nine censor: the filtered users' requests wait for an honest sealer (their delay
// rises by seconds), the others' do not; every filtered request still gets in, only in
// honest blocks. Without the attack the same users' requests wait as long as the others'.
TEST(Censorship, MinorityDelaysOnlyTheFilteredTransactions) {
    const WorldResults honest = run(nine({}));
    const WorldResults r = run(nine({0, 2, 4, 6}));
    ASSERT_EQ(r.attacks.size(), 1u);
    const AttackRecord& a = r.attacks[0];
    EXPECT_EQ(a.kind, "censorship");
    EXPECT_GT(figure(a, "censored_submitted"), 20);
    EXPECT_EQ(figure(a, "filtered_in_censor_blocks"), 0) << "censors never seal a filtered transaction";
    EXPECT_GT(figure(a, "filtered_in_honest_blocks"), 20);
    EXPECT_GT(figure(a, "censor_blocks"), 10);
    const double filtered_before = mean_request_delay(honest, true);
    const double filtered_after = mean_request_delay(r, true);
    const double others_before = mean_request_delay(honest, false);
    const double others_after = mean_request_delay(r, false);
    EXPECT_LT(std::abs(filtered_before - others_before), 1.5) << "no attack: one delay for all";
    EXPECT_GT(filtered_after, filtered_before + 2.0) << "censored requests wait for an honest sealer";
    EXPECT_LT(std::abs(others_after - others_before), 1.5) << "the others are not delayed";
    EXPECT_GT(figure(a, "censored_delay_mean_s"), figure(a, "others_delay_mean_s") + 2.0);
    EXPECT_GE(figure(a, "censored_included"), figure(a, "censored_submitted") - 3)
        << "with honest validators every filtered transaction gets in (but the last ones of the run)";
    EXPECT_TRUE(a.success);
}

// Every validator censors: no filtered transaction is ever sealed; the others flow.
TEST(Censorship, AllValidatorsKeepTheFilteredOut) {
    const WorldResults r = run(nine({0, 1, 2, 3, 4, 5, 6, 7, 8}));
    const AttackRecord& a = r.attacks.at(0);
    EXPECT_GT(figure(a, "censored_submitted"), 20);
    EXPECT_EQ(figure(a, "censored_included"), 0);
    EXPECT_EQ(figure(a, "honest_blocks"), 0);
    EXPECT_GT(figure(a, "others_included"), 20);
    EXPECT_TRUE(a.success);
}

// relay: false — censors neither seal nor forward the filtered transactions; on a complete
// graph the honest validators still hear them from the submitting node.
TEST(Censorship, WithoutRelayTheFilteredStillReachHonestSealers) {
    WorldConfig c = nine({0, 2, 4, 6});
    std::get<CensorshipAttack>(c.adversaries[0].attack).relay = false;
    const WorldResults r = run(c);
    const AttackRecord& a = r.attacks.at(0);
    EXPECT_EQ(figure(a, "filtered_in_censor_blocks"), 0);
    EXPECT_GE(figure(a, "censored_included"), figure(a, "censored_submitted") - 3);
}

TEST(Censorship, SameSeedSameResults) {
    const WorldConfig c = nine({1, 3});
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.attacks.at(0).figures.size(), b.attacks.at(0).figures.size());
    for (std::size_t i = 0; i < a.attacks[0].figures.size(); ++i)
        EXPECT_EQ(a.attacks[0].figures[i].value, b.attacks[0].figures[i].value);
}

// Users arrive in index order (0.5/s: about 240 in the 8 min); here all of them are filtered.
constexpr std::uint64_t kEveryUser = 400;

// Inclusion times (s into the run) of the included requests.
std::vector<double> request_inclusions(const WorldResults& r) {
    std::vector<double> at;
    for (const RequestRecord& q : r.requests)
        if (q.included) at.push_back((*q.included - Time::zero()).to_seconds_f64());
    return at;
}

// from/to (§2.4, the window): every validator censors every user, only in [3 min, 5 min).
// Requests get in before 3 min and again from 5 min (the backlog), none in between; the
// censored class is what was submitted in the window; the censors sealed filtered
// transactions, but only outside it. Without the window no request gets in.
TEST(Censorship, WindowCensorsOnlyInsideIt) {
    WorldConfig c = nine({0, 1, 2, 3, 4, 5, 6, 7, 8});
    auto& a = std::get<CensorshipAttack>(c.adversaries[0].attack);
    a.users.clear();
    for (std::uint64_t u = 0; u < kEveryUser; ++u) a.users.push_back(u);
    a.from = Time::zero() + minutes(3);
    a.to = Time::zero() + minutes(5);
    const WorldResults r = run(c);
    const AttackRecord& rec = r.attacks.at(0);
    EXPECT_EQ(rec.start, a.from);
    EXPECT_EQ(rec.end, a.to);
    const std::vector<double> at = request_inclusions(r);
    const auto count = [&](double lo, double hi) {
        return std::count_if(at.begin(), at.end(), [&](double t) { return lo <= t && t < hi; });
    };
    EXPECT_GT(count(0, 180), 10) << "before the window they flow";
    EXPECT_EQ(count(180, 300), 0) << "inside it no validator seals them";
    EXPECT_GT(count(300, 480), 10) << "after it the backlog gets in";
    EXPECT_EQ(figure(rec, "filtered_in_censor_blocks"), 0);
    EXPECT_GT(figure(rec, "filtered_outside_window"), 20);
    EXPECT_EQ(figure(rec, "honest_blocks"), 0);
    std::uint64_t in_window = 0;
    for (const RequestRecord& q : r.requests)
        in_window += q.submitted >= a.from && q.submitted < a.to ? 1 : 0;
    for (const TransferRecord& t : r.transfers)
        in_window += t.submitted >= a.from && t.submitted < a.to ? 1 : 0;
    EXPECT_EQ(figure(rec, "censored_submitted"), static_cast<double>(in_window));
    EXPECT_GT(in_window, 10u);
    EXPECT_TRUE(rec.success);

    a.from = Time::zero();
    a.to = Time::max();  // the default: the whole run
    EXPECT_TRUE(request_inclusions(run(c)).empty());
}

// kinds (§2.4, "or a transaction kind"): every validator leaves out redeems only, of any
// sender. No redeem is ever sealed; requests (and the filtered users' too: `senders` is
// not given) all flow. With kinds [request] the opposite: no request gets in.
TEST(Censorship, KindFilterAppliesOnlyToTheChosenKinds) {
    WorldConfig c = nine({0, 1, 2, 3, 4, 5, 6, 7, 8});
    c.users.redeem_delay_mean = seconds(20);
    auto& a = std::get<CensorshipAttack>(c.adversaries[0].attack);
    a.users.clear();
    a.kinds = {CensoredKind::kRedeem};
    const WorldResults r = run(c);
    const AttackRecord& rec = r.attacks.at(0);
    // Requests submitted 30 s or more before the end have had time to get in.
    const Time settled = Time::at(c.duration - seconds(30));
    std::uint64_t redeems_sent = 0, redeems_in = 0, requests = 0, requests_in = 0;
    for (const RedemptionRecord& x : r.redemptions) {
        redeems_sent += x.submitted ? 1 : 0;
        redeems_in += x.included ? 1 : 0;
    }
    for (const RequestRecord& q : r.requests) {
        if (q.submitted >= settled) continue;
        ++requests;
        requests_in += q.included ? 1 : 0;
    }
    EXPECT_GT(redeems_sent, 10u);
    EXPECT_EQ(redeems_in, 0u) << "no validator seals a redeem";
    EXPECT_GT(requests, 100u);
    EXPECT_EQ(requests_in, requests) << "requests are not filtered";
    EXPECT_EQ(figure(rec, "censored_submitted"), static_cast<double>(redeems_sent));
    EXPECT_EQ(figure(rec, "censored_included"), 0);
    EXPECT_EQ(figure(rec, "filtered_in_censor_blocks"), 0);

    // Beside senders: requests of users 0-59 only; the other users' requests flow.
    for (std::uint64_t u = 0; u < kFiltered; ++u) a.users.push_back(u);
    a.kinds = {CensoredKind::kRequest};
    const WorldResults s = run(c);
    std::uint64_t theirs = 0, others = 0, others_in = 0;
    for (const RequestRecord& q : s.requests) {
        if (q.user < kFiltered) {
            theirs += q.included ? 1 : 0;
        } else if (q.submitted < settled) {
            ++others;
            others_in += q.included ? 1 : 0;
        }
    }
    EXPECT_EQ(theirs, 0u);
    EXPECT_GT(others, 50u);
    EXPECT_EQ(others_in, others);
    std::uint64_t redeems_in_s = 0;
    for (const RedemptionRecord& x : s.redemptions) redeems_in_s += x.included ? 1 : 0;
    EXPECT_GT(redeems_in_s, 5u) << "other kinds flow";
}

// §0: the censors' blocks are valid blocks: every block of the run goes through a fresh
// honest node with every check on, in sealing order, and none is rejected.
TEST(Censorship, HonestNodesAcceptTheCensorsBlocks) {
    const WorldConfig c = nine({0, 2, 4, 6});
    auto w = World::create(c);
    ASSERT_TRUE(w.has_value());
    auto& sealed = test::SealedBlocks::add_to(*w);
    (void)w->run();
    test::FreshHonestNode checker(c);
    ASSERT_GT(sealed.blocks.size(), 50u);
    for (const auto& sealed_block : sealed.blocks) checker.offer(sealed_block.second);
}

}  // namespace
}  // namespace cl::sim::world
