#include "sim/world/workload/users.hpp"

#include <algorithm>
#include <cmath>

#include "protocol/core/assert.hpp"
#include "protocol/txpool/stamp.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

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

Users::Users(const WorldContext& context, Clouds& clouds)
    : ctx_(context),
      clouds_(clouds),
      rng_(context.streams.stream("workload/users")),
      watcher_(context.hosts, context.cache, context.config.cloud_behaviour.confirmations) {
    const WorldConfig& config = ctx_.config;
    if (config.users.requests_per_second > 0) {
        region_choice_ = WeightedChoice::from_weights(user_region_weights(config));
        CL_ASSERT(region_choice_.has_value());
    }
    tier_choice_ = WeightedChoice::from_weights(user_tier_weights(config));
    CL_ASSERT(tier_choice_.has_value());
    // Nodes 0..clouds-1 are validators, the rest full nodes.
    full_nodes_by_region_.resize(std::max<std::size_t>(1, config.topology.region_names().size()));
    const auto& regions = config.topology.node_regions();
    for (std::size_t i = config.clouds.size(); i < config.topology.node_count(); ++i) {
        full_nodes_.push_back(static_cast<net::NodeId>(i));
        const std::size_t r = i < regions.size() ? regions[i] : 0;
        full_nodes_by_region_[std::min(r, full_nodes_by_region_.size() - 1)].push_back(
            static_cast<net::NodeId>(i));
    }
}

void Users::schedule_next_user() {
    const UserWorkload& w = ctx_.config.users;
    if (w.requests_per_second <= 0) return;
    const Duration gap =
        exponential(rng_, Duration::from_nanos(static_cast<std::int64_t>(1e9 / w.requests_per_second)));
    if (ctx_.sim.now() + gap >= end_of_run()) return;
    ctx_.sim.schedule_in(gap, [this]() noexcept {
        user_arrives();
        schedule_next_user();
    });
}

// A full node of `region` (any full node when the region has none; any node when there
// are no full nodes).
net::NodeId Users::pick_entry(std::uint16_t region, RandomStream& rng) const {
    const auto& local =
        full_nodes_by_region_[std::min<std::size_t>(region, full_nodes_by_region_.size() - 1)];
    const auto& candidates = local.empty() ? full_nodes_ : local;
    return candidates.empty() ? static_cast<net::NodeId>(uniform_below(rng, ctx_.hosts.size()))
                              : candidates[uniform_below(rng, candidates.size())];
}

// Users are numbered in order of appearance (arrivals and transferees alike).
std::uint64_t Users::new_user(std::uint16_t region, net::NodeId entry, std::uint16_t tier) {
    const std::uint64_t id = users_.size();
    users_.push_back(
        User{ctx_.streams.stream("workload/user/" + std::to_string(id)), Address{}, entry, region, tier, 0});
    return id;
}

void Users::user_arrives() {
    const auto region = static_cast<std::uint16_t>(region_choice_->pick(rng_));
    const auto tier = static_cast<std::uint16_t>(tier_choice_->pick(rng_));
    const net::NodeId entry = pick_entry(region, rng_);
    submit_request(new_user(region, entry, tier));
}

// Simulated time the user's device spends on `hashes` stamp hashes (UserWorkload::hash_rate).
Duration Users::stamp_duration(std::uint64_t hashes) const {
    return Duration::from_nanos(static_cast<std::int64_t>(
        std::ceil(static_cast<double>(hashes) * 1e9 / ctx_.config.users.hash_rate)));
}

// The user's next request for its tier. After a txpool refusal the nonce was not used,
// so a re-request is the same transaction again (same hash): its row then shares the
// tx_hash of the refused one, with the next attempt number.
//
// With txpool.stamp_bits set the user first computes the request's stamp (§5, the real
// search: txpool::find_stamp over its address and the nonce, as the txpool checks it) and
// sends the request when that is done, stamp_duration(hashes) later. A request whose stamp
// would be finished only at or after the end of the run is not made.
void Users::submit_request(std::uint64_t user) {
    User& u = users_[user];
    const std::uint64_t nonce = u.attempts == 0 ? 0 : next_nonce(ctx_.hosts.node(u.entry), u.address);
    const PrivateKey key = user_key(ctx_.config, user);
    // The user's address, derived once (a public key costs about a signature).
    const Address sender = u.address == Address{} ? address_of(key) : u.address;
    state::RequestCall call{u.tier, {}};
    std::uint64_t hashes = 0;
    if (ctx_.config.txpool.stamp_bits) {
        const txpool::StampSearch found = txpool::find_stamp(sender, nonce, *ctx_.config.txpool.stamp_bits);
        call.stamp = found.stamp;
        hashes = found.hashes;
    }
    const Duration stamp_time = stamp_duration(hashes);
    if (stamp_time > Duration::zero() && ctx_.sim.now() + stamp_time >= end_of_run()) return;
    node::TxRef tx = signed_tx(key, sender, nonce, call);
    u.address = tx->sender;
    ++u.attempts;
    if (stamp_time > Duration::zero()) {
        ctx_.sim.schedule_in(stamp_time, [this, user, tx = std::move(tx), hashes]() noexcept {
            send_request(user, tx, hashes);
        });
        return;
    }
    send_request(user, tx, hashes);
}

void Users::send_request(std::uint64_t user, const node::TxRef& tx, std::uint64_t stamp_hashes) {
    const User& u = users_[user];
    const std::size_t index = requests_.size();
    request_index_[tx->hash] = index;
    RequestRecord r;
    r.tx = tx->hash;
    r.user = user;
    r.attempt = u.attempts;
    r.region = u.region;
    r.tier = u.tier;
    r.submitted = ctx_.sim.now();
    r.reason = WorldReason::kNotIncluded;
    r.stamp_hashes = stamp_hashes;
    r.stamp_time = stamp_duration(stamp_hashes);
    requests_.push_back(r);
    if (!ctx_.hosts.up(u.entry)) return;  // the user's node is down: the request is lost
    watch(tx->hash, Watched::kRequest, index, u.entry);
    ctx_.hosts.submit(u.entry, tx);
}

void Users::watch(const Hash32& tx, Watched kind, std::size_t index, net::NodeId node) {
    const std::size_t id = watcher_.watch(tx, node);
    CL_ASSERT(id == watches_.size());
    watches_.push_back(Watch{kind, index});
}

// Node n's head changed (at `at`): users watching it may learn their outcomes. The
// reactions only schedule events, so no input reaches a node from here.
void Users::on_head_changed(net::NodeId n, Time at) {
    std::vector<std::pair<std::size_t, bool>> settled;
    watcher_.settle_final(n, settled);
    for (const auto& [w, ok] : settled) settle(watches_[w], ok, at);
}

void Users::settle(const Watch& watch, bool ok, Time at) {
    if (watch.kind == Watched::kRequest) {
        RequestRecord& r = requests_[watch.index];
        if (!ok) return request_refused(watch.index, at);
        r.confirmed = at;
        requester_holds_code(watch.index, at);
    } else if (watch.kind == Watched::kRenew) {
        RenewalRecord& r = renewals_[watch.index];
        if (!ok) return;  // the holder goes on as before: the code expires at its old height
        r.confirmed = at;
        plan_renewal(r.user, r.code, at);  // the next renewal, if any is left
    } else {
        TransferRecord& t = transfers_[watch.index];
        if (!ok) return transfer_failed(watch.index, at);
        t.confirmed = at;
        transferee_holds_code(t.to, t.code, at);
    }
}

// A node's txpool refused a transaction a user submitted there (known at once).
void Users::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal reason, Time at) {
    if (auto it = request_index_.find(tx); it != request_index_.end()) requests_[it->second].reason = reason;
    if (auto it = transfer_index_.find(tx); it != transfer_index_.end())
        transfers_[it->second].reason = reason;
    if (auto it = renewal_index_.find(tx); it != renewal_index_.end()) renewals_[it->second].reason = reason;
    const auto w = watcher_.settle_refused(tx);
    if (!w) return;
    const Watch& watch = watches_[*w];
    if (watch.kind == Watched::kRequest) {
        request_refused(watch.index, at);
    } else if (watch.kind == Watched::kTransfer) {
        transfer_failed(watch.index, at);
    }  // a refused renewal leaves the expiry as it was
}

// Draws: ask again?, then the delay.
void Users::request_refused(std::size_t index, Time at) {
    const std::uint64_t user = requests_[index].user;
    User& u = users_[user];
    const UserWorkload& w = ctx_.config.users;
    const bool again = bernoulli(u.rng, w.rerequest_probability);
    const Duration delay = exponential(u.rng, w.rerequest_delay_mean);
    if (!again || u.attempts >= w.max_attempts || at + delay >= end_of_run()) return;
    ctx_.sim.schedule_at(at + delay, [this, user]() noexcept { submit_request(user); });
}

// What a holder of a confirmed code decides. Draws: transfer?, present?, the delay
// before presenting, the cloud (uniform over the genesis clouds: a cloud that joins by
// an `events:` join is not presented codes).
Users::Presentation Users::decide(User& u, bool& transfers) {
    const UserWorkload& w = ctx_.config.users;
    const std::size_t clouds = genesis_cloud_count(ctx_.config);
    transfers = bernoulli(u.rng, w.transfer_probability);
    Presentation p;
    p.presents = bernoulli(u.rng, w.redeem_probability);
    p.delay = exponential(u.rng, w.redeem_delay_mean);
    p.cloud = static_cast<std::uint16_t>(uniform_below(u.rng, clouds));
    // The double presentation: drawn always (fixed draw order), used with 2+ clouds.
    const bool twice = bernoulli(u.rng, w.double_present_probability);
    const std::uint64_t other = uniform_below(u.rng, std::max<std::size_t>(1, clouds - 1));
    if (twice && clouds > 1) p.second_cloud = static_cast<std::uint16_t>((p.cloud + 1 + other) % clouds);
    return p;
}

// The requester of request `index` holds its confirmed code: it gives it away (a code is
// transferred at most once by this workload: the requester may, the transferee does
// not), or presents it.
void Users::requester_holds_code(std::size_t index, Time at) {
    const std::uint64_t user = requests_[index].user;
    bool transfers = false;
    const Presentation p = decide(users_[user], transfers);
    if (transfers) {
        ctx_.sim.schedule_at(at, [this, index, p]() noexcept { submit_transfer(index, p); });
        return;
    }
    present_later(user, requests_[index].tx, p, at);
    plan_renewal(user, requests_[index].tx, at);
}

// A transferee holds its confirmed code (the transfer coin is drawn and ignored).
void Users::transferee_holds_code(std::uint64_t user, const Hash32& code, Time at) {
    bool transfers = false;
    const Presentation p = decide(users_[user], transfers);
    present_later(user, code, p, at);
    plan_renewal(user, code, at);
}

// The requester of request `index` gives the code to a new user of its region, who
// watches its own node for the transfer. `fallback`: what the giver does if it fails.
void Users::submit_transfer(std::size_t index, Presentation fallback) {
    const std::uint64_t giver = requests_[index].user;
    const Hash32 code = requests_[index].tx;
    const std::uint64_t to = new_user(users_[giver].region, 0, users_[giver].tier);
    User& r = users_[to];
    r.entry = pick_entry(r.region, r.rng);
    r.address = address_of(user_key(ctx_.config, to));
    const User& g = users_[giver];
    node::TxRef tx =
        signed_tx(user_key(ctx_.config, giver), g.address, next_nonce(ctx_.hosts.node(g.entry), g.address),
                  state::TransferCodeCall{code, r.address});
    const std::size_t t = transfers_.size();
    transfer_index_[tx->hash] = t;
    transfer_fallbacks_.push_back(fallback);
    TransferRecord rec;
    rec.tx = tx->hash;
    rec.code = code;
    rec.from = giver;
    rec.to = to;
    rec.submitted = ctx_.sim.now();
    rec.reason = WorldReason::kNotIncluded;
    transfers_.push_back(rec);
    const net::NodeId entry = g.entry;
    if (!ctx_.hosts.up(entry)) return transfer_failed(t, ctx_.sim.now());
    watch(tx->hash, Watched::kTransfer, t, r.entry);
    ctx_.hosts.submit(entry, tx);
}

// The transfer failed (refused, or a failed receipt): the giver keeps the code and
// presents it as it had decided.
void Users::transfer_failed(std::size_t t, Time at) {
    const TransferRecord& rec = transfers_[t];
    present_later(rec.from, rec.code, transfer_fallbacks_[t], at);
    plan_renewal(rec.from, rec.code, at);
}

// ---- renewals (renewable TTL policy, shared/spec/promo-pool.md §3) ----
//
// A holder looks its code up on its own node: while the code is issued, owned by the
// holder and below max_renewals renewals, the holder comes back when the expiry is
// renew_margin away — (expires_at − head) blocks × the block period, as that node shows
// it now — and then, with renew_probability (drawn from its own stream, one draw per
// renewal moment), sends renew(code) to that node. A code redeemed, expired, transferred
// away or at its renewal limit is left alone. A confirmed renewal starts the same cycle
// for the next one.
bool Users::renewals_on() const {
    return ctx_.config.pool.ttl.kind == state::TtlKind::kRenewable && ctx_.config.users.renew_probability > 0;
}

void Users::plan_renewal(std::uint64_t user, const Hash32& code, Time at) {
    if (!renewals_on() || at >= end_of_run()) return;
    ctx_.sim.schedule_at(at, [this, user, code]() noexcept { renewal_check(user, code); });
}

void Users::renewal_check(std::uint64_t user, const Hash32& code) {
    const WorldConfig& config = ctx_.config;
    User& u = users_[user];
    const Duration period =
        seconds(static_cast<std::int64_t>(std::max<std::uint64_t>(1, config.clique.period)));
    if (!ctx_.hosts.up(u.entry)) {  // the holder's node is down: look again a block later
        if (ctx_.sim.now() + period < end_of_run())
            ctx_.sim.schedule_in(period, [this, user, code]() noexcept { renewal_check(user, code); });
        return;
    }
    const node::Node& own = ctx_.hosts.node(u.entry);
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
        if (ctx_.sim.now() + wait < end_of_run())
            ctx_.sim.schedule_in(wait, [this, user, code]() noexcept { renewal_check(user, code); });
        return;
    }
    if (!bernoulli(u.rng, config.users.renew_probability)) return;
    node::TxRef tx =
        signed_tx(user_key(config, user), u.address, next_nonce(own, u.address), state::RenewCall{code});
    const std::size_t index = renewals_.size();
    renewal_index_[tx->hash] = index;
    RenewalRecord rec;
    rec.tx = tx->hash;
    rec.code = code;
    rec.user = user;
    rec.submitted = ctx_.sim.now();
    rec.reason = WorldReason::kNotIncluded;
    renewals_.push_back(rec);
    watch(tx->hash, Watched::kRenew, index, u.entry);
    ctx_.hosts.submit(u.entry, tx);
}

// The user presents `code` to cloud p.cloud at `at` + p.delay (when that is in the run).
void Users::present_later(std::uint64_t user, const Hash32& code, const Presentation& p, Time at) {
    if (!p.presents || at + p.delay >= end_of_run()) return;
    clouds_.present(user, users_[user].address, code, p.cloud, at + p.delay);
    if (p.second_cloud) clouds_.present(user, users_[user].address, code, *p.second_cloud, at + p.delay);
}

void Users::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    for (const Inclusion& i : reference_chain) {
        auto set = [&](auto& record) {
            record.included = i.included;
            record.success = i.success;
            record.reason = i.reason;
        };
        if (auto it = request_index_.find(i.tx); it != request_index_.end()) {
            set(requests_[it->second]);
        } else if (auto tt = transfer_index_.find(i.tx); tt != transfer_index_.end()) {
            set(transfers_[tt->second]);
        } else if (auto nt = renewal_index_.find(i.tx); nt != renewal_index_.end()) {
            set(renewals_[nt->second]);
        }
    }
    results.requests = std::move(requests_);
    results.transfers = std::move(transfers_);
    results.renewals = std::move(renewals_);
}

}  // namespace cl::sim::world
