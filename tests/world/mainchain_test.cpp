// The PoW mainchain (sim/world/mainchain/mainchain.hpp; docs/checkpoints.md "The
// mainchain") against closed forms: the mean block interval, the natural fork rate of a
// network with a propagation delay, and the majority attack.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/world/mainchain/mainchain.hpp"

namespace cl::sim::world {
namespace {

struct Run {
    Simulator sim;
    std::unique_ptr<Mainchain> chain;
};

std::unique_ptr<Run> run(const MainchainConfig& config, const std::optional<MainchainAttack>& attack,
                         Duration for_, std::uint64_t seed = 1) {
    auto r = std::make_unique<Run>();
    r->chain = std::make_unique<Mainchain>(r->sim, config, attack, RandomStreams(seed, 0).stream("mainchain"),
                                           std::nullopt);
    r->chain->start();
    (void)r->sim.run_until(Time::zero() + for_);
    return r;
}

MainchainConfig equal_miners(std::size_t n, Duration delay) {
    MainchainConfig c;
    c.miners.clear();
    for (std::size_t i = 0; i < n; ++i) c.miners.push_back(MinerSpec{"m" + std::to_string(i), 1.0});
    c.delay = delay;
    return c;
}

// Blocks that are not on the reader's chain (stale), among all mined, leaving out the
// last minute (its races are not decided yet).
double stale_fraction(const Mainchain& m, Time until) {
    std::size_t mined = 0, stale = 0;
    for (std::uint32_t b = 1; b < m.blocks().size(); ++b) {
        if (m.blocks()[b].mined >= until) continue;
        ++mined;
        if (!m.on_reader_chain(b)) ++stale;
    }
    return static_cast<double>(stale) / static_cast<double>(mined);
}

TEST(Mainchain, MeanBlockIntervalIsTheBlockTime) {
    // 30,000 blocks' worth: the mean of n exponentials has a relative sd of 1/sqrt(n) ≈ 0.6 %.
    const MainchainConfig c = equal_miners(4, millis(500));
    const auto r = run(c, std::nullopt, seconds(13 * 30'000));
    const double blocks = static_cast<double>(r->chain->blocks().size() - 1);
    const double mean = 13.0 * 30'000 / blocks;
    EXPECT_NEAR(mean, 13.0, 13.0 * 0.03) << blocks << " blocks";
}

TEST(Mainchain, OneMinerNeverForks) {
    const auto r = run(equal_miners(1, seconds(5)), std::nullopt, hours(24));
    EXPECT_EQ(stale_fraction(*r->chain, Time::zero() + hours(23)), 0.0);
    EXPECT_TRUE(r->chain->reader_reorgs().empty());
}

// A block of miner i (share s_i) races when another miner finds one within `delay` of
// it, before hearing of it: P = 1 − exp(−(1 − s_i) · delay / block_time); each race leaves
// one block stale. Over the miners: Σ s_i (1 − exp(−(1 − s_i) d / T)), which for many small
// miners is the spec's 1 − exp(−d / T). Exact for a race of two; d/T = 0.1 keeps races of
// three rare.
TEST(Mainchain, NaturalForkRateMatchesTheClosedForm) {
    for (const std::size_t n : {2u, 10u}) {
        const MainchainConfig c = equal_miners(n, millis(1300));
        const Duration length = seconds(13 * 40'000);
        const auto r = run(c, std::nullopt, length, 7);
        const double s = 1.0 / static_cast<double>(n);
        const double expected = 1.0 - std::exp(-(1.0 - s) * 0.1);
        const double measured = stale_fraction(*r->chain, Time::zero() + length - minutes(10));
        EXPECT_NEAR(measured, expected, expected * 0.12) << n << " miners";
    }
}

TEST(Mainchain, DelayMakesForksAndTheReaderFollowsTheHeaviestChain) {
    const auto r = run(equal_miners(10, seconds(3)), std::nullopt, hours(24));
    const Mainchain& m = *r->chain;
    EXPECT_FALSE(m.reader_reorgs().empty());
    // The reader's chain is a chain of parents down to genesis, as long as the longest branch.
    std::uint64_t longest = 0;
    for (const auto& b : m.blocks()) longest = std::max(longest, b.height);
    EXPECT_GE(m.reader_height() + 1, longest);  // a block mined within the last delay may be unseen
    std::uint32_t x = m.reader_head();
    for (std::uint64_t h = m.reader_height(); h > 0; --h) {
        EXPECT_EQ(m.blocks()[x].height, h);
        x = m.blocks()[x].parent;
    }
    EXPECT_EQ(x, 0u);
}

// A majority attacker (q > 1/2) always gets ahead eventually (the gap is a random walk
// with drift 2q − 1 > 0): it releases, and the reader drops at least reorg_depth blocks.
// A minority one (q = 0.3) needs to lead a chain that is already reorg_depth = 20 long,
// which has probability about (q / (1 − q))^20 ≈ 4·10^-8: it never releases.
TEST(Mainchain, MajorityAttackReorganisesAtLeastTheDepth) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        MainchainAttack a{0.6, 20, Time::zero() + minutes(10)};
        const auto r = run(equal_miners(4, millis(500)), a, hours(6), seed);
        const Mainchain& m = *r->chain;
        ASSERT_TRUE(m.attack_released().has_value()) << "seed " << seed;
        std::uint32_t deepest = 0;
        for (const auto& g : m.reader_reorgs()) deepest = std::max(deepest, g.depth);
        EXPECT_GE(deepest, 20u) << "seed " << seed;
        // The released branch is on the reader's chain.
        std::size_t attack_blocks_on_chain = 0;
        for (std::uint32_t b = 1; b < m.blocks().size(); ++b)
            attack_blocks_on_chain += m.blocks()[b].attack && m.on_reader_chain(b);
        EXPECT_GT(attack_blocks_on_chain, 20u);
    }
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        MainchainAttack a{0.3, 20, Time::zero() + minutes(10)};
        const auto r = run(equal_miners(4, millis(500)), a, hours(6), seed);
        EXPECT_FALSE(r->chain->attack_released().has_value()) << "seed " << seed;
    }
}

TEST(Mainchain, SameSeedSameChain) {
    const auto a = run(equal_miners(5, seconds(1)), std::nullopt, hours(3), 3);
    const auto b = run(equal_miners(5, seconds(1)), std::nullopt, hours(3), 3);
    ASSERT_EQ(a->chain->blocks().size(), b->chain->blocks().size());
    for (std::size_t i = 0; i < a->chain->blocks().size(); ++i) {
        EXPECT_EQ(a->chain->blocks()[i].mined, b->chain->blocks()[i].mined);
        EXPECT_EQ(a->chain->blocks()[i].miner, b->chain->blocks()[i].miner);
    }
}

}  // namespace
}  // namespace cl::sim::world
