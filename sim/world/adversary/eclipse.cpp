#include "sim/world/adversary/eclipse.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"
#include "protocol/node/messages.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/adversary/double_spend.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/parties.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

using Mode = EclipseAttack::Mode;

std::expected<EclipsePlan, std::string> plan_eclipse(const WorldConfig& config, const std::string& name,
                                                     const EclipseAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    const std::size_t n = config.topology.node_count();
    const std::size_t clouds = config.clouds.size();
    EclipsePlan plan;
    plan.victim.assign(n, false);
    plan.colluder.assign(n, false);
    if (a.victims.empty()) return std::unexpected(field + ".victims: at least one victim node");
    for (net::NodeId v : a.victims) {
        if (v >= n) return std::unexpected(field + ".victims: no node " + std::to_string(v));
        if (plan.victim[v]) return std::unexpected(field + ".victims: node " + std::to_string(v) + " twice");
        plan.victim[v] = true;
    }
    if (a.to <= a.from) return std::unexpected(field + ".to: the window ends before it starts");
    if (a.mode == Mode::kDelay && a.delay <= Duration::zero())
        return std::unexpected(field + ".mode.delay: must be > 0");
    if (a.mode == Mode::kBranch) {
        const PrivateForkAttack* fork = nullptr;
        for (const AdversaryConfig& other : config.adversaries)
            if (other.name == a.branch) fork = std::get_if<PrivateForkAttack>(&other.attack);
        if (fork == nullptr)
            return std::unexpected(field + ".mode.branch: no private_fork adversary named '" + a.branch +
                                   "'");
        for (std::size_t c : fork->validators) {
            if (c >= clouds) return std::unexpected(field + ".mode.branch: no cloud " + std::to_string(c));
            plan.colluder[c] = true;
            if (!plan.first_colluder) plan.first_colluder = static_cast<net::NodeId>(c);
        }
        for (net::NodeId v : a.victims) {
            if (plan.colluder[v]) {
                return std::unexpected(field + ".victims: node " + std::to_string(v) + " is a colluder of '" +
                                       a.branch + "' (a victim is an honest node)");
            }
            bool fed = false;
            for (net::NodeId p : config.topology.neighbours(v)) fed = fed || plan.colluder[p];
            if (!fed) {
                return std::unexpected(field + ".victims: node " + std::to_string(v) +
                                       " peers with no colluder of '" + a.branch +
                                       "' (the branch reaches a victim over the colluders' own links)");
            }
            if (v < clouds && !plan.victim_cloud) plan.victim_cloud = v;
        }
        for (std::size_t c = 0; c < clouds && !plan.honest_cloud; ++c)
            if (!plan.victim[c] && !plan.colluder[c]) plan.honest_cloud = c;
    }
    // The reference node is honest: no victim, and no validator another adversary runs (a
    // private fork's colluders, an equivocator, a cloned validator, a censor).
    std::vector<bool> adversarial = plan.colluder;
    for (const AdversaryConfig& other : config.adversaries) {
        auto mark = [&](std::size_t node) {
            if (node < n) adversarial[node] = true;
        };
        if (const auto* f = std::get_if<PrivateForkAttack>(&other.attack)) {
            for (std::size_t c : f->validators) mark(c);
        } else if (const auto* e = std::get_if<EquivocationAttack>(&other.attack)) {
            mark(e->validator);
        } else if (const auto* c = std::get_if<CloneAttack>(&other.attack)) {
            mark(c->validator);
            if (c->clone_node) mark(*c->clone_node);
        } else if (const auto* cs = std::get_if<CensorshipAttack>(&other.attack)) {
            for (std::size_t v : cs->validators) mark(v);
        }
    }
    std::optional<net::NodeId> reference;
    for (std::size_t i = 0; i < n && !reference; ++i)
        if (!plan.victim[i] && !adversarial[i]) reference = static_cast<net::NodeId>(i);
    if (!reference)
        return std::unexpected(field +
                               ".victims: every honest node is a victim (nothing to compare them with)");
    plan.reference = *reference;
    return plan;
}

Hash32 eclipse_parameters_digest(const WorldConfig&, const std::string& name, const EclipseAttack& a) {
    std::string t = "name=" + name + ";victims=";
    for (net::NodeId v : a.victims) t += std::to_string(v) + ",";
    t += ";mode=";
    switch (a.mode) {
        case Mode::kDrop:
            t += "drop";
            break;
        case Mode::kDelay:
            t += "delay:" + std::to_string(a.delay.nanos());
            break;
        case Mode::kBranch:
            t += "branch:" + a.branch;
            break;
    }
    t += ";from_ns=" + std::to_string(a.from.nanos()) + ";to_ns=" + std::to_string(a.to.nanos()) + ";";
    return parameters_digest("eclipse", t);
}

std::uint64_t eclipse_content_types() {
    auto bit = [](node::MessageKind k) { return std::uint64_t{1} << static_cast<unsigned>(k); };
    return bit(node::MessageKind::kNewBlock) | bit(node::MessageKind::kNewBlockHashes) |
           bit(node::MessageKind::kTransactions);
}

EclipseWorkload::EclipseWorkload(const WorldContext& context, std::string name, EclipseAttack attack,
                                 EclipsePlan plan)
    : ctx_(context),
      name_(std::move(name)),
      attack_(std::move(attack)),
      plan_(std::move(plan)),
      identity_(derive_private_key(context.config.seed, "adversary/" + name_ + "/identity/0")),
      code_watch_(context.hosts, context.cache, context.config.cloud_behaviour.confirmations),
      redeem_watch_(context.hosts, context.cache, context.config.cloud_behaviour.confirmations) {
    for (std::size_t i = 0; i < plan_.victim.size(); ++i)
        if (plan_.victim[i]) victims_.push_back(static_cast<net::NodeId>(i));
    head_at_start_.assign(victims_.size(), 0);
}

void EclipseWorkload::start() {
    const net::Topology& topo = ctx_.config.topology;
    const Time end = attack_.to;
    // Every link with a victim at one end, each once (a < b, or b not a victim).
    for (net::NodeId v : victims_) {
        for (net::NodeId p : topo.neighbours(v)) {
            if (plan_.victim[p] && p < v) continue;  // done from p's side
            switch (attack_.mode) {
                case Mode::kDrop:
                    CL_ASSERT(ctx_.network.add_link_failure(v, p, attack_.from, end).has_value());
                    break;
                case Mode::kDelay:
                    CL_ASSERT(
                        ctx_.network.add_link_delay(v, p, attack_.delay, attack_.from, end).has_value());
                    break;
                case Mode::kBranch:
                    if (plan_.colluder[p] || plan_.victim[p]) break;  // the branch's own links
                    CL_ASSERT(ctx_.network.add_link_filter(p, v, eclipse_content_types(), attack_.from, end)
                                  .has_value());
                    CL_ASSERT(ctx_.network.add_link_filter(v, p, eclipse_content_types(), attack_.from, end)
                                  .has_value());
                    break;
            }
        }
    }
    if (attack_.from < ctx_.hosts.end_of_run())
        ctx_.sim.schedule_at(attack_.from, [this]() noexcept { window_start(); });
    if (attack_.to < ctx_.hosts.end_of_run())
        ctx_.sim.schedule_at(attack_.to, [this]() noexcept { window_end(); });
    // Branch mode's double spend: the code, requested where the public chain is.
    if (attack_.mode == Mode::kBranch && plan_.victim_cloud && plan_.honest_cloud) {
        const net::NodeId at = plan_.reference;
        const node::TxRef request = signed_tx(
            identity_, next_nonce(ctx_.hosts.node(at), address_of(identity_)), state::RequestCall{0, {}});
        code_ = request->hash;
        code_requested_ = true;
        (void)code_watch_.watch(code_, at);
        if (ctx_.hosts.up(at)) ctx_.hosts.submit(at, request);
    }
}

void EclipseWorkload::window_start() {
    window_started_ = ctx_.sim.now();
    for (std::size_t i = 0; i < victims_.size(); ++i)
        head_at_start_[i] = ctx_.hosts.node(victims_[i]).head().header.number;
    reference_at_start_ = ctx_.hosts.node(plan_.reference).head().header.number;
    observe(ctx_.sim.now());
}

void EclipseWorkload::window_end() {
    window_ended_ = ctx_.sim.now();
    std::uint64_t growth = 0;
    for (std::size_t i = 0; i < victims_.size(); ++i) {
        const std::uint64_t now = ctx_.hosts.node(victims_[i]).head().header.number;
        growth = std::max(growth, now > head_at_start_[i] ? now - head_at_start_[i] : 0);
    }
    victim_growth_ = growth;
    const std::uint64_t ref = ctx_.hosts.node(plan_.reference).head().header.number;
    reference_growth_ = ref > reference_at_start_ ? ref - reference_at_start_ : 0;
    observe(ctx_.sim.now());
}

void EclipseWorkload::observe(Time at) {
    const node::Node& ref = ctx_.hosts.node(plan_.reference);
    const auto& rh = ref.head();
    bool diverged = false, converged = true;
    for (net::NodeId v : victims_) {
        const node::Node& victim = ctx_.hosts.node(v);
        const auto& vh = victim.head();
        // On the reference head's chain: an ancestor of it, or a descendant of it.
        const bool on_chain = vh.header.number <= rh.header.number
                                  ? ref.chain().tree().canonical_hash(vh.header.number) == vh.hash
                                  : victim.chain().tree().canonical_hash(rh.header.number) == rh.hash;
        diverged = diverged || !on_chain;
        converged = converged && vh.hash == rh.hash;
        if (rh.header.number > vh.header.number)
            max_lag_blocks_ = std::max(max_lag_blocks_, rh.header.number - vh.header.number);
        if (rh.header.time > vh.header.time)
            max_lag_seconds_ = std::max(max_lag_seconds_, rh.header.time - vh.header.time);
    }
    if (diverged && !diverged_since_) diverged_since_ = at;
    if (!diverged && diverged_since_) {
        divergence_ += at - *diverged_since_;
        diverged_since_.reset();
    }
    if (window_ended_ && !reconverged_ && converged) reconverged_ = at;
}

void EclipseWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) {
    code_watch_.on_block_sealed(block);
    redeem_watch_.on_block_sealed(block);
    if (!plan_.victim[sealer] && in_window(at) && at < ctx_.hosts.end_of_run())
        sealed_in_window_.emplace(block.hash, Sealed{at, std::vector<bool>(victims_.size(), false)});
}

void EclipseWorkload::on_head_changed(net::NodeId n, Time at) {
    const auto victim = std::find(victims_.begin(), victims_.end(), n);
    if (victim != victims_.end()) {
        const auto it = sealed_in_window_.find(ctx_.hosts.node(n).head().hash);
        const auto i = static_cast<std::size_t>(victim - victims_.begin());
        if (it != sealed_in_window_.end() && !it->second.seen[i]) {
            it->second.seen[i] = true;
            const Duration d = at - it->second.at;
            ++delayed_blocks_;
            delay_sum_ += d;
            delay_min_ = delay_min_ ? std::min(*delay_min_, d) : d;
            delay_max_ = delay_max_ ? std::max(*delay_max_, d) : d;
        }
    }
    if (victim != victims_.end() || n == plan_.reference) observe(at);
    if (!code_requested_) return;
    std::vector<std::pair<std::size_t, bool>> settled;
    if (!code_held_ && n == plan_.reference) {
        code_watch_.settle_final(n, settled);
        for (const auto& [w, ok] : settled) code_held_ = code_held_ || ok;
    }
    const auto vc = static_cast<net::NodeId>(*plan_.victim_cloud);
    const auto hc = static_cast<net::NodeId>(*plan_.honest_cloud);
    // Begin once the code is held, the fork withholds, and the victim cloud's node (fed the
    // private branch only) shows the code issued to E, within the window.
    if (code_held_ && !begin_scheduled_ && in_window(at) && ctx_.hosts.withholding(*plan_.first_colluder)) {
        const node::CodeView view = ctx_.hosts.node(vc).query_code(code_);
        if (view.code && view.code->status == state::CodeStatus::kIssued &&
            view.code->owner == address_of(identity_)) {
            begin_scheduled_ = true;
            ctx_.sim.schedule_in(Duration{}, [this]() noexcept { begin_double_spend(); });
        }
    }
    if (tx_victim_ && n == vc) {
        settled.clear();
        redeem_watch_.settle_final(n, settled);
        for (const auto& [w, ok] : settled)
            if (ok && w == 0 && !victim_allocated_) victim_allocated_ = at;
    }
    if (tx_honest_ && n == hc) {
        settled.clear();
        redeem_watch_.settle_final(n, settled);
        for (const auto& [w, ok] : settled)
            if (ok && w == 1 && !honest_allocated_) honest_allocated_ = at;
    }
}

void EclipseWorkload::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) {
    (void)code_watch_.settle_refused(tx);
    (void)redeem_watch_.settle_refused(tx);
}

// TX_v at the victim cloud's node (only the colluders take it: the private branch), TX_h at
// the honest cloud's node (the public chain): one code, two clouds.
void EclipseWorkload::begin_double_spend() {
    if (!ctx_.hosts.within_run() || spend_started_) return;
    spend_started_ = ctx_.sim.now();
    const auto vc = static_cast<net::NodeId>(*plan_.victim_cloud);
    const auto hc = static_cast<net::NodeId>(*plan_.honest_cloud);
    const PrivateKey v_key = operator_key(ctx_.config, *plan_.victim_cloud);
    const PrivateKey h_key = operator_key(ctx_.config, *plan_.honest_cloud);
    tx_victim_ =
        signed_tx(v_key, next_nonce(ctx_.hosts.node(vc), address_of(v_key)), state::RedeemCall{code_});
    tx_honest_ =
        signed_tx(h_key, next_nonce(ctx_.hosts.node(hc), address_of(h_key)), state::RedeemCall{code_});
    (void)redeem_watch_.watch(tx_victim_->hash, vc);  // watch 0
    (void)redeem_watch_.watch(tx_honest_->hash, hc);  // watch 1
    if (ctx_.hosts.up(vc)) ctx_.hosts.submit(vc, tx_victim_);
    if (ctx_.hosts.up(hc)) ctx_.hosts.submit(hc, tx_honest_);
}

void EclipseWorkload::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    const Time end = ctx_.hosts.end_of_run();
    if (diverged_since_) divergence_ += end - *diverged_since_;
    if (window_started_ && !window_ended_) {  // the window lasts to the end: growth at the end
        window_end();
        window_ended_.reset();
        reconverged_.reset();
    }
    // The two redeems are the adversary's traffic (spec §0): its party's rows.
    std::vector<RedemptionRecord> redeems;
    if (tx_victim_)
        redeems.push_back(adversary_redemption(code_, tx_victim_, *plan_.victim_cloud, spend_started_,
                                               victim_allocated_, reference_chain));
    if (tx_honest_)
        redeems.push_back(adversary_redemption(code_, tx_honest_, *plan_.honest_cloud, spend_started_,
                                               honest_allocated_, reference_chain));
    tally_adversary_redemptions(party_of(ctx_.config, name_), redeems, results);
    results.redemptions.insert(results.redemptions.end(), redeems.begin(), redeems.end());
    // Every allocation by a victim cloud (its users', its own workload's, ours) that the final
    // chain does not back: its redeem is not a success there (docs/metrics.md "Harm").
    std::uint64_t allocations = 0, unbacked = 0;
    for (const RedemptionRecord& r : results.redemptions) {
        if (!r.allocated || r.cloud >= plan_.victim.size() || !plan_.victim[r.cloud]) continue;
        ++allocations;
        unbacked += r.success ? 0 : 1;
    }
    auto secs = [](std::optional<Duration> d) { return d ? d->to_seconds_f64() : -1.0; };
    auto flag = [](bool b) { return b ? 1.0 : 0.0; };
    AttackRecord rec;
    rec.kind = "eclipse";
    rec.name = name_;
    rec.start = window_started_;
    rec.end = window_started_ ? std::optional<Time>(std::min(attack_.to, end)) : std::nullopt;
    rec.parameters_digest = eclipse_parameters_digest(ctx_.config, name_, attack_);
    // Harm, or a view the adversary made wrong: off the honest chain for longer than a block
    // period (natural forks settle within one), or two blocks or more behind.
    const Duration period = seconds(static_cast<std::int64_t>(ctx_.config.clique.period));
    rec.success = unbacked > 0 || divergence_ > period || max_lag_blocks_ >= 2;
    rec.figures = {
        {"victims", static_cast<double>(victims_.size()), "count"},
        {"divergence_s", divergence_.to_seconds_f64(), "s"},
        {"max_head_lag_blocks", static_cast<double>(max_lag_blocks_), "blocks"},
        {"max_head_lag_s", static_cast<double>(max_lag_seconds_), "s"},
        {"victim_head_growth_in_window", victim_growth_ ? static_cast<double>(*victim_growth_) : -1.0,
         "blocks"},
        {"reference_head_growth_in_window",
         reference_growth_ ? static_cast<double>(*reference_growth_) : -1.0, "blocks"},
        {"reconvergence_after_window_s",
         reconverged_ && window_ended_ ? (*reconverged_ - *window_ended_).to_seconds_f64() : -1.0, "s"},
        {"blocks_delayed", static_cast<double>(delayed_blocks_), "count"},
        {"block_delay_min_s", secs(delay_min_), "s"},
        {"block_delay_mean_s",
         delayed_blocks_ > 0 ? delay_sum_.to_seconds_f64() / static_cast<double>(delayed_blocks_) : -1.0,
         "s"},
        {"block_delay_max_s", secs(delay_max_), "s"},
        {"double_spend_started", flag(spend_started_.has_value()), "1"},
        {"victim_cloud_allocated", flag(victim_allocated_.has_value()), "1"},
        {"honest_cloud_allocated", flag(honest_allocated_.has_value()), "1"},
        {"victim_allocations", static_cast<double>(allocations), "count"},
        {"victim_unbacked_allocations", static_cast<double>(unbacked), "count"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
