// The private fork attack (shared/spec/adversaries.md §2.2): colluding validators withhold
// the blocks they seal and release them when their branch outweighs the public one. Nine
// validators sealing every 5 s on a complete graph of 50 ms links (one full node), the
// clouds trusting a code with two blocks on top. Clique's Recents rule (a signer seals at
// most one of any ⌊N/2⌋ + 1 consecutive blocks) caps what k colluders can seal alone: k
// of any 5 blocks here, so 4 colluders stall after 4 private blocks while 5 do not.
#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "sim/world/adversary/private_fork.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/fresh_honest_node.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

using Release = PrivateForkAttack::Release;

WorldConfig nine(std::size_t colluders, Release release, std::uint64_t seed = 3) {
    WorldConfig c =
        test::nine_validators("private-fork", seed, minutes(8), 0, 400);  // only the attacker transacts
    PrivateForkAttack a;
    for (std::size_t v = 0; v < colluders; ++v) a.validators.push_back(v);
    a.from = Time::at(minutes(2));
    a.release = release;
    c.adversaries.push_back(AdversaryConfig{"pf", a});
    return c;
}

// Fewer than ⌊N/2⌋ + 1 colluders: the Recents rule stops their branch after at most k
// blocks, while the honest majority keeps sealing. Fails when the Recents rule is removed
// from clique (the colluders then seal on alone).
TEST(PrivateFork, MinorityCannotOutgrowThePublicChain) {
    for (std::uint64_t seed : {3u, 4u, 5u}) {
        const WorldResults r = run(nine(4, Release::kNever, seed));
        ASSERT_EQ(r.attacks.size(), 1u);
        const AttackRecord& a = r.attacks[0];
        EXPECT_EQ(a.kind, "private_fork");
        EXPECT_EQ(figure(a, "code_held"), 1);
        ASSERT_TRUE(a.start.has_value()) << "seed " << seed;
        EXPECT_LE(figure(a, "private_blocks"), 4) << "seed " << seed << ": at most k private blocks";
        EXPECT_GT(figure(a, "public_blocks"), 40) << "seed " << seed << ": the public chain grows on";
        EXPECT_GT(figure(a, "public_difficulty"), 4 * figure(a, "private_difficulty")) << "seed " << seed;
        EXPECT_FALSE(a.success);
        EXPECT_EQ(figure(a, "tx1_effective_on_final_chain"), 1) << "cloud A's redemption stands";
    }
}

// ⌊N/2⌋ + 1 colluders seal on alone, the public chain stalls (its 4 signers cannot), and
// once cloud A has allocated the released branch rewrites the public one: A's redemption
// is erased, B's stands. Fails when the colluders do not withhold.
TEST(PrivateFork, MajorityRewritesThePublicChain) {
    const WorldResults r = run(nine(5, Release::kWhenHeavier));
    ASSERT_EQ(r.attacks.size(), 1u);
    const AttackRecord& a = r.attacks[0];
    EXPECT_EQ(figure(a, "tx1_allocated"), 1) << "cloud A allocated before the release";
    EXPECT_EQ(figure(a, "released"), 1);
    EXPECT_TRUE(a.success);
    EXPECT_EQ(figure(a, "private_branch_canonical"), 1);
    EXPECT_EQ(figure(a, "tx1_effective_on_final_chain"), 0);
    EXPECT_EQ(figure(a, "tx2_redeem_on_final_chain"), 1);
    EXPECT_GE(figure(a, "depth_rewritten"), 3) << "TX1's block and the two on top";
    EXPECT_EQ(figure(a, "unbacked_allocations"), 1);
    EXPECT_GE(r.harm.unbacked_allocations, 1u);
}

// `release: never` keeps the branch private: nothing is rewritten.
TEST(PrivateFork, NeverReleasedRewritesNothing) {
    const WorldResults r = run(nine(5, Release::kNever));
    const AttackRecord& a = r.attacks.at(0);
    EXPECT_EQ(figure(a, "released"), 0);
    EXPECT_GT(figure(a, "private_blocks"), 20) << "a majority seals on alone";
    EXPECT_FALSE(a.success);
    EXPECT_EQ(figure(a, "private_branch_canonical"), 0);
}

TEST(PrivateFork, SameSeedSameResults) {
    const WorldConfig c = nine(5, Release::kWhenHeavier);
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
    ASSERT_EQ(a.attacks.size(), b.attacks.size());
    ASSERT_EQ(a.attacks[0].figures.size(), b.attacks[0].figures.size());
    for (std::size_t i = 0; i < a.attacks[0].figures.size(); ++i)
        EXPECT_EQ(a.attacks[0].figures[i].value, b.attacks[0].figures[i].value)
            << a.attacks[0].figures[i].name;
}

TEST(PrivateFork, BadPlansAreErrors) {
    WorldConfig c = nine(9, Release::kNever);
    auto w = World::create(c);
    ASSERT_FALSE(w.has_value());
    EXPECT_NE(w.error().find("every validator colludes"), std::string::npos) << w.error();
    c = nine(2, Release::kNever);
    c.topology = net::ring_graph(10, net::LinkParams{millis(50), 0});  // v0 and v2 are not adjacent
    std::get<PrivateForkAttack>(c.adversaries[0].attack).validators = {0, 2};
    w = World::create(c);
    ASSERT_FALSE(w.has_value());
    EXPECT_NE(w.error().find("not connected among themselves"), std::string::npos) << w.error();
}

// §0: every block of the run — the released private branch included — goes, in sealing
// order, through a fresh honest node with every check on: none is rejected.
TEST(PrivateFork, HonestNodesAcceptOnlyValidBlocksFromTheColluders) {
    const WorldConfig c = nine(5, Release::kWhenHeavier);
    auto w = World::create(c);
    ASSERT_TRUE(w.has_value());
    auto& sealed = test::SealedBlocks::add_to(*w);
    const WorldResults r = w->run();
    ASSERT_TRUE(r.attacks.at(0).success);

    test::FreshHonestNode checker(c);
    std::size_t colluders = 0;
    for (const auto& [sealer, block] : sealed.blocks) {
        checker.offer(block);
        if (sealer < 5) {
            ++colluders;
            EXPECT_EQ(block->sealer.value_or(Address{}), address_of(validator_key(c, sealer)))
                << "a colluder seals with its own key";
        }
    }
    EXPECT_GT(colluders, 20u);
    // The checker ends on the branch the honest nodes adopted: the colluders' heaviest.
    EXPECT_EQ(checker.node().head().hash, r.final_heads.at(8)) << "the checker agrees with honest v8";
}

}  // namespace
}  // namespace cl::sim::world
