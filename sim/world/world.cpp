// The wiring of a world: builds the parts (sim/world/world.hpp lists them) from a checked
// configuration, routes the nodes' metric events to the recorder and the workloads, and
// assembles the results at the end. The behaviour lives in the parts.
#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>

#include "protocol/core/assert.hpp"
#include "protocol/node/genesis.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/checkpoints.hpp"
#include "sim/world/faults.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/governance.hpp"
#include "sim/world/harm.hpp"
#include "sim/world/host/honest_node.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/parties.hpp"
#include "sim/world/recorder.hpp"
#include "sim/world/reference_chain.hpp"
#include "sim/world/sampling.hpp"
#include "sim/world/workload/clouds.hpp"
#include "sim/world/workload/users.hpp"

namespace cl::sim::world {

// From this many nodes on, the kernel prefetches each next event's receiver
// (SimulatorOptions::prefetch_next): their per-node state (~10 KB each) no longer fits in
// cache, and the hint saved ~20 % of the CPU at 30,000 full nodes (docs/benchmarks.md,
// "The receiver's state per delivery"); below, everything is cached and the look at the
// next event only costs instructions (+3.4 % on the gate's 210-node scenario).
constexpr std::size_t kPrefetchFromNodes = 1000;

struct World::Impl final : Hosts::Observer {
    explicit Impl(WorldConfig c)
        : config(std::move(c)),
          streams(config.seed, config.replication),
          sim(SimulatorOptions{.prefetch_next = config.topology.node_count() >= kPrefetchFromNodes}),
          hosts(sim, config.cpu, config.genesis_time, config.duration),
          recorder(config, config.topology.node_count(), results),
          reference(hosts, recorder, config.clique, streams),
          sampler(config, sim, hosts, reference, results.samples) {}

    WorldConfig config;
    RandomStreams streams;
    Simulator sim;
    node::ExecutionCache cache;
    std::optional<node::Genesis> genesis;
    Hosts hosts;
    std::unique_ptr<net::Network> network;
    WorldResults results;
    Recorder recorder;
    ReferenceChain reference;
    Sampler sampler;
    // Users, clouds, then those added (World::add_workload): the order they start and see
    // outcomes in.
    std::vector<std::unique_ptr<Workload>> workloads;
    Checkpoints* checkpoints = nullptr;  // one of `workloads` when WorldConfig::checkpoints is set
    bool ran = false;
    std::optional<net::NodeId> final_reference;  // set by finish()
    std::optional<Hash32> final_head;            // its end head (ReferenceChain::end_head), set by finish()

    // REQUIRES: the network is built (build()).
    WorldContext context() { return WorldContext{config, sim, streams, hosts, cache, *network}; }

    // REQUIRES: World::check(config) succeeded.
    void build(const HostFactory& make_host) {
        genesis = node::make_genesis(genesis_config(config), config.genesis_time).value();
        txpool::Config pool_config = config.txpool;
        pool_config.chain_id = kChainId;
        const std::size_t n = config.topology.node_count();
        const Adversaries adversaries(config);
        for (std::size_t i = 0; i < n; ++i) {
            node::NodeConfig nc;
            nc.clique = config.clique;
            if (!config.fork_choices.empty()) nc.clique.fork_choice = config.fork_choices[i];
            nc.txpool = pool_config;
            nc.first_connections_aged = !config.started_together;
            if (i < config.clouds.size()) nc.signer_key = validator_key(config, i);
            governance_node_config(config, static_cast<net::NodeId>(i), nc);
            for (net::NodeId p : config.topology.neighbours(static_cast<net::NodeId>(i)))
                nc.peers.push_back(p);
            HostSetup setup{static_cast<net::NodeId>(i), std::move(nc), *genesis, cache,
                            streams.stream("node/" + std::to_string(i))};
            std::unique_ptr<Host> host = make_host ? make_host(setup) : nullptr;
            if (!host) host = adversaries.make_host(setup);
            if (!host)
                host = std::make_unique<HonestNode>(std::move(setup.config), *genesis, cache,
                                                    std::move(setup.rng));
            hosts.add(std::move(host));
        }
        network = net::Network::create(sim, config.topology, config.network, streams, hosts).value();
        hosts.connect(*network, *this);
        install_faults(*network, sim, hosts, config);
        auto clouds = std::make_unique<Clouds>(context());
        auto users = std::make_unique<Users>(context(), *clouds);
        workloads.push_back(std::move(users));
        workloads.push_back(std::move(clouds));
        if (!config.events.empty()) workloads.push_back(std::make_unique<Governance>(context()));
        adversaries.add_workloads(context(), workloads);
        if (config.checkpoints) {
            auto c = std::make_unique<Checkpoints>(context());
            checkpoints = c.get();
            workloads.push_back(std::move(c));
        }
        sampler.set_observer([this](Sample& s) {
            for (auto& w : workloads) w->on_sample(s);
        });
        results.signers = signer_records(config);
    }

    // Cloud ↔ validator node ↔ signer address ↔ position in the sorted genesis signers
    // (a cloud that joins later, CloudSpec::genesis false: kNotGenesisSigner).
    static std::vector<SignerRecord> signer_records(const WorldConfig& c) {
        std::vector<SignerRecord> out;
        std::vector<Address> sorted;
        for (std::size_t i = 0; i < c.clouds.size(); ++i) {
            out.push_back(SignerRecord{i, static_cast<net::NodeId>(i), address_of(validator_key(c, i)), 0});
            if (c.clouds[i].genesis) sorted.push_back(out.back().address);
        }
        std::sort(sorted.begin(), sorted.end());
        for (SignerRecord& r : out) {
            const auto at = std::find(sorted.begin(), sorted.end(), r.address);
            r.index = at == sorted.end() ? SignerRecord::kNotGenesisSigner
                                         : static_cast<std::uint32_t>(at - sorted.begin());
        }
        return out;
    }

    // The metric events of an input's effects, released at `finish`: the recorder first,
    // then the workloads in order.
    void on_effects(net::NodeId n, const node::Effects& effects, Time finish) override {
        for (const node::MetricEvent& ev : effects.events) {
            recorder.on_event(n, ev, finish);
            if (const auto* sealed = std::get_if<node::BlockSealed>(&ev)) {
                for (auto& w : workloads) w->on_block_sealed(n, *sealed->block, finish);
                for (auto& w : workloads) w->on_head_changed(n, finish);
            } else if (const auto* imported = std::get_if<node::BlockImported>(&ev)) {
                if (imported->new_head) {
                    for (auto& w : workloads) w->on_head_changed(n, finish);
                }
            } else if (const auto* refused = std::get_if<node::TxRefused>(&ev)) {
                for (auto& w : workloads) w->on_tx_refused(n, refused->hash, refused->reason, finish);
            } else if (const auto* conflict = std::get_if<node::CheckpointConflict>(&ev)) {
                if (checkpoints != nullptr) checkpoints->on_conflict(n, *conflict, finish);
            } else if (const auto* refused_final = std::get_if<node::FinalCheckpointRefused>(&ev)) {
                if (checkpoints != nullptr) checkpoints->on_refused_final(n, *refused_final);
            }
        }
    }

    // The reference chain at the end (the best head among all nodes) decides inclusion and
    // outcomes. Confirmation times were recorded during the run, as users saw them.
    void finish() {
        final_reference = reference.reference_node(false);
        const node::Node& ref = hosts.node(*final_reference);
        final_head = reference.end_head(*final_reference).hash;
        std::vector<node::BlockRef> canonical;
        for (node::BlockRef b = ref.block(*final_head); b && b->header.number > 0;
             b = ref.block(b->header.parent_hash)) {
            canonical.push_back(b);
        }
        std::reverse(canonical.begin(), canonical.end());
        std::vector<Inclusion> included;
        for (const node::BlockRef& block : canonical) {
            const node::Block& b = *block;
            recorder.mark_canonical(b.hash);
            const node::ExecutionResult* executed = cache.find(b.hash);
            CL_ASSERT(executed && executed->has_value());
            const std::optional<Time> sealed = recorder.sealed_at(b.hash);
            for (std::size_t t = 0; t < b.txs.size(); ++t) {
                const state::Receipt& receipt = (*executed)->receipts[t];
                included.push_back(Inclusion{b.txs[t]->hash, sealed,
                                             receipt.status == state::Status::kSuccess, receipt.reason});
            }
        }
        for (auto& w : workloads) w->finish(included, results);
        tally_honest_party(results);
        results.final_pool_remaining = pool_remaining(*ref.state_of(*final_head), config.tiers.size());
        recorder.finish(hosts, *network, reference);
        results.harm = measure_harm(config, *ref.state_of(*final_head), results);
        results.events = sim.events_run();
        results.simulated = config.duration;
        results.executions = cache.executions();
        results.execution_requests = cache.executions() + cache.hits();
        results.nodes = config.nodes;
        for (const auto& w : workloads) {
            for (const std::string& failure : w->check(results))
                results.check_failures.push_back(std::string(w->name()) + ": " + failure);
        }
    }
};

std::expected<CheckedConfig, std::string> World::check(WorldConfig config) {
    const std::size_t n = config.topology.node_count();
    if (config.clouds.empty()) return std::unexpected("clouds: at least one cloud is required");
    if (!config.fork_choices.empty() && config.fork_choices.size() != n) {
        return std::unexpected("fork_choices: " + std::to_string(config.fork_choices.size()) + " rules for " +
                               std::to_string(n) + " nodes (one per node, or none)");
    }
    if (n < config.clouds.size()) {
        return std::unexpected("topology: " + std::to_string(n) + " nodes for " +
                               std::to_string(config.clouds.size()) + " clouds (each runs a validator node)");
    }
    if (const auto bad = state::validate(genesis_config(config))) {
        return std::unexpected("genesis: " + bad->field + ": " + bad->message);
    }
    // A world without users (a zero arrival rate) needs no region to draw from.
    if (config.users.requests_per_second > 0 && !WeightedChoice::from_weights(user_region_weights(config))) {
        return std::unexpected(config.users.region_weights.empty()
                                   ? std::string("users: no full node to arrive at (no region weights given)")
                                   : std::string("users.region_weights: need one > 0, none negative"));
    }
    if (config.users.requests_per_second > 0 && config.txpool.stamp_bits) {
        if (*config.txpool.stamp_bits > scenario::kMaxUserStampBits) {
            return std::unexpected("txpool.stamp_bits: at most " +
                                   std::to_string(scenario::kMaxUserStampBits) +
                                   " while users arrive (they compute real stamps: 2^bits hashes each)");
        }
        if (!(config.users.hash_rate > 0) || !std::isfinite(config.users.hash_rate))
            return std::unexpected("users.hash_rate: must be a finite rate > 0");
    }
    if (!WeightedChoice::from_weights(user_tier_weights(config))) {
        return std::unexpected(config.users.tier_mix.empty()
                                   ? std::string("tiers: at least one tier is required")
                                   : std::string("users.tier_mix: need one > 0, none negative"));
    }
    if (auto bad = check_checkpoints(config)) return std::unexpected(std::move(*bad));
    if (auto bad = check_events(config)) return std::unexpected(std::move(*bad));
    // The network and the fault schedules, checked by a scratch network exactly as the
    // world's own will add them.
    struct Ignore final : net::DeliveryHandler {
        void on_deliver(const net::Delivery&) noexcept override {}
    };
    Simulator sim;
    Ignore handler;
    auto network = net::Network::create(sim, config.topology, config.network,
                                        RandomStreams(config.seed, config.replication), handler);
    if (!network) return std::unexpected("network." + network.error().to_string());
    if (auto ok = check_faults(**network, config); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = Adversaries::check(config); !ok) return std::unexpected(std::move(ok.error()));
    return CheckedConfig(std::move(config));
}

std::expected<World, std::string> World::create(WorldConfig config, HostFactory make_host) {
    auto checked = check(std::move(config));
    if (!checked) return std::unexpected(std::move(checked.error()));
    return World(std::move(*checked), make_host);
}

World::World(CheckedConfig config, const HostFactory& make_host)
    : impl_(std::make_unique<Impl>(std::move(config.config_))) {
    impl_->build(make_host);
}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

Workload& World::add_workload(const WorkloadFactory& make) {
    CL_ASSERT(!impl_->ran);
    impl_->workloads.push_back(make(impl_->context()));
    return *impl_->workloads.back();
}

const state::LedgerState& World::final_state() const {
    CL_ASSERT(impl_->final_reference.has_value() && impl_->final_head.has_value());
    return *impl_->hosts.node(*impl_->final_reference).state_of(*impl_->final_head);
}

WorldResults World::run(const Progress& progress) {
    Impl& w = *impl_;
    CL_ASSERT(!w.ran);
    w.ran = true;
    for (std::size_t i = 0; i < w.hosts.size(); ++i) w.hosts.start(static_cast<net::NodeId>(i));
    for (auto& workload : w.workloads) workload->start();
    w.sampler.start(progress);
    (void)w.sim.run_until(Time::zero() + w.config.duration);
    w.finish();
    return std::move(w.results);
}

}  // namespace cl::sim::world
