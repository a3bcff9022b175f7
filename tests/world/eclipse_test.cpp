// The eclipse attack (shared/spec/adversaries.md §2.5): the adversary holds every link of
// victim nodes in a window and relays nothing, everything late, or a private fork's branch.
// Nine validators sealing every 5 s on a complete graph of 50 ms links with one full node
// (node 9), no users: only the adversaries transact.
#include <gtest/gtest.h>

#include <set>

#include "protocol/core/assert.hpp"
#include "sim/world/adversary/double_spend.hpp"
#include "sim/world/adversary/eclipse.hpp"
#include "sim/world/world.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

using Mode = EclipseAttack::Mode;

WorldConfig nine(std::uint64_t seed = 3) {
    return test::nine_validators("eclipse", seed, minutes(5), 0, 400);
}

EclipseAttack eclipse(std::vector<net::NodeId> victims, Mode mode, Time from, Time to = Time::max()) {
    EclipseAttack a;
    a.victims = std::move(victims);
    a.mode = mode;
    a.from = from;
    a.to = to;
    return a;
}

const AttackRecord& attack(const WorldResults& r, std::string_view kind) {
    for (const AttackRecord& a : r.attacks)
        if (a.kind == kind) return a;
    CL_ASSERT(false && "no such attack");
    return r.attacks.front();
}

// drop: nothing reaches the victim in the window, so its head stops while the others'
// grows; after the window it reconnects (redial), syncs and holds their head again. Fails
// when the victim's links are not cut (its head then grows with the others').
TEST(Eclipse, DropStopsTheVictimAndItReconvergesAfter) {
    WorldConfig c = nine();
    c.adversaries.push_back(
        AdversaryConfig{"ec", eclipse({9}, Mode::kDrop, Time::at(minutes(1)), Time::at(minutes(3)))});
    const WorldResults r = run(c);
    const AttackRecord& a = attack(r, "eclipse");
    EXPECT_EQ(a.start, Time::at(minutes(1)));
    EXPECT_EQ(a.end, Time::at(minutes(3)));
    EXPECT_EQ(figure(a, "victim_head_growth_in_window"), 0) << "the victim's head stood still";
    EXPECT_GE(figure(a, "reference_head_growth_in_window"), 20) << "the others sealed on";
    EXPECT_GE(figure(a, "max_head_lag_blocks"), 20);
    EXPECT_GE(figure(a, "max_head_lag_s"), 100);
    EXPECT_LT(figure(a, "divergence_s"), 1.0) << "behind, but on the honest chain (natural forks aside)";
    const double reconverged = figure(a, "reconvergence_after_window_s");
    EXPECT_GE(reconverged, 0) << "the victim holds the honest head again";
    EXPECT_LT(reconverged, 60) << "within a redial interval and a sync";
    EXPECT_EQ(r.final_heads[9], r.final_heads[0]);
    EXPECT_TRUE(a.success);
}

// delay: every message to or from the victim in the window arrives D later. On the complete
// graph a block sealed by a validator reaches the victim over its own link to it, so it
// becomes the victim's head at the earliest D + 50 ms after its seal, and at least D later
// than in the same run with a negligible delay (the closed form: the arrival shifts by D on
// the last hop). Fails when the delay is not applied.
TEST(Eclipse, DelayShiftsTheVictimsBlocksByD) {
    auto delayed = [](Duration d) {
        WorldConfig c = nine();
        EclipseAttack a = eclipse({9}, Mode::kDelay, Time::at(minutes(1)), Time::at(minutes(4)));
        a.delay = d;
        c.adversaries.push_back(AdversaryConfig{"ec", a});
        return run(c);
    };
    const WorldResults base = delayed(nanos(1));
    const WorldResults late = delayed(seconds(5));
    const AttackRecord& b = attack(base, "eclipse");
    const AttackRecord& l = attack(late, "eclipse");
    ASSERT_GE(figure(b, "blocks_delayed"), 20);
    ASSERT_GE(figure(l, "blocks_delayed"), 20);
    EXPECT_LT(figure(b, "block_delay_min_s"), 1.0);
    EXPECT_GE(figure(l, "block_delay_min_s"), 5.05) << "D plus the link's latency";
    EXPECT_GE(figure(l, "block_delay_min_s"), figure(b, "block_delay_min_s") + 5.0 - 1e-3);
    EXPECT_GE(figure(l, "block_delay_mean_s"), figure(b, "block_delay_mean_s") + 5.0 - 1e-3);
    EXPECT_LT(figure(l, "block_delay_max_s"), 3 * (5.0 + 0.05) + 1.0)
        << "at worst announcement, request and reply, each D late";
    EXPECT_GE(figure(l, "max_head_lag_blocks"), 1);
    EXPECT_GE(figure(l, "reconvergence_after_window_s"), 0);
}

// branch: three colluders (a minority: their branch stalls by the Recents rule, the public
// chain stays the heavier) withhold from 2 min and never release; v8's node sees only their
// branch. The adversary's code is redeemed at v8 (on the private branch) and at v3 (public):
// v8 allocates on a block no honest node adopts, so its allocation is unbacked; the rest of
// the network never adopts the branch. Clouds trust one block on top: three colluders seal
// one to three private blocks before the Recents rule stops them (seed 3: one, so v8 never
// sees TX_v's block covered). Fails when the victim's other links carry blocks (v8 then
// follows the public chain) or when the colluders do not feed it.
WorldConfig branch_config(std::uint64_t seed = 1) {
    WorldConfig c = nine(seed);
    c.cloud_behaviour.confirmations = 1;
    PrivateForkAttack pf;
    pf.validators = {0, 1, 2};
    pf.from = Time::at(minutes(2));
    pf.release = PrivateForkAttack::Release::kNever;
    c.adversaries.push_back(AdversaryConfig{"pf", pf});
    EclipseAttack ec = eclipse({8}, Mode::kBranch, Time::zero());
    ec.branch = "pf";
    c.adversaries.push_back(AdversaryConfig{"ec", ec});
    return c;
}

TEST(Eclipse, BranchMakesAVictimCloudAllocateOnAPrivateBranch) {
    int allocated = 0;
    for (std::uint64_t seed : {1u, 2u, 4u}) {
        const WorldResults r = run(branch_config(seed));
        const AttackRecord& a = attack(r, "eclipse");
        const AttackRecord& pf = attack(r, "private_fork");
        EXPECT_EQ(figure(a, "double_spend_started"), 1) << "seed " << seed;
        EXPECT_GT(figure(a, "divergence_s"), 60) << "seed " << seed << ": v8's head was off the honest chain";
        EXPECT_TRUE(a.success) << "seed " << seed;
        if (figure(a, "victim_cloud_allocated") == 1) {
            ++allocated;
            EXPECT_GE(figure(a, "victim_unbacked_allocations"), 1) << "seed " << seed;
            EXPECT_GE(r.harm.unbacked_allocations, 1u) << "seed " << seed;
        }
        // The rest of the network never adopts the branch: no block the colluders sealed while
        // withholding is on the final chain or is an honest node's head.
        ASSERT_TRUE(pf.start.has_value());
        std::set<Address> colluders;
        for (const SignerRecord& s : r.signers)
            if (s.cloud < 3) colluders.insert(s.address);
        std::set<Hash32> private_blocks;
        for (const BlockRecord& b : r.blocks) {
            if (!colluders.contains(b.signer) || b.sealed <= *pf.start) continue;
            private_blocks.insert(b.hash);
            EXPECT_FALSE(b.canonical) << "seed " << seed << ": block " << b.number;
        }
        EXPECT_FALSE(private_blocks.empty()) << "seed " << seed;
        EXPECT_EQ(figure(pf, "private_branch_canonical"), 0) << "seed " << seed;
        for (net::NodeId n : {3u, 4u, 5u, 6u, 7u, 9u})
            EXPECT_FALSE(private_blocks.contains(r.final_heads[n])) << "seed " << seed << ", node " << n;
    }
    EXPECT_EQ(allocated, 3) << "v8 allocated on the branch it was shown";
}

// The two redeems the branch mode makes clouds submit are the eclipse's traffic (spec §0):
// its party's `traffic` rows (party 2: second in the adversaries list; the private fork,
// party 1, has its own double spend), left out of the honest ones. Fails when finish() does
// not tally them (no party-2 redemption rows).
TEST(Eclipse, PartyRowsHoldItsTwoRedeems) {
    const WorldResults r = run(branch_config());
    ASSERT_EQ(figure(attack(r, "eclipse"), "double_spend_started"), 1);
    std::uint64_t redeems[3] = {0, 0, 0}, eclipse_other = 0;
    for (const TrafficRecord& t : r.traffic) {
        ASSERT_LE(t.party, 2u);
        if (t.kind == TrafficKind::kRedemption) redeems[t.party] += t.count;
        if (t.party == 2 && t.kind != TrafficKind::kRedemption) eclipse_other += t.count;
    }
    EXPECT_EQ(redeems[2], 2u);
    EXPECT_EQ(eclipse_other, 0u);
    EXPECT_EQ(redeems[kHonestParty], 0u) << "no users: every redeem is an adversary's";
    std::uint64_t adversary = 0;
    for (const RedemptionRecord& d : r.redemptions) adversary += d.user == kAdversaryUser ? 1 : 0;
    EXPECT_EQ(adversary, redeems[1] + redeems[2]);
}

TEST(Eclipse, SameSeedSameResults) {
    const WorldConfig c = branch_config();
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
    ASSERT_EQ(a.attacks.size(), b.attacks.size());
    for (std::size_t k = 0; k < a.attacks.size(); ++k) {
        ASSERT_EQ(a.attacks[k].figures.size(), b.attacks[k].figures.size());
        for (std::size_t i = 0; i < a.attacks[k].figures.size(); ++i)
            EXPECT_EQ(a.attacks[k].figures[i].value, b.attacks[k].figures[i].value)
                << a.attacks[k].figures[i].name;
    }
}

TEST(Eclipse, BadPlansAreErrors) {
    auto error = [](const WorldConfig& c) {
        auto w = World::create(c);
        return w.has_value() ? std::string() : w.error();
    };
    WorldConfig c = branch_config();
    std::get<EclipseAttack>(c.adversaries[1].attack).branch = "nope";
    EXPECT_NE(error(c).find("no private_fork adversary named 'nope'"), std::string::npos) << error(c);
    c = branch_config();
    std::get<EclipseAttack>(c.adversaries[1].attack).victims = {1};
    EXPECT_NE(error(c).find("is a colluder"), std::string::npos) << error(c);
    c = nine();
    c.adversaries.push_back(
        AdversaryConfig{"ec", eclipse({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Mode::kDrop, Time::zero())});
    EXPECT_NE(error(c).find("every honest node is a victim"), std::string::npos) << error(c);
    c = nine();
    c.adversaries.push_back(AdversaryConfig{"ec", eclipse({12}, Mode::kDrop, Time::zero())});
    EXPECT_NE(error(c).find("no node 12"), std::string::npos) << error(c);
}

}  // namespace
}  // namespace cl::sim::world
