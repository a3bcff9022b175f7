// The worked example of docs/simulation.md "How to add a workload or an adversary": a
// tiny test-only workload and a test-only host, registered into a world through the same
// interfaces the users, the clouds and the honest node implement.
#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/core/keccak.hpp"
#include "protocol/core/secp256k1.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/host/honest_node.hpp"
#include "sim/world/workload/transactions.hpp"
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

WorldConfig small_world(Duration duration) {
    WorldConfig c;
    c.name = "example";
    c.seed = 3;
    c.duration = duration;
    const std::vector<std::uint16_t> validator_regions{0, 3, 6, 8};
    for (std::size_t i = 0; i < validator_regions.size(); ++i)
        c.clouds.push_back(CloudSpec{"cloud-" + std::to_string(i), validator_regions[i], {400}});
    RandomStream rng = RandomStreams(c.seed, 0).stream("topology");
    c.topology = net::regions_graph(16, 4, regions(), validator_regions, {}, rng);
    c.network.upload_bps = 100'000'000;
    c.tiers = {state::Tier{"small", 2, 4, 50, 24}};
    c.users.requests_per_second = 0.1;
    c.cloud_behaviour.confirmations = 2;
    return c;
}

// A heartbeat: every minute it fires its own timer; at the first one it sends one code
// request (signed with its own key) to node 4; it watches sealed blocks and head changes;
// at the end it reads its request's outcome on the reference chain and contributes
// three summary metrics; its check() requires that its request was included.
class Heartbeat final : public Workload {
  public:
    explicit Heartbeat(const WorldContext& context) : ctx_(context) {}

    std::string_view name() const override { return "heartbeat"; }
    void start() override { schedule(); }
    void on_block_sealed(net::NodeId, const node::Block& block, Time) override {
        ++sealed;
        for (const auto& tx : block.txs) sealed_ours += tx->hash == ours ? 1 : 0;
    }
    void on_head_changed(net::NodeId, Time) override { ++head_changes; }
    void on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) override {
        refused_ours += tx == ours ? 1 : 0;
    }
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override {
        included = std::any_of(reference_chain.begin(), reference_chain.end(),
                               [&](const Inclusion& i) { return i.tx == ours && i.success; });
        results.metrics.push_back(Metric{"heartbeat_timers", static_cast<double>(timers), "count"});
        results.metrics.push_back(Metric{"heartbeat_blocks_seen", static_cast<double>(sealed), "count"});
        results.metrics.push_back(Metric{"heartbeat_request_included", included ? 1.0 : 0.0, "1"});
    }
    std::vector<std::string> check(const WorldResults& results) const override {
        std::vector<std::string> failures;
        if (!included) failures.push_back("its request is not on the reference chain");
        if (sealed != results.blocks.size()) failures.push_back("it missed sealed blocks");
        return failures;
    }

    std::uint64_t timers = 0, sealed = 0, sealed_ours = 0, head_changes = 0, refused_ours = 0;
    bool included = false;
    Hash32 ours;

  private:
    void schedule() {
        if (ctx_.sim.now() + minutes(1) >= ctx_.hosts.end_of_run()) return;
        ctx_.sim.schedule_in(minutes(1), [this]() noexcept {
            if (++timers == 1) send_request();
            schedule();
        });
    }
    void send_request() {
        constexpr net::NodeId kEntry = 4;  // a full node
        const PrivateKey key = derive_private_key(ctx_.config.seed, "heartbeat");
        const node::TxRef tx =
            signed_tx(key, next_nonce(ctx_.hosts.node(kEntry), address_of(key)), state::RequestCall{0, {}});
        ours = tx->hash;
        ctx_.hosts.submit(kEntry, tx);
    }

    WorldContext ctx_;
};

TEST(WorkloadExample, RegisteredWorkloadRunsSeesOutcomesAndReportsMetrics) {
    auto world = World::create(small_world(minutes(10)));
    ASSERT_TRUE(world.has_value()) << world.error();
    auto& heartbeat = static_cast<Heartbeat&>(
        world->add_workload([](const WorldContext& c) { return std::make_unique<Heartbeat>(c); }));
    const WorldResults r = world->run();

    EXPECT_EQ(heartbeat.timers, 9u) << "its own timer fired every minute of the 10 (the last at 9 min)";
    EXPECT_EQ(heartbeat.sealed, r.blocks.size()) << "it saw every sealed block";
    EXPECT_GT(heartbeat.head_changes, r.blocks.size()) << "head changes at every node";
    EXPECT_EQ(heartbeat.sealed_ours, 1u) << "its request was sealed once";
    EXPECT_EQ(heartbeat.refused_ours, 0u);
    EXPECT_TRUE(heartbeat.included);
    EXPECT_TRUE(r.check_failures.empty()) << r.check_failures.front();
    ASSERT_EQ(r.metrics.size(), 3u);
    EXPECT_EQ(r.metrics[0].name, "heartbeat_timers");
    EXPECT_EQ(r.metrics[0].value, 9);
    EXPECT_EQ(r.metrics[2].name, "heartbeat_request_included");
    EXPECT_EQ(r.metrics[2].value, 1);
    EXPECT_FALSE(r.requests.empty()) << "the users ran beside it";
}

TEST(WorkloadExample, CheckFailuresAreReported) {
    auto world = World::create(small_world(minutes(1)));  // too short for its request to be sent
    ASSERT_TRUE(world.has_value());
    world->add_workload([](const WorldContext& c) { return std::make_unique<Heartbeat>(c); });
    const WorldResults r = world->run();
    ASSERT_EQ(r.check_failures.size(), 1u);
    EXPECT_EQ(r.check_failures[0], "heartbeat: its request is not on the reference chain");
}

// A host that runs the honest node and counts what it handles: an adversary's host has
// this shape (a node::Node inside, its effects passed on or rewritten).
class CountingHost final : public Host {
  public:
    CountingHost(HostSetup& setup, std::uint64_t& messages)
        : honest_(std::move(setup.config), setup.genesis, setup.cache, std::move(setup.rng)),
          messages_(messages) {}
    node::Effects start(node::Nanos now) override { return honest_.start(now); }
    node::Effects on_message(node::Nanos now, net::NodeId from, const node::Message& m,
                             std::uint32_t peer_index) override {
        ++messages_;
        return honest_.on_message(now, from, m, peer_index);
    }
    node::Effects on_timer(node::Nanos now, std::uint64_t token) override {
        return honest_.on_timer(now, token);
    }
    node::Effects on_local_tx(node::Nanos now, const node::TxRef& tx) override {
        return honest_.on_local_tx(now, tx);
    }
    const node::Node& node() const override { return honest_.node(); }

  private:
    HonestNode honest_;
    std::uint64_t& messages_;
};

TEST(WorkloadExample, HostFactoryReplacesANodesHost) {
    std::uint64_t messages = 0;
    const HostFactory make_host = [&](HostSetup& setup) -> std::unique_ptr<Host> {
        if (setup.node != 0) return nullptr;  // the others stay honest
        EXPECT_TRUE(setup.config.signer_key.has_value())
            << "node 0 is cloud-0's validator, with its real key";
        return std::make_unique<CountingHost>(setup, messages);
    };
    auto wrapped = World::create(small_world(minutes(5)), make_host);
    ASSERT_TRUE(wrapped.has_value());
    const WorldResults a = wrapped->run();
    EXPECT_GT(messages, 0u);
    const WorldResults b = World::create(small_world(minutes(5))).value().run();
    // Behaving honestly, it changes nothing.
    ASSERT_EQ(a.blocks.size(), b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].hash, b.blocks[i].hash);
    EXPECT_EQ(a.events, b.events);
}

}  // namespace
}  // namespace cl::sim::world
