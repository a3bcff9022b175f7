#include "sim/world/adversary/adversaries.hpp"

#include <set>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "sim/world/genesis.hpp"

namespace cl::sim::world {

Hash32 parameters_digest(std::string_view kind, std::string_view canonical) {
    std::string input = "cloudledger/adversary/v1";
    input += kind;
    input.push_back('\0');
    input += canonical;
    return keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()));
}

std::string_view kind_name(const AdversaryConfig& adversary) {
    return std::visit(
        [](const auto& a) -> std::string_view {
            if constexpr (std::is_same_v<std::decay_t<decltype(a)>, CloneAttack>) return "clone";
        },
        adversary.attack);
}

std::expected<void, std::string> Adversaries::check(const WorldConfig& config) {
    std::set<std::string> names;
    for (const AdversaryConfig& a : config.adversaries) {
        if (!names.insert(a.name).second)
            return std::unexpected("adversaries[" + a.name + "].name: used by another adversary");
        const auto ok = std::visit(
            [&](const auto& attack) -> std::expected<void, std::string> {
                auto plan = plan_clone(config, a.name, attack);
                if (!plan) return std::unexpected(std::move(plan.error()));
                return {};
            },
            a.attack);
        if (!ok) return ok;
    }
    // Two clones on one node, or a clone on another clone's cloned validator, is not a plan.
    std::set<net::NodeId> clone_nodes;
    for (const AdversaryConfig& a : config.adversaries) {
        if (const auto* c = std::get_if<CloneAttack>(&a.attack)) {
            const ClonePlan plan = plan_clone(config, a.name, *c).value();
            if (!clone_nodes.insert(plan.clone_node).second)
                return std::unexpected("adversaries[" + a.name + "].clone_node: node " +
                                       std::to_string(plan.clone_node) + " runs another clone already");
        }
    }
    return {};
}

Adversaries::Adversaries(const WorldConfig& config) : config_(config) {
    for (const AdversaryConfig& a : config.adversaries) {
        plans_.push_back(std::visit(
            [&](const auto& attack) -> std::variant<ClonePlan> {
                return plan_clone(config, a.name, attack).value();
            },
            a.attack));
    }
}

std::unique_ptr<Host> Adversaries::make_host(HostSetup& setup) const {
    for (const auto& plan : plans_) {
        if (const auto* c = std::get_if<ClonePlan>(&plan); c && c->clone_node == setup.node) {
            return std::make_unique<CloneHost>(std::move(setup.config), validator_key(config_, c->validator),
                                               setup.genesis, setup.cache, std::move(setup.rng));
        }
    }
    return nullptr;
}

void Adversaries::add_workloads(const WorldContext& context,
                                std::vector<std::unique_ptr<Workload>>& out) const {
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        const AdversaryConfig& a = config_.adversaries[i];
        if (const auto* c = std::get_if<CloneAttack>(&a.attack)) {
            out.push_back(
                std::make_unique<CloneAttackWorkload>(context, a.name, *c, std::get<ClonePlan>(plans_[i])));
        }
    }
}

}  // namespace cl::sim::world
