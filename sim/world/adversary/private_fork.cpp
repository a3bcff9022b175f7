#include "sim/world/adversary/private_fork.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/parties.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

std::expected<PrivateForkPlan, std::string> plan_private_fork(const WorldConfig& config,
                                                              const std::string& name,
                                                              const PrivateForkAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    const std::size_t clouds = config.clouds.size();
    const std::size_t n = config.topology.node_count();
    if (a.validators.empty()) return std::unexpected(field + ".validators: at least one colluding validator");
    PrivateForkPlan plan;
    plan.colluder.assign(n, false);
    for (std::size_t c : a.validators) {
        if (c >= clouds) return std::unexpected(field + ".validators: no cloud " + std::to_string(c));
        if (plan.colluder[c])
            return std::unexpected(field + ".validators: " + config.clouds[c].name + " twice");
        plan.colluder[c] = true;
        plan.colluders.push_back(static_cast<net::NodeId>(c));
    }
    std::sort(plan.colluders.begin(), plan.colluders.end());
    std::optional<std::size_t> honest;
    for (std::size_t c = 0; c < clouds && !honest; ++c)
        if (!plan.colluder[c]) honest = c;
    if (!honest) {
        return std::unexpected(
            field + ".validators: every validator colludes (no honest cloud to redeem the code at)");
    }
    plan.public_cloud = *honest;
    plan.private_cloud = plan.colluders.front();
    // The private branch travels only over the colluders' own links: they must reach each
    // other through colluders (a breadth-first walk from the first).
    std::vector<bool> reached(n, false);
    std::vector<net::NodeId> queue{plan.colluders.front()};
    reached[plan.colluders.front()] = true;
    for (std::size_t i = 0; i < queue.size(); ++i) {
        for (net::NodeId p : config.topology.neighbours(queue[i])) {
            if (plan.colluder[p] && !reached[p]) {
                reached[p] = true;
                queue.push_back(p);
            }
        }
    }
    if (queue.size() != plan.colluders.size()) {
        return std::unexpected(field +
                               ".validators: the colluders' nodes are not connected among themselves "
                               "in this topology (their private branch travels only over their own links)");
    }
    // Victims of an eclipse that feeds them this branch (adversary/eclipse.hpp).
    plan.audience.assign(n, false);
    for (const AdversaryConfig& other : config.adversaries) {
        const auto* e = std::get_if<EclipseAttack>(&other.attack);
        if (e == nullptr || e->mode != EclipseAttack::Mode::kBranch || e->branch != name) continue;
        for (net::NodeId v : e->victims)
            if (v < n && !plan.colluder[v]) plan.audience[v] = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (plan.colluder[i] || plan.audience[i]) continue;
        for (net::NodeId p : config.topology.neighbours(static_cast<net::NodeId>(i))) {
            if (plan.colluder[p]) {
                plan.watch_peers.push_back(static_cast<net::NodeId>(i));
                break;
            }
        }
    }
    if (plan.watch_peers.empty())
        return std::unexpected(field + ".validators: no honest node peers with a colluder");
    return plan;
}

Hash32 private_fork_parameters_digest(const WorldConfig& config, const std::string& name,
                                      const PrivateForkAttack& a) {
    std::string t = "name=" + name + ";validators=";
    for (std::size_t c : a.validators) t += config.clouds[c].name + ",";
    t += ";from_ns=" + std::to_string(a.from.nanos()) + ";release=";
    switch (a.release) {
        case PrivateForkAttack::Release::kWhenHeavier:
            t += "when_heavier;";
            break;
        case PrivateForkAttack::Release::kAt:
            t += "at:" + std::to_string(a.release_at.nanos()) + ";";
            break;
        case PrivateForkAttack::Release::kNever:
            t += "never;";
            break;
    }
    return parameters_digest("private_fork", t);
}

// ---- the colluder's host ----

PrivateForkHost::PrivateForkHost(node::NodeConfig config, const node::Genesis& genesis,
                                 node::ExecutionCache& cache, RandomStream rng, std::vector<bool> colluder,
                                 std::vector<bool> audience)
    : rng_(std::make_unique<RandomStream>(std::move(rng))),
      colluder_(std::move(colluder)),
      audience_(std::move(audience)) {
    CL_ASSERT(config.signer_key.has_value());
    peers_ = config.peers;
    node_ = std::make_unique<node::Node>(std::move(config), genesis.block, genesis.state, cache, *rng_);
}

namespace {

// What carries chain content: blocks (in full or announced) and transactions.
bool carries_content(const node::Message& m) {
    return std::holds_alternative<node::NewBlockMsg>(m) ||
           std::holds_alternative<node::NewBlockHashesMsg>(m) ||
           std::holds_alternative<node::TransactionsMsg>(m);
}

}  // namespace

node::Effects PrivateForkHost::on_message(node::Nanos now, net::NodeId from, const node::Message& message,
                                          std::uint32_t peer_index) {
    // While withholding, what honest peers publish stays out of the private branch: the
    // colluders see it (the workload reads the public head of their honest peers) but do
    // not build on it.
    // The eclipse's audience sends it transactions (theirs go on the private branch); the
    // blocks it relays are the colluders' own or public ones, never built on.
    if (withholding_ && !colluder_[from] && carries_content(message) &&
        !(audience(from) && std::holds_alternative<node::TransactionsMsg>(message)))
        return {};
    return filter(node_->on_message(now, from, message, peer_index));
}

node::Effects PrivateForkHost::on_command(node::Nanos, std::uint64_t command) {
    node::Effects out;
    if (command == kForkWithhold) {
        withholding_ = true;
    } else if (command == kForkRelease && withholding_) {
        withholding_ = false;
        const auto& head = node_->head();
        const node::BlockRef block = node_->block(head.hash);
        for (node::PeerId p : peers_) {
            if (!colluder_[p])
                out.sends.push_back(node::Send{p, node::NewBlockMsg{block, head.total_difficulty}});
        }
    }
    return out;
}

node::Effects PrivateForkHost::filter(node::Effects effects) const {
    if (!withholding_) return effects;
    std::erase_if(effects.sends, [&](const node::Send& s) {
        return !colluder_[s.to] && !audience(s.to) && carries_content(s.message);
    });
    return effects;
}

// ---- the workload ----

PrivateForkWorkload::PrivateForkWorkload(const WorldContext& context, std::string name,
                                         PrivateForkAttack attack, PrivateForkPlan plan)
    : ctx_(context),
      name_(std::move(name)),
      attack_(std::move(attack)),
      plan_(std::move(plan)),
      spend_(context, name_, plan_.colluders.front(), plan_.public_cloud, plan_.private_cloud) {}

// The attacker's code: a real request by identity A at the first colluder's node.
void PrivateForkWorkload::start() {
    spend_.request();
    if (attack_.release == PrivateForkAttack::Release::kAt && attack_.release_at < ctx_.hosts.end_of_run())
        ctx_.sim.schedule_at(attack_.release_at, [this]() noexcept { release(); });
}

void PrivateForkWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) {
    spend_.on_block_sealed(block);
    if (!started_ || released_ || at < *started_) return;
    if (plan_.colluder[sealer]) {
        ++private_blocks_;
        private_difficulty_ += block.header.difficulty;
        if (!first_private_block_) first_private_block_.emplace(block.hash, block.header.number);
    } else {
        ++public_blocks_;
        public_difficulty_ += block.header.difficulty;
    }
}

std::uint64_t PrivateForkWorkload::heaviest(const std::vector<net::NodeId>& nodes) const {
    std::uint64_t td = 0;
    for (net::NodeId n : nodes)
        if (ctx_.hosts.up(n)) td = std::max(td, ctx_.hosts.node(n).head().total_difficulty);
    return td;
}

void PrivateForkWorkload::on_head_changed(net::NodeId n, Time at) {
    spend_.settle_code(n);
    if (spend_.code_held() && !begin_scheduled_ && at >= attack_.from) {
        begin_scheduled_ = true;
        ctx_.sim.schedule_in(Duration{}, [this]() noexcept { begin(); });  // not inside a reaction
    }
    spend_.settle_redeems(n, at);  // cloud A allocates TX1, cloud B TX2
    // §2.2 when_heavier: cloud A has allocated and the private branch outweighs the public
    // head the colluders see.
    if (attack_.release == PrivateForkAttack::Release::kWhenHeavier && started_ && !released_ &&
        !release_scheduled_ && spend_.tx1_allocated() &&
        heaviest(plan_.colluders) > heaviest(plan_.watch_peers)) {
        release_scheduled_ = true;
        ctx_.sim.schedule_in(Duration{}, [this]() noexcept { release(); });
    }
}

void PrivateForkWorkload::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) {
    spend_.on_tx_refused(tx);
}

void PrivateForkWorkload::begin() {
    if (!ctx_.hosts.within_run() || started_) return;
    started_ = ctx_.sim.now();
    const net::NodeId own = plan_.colluders.front();
    fork_number_ = ctx_.hosts.node(own).head().header.number;
    for (net::NodeId c : plan_.colluders) ctx_.hosts.command(c, kForkWithhold);
    // TX1 at cloud A (the public chain); TX2's first half (A gives the code to B) on the
    // private branch.
    spend_.launch();
}

void PrivateForkWorkload::release() {
    if (!started_ || released_ || !ctx_.hosts.within_run()) return;
    released_ = ctx_.sim.now();
    for (net::NodeId c : plan_.colluders) ctx_.hosts.command(c, kForkRelease);
}

void PrivateForkWorkload::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    const DoubleSpend::Final spent = spend_.finish(reference_chain, party_of(ctx_.config, name_), results);
    // The private branch is canonical when its first block is on every honest node's chain.
    bool canonical = first_private_block_.has_value();
    for (std::size_t i = 0; i < ctx_.hosts.size() && canonical; ++i) {
        const auto n = static_cast<net::NodeId>(i);
        if (plan_.colluder[n]) continue;
        canonical = ctx_.hosts.node(n).chain().tree().canonical_hash(first_private_block_->second) ==
                    first_private_block_->first;
    }
    // The depth rewritten: the deepest reorg an honest node went through after the release.
    std::uint32_t depth = 0;
    if (released_) {
        for (const ReorgRecord& r : results.reorgs)
            if (r.time >= *released_ && !plan_.colluder[r.node]) depth = std::max(depth, r.depth);
    }
    const Time withheld_until = released_.value_or(ctx_.hosts.end_of_run());
    const double minutes = started_ ? (withheld_until - *started_).to_seconds_f64() / 60.0 : 0.0;
    auto secs = [](std::optional<Time> t, std::optional<Time> from) {
        return t && from ? (*t - *from).to_seconds_f64() : -1.0;
    };
    auto flag = [](bool b) { return b ? 1.0 : 0.0; };
    AttackRecord rec;
    rec.kind = "private_fork";
    rec.name = name_;
    rec.start = started_;
    rec.end = released_;
    rec.parameters_digest = private_fork_parameters_digest(ctx_.config, name_, attack_);
    rec.success = released_.has_value() && canonical && !spent.tx1_effective;
    rec.figures = {
        {"code_held", flag(spend_.code_held()), "1"},
        {"colluders", static_cast<double>(plan_.colluders.size()), "count"},
        {"private_blocks", static_cast<double>(private_blocks_), "count"},
        {"private_difficulty", static_cast<double>(private_difficulty_), "difficulty"},
        {"public_blocks", static_cast<double>(public_blocks_), "count"},
        {"public_difficulty", static_cast<double>(public_difficulty_), "difficulty"},
        {"private_blocks_per_min", minutes > 0 ? static_cast<double>(private_blocks_) / minutes : 0.0,
         "1/min"},
        {"released", flag(released_.has_value()), "1"},
        {"released_after_start_s", secs(released_, started_), "s"},
        {"tx1_allocated", flag(spend_.tx1_allocated().has_value()), "1"},
        {"tx1_effective_on_final_chain", flag(spent.tx1_effective), "1"},
        {"tx2_redeem_on_final_chain", flag(spent.tx2_effective), "1"},
        {"private_branch_canonical", flag(canonical), "1"},
        {"depth_rewritten", static_cast<double>(depth), "blocks"},
        {"unbacked_allocations", flag(spend_.tx1_allocated().has_value() && !spent.tx1_effective), "count"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
