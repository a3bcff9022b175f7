// Fork choice (shared/spec/clique.md §8, §9): the rules on hand-made heads, then the
// EIP-3436 scenarios of the vectors file on real chains built by the engine.
#include "protocol/clique/fork_choice.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "protocol/clique/chain.hpp"
#include "protocol/core/split_mix64.hpp"
#include "tests/support/clique_fixture.hpp"

namespace cl::clique {
namespace {

HeadView head(std::uint8_t id, std::uint64_t number, std::uint64_t td, std::uint64_t rule3 = 0) {
    HeadView h;
    h.hash.bytes[0] = id;
    h.number = number;
    h.total_difficulty = td;
    h.rule3 = rule3;
    return h;
}

Config with(ForkChoiceRule rule, Rule3Direction dir = Rule3Direction::kSmallest) {
    Config c;
    c.fork_choice = rule;
    c.rule3 = dir;
    return c;
}

constexpr ForkChoiceRule kAllRules[] = {ForkChoiceRule::kEip3436, ForkChoiceRule::kEip225Geth,
                                        ForkChoiceRule::kTdFirstSeen};

TEST(ForkChoice, HigherTotalDifficultyWinsUnderEveryRule) {
    SplitMix64 rng(1);
    for (auto rule : kAllRules) {
        EXPECT_TRUE(prefer_candidate(with(rule), head(1, 10, 15), head(2, 12, 16), rng));
        EXPECT_FALSE(prefer_candidate(with(rule), head(1, 10, 16), head(2, 9, 15), rng));
    }
}

TEST(ForkChoice, SameHeadNeverSwitches) {
    SplitMix64 rng(1);
    for (auto rule : kAllRules)
        EXPECT_FALSE(prefer_candidate(with(rule), head(1, 10, 15), head(1, 10, 15), rng));
}

TEST(ForkChoice, FirstSeenKeepsCurrentAtEqualDifficulty) {
    SplitMix64 rng(1);
    const Config c = with(ForkChoiceRule::kTdFirstSeen);
    EXPECT_FALSE(prefer_candidate(c, head(1, 10, 15), head(2, 9, 15), rng));      // even if shorter
    EXPECT_FALSE(prefer_candidate(c, head(2, 10, 15), head(1, 10, 15, 0), rng));  // even if lower hash
}

TEST(ForkChoice, LowerNumberWinsAtEqualDifficulty) {
    SplitMix64 rng(1);
    for (auto rule : {ForkChoiceRule::kEip3436, ForkChoiceRule::kEip225Geth}) {
        EXPECT_TRUE(prefer_candidate(with(rule), head(1, 10, 15), head(2, 9, 15), rng));
        EXPECT_FALSE(prefer_candidate(with(rule), head(1, 9, 15), head(2, 10, 15), rng));
    }
}

TEST(ForkChoice, GethFlipsASeededCoinAtEqualNumber) {
    const Config c = with(ForkChoiceRule::kEip225Geth);
    int switched = 0;
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        SplitMix64 a(seed), b(seed);
        const bool first = prefer_candidate(c, head(1, 10, 15), head(2, 10, 15), a);
        EXPECT_EQ(first, prefer_candidate(c, head(1, 10, 15), head(2, 10, 15), b));  // reproducible
        switched += first;
    }
    EXPECT_GT(switched, 400);
    EXPECT_LT(switched, 600);
}

TEST(ForkChoice, Eip3436Rule3InBothDirections) {
    SplitMix64 rng(1);
    // Besu leastRecentInTurnIsPreferred: block 8, index 3 (v = 5) beats index 2 (v = 6).
    const HeadView index2 = head(1, 8, 12, rule3_value(8, 2, 8));
    const HeadView index3 = head(2, 8, 12, rule3_value(8, 3, 8));
    ASSERT_EQ(index2.rule3, 6u);
    ASSERT_EQ(index3.rule3, 5u);
    EXPECT_TRUE(prefer_candidate(with(ForkChoiceRule::kEip3436), index2, index3, rng));
    EXPECT_FALSE(prefer_candidate(with(ForkChoiceRule::kEip3436), index3, index2, rng));
    const Config largest = with(ForkChoiceRule::kEip3436, Rule3Direction::kLargest);
    EXPECT_FALSE(prefer_candidate(largest, index2, index3, rng));
    EXPECT_TRUE(prefer_candidate(largest, index3, index2, rng));
}

TEST(ForkChoice, Eip3436Rule4LowerHash) {
    SplitMix64 rng(1);
    const Config c = with(ForkChoiceRule::kEip3436);
    EXPECT_TRUE(prefer_candidate(c, head(9, 8, 12, 3), head(4, 8, 12, 3), rng));
    EXPECT_FALSE(prefer_candidate(c, head(4, 8, 12, 3), head(9, 8, 12, 3), rng));
}

TEST(ForkChoice, Rule3ValueWrapsWithoutUnderflow) {
    EXPECT_EQ(rule3_value(17, 2, 8), 7u);
    EXPECT_EQ(rule3_value(17, 4, 8), 5u);
    EXPECT_EQ(rule3_value(0, 7, 8), 1u);
}

// ---- EIP-3436 scenarios (tests/vectors/clique-votes.json) on real chains -----------

nlohmann::json scenarios() {
    std::ifstream in(std::string(CLOUDLEDGER_VECTORS_DIR) + "/clique-votes.json");
    return nlohmann::json::parse(in).at("eip3436_scenarios").at("scenarios");
}

// Builds common + fork_a and common + fork_b with 8 signers (indices = sorted order).
class Scenario {
  public:
    Scenario(const nlohmann::json& s, const Config& config)
        : keys_(test::make_signers(8)), chain_(config, test::make_genesis(test::addresses(keys_))) {
        const Hash32 fork_point = extend(chain_.tree().genesis().hash, s.at("common"));
        tip_a_ = extend(fork_point, s.at("fork_a"));
        tip_b_ = extend(fork_point, s.at("fork_b"));
    }
    const BlockEntry& tip_a() const { return *chain_.tree().find(tip_a_); }
    const BlockEntry& tip_b() const { return *chain_.tree().find(tip_b_); }
    const Chain& chain() const { return chain_; }
    std::optional<Error> error;  // the first import that failed
    std::uint64_t failing_block = 0;

  private:
    Hash32 extend(Hash32 parent, const nlohmann::json& indices) {
        for (const auto& idx : indices) {
            const BlockEntry& p = *chain_.tree().find(parent);
            const test::Signer& s = keys_[idx.get<std::size_t>()];
            Header h = test::sealed(
                test::make_child(p.header, p.hash, chain_.snapshot(p.hash), s.address, chain_.config()), s);
            const std::uint64_t number = h.number;
            auto r = chain_.import(std::move(h), ~std::uint64_t{0}, rng_);
            if (!r) {
                if (!error) error = r.error(), failing_block = number;
                return parent;
            }
            parent = r->block->hash;
        }
        return parent;
    }
    std::vector<test::Signer> keys_;
    Chain chain_;
    SplitMix64 rng_{3};
    Hash32 tip_a_, tip_b_;
};

// Which fork the rule picks, asked both ways round (a rule must be consistent).
char choice(const Scenario& s, const Config& c) {
    SplitMix64 rng(9);
    const HeadView a = s.chain().head_view(s.tip_a()), b = s.chain().head_view(s.tip_b());
    const bool b_over_a = prefer_candidate(c, a, b, rng);
    const bool a_over_b = prefer_candidate(c, b, a, rng);
    EXPECT_NE(b_over_a, a_over_b);
    return b_over_a ? 'b' : 'a';
}

TEST(Eip3436Scenarios, S1LowerNumberDecides) {
    const auto s1 = scenarios().at(0);
    Scenario s(s1, Config{});
    ASSERT_FALSE(s.error.has_value());
    EXPECT_EQ(s.tip_a().header.number, s1["derived"]["fork_a"]["head_number"].get<std::uint64_t>());
    EXPECT_EQ(s.tip_b().header.number, s1["derived"]["fork_b"]["head_number"].get<std::uint64_t>());
    EXPECT_EQ(s.tip_a().total_difficulty, s.tip_b().total_difficulty);
    EXPECT_EQ(choice(s, with(ForkChoiceRule::kEip3436)), 'b');
    EXPECT_EQ(choice(s, with(ForkChoiceRule::kEip3436, Rule3Direction::kLargest)), 'b');
    EXPECT_EQ(choice(s, with(ForkChoiceRule::kEip225Geth)), 'b');
}

TEST(Eip3436Scenarios, S2ForkBViolatesRecents) {
    Scenario s(scenarios().at(1), Config{});
    ASSERT_TRUE(s.error.has_value());
    EXPECT_EQ(*s.error, Error::kRecentlySigned);
    EXPECT_EQ(s.failing_block, 17u);
}

TEST(Eip3436Scenarios, S3Rule3Decides) {
    const auto s3 = scenarios().at(2);
    Scenario s(s3, Config{});
    ASSERT_FALSE(s.error.has_value());
    const auto& derived = s3["derived"];
    EXPECT_EQ(s.chain().head_view(s.tip_a()).rule3, derived["fork_a"]["rule3_value"].get<std::uint64_t>());
    EXPECT_EQ(s.chain().head_view(s.tip_b()).rule3, derived["fork_b"]["rule3_value"].get<std::uint64_t>());
    EXPECT_EQ(s.tip_a().total_difficulty, s.tip_b().total_difficulty);
    EXPECT_EQ(choice(s, with(ForkChoiceRule::kEip3436, Rule3Direction::kSmallest)), 'b');
    EXPECT_EQ(choice(s, with(ForkChoiceRule::kEip3436, Rule3Direction::kLargest)), 'a');
}

TEST(Eip3436Scenarios, DifficultiesMatchTheDerivedValues) {
    for (std::size_t i : {0u, 2u}) {
        const auto sc = scenarios().at(i);
        Scenario s(sc, Config{});
        for (const char* fork : {"fork_a", "fork_b"}) {
            const BlockEntry* b = fork[5] == 'a' ? &s.tip_a() : &s.tip_b();
            std::vector<std::uint64_t> diffs;
            for (std::size_t k = 0; k < sc[fork].size(); ++k) {
                diffs.insert(diffs.begin(), b->header.difficulty);
                b = s.chain().tree().find(b->header.parent_hash);
            }
            EXPECT_EQ(diffs, sc["derived"][fork]["diffs"].get<std::vector<std::uint64_t>>()) << i << fork;
        }
    }
}

}  // namespace
}  // namespace cl::clique
