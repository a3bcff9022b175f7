// The generic part of the world's adversaries (shared/spec/adversaries.md §0): the
// dispatch from a WorldConfig's AdversaryConfig list to each kind's hosts and workloads.
// One file per kind beside this one (clone.hpp, spam.hpp, ...); a new kind adds an
// alternative to AdversaryConfig::attack (config.hpp) and one branch to each visitor in
// adversaries.cpp.
//
// Every attack writes one AttackRecord (results.hpp) in its workload's finish(), with
// parameters_digest() over its canonical parameters. Thread-safety: none (one world).
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/world/adversary/censorship.hpp"
#include "sim/world/adversary/clone.hpp"
#include "sim/world/adversary/eclipse.hpp"
#include "sim/world/adversary/equivocation.hpp"
#include "sim/world/adversary/governance_capture.hpp"
#include "sim/world/adversary/private_fork.hpp"
#include "sim/world/adversary/spam.hpp"
#include "sim/world/config.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {

// keccak256("cloudledger/adversary/v1" || kind || 0x00 || canonical): the attacks table's
// parameters digest. `canonical` is the kind's parameters as "key=value;" in a fixed order.
Hash32 parameters_digest(std::string_view kind, std::string_view canonical);
// The kind's name in scenarios and the attacks table ("clone", "spam", ...).
std::string_view kind_name(const AdversaryConfig& adversary);

class Adversaries {
  public:
    // What one kind planned for a run (monostate: nothing to plan).
    using Plan = std::variant<std::monostate, ClonePlan, PrivateForkPlan, EquivocationPlan, CensorshipPlan,
                              GovernanceCapturePlan, EclipsePlan>;

    // What World::check adds for adversaries: unique names, each kind's own check and
    // plan against the topology and the clouds, and no node running two clones. The
    // message names the adversary's field ("adversaries[<name>].<key>: ...").
    static std::expected<void, std::string> check(const WorldConfig& config);

    // REQUIRES: check(config) succeeded. Plans every adversary once.
    explicit Adversaries(const WorldConfig& config);

    // The host of node setup.node if an adversary runs it, else nullptr. Adversaries that
    // only configure an honest node (governance_capture's votes) change setup.config.
    std::unique_ptr<Host> make_host(HostSetup& setup) const;
    // Appends the adversaries' workloads (after the users and clouds), in config order.
    void add_workloads(const WorldContext& context, std::vector<std::unique_ptr<Workload>>& out) const;

  private:
    const WorldConfig& config_;
    std::vector<Plan> plans_;  // one per config_.adversaries entry
};

}  // namespace cl::sim::world
