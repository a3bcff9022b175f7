// sim/world end to end: real nodes on the simulated network with workloads — determinism,
// safety and liveness in honest runs (issue 5 "Checks"); and under faults: a crashed
// validator that restarts, partitions that heal (a 5 | 4 split of nine validators judged
// against the peer and Clique rules), link failures and partial link loss;
// bad fault schedules refused as values by World::create.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <type_traits>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/state/receipt.hpp"
#include "protocol/txpool/stamp.hpp"
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

// The workload, CPU and TTL values these tests were written for (the world's defaults
// before the scenario's became the only ones, issue 10): set explicitly so that their
// premises and assertions stay as they were.
void use_test_workload(WorldConfig& c) {
    c.users.requests_per_second = 0.5;
    c.users.transfer_probability = 0;
    c.users.redeem_probability = 1.0;
    c.users.redeem_delay_mean = seconds(120);
    c.users.rerequest_probability = 0;
    c.users.max_attempts = 1;
    c.cpu.admit_tx = micros(55);
    c.pool.ttl.max_renewals = 0;
}

WorldConfig small_world(std::uint64_t seed, Duration duration = hours(1)) {
    WorldConfig c;
    use_test_workload(c);
    c.name = "small";
    c.seed = seed;
    c.duration = duration;
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8};
    for (std::size_t i = 0; i < validator_regions.size(); ++i) {
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {400, 400}});
    }
    RandomStream rng = RandomStreams(seed, 0).stream("topology");
    c.topology = net::regions_graph(24, 6, regions(), validator_regions, {}, rng);
    c.network.upload_bps = 100'000'000;
    c.network.latency = net::LatencyModel{net::JitterKind::kUniform, millis(5), 5.0};
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}, state::Tier{"large", 16, 64, 500, 24}};
    c.pool.ttl.ttl_blocks = 240;
    c.users.requests_per_second = 0.2;
    c.users.redeem_delay_mean = seconds(60);
    c.cloud_behaviour.confirmations = 2;
    return c;
}

// World::create for a configuration the test expects to be valid.
World make_world(WorldConfig c) {
    auto created = World::create(std::move(c));
    CL_ASSERT(created.has_value());
    return std::move(*created);
}

// A reason as one byte, for the digests below: state::Reason as is, a txpool refusal 100 +
// its value, a WorldReason 200 + its value.
std::uint8_t code(const OutcomeReason& reason) {
    if (const auto* r = std::get_if<state::Reason>(&reason)) return static_cast<std::uint8_t>(*r);
    if (const auto* r = std::get_if<txpool::Refusal>(&reason))
        return static_cast<std::uint8_t>(100 + static_cast<int>(*r));
    return static_cast<std::uint8_t>(200 + static_cast<int>(std::get<WorldReason>(reason)));
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
        put(code(q.reason));
    }
    for (const RedemptionRecord& q : r.redemptions) {
        put_hash(q.code);
        put(code(q.reason));
    }
    for (const MessageCounters& m : r.network) put(m.bytes);
    put(r.events);
    return keccak256(out);
}

// Validate once: a World is built only from a CheckedConfig, and only World::check makes
// one; World::create is check + build.
static_assert(!std::is_constructible_v<World, WorldConfig>);
static_assert(std::is_constructible_v<World, CheckedConfig>);
static_assert(!std::is_constructible_v<CheckedConfig, WorldConfig>);

TEST(World, SameSeedSameDigestOtherSeedAnother) {
    const Hash32 a = digest(make_world(small_world(1, minutes(20))).run());
    const Hash32 b = digest(make_world(small_world(1, minutes(20))).run());
    const Hash32 c = digest(make_world(small_world(2, minutes(20))).run());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(World, HonestRunIsSafeAndLive) {
    const WorldResults r = make_world(small_world(7)).run();
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

// The run is [0, duration) (docs/metrics.md "The end of the run"). With a 15 s period and
// a 5 min run, block 20 is due at the very end: its sealing is cut short, so it is not
// recorded (nor imported by anyone), and nothing else is recorded at or after the end.
TEST(World, RunEndsCleanlyAtItsDuration) {
    WorldConfig c = small_world(3, minutes(5));
    c.users.requests_per_second = 1;
    const Time end = Time::zero() + c.duration;
    const WorldResults r = make_world(c).run();
    ASSERT_FALSE(r.blocks.empty());
    std::uint64_t highest = 0;
    for (const BlockRecord& b : r.blocks) {
        EXPECT_LT(b.sealed, end) << "block " << b.number;
        for (Duration d : b.arrivals) EXPECT_LT(b.sealed + d, end) << "block " << b.number;
        EXPECT_GE(b.arrivals.size(), 1u) << "the sealer imported block " << b.number;
        highest = std::max(highest, b.number);
    }
    EXPECT_EQ(highest, 19u) << "block 20, due at the end, is not part of the run";
    for (std::uint64_t n : r.final_numbers) EXPECT_LE(n, 19u);
    for (const ReorgRecord& g : r.reorgs) EXPECT_LT(g.time, end);
    for (const RequestRecord& q : r.requests) {
        EXPECT_LT(q.submitted, end);
        EXPECT_LT(q.included.value_or(Time::zero()), end);
        EXPECT_LT(q.confirmed.value_or(Time::zero()), end);
        EXPECT_TRUE(!q.success || q.included.has_value()) << "succeeded in a block of the run";
    }
    for (const RedemptionRecord& q : r.redemptions) {
        EXPECT_LT(q.submitted.value_or(Time::zero()), end);
        EXPECT_LT(q.allocated.value_or(Time::zero()), end);
    }
    for (const Sample& s : r.samples) EXPECT_LE(s.time, end);
}

// A sample at t = duration looks at the end heads (docs/metrics.md "The end of the run"):
// block 20, whose sealing starts at 300 s but whose transactions' execution runs past the
// end 5 µs later, is not in the sealer's end head, so every node shows block 19.
TEST(World, SampleAtTheEndShowsNoBlockTheEndCutShort) {
    WorldConfig c = small_world(3, minutes(5) + micros(5));
    c.users.requests_per_second = 1;
    c.sample_interval = c.duration;  // one sample, at the end
    const WorldResults r = make_world(c).run();
    std::uint64_t highest = 0;
    for (const BlockRecord& b : r.blocks) highest = std::max(highest, b.number);
    ASSERT_EQ(highest, 19u) << "block 20 was cut short";
    ASSERT_EQ(r.samples.size(), 1u);
    EXPECT_EQ(r.samples[0].time, Time::zero() + c.duration);
    EXPECT_EQ(r.samples[0].head_spread, 0u);
    EXPECT_EQ(r.samples[0].distinct_heads, 1u);
}

// ---- faults ----------------------------------------------------------------------------

// Validators 0..3 (regions 0, 3, 6, 8), full nodes 4..23.
constexpr std::size_t kNodes = 24;

Address validator_address(const WorldConfig& c, std::size_t i) {
    return address_of(derive_private_key(c.seed, "validator/" + c.clouds[i].name));
}

std::size_t count_canonical(const WorldResults& r, Time from, Time to) {
    std::size_t n = 0;
    for (const BlockRecord& b : r.blocks) n += b.canonical && b.sealed >= from && b.sealed < to ? 1 : 0;
    return n;
}

// Every node ends on one chain (up to the last few blocks): safety after the faults end.
void expect_one_chain(const WorldResults& r) {
    ASSERT_EQ(r.hashes_at_check.size(), kNodes);
    for (std::size_t i = 0; i < r.hashes_at_check.size(); ++i) {
        EXPECT_EQ(r.hashes_at_check[i], r.hashes_at_check[0]) << "node " << i;
    }
    const auto [lo, hi] = std::minmax_element(r.final_numbers.begin(), r.final_numbers.end());
    EXPECT_LE(*hi - *lo, 1u);
}

TEST(WorldFaults, CrashedValidatorIsCoveredOutOfTurnAndResyncsAfterRestart) {
    WorldConfig c = small_world(3, minutes(25));
    const Time down = Time::at(minutes(5)), up = Time::at(minutes(15));
    c.crashes.push_back(Crash{1, down, up});
    const Address crashed = validator_address(c, 1);
    const WorldResults r = make_world(c).run();

    // While it is down the chain goes on: the others cover its turns out of turn.
    std::size_t during = 0, out_of_turn = 0, by_crashed = 0, after_by_crashed = 0;
    for (const BlockRecord& b : r.blocks) {
        if (b.sealed >= down && b.sealed < up) {
            by_crashed += b.signer == crashed ? 1 : 0;
            if (!b.canonical) continue;
            ++during;
            out_of_turn += b.in_turn ? 0 : 1;
        } else if (b.sealed >= up + minutes(1) && b.canonical) {
            after_by_crashed += b.signer == crashed ? 1 : 0;
        }
    }
    EXPECT_EQ(by_crashed, 0u);
    EXPECT_GE(during, 36u) << "about one block a period (40 in 10 min)";
    EXPECT_GE(out_of_turn, 6u) << "its in-turn slots (a quarter) are sealed out of turn";
    // After the restart it caught up (it imported the blocks it missed) and seals again.
    EXPECT_GT(after_by_crashed, 0u);
    expect_one_chain(r);
    for (const BlockRecord& b : r.blocks) {
        if (b.canonical && b.sealed >= down && b.sealed < up) {
            EXPECT_EQ(b.arrivals.size(), kNodes - 1) << "block " << b.number << " reached every online node";
            EXPECT_EQ(b.late_arrivals, 1u) << "and the crashed one after its restart";
        }
    }
}

// Validators 0-2 with full nodes 4-13 | validator 3 with full nodes 14-23, for 7 minutes.
WorldConfig split_world(std::uint64_t seed, std::vector<net::NodeId> group) {
    WorldConfig c = small_world(seed, minutes(25));
    c.partitions.push_back(
        net::PartitionSpec{"split", {std::move(group)}, Time::at(minutes(5)), Time::at(minutes(12))});
    return c;
}

TEST(WorldFaults, PartitionSplittingValidatorsHealsOntoOneChain) {
    std::vector<net::NodeId> majority{0, 1, 2};
    for (net::NodeId n = 4; n < 14; ++n) majority.push_back(n);
    const WorldConfig c = split_world(5, majority);
    const WorldResults r = make_world(c).run();
    const Time from = Time::at(minutes(5)), to = Time::at(minutes(12));
    // The side with three of four signers goes on; the lone signer's blocks of the split
    // are abandoned after the heal.
    EXPECT_GE(count_canonical(r, from, to), 25u);
    const Address lone = validator_address(c, 3);
    std::size_t lone_blocks = 0;
    for (const BlockRecord& b : r.blocks) {
        if (b.signer != lone || b.sealed < from || b.sealed >= to) continue;
        ++lone_blocks;
        EXPECT_FALSE(b.canonical) << "block " << b.number;
    }
    EXPECT_GE(lone_blocks, 1u) << "the minority forked";
    bool reorged = false;
    for (const ReorgRecord& g : r.reorgs) reorged |= g.time >= to && g.node >= 14;
    EXPECT_TRUE(reorged) << "the minority's nodes switched to the majority chain";
    EXPECT_GE(count_canonical(r, to + minutes(1), Time::at(minutes(25))), 45u) << "live after the heal";
    expect_one_chain(r);
}

TEST(WorldFaults, PartitionInWhichEverySideStallsRecoversAfterTheHeal) {
    std::vector<net::NodeId> half{0, 1};
    for (net::NodeId n = 4; n < 14; ++n) half.push_back(n);
    const WorldResults r = make_world(split_world(6, half)).run();
    const Time from = Time::at(minutes(5)), to = Time::at(minutes(12));
    // Two of four signers on each side: two blocks each side, then every signer is a
    // recent signer of its own side's head and waits (EIP-225: N/2+1 = 3).
    EXPECT_LE(count_canonical(r, from, to), 2u);
    // After the heal the dropped connections are redialled (within 35 s); their Status
    // handshakes carry each side's TD and the lighter side syncs from the heavier (the
    // sides' TDs differ here: with equal TDs neither would sync, and the split would last);
    // all follow one chain and the signers resume.
    EXPECT_GE(count_canonical(r, to + minutes(2), Time::at(minutes(25))), 40u);
    expect_one_chain(r);
}

TEST(WorldFaults, FailedLinksIsolateANodeThatCatchesUpWhenTheyReturn) {
    WorldConfig c = small_world(8, minutes(20));
    constexpr net::NodeId kIsolated = 10;
    const Time from = Time::at(minutes(5)), to = Time::at(minutes(10));
    for (net::NodeId p : c.topology.neighbours(kIsolated))
        c.link_failures.push_back(LinkFailure{kIsolated, p, from, to});
    const WorldResults r = make_world(c).run();
    std::uint64_t dropped = 0;
    for (const MessageCounters& m : r.network) dropped += m.dropped;
    EXPECT_GT(dropped, 0u);
    // A block sealed at 7 min reached some node (the isolated one) only after 10 min.
    for (const BlockRecord& b : r.blocks) {
        if (!b.canonical || b.sealed < Time::at(minutes(7)) || b.sealed >= Time::at(minutes(8))) continue;
        ASSERT_EQ(b.arrivals.size(), kNodes);
        EXPECT_GE(*std::max_element(b.arrivals.begin(), b.arrivals.end()), to - b.sealed) << b.number;
    }
    EXPECT_GE(count_canonical(r, Time::zero(), Time::at(minutes(20))), 76u);
    expect_one_chain(r);
}

TEST(WorldFaults, PartialLinkLossOnAValidatorsLinksSlowsButBreaksNothing) {
    WorldConfig c = small_world(9, minutes(20));
    for (net::NodeId p : c.topology.neighbours(0)) {
        c.link_losses.push_back(LinkLoss{0, p, 0.5, Time::at(minutes(2)), Time::at(minutes(18))});
    }
    const WorldResults r = make_world(c).run();
    std::uint64_t dropped = 0;
    for (const MessageCounters& m : r.network) dropped += m.dropped;
    EXPECT_GT(dropped, 100u);
    EXPECT_GE(count_canonical(r, Time::zero(), Time::at(minutes(20))), 76u);
    expect_one_chain(r);
}

TEST(WorldFaults, SameFaultsSameSeedSameDigest) {
    auto faulty = [] {
        WorldConfig c = small_world(4, minutes(15));
        c.crashes.push_back(Crash{2, Time::at(minutes(2)), Time::at(minutes(6))});
        c.partitions.push_back(
            net::PartitionSpec{"p", {{0, 4, 5, 6}}, Time::at(minutes(3)), Time::at(minutes(8))});
        for (net::NodeId p : c.topology.neighbours(1)) {
            c.link_losses.push_back(LinkLoss{1, p, 0.3, Time::at(minutes(1)), Time::at(minutes(12))});
        }
        return c;
    };
    EXPECT_EQ(digest(make_world(faulty()).run()), digest(make_world(faulty()).run()));
}

// ---- a 5 | 4 partition of nine validators (docs/simulation.md "Peers") ------------------
//
// Nine validators, one per cloud, fully connected by 50 ms links without jitter (so that
// ping rounds and block times fall exactly where the rules put them); users submit
// requests. Blocks come every 15 s: block m at 15·m s while every height is sealed.
//
// Clique (EIP-225): the signer in turn for height m is the one at position m mod 9 in
// the signer list sorted by address; it seals at difficulty 2, the others out of turn at
// 1 after a random wait of up to 2.5 s (geth: (9/2 + 1) × 500 ms); a signer that sealed
// one of the last four blocks (floor(9/2)) must wait.
//
// The sides are chosen by position: five = {0, 3, 4, 5, 8}, four = {1, 2, 6, 7}. The
// partition starts at 304 s, after block 20 (300 s) has reached everyone; blocks 17..20
// were sealed in turn (asserted), by positions 8, 0, 1, 2. Then, by the rules:
//   21 (in turn: 3, five):  five seals it in turn (+2). four: 1 and 2 are recent
//                           (19, 20), so 6 or 7 seals it out of turn (+1).
//   22 (4, five):           five +2. four: the other of 6 and 7, out of turn (+1).
//   23 (5, five):           five +2. four: 1, 2, 6, 7 all signed 19..22: it stalls.
//   24 (6, four), at 360 s: five: 8 or 0 (not recent) out of turn (+1), released by
//                           362.5 s. four: stalled.
// So after 21 five is ahead by one; after a 60 s partition (to 364 s) by 7 − 2 = 5.
// After the heal a node ends on the branch of higher total difficulty (fork choice; the
// chain sync needs a peer's TD to beat its own): every node ends on five's branch, and
// four's partition blocks are abandoned.
//
// Connections (geth p2p): each was opened at 0.05 s (both dials arrive then), so each
// side pings at 0.05 + 15·k s; a connection is dropped after 30 s without a read, and a
// dropped static peer is redialled at once when its last dial (at 0 s) is over 35 s old,
// else 35 s after it. The last reads across the cut before 304 s come at ≈ 300.1–300.3 s
// (the 300.05 s ping round and its pongs, block 20's relays and fetches).
//   25 s partition, [304, 329) s: only the 315.05 s round is lost; the 330.05 s pings
//       arrive at 330.1 s, before any read deadline (≥ 330.1 s + the 50 ms of the pong):
//       no connection drops. Nothing crosses between the heal and block 22, sealed in
//       turn by five at 330 s and relayed to all: four's nodes learn five's branch from it
//       (NewBlock, its missing parent fetched) and reorganise at 330–345 s.
//   60 s partition, [304, 364) s: every cross connection is dropped at ≈ 330.2 s (30 s
//       after its last read) and redialled at once (lost), then 35 s later at ≈ 365.2 s,
//       after the heal: the Status handshakes carry five's higher TD, four's nodes sync
//       from five's and reorganise then (365–375 s), before block 25 (375 s).
struct FiveFour {
    WorldConfig config;
    std::vector<net::NodeId> five, four;
    std::vector<std::size_t> position;  // of each validator in the sorted signer list
};

FiveFour five_four(Duration partition) {
    FiveFour f;
    WorldConfig& c = f.config;
    use_test_workload(c);
    c.name = "five-four";
    c.seed = 21;
    c.duration = minutes(8);
    c.started_together = true;  // the premises below count ping rounds from time 0
    for (int i = 0; i < 9; ++i) c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), 0, {400}});
    c.topology = net::complete_graph(9, net::LinkParams{millis(50), 0});
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.users.requests_per_second = 0.2;
    c.users.region_weights = {1.0};
    c.cloud_behaviour.confirmations = 2;
    std::vector<Address> signers;
    for (std::size_t i = 0; i < 9; ++i) signers.push_back(validator_address(c, i));
    std::vector<Address> sorted = signers;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < 9; ++i) {
        const auto p =
            static_cast<std::size_t>(std::find(sorted.begin(), sorted.end(), signers[i]) - sorted.begin());
        f.position.push_back(p);
        const bool in_five = p == 0 || p == 3 || p == 4 || p == 5 || p == 8;
        (in_five ? f.five : f.four).push_back(static_cast<net::NodeId>(i));
    }
    c.partitions.push_back(net::PartitionSpec{
        "five-four", {f.five, f.four}, Time::at(seconds(304)), Time::at(seconds(304)) + partition});
    return f;
}

const MessageCounters& counter(const WorldResults& r, const std::string& type) {
    const auto it = std::find_if(r.network.begin(), r.network.end(),
                                 [&](const MessageCounters& m) { return m.type == type; });
    EXPECT_NE(it, r.network.end()) << type;
    return *it;
}

// Checks the premises and the predicted ends above; returns the times of the heal's
// reorganisations (all on four's nodes).
std::vector<Time> expect_five_branch_wins(const FiveFour& f, const WorldResults& r, Time heal) {
    const Time start = Time::at(seconds(304));
    auto signer_position = [&](const Address& a) {
        for (std::size_t i = 0; i < 9; ++i)
            if (validator_address(f.config, i) == a) return f.position[i];
        ADD_FAILURE() << "unknown signer";
        return std::size_t{99};
    };
    for (const BlockRecord& b : r.blocks) {
        if (b.canonical && b.number >= 17 && b.number <= 20) {
            EXPECT_TRUE(b.in_turn) << "premise: block " << b.number << " in turn";
            EXPECT_EQ(signer_position(b.signer), b.number % 9);
        }
    }
    std::size_t four_blocks = 0;
    for (const BlockRecord& b : r.blocks) {
        if (b.sealed < start || b.sealed >= heal) continue;
        const std::size_t p = signer_position(b.signer);
        const bool from_five = p == 0 || p == 3 || p == 4 || p == 5 || p == 8;
        if (!from_five) {
            ++four_blocks;
            EXPECT_FALSE(b.canonical) << "four's block " << b.number << " is abandoned";
            EXPECT_TRUE(p == 6 || p == 7) << "only 6 and 7 may seal on four's side";
            EXPECT_LE(b.number, 22u) << "four stalls after 22";
        }
    }
    EXPECT_GE(four_blocks, 1u) << "four forked";
    // Every node ends on one chain: five's.
    for (std::size_t i = 0; i < r.hashes_at_check.size(); ++i)
        EXPECT_EQ(r.hashes_at_check[i], r.hashes_at_check[0]) << "node " << i;
    // The heal's reorganisations: from the partition to block 25 (375 s). (Later ones are
    // the usual one-block races of out-of-turn blocks.)
    std::vector<Time> reorgs;
    for (const ReorgRecord& g : r.reorgs) {
        if (g.time < start || g.time >= Time::at(seconds(375))) continue;
        const bool on_four = std::find(f.four.begin(), f.four.end(), g.node) != f.four.end();
        EXPECT_TRUE(on_four) << "node " << g.node << " of five reorganised at " << g.time.nanos();
        reorgs.push_back(g.time);
    }
    return reorgs;
}

TEST(WorldPartition, FiveFourFor25SecondsKeepsConnectionsAndFiveWinsOnItsNextBlock) {
    const FiveFour f = five_four(seconds(25));
    ASSERT_TRUE(World::check(f.config).has_value()) << World::check(f.config).error();
    const WorldResults r = make_world(f.config).run();
    const Time heal = Time::at(seconds(329));
    const std::vector<Time> reorgs = expect_five_branch_wins(f, r, heal);
    std::size_t five_in_partition = 0;
    for (const BlockRecord& b : r.blocks)
        five_in_partition += b.canonical && b.sealed >= Time::at(seconds(304)) && b.sealed < heal ? 1 : 0;
    EXPECT_EQ(five_in_partition, 1u) << "block 21";
    // No connection dropped: the 9·8 dials of the start and their answers are all the
    // Statuses, and no Disconnect was sent.
    EXPECT_EQ(counter(r, "status").messages, 144u);
    EXPECT_EQ(counter(r, "disconnect").messages, 0u);
    ASSERT_EQ(reorgs.size(), f.four.size()) << "each node of four switched once";
    for (const Time t : reorgs) {
        EXPECT_GE(t, Time::at(seconds(330))) << "with block 22";
        EXPECT_LT(t, Time::at(seconds(345)));
    }
}

TEST(WorldPartition, FiveFourFor60SecondsDropsAndRedialsConnectionsAndFiveWinsOnTheHandshake) {
    const FiveFour f = five_four(seconds(60));
    const WorldResults r = make_world(f.config).run();
    const Time heal = Time::at(seconds(364));
    const std::vector<Time> reorgs = expect_five_branch_wins(f, r, heal);
    std::size_t five_in_partition = 0;
    for (const BlockRecord& b : r.blocks)
        five_in_partition += b.canonical && b.sealed >= Time::at(seconds(304)) && b.sealed < heal ? 1 : 0;
    EXPECT_EQ(five_in_partition, 4u) << "blocks 21..24";
    // Each of the 5·4 cross connections was dropped by both ends (a Disconnect each),
    // each end dialling at once and again after the heal.
    EXPECT_EQ(counter(r, "disconnect").messages, 2u * 20u);
    EXPECT_GT(counter(r, "status").messages, 144u + 2u * 2u * 20u);
    ASSERT_EQ(reorgs.size(), f.four.size()) << "each node of four switched once";
    for (const Time t : reorgs) {
        EXPECT_GE(t, Time::at(seconds(365))) << "on the redial's handshake";
        EXPECT_LT(t, Time::at(seconds(375)));
    }
}

TEST(WorldCreate, BadFaultSchedulesAreValuesNotAborts) {
    struct Case {
        const char* what;
        std::function<void(WorldConfig&)> change;
        const char* message;
    };
    const Time t1 = Time::at(minutes(1)), t2 = Time::at(minutes(2));
    const Case cases[] = {
        {"overlapping partition groups",
         [&](WorldConfig& c) {
             c.partitions.push_back({"faults[0]", {{0, 1}, {1, 2}}, t1, t2});
         },
         "partition 'faults[0]'.groups[1][0]: node 1 is already in groups[0]"},
        {"empty partition group",
         [&](WorldConfig& c) {
             c.partitions.push_back({"p", {{0}, {}}, t1, t2});
         },
         "partition 'p'.groups[1]: a group needs at least one node"},
        {"a fork-choice rule for some nodes only",
         [&](WorldConfig& c) { c.fork_choices.assign(3, clique::ForkChoiceRule::kTdFirstSeen); },
         "fork_choices: 3 rules for 24 nodes (one per node, or none)"},
        {"crash of an unknown node",
         [&](WorldConfig& c) {
             c.crashes.push_back(Crash{99, t1, t2});
         },
         "crashes[0]: node_failure.node: node 99 does not exist (the topology has 24 nodes)"},
        {"restart before the crash",
         [&](WorldConfig& c) {
             c.crashes.push_back(Crash{1, t2, t1});
         },
         "crashes[0]: node_failure.end: end 60000000000 ns is before start 120000000000 ns"},
        {"lossy link that does not exist",
         [&](WorldConfig& c) {
             c.link_losses.push_back(LinkLoss{0, 0, 0.5, t1, t2});
         },
         "link_losses[0]: link_loss.b: a link joins two different nodes (both are 0)"},
        {"loss above one",
         [&](WorldConfig& c) {
             c.link_losses.push_back(LinkLoss{0, c.topology.neighbours(0)[0], 1.5, t1, t2});
         },
         "link_losses[0]: link_loss.probability: probability 1.5 is not in [0, 1]"},
        {"bad network loss", [&](WorldConfig& c) { c.network.loss = -1; },
         "network.loss: probability -1 is not in [0, 1]"},
        {"more clouds than nodes",
         [&](WorldConfig& c) {
             for (int i = 0; i < 30; ++i) {
                 std::string name = "x";  // not "x" + to_string(i): GCC 12 -O3 -Wrestrict false positive
                 name += std::to_string(i);
                 c.clouds.push_back(CloudSpec{name, 0, {1, 1}});
             }
         },
         "topology: 24 nodes for 34 clouds (each runs a validator node)"},
    };
    for (const Case& k : cases) {
        WorldConfig c = small_world(1, minutes(1));
        k.change(c);
        const auto validated = World::check(c);
        ASSERT_FALSE(validated.has_value()) << k.what;
        EXPECT_EQ(validated.error(), k.message) << k.what;
        const auto created = World::create(std::move(c));
        ASSERT_FALSE(created.has_value()) << k.what;
        EXPECT_EQ(created.error(), k.message) << k.what;
    }
    auto good = World::create(small_world(1, minutes(2)));
    ASSERT_TRUE(good.has_value()) << good.error();
    EXPECT_GT(good->run().blocks.size(), 5u);
}

// A user whose code is confirmed gives it away with transfer_probability; the recipient,
// not the giver, presents it, and the cloud redeems it only for its owner.
TEST(WorldWorkload, TransfereesPresentTransferredCodes) {
    WorldConfig c = small_world(11, minutes(40));
    c.users.transfer_probability = 1.0;
    c.users.redeem_probability = 1.0;
    c.users.redeem_delay_mean = seconds(30);
    const WorldResults r = make_world(c).run();
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
    c.txpool.account_slots = 0;  // every request is refused by the txpool (account_slots_full)
    c.users.rerequest_probability = 1.0;
    c.users.rerequest_delay_mean = seconds(60);
    c.users.max_attempts = 3;
    const WorldResults r = make_world(c).run();
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
            EXPECT_TRUE(std::holds_alternative<txpool::Refusal>(rows[i]->reason)) << "a txpool refusal";
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
    EXPECT_NE(*std::min_element(delays.begin(), delays.end()),
              *std::max_element(delays.begin(), delays.end()));
}

// A request that fails on chain (pool exhausted) is a refusal the user sees once its block
// has k blocks on top; with rerequest_probability 0 nobody asks again.
TEST(WorldWorkload, OnChainRefusalsAndNoRerequest) {
    WorldConfig c = small_world(9, minutes(30));
    for (CloudSpec& cloud : c.clouds) cloud.quotas = {2, 2};  // 8 codes per tier in all
    c.users.rerequest_probability = 1.0;
    c.users.max_attempts = 2;
    c.users.rerequest_delay_mean = seconds(20);
    const WorldResults r = make_world(c).run();
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
    for (const RequestRecord& q : make_world(c).run().requests) EXPECT_EQ(q.attempt, 1u);
}

// The screening time is exponential with mean screening_delay (not a constant).
TEST(WorldWorkload, ScreeningDelayIsExponential) {
    WorldConfig c = small_world(3, minutes(60));
    c.users.requests_per_second = 0.3;
    c.cloud_behaviour.screening_delay = seconds(20);
    c.cloud_behaviour.pass_probability = 1.0;
    c.users.redeem_delay_mean = minutes(5);  // long enough for the code to be confirmed at the clouds
    const WorldResults r = make_world(c).run();
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
    const WorldResults r = make_world(small_world(4, minutes(20))).run();
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
    const WorldResults r = make_world(c).run();
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

// ---- mixed clients (docs/scenarios.md "Clients") -------------------------------------------

// Two out-of-turn signers race for the turns of a validator that is down (six signers:
// the three that sealed last are recent, two of the rest are out of turn), so nodes often
// hold two sibling heads of equal total difficulty. A node running eip3436 (Besu) moves
// to the sibling rule 3 prefers when it saw the other first; a node running td-first-seen
// (Nethermind, OpenEthereum) keeps the one it saw first. Full nodes 6..17 run
// td-first-seen, the others the default eip3436: the rule each node applies is its own.
TEST(WorldClients, EachNodeAppliesItsOwnForkChoiceRule) {
    WorldConfig c;
    use_test_workload(c);
    c.name = "mixed-clients";
    c.seed = 21;
    c.duration = minutes(40);
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8, 1, 4};
    for (std::size_t i = 0; i < validator_regions.size(); ++i)
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {400}});
    RandomStream rng = RandomStreams(c.seed, 0).stream("topology");
    c.topology = net::regions_graph(30, 4, regions(), validator_regions, {}, rng);
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.users.requests_per_second = 0.1;
    c.crashes.push_back(Crash{0, Time::at(seconds(1)), std::nullopt});
    const std::size_t nodes = c.topology.node_count();
    c.fork_choices.assign(nodes, clique::ForkChoiceRule::kEip3436);
    auto first_seen = [](std::size_t n) { return n >= 6 && n < 18; };
    for (std::size_t n = 0; n < nodes; ++n) {
        if (first_seen(n)) c.fork_choices[n] = clique::ForkChoiceRule::kTdFirstSeen;
    }
    const WorldResults r = make_world(c).run();
    EXPECT_EQ(r.fork_choices, c.fork_choices) << "recorded as run";

    std::map<Hash32, const BlockRecord*> by_hash;
    for (const BlockRecord& b : r.blocks) by_hash[b.hash] = &b;
    std::vector<std::size_t> sibling_switches(nodes, 0);
    for (const ReorgRecord& g : r.reorgs) {
        const BlockRecord* from = by_hash.at(g.old_head);
        const BlockRecord* to = by_hash.at(g.new_head);
        // Same parent and difficulty: equal total difficulty and number.
        if (from->parent == to->parent && from->in_turn == to->in_turn) ++sibling_switches[g.node];
    }
    std::size_t eip3436_switches = 0;
    for (std::size_t n = 1; n < nodes; ++n) {
        if (first_seen(n)) {
            EXPECT_EQ(sibling_switches[n], 0u)
                << "td-first-seen node " << n << " keeps the head it saw first";
        } else {
            eip3436_switches += sibling_switches[n];
        }
    }
    EXPECT_GE(eip3436_switches, 5u) << "eip3436 nodes move to the sibling rule 3 prefers";
    // Safety all the same: one chain below the last few blocks.
    for (std::size_t n = 1; n < nodes; ++n) EXPECT_EQ(r.hashes_at_check[n], r.hashes_at_check[1]) << n;
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
    World world = make_world(c);
    const WorldResults r = world.run();

    std::map<Hash32, std::size_t> successes, presentations;
    std::size_t blocked = 0;
    for (const RedemptionRecord& q : r.redemptions) {
        ++presentations[q.code];
        if (q.success) ++successes[q.code];
        if (q.included && !q.success && q.reason == OutcomeReason{state::Reason::kAlreadyRedeemed}) ++blocked;
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

namespace cl::sim::world {
namespace {

// Users arrive as one Poisson process (exponential gaps of mean 1/rate), each from a
// region drawn by region_weights and asking for a tier drawn by tier_mix.
TEST(WorldWorkload, ArrivalsArePoissonWithTheRegionAndTierMix) {
    WorldConfig c = small_world(5, minutes(30));
    c.users.requests_per_second = 2.0;
    c.users.region_weights.assign(regions().regions.size(), 0.0);
    c.users.region_weights[0] = 1;
    c.users.region_weights[3] = 3;
    c.users.tier_mix = {7, 3};
    c.users.redeem_probability = 0;
    const WorldResults r = make_world(c).run();

    std::vector<double> gaps;
    std::size_t users = 0, region3 = 0, tier0 = 0;
    std::optional<Time> last;
    for (const RequestRecord& q : r.requests) {
        if (q.attempt != 1) continue;
        ++users;
        region3 += q.region == 3 ? 1 : 0;
        EXPECT_TRUE(q.region == 0 || q.region == 3) << q.region;
        tier0 += q.tier == 0 ? 1 : 0;
        if (last) gaps.push_back((q.submitted - *last).to_seconds_f64());
        last = q.submitted;
    }
    // 3,600 expected; each bound is about 4 standard deviations wide.
    EXPECT_NEAR(static_cast<double>(users), 3600.0, 240.0);
    const double n = static_cast<double>(users);
    EXPECT_NEAR(static_cast<double>(region3) / n, 0.75, 0.03);
    EXPECT_NEAR(static_cast<double>(tier0) / n, 0.70, 0.035);
    double mean = 0, var = 0;
    for (double g : gaps) mean += g;
    mean /= static_cast<double>(gaps.size());
    for (double g : gaps) var += (g - mean) * (g - mean);
    var /= static_cast<double>(gaps.size() - 1);
    EXPECT_NEAR(mean, 0.5, 0.04);
    EXPECT_NEAR(std::sqrt(var) / mean, 1.0, 0.08) << "exponential gaps: coefficient of variation 1";
}

}  // namespace
}  // namespace cl::sim::world

namespace cl::sim::world {
namespace {

// Issue 9, workload and pool: stamps, expiry, renewals, a world without users.

// With txpool.stamp_bits set, users compute the real stamp (the txpool admits their
// requests) and are charged the hashes the search took at hash_rate before sending.
TEST(WorldWorkload, UsersComputeRealStampsAndAreChargedTheHashes) {
    WorldConfig c = small_world(5, minutes(20));
    constexpr unsigned kBits = 8;
    c.txpool.stamp_bits = kBits;
    c.users.hash_rate = 100;  // 2^8 hashes ≈ 2.56 s per request
    const WorldResults r = make_world(c).run();
    ASSERT_GT(r.requests.size(), 100u);
    std::size_t confirmed = 0;
    double hashes = 0;
    for (const RequestRecord& q : r.requests) {
        EXPECT_NE(q.reason, OutcomeReason{txpool::Refusal::kMissingStamp}) << "stamp missing";
        EXPECT_NE(q.reason, OutcomeReason{txpool::Refusal::kBadStamp}) << "stamp too weak";
        // The real search over the user's address and the nonce (0: its first request).
        const Address sender = address_of(derive_private_key(c.seed, "user/" + std::to_string(q.user)));
        ASSERT_EQ(q.attempt, 1u);
        EXPECT_EQ(q.stamp_hashes, txpool::find_stamp(sender, 0, kBits).hashes);
        EXPECT_EQ(q.stamp_time, Duration::from_nanos(static_cast<std::int64_t>(
                                    std::ceil(static_cast<double>(q.stamp_hashes) * 1e9 / 100.0))));
        hashes += static_cast<double>(q.stamp_hashes);
        confirmed += q.confirmed ? 1 : 0;
    }
    EXPECT_GT(confirmed, r.requests.size() / 2) << "stamped requests are admitted and served";
    EXPECT_NEAR(hashes / static_cast<double>(r.requests.size()), 256.0, 60.0) << "geometric, mean 2^bits";

    // The charge delays sending: with a far faster device the same users arrive at the
    // same times (arrivals do not depend on the rest of the world) and send earlier by
    // exactly the difference of their stamp times.
    WorldConfig fast = c;
    fast.users.hash_rate = 1e12;
    std::map<std::uint64_t, Time> arrived;
    for (const RequestRecord& q : make_world(fast).run().requests)
        arrived[q.user] = q.submitted - q.stamp_time;
    std::size_t compared = 0;
    for (const RequestRecord& q : r.requests) {
        if (!arrived.contains(q.user)) continue;
        EXPECT_EQ(q.submitted - q.stamp_time, arrived[q.user]) << "user " << q.user;
        EXPECT_GT(q.submitted, arrived[q.user]);
        ++compared;
    }
    EXPECT_GT(compared, 100u);
}

// A code presented after it expired is refused by the cloud as expired (not recorded as
// never confirmed).
TEST(WorldWorkload, CodesPresentedAfterExpiryAreRecordedExpired) {
    WorldConfig c = small_world(7, minutes(40));
    c.pool.ttl.ttl_blocks = 8;               // two minutes at 15 s
    c.users.redeem_delay_mean = minutes(8);  // most holders present after that
    const WorldResults r = make_world(c).run();
    std::size_t expired = 0;
    for (const RedemptionRecord& d : r.redemptions) {
        if (d.reason == OutcomeReason{state::Reason::kExpired} && !d.included) {
            ++expired;
            EXPECT_FALSE(d.submitted) << "the cloud sends no redeem for an expired code";
        }
        EXPECT_NE(d.reason, OutcomeReason{WorldReason::kNeverConfirmed}) << "never_confirmed";
    }
    EXPECT_GT(expired, r.redemptions.size() / 2);
}

std::size_t expired_presentations(const WorldResults& r) {
    std::size_t n = 0;
    for (const RedemptionRecord& d : r.redemptions)
        n += d.reason == OutcomeReason{state::Reason::kExpired} ? 1 : 0;
    return n;
}

// Under the renewable policy holders renew codes they have not redeemed before expiry,
// through the pool contract, at most max_renewals times a code; renewed codes are
// redeemed where they would otherwise have expired.
TEST(WorldWorkload, HoldersRenewBeforeExpiryWithinMaxRenewals) {
    WorldConfig c = small_world(8, minutes(60));
    c.pool.ttl.kind = state::TtlKind::kRenewable;
    c.pool.ttl.ttl_blocks = 40;  // ten minutes
    c.pool.ttl.max_renewals = 2;
    c.users.redeem_delay_mean = minutes(20);
    c.users.renew_probability = 1.0;
    c.users.renew_margin = minutes(3);
    World world = make_world(c);
    const WorldResults r = world.run();
    ASSERT_GT(r.renewals.size(), 50u);
    std::map<Hash32, std::size_t> renewed;
    std::map<Hash32, const RequestRecord*> requests;
    for (const RequestRecord& q : r.requests) requests[q.tx] = &q;
    for (const RenewalRecord& n : r.renewals) {
        ASSERT_TRUE(requests.contains(n.code));
        const RequestRecord& q = *requests[n.code];
        EXPECT_EQ(n.user, q.user);
        ASSERT_TRUE(q.confirmed);
        EXPECT_GE(n.submitted, *q.confirmed) << "a holder renews a code it holds";
        // Before expiry: the code's block plus 40 blocks is about 10 minutes after inclusion.
        if (n.success) ++renewed[n.code];
    }
    ASSERT_GT(renewed.size(), 20u);
    const state::LedgerState& s = world.final_state();
    for (const auto& [code, count] : renewed) {
        EXPECT_LE(count, 2u);
        const auto entry = s.code(code);
        ASSERT_TRUE(entry.has_value());
        EXPECT_EQ(entry->renewals, count);
    }

    c.users.renew_probability = 0;
    const WorldResults without = make_world(c).run();
    EXPECT_TRUE(without.renewals.empty());
    EXPECT_LT(expired_presentations(r) * 2, expired_presentations(without))
        << "renewals keep codes alive until they are presented";
}

// Stamps and renewals are deterministic: same seed, same requests, stamp times and renewals.
TEST(WorldWorkload, SameSeedSameStampsAndRenewals) {
    WorldConfig c = small_world(12, minutes(25));
    c.txpool.stamp_bits = 6;
    c.users.hash_rate = 50;
    c.pool.ttl.kind = state::TtlKind::kRenewable;
    c.pool.ttl.ttl_blocks = 30;
    c.pool.ttl.max_renewals = 3;
    c.users.redeem_delay_mean = minutes(15);
    c.users.renew_probability = 0.7;
    c.users.renew_margin = minutes(2);
    auto fingerprint = [](const WorldResults& r) {
        Bytes out;
        for (const RequestRecord& q : r.requests) {
            out.insert(out.end(), q.tx.bytes.begin(), q.tx.bytes.end());
            const auto t = static_cast<std::uint64_t>(q.submitted.nanos() + q.stamp_time.nanos());
            for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(t >> (8 * i)));
        }
        for (const RenewalRecord& n : r.renewals) {
            out.insert(out.end(), n.tx.bytes.begin(), n.tx.bytes.end());
            out.push_back(code(n.reason));
        }
        return keccak256(out);
    };
    const WorldResults a = make_world(c).run();
    ASSERT_FALSE(a.renewals.empty());
    const WorldResults b = make_world(c).run();
    EXPECT_EQ(fingerprint(a), fingerprint(b));
    EXPECT_EQ(digest(a), digest(b));
}

// A world without users (arrival rate 0, no region to draw from) runs: blocks are sealed.
TEST(World, RunsWithoutUsers) {
    WorldConfig c = small_world(2, minutes(5));
    c.users.requests_per_second = 0;
    c.users.region_weights.assign(regions().regions.size(), 0.0);
    auto world = World::create(c);
    ASSERT_TRUE(world.has_value()) << world.error();
    const WorldResults r = world->run();
    EXPECT_GT(r.blocks.size(), 15u);
    EXPECT_TRUE(r.requests.empty());

    // Without users any stamp difficulty is fine; with users the stamps are computed.
    c.txpool.stamp_bits = 40;
    EXPECT_TRUE(World::check(c).has_value());
    WorldConfig busy = small_world(2, minutes(5));
    busy.txpool.stamp_bits = 40;
    const auto refused = World::check(busy);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().starts_with("txpool.stamp_bits: at most 24")) << refused.error();
}

}  // namespace
}  // namespace cl::sim::world
