// Honest governance events and the governance_capture attack (shared/spec/promo-pool.md §2,
// adversaries.md §2.6): real register_cloud transactions, real Clique votes in sealed
// headers. Closed forms (clique.md §6): a vote passes when more than half of the current
// signers cast it, so fewer than floor(N/2)+1 colluders never change the set, a majority
// changes it in the block that carries the last vote of its majority, and an added
// identity is voted out by honest counter-votes only once the honest validators are a
// majority of the set that holds it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "protocol/state/schema.hpp"
#include "sim/world/adversary/governance_capture.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/fresh_honest_node.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;

constexpr std::uint64_t kPeriod = 5;

// `genesis` validators at 5 s, `joining` more that join by events, one full node, a complete
// graph of 50 ms links, a few users.
WorldConfig clouds(std::size_t genesis, std::size_t joining = 0, Duration duration = minutes(10)) {
    WorldConfig c;
    c.name = "governance";
    c.seed = 5;
    c.duration = duration;
    c.users.requests_per_second = 0.2;
    c.users.region_weights = {1.0};
    c.cloud_behaviour.confirmations = 2;
    c.clique.period = kPeriod;
    for (std::size_t i = 0; i < genesis + joining; ++i) {
        c.clouds.push_back(CloudSpec{"v" + std::to_string(i), 0, {i < genesis ? 4000u : 0u}, i < genesis});
    }
    c.topology = net::complete_graph(genesis + joining + 1, net::LinkParams{millis(50), 0});
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    return c;
}

void capture(WorldConfig& c, std::vector<std::size_t> colluders, GovernanceCaptureAttack::Goal goal,
             std::size_t target, Time from, bool counter_votes = false) {
    GovernanceCaptureAttack a;
    a.validators = std::move(colluders);
    a.goal = goal;
    a.target = target;
    a.identity = "x";
    a.from = from;
    a.honest_counter_votes = counter_votes;
    c.adversaries.push_back(AdversaryConfig{"gc", a});
}

double metric(const WorldResults& r, std::string_view name) {
    for (const Metric& m : r.metrics)
        if (m.name == name) return m.value;
    ADD_FAILURE() << "no metric " << name;
    return -2;
}

struct Outcome {
    WorldResults results;
    std::vector<state::CloudEntry> final_clouds;
};

Outcome run(const WorldConfig& c) {
    auto w = World::create(c);
    EXPECT_TRUE(w.has_value()) << (w ? "" : w.error());
    CL_ASSERT(w.has_value());
    Outcome out;
    out.results = w->run();
    out.final_clouds = w->final_state().clouds();
    return out;
}

std::vector<const BlockRecord*> canonical(const WorldResults& r) {
    std::vector<const BlockRecord*> chain;
    for (const BlockRecord& b : r.blocks)
        if (b.canonical) chain.push_back(&b);
    std::sort(chain.begin(), chain.end(), [](auto* a, auto* b) { return a->number < b->number; });
    return chain;
}

// The canonical block that carries the vote of the k-th distinct colluder sealing at or
// after `from` (every colluder block from then on votes: the one valid proposal).
std::uint64_t block_of_kth_colluder_vote(const WorldConfig& c, const WorldResults& r,
                                         const std::vector<std::size_t>& colluders, Time from,
                                         std::size_t k) {
    std::set<Address> addresses, seen;
    for (std::size_t v : colluders) addresses.insert(address_of(validator_key(c, v)));
    for (const BlockRecord* b : canonical(r)) {
        if (b->sealed < from || !addresses.contains(b->signer)) continue;
        seen.insert(b->signer);
        if (seen.size() == k) return b->number;
    }
    return 0;
}

// 4 of 9 colluders vote v7 out for the whole run: a vote needs 5, the set never changes.
TEST(GovernanceCapture, MinorityNeverChangesTheSet) {
    WorldConfig c = clouds(9);
    capture(c, {0, 1, 2, 3}, GovernanceCaptureAttack::Goal::kRemove, 7, Time::at(minutes(1)));
    const Outcome r = run(c);
    ASSERT_EQ(r.results.attacks.size(), 1u);
    const AttackRecord& a = r.results.attacks[0];
    EXPECT_EQ(a.kind, "governance_capture");
    EXPECT_FALSE(a.success);
    EXPECT_EQ(figure(a, "set_changed"), 0);
    EXPECT_EQ(figure(a, "set_change_s"), -1);
    EXPECT_EQ(figure(a, "colluders"), 4);
    EXPECT_EQ(figure(a, "majority_needed"), 5);
    EXPECT_GT(figure(a, "capture_votes_sealed"), 20) << "the colluders did vote";
    EXPECT_EQ(figure(a, "signers_at_end"), 9);
    EXPECT_EQ(r.final_clouds[7].status, state::CloudStatus::kActive);
}

// 5 of 9: v7 is out in the block that carries the fifth colluder's vote, at most N blocks
// after `from` (each colluder's in-turn slot comes once per N blocks), and the other eight
// keep sealing.
TEST(GovernanceCapture, MajorityRemovesInTheBlockOfItsLastVote) {
    WorldConfig c = clouds(9);
    const std::vector<std::size_t> colluders{0, 1, 2, 3, 4};
    const Time from = Time::at(minutes(1));
    capture(c, colluders, GovernanceCaptureAttack::Goal::kRemove, 7, from);
    const Outcome r = run(c);
    const AttackRecord& a = r.results.attacks.at(0);
    EXPECT_TRUE(a.success);
    const std::uint64_t expected = block_of_kth_colluder_vote(c, r.results, colluders, from, 5);
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(figure(a, "set_change_block"), static_cast<double>(expected));
    const double blocks = figure(a, "set_change_blocks");
    EXPECT_GE(blocks, 5);
    EXPECT_LE(blocks, 9);
    // Time ≈ blocks × period (in-turn blocks come every period; out-of-turn ones later).
    EXPECT_NEAR(figure(a, "set_change_s"), blocks * kPeriod, 1.5 * kPeriod);
    EXPECT_EQ(figure(a, "signers_at_end"), 8);
    EXPECT_EQ(figure(a, "colluder_share"), 5.0 / 9.0);
    EXPECT_EQ(r.final_clouds[7].status, state::CloudStatus::kRemoved);
    // Liveness: the eight seal on, v7 never again on the final chain.
    const Address v7 = address_of(validator_key(c, 7));
    std::size_t after = 0;
    for (const BlockRecord* b : canonical(r.results)) {
        if (b->number <= expected) continue;
        ++after;
        EXPECT_NE(b->signer, v7);
    }
    EXPECT_GT(after, 50u);
}

// 3 of 5 add an identity of theirs (no attestation): it passes. Honest counter-votes
// cannot undo it while the honest validators (2) are no majority of the 6; once three
// honest clouds have joined (honest 5 of 9) they vote it out, and the colluders (3 of 8)
// cannot vote it back. Without counter-votes it stays.
TEST(GovernanceCapture, AddedIdentityIsUndoneByAnHonestMajorityOfTheNewSet) {
    const auto make = [](bool counter, bool joins) {
        WorldConfig c = clouds(5, joins ? 3 : 0, minutes(15));
        capture(c, {0, 1, 2}, GovernanceCaptureAttack::Goal::kAdd, 0, Time::at(seconds(30)), counter);
        if (joins) {
            for (std::size_t j = 0; j < 3; ++j) {
                c.events.push_back(GovernanceEvent{GovernanceEvent::Kind::kJoin, 5 + j,
                                                   Time::at(minutes(3 + 2 * static_cast<std::int64_t>(j)))});
            }
        }
        return c;
    };
    {
        const Outcome r = run(make(true, false));
        const AttackRecord& a = r.results.attacks.at(0);
        EXPECT_TRUE(a.success) << "honest 2 of 6 cannot drop it";
        EXPECT_EQ(figure(a, "undone"), 0);
        EXPECT_GT(figure(a, "counter_votes_sealed"), 10) << "they tried";
        EXPECT_EQ(figure(a, "signers_at_end"), 6);
    }
    {
        const Outcome r = run(make(true, true));
        const AttackRecord& a = r.results.attacks.at(0);
        EXPECT_EQ(figure(a, "set_changed"), 1);
        EXPECT_EQ(figure(a, "undone"), 1);
        EXPECT_FALSE(a.success);
        // Undone after the third join became effective, not before.
        EXPECT_GT(figure(a, "undone_s") + 30, metric(r.results, "events.2.set_change_s") + 7 * 60);
        EXPECT_EQ(figure(a, "signers_at_end"), 8);
    }
    {
        const Outcome r = run(make(false, true));
        const AttackRecord& a = r.results.attacks.at(0);
        EXPECT_TRUE(a.success);
        EXPECT_EQ(figure(a, "undone"), 0);
        EXPECT_EQ(figure(a, "counter_votes_sealed"), 0) << "geth's default: no counter-votes";
        EXPECT_EQ(figure(a, "signers_at_end"), 9);
    }
}

// §0: the colluders' vote-carrying blocks (and the join's) are valid blocks: every block
// of the run goes through a fresh honest node with every check on, in sealing order, and
// none is rejected; the checker's chain ends with the identity voted in.
TEST(GovernanceCapture, HonestNodesAcceptTheColludersBlocks) {
    WorldConfig c = clouds(5, 1, minutes(5));
    capture(c, {0, 1, 2}, GovernanceCaptureAttack::Goal::kAdd, 0, Time::at(seconds(20)));
    c.events.push_back(GovernanceEvent{GovernanceEvent::Kind::kJoin, 5, Time::at(minutes(2))});
    auto w = World::create(c);
    ASSERT_TRUE(w.has_value());
    auto& sealed = test::SealedBlocks::add_to(*w);
    (void)w->run();
    test::FreshHonestNode checker(c);
    ASSERT_GT(sealed.blocks.size(), 40u);
    for (const auto& sealed_block : sealed.blocks) checker.offer(sealed_block.second);
    const clique::Snapshot& end = checker.node().chain().snapshot(checker.node().head().hash);
    EXPECT_TRUE(end.is_signer(address_of(capture_identity_key(c, "gc", "x"))));
    EXPECT_TRUE(end.is_signer(address_of(validator_key(c, 5))));
}

// A cloud not in the genesis registers with the notary's attestation at 1 min; the
// validators vote it in; it is active on the final state and seals canonical blocks.
TEST(GovernanceEvents, JoinActivatesTheCloudAndItSeals) {
    WorldConfig c = clouds(4, 1);
    c.events.push_back(GovernanceEvent{GovernanceEvent::Kind::kJoin, 4, Time::at(minutes(1))});
    const Outcome r = run(c);
    EXPECT_GE(metric(r.results, "events.0.registered_s"), 0);
    const double change = metric(r.results, "events.0.set_change_s");
    EXPECT_GE(change, metric(r.results, "events.0.registered_s"));
    EXPECT_LT(change, 10 * kPeriod) << "registered, then 3 of 4 votes";
    EXPECT_EQ(metric(r.results, "events.0.member_at_end"), 1);
    EXPECT_EQ(metric(r.results, "events.signers_at_end"), 5);
    ASSERT_EQ(r.final_clouds.size(), 5u);
    EXPECT_EQ(r.final_clouds[4].status, state::CloudStatus::kActive);
    const Address v4 = address_of(validator_key(c, 4));
    std::size_t sealed = 0;
    for (const BlockRecord* b : canonical(r.results)) sealed += b->signer == v4 ? 1 : 0;
    EXPECT_GT(sealed, 10u);
    EXPECT_EQ(r.results.signers.at(4).index, SignerRecord::kNotGenesisSigner);
}

// A cloud outside the genesis with no join event is a configuration error.
TEST(GovernanceEvents, ACloudOutsideTheGenesisMustJoin) {
    WorldConfig c = clouds(4, 1);
    EXPECT_FALSE(World::create(c).has_value()) << "a non-genesis cloud that never joins is refused";
}

// v2 of 5 leaves at 1 min: it stops sealing, the other four vote it out (3 votes), the
// set shrinks to 4 and the chain goes on.
TEST(GovernanceEvents, LeaveVotesTheCloudOutAndLivenessHolds) {
    WorldConfig c = clouds(5);
    c.events.push_back(GovernanceEvent{GovernanceEvent::Kind::kLeave, 2, Time::at(minutes(1))});
    const Outcome r = run(c);
    const double change = metric(r.results, "events.0.set_change_s");
    EXPECT_GE(change, 0);
    EXPECT_LT(change, 10 * kPeriod);
    EXPECT_EQ(metric(r.results, "events.0.member_at_end"), 0);
    EXPECT_EQ(metric(r.results, "events.signers_at_end"), 4);
    EXPECT_EQ(r.final_clouds[2].status, state::CloudStatus::kRemoved);
    const Address v2 = address_of(validator_key(c, 2));
    std::size_t after = 0;
    for (const BlockRecord* b : canonical(r.results)) {
        if (b->sealed <= Time::at(minutes(1))) continue;
        ++after;
        EXPECT_NE(b->signer, v2);
    }
    EXPECT_GT(after, 80u);
}

// World::check refuses events that cannot happen.
TEST(GovernanceEvents, CheckRefusesImpossibleEvents) {
    using K = GovernanceEvent::Kind;
    const auto refused = [](WorldConfig c) { return !World::check(std::move(c)).has_value(); };
    WorldConfig c = clouds(4, 1);
    c.events = {{K::kJoin, 4, Time::at(minutes(1))}};
    EXPECT_FALSE(refused(c));
    c.events = {{K::kJoin, 2, Time::at(minutes(1))}, {K::kJoin, 4, Time::at(minutes(1))}};
    EXPECT_TRUE(refused(c)) << "a genesis cloud cannot join";
    c.events = {{K::kJoin, 4, Time::at(minutes(1))}, {K::kJoin, 4, Time::at(minutes(2))}};
    EXPECT_TRUE(refused(c)) << "joins twice";
    c.events = {{K::kLeave, 4, Time::at(seconds(30))}, {K::kJoin, 4, Time::at(minutes(1))}};
    EXPECT_TRUE(refused(c)) << "leaves before it joined";
    c.events = {{K::kJoin, 4, Time::at(minutes(20))}};
    EXPECT_TRUE(refused(c)) << "after the run";
    c.events = {{K::kJoin, 9, Time::at(minutes(1))}};
    EXPECT_TRUE(refused(c)) << "no such cloud";
}

// Same seed, same figures.
TEST(GovernanceCapture, SameSeedSameResults) {
    WorldConfig c = clouds(5, 1, minutes(6));
    capture(c, {0, 1, 2}, GovernanceCaptureAttack::Goal::kRemove, 4, Time::at(seconds(20)));
    c.events.push_back(GovernanceEvent{GovernanceEvent::Kind::kJoin, 5, Time::at(minutes(2))});
    const Outcome a = run(c), b = run(c);
    ASSERT_EQ(a.results.attacks.at(0).figures.size(), b.results.attacks.at(0).figures.size());
    for (std::size_t i = 0; i < a.results.attacks[0].figures.size(); ++i)
        EXPECT_EQ(a.results.attacks[0].figures[i].value, b.results.attacks[0].figures[i].value);
    ASSERT_EQ(a.results.metrics.size(), b.results.metrics.size());
    for (std::size_t i = 0; i < a.results.metrics.size(); ++i)
        EXPECT_EQ(a.results.metrics[i].value, b.results.metrics[i].value) << a.results.metrics[i].name;
    EXPECT_EQ(a.results.blocks.size(), b.results.blocks.size());
}

}  // namespace
}  // namespace cl::sim::world
