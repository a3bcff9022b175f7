// Where the private fork (shared/spec/adversaries.md §2.2) meets the checkpoints
// (shared/spec/checkpoint.md §4): a rewrite that reaches below a final checkpoint is
// rejected by every honest node (Node::set_final_checkpoint) and counted as a detection;
// one that stays above the latest final checkpoint succeeds. Nine validators sealing every
// 5 s on a complete graph of 50 ms links, five of them colluding (a majority: the four
// honest ones stall after four public blocks, Clique's Recents rule), as in
// private_fork_test.cpp, with checkpoints to a fast mainchain (13 s blocks, 3 confirmations).
//
// Below: a checkpoint can only become final above the colluders' fork point if the four
// honest validators certify the public chain's blocks alone, within the four blocks the
// public chain grows: threshold 4, depth 1, a checkpoint every 2 blocks (docs/checkpoints.md
// "Private fork against checkpoints"). Above: the defaults of the protocol (threshold 7,
// depth 5) with a checkpoint every 4 blocks; the fork starts after checkpoints are final
// and is released (when_heavier) long before the next one is.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"
#include "tests/support/nine_validators.hpp"

namespace cl::sim::world {
namespace {

using test::figure;
using test::run;

using Release = PrivateForkAttack::Release;

WorldConfig nine(bool below) {
    WorldConfig c = test::nine_validators("checkpoint-private-fork", 3, minutes(8), 0,
                                          400);  // only the attacker transacts
    PrivateForkAttack a;
    a.validators = {0, 1, 2, 3, 4};
    a.from = Time::at(minutes(3));  // the first checkpoints are final by then
    if (below) {
        a.release = Release::kAt;
        // After a checkpoint above the fork point is final; the run ends 30 s later, before
        // the released colluders certify their own branch (threshold 4 < 5 colluders; what
        // follows is ACaughtForkStaysCaughtWhenTheColludersCertifyTheirBranch:
        // docs/checkpoints.md "Private fork against checkpoints").
        a.release_at = Time::at(seconds(390));
        c.duration = minutes(7);
    } else {
        a.release = Release::kWhenHeavier;
    }
    c.adversaries.push_back(AdversaryConfig{"pf", a});
    CheckpointsConfig k;
    k.protocol.interval = below ? 2 : 4;
    if (below) {
        k.protocol.threshold = 4;
        k.protocol.depth = 1;
    }
    k.protocol.submit_timeout = std::chrono::seconds(10);
    k.mainchain.confirmations = 3;
    c.checkpoints = k;
    return c;
}

double metric(const WorldResults& r, std::string_view name) {
    for (const Metric& m : r.metrics)
        if (m.name == name) return m.value;
    ADD_FAILURE() << "no metric " << name;
    return -1;
}

// The blocks the colluders sealed while withholding (from the attack's start to its release).
std::set<Hash32> private_blocks(const WorldConfig& c, const WorldResults& r) {
    std::set<Address> colluders;
    for (std::size_t v : std::get<PrivateForkAttack>(c.adversaries[0].attack).validators)
        colluders.insert(address_of(validator_key(c, v)));
    const AttackRecord& a = r.attacks.at(0);
    std::set<Hash32> out;
    for (const BlockRecord& b : r.blocks)
        if (colluders.contains(b.signer) && a.start && b.sealed >= *a.start && (!a.end || b.sealed <= *a.end))
            out.insert(b.hash);
    return out;
}

// Honest nodes (5..9: four validators and the full node) whose final head descends from a private block.
std::size_t honest_heads_on_private_branch(const WorldConfig& c, const WorldResults& r) {
    const std::set<Hash32> priv = private_blocks(c, r);
    std::map<Hash32, Hash32> parent;
    for (const BlockRecord& b : r.blocks) parent.emplace(b.hash, b.parent);
    std::size_t on = 0;
    for (std::size_t n = 5; n < r.final_heads.size(); ++n) {
        for (Hash32 h = r.final_heads[n];;) {
            if (priv.contains(h)) {
                ++on;
                break;
            }
            const auto it = parent.find(h);
            if (it == parent.end()) break;
            h = it->second;
        }
    }
    return on;
}

// The final checkpoints' heights at a time (from the checkpoints table).
std::uint64_t final_height_at(const WorldResults& r, Time t) {
    std::uint64_t h = 0;
    for (const CheckpointRecord& c : r.checkpoints)
        if (c.final && *c.final <= t) h = std::max(h, c.height);
    return h;
}

// A majority's private branch that forks below a checkpoint which becomes final while it is
// withheld: on release every honest node refuses it (none ends on it), each of its blocks
// that conflicts is counted as a detection. Fails with
// `checkpoints` off (the branch then rewrites the chain) — see
// ReleasedWithoutCheckpointsTheSameForkRewritesTheChain.
TEST(CheckpointPrivateFork, ForkBelowAFinalCheckpointIsRejectedAndDetected) {
    const WorldConfig c = nine(true);
    const WorldResults r = run(c);
    ASSERT_EQ(r.attacks.size(), 1u);
    const AttackRecord& a = r.attacks[0];
    ASSERT_TRUE(a.start && a.end) << "started and released";
    EXPECT_EQ(figure(a, "tx1_allocated"), 1);
    EXPECT_GT(figure(a, "private_blocks"), 10) << "a majority seals on alone";
    // A checkpoint above the fork point was final before the release.
    std::uint64_t fork_number = UINT64_MAX;
    const std::set<Hash32> priv = private_blocks(c, r);
    for (const BlockRecord& b : r.blocks)
        if (priv.contains(b.hash)) fork_number = std::min(fork_number, b.number - 1);
    ASSERT_NE(fork_number, UINT64_MAX);
    EXPECT_GT(final_height_at(r, *a.end), fork_number) << "the rewrite reaches below a final checkpoint";
    EXPECT_FALSE(a.success);
    EXPECT_EQ(figure(a, "private_branch_canonical"), 0);
    EXPECT_EQ(honest_heads_on_private_branch(c, r), 0u) << "no honest node ends on the private branch";
    // (tx1_effective_on_final_chain reads the reference chain, the heaviest head of any node:
    // the colluders' own, which ignore finality. What counts is the honest nodes' heads.)
    EXPECT_GT(metric(r, "checkpoint_detections"), 0);
    EXPECT_GT(metric(r, "checkpoint_detected_blocks"), 0);
    EXPECT_GT(metric(r, "checkpoint_detection_delay_mean_s"), 0);
    EXPECT_EQ(metric(r, "checkpoint_nodes_final"), 5)
        << "every honest node holds the latest final checkpoint (the colluders ignore it)";
}

// The catch is permanent. Released at 420 s and run to 480 s, the five colluders (a
// threshold of 4 < 5) certify a block of their own branch above the honest final
// checkpoint, and the mainchain makes it final (the contract checks heights and
// signatures, not that h + interval extends h). Every honest node refuses that final
// checkpoint (clique::Chain::set_final_checkpoint: final means final) and counts it as
// conflict evidence; none ends on the private branch. Without that refusal every honest
// node followed the private branch once its checkpoint was final (455 s).
TEST(CheckpointPrivateFork, ACaughtForkStaysCaughtWhenTheColludersCertifyTheirBranch) {
    WorldConfig c = nine(true);
    auto& attack = std::get<PrivateForkAttack>(c.adversaries[0].attack);
    attack.release_at = Time::at(seconds(420));
    c.duration = minutes(8);
    const WorldResults r = run(c);
    const AttackRecord& a = r.attacks.at(0);
    ASSERT_TRUE(a.start && a.end);
    EXPECT_FALSE(a.success);
    EXPECT_EQ(honest_heads_on_private_branch(c, r), 0u);
    EXPECT_GE(metric(r, "checkpoint_finals_refused"), 5)
        << "each honest node refused the colluders' checkpoint";
    EXPECT_GT(metric(r, "checkpoint_detections"), 0);
}

// The same attack with `checkpoints` off: the released branch rewrites the chain. This is
// what the checkpoints prevent above.
TEST(CheckpointPrivateFork, ReleasedWithoutCheckpointsTheSameForkRewritesTheChain) {
    WorldConfig c = nine(true);
    c.checkpoints.reset();
    const WorldResults r = run(c);
    const AttackRecord& a = r.attacks.at(0);
    EXPECT_TRUE(a.success);
    EXPECT_EQ(honest_heads_on_private_branch(c, r), 5u);
    EXPECT_EQ(figure(a, "tx1_effective_on_final_chain"), 0);
}

// A fork that starts above the latest final checkpoint and is released before the next one
// is final succeeds despite the checkpoints (the window of exposure): every honest node ends
// on the private branch, nothing is detected.
TEST(CheckpointPrivateFork, ForkAboveTheLatestFinalCheckpointSucceeds) {
    const WorldConfig c = nine(false);
    const WorldResults r = run(c);
    const AttackRecord& a = r.attacks.at(0);
    ASSERT_TRUE(a.start && a.end);
    const std::uint64_t final_at_start = final_height_at(r, *a.start);
    EXPECT_GT(final_at_start, 0u) << "checkpoints were final before the fork";
    std::uint64_t fork_number = UINT64_MAX;
    const std::set<Hash32> priv = private_blocks(c, r);
    for (const BlockRecord& b : r.blocks)
        if (priv.contains(b.hash)) fork_number = std::min(fork_number, b.number - 1);
    EXPECT_GE(fork_number, final_height_at(r, *a.end)) << "released above the latest final checkpoint";
    EXPECT_TRUE(a.success);
    EXPECT_EQ(honest_heads_on_private_branch(c, r), 5u);
    EXPECT_EQ(figure(a, "tx1_effective_on_final_chain"), 0);
    EXPECT_EQ(metric(r, "checkpoint_detections"), 0);
    EXPECT_GT(metric(r, "checkpoints_final"), final_at_start / 4) << "checkpoints go on after the rewrite";
}

}  // namespace
}  // namespace cl::sim::world
