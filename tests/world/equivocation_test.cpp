// The equivocation attack (shared/spec/adversaries.md §2.3): one of nine validators seals
// two blocks for each of its slots on one parent and sends each to half of its peers.
// Nine validators at 5 s on a complete graph of 50 ms links, one full node, users at 0.5/s
// (so that blocks have transactions and a twin is another transaction set).
#include <gtest/gtest.h>

#include <map>

#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "sim/world/adversary/equivocation.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/fresh_honest_node.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

WorldConfig nine(double probability, std::uint64_t seed = 3) {
    WorldConfig c = test::nine_validators("equivocation", seed, minutes(6), 0.5, 4000);
    c.adversaries.push_back(AdversaryConfig{"eq", EquivocationAttack{3, probability, Time::at(minutes(1))}});
    return c;
}

// Every own slot twice: pairs of blocks on one parent, the network splits and reorganises,
// and converges again. With probability 0 (the mechanism removed) none of it happens.
TEST(Equivocation, TwoBlocksPerSlotForkTheNetwork) {
    const WorldResults r = run(nine(1));
    ASSERT_EQ(r.attacks.size(), 1u);
    const AttackRecord& a = r.attacks[0];
    EXPECT_EQ(a.kind, "equivocation");
    EXPECT_GT(figure(a, "equivocations"), 5);
    EXPECT_GT(figure(a, "reorgs_after_first"), 0);
    EXPECT_GT(figure(a, "reorgs_at_a_twin"), 0) << "nodes held a twin, then left it";
    EXPECT_GT(figure(a, "converged"), 0);
    EXPECT_TRUE(a.success);
    EXPECT_EQ(figure(a, "first_canonical") + figure(a, "second_canonical"), figure(a, "equivocations"))
        << "one block of each pair ends on the chain";
    const WorldResults honest = run(nine(0));
    const AttackRecord& h = honest.attacks.at(0);
    EXPECT_EQ(figure(h, "equivocations"), 0);
    EXPECT_FALSE(h.success);
    EXPECT_LT(honest.reorgs.size(), r.reorgs.size());
}

TEST(Equivocation, SameSeedSameResults) {
    const WorldConfig c = nine(0.5);
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
    EXPECT_GT(figure(a.attacks.at(0), "equivocations"), 0);
    EXPECT_LT(figure(a.attacks.at(0), "equivocations"), figure(run(nine(1)).attacks.at(0), "equivocations"));
}

// §0: every block of the run — both blocks of every pair — goes, in sealing order,
// through a fresh honest node with every check on: none is rejected (Clique has no rule
// against two blocks of one signer at one height).
TEST(Equivocation, HonestNodesAcceptBothBlocksOfEveryPair) {
    const WorldConfig c = nine(1);
    auto w = World::create(c);
    ASSERT_TRUE(w.has_value());
    auto& sealed = test::SealedBlocks::add_to(*w);
    (void)w->run();
    test::FreshHonestNode checker(c);
    std::size_t twins = 0;
    std::map<Hash32, int> own_by_parent;
    for (const auto& [sealer, block] : sealed.blocks) {
        checker.offer(block);
        if (sealer == 3 && ++own_by_parent[block->header.parent_hash] == 2) {
            ++twins;
            EXPECT_EQ(block->sealer.value_or(Address{}), address_of(validator_key(c, 3)));
        }
    }
    EXPECT_GT(twins, 5u);
}

}  // namespace
}  // namespace cl::sim::world
