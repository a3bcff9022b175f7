#include "sim/world/adversary/adversaries.hpp"

#include <set>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/host/honest_node.hpp"

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
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, CloneAttack>) return "clone";
            if constexpr (std::is_same_v<A, SpamConfig>) return "spam";
            if constexpr (std::is_same_v<A, PrivateForkAttack>) return "private_fork";
            if constexpr (std::is_same_v<A, EquivocationAttack>) return "equivocation";
            if constexpr (std::is_same_v<A, CensorshipAttack>) return "censorship";
            if constexpr (std::is_same_v<A, GovernanceCaptureAttack>) return "governance_capture";
            if constexpr (std::is_same_v<A, EclipseAttack>) return "eclipse";
        },
        adversary.attack);
}

namespace {

// One adversary's plan: what make_host and add_workloads need, or why there is none.
std::expected<Adversaries::Plan, std::string> plan(const WorldConfig& config, const AdversaryConfig& a) {
    return std::visit(
        [&](const auto& attack) -> std::expected<Adversaries::Plan, std::string> {
            using A = std::decay_t<decltype(attack)>;
            if constexpr (std::is_same_v<A, CloneAttack>) {
                auto p = plan_clone(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else if constexpr (std::is_same_v<A, EquivocationAttack>) {
                auto p = plan_equivocation(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else if constexpr (std::is_same_v<A, CensorshipAttack>) {
                auto p = plan_censorship(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else if constexpr (std::is_same_v<A, PrivateForkAttack>) {
                auto p = plan_private_fork(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else if constexpr (std::is_same_v<A, GovernanceCaptureAttack>) {
                auto p = plan_governance_capture(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else if constexpr (std::is_same_v<A, EclipseAttack>) {
                auto p = plan_eclipse(config, a.name, attack);
                if (!p) return std::unexpected(std::move(p.error()));
                return *p;
            } else {
                if (auto bad = check_spam(config, a.name, attack)) return std::unexpected(std::move(*bad));
                return std::monostate{};
            }
        },
        a.attack);
}

}  // namespace

std::expected<void, std::string> Adversaries::check(const WorldConfig& config) {
    std::set<std::string> names;
    std::set<net::NodeId> clone_nodes, colluders;
    for (const AdversaryConfig& a : config.adversaries) {
        if (!names.insert(a.name).second)
            return std::unexpected("adversaries[" + a.name + "].name: used by another adversary");
        auto p = plan(config, a);
        if (!p) return std::unexpected(std::move(p.error()));
        // One adversary's host per node: two clones on one node, or a validator in two
        // private forks or equivocating too, is not a plan.
        if (const auto* c = std::get_if<ClonePlan>(&*p); c && !clone_nodes.insert(c->clone_node).second) {
            return std::unexpected("adversaries[" + a.name + "].clone_node: node " +
                                   std::to_string(c->clone_node) + " runs another clone already");
        }
        if (const auto* f = std::get_if<PrivateForkPlan>(&*p)) {
            for (net::NodeId v : f->colluders) {
                if (!colluders.insert(v).second) {
                    return std::unexpected("adversaries[" + a.name + "].validators: " +
                                           config.clouds[v].name + " runs another adversary's host already");
                }
            }
        }
        if (const auto* c = std::get_if<CensorshipPlan>(&*p)) {
            for (std::size_t v = 0; v < c->colluder.size(); ++v) {
                if (c->colluder[v] && !colluders.insert(static_cast<net::NodeId>(v)).second) {
                    return std::unexpected("adversaries[" + a.name + "].validators: " +
                                           config.clouds[v].name + " runs another adversary's host already");
                }
            }
        }
        if (const auto* e = std::get_if<EquivocationPlan>(&*p); e && !colluders.insert(e->node).second) {
            return std::unexpected("adversaries[" + a.name + "].validator: " + config.clouds[e->node].name +
                                   " runs another adversary's host already");
        }
    }
    return {};
}

Adversaries::Adversaries(const WorldConfig& config) : config_(config) {
    for (const AdversaryConfig& a : config.adversaries) plans_.push_back(plan(config, a).value());
}

std::unique_ptr<Host> Adversaries::make_host(HostSetup& setup) const {
    // Votes first: they configure whatever host the node runs.
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        if (const auto* g = std::get_if<GovernanceCapturePlan>(&plans_[i])) {
            governance_capture_config(config_, setup.node, setup.config, *g,
                                      std::get<GovernanceCaptureAttack>(config_.adversaries[i].attack));
        }
    }
    for (std::size_t i = 0; i < plans_.size(); ++i) {
        const Plan& p = plans_[i];
        if (const auto* c = std::get_if<ClonePlan>(&p); c && c->clone_node == setup.node) {
            return std::make_unique<CloneHost>(std::move(setup.config), validator_key(config_, c->validator),
                                               setup.genesis, setup.cache, std::move(setup.rng));
        }
        if (const auto* e = std::get_if<EquivocationPlan>(&p); e && e->node == setup.node) {
            const auto& attack = std::get<EquivocationAttack>(config_.adversaries[i].attack);
            const node::Nanos from =
                std::chrono::seconds(config_.genesis_time) + std::chrono::nanoseconds(attack.from.nanos());
            return std::make_unique<EquivocatorHost>(std::move(setup.config), setup.genesis, setup.cache,
                                                     std::move(setup.rng),
                                                     RandomStreams(config_.seed, config_.replication)
                                                         .stream("adversary/" + config_.adversaries[i].name),
                                                     attack.probability, from);
        }
        if (const auto* c = std::get_if<CensorshipPlan>(&p); c && c->colluder[setup.node]) {
            // A censor is an honest node running a filtering miner policy.
            censoring_config(setup.config, *c, std::get<CensorshipAttack>(config_.adversaries[i].attack),
                             config_.genesis_time);
            return std::make_unique<HonestNode>(std::move(setup.config), setup.genesis, setup.cache,
                                                std::move(setup.rng));
        }
        if (const auto* f = std::get_if<PrivateForkPlan>(&p); f && f->colluder[setup.node]) {
            return std::make_unique<PrivateForkHost>(std::move(setup.config), setup.genesis, setup.cache,
                                                     std::move(setup.rng), f->colluder, f->audience);
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
        } else if (const auto* s = std::get_if<SpamConfig>(&a.attack)) {
            out.push_back(std::make_unique<Spam>(context, a.name, *s));
        } else if (const auto* e = std::get_if<EquivocationAttack>(&a.attack)) {
            out.push_back(std::make_unique<EquivocationWorkload>(context, a.name, *e,
                                                                 std::get<EquivocationPlan>(plans_[i])));
        } else if (const auto* cs = std::get_if<CensorshipAttack>(&a.attack)) {
            out.push_back(std::make_unique<CensorshipWorkload>(context, a.name, *cs,
                                                               std::get<CensorshipPlan>(plans_[i])));
        } else if (const auto* f = std::get_if<PrivateForkAttack>(&a.attack)) {
            out.push_back(std::make_unique<PrivateForkWorkload>(context, a.name, *f,
                                                                std::get<PrivateForkPlan>(plans_[i])));
        } else if (const auto* g = std::get_if<GovernanceCaptureAttack>(&a.attack)) {
            out.push_back(std::make_unique<GovernanceCaptureWorkload>(
                context, a.name, *g, std::get<GovernanceCapturePlan>(plans_[i])));
        } else if (const auto* ec = std::get_if<EclipseAttack>(&a.attack)) {
            out.push_back(
                std::make_unique<EclipseWorkload>(context, a.name, *ec, std::get<EclipsePlan>(plans_[i])));
        }
    }
}

}  // namespace cl::sim::world
