// Property tests over long random operation sequences (shared/spec/promo-pool.md §3
// invariants, §6 state root): requests, redeems, transfers, renewals, expiries, quota
// changes, token moves and a change of the signer set (a cloud registers and is voted
// in, another is voted out, §2), with forks executed from earlier states and abandoned,
// and sibling forks from the head that the chain sometimes adopts (a reorg).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "protocol/core/split_mix64.hpp"
#include "tests/state/ledger_fixture.hpp"

namespace cl::state {
namespace {

using namespace testing;

const Actor kCloudD = actor("cloud-d/operator");
const Actor kValidatorD = actor("cloud-d/validator");

// The signer set after block `number` (§2: Clique voting decides it; here a fixed
// schedule): cloud-d's validator is voted in at kJoinAt, cloud-c's voted out at kLeaveAt.
constexpr std::uint64_t kJoinAt = 40;
constexpr std::uint64_t kLeaveAt = 150;
std::vector<Address> signers_after(std::uint64_t number) {
    std::vector<Address> signers{kValidatorA.address, kValidatorB.address};
    if (number < kLeaveAt) signers.push_back(kValidatorC.address);
    if (number >= kJoinAt) signers.push_back(kValidatorD.address);
    return signers;
}

struct Block {
    std::vector<RecoveredTransaction> txs;
    std::vector<Address> signers;
};

class RandomChain {
  public:
    // Seeds from kRefillSeeds on also turn on refilling quotas (pool.refill, issue 14).
    explicit RandomChain(std::uint64_t seed)
        : rng_(seed),
          config_(make_config(seed >= kRefillSeeds)),
          registration_{"cloud-d", kValidatorD.address,
                        sign(attestation_hash(kChainId, "cloud-d", kValidatorD.address), kNotary.key)} {
        for (int i = 0; i < 8; ++i) users_.push_back(actor("user-" + std::to_string(i)));
        clouds_ = {kCloudA, kCloudB, kCloudC, kCloudD};
        for (const Actor& u : users_) everyone_.push_back(u);
        for (const Actor& c : clouds_) everyone_.push_back(c);
    }

    static constexpr std::uint64_t kRefillSeeds = 100;

    static GenesisConfig make_config(bool refill) {
        GenesisConfig c = test_config();
        if (refill) c.pool.refill = RefillConfig{9, RefillAmount::kInitial, 0};
        c.pool.ttl.kind = TtlKind::kRenewable;
        c.pool.ttl.ttl_blocks = 6;
        c.pool.ttl.max_renewals = 2;
        c.pool.max_transfers = 2;
        c.pool.per_block_issue_cap = 4;
        c.clouds[0].quotas = {20, 5};
        c.clouds[1].quotas = {10, 5};
        return c;
    }

    // A block of random calls valid against `parent` (nonces from the parent state).
    Block random_block(const LedgerState& parent) {
        Block block;
        block.signers = signers_after(parent.number() + 1);
        std::map<Address, std::uint64_t> nonces;
        const std::uint64_t n = uniform_below(rng_, 14);
        for (std::uint64_t i = 0; i < n; ++i) {
            const Actor& from = pick(everyone_);
            auto [it, fresh] = nonces.try_emplace(from.address, parent.account(from.address).nonce);
            Transaction t;
            t.chain_id = kChainId;
            t.nonce = it->second++;
            const Call call = random_call(from);
            t.to = contract_of(call);
            t.call = encode_call(call);
            block.txs.push_back(recover_transaction(sign_transaction(t, from.key)).value());
        }
        return block;
    }

    // Users mostly request, transfer and renew; clouds mostly redeem and set quotas. Codes
    // are drawn mostly from the most recent ones, so that many calls find them usable.
    Call random_call(const Actor& from) {
        const bool cloud =
            std::ranges::any_of(clouds_, [&](const Actor& c) { return c.address == from.address; });
        Hash32 code;
        if (!codes_.empty() && uniform_below(rng_, 20) != 0) {
            const std::size_t recent = std::min<std::size_t>(codes_.size(), 12);
            code = codes_[codes_.size() - 1 - uniform_below(rng_, recent)];
        }
        const std::uint64_t roll = uniform_below(rng_, 20);
        if (cloud) {
            // cloud-d registers (again and again: already_registered once it has).
            if (from.address == kCloudD.address && roll < 4) return registration_;
            if (roll < 13) return RedeemCall{code};
            if (roll < 16) return SetQuotaCall{uniform_below(rng_, 2), uniform_below(rng_, 25)};
            if (roll < 18) return TokenTransferCall{pick(everyone_).address, uniform_below(rng_, 4)};
            return TransferFromCall{pick(everyone_).address, from.address, uniform_below(rng_, 3)};
        }
        if (roll < 10) return RequestCall{uniform_below(rng_, 3), {}};  // tier 2 is unknown
        if (roll < 13) return TransferCodeCall{code, pick(everyone_).address};
        if (roll < 15) return RenewCall{code};
        if (roll < 17) return TokenTransferCall{pick(everyone_).address, uniform_below(rng_, 4)};
        if (roll < 19) return ApproveCall{pick(everyone_).address, uniform_below(rng_, 4)};
        return RedeemCall{code};  // not a member
    }

    // Learns the codes a block issued so later blocks refer to them.
    void learn(const BlockResult& result) {
        for (const Receipt& r : result.receipts) {
            for (const Event& e : r.events) {
                // A fork may replay a main-chain request exactly (same sender, nonce
                // and call), which issues the same code id.
                if (e.kind == EventKind::kIssued && known_.insert(e.code).second) codes_.push_back(e.code);
            }
        }
    }

    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[uniform_below(rng_, v.size())];
    }

    const GenesisConfig& config() const { return config_; }
    const std::vector<Actor>& everyone() const { return everyone_; }
    const std::vector<Hash32>& codes() const { return codes_; }

  private:
    SplitMix64 rng_;
    GenesisConfig config_;
    RegisterCloudCall registration_;  // cloud-d's, attested by the notary
    std::vector<Actor> users_, clouds_, everyone_;
    std::vector<Hash32> codes_;
    std::set<Hash32> known_;
};

// §3 invariants, recounted from every known code and account.
void check_invariants(const LedgerState& s, const RandomChain& chain) {
    const GenesisConfig& c = s.config();
    const std::size_t n_clouds = s.clouds().size();
    for (std::uint64_t t = 0; t < c.tiers.size(); ++t) {
        const TierEntry tier = s.tier(t);
        std::uint64_t quota_sum = 0, redeemed_sum = 0;
        for (std::uint64_t cl = 0; cl < n_clouds; ++cl) {
            const QuotaEntry q = s.quota(cl, t);
            ASSERT_LE(q.redeemed, q.quota) << "redeemed[c][t] <= quota[c][t]";
            quota_sum += q.quota;
            redeemed_sum += q.redeemed;
        }
        ASSERT_EQ(tier.capacity, quota_sum);
        ASSERT_EQ(tier.redeemed, redeemed_sum);
        ASSERT_LE(tier.live + tier.redeemed + tier.burned, tier.capacity) << "live + Σ redeemed <= Σ quota";
    }
    std::map<std::uint64_t, std::uint64_t> live_by_tier;
    std::map<Address, std::uint64_t> live_by_owner;
    for (const Hash32& id : chain.codes()) {
        const auto code = s.code(id);
        if (!code || code->status != CodeStatus::kIssued) continue;
        ++live_by_tier[code->tier];
        ++live_by_owner[code->owner];
        ASSERT_GE(code->expires_at, s.number() + 1) << "an issued code outlived its expiry block";
    }
    for (std::uint64_t t = 0; t < c.tiers.size(); ++t) ASSERT_EQ(s.tier(t).live, live_by_tier[t]);
    std::uint64_t balances = 0;
    for (const Actor& a : chain.everyone()) {
        ASSERT_EQ(s.account(a.address).live_codes, live_by_owner[a.address]);
        balances += s.account(a.address).balance;
    }
    ASSERT_EQ(balances, s.total_supply());
}

// Per chain: no code redeemed twice; every owner is the requester or a transferee.
class History {
  public:
    void record(const BlockResult& result) {
        for (const Receipt& r : result.receipts) {
            for (const Event& e : r.events) {
                if (e.kind == EventKind::kIssued) holders_[e.code].insert(e.to);
                if (e.kind == EventKind::kTransferred) {
                    ASSERT_TRUE(holders_[e.code].contains(e.from));
                    holders_[e.code].insert(e.to);
                }
                if (e.kind == EventKind::kRedeemed) {
                    ASSERT_TRUE(redeemed_.insert(e.code).second) << "code redeemed twice";
                    ASSERT_TRUE(holders_[e.code].contains(e.to)) << "owner neither requester nor transferee";
                    ++redemptions_;
                }
            }
        }
    }
    std::size_t redemptions() const { return redemptions_; }

  private:
    std::map<Hash32, std::set<Address>> holders_;
    std::set<Hash32> redeemed_;
    std::size_t redemptions_ = 0;
};

// One branch of the chain: its blocks, the state after each, and its History.
struct Branch {
    std::vector<Block> blocks;
    std::vector<LedgerState> states;
    History history;
};

class LedgerProperty : public ::testing::TestWithParam<std::uint64_t> {
  protected:
    // Extends `branch` (whose head is `head`) by `n` random blocks, checking the §3
    // invariants and the branch's History after each.
    void extend(RandomChain& chain, Branch& branch, LedgerState head, int n) {
        for (int i = 0; i < n; ++i) {
            Block block = chain.random_block(head);
            auto r = execute_block(head, BlockContext{head.number() + 1, block.signers}, block.txs);
            ASSERT_TRUE(r.has_value());
            chain.learn(*r);
            branch.history.record(*r);
            head = r->state;
            check_invariants(head, chain);
            if (HasFatalFailure()) return;
            branch.blocks.push_back(std::move(block));
            branch.states.push_back(head);
        }
    }
};

TEST_P(LedgerProperty, InvariantsHoldAndRootsDependOnlyOnTheBlockSequence) {
    RandomChain chain(GetParam());
    SplitMix64 choice(GetParam() + 1'000);  // which sibling forks are adopted
    const LedgerState genesis = LedgerState::genesis(chain.config()).value();
    LedgerState state = genesis;
    // The branch followed: blocks[i] leads to states[i + 1] (root roots[i]).
    std::vector<Block> blocks;
    std::vector<Hash32> roots;
    std::vector<LedgerState> states{genesis};
    History history;
    std::map<Reason, int> reasons;
    int sibling_forks = 0, reorgs = 0;
    constexpr int kBlocks = 300;
    for (int b = 0; b < kBlocks; ++b) {
        // Now and then execute a fork from an old ancestor and abandon it; it must not
        // disturb the states it branched from.
        if (b % 10 == 9) {
            const LedgerState& base = states[states.size() / 2];
            const Hash32 base_root = base.root();
            LedgerState fork = base;
            for (int f = 0; f < 3; ++f) {
                Block alt = chain.random_block(fork);
                auto r = execute_block(fork, BlockContext{fork.number() + 1, alt.signers}, alt.txs);
                ASSERT_TRUE(r.has_value());
                chain.learn(*r);  // fork codes are absent from the main chain's states
                fork = r->state;
                check_invariants(fork, chain);
            }
            ASSERT_EQ(base.root(), base_root);
        }
        const LedgerState parent = state;
        const bool sibling = b % 5 == 2;
        const History parent_history = sibling ? history : History{};
        Block block = chain.random_block(state);
        auto result = execute_block(state, BlockContext{state.number() + 1, block.signers}, block.txs);
        ASSERT_TRUE(result.has_value());
        for (const Receipt& r : result->receipts) ++reasons[r.reason];
        chain.learn(*result);
        history.record(*result);
        state = result->state;
        check_invariants(state, chain);
        if (HasFatalFailure()) return;
        blocks.push_back(std::move(block));
        roots.push_back(state.root());
        states.push_back(state);

        // A sibling fork: 1–3 blocks from the same parent as the block just executed. Half
        // of the time the chain adopts it (a reorg) and goes on from its head, so the
        // invariants and the History are checked on whichever branch is followed.
        if (sibling) {
            ++sibling_forks;
            const Hash32 parent_root = parent.root();
            Branch fork{{}, {}, parent_history};
            extend(chain, fork, parent, 1 + static_cast<int>(uniform_below(choice, 3)));
            if (HasFatalFailure()) return;
            ASSERT_EQ(parent.root(), parent_root);
            ASSERT_EQ(state.root(), roots.back()) << "the sibling block's state is undisturbed";
            if (uniform_below(choice, 2) == 0) {
                ++reorgs;
                blocks.pop_back();
                roots.pop_back();
                states.pop_back();
                for (std::size_t i = 0; i < fork.blocks.size(); ++i) {
                    blocks.push_back(std::move(fork.blocks[i]));
                    roots.push_back(fork.states[i].root());
                    states.push_back(fork.states[i]);
                }
                state = states.back();
                history = std::move(fork.history);
            }
        }
    }
    // Every old state of the followed branch is still readable and unchanged.
    ASSERT_EQ(states.size(), blocks.size() + 1);
    for (std::size_t i = 1; i < states.size(); ++i) ASSERT_EQ(states[i].root(), roots[i - 1]);

    // Replaying the followed branch's blocks from genesis reaches the same roots.
    LedgerState replay = genesis;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        replay = execute_block(replay, BlockContext{replay.number() + 1, blocks[i].signers}, blocks[i].txs)
                     .value()
                     .state;
        ASSERT_EQ(replay.root(), roots[i]) << "block " << i + 1;
    }
    // So does replaying them from a midpoint state after a fork was executed from that
    // very state and abandoned.
    const std::size_t mid = blocks.size() / 2;
    Branch abandoned;
    extend(chain, abandoned, states[mid], 4);
    if (HasFatalFailure()) return;
    ASSERT_NE(abandoned.states.back().root(), roots[mid + 3]);
    LedgerState from_mid = states[mid];
    for (std::size_t i = mid; i < blocks.size(); ++i) {
        from_mid =
            execute_block(from_mid, BlockContext{from_mid.number() + 1, blocks[i].signers}, blocks[i].txs)
                .value()
                .state;
        ASSERT_EQ(from_mid.root(), roots[i]) << "block " << i + 1 << ", replayed from block " << mid;
    }

    // The operations exercised the interesting paths.
    EXPECT_GT(history.redemptions(), 40u);
    EXPECT_GT(reasons[Reason::kNone], 100);
    EXPECT_GT(reasons[Reason::kExpired] + reasons[Reason::kAlreadyRedeemed], 20);
    EXPECT_GT(reasons[Reason::kPoolExhausted] + reasons[Reason::kUserLimit] + reasons[Reason::kBlockCap], 10);
    EXPECT_EQ(sibling_forks, kBlocks / 5);
    EXPECT_GT(reorgs, 10);
    // The signer-set changes took effect on the followed branch (§2).
    const std::vector<CloudEntry> clouds = state.clouds();
    ASSERT_EQ(clouds.size(), 4u) << "cloud-d registered";
    EXPECT_EQ(clouds[2].status, CloudStatus::kRemoved) << "cloud-c voted out";
    EXPECT_EQ(clouds[3].status, CloudStatus::kActive) << "cloud-d voted in";
}

INSTANTIATE_TEST_SUITE_P(Seeds, LedgerProperty, ::testing::Values(1, 2, 3, 4));
// With quotas that refill every 9 blocks by the genesis quotas (forks and reorgs included).
INSTANTIATE_TEST_SUITE_P(RefillSeeds, LedgerProperty, ::testing::Values(101, 102));

}  // namespace
}  // namespace cl::state
