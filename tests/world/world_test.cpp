// sim/world end to end: real nodes on the simulated network with workloads — determinism,
// safety and liveness in honest runs (issue 5 "Checks").
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "protocol/core/keccak.hpp"
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
    EXPECT_EQ(r.executions, r.blocks.size()) << "each block executed once, shared by all nodes";
}

}  // namespace
}  // namespace cl::sim::world
