// sim/world end to end: real nodes on the simulated network with workloads — determinism,
// safety and liveness in honest runs (issue 5 "Checks").
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "protocol/core/keccak.hpp"
#include "protocol/state/receipt.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {
namespace {

const net::RegionModel& regions() {
    static const net::RegionModel model =
        net::load_region_model(std::string(CLOUDLEDGER_SOURCE_DIR) + "/data/regions.yaml",
                               "ibm_cloud_2024_03")
            .value();
    return model;
}

WorldConfig small_world(std::uint64_t seed, Duration duration = hours(1)) {
    WorldConfig c;
    c.name = "small";
    c.seed = seed;
    c.duration = duration;
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8};
    for (std::size_t i = 0; i < validator_regions.size(); ++i) {
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {400, 400}});
    }
    RandomStream rng = RandomStreams(seed, 0).stream("topology");
    c.topology = make_world_topology(4, validator_regions, 20, {}, 6, regions(), rng);
    c.network.upload_bps = 100'000'000;
    c.network.latency = net::LatencyModel{net::JitterKind::kUniform, millis(5), 5.0};
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}, state::Tier{"large", 16, 64, 500, 24}};
    c.pool.ttl.ttl_blocks = 240;
    c.users.requests_per_second = 0.2;
    c.users.redeem_delay_mean = seconds(60);
    c.cloud_behaviour.confirmations = 2;
    return c;
}

Hash32 digest(const WorldResults& r) {
    Bytes out;
    auto put = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    auto put_hash = [&](const Hash32& h) { out.insert(out.end(), h.bytes.begin(), h.bytes.end()); };
    for (const BlockRecord& b : r.blocks) {
        put_hash(b.hash);
        put(static_cast<std::uint64_t>(b.sealed.nanos()));
        for (Duration d : b.arrivals) put(static_cast<std::uint64_t>(d.nanos()));
    }
    for (const RequestRecord& q : r.requests) {
        put_hash(q.tx);
        put(q.included ? static_cast<std::uint64_t>(q.included->nanos()) : 0);
        put(q.reason);
    }
    for (const RedemptionRecord& q : r.redemptions) {
        put_hash(q.code);
        put(q.reason);
    }
    for (const MessageCounters& m : r.network) put(m.bytes);
    put(r.events);
    return keccak256(out);
}

TEST(World, SameSeedSameDigestOtherSeedAnother) {
    const Hash32 a = digest(World(small_world(1, minutes(20))).run());
    const Hash32 b = digest(World(small_world(1, minutes(20))).run());
    const Hash32 c = digest(World(small_world(2, minutes(20))).run());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(World, HonestRunIsSafeAndLive) {
    const WorldResults r = World(small_world(7)).run();
    // Safety: every node agrees on the canonical chain up to the last few blocks.
    for (std::size_t i = 0; i < r.hashes_at_check.size(); ++i) {
        EXPECT_EQ(r.hashes_at_check[i], r.hashes_at_check[0]) << "node " << i;
    }
    const std::uint64_t lo = *std::min_element(r.final_numbers.begin(), r.final_numbers.end());
    const std::uint64_t hi = *std::max_element(r.final_numbers.begin(), r.final_numbers.end());
    EXPECT_LE(hi - lo, 1u);
    // Liveness: a block every period (15 s) on average, within 5 %, mostly in turn.
    std::size_t canonical = 0, in_turn = 0;
    for (const BlockRecord& b : r.blocks) {
        if (!b.canonical) continue;
        ++canonical;
        in_turn += b.in_turn ? 1 : 0;
    }
    EXPECT_NEAR(static_cast<double>(canonical), 3600.0 / 15.0, 3600.0 / 15.0 * 0.05);
    EXPECT_GT(static_cast<double>(in_turn) / static_cast<double>(canonical), 0.9);
    // Every node received every canonical block.
    for (const BlockRecord& b : r.blocks) {
        if (b.canonical && b.number + 2 < lo) {
            EXPECT_EQ(b.arrivals.size(), r.final_numbers.size()) << b.number;
        }
    }
    // Requests were served; no code redeemed twice.
    std::size_t served = 0;
    for (const RequestRecord& q : r.requests) served += q.success ? 1 : 0;
    EXPECT_GT(served, r.requests.size() * 8 / 10);
    std::set<Hash32> redeemed;
    std::size_t redemptions = 0;
    for (const RedemptionRecord& q : r.redemptions) {
        if (!q.success) continue;
        ++redemptions;
        EXPECT_TRUE(redeemed.insert(q.code).second) << "redeemed twice";
    }
    EXPECT_GT(redemptions, 0u);
    // Clouds allocate only once their redeem has k blocks on top on their own node.
    std::size_t allocated = 0;
    for (const RedemptionRecord& q : r.redemptions) {
        if (!q.allocated) continue;
        ++allocated;
        ASSERT_TRUE(q.success && q.included.has_value());
        EXPECT_GE(*q.allocated - *q.included, seconds(15) * 2 - seconds(1)) << "k = 2 blocks on top";
    }
    EXPECT_GT(allocated, redemptions / 2);
    EXPECT_EQ(r.executions, r.blocks.size()) << "each block executed once, shared by all nodes";
}


// A user whose code is confirmed gives it away with transfer_probability; the recipient,
// not the giver, presents it, and the cloud redeems it only for its owner.
TEST(WorldWorkload, TransfereesPresentTransferredCodes) {
    WorldConfig c = small_world(11, minutes(40));
    c.users.transfer_probability = 1.0;
    c.users.redeem_probability = 1.0;
    c.users.redeem_delay_mean = seconds(30);
    const WorldResults r = World(c).run();
    ASSERT_GT(r.transfers.size(), 10u);
    std::map<Hash32, const TransferRecord*> by_code;
    std::size_t completed = 0;
    for (const TransferRecord& t : r.transfers) {
        EXPECT_NE(t.from, t.to);
        EXPECT_GT(t.to, t.from) << "recipients are new users";
        by_code[t.code] = &t;
        if (t.confirmed) {
            EXPECT_TRUE(t.success);
            EXPECT_GE(*t.confirmed, t.submitted);
            ++completed;
        }
    }
    EXPECT_GT(completed, r.transfers.size() / 2);
    // Every confirmed request was transferred (probability 1), after its confirmation.
    for (const RequestRecord& q : r.requests) {
        if (!q.confirmed) continue;
        const auto it = by_code.find(q.tx);
        if (it == by_code.end()) continue;  // confirmed too late for the transfer to be sent
        EXPECT_EQ(it->second->from, q.user);
        EXPECT_GE(it->second->submitted, *q.confirmed);
    }
    std::size_t redeemed = 0;
    for (const RedemptionRecord& d : r.redemptions) {
        const auto it = by_code.find(d.code);
        ASSERT_NE(it, by_code.end()) << "every presented code was transferred first";
        const TransferRecord& t = *it->second;
        EXPECT_EQ(d.user, t.confirmed ? t.to : t.from);
        if (d.success) ++redeemed;
    }
    EXPECT_GT(redeemed, 0u);
}

// Refused users ask again after an exponential delay, at most max_attempts requests in all.
TEST(WorldWorkload, RefusedUsersRequestAgain) {
    WorldConfig c = small_world(5, minutes(40));
    c.txpool.stamp_bits = 8;  // requests carry no stamp: every one is refused by the txpool
    c.users.rerequest_probability = 1.0;
    c.users.rerequest_delay_mean = seconds(60);
    c.users.max_attempts = 3;
    const WorldResults r = World(c).run();
    std::map<std::uint64_t, std::vector<const RequestRecord*>> by_user;
    for (const RequestRecord& q : r.requests) by_user[q.user].push_back(&q);
    ASSERT_GT(by_user.size(), 100u);
    std::size_t three = 0;
    std::vector<double> delays;
    for (const auto& [user, rows] : by_user) {
        ASSERT_LE(rows.size(), 3u);
        three += rows.size() == 3 ? 1 : 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            EXPECT_EQ(rows[i]->attempt, i + 1);
            EXPECT_FALSE(rows[i]->included);
            EXPECT_GE(rows[i]->reason, 100) << "a txpool refusal";
            // The nonce was not used, so the same transaction is sent again.
            EXPECT_EQ(rows[i]->tx, rows[0]->tx);
            if (i > 0) delays.push_back((rows[i]->submitted - rows[i - 1]->submitted).to_seconds_f64());
        }
    }
    EXPECT_GT(three, by_user.size() / 2);
    ASSERT_GT(delays.size(), 100u);
    double sum = 0;
    for (double d : delays) sum += d;
    EXPECT_NEAR(sum / static_cast<double>(delays.size()), 60.0, 12.0);
    EXPECT_NE(*std::min_element(delays.begin(), delays.end()), *std::max_element(delays.begin(), delays.end()));
}

// A request that fails on chain (pool exhausted) is a refusal the user sees once its block
// has k blocks on top; with rerequest_probability 0 nobody asks again.
TEST(WorldWorkload, OnChainRefusalsAndNoRerequest) {
    WorldConfig c = small_world(9, minutes(30));
    for (CloudSpec& cloud : c.clouds) cloud.quotas = {2, 2};  // 8 codes per tier in all
    c.users.rerequest_probability = 1.0;
    c.users.max_attempts = 2;
    c.users.rerequest_delay_mean = seconds(20);
    const WorldResults r = World(c).run();
    std::size_t failed = 0, second = 0;
    for (const RequestRecord& q : r.requests) {
        if (q.included && !q.success) ++failed;
        if (q.attempt == 2) ++second;
        EXPECT_LE(q.attempt, 2u);
        if (!q.success) {
            EXPECT_FALSE(q.confirmed);
        }
    }
    EXPECT_GT(failed, 50u);
    EXPECT_GT(second, 30u);

    c.users.rerequest_probability = 0.0;
    for (const RequestRecord& q : World(c).run().requests) EXPECT_EQ(q.attempt, 1u);
}

// The screening time is exponential with mean screening_delay (not a constant).
TEST(WorldWorkload, ScreeningDelayIsExponential) {
    WorldConfig c = small_world(3, minutes(60));
    c.users.requests_per_second = 0.3;
    c.cloud_behaviour.screening_delay = seconds(20);
    c.cloud_behaviour.pass_probability = 1.0;
    c.users.redeem_delay_mean = minutes(5);  // long enough for the code to be confirmed at the clouds
    const WorldResults r = World(c).run();
    std::vector<double> screening;
    for (const RedemptionRecord& d : r.redemptions) {
        // Ready at the first query: the submission follows it by the screening time.
        if (d.submitted && *d.submitted - d.first_query < seconds(15) * 20)
            screening.push_back((*d.submitted - d.first_query).to_seconds_f64());
    }
    ASSERT_GT(screening.size(), 100u);
    double sum = 0;
    for (double x : screening) sum += x;
    const double mean = sum / static_cast<double>(screening.size());
    EXPECT_NEAR(mean, 20.0, 4.0);
    EXPECT_LT(*std::min_element(screening.begin(), screening.end()), 3.0);
    EXPECT_GT(*std::max_element(screening.begin(), screening.end()), 50.0);
}

// confirm = when the user's own node showed the request succeeded with k blocks on top:
// after the k-th block above the including block was sealed, never before.
TEST(WorldWorkload, ConfirmationIsTheUsersView) {
    const WorldResults r = World(small_world(4, minutes(20))).run();
    std::map<std::uint64_t, Time> canonical_sealed;
    for (const BlockRecord& b : r.blocks) {
        if (b.canonical) canonical_sealed[b.number] = b.sealed;
    }
    std::size_t checked = 0;
    for (const RequestRecord& q : r.requests) {
        if (!q.confirmed || !q.included) continue;
        ASSERT_TRUE(q.success);
        // k = 2: the block two above the including one was sealed no later than confirmation.
        std::uint64_t number = 0;
        for (const auto& [n, t] : canonical_sealed) {
            if (t == *q.included) number = n;
        }
        ASSERT_TRUE(canonical_sealed.contains(number + 2));
        EXPECT_GE(*q.confirmed, canonical_sealed[number + 2]);
        ++checked;
    }
    EXPECT_GT(checked, 100u);
}


// Propagation counts the nodes online when a block was sealed; a node that was down then
// and imports the block after its restart is a late arrival.
TEST(WorldWorkload, BlocksCountTheNodesOnlineAtSealing) {
    WorldConfig c = small_world(6, minutes(12));
    c.crashes.push_back(Crash{10, Time::zero() + minutes(2), Time::zero() + minutes(6)});
    const WorldResults r = World(c).run();
    const std::uint32_t n = static_cast<std::uint32_t>(r.final_numbers.size());
    std::size_t during = 0, late = 0;
    for (const BlockRecord& b : r.blocks) {
        const bool down = b.sealed >= Time::zero() + minutes(2) && b.sealed < Time::zero() + minutes(6);
        EXPECT_EQ(b.online, down ? n - 1 : n) << b.number;
        EXPECT_LE(b.arrivals.size(), b.online);
        if (down) {
            ++during;
            EXPECT_LE(b.late_arrivals, 1u);
            late += b.late_arrivals;
            if (b.canonical) {
                EXPECT_EQ(b.arrivals.size(), n - 1) << "every online node imported it";
            }
        } else {
            EXPECT_EQ(b.late_arrivals, 0u);
        }
    }
    EXPECT_GT(during, 10u);
    EXPECT_GT(late, 0u) << "the restarted node synced blocks sealed while it was down";
}

}  // namespace
}  // namespace cl::sim::world

namespace cl::sim::world {
namespace {

// Safety under the double redemption (spec §3: no code is redeemed twice on one chain):
// every holder presents its code to two clouds at once. At most one redemption of a code
// succeeds on the reference chain, the other attempts that reach a block fail
// already_redeemed, and the pool invariants hold on the final state.
TEST(World, DoublePresentedCodesAreRedeemedOnce) {
    WorldConfig c = small_world(11);
    c.users.double_present_probability = 1.0;
    World world(c);
    const WorldResults r = world.run();

    std::map<Hash32, std::size_t> successes, presentations;
    std::size_t blocked = 0;
    for (const RedemptionRecord& q : r.redemptions) {
        ++presentations[q.code];
        if (q.success) ++successes[q.code];
        if (q.included && !q.success && q.reason == static_cast<std::uint8_t>(state::Reason::kAlreadyRedeemed))
            ++blocked;
    }
    ASSERT_FALSE(presentations.empty());
    for (const auto& [code, n] : presentations) EXPECT_EQ(n, 2u) << "each code presented twice";
    for (const auto& [code, n] : successes) EXPECT_EQ(n, 1u) << "code redeemed twice: " << code.hex();
    EXPECT_GT(successes.size(), 0u);
    EXPECT_GT(blocked, 0u) << "no second redemption reached a block: the attack was not exercised";

    // §3 invariants on the reference chain's final state, and every success on it.
    const state::LedgerState& s = world.final_state();
    for (std::uint64_t t = 0; t < c.tiers.size(); ++t) {
        const state::TierEntry tier = s.tier(t);
        std::uint64_t quota = 0, redeemed = 0;
        for (std::uint64_t cloud = 0; cloud < c.clouds.size(); ++cloud) {
            const state::QuotaEntry q = s.quota(cloud, t);
            EXPECT_LE(q.redeemed, q.quota) << "cloud " << cloud << " tier " << t;
            quota += q.quota;
            redeemed += q.redeemed;
        }
        EXPECT_EQ(tier.redeemed, redeemed);
        EXPECT_LE(tier.live + redeemed, quota) << "tier " << t;
    }
    for (const auto& [code, n] : successes) {
        const auto entry = s.code(code);
        ASSERT_TRUE(entry.has_value());
        EXPECT_EQ(entry->status, state::CodeStatus::kRedeemed);
    }
}

}  // namespace
}  // namespace cl::sim::world
