// The clone attack (shared/spec/adversaries.md §2.1) in the NDSS 2020 setting: nine
// validators, a 5 s period, the split {next_in_turn: 5} (the cloned validator and the
// sealers of the next four in-turn slots against the other four and the clone), a
// complete graph of 50 ms links with one full node running the clone.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "protocol/clique/verify.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "sim/world/adversary/clone.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/fresh_honest_node.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

WorldConfig ndss(Duration cut, std::uint64_t seed = 21) {
    WorldConfig c =
        test::nine_validators("clone-ndss", seed, minutes(6), 0, 400);  // only the attacker transacts
    CloneAttack a;
    a.validator = 0;
    a.next_in_turn = 5;
    a.from = Time::at(minutes(2));
    a.duration = cut;
    c.adversaries.push_back(AdversaryConfig{"c1", a});
    return c;
}

TEST(CloneAttack, PlansTheNdssSplit) {
    const WorldConfig c = ndss(seconds(25));
    const ClonePlan p = plan_clone(c, "c1", std::get<CloneAttack>(c.adversaries[0].attack)).value();
    EXPECT_EQ(p.clone_node, 9u);
    EXPECT_EQ(p.attacker_nodes.size(), 5u);
    EXPECT_EQ(p.victim_nodes.size(), 5u);  // four honest validators and the clone
    EXPECT_FALSE(p.attacker_side[p.victim_cloud]);
    EXPECT_TRUE(p.attacker_side[p.attacker_cloud]);
}

TEST(CloneAttack, SucceedsWithALongEnoughCut) {
    const WorldResults r = run(ndss(seconds(40)));
    ASSERT_EQ(r.attacks.size(), 1u);
    const AttackRecord& a = r.attacks[0];
    for (const Metric& m : a.figures) std::cout << m.name << " = " << m.value << "\n";
    ASSERT_TRUE(a.start.has_value());
    EXPECT_GT(figure(a, "blocks_victim_side"), 0);
    EXPECT_GT(figure(a, "blocks_attacker_side"), 0);
    EXPECT_EQ(figure(a, "tx1_decided"), 1);
    EXPECT_TRUE(a.success);
}

TEST(CloneAttack, NeverSucceedsWhenTheCutIsShorterThanDecidingTx1) {
    // Deciding TX1 needs its block and four more by distinct sealers on the victim side:
    // five 5 s slots at least. A 10 s cut is too short, whatever the seed.
    for (std::uint64_t seed : {21u, 22u, 23u}) {
        const WorldResults r = run(ndss(seconds(10), seed));
        ASSERT_EQ(r.attacks.size(), 1u);
        EXPECT_EQ(figure(r.attacks[0], "tx1_decided"), 0) << seed;
        EXPECT_FALSE(r.attacks[0].success) << seed;
    }
}

// Spec §0, the party tables: the clone's two redeems (TX1 at the victim cloud, TX2's at
// the attacker cloud) are its party's traffic rows (party 1, adversaries[0]), never the
// honest party's; honest rows and the clone's add up to every submitted redemption.
TEST(CloneAttack, PartyRowsHoldItsTwoRedeems) {
    WorldConfig c = ndss(seconds(40));
    c.users.requests_per_second = 0.2;
    c.users.redeem_delay_mean = seconds(30);
    const WorldResults r = run(c);
    std::uint64_t clone_redeems = 0, clone_other = 0, clone_included = 0, honest_redeems = 0;
    for (const TrafficRecord& t : r.traffic) {
        if (t.party == 1) {
            (t.kind == TrafficKind::kRedemption ? clone_redeems : clone_other) += t.count;
            clone_included +=
                t.outcome == TrafficOutcome::kSucceeded || t.outcome == TrafficOutcome::kFailed ? t.count : 0;
        } else {
            ASSERT_EQ(t.party, kHonestParty);
            honest_redeems += t.kind == TrafficKind::kRedemption ? t.count : 0;
        }
    }
    EXPECT_EQ(clone_redeems, 2u);
    EXPECT_EQ(clone_other, 0u);
    std::uint64_t submitted = 0, adversary = 0, adversary_included = 0;
    for (const RedemptionRecord& d : r.redemptions) {
        submitted += d.submitted ? 1 : 0;
        if (d.user != kAdversaryUser) continue;
        ++adversary;
        adversary_included += d.included ? 1 : 0;
    }
    EXPECT_EQ(adversary, 2u);
    EXPECT_EQ(clone_included, adversary_included);
    EXPECT_GT(honest_redeems, 0u);
    EXPECT_EQ(honest_redeems + clone_redeems, submitted);
}

TEST(CloneAttack, SameSeedSameResults) {
    const WorldConfig c = ndss(seconds(30));
    const WorldResults a = run(c), b = run(c);
    ASSERT_EQ(a.attacks.size(), 1u);
    ASSERT_EQ(b.attacks.size(), 1u);
    EXPECT_EQ(a.attacks[0].start, b.attacks[0].start);
    EXPECT_EQ(a.attacks[0].success, b.attacks[0].success);
    EXPECT_EQ(a.attacks[0].parameters_digest, b.attacks[0].parameters_digest);
    ASSERT_EQ(a.attacks[0].figures.size(), b.attacks[0].figures.size());
    for (std::size_t i = 0; i < a.attacks[0].figures.size(); ++i)
        EXPECT_EQ(a.attacks[0].figures[i].value, b.attacks[0].figures[i].value)
            << a.attacks[0].figures[i].name;
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.reorgs.size(), b.reorgs.size());
}

// §0: honest nodes verify what an adversary sends with every rule. Every block of the run
// — the clone's included — goes, in sealing order, through a fresh honest node with every
// check on: none is rejected, and the clone's blocks carry the cloned validator's seal.
TEST(CloneAttack, HonestNodesAcceptOnlyValidBlocksFromTheClone) {
    const WorldConfig c = ndss(seconds(40));
    const ClonePlan plan = plan_clone(c, "c1", std::get<CloneAttack>(c.adversaries[0].attack)).value();
    auto w = World::create(c);
    ASSERT_TRUE(w.has_value());
    auto& sealed = test::SealedBlocks::add_to(*w);
    (void)w->run();

    test::FreshHonestNode checker(c);
    const Address cloned = address_of(validator_key(c, plan.validator));
    std::size_t from_clone = 0;
    for (const auto& [sealer, block] : sealed.blocks) {
        checker.offer(block);
        if (sealer == plan.clone_node) {
            ++from_clone;
            EXPECT_EQ(block->sealer.value_or(Address{}), cloned) << "the clone seals as the cloned validator";
        }
    }
    EXPECT_GT(from_clone, 0u) << "the clone sealed";
}

}  // namespace
}  // namespace cl::sim::world
