#include "sim/world/adversary/spam.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "protocol/core/assert.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/txpool/stamp.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/genesis.hpp"

namespace cl::sim::world {
namespace {

constexpr std::size_t kKinds = Spam::kKinds;
constexpr std::array<const char*, Spam::kKinds> kKindNames{"request", "transfer", "redeem_unknown", "junk"};

// Bytes of call data added to oversized junk: one more than the run's txpool.max_tx_size
// (geth's txMaxSize when the rule is off), so the padding alone puts it past the limit.
std::size_t oversized_padding(const txpool::Config& t) {
    return t.max_tx_size.value_or(txpool::kGethTxMaxSize) + 1;
}
}  // namespace

std::optional<std::string> check_spam(const WorldConfig& config, const std::string& name,
                                      const SpamConfig& a) {
    const std::string key = "adversaries[" + name + "]";
    const std::size_t n = config.topology.node_count();
    const std::array<double, kKinds + 1> mix{a.mix.request, a.mix.transfer, a.mix.redeem_unknown, a.mix.junk,
                                             a.mix.oversized};
    if (!WeightedChoice::from_weights(mix)) return key + ".mix: need one > 0, none negative";
    if (a.entry.empty()) return key + ".entry: at least one node";
    for (const net::NodeId e : a.entry) {
        if (e >= n) return key + ".entry: node " + std::to_string(e) + " does not exist";
    }
    if (!(a.hash_rate > 0) || !std::isfinite(a.hash_rate))
        return key + ".hash_rate: must be a finite rate > 0";
    if (!(a.rate_from >= 0) || !(a.rate_to >= 0) || !std::isfinite(a.rate_from) || !std::isfinite(a.rate_to))
        return key + ".rate: must be finite and >= 0";
    if (a.identities && *a.identities == 0) return key + ".identities: at least 1";
    if (a.to < a.from) return key + ".to: before from";
    if (a.mix.request > 0 && config.txpool.stamp_bits &&
        *config.txpool.stamp_bits > scenario::kMaxUserStampBits) {
        return "txpool.stamp_bits: at most " + std::to_string(scenario::kMaxUserStampBits) +
               " while a spam adversary sends requests (it computes real stamps: 2^bits hashes each)";
    }
    return std::nullopt;
}

Spam::Spam(const WorldContext& context, std::string name, const SpamConfig& config)
    : ctx_(context),
      config_(config),
      adversary_(std::move(name)),
      name_("spam." + adversary_),
      rng_(context.streams.stream("adversary/" + adversary_)) {
    // The kinds, then `oversized` (index kKinds): junk of kind kOversized.
    const std::array<double, kKinds + 1> weights{config.mix.request, config.mix.transfer,
                                                 config.mix.redeem_unknown, config.mix.junk,
                                                 config.mix.oversized};
    mix_ = WeightedChoice::from_weights(weights);
    for (std::size_t i = 0; i < context.config.adversaries.size(); ++i) {
        if (context.config.adversaries[i].name == adversary_) party_ = static_cast<std::uint16_t>(i + 1);
    }
    CL_ASSERT(mix_.has_value() && !config.entry.empty() && config.hash_rate > 0);
}

void Spam::start() {
    if (max_rate() <= 0 || config_.from >= config_.to) return;
    ctx_.sim.schedule_at(config_.from, [this]() noexcept { schedule_next(); });
}

// The rate at `t`: linear from rate_from to rate_to over [from, from + ramp_over], then rate_to.
double Spam::rate_at(Time t) const {
    if (config_.ramp_over <= Duration::zero()) return config_.rate_to;
    const double x = std::min(1.0, static_cast<double>((t - config_.from).nanos()) /
                                       static_cast<double>(config_.ramp_over.nanos()));
    return config_.rate_from + (config_.rate_to - config_.rate_from) * x;
}

// Draws: the gap at the peak rate, then the thinning coin (always drawn).
void Spam::schedule_next() {
    const Duration gap = exponential(rng_, Duration::from_nanos(static_cast<std::int64_t>(1e9 / max_rate())));
    const Time at = ctx_.sim.now() + gap;
    if (at >= config_.to || at >= ctx_.hosts.end_of_run()) return;
    ctx_.sim.schedule_at(at, [this]() noexcept {
        const bool keep = uniform01(rng_) * max_rate() < rate_at(ctx_.sim.now());
        if (keep) arrive();
        schedule_next();
    });
}

// Draws: the kind; then what the kind draws (send / mine_next).
void Spam::arrive() {
    const std::size_t picked = mix_->pick(rng_);
    if (picked == kKinds) {
        send(Kind::kJunk, SpamJunk::kOversized);
        return;
    }
    const auto kind = static_cast<Kind>(picked);
    if (kind == Kind::kRequest && ctx_.config.txpool.stamp_bits) {
        ++waiting_;
        if (!mining_) mine_next();
        return;
    }
    send(kind);
}

Spam::Identity Spam::make_identity(std::uint64_t i) const {
    Identity id;
    id.key = derive_private_key(ctx_.config.seed, "adversary/" + adversary_ + "/" + std::to_string(i));
    id.address = address_of(id.key);
    return id;
}

Spam::Identity& Spam::next_identity(std::uint64_t& index) {
    if (!config_.identities) {
        index = fresh_++;
        fresh_identity_ = make_identity(index);
        senders_.insert(fresh_identity_.address);
        return fresh_identity_;
    }
    index = next_counted_++ % *config_.identities;
    if (index == identities_.size()) {
        identities_.push_back(make_identity(index));
        senders_.insert(identities_.back().address);
    }
    return identities_[index];
}

// The attacker's own nonce count, never behind what the entry node's head shows.
std::uint64_t Spam::take_nonce(Identity& id, net::NodeId entry) {
    const std::uint64_t head = ctx_.hosts.node(entry).head_state().account(id.address).nonce;
    const std::uint64_t n = std::max(id.next_nonce, head);
    id.next_nonce = n + 1;
    return n;
}

net::NodeId Spam::pick_entry() { return config_.entry[uniform_below(rng_, config_.entry.size())]; }

Hash32 Spam::made_up_code() {
    Hash32 h;
    for (std::size_t i = 0; i < h.bytes.size(); i += 8) {
        std::uint64_t w = rng_.next_u64();
        for (std::size_t b = 0; b < 8; ++b, w >>= 8) h.bytes[i + b] = static_cast<std::uint8_t>(w);
    }
    return h;
}

// The miner takes the oldest waiting request: identity, entry, tier and nonce now (the
// stamp binds the sender and the nonce), the real search, and the request leaves when the
// miner's time for it has passed. A stamp that would be done only at or after the end of
// the flood (or of the run) is not used: the miner stops, and the requests still waiting
// are counted (stamps_unfinished).
void Spam::mine_next() {
    mining_ = false;
    if (waiting_ == 0) return;
    std::uint64_t index = 0;
    Identity& id = next_identity(index);
    const net::NodeId entry = pick_entry();
    const auto tier =
        static_cast<std::uint64_t>(uniform_below(rng_, std::max<std::size_t>(1, ctx_.config.tiers.size())));
    const unsigned bits = *ctx_.config.txpool.stamp_bits;
    const std::uint64_t nonce =
        std::max(id.next_nonce, ctx_.hosts.node(entry).head_state().account(id.address).nonce);
    const txpool::StampSearch found = txpool::find_stamp(id.address, nonce, bits);
    const Duration time = Duration::from_nanos(
        static_cast<std::int64_t>(std::ceil(static_cast<double>(found.hashes) * 1e9 / config_.hash_rate)));
    const Time done = ctx_.sim.now() + time;
    mining_ = true;  // from here on; for good when the stamp is not worth finishing
    if (done >= config_.to || done >= ctx_.hosts.end_of_run()) return;
    --waiting_;
    id.next_nonce = nonce + 1;
    stamp_hashes_ += found.hashes;
    stamp_time_ += time;
    ++stamps_;
    node::TxRef tx = signed_tx(id.key, nonce, state::RequestCall{tier, found.stamp});
    ctx_.sim.schedule_at(done, [this, tx = std::move(tx), index, entry]() noexcept {
        submit(tx, Kind::kRequest, index, entry);
        mine_next();
    });
}

// Draws: identity (none for fresh), entry, then the kind's own: the tier (request), the
// made-up code (transfer, redeem_unknown), nothing for junk.
void Spam::send(Kind kind, std::optional<SpamJunk> junk) {
    std::uint64_t index = 0;
    Identity& id = next_identity(index);
    const net::NodeId entry = pick_entry();
    switch (kind) {
        case Kind::kRequest: {
            const auto tier = static_cast<std::uint64_t>(
                uniform_below(rng_, std::max<std::size_t>(1, ctx_.config.tiers.size())));
            submit(signed_tx(id.key, take_nonce(id, entry), state::RequestCall{tier, {}}), kind, index,
                   entry);
            break;
        }
        case Kind::kTransfer: {
            // To another identity of its own (a fresh one: the next fresh key's address).
            const Hash32 code = made_up_code();
            const Address to =
                make_identity(config_.identities ? (index + 1) % *config_.identities : fresh_).address;
            submit(signed_tx(id.key, take_nonce(id, entry), state::TransferCodeCall{code, to}), kind, index,
                   entry);
            break;
        }
        case Kind::kRedeemUnknown:
            submit(signed_tx(id.key, take_nonce(id, entry), state::RedeemCall{made_up_code()}), kind, index,
                   entry);
            break;
        case Kind::kJunk:
            send_junk(id, index, entry, junk);
            break;
    }
}

// Junk, in turn: a signature that does not recover, another chain's id, a used nonce (or,
// for a sender with none used, one 2^32 ahead). None consumes the sender's nonce. Draws:
// the made-up code of its call.
void Spam::send_junk(Identity& id, std::uint64_t index, net::NodeId entry, std::optional<SpamJunk> kind) {
    const SpamJunk junk = kind ? *kind : static_cast<SpamJunk>(junk_turn_++ % kSpamJunkCount);
    const std::uint64_t head = ctx_.hosts.node(entry).head_state().account(id.address).nonce;
    const std::uint64_t nonce = std::max(id.next_nonce, head);
    // A redeem of a made-up code: a call no honest transaction shares, so every junk
    // transaction has a hash of its own (a used nonce with the call it was used for would
    // be that included transaction again).
    const state::Call call = state::RedeemCall{made_up_code()};
    Transaction t;
    t.chain_id = kChainId;
    t.nonce = nonce;
    t.to = state::contract_of(call);
    t.call = state::encode_call(call);
    if (junk == SpamJunk::kBadSignature) {
        // r = s = 0: no public key recovers it (secp256k1 recover rejects a zero r and s).
        const std::size_t i = record(transaction_hash(t), Kind::kJunk, index, nonce, entry, junk);
        if (!ctx_.hosts.up(entry)) {
            sent_[i].lost = true;
            return;
        }
        sent_[i].bad_signature = !ctx_.hosts.submit_raw(entry, std::move(t));
        return;
    }
    if (junk == SpamJunk::kWrongChainId) {
        t.chain_id = kChainId + 1;
    } else if (junk == SpamJunk::kOversized) {
        // Past the run's txpool.max_tx_size by the padding alone: the call becomes the
        // canonical RLP list [call, padding]. The nonce is the next one, so without a size
        // rule it is a valid transaction (which no contract call decodes: a failed receipt).
        Bytes padded;
        const std::size_t begin = rlp::begin_list(padded);
        padded.insert(padded.end(), t.call.begin(), t.call.end());
        rlp::append_bytes(padded, Bytes(oversized_padding(ctx_.config.txpool), 0));
        rlp::end_list(padded, begin);
        t.call = std::move(padded);
    } else {
        t.nonce = head > 0 ? head - 1 : nonce + (std::uint64_t{1} << 32);
    }
    // Signed by the identity's own key: its sender is the identity's address, so the
    // simulator need not recover it (sign_transaction_as; the nodes' simulated CPU is
    // charged cpu.verify_tx as for every transaction).
    const node::TxRef tx =
        std::make_shared<const RecoveredTransaction>(sign_transaction_as(std::move(t), id.key, id.address));
    submit(tx, Kind::kJunk, index, entry, junk);
}

std::size_t Spam::record(const Hash32& tx, Kind kind, std::uint64_t identity, std::uint64_t nonce,
                         net::NodeId entry, std::optional<SpamJunk> junk) {
    Sent s;
    s.tx = tx;
    s.kind = kind;
    s.junk = junk;
    s.identity = identity;
    s.nonce = nonce;
    s.entry = entry;
    s.submitted = ctx_.sim.now();
    const std::size_t i = sent_.size();
    index_[tx] = i;  // a resent transaction (same hash, after a refusal) is its latest send
    sent_.push_back(s);
    return i;
}

void Spam::submit(const node::TxRef& tx, Kind kind, std::uint64_t identity, net::NodeId entry,
                  std::optional<SpamJunk> junk) {
    const std::size_t i = record(tx->hash, kind, identity, tx->tx.nonce, entry, junk);
    if (!ctx_.hosts.up(entry)) {
        sent_[i].lost = true;
        return;
    }
    ctx_.hosts.submit(entry, tx);
}

// Its entry node refused one of its transactions: the nonce was not used (a counted
// identity sends it again next).
void Spam::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal reason, Time) {
    const auto it = index_.find(tx);
    if (it == index_.end()) return;
    Sent& s = sent_[it->second];
    if (!s.refused) s.refused = reason;
    if (config_.identities && !s.junk && s.identity < identities_.size()) {
        Identity& id = identities_[s.identity];
        id.next_nonce = std::min(id.next_nonce, s.nonce);
    }
}

void Spam::metric(WorldResults& results, const std::string& figure, double value, const char* unit) const {
    results.metrics.push_back(Metric{name_ + "." + figure, value, unit});
}

void Spam::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    std::uint64_t included_total = 0;
    for (const Inclusion& inc : reference_chain) {
        ++included_total;
        const auto it = index_.find(inc.tx);
        if (it == index_.end()) continue;
        sent_[it->second].included = true;
        sent_[it->second].included_at = inc.included;
        sent_[it->second].success = inc.success;
    }
    // ---- the attacker ----
    std::array<std::uint64_t, kKinds> by_kind{};
    std::array<std::uint64_t, txpool::kRefusalCount> refused{};
    std::uint64_t lost = 0, bad_signature = 0, included = 0, failed = 0, codes = 0, junk_included = 0;
    for (const Sent& s : sent_) {
        ++by_kind[static_cast<std::size_t>(s.kind)];
        lost += s.lost ? 1 : 0;
        bad_signature += s.bad_signature ? 1 : 0;
        if (s.refused) ++refused[static_cast<std::size_t>(*s.refused)];
        if (!s.included) continue;
        ++included;
        failed += s.success ? 0 : 1;
        codes += s.kind == Kind::kRequest && s.success ? 1 : 0;
        junk_included += s.kind == Kind::kJunk ? 1 : 0;
    }
    std::uint64_t refused_total = bad_signature;
    for (const auto r : refused) refused_total += r;
    const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    metric(results, "sent", d(sent_.size()), "count");
    for (std::size_t k = 0; k < kKinds; ++k)
        metric(results, std::string("sent_") + kKindNames[k], d(by_kind[k]), "count");
    metric(results, "identities", d(config_.identities ? identities_.size() : fresh_), "count");
    metric(results, "lost", d(lost), "count");
    metric(results, "refused", d(refused_total), "count");
    metric(results, "refused_bad_signature", d(bad_signature), "count");
    for (std::size_t r = 0; r < txpool::kRefusalCount; ++r)
        metric(results, std::string("refused_") + txpool::to_string(static_cast<txpool::Refusal>(r)),
               d(refused[r]), "count");
    metric(results, "admitted", d(sent_.size() - lost - refused_total), "count");
    metric(results, "included", d(included), "count");
    metric(results, "included_failed", d(failed), "count");
    metric(results, "junk_included", d(junk_included), "count");
    metric(results, "codes_held", d(codes), "count");
    metric(results, "block_share", included_total ? d(included) / d(included_total) : 0.0, "1");
    metric(results, "stamps", d(stamps_), "count");
    metric(results, "stamp_hashes", d(stamp_hashes_), "count");
    metric(results, "stamp_time_mean", stamps_ ? stamp_time_.to_seconds_f64() / d(stamps_) : 0.0, "s");
    metric(results, "stamps_unfinished", d(waiting_), "count");
    // ---- the honest users, arriving under the flood: [from, to) ----
    // A user is served when one of its requests succeeded on the reference chain; its
    // latency runs from its first request to the confirmation its node showed.
    struct Honest {
        Time first;
        std::optional<Time> confirmed;
        bool served = false;
    };
    std::unordered_map<std::uint64_t, Honest> users;  // lookup only; summed below in request order
    std::vector<std::uint64_t> order;
    std::uint64_t requests = 0, honest_refused = 0, honest_failed = 0;
    for (const RequestRecord& r : results.requests) {
        auto [it, fresh] = users.try_emplace(r.user, Honest{r.submitted, std::nullopt, false});
        if (fresh) order.push_back(r.user);
        if (it->second.first < config_.from || it->second.first >= config_.to) continue;
        ++requests;
        if (std::holds_alternative<txpool::Refusal>(r.reason)) ++honest_refused;
        if (r.included && !r.success) ++honest_failed;
        if (r.success) {
            it->second.served = true;
            if (r.confirmed && !it->second.confirmed) it->second.confirmed = r.confirmed;
        }
    }
    std::uint64_t arrived = 0, served = 0, confirmed = 0;
    double latency = 0;
    for (const std::uint64_t u : order) {
        const Honest& h = users.at(u);
        if (h.first < config_.from || h.first >= config_.to) continue;
        ++arrived;
        served += h.served ? 1 : 0;
        if (h.served && h.confirmed) {
            ++confirmed;
            latency += (*h.confirmed - h.first).to_seconds_f64();
        }
    }
    metric(results, "honest_users", d(arrived), "count");
    metric(results, "honest_requests", d(requests), "count");
    metric(results, "honest_refused_txpool", d(honest_refused), "count");
    metric(results, "honest_failed_receipt", d(honest_failed), "count");
    metric(results, "honest_served", d(served), "count");
    metric(results, "honest_service_rate", arrived ? d(served) / d(arrived) : 0.0, "1");
    metric(results, "honest_latency_mean", confirmed ? latency / d(confirmed) : 0.0, "s");
    // ---- the pool: when each tier ran dry (first sample with none left; -1: never) ----
    for (std::size_t t = 0; t < ctx_.config.tiers.size(); ++t) {
        double drained = -1;
        for (const Sample& s : results.samples) {
            if (t < s.pool_remaining.size() && s.pool_remaining[t] == 0) {
                drained = s.time.to_seconds_f64();
                break;
            }
        }
        metric(results, "tier_" + ctx_.config.tiers[t].name + "_drained_at", drained, "s");
    }
    // ---- what the nodes' CPUs were charged (all nodes; its entry nodes) ----
    double cpu_sum = 0, cpu_max = 0, entry_sum = 0;
    for (net::NodeId n = 0; n < ctx_.hosts.size(); ++n) {
        const double c = ctx_.hosts.cpu_time(n).to_seconds_f64();
        cpu_sum += c;
        cpu_max = std::max(cpu_max, c);
    }
    for (const net::NodeId n : config_.entry) entry_sum += ctx_.hosts.cpu_time(n).to_seconds_f64();
    metric(results, "node_cpu_mean", ctx_.hosts.size() ? cpu_sum / d(ctx_.hosts.size()) : 0.0, "s");
    metric(results, "node_cpu_max", cpu_max, "s");
    metric(results, "entry_cpu_mean", entry_sum / d(config_.entry.size()), "s");
    tally_party(results);
}

void Spam::on_sample(Sample& sample) {
    PartySample p;
    p.party = party_;
    for (net::NodeId n = 0; n < ctx_.hosts.size(); ++n) {
        if (!ctx_.hosts.up(n)) continue;
        ctx_.hosts.node(n).txpool().for_each_account(
            [&](const Address& sender, std::size_t pending, std::size_t queued) {
                if (!senders_.contains(sender)) return;
                p.txpool_pending += pending;
                p.txpool_queued += queued;
            });
    }
    sample.parties.push_back(p);
}

void Spam::tally_party(WorldResults& results) const {
    constexpr auto kKindOf = std::array{TrafficKind::kRequest, TrafficKind::kTransfer,
                                        TrafficKind::kRedeemUnknown, TrafficKind::kJunk};
    static_assert(kKindOf.size() == kKinds);
    using Key = std::tuple<std::uint8_t, std::uint8_t, int>;  // kind, outcome, refusal (-1: none)
    std::map<Key, std::uint64_t> counts;
    std::vector<Time> codes;  // when each code it holds was issued (reference chain)
    for (const Sent& s : sent_) {
        TrafficOutcome o = TrafficOutcome::kNotIncluded;
        int refusal = -1;
        if (s.lost) {
            o = TrafficOutcome::kLost;
        } else if (s.bad_signature) {
            o = TrafficOutcome::kBadSignature;
        } else if (s.included) {
            o = s.success ? TrafficOutcome::kSucceeded : TrafficOutcome::kFailed;
        } else if (s.refused) {
            o = TrafficOutcome::kRefused;
            refusal = static_cast<int>(*s.refused);
        }
        ++counts[{static_cast<std::uint8_t>(kKindOf[static_cast<std::size_t>(s.kind)]),
                  static_cast<std::uint8_t>(o), refusal}];
        if (s.kind == Kind::kRequest && s.included && s.success && s.included_at)
            codes.push_back(*s.included_at);
    }
    for (const auto& [key, count] : counts) {
        TrafficRecord r;
        r.party = party_;
        r.kind = static_cast<TrafficKind>(std::get<0>(key));
        r.outcome = static_cast<TrafficOutcome>(std::get<1>(key));
        if (std::get<2>(key) >= 0) r.refusal = static_cast<txpool::Refusal>(std::get<2>(key));
        r.count = count;
        results.traffic.push_back(r);
    }
    // It never redeems: the codes it holds at a sample are those issued to it by then.
    std::sort(codes.begin(), codes.end());
    for (Sample& sample : results.samples) {
        for (PartySample& p : sample.parties) {
            if (p.party != party_) continue;
            p.codes_held = static_cast<std::uint64_t>(
                std::upper_bound(codes.begin(), codes.end(), sample.time) - codes.begin());
        }
    }
}

std::vector<std::string> Spam::check(const WorldResults&) const {
    std::vector<std::string> failures;
    for (const Sent& s : sent_) {
        if (s.kind == Kind::kJunk && s.included) {
            failures.push_back("a junk transaction is on the reference chain");
            break;
        }
    }
    return failures;
}

}  // namespace cl::sim::world
