#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "protocol/clique/fork_choice.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "protocol/state/call.hpp"
#include "protocol/txpool/stamp.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/scenario/scenario.hpp"

namespace cl::sim::world {

using node::BlockRef;
using node::Effects;
using node::TxRef;

namespace {

constexpr WorldReason kScreeningFailed = WorldReason::kScreeningFailed;
constexpr WorldReason kNeverConfirmed = WorldReason::kNeverConfirmed;
constexpr WorldReason kNotIncluded = WorldReason::kNotIncluded;

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

    // Users (requesters and transferees), by user index; see the workload section.
    struct User {
        RandomStream rng;  // "workload/user/<index>": this user's own decisions
        Address address;   // zero until the user first signs (or receives) something
        net::NodeId entry = 0;
        std::uint16_t region = 0;
        std::uint16_t tier = 0;
        std::uint32_t attempts = 0;  // requests made
    };
    std::vector<User> user_states;
    // What the giver of a transfer does if the transfer fails: present the code itself.
    struct Presentation {
        bool presents = false;
        Duration delay;
        std::uint16_t cloud = 0;
        std::optional<std::uint16_t> second_cloud;  // presents it there too, at the same time
    };
    std::vector<Presentation> transfer_fallbacks;  // by transfer index
    // Transactions whose outcome a user waits for, and the node it watches.
    enum class Watched : std::uint8_t { kRequest, kTransfer, kRedeem, kRenew };
    struct Watch {
        Hash32 tx;
        Watched kind = Watched::kRequest;
        std::size_t index = 0;  // into results.requests / transfers / redemptions / renewals
        bool settled = false;
    };
    std::vector<Watch> watch_list;
    std::unordered_map<Hash32, std::size_t> watch_index;    // by tx hash; lookup only
    std::vector<std::vector<std::size_t>> watches_by_node;  // unsettled watch_list entries, in order
    // Sealed blocks holding a watched transaction: (block, position in it). Lookup only.
    std::unordered_map<Hash32, std::vector<std::pair<Hash32, std::uint32_t>>> watched_in_blocks;
    std::optional<RandomStream> reference_rng;

    // Records.
    WorldResults results;
    std::unordered_map<Hash32, std::size_t> block_index;     // lookup only
    std::unordered_map<Hash32, std::size_t> request_index;   // by request tx hash
    std::unordered_map<Hash32, std::size_t> transfer_index;  // by transfer tx hash
    std::unordered_map<Hash32, std::size_t> redeem_index;    // by redeem tx hash
    std::unordered_map<Hash32, std::size_t> renewal_index;   // by renew tx hash

    std::chrono::nanoseconds node_time() const {
        return std::chrono::seconds(config.genesis_time) + std::chrono::nanoseconds(sim.now().nanos());
    }

    // ---- set-up ----
    // REQUIRES: World::check(config) succeeded.
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
            if (!config.fork_choices.empty()) nc.clique.fork_choice = config.fork_choices[i];
            nc.txpool = pool_config;
            nc.first_connections_aged = !config.started_together;
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
        if (config.users.requests_per_second > 0) {
            region_choice = WeightedChoice::from_weights(user_region_weights(config));
            CL_ASSERT(region_choice.has_value());
        }
        tier_choice = WeightedChoice::from_weights(user_tier_weights(config));
        CL_ASSERT(tier_choice.has_value());
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
        if (!h.up || !within_run()) return;
        apply(d.to, h.node->on_message(node_time(), d.from, m));
    }
    void on_drop(const net::Delivery& d, net::DropReason) noexcept override { release_message(d.payload); }

    void release_message(std::uint64_t slot) {
        in_flight[slot].reset();
        free_slots.push_back(slot);
    }

    // The run is [0, duration) (docs/metrics.md "The end of the run"): a node handles no
    // input at or after its end.
    bool within_run() const { return sim.now() < end_of_run(); }

    // Charges the input's CPU time and releases its effects when the CPU is done. Effects
    // the CPU finishes at or after the end of the run do not happen within it: nothing of
    // them is recorded, sent or scheduled (e.g. a block whose sealing the end cut short:
    // end_head()).
    void apply(net::NodeId n, Effects effects) {
        Host& h = hosts[n];
        const CpuCosts& cpu = config.cpu;
        const Duration cost = cpu.verify_header * effects.work.headers_verified +
                              cpu.execute_tx * effects.work.txs_executed +
                              cpu.admit_tx * effects.work.txs_admitted;
        const Time finish = std::max(sim.now(), h.busy_until) + cost;
        h.busy_until = finish;
        if (finish >= end_of_run()) return;
        record(n, effects, finish);
        for (const node::Timer& t : effects.timers) {
            const Time at = std::max(
                finish, Time::from_nanos(
                            t.at.count() -
                            std::chrono::nanoseconds(std::chrono::seconds(config.genesis_time)).count()));
            sim.schedule_at(at, [this, n, token = t.token]() noexcept {
                if (hosts[n].up && within_run()) apply(n, hosts[n].node->on_timer(node_time(), token));
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
                r.online = online_at(finish);
                results.blocks.push_back(std::move(r));
                note_watched_txs(b);
                check_watches(n, finish);
            } else if (const auto* imported = std::get_if<node::BlockImported>(&ev)) {
                if (auto it = block_index.find(imported->block->hash); it != block_index.end()) {
                    BlockRecord& r = results.blocks[it->second];
                    if (was_online(n, r.sealed)) {
                        r.arrivals.push_back(finish - r.sealed);
                    } else {
                        ++r.late_arrivals;
                    }
                }
                if (imported->reorg_depth > 0) {
                    results.reorgs.push_back(ReorgRecord{n, finish, imported->reorg_depth, imported->old_head,
                                                         imported->block->hash});
                }
                if (imported->new_head) check_watches(n, finish);
            } else if (const auto* refused = std::get_if<node::TxRefused>(&ev)) {
                tx_refused(refused->hash, refused->reason, finish);
            }
        }
    }

    // ---- workload ----
    //
    // Users and clouds as docs/scenarios.md "How the workload behaves" describes them. A
    // user learns the outcome of a transaction it sent from its own node (its entry node):
    // once a block holding the transaction is on that node's canonical chain with k blocks
    // on top (k = cloud_behaviour.confirmations, the clouds' own rule), the receipt there
    // is the outcome; a refusal by the node's txpool is known at once. A success gives the
    // user a confirmed code; a failure is a refusal.
    //
    // Randomness (DESIGN.md §6): arrival times and each arrival's region, tier and entry
    // node come from "workload/users"; each user's own decisions from
    // "workload/user/<index>", every draw of a decision made in a fixed order whether or
    // not its value is used; the clouds' screening from "workload/clouds".
    TxRef signed_tx(const PrivateKey& key, std::uint64_t nonce, const state::Call& call) {
        Transaction t;
        t.chain_id = kChainId;
        t.nonce = nonce;
        t.to = state::contract_of(call);
        t.call = state::encode_call(call);
        return std::make_shared<RecoveredTransaction>(recover_transaction(sign_transaction(t, key)).value());
    }

    Time end_of_run() const { return Time::zero() + config.duration; }

    void schedule_next_user() {
        if (config.users.requests_per_second <= 0) return;
        const Duration gap = exponential(
            *user_rng,
            Duration::from_nanos(static_cast<std::int64_t>(1e9 / config.users.requests_per_second)));
        if (sim.now() + gap >= end_of_run()) return;
        sim.schedule_in(gap, [this]() noexcept {
            user_arrives();
            schedule_next_user();
        });
    }

    // A full node of `region` (any full node when the region has none; any node when there
    // are no full nodes).
    net::NodeId pick_entry(std::uint16_t region, RandomStream& rng) const {
        const auto& local =
            full_nodes_by_region[std::min<std::size_t>(region, full_nodes_by_region.size() - 1)];
        const auto& candidates = local.empty() ? full_nodes : local;
        return candidates.empty() ? static_cast<net::NodeId>(uniform_below(rng, hosts.size()))
                                  : candidates[uniform_below(rng, candidates.size())];
    }

    // Users are numbered in order of appearance (arrivals and transferees alike).
    std::uint64_t new_user(std::uint16_t region, net::NodeId entry, std::uint16_t tier) {
        const std::uint64_t id = users++;
        user_states.push_back(
            User{streams.stream("workload/user/" + std::to_string(id)), Address{}, entry, region, tier, 0});
        return id;
    }

    PrivateKey user_key(std::uint64_t user) const {
        return derive_private_key(config.seed, "user/" + std::to_string(user));
    }

    std::uint64_t next_nonce(net::NodeId n, const Address& sender) const {
        const node::Node& node = *hosts[n].node;
        return node.txpool().next_nonce(sender).value_or(node.head_state().account(sender).nonce);
    }

    void user_arrives() {
        const auto region = static_cast<std::uint16_t>(region_choice->pick(*user_rng));
        const auto tier = static_cast<std::uint16_t>(tier_choice->pick(*user_rng));
        const net::NodeId entry = pick_entry(region, *user_rng);
        submit_request(new_user(region, entry, tier));
    }

    // Simulated time the user's device spends on `hashes` stamp hashes (UserWorkload::hash_rate).
    Duration stamp_duration(std::uint64_t hashes) const {
        return Duration::from_nanos(
            static_cast<std::int64_t>(std::ceil(static_cast<double>(hashes) * 1e9 / config.users.hash_rate)));
    }

    // The user's next request for its tier. After a txpool refusal the nonce was not used,
    // so a re-request is the same transaction again (same hash): its row then shares the
    // tx_hash of the refused one, with the next attempt number.
    //
    // With txpool.stamp_bits set the user first computes the request's stamp (§5, the
    // real search: txpool::find_stamp over its address and the nonce, as the txpool checks
    // it) and sends the request when that is done, stamp_duration(hashes) later. A request
    // whose stamp would be finished only at or after the end of the run is not made.
    void submit_request(std::uint64_t user) {
        User& u = user_states[user];
        const std::uint64_t nonce = u.attempts == 0 ? 0 : next_nonce(u.entry, u.address);
        const PrivateKey key = user_key(user);
        state::RequestCall call{u.tier, {}};
        std::uint64_t hashes = 0;
        if (config.txpool.stamp_bits) {
            const txpool::StampSearch found =
                txpool::find_stamp(address_of(key), nonce, *config.txpool.stamp_bits);
            call.stamp = found.stamp;
            hashes = found.hashes;
        }
        const Duration stamp_time = stamp_duration(hashes);
        if (stamp_time > Duration::zero() && sim.now() + stamp_time >= end_of_run()) return;
        TxRef tx = signed_tx(key, nonce, call);
        u.address = tx->sender;
        ++u.attempts;
        if (stamp_time > Duration::zero()) {
            sim.schedule_in(stamp_time, [this, user, tx = std::move(tx), hashes]() noexcept {
                send_request(user, tx, hashes);
            });
            return;
        }
        send_request(user, tx, hashes);
    }

    void send_request(std::uint64_t user, const TxRef& tx, std::uint64_t stamp_hashes) {
        const User& u = user_states[user];
        const std::size_t index = results.requests.size();
        request_index[tx->hash] = index;
        RequestRecord r;
        r.tx = tx->hash;
        r.user = user;
        r.attempt = u.attempts;
        r.region = u.region;
        r.tier = u.tier;
        r.submitted = sim.now();
        r.reason = kNotIncluded;
        r.stamp_hashes = stamp_hashes;
        r.stamp_time = stamp_duration(stamp_hashes);
        results.requests.push_back(r);
        if (!hosts[u.entry].up) return;  // the user's node is down: the request is lost
        watch(tx->hash, Watched::kRequest, index, u.entry);
        apply(u.entry, hosts[u.entry].node->on_local_tx(node_time(), tx));
    }

    void watch(const Hash32& tx, Watched kind, std::size_t index, net::NodeId node) {
        if (watches_by_node.empty()) watches_by_node.resize(hosts.size());
        watch_index[tx] = watch_list.size();
        watches_by_node[node].push_back(watch_list.size());
        watch_list.push_back(Watch{tx, kind, index, false});
    }

    // A block was sealed: remember where the watched transactions in it are.
    void note_watched_txs(const node::Block& b) {
        if (watch_index.empty()) return;
        for (std::size_t t = 0; t < b.txs.size(); ++t) {
            if (watch_index.contains(b.txs[t]->hash))
                watched_in_blocks[b.txs[t]->hash].emplace_back(b.hash, static_cast<std::uint32_t>(t));
        }
    }

    // Whether `tx` succeeded, once a block holding it is on `node`'s canonical chain with k
    // blocks on top; nullopt before.
    std::optional<bool> final_outcome(const node::Node& node, const Hash32& tx, std::uint64_t head) const {
        const auto it = watched_in_blocks.find(tx);
        if (it == watched_in_blocks.end()) return std::nullopt;
        const std::uint64_t k = config.cloud_behaviour.confirmations;
        for (const auto& [block, position] : it->second) {
            const std::uint64_t number = results.blocks[block_index.at(block)].number;
            if (head < number + k || node.chain().tree().canonical_hash(number) != block) continue;
            const node::ExecutionResult* executed = cache.find(block);
            CL_ASSERT(executed && executed->has_value());
            return (*executed)->receipts[position].status == state::Status::kSuccess;
        }
        return std::nullopt;
    }

    // Node n's head changed (at `at`): users watching it may learn their outcomes. The
    // reactions only schedule events, so no input reaches a node from here.
    void check_watches(net::NodeId n, Time at) {
        if (n >= watches_by_node.size() || watches_by_node[n].empty()) return;
        const node::Node& node = *hosts[n].node;
        const std::uint64_t head = node.head().header.number;
        std::vector<std::size_t>& list = watches_by_node[n];
        std::vector<std::pair<std::size_t, bool>> settled;
        std::size_t kept = 0;
        for (const std::size_t w : list) {
            if (watch_list[w].settled) continue;
            if (const auto ok = final_outcome(node, watch_list[w].tx, head)) {
                settled.emplace_back(w, *ok);
            } else {
                list[kept++] = w;
            }
        }
        list.resize(kept);
        for (const auto& [w, ok] : settled) settle(w, ok, at);
    }

    void settle(std::size_t w, bool ok, Time at) {
        Watch& watch = watch_list[w];
        watch.settled = true;
        if (watch.kind == Watched::kRedeem) {
            // The cloud allocates only per its confirmation policy: k blocks on top.
            if (ok) results.redemptions[watch.index].allocated = at;
        } else if (watch.kind == Watched::kRequest) {
            RequestRecord& r = results.requests[watch.index];
            if (!ok) return request_refused(watch.index, at);
            r.confirmed = at;
            requester_holds_code(watch.index, at);
        } else if (watch.kind == Watched::kRenew) {
            RenewalRecord& r = results.renewals[watch.index];
            if (!ok) return;  // the holder goes on as before: the code expires at its old height
            r.confirmed = at;
            plan_renewal(r.user, r.code, at);  // the next renewal, if any is left
        } else {
            TransferRecord& t = results.transfers[watch.index];
            if (!ok) return transfer_failed(watch.index, at);
            t.confirmed = at;
            transferee_holds_code(t.to, t.code, at);
        }
    }

    // A node's txpool refused a transaction a user submitted there (known at once).
    void tx_refused(const Hash32& tx, txpool::Refusal reason, Time at) {
        const OutcomeReason code = reason;
        if (auto it = request_index.find(tx); it != request_index.end())
            results.requests[it->second].reason = code;
        if (auto it = transfer_index.find(tx); it != transfer_index.end())
            results.transfers[it->second].reason = code;
        if (auto it = renewal_index.find(tx); it != renewal_index.end())
            results.renewals[it->second].reason = code;
        const auto w = watch_index.find(tx);
        if (w == watch_index.end() || watch_list[w->second].settled) return;
        Watch& watch = watch_list[w->second];
        watch.settled = true;
        if (watch.kind == Watched::kRequest) {
            request_refused(watch.index, at);
        } else if (watch.kind == Watched::kTransfer) {
            transfer_failed(watch.index, at);
        }  // a refused redeem allocates nothing; a refused renewal leaves the expiry as it was
    }

    // Draws: ask again?, then the delay.
    void request_refused(std::size_t index, Time at) {
        const std::uint64_t user = results.requests[index].user;
        User& u = user_states[user];
        const bool again = bernoulli(u.rng, config.users.rerequest_probability);
        const Duration delay = exponential(u.rng, config.users.rerequest_delay_mean);
        if (!again || u.attempts >= config.users.max_attempts || at + delay >= end_of_run()) return;
        sim.schedule_at(at + delay, [this, user]() noexcept { submit_request(user); });
    }

    // What a holder of a confirmed code decides. Draws: transfer?, present?, the delay
    // before presenting, the cloud (uniform over the member clouds).
    Presentation decide(User& u, bool& transfers) {
        transfers = bernoulli(u.rng, config.users.transfer_probability);
        Presentation p;
        p.presents = bernoulli(u.rng, config.users.redeem_probability);
        p.delay = exponential(u.rng, config.users.redeem_delay_mean);
        p.cloud = static_cast<std::uint16_t>(uniform_below(u.rng, config.clouds.size()));
        // The double presentation: drawn always (fixed draw order), used with 2+ clouds.
        const bool twice = bernoulli(u.rng, config.users.double_present_probability);
        const std::uint64_t other = uniform_below(u.rng, std::max<std::size_t>(1, config.clouds.size() - 1));
        if (twice && config.clouds.size() > 1)
            p.second_cloud = static_cast<std::uint16_t>((p.cloud + 1 + other) % config.clouds.size());
        return p;
    }

    // The requester of request `index` holds its confirmed code: it gives it away (a
    // code is transferred at most once by this workload: the requester may, the
    // transferee does not), or presents it.
    void requester_holds_code(std::size_t index, Time at) {
        const std::uint64_t user = results.requests[index].user;
        bool transfers = false;
        const Presentation p = decide(user_states[user], transfers);
        if (transfers) {
            sim.schedule_at(at, [this, index, p]() noexcept { submit_transfer(index, p); });
            return;
        }
        present_later(user, results.requests[index].tx, p, at);
        plan_renewal(user, results.requests[index].tx, at);
    }

    // A transferee holds its confirmed code (the transfer coin is drawn and ignored).
    void transferee_holds_code(std::uint64_t user, const Hash32& code, Time at) {
        bool transfers = false;
        const Presentation p = decide(user_states[user], transfers);
        present_later(user, code, p, at);
        plan_renewal(user, code, at);
    }

    // The requester of request `index` gives the code to a new user of its region, who
    // watches its own node for the transfer. `fallback`: what the giver does if it fails.
    void submit_transfer(std::size_t index, Presentation fallback) {
        const std::uint64_t giver = results.requests[index].user;
        const Hash32 code = results.requests[index].tx;
        const std::uint64_t to = new_user(user_states[giver].region, 0, user_states[giver].tier);
        User& r = user_states[to];
        r.entry = pick_entry(r.region, r.rng);
        r.address = address_of(user_key(to));
        const User& g = user_states[giver];
        TxRef tx = signed_tx(user_key(giver), next_nonce(g.entry, g.address),
                             state::TransferCodeCall{code, r.address});
        const std::size_t t = results.transfers.size();
        transfer_index[tx->hash] = t;
        transfer_fallbacks.push_back(fallback);
        TransferRecord rec;
        rec.tx = tx->hash;
        rec.code = code;
        rec.from = giver;
        rec.to = to;
        rec.submitted = sim.now();
        rec.reason = kNotIncluded;
        results.transfers.push_back(rec);
        const net::NodeId entry = g.entry;
        if (!hosts[entry].up) return transfer_failed(t, sim.now());
        watch(tx->hash, Watched::kTransfer, t, r.entry);
        apply(entry, hosts[entry].node->on_local_tx(node_time(), tx));
    }

    // The transfer failed (refused, or a failed receipt): the giver keeps the code and
    // presents it as it had decided.
    void transfer_failed(std::size_t t, Time at) {
        const TransferRecord& rec = results.transfers[t];
        present_later(rec.from, rec.code, transfer_fallbacks[t], at);
        plan_renewal(rec.from, rec.code, at);
    }

    // ---- renewals (renewable TTL policy, shared/spec/promo-pool.md §3) ----
    //
    // A holder looks its code up on its own node: while the code is issued, owned by the
    // holder and below max_renewals renewals, the holder comes back when the expiry is
    // renew_margin away — (expires_at − head) blocks × the block period, as that node
    // shows it now — and then, with renew_probability (drawn from its own stream, one
    // draw per renewal moment), sends renew(code) to that node. A code redeemed, expired,
    // transferred away or at its renewal limit is left alone. A confirmed renewal starts
    // the same cycle for the next one.
    bool renewals_on() const {
        return config.pool.ttl.kind == state::TtlKind::kRenewable && config.users.renew_probability > 0;
    }

    void plan_renewal(std::uint64_t user, const Hash32& code, Time at) {
        if (!renewals_on() || at >= end_of_run()) return;
        sim.schedule_at(at, [this, user, code]() noexcept { renewal_check(user, code); });
    }

    void renewal_check(std::uint64_t user, const Hash32& code) {
        User& u = user_states[user];
        const Duration period =
            seconds(static_cast<std::int64_t>(std::max<std::uint64_t>(1, config.clique.period)));
        if (!hosts[u.entry].up) {  // the holder's node is down: look again a block later
            if (sim.now() + period < end_of_run())
                sim.schedule_in(period, [this, user, code]() noexcept { renewal_check(user, code); });
            return;
        }
        const node::Node& own = *hosts[u.entry].node;
        const node::CodeView view = own.query_code(code);
        if (!view.code || view.code->status != state::CodeStatus::kIssued || view.code->owner != u.address ||
            view.code->renewals >= config.pool.ttl.max_renewals) {
            return;
        }
        const std::uint64_t head = own.head().header.number;
        const std::uint64_t left = view.code->expires_at > head ? view.code->expires_at - head : 0;
        // Capped at the run's length in blocks: beyond it the holder never needs to renew.
        const auto run_blocks = static_cast<std::uint64_t>(config.duration / period) + 1;
        const Duration until_expiry = period * static_cast<std::int64_t>(std::min(left, run_blocks));
        if (until_expiry > config.users.renew_margin) {
            const Duration wait = until_expiry - config.users.renew_margin;
            if (sim.now() + wait < end_of_run())
                sim.schedule_in(wait, [this, user, code]() noexcept { renewal_check(user, code); });
            return;
        }
        if (!bernoulli(u.rng, config.users.renew_probability)) return;
        TxRef tx = signed_tx(user_key(user), next_nonce(u.entry, u.address), state::RenewCall{code});
        const std::size_t index = results.renewals.size();
        renewal_index[tx->hash] = index;
        RenewalRecord rec;
        rec.tx = tx->hash;
        rec.code = code;
        rec.user = user;
        rec.submitted = sim.now();
        rec.reason = kNotIncluded;
        results.renewals.push_back(rec);
        watch(tx->hash, Watched::kRenew, index, u.entry);
        apply(u.entry, hosts[u.entry].node->on_local_tx(node_time(), tx));
    }

    // The user presents `code` to cloud p.cloud at `at` + p.delay (when that is in the run).
    void present_later(std::uint64_t user, const Hash32& code, const Presentation& p, Time at) {
        if (!p.presents || at + p.delay >= end_of_run()) return;
        plan_redemption(user, code, p.cloud, at + p.delay);
        if (p.second_cloud) plan_redemption(user, code, *p.second_cloud, at + p.delay);
    }

    void plan_redemption(std::uint64_t user, const Hash32& code, std::uint16_t cloud, Time when) {
        RedemptionRecord planned;
        planned.code = code;
        planned.user = user;
        planned.cloud = cloud;
        planned.requested = when;
        planned.reason = kNeverConfirmed;
        const std::size_t index = results.redemptions.size();
        results.redemptions.push_back(planned);
        sim.schedule_at(when, [this, index]() noexcept {
            results.redemptions[index].first_query = sim.now();
            query(index, 0);
        });
    }

    // The cloud asks its own node (its validator) whether the code is redeemable: issued,
    // owned by the user presenting it, and in a block with k blocks on top.
    void query(std::size_t index, std::uint32_t attempt) {
        RedemptionRecord& r = results.redemptions[index];
        const net::NodeId own = r.cloud;
        const CloudWorkload& policy = config.cloud_behaviour;
        std::optional<node::CodeView> view;
        if (hosts[own].up) view = hosts[own].node->query_code(r.code);
        const bool ready = view && view->code && view->code->status == state::CodeStatus::kIssued &&
                           view->confirmations >= policy.confirmations &&
                           view->code->owner == user_states[r.user].address;
        if (view && view->code && view->code->status != state::CodeStatus::kIssued) {
            // The cloud refuses the code as its node shows it: expired, or already redeemed.
            r.reason = view->code->status == state::CodeStatus::kExpired ? state::Reason::kExpired
                                                                         : state::Reason::kAlreadyRedeemed;
            return;
        }
        if (!ready) {
            if (attempt + 1 < policy.max_queries && sim.now() + policy.retry_interval < end_of_run()) {
                sim.schedule_in(policy.retry_interval,
                                [this, index, attempt]() noexcept { query(index, attempt + 1); });
            }
            return;
        }
        // Draws: the screening time (exponential, mean screening_delay), then its verdict.
        const Duration screening = exponential(*cloud_rng, policy.screening_delay);
        const bool passes = bernoulli(*cloud_rng, policy.pass_probability);
        sim.schedule_in(screening, [this, index, passes]() noexcept { screen_and_redeem(index, passes); });
    }

    void screen_and_redeem(std::size_t index, bool passes) {
        RedemptionRecord& r = results.redemptions[index];
        if (!passes) {
            r.reason = kScreeningFailed;
            return;
        }
        const net::NodeId own = r.cloud;
        if (!hosts[own].up || !within_run()) return;  // down, or the run is over
        const PrivateKey& key = operator_keys[r.cloud];
        TxRef tx = signed_tx(key, next_nonce(own, address_of(key)), state::RedeemCall{r.code});
        r.submitted = sim.now();
        r.reason = kNotIncluded;
        redeem_index.emplace(tx->hash, index);
        watch(tx->hash, Watched::kRedeem, index, own);
        apply(own, hosts[own].node->on_local_tx(node_time(), tx));
    }

    // ---- nodes online, the reference chain (docs/metrics.md "Conventions") ----

    // Whether node n was online at t, from the fault schedule (a crash at `at` takes the
    // node down from `at`; a restart brings it back from `restart_at`).
    bool was_online(net::NodeId n, Time t) const {
        for (const Crash& c : config.crashes) {
            if (c.node == n && c.at <= t && (!c.restart_at || t < *c.restart_at)) return false;
        }
        return true;
    }

    std::uint32_t online_at(Time t) const {
        std::uint32_t online = 0;
        for (std::size_t i = 0; i < hosts.size(); ++i)
            online += was_online(static_cast<net::NodeId>(i), t) ? 1 : 0;
        return online;
    }

    // Node n's head at the end of the run: its head, unless that is a block whose sealing
    // the end cut short (sealed by n, never recorded: apply()), then that block's parent.
    // Every other block a node has was recorded: it was sealed, and sent, within the run.
    const BlockEntry& end_head(std::size_t n) const {
        const clique::Chain& chain = hosts[n].node->chain();
        const BlockEntry& head = chain.head();
        if (head.header.number == 0 || block_index.contains(head.hash)) return head;
        const BlockEntry* parent = chain.tree().find(head.header.parent_hash);
        CL_ASSERT(parent != nullptr && (parent->header.number == 0 || block_index.contains(parent->hash)));
        return *parent;
    }

    // Node n's head as the run sees it now: its head within the run, its end head at the end
    // (so the sample at t = duration shows no block the end cut short).
    const BlockEntry& current_head(std::size_t n) const {
        return within_run() ? hosts[n].node->head() : end_head(n);
    }

    // The node whose head is the best, under the scenario's fork-choice rule, among the
    // heads of the nodes online now (`online_only`) or, at the end, among the end heads
    // (end_head()) of all nodes; the lowest-numbered such node. A coin flip the rule needs
    // comes from the stream "world/reference".
    net::NodeId reference_node(bool online_only) {
        if (!reference_rng) reference_rng = streams.stream("world/reference");
        std::optional<net::NodeId> best;
        clique::HeadView best_view;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            if (online_only && !hosts[i].up) continue;
            const clique::Chain& chain = hosts[i].node->chain();
            const clique::HeadView view = chain.head_view(online_only ? current_head(i) : end_head(i));
            if (!best || clique::prefer_candidate(config.clique, best_view, view, *reference_rng)) {
                best = static_cast<net::NodeId>(i);
                best_view = view;
            }
        }
        return best.value_or(0);
    }

    std::vector<std::uint64_t> pool_remaining(const state::LedgerState& state) const {
        std::vector<std::uint64_t> remaining;
        for (std::uint64_t t = 0; t < config.tiers.size(); ++t) {
            const state::TierEntry tier = state.tier(t);
            remaining.push_back(tier.capacity - std::min(tier.capacity, tier.used()));
        }
        return remaining;
    }

    // ---- sampling ----
    void schedule_sample() {
        sim.schedule_in(config.sample_interval, [this]() noexcept {
            take_sample();
            if (sim.now() + config.sample_interval <= Time::zero() + config.duration) schedule_sample();
        });
    }

    World::Progress progress;
    std::optional<net::NodeId> final_reference;  // set by finish()
    std::optional<Hash32> final_head;            // its end head (end_head()), set by finish()

    void take_sample() {
        if (progress) progress(sim.now(), sim.events_run());
        Sample s;
        s.time = sim.now();
        std::uint64_t lo = ~0ULL, hi = 0, pending = 0, queued = 0, up = 0;
        std::vector<Hash32> heads;
        for (std::size_t n = 0; n < hosts.size(); ++n) {
            const Host& h = hosts[n];
            if (!h.up) continue;
            ++up;
            const BlockEntry& head = current_head(n);
            lo = std::min(lo, head.header.number);
            hi = std::max(hi, head.header.number);
            pending += h.node->txpool().pending_count();
            queued += h.node->txpool().queued_count();
            heads.push_back(head.hash);
        }
        if (up > 0) {
            s.head_spread = hi - lo;
            s.txpool_pending_mean = static_cast<double>(pending) / static_cast<double>(up);
            s.txpool_queued_mean = static_cast<double>(queued) / static_cast<double>(up);
            std::sort(heads.begin(), heads.end());
            s.distinct_heads =
                static_cast<std::uint32_t>(std::unique(heads.begin(), heads.end()) - heads.begin());
        }
        const net::NodeId ref = reference_node(true);
        s.pool_remaining = pool_remaining(*hosts[ref].node->state_of(current_head(ref).hash));
        results.samples.push_back(std::move(s));
    }

    // ---- end of run ----
    void finish() {
        // The reference chain at the end (the best head among all nodes) decides inclusion
        // and outcomes. Confirmation times were recorded during the run, as users saw them.
        final_reference = reference_node(false);
        const node::Node& reference = *hosts[*final_reference].node;
        final_head = end_head(*final_reference).hash;
        std::vector<BlockRef> canonical;
        for (BlockRef b = reference.block(*final_head); b && b->header.number > 0;
             b = reference.block(b->header.parent_hash)) {
            canonical.push_back(b);
        }
        std::reverse(canonical.begin(), canonical.end());
        auto sealed_at = [&](const Hash32& h) -> std::optional<Time> {
            auto it = block_index.find(h);
            if (it == block_index.end()) return std::nullopt;
            return results.blocks[it->second].sealed;
        };
        for (const BlockRef& block : canonical) {
            const node::Block& b = *block;
            if (auto it = block_index.find(b.hash); it != block_index.end())
                results.blocks[it->second].canonical = true;
            const node::ExecutionResult* executed = cache.find(b.hash);
            CL_ASSERT(executed && executed->has_value());
            const std::optional<Time> included = sealed_at(b.hash);
            for (std::size_t t = 0; t < b.txs.size(); ++t) {
                const state::Receipt& receipt = (*executed)->receipts[t];
                const bool success = receipt.status == state::Status::kSuccess;
                const state::Reason reason = receipt.reason;
                if (auto it = request_index.find(b.txs[t]->hash); it != request_index.end()) {
                    RequestRecord& r = results.requests[it->second];
                    r.included = included;
                    r.success = success;
                    r.reason = reason;
                } else if (auto tt = transfer_index.find(b.txs[t]->hash); tt != transfer_index.end()) {
                    TransferRecord& r = results.transfers[tt->second];
                    r.included = included;
                    r.success = success;
                    r.reason = reason;
                } else if (auto jt = redeem_index.find(b.txs[t]->hash); jt != redeem_index.end()) {
                    RedemptionRecord& r = results.redemptions[jt->second];
                    r.included = included;
                    r.success = success;
                    r.reason = reason;
                } else if (auto nt = renewal_index.find(b.txs[t]->hash); nt != renewal_index.end()) {
                    RenewalRecord& r = results.renewals[nt->second];
                    r.included = included;
                    r.success = success;
                    r.reason = reason;
                }
            }
        }
        results.final_pool_remaining = pool_remaining(*reference.state_of(*final_head));
        for (std::size_t t = 0; t < node::kMessageKindCount; ++t) {
            const net::TypeCounters& c = network->counters(static_cast<net::MessageType>(t));
            results.network.push_back(MessageCounters{node::name(static_cast<node::MessageKind>(t)),
                                                      c.sent_messages, c.sent_bytes, c.dropped_messages});
        }
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            results.final_heads.push_back(end_head(i).hash);
            results.final_numbers.push_back(end_head(i).header.number);
        }
        const std::uint64_t lowest =
            *std::min_element(results.final_numbers.begin(), results.final_numbers.end());
        results.check_height = lowest > 3 ? lowest - 3 : 0;
        for (const Host& h : hosts) {
            results.hashes_at_check.push_back(
                h.node->chain().tree().canonical_hash(results.check_height).value());
        }
        for (const Host& h : hosts) results.fork_choices.push_back(h.node->chain().config().fork_choice);
        results.events = sim.events_run();
        results.simulated = config.duration;
        results.executions = cache.executions();
        results.execution_requests = cache.executions() + cache.hits();
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
    std::vector<PrivateKey> keys, more_keys;
    if (const auto bad = state::validate(genesis_config(config, keys, more_keys))) {
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
    return CheckedConfig(std::move(config));
}

std::expected<World, std::string> World::create(WorldConfig config) {
    auto checked = check(std::move(config));
    if (!checked) return std::unexpected(std::move(checked.error()));
    return World(std::move(*checked));
}

World::World(CheckedConfig config) : impl_(std::make_unique<Impl>(std::move(config.config_))) {
    impl_->build();
}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

const state::LedgerState& World::final_state() const {
    CL_ASSERT(impl_->final_reference.has_value() && impl_->final_head.has_value());
    return *impl_->hosts[*impl_->final_reference].node->state_of(*impl_->final_head);
}

WorldResults World::run(const Progress& progress) {
    Impl& w = *impl_;
    w.progress = progress;
    for (std::size_t i = 0; i < w.hosts.size(); ++i) {
        w.apply(static_cast<net::NodeId>(i), w.hosts[i].node->start(w.node_time()));
    }
    w.schedule_next_user();
    w.schedule_sample();
    (void)w.sim.run_until(Time::zero() + w.config.duration);
    w.finish();
    w.results.nodes = w.config.nodes;
    return std::move(w.results);
}

}  // namespace cl::sim::world
