#include "sim/world/adversary/clone.hpp"

#include <algorithm>
#include <set>

#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/parties.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

namespace {

constexpr int kUnplaced = -1, kAttacker = 0, kVictim = 1;

// The genesis signers in sorted order (clique: slot `number` is in turn for sorted[number mod N]).
std::vector<Address> sorted_signers(const WorldConfig& config) {
    std::vector<Address> s;
    for (std::size_t c = 0; c < config.clouds.size(); ++c) s.push_back(address_of(validator_key(config, c)));
    std::sort(s.begin(), s.end());
    return s;
}

std::size_t slot_of(const std::vector<Address>& sorted, const Address& a) {
    return static_cast<std::size_t>(std::find(sorted.begin(), sorted.end(), a) - sorted.begin());
}

}  // namespace

std::expected<ClonePlan, std::string> plan_clone(const WorldConfig& config, const std::string& name,
                                                 const CloneAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    const std::size_t clouds = config.clouds.size();
    const std::size_t n = config.topology.node_count();
    if (a.validator >= clouds)
        return std::unexpected(field + ".validator: no cloud " + std::to_string(a.validator));
    std::vector<int> side(n, kUnplaced);
    side[a.validator] = kAttacker;
    if (a.next_in_turn > 0) {
        if (a.next_in_turn >= clouds) {
            return std::unexpected(field + ".split.next_in_turn: " + std::to_string(a.next_in_turn) +
                                   " slots leave no honest validator on the victim side (" +
                                   std::to_string(clouds) + " validators)");
        }
        const std::vector<Address> sorted = sorted_signers(config);
        const std::size_t own = slot_of(sorted, address_of(validator_key(config, a.validator)));
        std::vector<bool> attacker(clouds, false);
        for (std::size_t k = 1; k < a.next_in_turn; ++k) {
            const Address& s = sorted[(own + k) % clouds];
            for (std::size_t c = 0; c < clouds; ++c)
                if (address_of(validator_key(config, c)) == s) attacker[c] = true;
        }
        for (std::size_t c = 0; c < clouds; ++c)
            if (c != a.validator) side[c] = attacker[c] ? kAttacker : kVictim;
    } else {
        auto place = [&](const std::vector<std::size_t>& list, int s,
                         const char* key) -> std::optional<std::string> {
            for (std::size_t i = 0; i < list.size(); ++i) {
                const std::size_t c = list[i];
                const std::string at = field + ".split." + key + "[" + std::to_string(i) + "]";
                if (c >= clouds) return at + ": no cloud " + std::to_string(c);
                if (c == a.validator) return at + ": the cloned validator is on both sides already";
                if (side[c] != kUnplaced) return at + ": cloud " + config.clouds[c].name + " is listed twice";
                side[c] = s;
            }
            return std::nullopt;
        };
        if (auto e = place(a.attacker, kAttacker, "attacker")) return std::unexpected(*e);
        if (auto e = place(a.victim, kVictim, "victim")) return std::unexpected(*e);
        if (a.victim.empty())
            return std::unexpected(field + ".split.victim: at least one victim cloud is required");
    }
    ClonePlan plan;
    plan.validator = a.validator;
    if (a.clone_node) {
        if (*a.clone_node < clouds || *a.clone_node >= n) {
            return std::unexpected(field + ".clone_node: node " + std::to_string(*a.clone_node) +
                                   " is not a full node (full nodes are " + std::to_string(clouds) + ".." +
                                   std::to_string(n - 1) + ")");
        }
        plan.clone_node = *a.clone_node;
    } else {
        if (n == clouds) {
            return std::unexpected(field + ": the second instance runs on a full node; the network has none");
        }
        std::size_t best = 0;
        std::optional<net::NodeId> chosen;
        for (std::size_t i = clouds; i < n; ++i) {
            std::size_t victims = 0;
            for (net::NodeId p : config.topology.neighbours(static_cast<net::NodeId>(i)))
                victims += p < clouds && side[p] == kVictim ? 1 : 0;
            if (!chosen || victims > best) {
                chosen = static_cast<net::NodeId>(i);
                best = victims;
            }
        }
        plan.clone_node = *chosen;
    }
    side[plan.clone_node] = kVictim;
    // Everyone else with the side of most of its placed peers, pass after pass.
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (side[i] != kUnplaced) continue;
            std::size_t count[2] = {0, 0};
            for (net::NodeId p : config.topology.neighbours(static_cast<net::NodeId>(i)))
                if (side[p] != kUnplaced) ++count[side[p]];
            if (count[0] + count[1] == 0) continue;
            side[i] = count[kAttacker] > count[kVictim] ? kAttacker : kVictim;
            moved = true;
        }
    }
    plan.attacker_side.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (side[i] == kUnplaced) side[i] = kVictim;
        plan.attacker_side[i] = side[i] == kAttacker;
        (plan.attacker_side[i] ? plan.attacker_nodes : plan.victim_nodes)
            .push_back(static_cast<net::NodeId>(i));
    }
    std::optional<std::size_t> victim_cloud, attacker_cloud;
    for (std::size_t c = 0; c < clouds; ++c) {
        if (!victim_cloud && side[c] == kVictim) victim_cloud = c;
        if (!attacker_cloud && c != a.validator && side[c] == kAttacker) attacker_cloud = c;
    }
    if (!victim_cloud) return std::unexpected(field + ".split: no victim cloud");
    plan.victim_cloud = *victim_cloud;
    plan.attacker_cloud = attacker_cloud.value_or(a.validator);
    return plan;
}

Hash32 clone_parameters_digest(const WorldConfig& config, const std::string& name, const CloneAttack& a) {
    auto cloud = [&](std::size_t c) { return config.clouds[c].name; };
    std::string t = "name=" + name + ";validator=" + cloud(a.validator) + ";";
    if (a.next_in_turn > 0) {
        t += "next_in_turn=" + std::to_string(a.next_in_turn) + ";";
    } else {
        t += "attacker=";
        for (std::size_t c : a.attacker) t += cloud(c) + ",";
        t += ";victim=";
        for (std::size_t c : a.victim) t += cloud(c) + ",";
        t += ";";
    }
    if (a.clone_node) t += "clone_node=" + std::to_string(*a.clone_node) + ";";
    t += "from_ns=" + std::to_string(a.from.nanos()) + ";duration_ns=" + std::to_string(a.duration.nanos()) +
         ";";
    return parameters_digest("clone", t);
}

CloneHost::CloneHost(node::NodeConfig config, const PrivateKey& key, const node::Genesis& genesis,
                     node::ExecutionCache& cache, RandomStream rng)
    : rng_(std::make_unique<RandomStream>(std::move(rng))) {
    config.signer_key = key;
    config.sealing = false;
    node_ = std::make_unique<node::Node>(std::move(config), genesis.block, genesis.state, cache, *rng_);
}

node::Effects CloneHost::on_command(node::Nanos now, std::uint64_t command) {
    if (command == kCloneStartSealing) return node_->set_sealing(now, true);
    if (command == kCloneStopSealing) return node_->set_sealing(now, false);
    return {};
}

CloneAttackWorkload::CloneAttackWorkload(const WorldContext& context, std::string name, CloneAttack attack,
                                         ClonePlan plan)
    : ctx_(context),
      name_(std::move(name)),
      attack_(std::move(attack)),
      plan_(std::move(plan)),
      spend_(context, name_, static_cast<net::NodeId>(plan_.validator), plan_.victim_cloud,
             plan_.attacker_cloud) {
    const std::vector<Address> sorted = sorted_signers(ctx_.config);
    signer_count_ = sorted.size();
    own_slot_ = slot_of(sorted, address_of(validator_key(ctx_.config, plan_.validator)));
}

// The attacker's code: a real request by identity A at the cloned validator's node.
void CloneAttackWorkload::start() { spend_.request(); }

void CloneAttackWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) {
    spend_.on_block_sealed(block);
    if (const node::TxRef& tx1 = spend_.tx1()) {
        for (const node::TxRef& tx : block.txs)
            if (tx->hash == tx1->hash) tx1_blocks_.emplace_back(block.hash, block.header.number);
    }
    if (cut_at_ && at >= *cut_at_ && at < *heal_at_) {
        if (plan_.attacker_side[sealer]) {
            ++blocks_attacker_;
            difficulty_attacker_ += block.header.difficulty;
            if (!first_attacker_block_) first_attacker_block_.emplace(block.hash, block.header.number);
        } else {
            ++blocks_victim_;
            difficulty_victim_ += block.header.difficulty;
        }
    }
}

void CloneAttackWorkload::on_head_changed(net::NodeId n, Time at) {
    const net::NodeId own = static_cast<net::NodeId>(plan_.validator);
    const net::NodeId victim = static_cast<net::NodeId>(plan_.victim_cloud);
    spend_.settle_code(n);
    // The trigger (§2.1): from `from`, the block just before the cloned validator's own
    // in-turn slot is its node's head.
    if (spend_.code_held() && !cut_scheduled_ && n == own && at >= attack_.from &&
        (ctx_.hosts.node(own).head().header.number + 1) % signer_count_ == own_slot_) {
        cut_scheduled_ = true;
        ctx_.sim.schedule_in(Duration{}, [this]() noexcept { cut(); });  // not inside a reaction
    }
    spend_.settle_redeems(n, at);  // the victim cloud allocates TX1, the attacker cloud TX2
    if (spend_.tx1() && n == victim && !tx1_decided_ && at < *heal_at_ && tx1_decided_at_victim())
        tx1_decided_ = at;
    if (heal_at_ && at >= *heal_at_ && !reconverged_) {
        const Hash32 head = ctx_.hosts.node(0).head().hash;
        bool one = true;
        for (std::size_t i = 1; i < ctx_.hosts.size() && one; ++i)
            one = ctx_.hosts.node(static_cast<net::NodeId>(i)).head().hash == head;
        if (one) reconverged_ = at;
    }
}

void CloneAttackWorkload::on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) {
    spend_.on_tx_refused(tx);
}

void CloneAttackWorkload::cut() {
    if (!ctx_.hosts.within_run()) return;
    const Time now = ctx_.sim.now();
    const Time ends = saturating_add(now, attack_.duration);
    cut_at_ = now;
    heal_at_ = ends;
    const net::PartitionSpec partition{
        "adversary " + name_, {plan_.attacker_nodes, plan_.victim_nodes}, now, ends};
    CL_ASSERT(ctx_.network.add_partition(partition).has_value());  // groups checked by plan_clone
    ctx_.hosts.command(plan_.clone_node, kCloneStartSealing);
    // TX1 at the victim cloud; TX2's first half (A gives the code to B) on the attacker side.
    spend_.launch();
    if (ends < ctx_.hosts.end_of_run()) ctx_.sim.schedule_at(ends, [this]() noexcept { heal(); });
}

void CloneAttackWorkload::heal() {
    // The attacker side's branch: its head as the cloned validator's node holds it at the heal.
    const auto& head = ctx_.hosts.node(static_cast<net::NodeId>(plan_.validator)).head();
    attacker_head_at_heal_.emplace(head.hash, head.header.number);
    ctx_.hosts.command(plan_.clone_node, kCloneStopSealing);
}

// The NDSS rule (§1 "Decided") on the victim cloud's node: a block holding TX1 is on its
// canonical chain, and it and the blocks after it were sealed by more than N/2 distinct
// sealers. O(blocks since TX1's block).
bool CloneAttackWorkload::tx1_decided_at_victim() const {
    if (tx1_blocks_.empty()) return false;
    const node::Node& node = ctx_.hosts.node(static_cast<net::NodeId>(plan_.victim_cloud));
    std::uint64_t lowest = tx1_blocks_.front().second;
    for (const auto& b : tx1_blocks_) lowest = std::min(lowest, b.second);
    std::set<Address> sealers;
    for (node::BlockRef b = node.block(node.head().hash); b && b->header.number >= lowest;
         b = node.block(b->header.parent_hash)) {
        if (b->sealer) sealers.insert(*b->sealer);
        for (const auto& [hash, number] : tx1_blocks_)
            if (hash == b->hash) return 2 * sealers.size() > signer_count_;
    }
    return false;
}

bool CloneAttackWorkload::on_canonical_chain(net::NodeId n, const Hash32& block, std::uint64_t number) const {
    return ctx_.hosts.node(n).chain().tree().canonical_hash(number) == block;
}

void CloneAttackWorkload::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    const DoubleSpend::Final spent = spend_.finish(reference_chain, party_of(ctx_.config, name_), results);
    // §2.1 success (2): the attacker side's branch (its head at the heal) is canonical on
    // every honest node.
    const auto& branch = attacker_head_at_heal_;
    bool attacker_canonical = branch.has_value() && first_attacker_block_.has_value();
    for (std::size_t i = 0; i < ctx_.hosts.size() && attacker_canonical; ++i) {
        const auto n = static_cast<net::NodeId>(i);
        if (n == plan_.clone_node) continue;
        attacker_canonical =
            on_canonical_chain(n, first_attacker_block_->first, first_attacker_block_->second);
    }
    std::uint32_t heal_depth = 0;
    if (heal_at_) {
        const Time until = reconverged_.value_or(Time::max());
        for (const ReorgRecord& r : results.reorgs)
            if (r.time >= *heal_at_ && r.time <= until) heal_depth = std::max(heal_depth, r.depth);
    }
    const bool decided_in_cut = tx1_decided_ && heal_at_ && *tx1_decided_ < *heal_at_;
    AttackRecord rec;
    rec.kind = "clone";
    rec.name = name_;
    rec.start = cut_at_;
    rec.end = heal_at_;
    rec.parameters_digest = clone_parameters_digest(ctx_.config, name_, attack_);
    rec.success = decided_in_cut && attacker_canonical && !spent.tx1_effective;
    auto secs = [](std::optional<Time> t, std::optional<Time> from) {
        return t && from ? (*t - *from).to_seconds_f64() : -1.0;
    };
    auto flag = [](bool b) { return b ? 1.0 : 0.0; };
    rec.figures = {
        {"code_held", flag(spend_.code_held()), "1"},
        {"blocks_attacker_side", static_cast<double>(blocks_attacker_), "count"},
        {"blocks_victim_side", static_cast<double>(blocks_victim_), "count"},
        {"difficulty_attacker_side", static_cast<double>(difficulty_attacker_), "difficulty"},
        {"difficulty_victim_side", static_cast<double>(difficulty_victim_), "difficulty"},
        {"tx1_included_victim_side", flag(!tx1_blocks_.empty()), "1"},
        {"tx1_decided", flag(decided_in_cut), "1"},
        {"tx1_decided_after_cut_s", secs(tx1_decided_, cut_at_), "s"},
        {"tx1_allocated", flag(spend_.tx1_allocated().has_value()), "1"},
        {"tx1_allocated_after_cut_s", secs(spend_.tx1_allocated(), cut_at_), "s"},
        {"tx1_on_final_chain", flag(spent.tx1_on_chain), "1"},
        {"tx1_effective_on_final_chain", flag(spent.tx1_effective), "1"},
        {"tx2_redeem_on_final_chain", flag(spent.tx2_effective), "1"},
        {"attacker_branch_canonical", flag(attacker_canonical), "1"},
        {"reorg_depth_at_heal", static_cast<double>(heal_depth), "blocks"},
        {"reconvergence_after_heal_s", secs(reconverged_, heal_at_), "s"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
