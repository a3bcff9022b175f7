// The spam adversary (sim/world/adversary/spam.hpp; docs/attacks.md "Spam"): per-identity
// limits stop one identity's flood but not sybils'; the stamp's price is 2^bits / hash_rate
// for attacker and users alike; junk is checked (and charged) and never enters a block.
#include <gtest/gtest.h>

#include <cmath>

#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/scenario/loader.hpp"
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

// Four clouds, 12 full nodes, generous quotas, every limit off; users arrive slowly.
WorldConfig small_world(Duration duration) {
    WorldConfig c;
    c.name = "spam";
    c.seed = 5;
    c.duration = duration;
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8};
    for (std::size_t i = 0; i < validator_regions.size(); ++i)
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {5000}});
    RandomStream rng = RandomStreams(c.seed, 0).stream("topology");
    c.topology = net::regions_graph(16, 4, regions(), validator_regions, {}, rng);
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.pool.per_user_live.reset();
    c.txpool = txpool::Config::unlimited();
    c.users.requests_per_second = 0.05;
    c.cloud_behaviour.confirmations = 2;
    return c;
}

SpamConfig flood(std::optional<std::uint64_t> identities, double rate = 2) {
    SpamConfig s;
    s.from = Time::zero() + minutes(1);
    s.to = Time::zero() + minutes(14);
    s.rate_from = s.rate_to = rate;
    s.identities = identities;
    s.entry = {4, 5, 6};
    return s;
}

// The flood of a world configured with one (adversaries[0]).
SpamConfig& spam(WorldConfig& c) { return std::get<SpamConfig>(c.adversaries[0].attack); }

double metric(const WorldResults& r, const std::string& name) {
    for (const Metric& m : r.metrics) {
        if (m.name == "spam.flood." + name) return m.value;
    }
    ADD_FAILURE() << "no metric spam.flood." << name;
    return -1;
}

WorldResults run(WorldConfig c) {
    auto world = World::create(std::move(c));
    EXPECT_TRUE(world.has_value()) << world.error();
    WorldResults r = world->run();
    EXPECT_TRUE(r.check_failures.empty()) << r.check_failures.front();
    return r;
}

// pool.per_user_live: one identity holds at most 3 codes; fresh identities hold one each.
TEST(Spam, PerUserLiveStopsOneIdentityNotSybils) {
    WorldConfig c = small_world(minutes(15));
    c.pool.per_user_live = 3;
    c.adversaries = {AdversaryConfig{"flood", flood(1)}};
    const WorldResults single = run(c);
    EXPECT_GT(metric(single, "included"), 1000) << "the flood reached the chain";
    EXPECT_EQ(metric(single, "codes_held"), 3);
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt)}};
    const WorldResults sybil = run(c);
    EXPECT_GT(metric(sybil, "codes_held"), 1000) << "a new key per request: the limit never applies";
    EXPECT_EQ(metric(sybil, "codes_held"), metric(sybil, "identities"));
}

// pool.per_user_lifetime: one identity makes at most 2 successful requests, ever.
TEST(Spam, PerUserLifetimeStopsOneIdentityNotSybils) {
    WorldConfig c = small_world(minutes(15));
    c.pool.per_user_lifetime = 2;
    c.adversaries = {AdversaryConfig{"flood", flood(1)}};
    EXPECT_EQ(metric(run(c), "codes_held"), 2);
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt)}};
    EXPECT_GT(metric(run(c), "codes_held"), 1000);
}

// The txpool's per-sender token bucket (burst 5, 1 per 60 s): one identity gets ~5 + 13
// transactions admitted in 13 minutes; sybils are never limited.
TEST(Spam, TokenBucketStopsOneIdentityNotSybils) {
    WorldConfig c = small_world(minutes(15));
    c.txpool.rate_limit = txpool::RateLimit{5, std::chrono::seconds(60)};
    c.adversaries = {AdversaryConfig{"flood", flood(1)}};
    const WorldResults single = run(c);
    EXPECT_LE(metric(single, "admitted"), 5 + 14 * 3) << "one bucket per entry node at most";
    EXPECT_GT(metric(single, "refused_rate_limited"), 1000);
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt)}};
    const WorldResults sybil = run(c);
    EXPECT_EQ(metric(sybil, "refused_rate_limited"), 0);
    EXPECT_EQ(metric(sybil, "admitted"), metric(sybil, "sent"));
}

// account_slots / account_queue: one sender's flood overflows its slots; sybils' do not.
TEST(Spam, AccountSlotsStopOneIdentityNotSybils) {
    WorldConfig c = small_world(minutes(15));
    c.txpool.account_slots = 16;
    c.txpool.account_queue = 64;
    c.adversaries = {AdversaryConfig{"flood", flood(1, 10)}};
    const WorldResults single = run(c);
    EXPECT_GT(metric(single, "refused_account_slots_full") + metric(single, "refused_account_queue_full"),
              100);
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 10)}};
    const WorldResults sybil = run(c);
    EXPECT_EQ(metric(sybil, "refused_account_slots_full") + metric(sybil, "refused_account_queue_full"), 0);
    EXPECT_EQ(metric(sybil, "admitted"), metric(sybil, "sent"));
}

// The stamp: the attacker's miner spends 2^bits / hash_rate per request on average (the
// real search), so it sends at most hash_rate / 2^bits requests per second; users pay
// 2^bits / users.hash_rate each.
TEST(Spam, StampCostScalesWithBitsOverHashRateOnBothSides) {
    std::vector<double> attacker_mean, user_mean, sent;
    for (const unsigned bits : {8u, 10u}) {
        WorldConfig c = small_world(minutes(15));
        c.txpool.stamp_bits = bits;
        c.users.requests_per_second = 0.5;
        c.users.hash_rate = 2048;  // 2^bits / 2048 s per user request
        c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 50)}};
        spam(c).hash_rate = 256;  // ~1 request/s at 8 bits, ~0.25/s at 10
        const WorldResults r = run(c);
        const double expected = std::ldexp(1.0, static_cast<int>(bits)) / 256;
        attacker_mean.push_back(metric(r, "stamp_time_mean"));
        EXPECT_NEAR(attacker_mean.back(), expected, 0.25 * expected) << bits << " bits";
        EXPECT_NEAR(metric(r, "stamp_hashes") / metric(r, "stamps"), std::ldexp(1.0, static_cast<int>(bits)),
                    0.25 * std::ldexp(1.0, static_cast<int>(bits)));
        // The miner is the bottleneck: about 13 min of mining, nothing faster.
        EXPECT_LE(metric(r, "sent"), 13 * 60 / expected * 1.3);
        EXPECT_GT(metric(r, "stamps_unfinished"), 0) << "the flood wanted more than its miner could stamp";
        double total = 0;
        std::size_t n = 0;
        for (const RequestRecord& q : r.requests) {
            total += q.stamp_time.to_seconds_f64();
            n += 1;
        }
        ASSERT_GT(n, 100u);
        user_mean.push_back(total / static_cast<double>(n));
        const double user_expected = std::ldexp(1.0, static_cast<int>(bits)) / 2048;
        EXPECT_NEAR(user_mean.back(), user_expected, 0.25 * user_expected) << bits << " bits";
        sent.push_back(metric(r, "sent"));
        EXPECT_EQ(metric(r, "refused_bad_stamp") + metric(r, "refused_missing_stamp"), 0);
    }
    EXPECT_NEAR(attacker_mean[1] / attacker_mean[0], 4, 1.2);
    EXPECT_NEAR(user_mean[1] / user_mean[0], 4, 1.2);
    EXPECT_NEAR(sent[0] / sent[1], 4, 1.2);
}

// Junk: bad signatures are dropped by the entry node's sender recovery (charged admit_tx),
// other chains' transactions and used nonces are refused by its txpool, far-future nonces
// wait in the queue; none is ever in a block. It costs the entry nodes CPU.
TEST(Spam, JunkIsChargedAndNeverEntersABlock) {
    WorldConfig c = small_world(minutes(15));
    c.adversaries = {AdversaryConfig{"flood", flood(3, 5)}};
    spam(c).mix = SpamMix{1, 0, 0, 3, 0};  // requests advance the identities' nonces: used nonces exist
    auto world = World::create(c);
    ASSERT_TRUE(world.has_value());
    const WorldResults r = world->run();
    EXPECT_TRUE(r.check_failures.empty()) << r.check_failures.front();
    EXPECT_GT(metric(r, "sent_junk"), 2000);
    EXPECT_EQ(metric(r, "junk_included"), 0);
    EXPECT_GT(metric(r, "refused_bad_signature"), 600);
    EXPECT_GT(metric(r, "refused_wrong_chain_id"), 600);
    EXPECT_GT(metric(r, "refused_nonce_too_low"), 300);
    EXPECT_GT(metric(r, "included"), 500) << "its requests were included";
    // The entry nodes checked every junk transaction: more CPU than with requests alone.
    spam(c).mix = SpamMix{1, 0, 0, 0, 0};
    spam(c).rate_from = spam(c).rate_to = 5.0 / 4;
    const WorldResults clean = run(c);
    EXPECT_GT(metric(r, "entry_cpu_mean"), metric(clean, "entry_cpu_mean") + 2000 * 40e-6 / 3)
        << metric(r, "sent_request") << " " << metric(clean, "sent_request") << " " << metric(r, "included")
        << " " << metric(clean, "included");
}

// Oversized junk (mix `oversized`): correctly signed with the next nonce, its call padded
// past geth's 128 KiB. The txpool's size rule refuses it at the entry node (charged
// admit_tx like any checked transaction), so it is never relayed nor in a block; without
// the rule it is a valid transaction, relayed and included (the run's check fails).
TEST(Spam, OversizedJunkIsRefusedByTheSizeRuleAndNeverEntersABlock) {
    WorldConfig c = small_world(minutes(6));
    c.txpool.max_tx_size = 4 * 32 * 1024;  // geth's txMaxSize (small_world switches every limit off)
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 0.5)}};
    spam(c).to = Time::zero() + minutes(4);
    spam(c).mix = SpamMix{0, 0, 0, 0, 1};
    const WorldResults r = run(c);
    EXPECT_GT(metric(r, "sent_junk"), 30);
    EXPECT_EQ(metric(r, "refused_oversized"), metric(r, "sent_junk"));
    EXPECT_EQ(metric(r, "junk_included"), 0);
    EXPECT_GT(metric(r, "entry_cpu_mean"), metric(r, "sent_junk") * 40e-6 / 3 * 0.5);

    c.txpool.max_tx_size.reset();
    auto world = World::create(c);
    ASSERT_TRUE(world.has_value());
    const WorldResults without = world->run();
    EXPECT_EQ(metric(without, "refused_oversized"), 0);
    EXPECT_GT(metric(without, "junk_included"), 0) << "without the rule it is a valid transaction";
    EXPECT_FALSE(without.check_failures.empty());
}

// Oversized junk follows the run's txpool.max_tx_size (padded to the limit plus one byte),
// not geth's default: with a 1 MiB limit a 128 KiB pad would be admitted and included.
TEST(Spam, OversizedJunkIsPaddedPastTheConfiguredLimit) {
    WorldConfig c = small_world(minutes(4));
    c.txpool.max_tx_size = 1024 * 1024;
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 0.2)}};
    spam(c).to = Time::zero() + minutes(3);
    spam(c).mix = SpamMix{0, 0, 0, 0, 1};
    const WorldResults r = run(c);
    EXPECT_GT(metric(r, "sent_junk"), 10);
    EXPECT_EQ(metric(r, "refused_oversized"), metric(r, "sent_junk"));
    EXPECT_EQ(metric(r, "junk_included"), 0);
}

// The scenario key txpool.max_tx_size (default geth's txMaxSize, `off` for none) bounds
// admission by the signed RLP encoding: a transaction of exactly the limit is admitted,
// the same transaction against a limit one byte smaller is refused `oversized`.
TEST(SpamScenario, MaxTxSizeKeyAdmitsAtTheLimitAndRefusesOneByteOver) {
    struct ZeroNonces final : txpool::AccountNonces {
        std::uint64_t nonce(const Address&) const override { return 0; }
    } nonces;
    const PrivateKey key = derive_private_key(1, "max-tx-size");
    Bytes call;  // a canonical RLP list, as a call must be: [300 bytes]
    const std::size_t list = rlp::begin_list(call);
    rlp::append_bytes(call, Bytes(300, 1));
    rlp::end_list(call, list);
    const auto tx = std::make_shared<const RecoveredTransaction>(
        recover_transaction(sign_transaction(Transaction{1, 0, Address{}, call, {}}, key)).value());
    const std::size_t size = tx->encoded_size;
    const auto pool_with = [&](std::size_t limit) {
        const auto s = scenario::load_default_scenario({{"txpool.max_tx_size", std::to_string(limit)}});
        EXPECT_TRUE(s.has_value());
        EXPECT_EQ(s->txpool.max_tx_size, std::optional<std::size_t>(limit));
        return txpool::TxPool(s->txpool);
    };
    txpool::TxPool at_limit = pool_with(size);
    EXPECT_TRUE(at_limit.admit(tx, txpool::Nanos{0}, nonces, txpool::Source::kNetwork).has_value());
    txpool::TxPool below = pool_with(size - 1);
    const auto refused = below.admit(tx, txpool::Nanos{0}, nonces, txpool::Source::kNetwork);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), txpool::Refusal::kOversized);

    EXPECT_EQ(scenario::load_default_scenario()->txpool.max_tx_size,
              std::optional<std::size_t>(txpool::kGethTxMaxSize));
    EXPECT_FALSE(scenario::load_default_scenario({{"txpool.max_tx_size", "off"}})->txpool.max_tx_size);
}

// Same seed, same flood: the same run (its stream is "adversary/<name>").
TEST(Spam, Deterministic) {
    WorldConfig c = small_world(minutes(5));
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt)}};
    spam(c).mix = SpamMix{1, 1, 1, 1, 0};
    const WorldResults a = run(c);
    const WorldResults b = run(c);
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
    EXPECT_GT(metric(a, "sent_transfer"), 0);
    EXPECT_GT(metric(a, "sent_redeem_unknown"), 0);
}

// The party split (docs/metrics.md "traffic", "party_samples"): the attacker's rows add up
// to what it sent, by outcome, and the honest rows to the users' and clouds' tables; each
// sample's party shares add up to its txpool totals; a run without an adversary has only
// honest rows.
TEST(Spam, PartyRowsAddUpToTotals) {
    WorldConfig c = small_world(minutes(8));
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 4)}};
    spam(c).mix = SpamMix{2, 1, 1, 1, 0};
    auto world = World::create(c);
    ASSERT_TRUE(world.has_value());
    const WorldResults r = world->run();
    std::uint64_t attacker = 0, honest_requests = 0, honest_other = 0, attacker_succeeded_requests = 0,
                  attacker_refused = 0, attacker_bad_signature = 0, attacker_included = 0;
    for (const TrafficRecord& t : r.traffic) {
        ASSERT_GT(t.count, 0u);
        ASSERT_EQ(t.refusal.has_value(), t.outcome == TrafficOutcome::kRefused);
        if (t.party == 1) {
            attacker += t.count;
            if (t.kind == TrafficKind::kRequest && t.outcome == TrafficOutcome::kSucceeded)
                attacker_succeeded_requests += t.count;
            attacker_refused += t.outcome == TrafficOutcome::kRefused ? t.count : 0;
            attacker_bad_signature += t.outcome == TrafficOutcome::kBadSignature ? t.count : 0;
            attacker_included +=
                t.outcome == TrafficOutcome::kSucceeded || t.outcome == TrafficOutcome::kFailed ? t.count : 0;
            EXPECT_FALSE(t.kind == TrafficKind::kJunk &&
                         (t.outcome == TrafficOutcome::kSucceeded || t.outcome == TrafficOutcome::kFailed));
        } else {
            ASSERT_EQ(t.party, kHonestParty);
            (t.kind == TrafficKind::kRequest ? honest_requests : honest_other) += t.count;
        }
    }
    EXPECT_EQ(attacker, metric(r, "sent"));
    EXPECT_EQ(attacker_succeeded_requests, metric(r, "codes_held"));
    EXPECT_EQ(attacker_refused + attacker_bad_signature, metric(r, "refused"));
    EXPECT_EQ(attacker_included, metric(r, "included"));
    EXPECT_EQ(honest_requests, r.requests.size());
    std::uint64_t submitted_redemptions = 0;
    for (const RedemptionRecord& d : r.redemptions) submitted_redemptions += d.submitted ? 1 : 0;
    EXPECT_EQ(honest_other, r.transfers.size() + r.renewals.size() + submitted_redemptions);
    EXPECT_GT(honest_requests, 0u);
    // Samples: honest + attacker = the totals; the attacker's pool share is seen.
    std::uint64_t seen = 0;
    ASSERT_FALSE(r.samples.empty());
    for (const Sample& s : r.samples) {
        ASSERT_EQ(s.parties.size(), 2u);
        EXPECT_EQ(s.parties[0].party, kHonestParty);
        EXPECT_EQ(s.parties[1].party, 1);
        EXPECT_EQ(s.parties[0].txpool_pending + s.parties[1].txpool_pending, s.txpool_pending);
        EXPECT_EQ(s.parties[0].txpool_queued + s.parties[1].txpool_queued, s.txpool_queued);
        seen += s.parties[1].txpool_pending + s.parties[1].txpool_queued;
    }
    EXPECT_GT(seen, 0u);
    EXPECT_EQ(r.samples.back().parties[1].codes_held, metric(r, "codes_held"));

    c.adversaries.clear();
    const WorldResults none = run(c);
    for (const TrafficRecord& t : none.traffic) EXPECT_EQ(t.party, kHonestParty);
    EXPECT_FALSE(none.traffic.empty());
    for (const Sample& s : none.samples) {
        ASSERT_EQ(s.parties.size(), 1u);
        EXPECT_EQ(s.parties[0].txpool_pending, s.txpool_pending);
        EXPECT_EQ(s.parties[0].txpool_queued, s.txpool_queued);
    }
}

// Per-node messages, bytes and CPU (docs/metrics.md "nodes"): the nodes' sends add up to
// the network table (both count every send()), nothing is received that was not sent, and
// the CPU is what the nodes were charged.
TEST(Spam, NodeCountersAddUpToTheNetworkTable) {
    WorldConfig c = small_world(minutes(5));
    c.adversaries = {AdversaryConfig{"flood", flood(std::nullopt, 4)}};
    const WorldResults r = run(c);
    ASSERT_EQ(r.node_counters.size(), c.topology.node_count());
    std::uint64_t sent = 0, bytes = 0, received = 0, received_bytes = 0, net_sent = 0, net_bytes = 0;
    double cpu = 0;
    for (const NodeCounters& n : r.node_counters) {
        sent += n.messages_sent;
        bytes += n.bytes_sent;
        received += n.messages_received;
        received_bytes += n.bytes_received;
        cpu += n.cpu.to_seconds_f64();
        EXPECT_GT(n.messages_sent, 0u);
    }
    for (const MessageCounters& m : r.network) {
        net_sent += m.messages;
        net_bytes += m.bytes;
    }
    EXPECT_EQ(sent, net_sent);
    EXPECT_EQ(bytes, net_bytes);
    EXPECT_LE(received, sent);
    EXPECT_LE(received_bytes, bytes);
    EXPECT_GT(received, sent * 9 / 10) << "no loss: all but the messages in flight at the end";
    EXPECT_NEAR(cpu / static_cast<double>(r.node_counters.size()), metric(r, "node_cpu_mean"), 1e-9);
}

TEST(Spam, BadConfigurationIsAnError) {
    WorldConfig c = small_world(minutes(5));
    c.adversaries = {AdversaryConfig{"flood", flood(1)}};
    spam(c).entry = {99};
    const auto w = World::create(c);
    ASSERT_FALSE(w.has_value());
    EXPECT_EQ(w.error(), "adversaries[flood].entry: node 99 does not exist");
}

}  // namespace
}  // namespace cl::sim::world
