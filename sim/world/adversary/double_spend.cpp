#include "sim/world/adversary/double_spend.hpp"

#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/parties.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

DoubleSpend::DoubleSpend(const WorldContext& context, const std::string& name, net::NodeId own,
                         std::size_t tx1_cloud, std::size_t tx2_cloud)
    : ctx_(context),
      rng_(context.streams.stream("adversary/" + name)),
      own_(own),
      tx1_cloud_(tx1_cloud),
      tx2_cloud_(tx2_cloud),
      identity_a_(derive_private_key(context.config.seed, "adversary/" + name + "/identity/0")),
      identity_b_(derive_private_key(context.config.seed, "adversary/" + name + "/identity/1")),
      code_watch_(context.hosts, context.cache, context.config.cloud_behaviour.confirmations),
      redeem_watch_(context.hosts, context.cache, context.config.cloud_behaviour.confirmations) {}

// The attacker's code: a real request by identity A at its own node.
void DoubleSpend::request() {
    const auto tiers = static_cast<std::int64_t>(ctx_.config.tiers.size());
    const auto tier = static_cast<std::uint64_t>(uniform_int(rng_, 0, tiers - 1));
    const node::TxRef request =
        signed_tx(identity_a_, next_nonce(ctx_.hosts.node(own_), address_of(identity_a_)),
                  state::RequestCall{tier, {}});
    code_ = request->hash;
    (void)code_watch_.watch(code_, own_);
    ctx_.hosts.submit(own_, request);
}

void DoubleSpend::launch() {
    launched_ = ctx_.sim.now();
    // TX1: cloud X, shown the held code, redeems it on its own node.
    const auto x = static_cast<net::NodeId>(tx1_cloud_);
    const PrivateKey x_key = operator_key(ctx_.config, tx1_cloud_);
    tx1_ = signed_tx(x_key, next_nonce(ctx_.hosts.node(x), address_of(x_key)), state::RedeemCall{code_});
    (void)redeem_watch_.watch(tx1_->hash, x);
    if (ctx_.hosts.up(x)) ctx_.hosts.submit(x, tx1_);
    // TX2, first half: A gives the code to B.
    tx2_transfer_ = signed_tx(identity_a_, next_nonce(ctx_.hosts.node(own_), address_of(identity_a_)),
                              state::TransferCodeCall{code_, address_of(identity_b_)});
    if (ctx_.hosts.up(own_)) ctx_.hosts.submit(own_, tx2_transfer_);
}

void DoubleSpend::on_block_sealed(const node::Block& block) {
    code_watch_.on_block_sealed(block);
    redeem_watch_.on_block_sealed(block);
}

void DoubleSpend::settle_code(net::NodeId n) {
    if (code_held_ || code_refused_ || n != own_) return;
    std::vector<std::pair<std::size_t, bool>> settled;
    code_watch_.settle_final(n, settled);
    for (const auto& [w, ok] : settled) (ok ? code_held_ : code_refused_) = true;
}

void DoubleSpend::settle_redeems(net::NodeId n, Time at) {
    std::vector<std::pair<std::size_t, bool>> settled;
    if (tx1_ && n == tx1_cloud_) {
        redeem_watch_.settle_final(n, settled);
        for (const auto& [w, ok] : settled)
            if (ok && !tx1_allocated_) tx1_allocated_ = at;  // cloud X allocates
    }
    if (tx2_redeem_ && n == tx2_cloud_) {
        settled.clear();
        redeem_watch_.settle_final(n, settled);
        for (const auto& [w, ok] : settled)
            if (ok && !tx2_allocated_) tx2_allocated_ = at;  // cloud Y allocates
    }
    if (tx2_transfer_ && !tx2_redeem_ && n == tx2_cloud_) {
        const node::CodeView view = ctx_.hosts.node(n).query_code(code_);
        if (view.code && view.code->status == state::CodeStatus::kIssued &&
            view.code->owner == address_of(identity_b_)) {
            const PrivateKey key = operator_key(ctx_.config, tx2_cloud_);
            tx2_redeem_ =
                signed_tx(key, next_nonce(ctx_.hosts.node(n), address_of(key)), state::RedeemCall{code_});
            ctx_.sim.schedule_in(Duration{},
                                 [this]() noexcept { submit_tx2_redeem(); });  // not in a reaction
        }
    }
}

void DoubleSpend::on_tx_refused(const Hash32& tx) {
    if (tx == code_ && code_watch_.settle_refused(tx)) code_refused_ = true;
    (void)redeem_watch_.settle_refused(tx);
}

void DoubleSpend::submit_tx2_redeem() {
    const auto n = static_cast<net::NodeId>(tx2_cloud_);
    if (!ctx_.hosts.up(n) || !ctx_.hosts.within_run()) return;
    tx2_submitted_ = ctx_.sim.now();
    (void)redeem_watch_.watch(tx2_redeem_->hash, n);
    ctx_.hosts.submit(n, tx2_redeem_);
}

RedemptionRecord adversary_redemption(const Hash32& code, const node::TxRef& tx, std::size_t cloud,
                                      std::optional<Time> submitted, std::optional<Time> allocated,
                                      std::span<const Inclusion> reference_chain) {
    RedemptionRecord r;
    r.code = code;
    r.user = kAdversaryUser;
    r.cloud = static_cast<std::uint16_t>(cloud);
    r.requested = r.first_query = submitted.value_or(Time::zero());
    r.submitted = submitted;
    r.allocated = allocated;
    r.reason = WorldReason::kNotIncluded;
    for (const Inclusion& i : reference_chain) {
        if (i.tx != tx->hash) continue;
        r.included = i.included;
        r.success = i.success;
        r.reason = i.reason;
    }
    return r;
}

DoubleSpend::Final DoubleSpend::finish(std::span<const Inclusion> reference_chain, std::uint16_t party,
                                       WorldResults& results) const {
    std::vector<RedemptionRecord> redeems;
    if (tx1_)
        redeems.push_back(
            adversary_redemption(code_, tx1_, tx1_cloud_, launched_, tx1_allocated_, reference_chain));
    if (tx2_redeem_ && tx2_submitted_)
        redeems.push_back(adversary_redemption(code_, tx2_redeem_, tx2_cloud_, tx2_submitted_, tx2_allocated_,
                                               reference_chain));
    // The redeems are the adversary's traffic (spec §0): its party's rows, not the honest ones.
    tally_adversary_redemptions(party, redeems, results);
    results.redemptions.insert(results.redemptions.end(), redeems.begin(), redeems.end());
    Final f;
    for (const Inclusion& i : reference_chain) {
        if (tx1_ && i.tx == tx1_->hash) {
            f.tx1_on_chain = true;
            f.tx1_effective = f.tx1_effective || i.success;
        }
        if (tx2_redeem_ && i.tx == tx2_redeem_->hash) f.tx2_effective = f.tx2_effective || i.success;
    }
    return f;
}

}  // namespace cl::sim::world
