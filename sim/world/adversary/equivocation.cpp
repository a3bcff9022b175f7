#include "sim/world/adversary/equivocation.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "protocol/clique/seal.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/node/execution_cache.hpp"
#include "protocol/state/execute.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/world/adversary/adversaries.hpp"

namespace cl::sim::world {

std::expected<EquivocationPlan, std::string> plan_equivocation(const WorldConfig& config,
                                                               const std::string& name,
                                                               const EquivocationAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    if (a.validator >= config.clouds.size())
        return std::unexpected(field + ".validator: no cloud " + std::to_string(a.validator));
    if (!(a.probability >= 0 && a.probability <= 1))
        return std::unexpected(field + ".probability: must be in [0, 1]");
    if (config.topology.neighbours(static_cast<net::NodeId>(a.validator)).size() < 2)
        return std::unexpected(field + ".validator: its node needs two peers to send two blocks to");
    return EquivocationPlan{static_cast<net::NodeId>(a.validator)};
}

Hash32 equivocation_parameters_digest(const WorldConfig& config, const std::string& name,
                                      const EquivocationAttack& a) {
    char p[32];
    std::snprintf(p, sizeof p, "%.17g", a.probability);
    const std::string t = "name=" + name + ";validator=" + config.clouds[a.validator].name +
                          ";probability=" + p + ";from_ns=" + std::to_string(a.from.nanos()) + ";";
    return parameters_digest("equivocation", t);
}

// ---- the equivocating host ----

EquivocatorHost::EquivocatorHost(node::NodeConfig config, const node::Genesis& genesis,
                                 node::ExecutionCache& cache, RandomStream rng, RandomStream coin,
                                 double probability, node::Nanos from)
    : rng_(std::make_unique<RandomStream>(std::move(rng))),
      coin_(std::move(coin)),
      probability_(probability),
      from_(from) {
    CL_ASSERT(config.signer_key.has_value());
    key_ = *config.signer_key;
    peers_ = config.peers;
    node_ = std::make_unique<node::Node>(std::move(config), genesis.block, genesis.state, cache, *rng_);
}

node::BlockRef EquivocatorHost::twin_of(const node::Block& block) const {
    const state::LedgerState* parent_state = node_->state_of(block.header.parent_hash);
    if (parent_state == nullptr) return nullptr;
    Header header = block.header;
    std::vector<node::TxRef> txs = block.txs;
    if (!txs.empty()) {
        txs.pop_back();  // another transaction set: all but the last (a valid prefix)
    } else {
        header.extra[0] ^= 0x01;  // an empty block: another vanity (Clique does not read it)
    }
    const std::vector<Address>& signers = node_->chain().snapshot(block.hash).signers();
    std::vector<RecoveredTransaction> plain;
    plain.reserve(txs.size());
    for (const node::TxRef& tx : txs) plain.push_back(*tx);
    auto executed = state::execute_block(*parent_state, state::BlockContext{header.number, signers}, plain);
    if (!executed) return nullptr;  // a prefix of a valid block executes; kept for safety
    header.state_root = executed->state.root();
    header.tx_root = node::transactions_root(txs);
    header.receipt_root = node::receipts_root(executed->receipts);
    clique::seal_header(header, key_);
    return node::make_block(std::move(header), std::move(txs));
}

node::Effects EquivocatorHost::equivocate(node::Nanos now, node::Effects effects) {
    if (now < from_) return effects;
    std::vector<node::MetricEvent> twins;
    for (const node::MetricEvent& ev : effects.events) {
        const auto* sealed = std::get_if<node::BlockSealed>(&ev);
        if (sealed == nullptr) continue;
        const bool coin = uniform01(coin_) < probability_;  // one draw per own block
        if (!coin) continue;
        const node::BlockRef twin = twin_of(*sealed->block);
        if (!twin) continue;
        twins.push_back(node::BlockSealed{twin, sealed->in_turn});
        // The odd half of the peers gets the twin, in full, instead of the node's block.
        const Hash32& original = sealed->block->hash;
        for (node::Send& s : effects.sends) {
            const auto at = std::find(peers_.begin(), peers_.end(), s.to);
            if (at == peers_.end() || (at - peers_.begin()) % 2 == 0) continue;
            if (const auto* full = std::get_if<node::NewBlockMsg>(&s.message);
                full && full->block->hash == original) {
                s.message = node::NewBlockMsg{twin, full->total_difficulty};
            } else if (const auto* hash = std::get_if<node::NewBlockHashesMsg>(&s.message);
                       hash && hash->hash == original) {
                s.message = node::NewBlockMsg{twin, node_->head().total_difficulty};
            }
        }
    }
    for (auto& t : twins) effects.events.push_back(std::move(t));
    return effects;
}

// ---- the workload ----

EquivocationWorkload::EquivocationWorkload(const WorldContext& context, std::string name,
                                           EquivocationAttack attack, EquivocationPlan plan)
    : ctx_(context), name_(std::move(name)), attack_(std::move(attack)), plan_(std::move(plan)) {}

void EquivocationWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) {
    if (sealer != plan_.node) return;
    auto& siblings = by_parent_[block.header.parent_hash];
    for (const Hash32& other : siblings) {
        if (other == block.hash) return;
        pairs_.emplace_back(other, block.hash);
        if (!first_) first_ = at;
        last_ = at;
        if (!pending_since_) pending_since_ = at;
    }
    siblings.push_back(block.hash);
}

// Converged: every node has one head. O(nodes) per head change while an equivocation is
// pending.
void EquivocationWorkload::on_head_changed(net::NodeId, Time at) {
    if (!pending_since_) return;
    const Hash32 head = ctx_.hosts.node(0).head().hash;
    for (std::size_t i = 1; i < ctx_.hosts.size(); ++i)
        if (ctx_.hosts.node(static_cast<net::NodeId>(i)).head().hash != head) return;
    convergence_s_.push_back((at - *pending_since_).to_seconds_f64());
    pending_since_.reset();
}

void EquivocationWorkload::finish(std::span<const Inclusion>, WorldResults& results) {
    // Which of each pair ended on the final chain (the reference node's).
    std::uint64_t twins_canonical = 0, originals_canonical = 0;
    std::size_t reference = 0;
    for (std::size_t i = 0; i < ctx_.hosts.size(); ++i)
        if (ctx_.hosts.node(static_cast<net::NodeId>(i)).head().total_difficulty >
            ctx_.hosts.node(static_cast<net::NodeId>(reference)).head().total_difficulty)
            reference = i;
    const auto& tree = ctx_.hosts.node(static_cast<net::NodeId>(reference)).chain().tree();
    for (const auto& [first, second] : pairs_) {
        for (const BlockRecord& b : results.blocks) {
            if (b.hash != first && b.hash != second) continue;
            if (tree.canonical_hash(b.number) == b.hash)
                ++(b.hash == first ? originals_canonical : twins_canonical);
        }
    }
    // Reorgs after the first pair, and those away from or onto a pair's second block (the
    // twin, which only the odd half of the equivocator's peers received): the split it made.
    std::set<Hash32> seconds;
    for (const auto& pair : pairs_) seconds.insert(pair.second);
    std::uint64_t reorgs = 0, split = 0;
    std::uint32_t deepest = 0;
    if (first_) {
        for (const ReorgRecord& r : results.reorgs) {
            if (r.time < *first_) continue;
            ++reorgs;
            deepest = std::max(deepest, r.depth);
            if (seconds.contains(r.old_head) || seconds.contains(r.new_head)) ++split;
        }
    }
    double mean = 0, worst = 0;
    for (double c : convergence_s_) {
        mean += c;
        worst = std::max(worst, c);
    }
    if (!convergence_s_.empty()) mean /= static_cast<double>(convergence_s_.size());
    AttackRecord rec;
    rec.kind = "equivocation";
    rec.name = name_;
    rec.start = first_;
    rec.end = last_;
    rec.parameters_digest = equivocation_parameters_digest(ctx_.config, name_, attack_);
    // Success: an equivocation split the network — a node reorganised away from or onto a twin.
    rec.success = split > 0;
    rec.figures = {
        {"equivocations", static_cast<double>(pairs_.size()), "count"},
        {"first_canonical", static_cast<double>(originals_canonical), "count"},
        {"second_canonical", static_cast<double>(twins_canonical), "count"},
        {"reorgs_after_first", static_cast<double>(reorgs), "count"},
        {"reorgs_at_a_twin", static_cast<double>(split), "count"},
        {"max_reorg_depth", static_cast<double>(deepest), "blocks"},
        {"converged", static_cast<double>(convergence_s_.size()), "count"},
        {"convergence_mean_s", mean, "s"},
        {"convergence_max_s", worst, "s"},
        {"unconverged_at_end", pending_since_ ? 1.0 : 0.0, "1"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
