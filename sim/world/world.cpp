#include "sim/world/world.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "protocol/state/call.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"

namespace cl::sim::world {

using node::BlockRef;
using node::Effects;
using node::TxRef;

net::Topology make_world_topology(std::size_t validators, std::span<const std::uint16_t> validator_regions,
                                  std::size_t full_nodes, std::span<const double> full_region_weights,
                                  std::size_t degree, const net::RegionModel& model, RandomStream& rng) {
    CL_ASSERT(validator_regions.size() == validators && !model.regions.empty());
    const std::size_t n = validators + full_nodes;
    std::vector<std::uint16_t> region(validator_regions.begin(), validator_regions.end());
    std::vector<double> equal(model.regions.size(), 1.0);
    const auto choice = WeightedChoice::from_weights(
        full_region_weights.empty() ? std::span<const double>(equal) : full_region_weights);
    CL_ASSERT(choice.has_value());
    for (std::size_t i = 0; i < full_nodes; ++i)
        region.push_back(static_cast<std::uint16_t>(choice->pick(rng)));

    // Each node dials `degree` distinct random peers it is not linked to yet (as an
    // Ethereum node fills its outbound slots).
    std::vector<std::vector<net::NodeId>> adjacent(n);
    std::vector<net::Edge> edges;
    for (std::size_t a = 0; a < n; ++a) {
        const std::size_t want = std::min(degree, n - 1);
        std::size_t attempts = 0;
        while (adjacent[a].size() < want && attempts++ < 64 * (want + 1)) {
            const auto b = static_cast<net::NodeId>(uniform_below(rng, n));
            if (b == a || std::find(adjacent[a].begin(), adjacent[a].end(), b) != adjacent[a].end()) continue;
            adjacent[a].push_back(b);
            adjacent[b].push_back(static_cast<net::NodeId>(a));
            edges.push_back(net::Edge{static_cast<net::NodeId>(a), b,
                                      net::LinkParams{model.one_way_latency[region[a]][region[b]], 0}});
        }
    }
    net::Topology topology = net::Topology::from_edges(n, edges);
    topology.set_regions(model.regions, std::move(region));
    return topology;
}

namespace {

constexpr std::uint8_t kScreeningFailed = 200;  // RedemptionRecord::reason: the user failed screening
constexpr std::uint8_t kNeverConfirmed = 201;   // the code never became redeemable for the cloud
constexpr std::uint8_t kNotIncluded = 255;      // submitted but not on the final canonical chain

struct Host {
    std::unique_ptr<node::Node> node;
    std::unique_ptr<RandomStream> rng;
    Time busy_until;
    bool up = true;
};

constexpr std::uint64_t kChainId = 61'777;

// The genesis of the world's chain: keys derived from the seed, one cloud per CloudSpec.
state::GenesisConfig genesis_config(const WorldConfig& config, std::vector<PrivateKey>& validator_keys,
                                    std::vector<PrivateKey>& operator_keys) {
    state::GenesisConfig g;
    g.chain_id = kChainId;
    g.notary = address_of(derive_private_key(config.seed, "notary"));
    g.tiers = config.tiers;
    g.pool = config.pool;
    for (const CloudSpec& c : config.clouds) {
        validator_keys.push_back(derive_private_key(config.seed, "validator/" + c.name));
        operator_keys.push_back(derive_private_key(config.seed, "operator/" + c.name));
        const auto& regions = config.topology.region_names();
        g.clouds.push_back(state::GenesisCloud{c.name, address_of(operator_keys.back()),
                                               address_of(validator_keys.back()),
                                               c.region < regions.size() ? regions[c.region] : "", c.quotas});
    }
    return g;
}

// Where users arrive: the configured weights, or each region's number of full nodes.
std::vector<double> user_region_weights(const WorldConfig& config) {
    if (!config.users.region_weights.empty()) return config.users.region_weights;
    std::vector<double> weights(std::max<std::size_t>(1, config.topology.region_names().size()), 0.0);
    const auto& regions = config.topology.node_regions();
    for (std::size_t i = config.clouds.size(); i < config.topology.node_count(); ++i) {
        const std::size_t r = i < regions.size() ? regions[i] : 0;
        weights[std::min(r, weights.size() - 1)] += 1.0;
    }
    return weights;
}

std::vector<double> user_tier_weights(const WorldConfig& config) {
    if (!config.users.tier_mix.empty()) return config.users.tier_mix;
    return std::vector<double>(config.tiers.size(), 1.0);
}

// A fault schedule the network refused, named after the WorldConfig field.
std::string fault_error(const std::string& what, std::size_t i, const net::ConfigError& e) {
    return what + "[" + std::to_string(i) + "]: " + e.to_string();
}

}  // namespace

struct World::Impl final : net::DeliveryHandler {
    explicit Impl(WorldConfig c) : config(std::move(c)), streams(config.seed, config.replication) {}

    WorldConfig config;
    RandomStreams streams;
    Simulator sim;
    node::ExecutionCache cache;
    std::optional<node::Genesis> genesis;
    std::unique_ptr<net::Network> network;
    std::vector<Host> hosts;
    std::vector<PrivateKey> operator_keys;
    std::vector<std::vector<net::NodeId>> full_nodes_by_region;
    std::vector<net::NodeId> full_nodes;

    // Messages in flight, by payload handle.
    std::vector<std::optional<node::Message>> in_flight;
    std::vector<std::uint64_t> free_slots;
    // Effects waiting for their host's CPU.
    std::vector<std::vector<node::Send>> pending_sends;
    std::vector<std::uint64_t> free_pending;

    // Workload streams.
    std::optional<RandomStream> user_rng;
    std::optional<RandomStream> cloud_rng;
    std::optional<WeightedChoice> region_choice;
    std::optional<WeightedChoice> tier_choice;
    std::uint64_t users = 0;

    // Records.
    WorldResults results;
    std::unordered_map<Hash32, std::size_t> block_index;    // lookup only
    std::unordered_map<Hash32, std::size_t> request_index;  // by request tx hash
    std::unordered_map<Hash32, std::size_t> redeem_index;   // by redeem tx hash

    std::chrono::nanoseconds node_time() const {
        return std::chrono::seconds(config.genesis_time) + std::chrono::nanoseconds(sim.now().nanos());
    }

    // ---- set-up ----
    // REQUIRES: World::validate(config) succeeded.
    void build() {
        std::vector<PrivateKey> validator_keys;
        const state::GenesisConfig g = genesis_config(config, validator_keys, operator_keys);
        genesis = node::make_genesis(g, config.genesis_time).value();
        txpool::Config pool_config = config.txpool;
        pool_config.chain_id = g.chain_id;

        const std::size_t n = config.topology.node_count();
        hosts.resize(n);
        full_nodes_by_region.resize(std::max<std::size_t>(1, config.topology.region_names().size()));
        for (std::size_t i = 0; i < n; ++i) {
            node::NodeConfig nc;
            nc.clique = config.clique;
            nc.txpool = pool_config;
            if (i < validator_keys.size()) nc.signer_key = validator_keys[i];
            for (net::NodeId p : config.topology.neighbours(static_cast<net::NodeId>(i)))
                nc.peers.push_back(p);
            hosts[i].rng = std::make_unique<RandomStream>(streams.stream("node/" + std::to_string(i)));
            hosts[i].node = std::make_unique<node::Node>(std::move(nc), genesis->block, genesis->state, cache,
                                                         *hosts[i].rng);
            if (i >= validator_keys.size()) {
                full_nodes.push_back(static_cast<net::NodeId>(i));
                const auto& regions = config.topology.node_regions();
                const std::size_t r = i < regions.size() ? regions[i] : 0;
                full_nodes_by_region[std::min(r, full_nodes_by_region.size() - 1)].push_back(
                    static_cast<net::NodeId>(i));
            }
        }
        network = net::Network::create(sim, config.topology, config.network, streams, *this).value();
        for (const auto& p : config.partitions) CL_ASSERT(network->add_partition(p).has_value());
        for (const LinkFailure& f : config.link_failures) {
            CL_ASSERT(network->add_link_failure(f.a, f.b, f.from, f.to).has_value());
        }
        for (const LinkLoss& f : config.link_losses) {
            CL_ASSERT(network->add_link_loss(f.a, f.b, f.probability, f.from, f.to).has_value());
        }
        for (const Crash& c : config.crashes) {
            CL_ASSERT(
                network->add_node_failure(c.node, c.at, c.restart_at.value_or(Time::max())).has_value());
            sim.schedule_at(c.at, [this, n = c.node]() noexcept { hosts[n].up = false; });
            if (c.restart_at) sim.schedule_at(*c.restart_at, [this, n = c.node]() noexcept { restart(n); });
        }

        user_rng = streams.stream("workload/users");
        cloud_rng = streams.stream("workload/clouds");
        region_choice = WeightedChoice::from_weights(user_region_weights(config));
        tier_choice = WeightedChoice::from_weights(user_tier_weights(config));
        CL_ASSERT(region_choice && tier_choice);
    }

    // ---- hosts ----
    void restart(net::NodeId n) {
        hosts[n].up = true;
        hosts[n].busy_until = sim.now();
        apply(n, hosts[n].node->start(node_time()));
    }

    void on_deliver(const net::Delivery& d) noexcept override {
        node::Message m = std::move(*in_flight[d.payload]);
        release_message(d.payload);
        Host& h = hosts[d.to];
        if (!h.up) return;
        apply(d.to, h.node->on_message(node_time(), d.from, m));
    }
    void on_drop(const net::Delivery& d, net::DropReason) noexcept override { release_message(d.payload); }

    void release_message(std::uint64_t slot) {
        in_flight[slot].reset();
        free_slots.push_back(slot);
    }

    // Charges the input's CPU time and releases its effects when the CPU is done.
    void apply(net::NodeId n, Effects effects) {
        Host& h = hosts[n];
        const CpuCosts& cpu = config.cpu;
        const Duration cost = cpu.verify_header * effects.work.headers_verified +
                              cpu.execute_tx * effects.work.txs_executed +
                              cpu.admit_tx * effects.work.txs_admitted;
        const Time finish = std::max(sim.now(), h.busy_until) + cost;
        h.busy_until = finish;
        record(n, effects, finish);
        for (const node::Timer& t : effects.timers) {
            const Time at = std::max(
                finish, Time::from_nanos(
                            t.at.count() -
                            std::chrono::nanoseconds(std::chrono::seconds(config.genesis_time)).count()));
            sim.schedule_at(at, [this, n, token = t.token]() noexcept {
                if (hosts[n].up) apply(n, hosts[n].node->on_timer(node_time(), token));
            });
        }
        if (effects.sends.empty()) return;
        if (finish == sim.now()) {
            send_all(n, effects.sends);
            return;
        }
        std::uint64_t slot;
        if (free_pending.empty()) {
            slot = pending_sends.size();
            pending_sends.emplace_back();
        } else {
            slot = free_pending.back();
            free_pending.pop_back();
        }
        pending_sends[slot] = std::move(effects.sends);
        sim.schedule_at(finish, [this, n, slot]() noexcept {
            std::vector<node::Send> sends = std::move(pending_sends[slot]);
            free_pending.push_back(slot);
            if (hosts[n].up) send_all(n, sends);
        });
    }

    void send_all(net::NodeId from, std::vector<node::Send>& sends) {
        for (node::Send& s : sends) {
            const auto type = static_cast<net::MessageType>(node::kind_of(s.message));
            const auto size = static_cast<std::uint32_t>(node::wire_size(s.message));
            std::uint64_t slot;
            if (free_slots.empty()) {
                slot = in_flight.size();
                in_flight.emplace_back();
            } else {
                slot = free_slots.back();
                free_slots.pop_back();
            }
            in_flight[slot] = std::move(s.message);
            (void)network->send(from, s.to, type, size, slot);  // a drop is reported to on_drop
        }
    }

    // ---- recording ----
    void record(net::NodeId n, const Effects& effects, Time finish) {
        for (const node::MetricEvent& ev : effects.events) {
            if (const auto* sealed = std::get_if<node::BlockSealed>(&ev)) {
                const node::Block& b = *sealed->block;
                block_index.emplace(b.hash, results.blocks.size());
                BlockRecord r;
                r.hash = b.hash;
                r.parent = b.header.parent_hash;
                r.number = b.header.number;
                r.signer = b.sealer.value_or(Address{});
                r.in_turn = sealed->in_turn;
                r.sealed = finish;
                r.tx_count = static_cast<std::uint32_t>(b.txs.size());
                r.size = static_cast<std::uint32_t>(b.encoded_size);
                results.blocks.push_back(std::move(r));
            } else if (const auto* imported = std::get_if<node::BlockImported>(&ev)) {
                if (auto it = block_index.find(imported->block->hash); it != block_index.end()) {
                    BlockRecord& r = results.blocks[it->second];
                    r.arrivals.push_back(finish - r.sealed);
                }
                if (imported->reorg_depth > 0) {
                    results.reorgs.push_back(ReorgRecord{n, finish, imported->reorg_depth, imported->old_head,
                                                         imported->block->hash});
                }
            } else if (const auto* refused = std::get_if<node::TxRefused>(&ev)) {
                if (auto it = request_index.find(refused->hash); it != request_index.end()) {
                    results.requests[it->second].reason =
                        static_cast<std::uint8_t>(100 + static_cast<int>(refused->reason));
                }
            }
        }
    }

    // ---- workload ----
    TxRef signed_tx(const PrivateKey& key, std::uint64_t nonce, const state::Call& call) {
        Transaction t;
        t.chain_id = 61'777;
        t.nonce = nonce;
        t.to = state::contract_of(call);
        t.call = state::encode_call(call);
        return std::make_shared<RecoveredTransaction>(recover_transaction(sign_transaction(t, key)).value());
    }

    void schedule_next_user() {
        if (config.users.requests_per_second <= 0) return;
        const Duration gap = exponential(
            *user_rng,
            Duration::from_nanos(static_cast<std::int64_t>(1e9 / config.users.requests_per_second)));
        if (sim.now() + gap >= Time::zero() + config.duration) return;
        sim.schedule_in(gap, [this]() noexcept {
            user_arrives();
            schedule_next_user();
        });
    }

    void user_arrives() {
        const std::uint64_t user = users++;
        const auto region = static_cast<std::uint16_t>(region_choice->pick(*user_rng));
        const auto tier = static_cast<std::uint16_t>(tier_choice->pick(*user_rng));
        const auto& local =
            full_nodes_by_region[std::min<std::size_t>(region, full_nodes_by_region.size() - 1)];
        const auto& candidates = local.empty() ? full_nodes : local;
        const net::NodeId entry = candidates.empty()
                                      ? static_cast<net::NodeId>(uniform_below(*user_rng, hosts.size()))
                                      : candidates[uniform_below(*user_rng, candidates.size())];
        const Duration redeem_after = exponential(*user_rng, config.users.redeem_delay_mean);
        const std::size_t cloud = uniform_below(*user_rng, config.clouds.size());

        const PrivateKey key = derive_private_key(config.seed, "user/" + std::to_string(user));
        TxRef tx = signed_tx(key, 0, state::RequestCall{tier, {}});
        request_index.emplace(tx->hash, results.requests.size());
        RequestRecord r;
        r.tx = tx->hash;
        r.user = user;
        r.region = region;
        r.tier = tier;
        r.submitted = sim.now();
        r.reason = kNotIncluded;
        results.requests.push_back(r);
        if (hosts[entry].up) apply(entry, hosts[entry].node->on_local_tx(node_time(), tx));

        const bool presents = bernoulli(*user_rng, config.users.redeem_probability);
        if (presents && sim.now() + redeem_after < Time::zero() + config.duration) {
            // The user will ask `cloud` to redeem the code (its request's hash).
            RedemptionRecord planned;
            planned.code = tx->hash;
            planned.cloud = static_cast<std::uint16_t>(cloud);
            planned.requested = sim.now();
            planned.reason = kNeverConfirmed;
            const std::size_t index = results.redemptions.size();
            results.redemptions.push_back(planned);
            sim.schedule_in(redeem_after, [this, index]() noexcept {
                results.redemptions[index].first_query = sim.now();
                query(index, 0);
            });
        }
    }

    // The cloud asks its own node (its validator) whether the code is redeemable.
    void query(std::size_t index, std::uint32_t attempt) {
        RedemptionRecord& r = results.redemptions[index];
        const net::NodeId own = r.cloud;
        const CloudWorkload& policy = config.cloud_behaviour;
        std::optional<node::CodeView> view;
        if (hosts[own].up) view = hosts[own].node->query_code(r.code);
        const bool ready = view && view->code && view->code->status == state::CodeStatus::kIssued &&
                           view->confirmations >= policy.confirmations;
        if (view && view->code && view->code->status != state::CodeStatus::kIssued)
            return;  // spent or expired
        if (!ready) {
            if (attempt + 1 < policy.max_queries &&
                sim.now() + policy.retry_interval < Time::zero() + config.duration) {
                sim.schedule_in(policy.retry_interval,
                                [this, index, attempt]() noexcept { query(index, attempt + 1); });
            }
            return;
        }
        sim.schedule_in(policy.screening_delay, [this, index]() noexcept { screen_and_redeem(index); });
    }

    void screen_and_redeem(std::size_t index) {
        RedemptionRecord& r = results.redemptions[index];
        if (!bernoulli(*cloud_rng, config.cloud_behaviour.pass_probability)) {
            r.reason = kScreeningFailed;
            return;
        }
        const net::NodeId own = r.cloud;
        if (!hosts[own].up) return;
        node::Node& n = *hosts[own].node;
        const PrivateKey& key = operator_keys[r.cloud];
        const Address op = address_of(key);
        const std::uint64_t nonce = n.txpool().next_nonce(op).value_or(n.head_state().account(op).nonce);
        TxRef tx = signed_tx(key, nonce, state::RedeemCall{r.code});
        r.submitted = sim.now();
        r.reason = kNotIncluded;
        redeem_index.emplace(tx->hash, index);
        apply(own, n.on_local_tx(node_time(), tx));
    }

    // The reference node (docs/metrics.md): the best head among the running nodes (all
    // nodes when `running_only` is false) — highest total difficulty, then the lower
    // number, as both fork-choice rules begin; remaining ties go to the lowest index.
    // Node 0 when no node runs.
    net::NodeId reference_node(bool running_only) const {
        std::optional<net::NodeId> best;
        for (net::NodeId i = 0; i < hosts.size(); ++i) {
            if (running_only && !hosts[i].up) continue;
            if (!best) {
                best = i;
                continue;
            }
            const BlockEntry& h = hosts[i].node->head();
            const BlockEntry& b = hosts[*best].node->head();
            if (h.total_difficulty > b.total_difficulty ||
                (h.total_difficulty == b.total_difficulty && h.header.number < b.header.number))
                best = i;
        }
        return best.value_or(0);
    }

    // ---- sampling ----
    void schedule_sample() {
        sim.schedule_in(config.sample_interval, [this]() noexcept {
            take_sample();
            if (sim.now() + config.sample_interval <= Time::zero() + config.duration) schedule_sample();
        });
    }

    std::function<void(Time)> progress;

    void take_sample() {
        if (progress) progress(sim.now());
        Sample s;
        s.time = sim.now();
        std::uint64_t lo = ~0ULL, hi = 0, pending = 0, queued = 0, up = 0;
        std::vector<Hash32> heads;
        for (const Host& h : hosts) {
            if (!h.up) continue;
            ++up;
            const auto number = h.node->head().header.number;
            lo = std::min(lo, number);
            hi = std::max(hi, number);
            pending += h.node->txpool().pending_count();
            queued += h.node->txpool().queued_count();
            heads.push_back(h.node->head().hash);
        }
        if (up > 0) {
            s.head_spread = hi - lo;
            s.txpool_pending_mean = static_cast<double>(pending) / static_cast<double>(up);
            s.txpool_queued_mean = static_cast<double>(queued) / static_cast<double>(up);
            std::sort(heads.begin(), heads.end());
            s.distinct_heads =
                static_cast<std::uint32_t>(std::unique(heads.begin(), heads.end()) - heads.begin());
        }
        const state::LedgerState& observed = hosts[reference_node(true)].node->head_state();
        for (std::uint64_t t = 0; t < config.tiers.size(); ++t) {
            const state::TierEntry tier = observed.tier(t);
            s.pool_remaining.push_back(tier.capacity - std::min(tier.capacity, tier.used()));
        }
        results.samples.push_back(std::move(s));
    }

    // ---- end of run ----
    void finish() {
        // The observer: the reference node's final canonical chain decides inclusion and outcomes.
        const node::Node& observer = *hosts[reference_node(false)].node;
        std::vector<BlockRef> canonical;
        for (BlockRef b = observer.block(observer.head().hash); b && b->header.number > 0;
             b = observer.block(b->header.parent_hash)) {
            canonical.push_back(b);
        }
        std::reverse(canonical.begin(), canonical.end());
        auto sealed_at = [&](const Hash32& h) -> std::optional<Time> {
            auto it = block_index.find(h);
            if (it == block_index.end()) return std::nullopt;
            return results.blocks[it->second].sealed;
        };
        const std::uint64_t k = config.cloud_behaviour.confirmations;
        for (std::size_t i = 0; i < canonical.size(); ++i) {
            const node::Block& b = *canonical[i];
            if (auto it = block_index.find(b.hash); it != block_index.end())
                results.blocks[it->second].canonical = true;
            const node::ExecutionResult* executed = cache.find(b.hash);
            CL_ASSERT(executed && executed->has_value());
            const std::optional<Time> included = sealed_at(b.hash);
            const std::optional<Time> confirmed =
                i + k < canonical.size() ? sealed_at(canonical[i + k]->hash) : std::nullopt;
            for (std::size_t t = 0; t < b.txs.size(); ++t) {
                const state::Receipt& receipt = (*executed)->receipts[t];
                if (auto it = request_index.find(b.txs[t]->hash); it != request_index.end()) {
                    RequestRecord& r = results.requests[it->second];
                    r.included = included;
                    r.confirmed = confirmed;
                    r.success = receipt.status == state::Status::kSuccess;
                    r.reason = static_cast<std::uint8_t>(receipt.reason);
                } else if (auto jt = redeem_index.find(b.txs[t]->hash); jt != redeem_index.end()) {
                    RedemptionRecord& r = results.redemptions[jt->second];
                    r.included = included;
                    r.success = receipt.status == state::Status::kSuccess;
                    r.reason = static_cast<std::uint8_t>(receipt.reason);
                }
            }
        }
        for (std::size_t t = 0; t < node::kMessageKindCount; ++t) {
            const net::TypeCounters& c = network->counters(static_cast<net::MessageType>(t));
            results.network.push_back(MessageCounters{node::name(static_cast<node::MessageKind>(t)),
                                                      c.sent_messages, c.sent_bytes, c.dropped_messages});
        }
        for (const Host& h : hosts) {
            results.final_heads.push_back(h.node->head().hash);
            results.final_numbers.push_back(h.node->head().header.number);
        }
        const std::uint64_t lowest =
            *std::min_element(results.final_numbers.begin(), results.final_numbers.end());
        results.check_height = lowest > 3 ? lowest - 3 : 0;
        for (const Host& h : hosts) {
            results.hashes_at_check.push_back(
                h.node->chain().tree().canonical_hash(results.check_height).value());
        }
        results.events = sim.events_run();
        results.simulated = config.duration;
        results.executions = cache.executions();
        results.execution_requests = cache.executions() + cache.hits();
    }
};

std::expected<void, std::string> World::validate(const WorldConfig& config) {
    const std::size_t n = config.topology.node_count();
    if (config.clouds.empty()) return std::unexpected("clouds: at least one cloud is required");
    if (n < config.clouds.size()) {
        return std::unexpected("topology: " + std::to_string(n) + " nodes for " +
                               std::to_string(config.clouds.size()) + " clouds (each runs a validator node)");
    }
    std::vector<PrivateKey> keys, more_keys;
    if (const auto bad = state::validate(genesis_config(config, keys, more_keys))) {
        return std::unexpected("genesis: " + bad->field + ": " + bad->message);
    }
    if (!WeightedChoice::from_weights(user_region_weights(config))) {
        return std::unexpected(config.users.region_weights.empty()
                                   ? std::string("users: no full node to arrive at (no region weights given)")
                                   : std::string("users.region_weights: need one > 0, none negative"));
    }
    if (!WeightedChoice::from_weights(user_tier_weights(config))) {
        return std::unexpected(config.users.tier_mix.empty()
                                   ? std::string("tiers: at least one tier is required")
                                   : std::string("users.tier_mix: need one > 0, none negative"));
    }
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
    for (const net::PartitionSpec& p : config.partitions) {
        if (auto ok = (*network)->add_partition(p); !ok) return std::unexpected(ok.error().to_string());
    }
    for (std::size_t i = 0; i < config.crashes.size(); ++i) {
        const Crash& c = config.crashes[i];
        if (auto ok = (*network)->add_node_failure(c.node, c.at, c.restart_at.value_or(Time::max())); !ok)
            return std::unexpected(fault_error("crashes", i, ok.error()));
    }
    for (std::size_t i = 0; i < config.link_failures.size(); ++i) {
        const LinkFailure& f = config.link_failures[i];
        if (auto ok = (*network)->add_link_failure(f.a, f.b, f.from, f.to); !ok)
            return std::unexpected(fault_error("link_failures", i, ok.error()));
    }
    for (std::size_t i = 0; i < config.link_losses.size(); ++i) {
        const LinkLoss& f = config.link_losses[i];
        if (auto ok = (*network)->add_link_loss(f.a, f.b, f.probability, f.from, f.to); !ok)
            return std::unexpected(fault_error("link_losses", i, ok.error()));
    }
    return {};
}

std::expected<World, std::string> World::create(WorldConfig config) {
    if (auto ok = validate(config); !ok) return std::unexpected(std::move(ok.error()));
    return World(std::move(config));
}

World::World(WorldConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
    CL_ASSERT(validate(impl_->config).has_value());
    impl_->build();
}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

WorldResults World::run(const std::function<void(Time)>& progress) {
    Impl& w = *impl_;
    w.progress = progress;
    for (std::size_t i = 0; i < w.hosts.size(); ++i) {
        w.apply(static_cast<net::NodeId>(i), w.hosts[i].node->start(w.node_time()));
    }
    w.schedule_next_user();
    w.schedule_sample();
    (void)w.sim.run_until(Time::zero() + w.config.duration);
    w.finish();
    return std::move(w.results);
}

}  // namespace cl::sim::world
