#include "sim/world/adversary/governance_capture.hpp"

#include "protocol/clique/config.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/governance.hpp"

namespace cl::sim::world {

std::expected<GovernanceCapturePlan, std::string> plan_governance_capture(const WorldConfig& config,
                                                                          const std::string& name,
                                                                          const GovernanceCaptureAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    if (a.validators.empty()) return std::unexpected(field + ".validators: at least one validator");
    if (config.checkpoints)
        return std::unexpected(field + ": not with checkpoints (their validator set is the genesis one)");
    GovernanceCapturePlan plan;
    plan.colluder.assign(config.topology.node_count(), false);
    for (std::size_t v : a.validators) {
        if (v >= config.clouds.size())
            return std::unexpected(field + ".validators: no cloud " + std::to_string(v));
        if (plan.colluder[v])
            return std::unexpected(field + ".validators: " + config.clouds[v].name + " twice");
        plan.colluder[v] = true;
    }
    if (a.from >= Time::at(config.duration)) return std::unexpected(field + ".from: not within the run");
    if (a.goal == GovernanceCaptureAttack::Goal::kRemove) {
        if (a.target >= config.clouds.size())
            return std::unexpected(field + ".goal.remove: no cloud " + std::to_string(a.target));
        if (plan.colluder[a.target])
            return std::unexpected(field + ".goal.remove: " + config.clouds[a.target].name +
                                   " is a colluder");
        plan.target = address_of(validator_key(config, a.target));
        plan.authorize = false;
    } else {
        if (a.identity.empty()) return std::unexpected(field + ".goal.add: an identity name");
        plan.target = address_of(capture_identity_key(config, name, a.identity));
        plan.authorize = true;
    }
    return plan;
}

PrivateKey capture_identity_key(const WorldConfig& config, const std::string& name,
                                const std::string& identity) {
    return derive_private_key(config.seed, "adversary/" + name + "/identity/" + identity);
}

Hash32 governance_capture_parameters_digest(const WorldConfig& config, const std::string& name,
                                            const GovernanceCaptureAttack& a) {
    std::string t = "name=" + name + ";validators=";
    for (std::size_t v : a.validators) t += config.clouds[v].name + ",";
    t += a.goal == GovernanceCaptureAttack::Goal::kRemove ? ";remove=" + config.clouds[a.target].name
                                                          : ";add=" + a.identity;
    t += ";from=" + std::to_string(a.from.nanos());
    t += std::string(";honest_counter_votes=") + (a.honest_counter_votes ? "1" : "0") + ";";
    return parameters_digest("governance_capture", t);
}

void governance_capture_config(const WorldConfig& config, net::NodeId node, node::NodeConfig& nc,
                               const GovernanceCapturePlan& plan, const GovernanceCaptureAttack& attack) {
    if (node >= config.clouds.size()) return;  // full nodes seal nothing
    if (plan.colluder[node]) {
        nc.proposals.push_back(node::NodeConfig::ScheduledProposal{
            clique::Proposal{plan.target, plan.authorize},
            std::chrono::seconds(config.genesis_time) + std::chrono::nanoseconds(attack.from.nanos())});
    } else if (attack.honest_counter_votes) {
        nc.drop_unattested_signers = true;
    }
}

GovernanceCaptureWorkload::GovernanceCaptureWorkload(const WorldContext& context, std::string name,
                                                     GovernanceCaptureAttack attack,
                                                     GovernanceCapturePlan plan)
    : ctx_(context), name_(std::move(name)), attack_(std::move(attack)), plan_(std::move(plan)) {}

void GovernanceCaptureWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time) {
    if (block.header.coinbase != plan_.target) return;
    const bool auth = block.header.nonce == clique::kNonceAuth;
    const bool colluder = sealer < plan_.colluder.size() && plan_.colluder[sealer];
    if (colluder && auth == plan_.authorize) ++capture_votes_;
    if (!colluder && auth != plan_.authorize) ++counter_votes_;
}

void GovernanceCaptureWorkload::finish(std::span<const Inclusion>, WorldResults& results) {
    const net::NodeId end = heaviest_node(ctx_.hosts);
    const node::Node& node = ctx_.hosts.node(end);
    const Hash32 head = node.head().hash;
    const auto changes = membership_changes(node, head, plan_.target, ctx_.config.genesis_time);
    const std::optional<MembershipChange> change = first_change(changes, attack_.from, plan_.authorize);
    std::optional<MembershipChange> undone;
    if (change) undone = first_change(changes, change->at, !plan_.authorize);
    const bool at_end = node.chain().snapshot(head).is_signer(plan_.target);
    // The signer count when the votes started: the snapshot of the last block at or before
    // `from` on the final chain (its header time, whole seconds).
    const BlockEntry* b = node.chain().tree().find(head);
    const std::uint64_t from_s =
        ctx_.config.genesis_time + static_cast<std::uint64_t>(attack_.from.nanos() / 1'000'000'000);
    while (b->header.number > 0 && b->header.time > from_s)
        b = node.chain().tree().find(b->header.parent_hash);
    const std::uint64_t from_block = b->header.number;
    const std::size_t signers_at_from = node.chain().snapshot(b->hash).signers().size();
    std::size_t colluders = 0;
    for (std::size_t v : attack_.validators)
        colluders +=
            node.chain().snapshot(b->hash).is_signer(address_of(validator_key(ctx_.config, v))) ? 1 : 0;
    AttackRecord rec;
    rec.kind = "governance_capture";
    rec.name = name_;
    rec.start = attack_.from;
    rec.end = Time::at(ctx_.config.duration);
    rec.parameters_digest = governance_capture_parameters_digest(ctx_.config, name_, attack_);
    // Success: the goal's set change happened and held until the end of the run.
    rec.success = change.has_value() && at_end == plan_.authorize;
    const auto flag = [](bool v) { return v ? 1.0 : 0.0; };
    rec.figures = {
        {"set_changed", flag(change.has_value()), "1"},
        {"set_change_s", change ? (change->at - attack_.from).to_seconds_f64() : -1.0, "s"},
        {"set_change_block", change ? static_cast<double>(change->number) : -1.0, "1"},
        {"set_change_blocks", change ? static_cast<double>(change->number - from_block) : -1.0, "count"},
        {"undone", flag(undone.has_value()), "1"},
        {"undone_s", undone ? (undone->at - attack_.from).to_seconds_f64() : -1.0, "s"},
        {"goal_held_at_end", flag(rec.success), "1"},
        {"colluders", static_cast<double>(colluders), "count"},
        {"signers_at_from", static_cast<double>(signers_at_from), "count"},
        {"colluder_share",
         signers_at_from ? static_cast<double>(colluders) / static_cast<double>(signers_at_from) : 0.0, "1"},
        {"majority_needed", static_cast<double>(signers_at_from / 2 + 1), "count"},
        {"signers_at_end", static_cast<double>(node.chain().snapshot(head).signers().size()), "count"},
        {"capture_votes_sealed", static_cast<double>(capture_votes_), "count"},
        {"counter_votes_sealed", static_cast<double>(counter_votes_), "count"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
