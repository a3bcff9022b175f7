#include "sim/world/governance.hpp"

#include <algorithm>

#include "protocol/state/call.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/host/honest_node.hpp"
#include "sim/world/workload/transactions.hpp"

namespace cl::sim::world {

std::optional<std::string> check_events(const WorldConfig& config) {
    const std::size_t genesis = genesis_cloud_count(config);
    for (std::size_t c = genesis; c < config.clouds.size(); ++c) {
        if (config.clouds[c].genesis)
            return "clouds[" + config.clouds[c].name + "]: a genesis cloud after a joining one";
    }
    if (!config.events.empty() && config.checkpoints)
        return std::string("events: not with checkpoints (their validator set is the genesis one)");
    std::vector<bool> member(config.clouds.size(), false), joined(config.clouds.size(), false);
    std::fill_n(member.begin(), genesis, true);
    Time last;
    for (std::size_t i = 0; i < config.events.size(); ++i) {
        const GovernanceEvent& e = config.events[i];
        const std::string field = "events[" + std::to_string(i) + "]";
        if (e.cloud >= config.clouds.size()) return field + ": no cloud " + std::to_string(e.cloud);
        const std::string& name = config.clouds[e.cloud].name;
        if (e.at < last) return field + ".at: before the previous event's";
        if (e.at >= Time::at(config.duration)) return field + ".at: not within the run";
        last = e.at;
        if (e.kind == GovernanceEvent::Kind::kJoin) {
            if (e.cloud < genesis) return field + ".join: " + name + " is a genesis cloud";
            if (joined[e.cloud]) return field + ".join: " + name + " joins twice";
            joined[e.cloud] = member[e.cloud] = true;
        } else {
            if (!member[e.cloud]) return field + ".leave: " + name + " is not a member then";
            member[e.cloud] = false;
        }
    }
    for (std::size_t c = genesis; c < config.clouds.size(); ++c) {
        if (!joined[c]) return "clouds[" + config.clouds[c].name + "]: not in the genesis and never joins";
    }
    return std::nullopt;
}

void governance_node_config(const WorldConfig& config, net::NodeId node, node::NodeConfig& nc) {
    if (node >= config.clouds.size()) return;  // a full node seals nothing
    for (const GovernanceEvent& e : config.events) {
        if (e.kind != GovernanceEvent::Kind::kLeave || e.cloud == node) continue;
        nc.proposals.push_back(node::NodeConfig::ScheduledProposal{
            clique::Proposal{address_of(validator_key(config, e.cloud)), false},
            std::chrono::seconds(config.genesis_time) + std::chrono::nanoseconds(e.at.nanos())});
    }
}

std::vector<MembershipChange> membership_changes(const node::Node& node, const Hash32& head,
                                                 const Address& address, std::uint64_t genesis_time) {
    std::vector<MembershipChange> out;
    const clique::Chain& chain = node.chain();
    const BlockEntry* b = chain.tree().find(head);
    while (b != nullptr && b->header.number > 0) {
        const BlockEntry* parent = chain.tree().find(b->header.parent_hash);
        if (parent == nullptr) break;
        const bool now = chain.snapshot(b->hash).is_signer(address);
        if (now != chain.snapshot(parent->hash).is_signer(address)) {
            const auto since =
                static_cast<std::int64_t>(b->header.time) - static_cast<std::int64_t>(genesis_time);
            out.push_back(MembershipChange{b->header.number, Time::at(seconds(since)), now});
        }
        b = parent;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

net::NodeId heaviest_node(const Hosts& hosts) {
    net::NodeId best = 0;
    for (std::size_t n = 1; n < hosts.size(); ++n) {
        const auto id = static_cast<net::NodeId>(n);
        if (hosts.node(id).head().total_difficulty > hosts.node(best).head().total_difficulty) best = id;
    }
    return best;
}

std::optional<MembershipChange> first_change(const std::vector<MembershipChange>& changes, Time from,
                                             bool member) {
    for (const MembershipChange& c : changes) {
        if (c.member == member && c.at >= from) return c;
    }
    return std::nullopt;
}

Governance::Governance(const WorldContext& context)
    : ctx_(context), register_tx_(context.config.events.size()) {}

void Governance::start() {
    for (std::size_t i = 0; i < ctx_.config.events.size(); ++i) {
        const GovernanceEvent& e = ctx_.config.events[i];
        if (e.kind == GovernanceEvent::Kind::kJoin) {
            ctx_.sim.schedule_at(e.at, [this, i]() noexcept { join(i); });
        } else {
            ctx_.sim.schedule_at(e.at, [this, i]() noexcept { leave(i); });
        }
    }
}

// promo-pool.md §2 register_cloud(name, validator, attestation), by the cloud's operator,
// submitted to its own validator node (a crashed node: the operator's attempt is lost).
void Governance::join(std::size_t event) {
    const std::size_t cloud = ctx_.config.events[event].cloud;
    const auto own = static_cast<net::NodeId>(cloud);
    if (!ctx_.hosts.up(own) || !ctx_.hosts.within_run()) return;
    const Address validator = address_of(validator_key(ctx_.config, cloud));
    const std::string& name = ctx_.config.clouds[cloud].name;
    const Signature attestation =
        sign(state::attestation_hash(kChainId, name, validator), notary_key(ctx_.config));
    const PrivateKey key = operator_key(ctx_.config, cloud);
    node::TxRef tx = signed_tx(key, next_nonce(ctx_.hosts.node(own), address_of(key)),
                               state::RegisterCloudCall{name, validator, attestation});
    register_tx_[event] = tx->hash;
    ctx_.hosts.submit(own, tx);
}

void Governance::leave(std::size_t event) {
    const auto own = static_cast<net::NodeId>(ctx_.config.events[event].cloud);
    if (ctx_.hosts.up(own)) ctx_.hosts.command(own, HonestNode::kStopSealing);
}

void Governance::finish(std::span<const Inclusion> reference_chain, WorldResults& results) {
    if (ctx_.config.events.empty()) return;
    const net::NodeId end = heaviest_node(ctx_.hosts);
    const node::Node& node = ctx_.hosts.node(end);
    const clique::Snapshot& final_snapshot = node.chain().snapshot(node.head().hash);
    for (std::size_t i = 0; i < ctx_.config.events.size(); ++i) {
        const GovernanceEvent& e = ctx_.config.events[i];
        const bool join = e.kind == GovernanceEvent::Kind::kJoin;
        const Address validator = address_of(validator_key(ctx_.config, e.cloud));
        const auto changes = membership_changes(node, node.head().hash, validator, ctx_.config.genesis_time);
        const std::optional<MembershipChange> change = first_change(changes, e.at, join);
        const std::string prefix = "events." + std::to_string(i) + ".";
        // -1: never (within the run).
        results.metrics.push_back(
            Metric{prefix + "set_change_s", change ? (change->at - e.at).to_seconds_f64() : -1.0, "s"});
        results.metrics.push_back(
            Metric{prefix + "set_change_block", change ? static_cast<double>(change->number) : -1.0, "1"});
        results.metrics.push_back(
            Metric{prefix + "member_at_end", final_snapshot.is_signer(validator) ? 1.0 : 0.0, "1"});
        if (join) {
            double registered = -1;
            for (const Inclusion& inc : reference_chain) {
                if (register_tx_[i] && inc.tx == *register_tx_[i] && inc.success && inc.included)
                    registered = (*inc.included - e.at).to_seconds_f64();
            }
            results.metrics.push_back(Metric{prefix + "registered_s", registered, "s"});
        }
    }
    results.metrics.push_back(
        Metric{"events.signers_at_end", static_cast<double>(final_snapshot.signers().size()), "count"});
}

}  // namespace cl::sim::world
