#include "sim/world/workload/clouds.hpp"

#include "sim/kernel/distributions.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

Clouds::Clouds(const WorldContext& context)
    : ctx_(context),
      rng_(context.streams.stream("workload/clouds")),
      watcher_(context.hosts, context.cache,
               context.config.cloud_behaviour.allocate_after.confirmations.value_or(
                   context.config.cloud_behaviour.confirmations)) {
    for (std::size_t c = 0; c < ctx_.config.clouds.size(); ++c) {
        operator_keys_.push_back(operator_key(ctx_.config, c));
        operator_addresses_.push_back(address_of(operator_keys_.back()));
    }
}

void Clouds::present(std::uint64_t user, const Address& holder, const Hash32& code, std::uint16_t cloud,
                     Time when) {
    RedemptionRecord planned;
    planned.code = code;
    planned.user = user;
    planned.cloud = cloud;
    planned.requested = when;
    planned.reason = WorldReason::kNeverConfirmed;
    const std::size_t index = redemptions_.size();
    redemptions_.push_back(planned);
    holders_.push_back(holder);
    ctx_.sim.schedule_at(when, [this, index]() noexcept {
        redemptions_[index].first_query = ctx_.sim.now();
        query(index, 0);
    });
}

// The cloud asks its own node (its validator) whether the code is redeemable: issued,
// owned by the user presenting it, and in a block with k blocks on top.
void Clouds::query(std::size_t index, std::uint32_t attempt) {
    RedemptionRecord& r = redemptions_[index];
    const net::NodeId own = r.cloud;
    const CloudWorkload& policy = ctx_.config.cloud_behaviour;
    std::optional<node::CodeView> view;
    if (ctx_.hosts.up(own)) view = ctx_.hosts.node(own).query_code(r.code);
    const bool ready = view && view->code && view->code->status == state::CodeStatus::kIssued &&
                       view->confirmations >= policy.confirmations && view->code->owner == holders_[index];
    if (view && view->code && view->code->status != state::CodeStatus::kIssued) {
        // The cloud refuses the code as its node shows it: expired, or already redeemed.
        r.reason = view->code->status == state::CodeStatus::kExpired ? state::Reason::kExpired
                                                                     : state::Reason::kAlreadyRedeemed;
        return;
    }
    if (!ready) {
        if (attempt + 1 < policy.max_queries &&
            ctx_.sim.now() + policy.retry_interval < ctx_.hosts.end_of_run()) {
            ctx_.sim.schedule_in(policy.retry_interval,
                                 [this, index, attempt]() noexcept { query(index, attempt + 1); });
        }
        return;
    }
    // Draws: the screening time (exponential, mean screening_delay), then its verdict.
    const Duration screening = exponential(rng_, policy.screening_delay);
    const bool passes = bernoulli(rng_, policy.pass_probability);
    ctx_.sim.schedule_in(screening, [this, index, passes]() noexcept { screen_and_redeem(index, passes); });
}

void Clouds::screen_and_redeem(std::size_t index, bool passes) {
    RedemptionRecord& r = redemptions_[index];
    if (!passes) {
        r.reason = WorldReason::kScreeningFailed;
        return;
    }
    const net::NodeId own = r.cloud;
    if (!ctx_.hosts.up(own) || !ctx_.hosts.within_run()) return;  // down, or the run is over
    const PrivateKey& key = operator_keys_[r.cloud];
    const Address& sender = operator_addresses_[r.cloud];
    node::TxRef tx =
        signed_tx(key, sender, next_nonce(ctx_.hosts.node(own), sender), state::RedeemCall{r.code});
    r.submitted = ctx_.sim.now();
    r.reason = WorldReason::kNotIncluded;
    redeem_index_.emplace(tx->hash, index);
    watched_.push_back(index);
    (void)watcher_.watch(tx->hash, own);
    ctx_.hosts.submit(own, tx);
}

void Clouds::on_block_sealed(net::NodeId, const node::Block& block, Time) {
    watcher_.on_block_sealed(block);
    if (!ctx_.config.cloud_behaviour.allocate_after.final_checkpoint) return;
    for (const node::TxRef& tx : block.txs) {
        if (auto it = redeem_index_.find(tx->hash); it != redeem_index_.end())
            redeem_blocks_[it->second].emplace_back(block.hash, block.header.number);
    }
}

bool Clouds::redeem_final(net::NodeId n, std::size_t index) const {
    const node::Node& node = ctx_.hosts.node(n);
    const auto& final = node.chain().final_checkpoint();
    const auto it = redeem_blocks_.find(index);
    if (!final || it == redeem_blocks_.end()) return false;
    for (const auto& [hash, number] : it->second) {
        if (number <= final->height && node.chain().tree().canonical_hash(number) == hash) return true;
    }
    return false;
}

void Clouds::on_head_changed(net::NodeId n, Time at) {
    std::vector<std::pair<std::size_t, bool>> settled;
    watcher_.settle_final(n, settled);
    const bool wait_final = ctx_.config.cloud_behaviour.allocate_after.final_checkpoint;
    // The cloud allocates only per its confirmation policy: k blocks on top (and final).
    for (const auto& [w, ok] : settled) {
        if (!ok) continue;
        if (wait_final) {
            awaiting_final_.push_back(watched_[w]);
        } else {
            redemptions_[watched_[w]].allocated = at;
        }
    }
    if (!wait_final) return;
    std::erase_if(awaiting_final_, [&](std::size_t index) {
        if (redemptions_[index].cloud != n || !redeem_final(n, index)) return false;
        redemptions_[index].allocated = at;
        return true;
    });
}

// A refused redeem allocates nothing.
void Clouds::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) {
    (void)watcher_.settle_refused(tx);
}

void Clouds::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    for (const Inclusion& i : reference_chain) {
        if (auto it = redeem_index_.find(i.tx); it != redeem_index_.end()) {
            RedemptionRecord& r = redemptions_[it->second];
            r.included = i.included;
            r.success = i.success;
            r.reason = i.reason;
        }
    }
    results.redemptions = std::move(redemptions_);
}

}  // namespace cl::sim::world
