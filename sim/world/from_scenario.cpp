#include "sim/world/from_scenario.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "protocol/core/assert.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/import.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/adversary/censorship.hpp"
#include "sim/world/adversary/clone.hpp"
#include "sim/world/adversary/eclipse.hpp"
#include "sim/world/adversary/equivocation.hpp"
#include "sim/world/adversary/governance_capture.hpp"
#include "sim/world/adversary/private_fork.hpp"
#include "sim/world/governance.hpp"

namespace cl::sim::world {
namespace {

using scenario::NodeSelector;
using scenario::Scenario;

std::unexpected<WorldConfigError> error(std::string key, std::string message, scenario::SourcePos pos = {}) {
    return std::unexpected(WorldConfigError{std::move(key), std::move(message), pos});
}

std::expected<net::RegionModel, WorldConfigError> region_model(const Scenario& s) {
    const auto& r = s.network.regions;
    auto model = r.file.empty() ? net::load_region_model_text(scenario::embedded_regions_text(),
                                                              "data/regions.yaml (embedded)", r.dataset)
                                : net::load_region_model(r.file, r.dataset);
    if (!model) return error("network.regions", model.error().to_string());
    return *model;
}

std::uint16_t region_index(const net::RegionModel& model, const std::string& name) {
    const auto it = std::find(model.regions.begin(), model.regions.end(), name);
    return static_cast<std::uint16_t>(it == model.regions.end() ? 0 : it - model.regions.begin());
}

std::expected<net::Topology, WorldConfigError> topology(const Scenario& s, const net::RegionModel& model,
                                                        RandomStream& rng) {
    const auto& t = s.network.topology;
    const std::size_t n = s.node_count();
    net::Topology topo;
    if (t.kind == scenario::TopologyKind::kRegions) {
        std::vector<std::uint16_t> validator_regions;
        for (const auto& c : s.clouds) validator_regions.push_back(region_index(model, c.region));
        // Validators in their clouds' regions, full nodes by the dataset's node shares.
        return net::regions_graph(n, t.degree, model, validator_regions, model.node_share, rng);
    }
    if (t.kind == scenario::TopologyKind::kFile) {
        // docs/scenarios.md: link_latency is the latency of links the file gives none (nor
        // coordinates), link_bandwidth caps every link.
        net::ImportOptions options;
        options.default_link = net::LinkParams{s.network.link_latency, 0};
        options.bandwidth_cap_bps = s.network.link_bandwidth_bps;
        auto loaded = net::load_topology(t.file, options);
        if (!loaded) return error("network.topology.file", loaded.error().to_string());
        if (loaded->node_count() != n) {
            return error("network.topology.file", t.file + " has " + std::to_string(loaded->node_count()) +
                                                      " nodes, the scenario " + std::to_string(n) +
                                                      " (clouds + full_nodes)");
        }
        topo = std::move(*loaded);
    } else {
        net::TopologySpec spec;
        spec.kind = t.kind;
        spec.nodes = n;
        spec.degree = t.degree;
        spec.probability = t.probability;
        spec.link = net::LinkParams{s.network.link_latency, s.network.link_bandwidth_bps};
        auto made = net::make_topology(spec, rng);
        if (!made) return error("network.topology", made.error().to_string());
        topo = std::move(*made);
    }
    if (topo.region_names().empty()) {
        // Without geography every node is in one region, named after the topology.
        topo.set_regions({"all"}, std::vector<std::uint16_t>(n, 0));
    }
    return topo;
}

// A node's region as selectors see it: the topology's, by name, as an index into the
// dataset's regions (none, max(): a topology without geography places full nodes in no
// region of the dataset). Validators are in their cloud's region whatever this says.
std::size_t topology_region(const Scenario& s, const net::Topology& topo, std::uint32_t node) {
    const auto& regions = topo.node_regions();
    const auto& names = s.network.regions.names;
    if (node < regions.size() && regions[node] < topo.region_names().size()) {
        const auto it = std::find(names.begin(), names.end(), topo.region_names()[regions[node]]);
        if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    }
    return std::numeric_limits<std::size_t>::max();
}

// The nodes a selector picks, in node order.
std::vector<net::NodeId> select(const Scenario& s, const net::Topology& topo, const NodeSelector& sel) {
    std::vector<net::NodeId> out;
    for (std::uint32_t node = 0; node < s.node_count(); ++node) {
        if (scenario::matches(sel, s, node, topology_region(s, topo, node))) out.push_back(node);
    }
    return out;
}

// The results' `nodes` table (docs/metrics.md): the file's name of each node, else
// "validator:CLOUD" / "full:I" (the selector that picks it alone); the region that
// `region:NAME` selects it by.
std::vector<NodeInfo> node_table(const Scenario& s, const net::Topology& topo) {
    std::vector<NodeInfo> nodes(s.node_count());
    const auto& names = topo.node_names();
    for (std::uint32_t node = 0; node < nodes.size(); ++node) {
        NodeInfo& info = nodes[node];
        const bool validator = node < s.clouds.size();
        if (node < names.size() && !names[node].empty()) {
            info.name = names[node];
        } else {
            info.name = validator ? "validator:" + s.clouds[node].name
                                  : "full:" + std::to_string(node - s.clouds.size());
        }
        if (validator) {
            info.cloud = node;
            info.region = s.clouds[node].region;
        } else if (const std::size_t r = topology_region(s, topo, node); r < s.network.regions.names.size()) {
            info.region = s.network.regions.names[r];
        }
    }
    return nodes;
}

// "validator:ovh (node 0)", "full:3 (node 7)".
std::string describe_node(const Scenario& s, net::NodeId n) {
    const std::string what =
        n < s.clouds.size() ? "validator:" + s.clouds[n].name : "full:" + std::to_string(n - s.clouds.size());
    return what + " (node " + std::to_string(n) + ")";
}

std::string no_node_note(const Scenario& s, const NodeSelector& sel) {
    if (sel.kind == NodeSelector::Kind::kRegion) {
        return s.network.topology.kind == scenario::TopologyKind::kRegions
                   ? " (no cloud is in that region and the topology placed no full node there)"
                   : std::string(" (no cloud is in that region, and a ") +
                         scenario::to_string(s.network.topology.kind) +
                         " topology places full nodes in no region)";
    }
    return "";
}

// A partition's groups resolved to nodes: non-empty and disjoint, or the error naming the
// selector that breaks it.
std::expected<std::vector<std::vector<net::NodeId>>, WorldConfigError> partition_groups(
    const Scenario& s, const net::Topology& topo, const scenario::PartitionFault& f, const std::string& key) {
    struct Owner {
        std::size_t group, selector;
    };
    std::vector<std::optional<Owner>> owner(s.node_count());
    std::vector<std::vector<net::NodeId>> groups;
    for (std::size_t g = 0; g < f.groups.size(); ++g) {
        const std::string group_key = key + ".groups[" + std::to_string(g) + "]";
        std::vector<net::NodeId> members;
        for (std::size_t k = 0; k < f.groups[g].size(); ++k) {
            const NodeSelector& sel = f.groups[g][k];
            for (net::NodeId n : select(s, topo, sel)) {
                if (owner[n] && owner[n]->group != g) {
                    const NodeSelector& other = f.groups[owner[n]->group][owner[n]->selector];
                    return error(group_key + "[" + std::to_string(k) + "]",
                                 "'" + sel.text + "' selects " + describe_node(s, n) + ", which '" +
                                     other.text + "' in groups[" + std::to_string(owner[n]->group) +
                                     "] selects too (a node can be in one group only)",
                                 sel.pos);
                }
                if (!owner[n]) {
                    owner[n] = Owner{g, k};
                    members.push_back(n);
                }
            }
        }
        if (members.empty()) {
            const NodeSelector& first = f.groups[g].front();
            std::string why = "'" + first.text + "' matches no node" + no_node_note(s, first);
            if (f.groups[g].size() > 1) {
                why = "none of ";
                for (std::size_t k = 0; k < f.groups[g].size(); ++k)
                    why += (k == 0 ? "'" : ", '") + f.groups[g][k].text + "'";
                why += " matches a node";
            }
            return error(group_key, "the group is empty: " + why, first.pos);
        }
        std::sort(members.begin(), members.end());
        groups.push_back(std::move(members));
    }
    return groups;
}

// Each node's fork-choice rule (docs/scenarios.md "Clients"): its cloud's `client` or
// `fork_choice`, else that of the consensus.clients entry selecting it, else
// consensus.fork_choice. An entry's selector that matches no node, or a node that two
// entries select, is an error naming the selector.
std::expected<std::vector<clique::ForkChoiceRule>, WorldConfigError> fork_choices(const Scenario& s,
                                                                                  const net::Topology& topo) {
    std::vector<clique::ForkChoiceRule> rules(s.node_count(), s.consensus.fork_choice);
    struct Owner {
        std::size_t entry, selector;
    };
    std::vector<std::optional<Owner>> owner(s.node_count());
    for (std::size_t i = 0; i < s.clients.size(); ++i) {
        const scenario::ClientAssignment& a = s.clients[i];
        const std::string key = "consensus.clients[" + std::to_string(i) + "].nodes";
        for (std::size_t k = 0; k < a.nodes.size(); ++k) {
            const NodeSelector& sel = a.nodes[k];
            const std::string sel_key = a.nodes_listed ? key + "[" + std::to_string(k) + "]" : key;
            const auto nodes = select(s, topo, sel);
            if (nodes.empty())
                return error(sel_key, "'" + sel.text + "' matches no node" + no_node_note(s, sel), sel.pos);
            for (net::NodeId n : nodes) {
                if (owner[n] && owner[n]->entry != i) {
                    const NodeSelector& other = s.clients[owner[n]->entry].nodes[owner[n]->selector];
                    return error(sel_key,
                                 "'" + sel.text + "' selects " + describe_node(s, n) + ", which '" +
                                     other.text + "' in consensus.clients[" +
                                     std::to_string(owner[n]->entry) +
                                     "] selects too (a node runs one client)",
                                 sel.pos);
                }
                owner[n] = Owner{i, k};
                rules[n] = a.fork_choice;
            }
        }
    }
    for (std::size_t c = 0; c < s.clouds.size(); ++c) {
        if (s.clouds[c].fork_choice) rules[scenario::validator_node(c)] = *s.clouds[c].fork_choice;
    }
    return rules;
}

}  // namespace

scenario::ScenarioError to_scenario_error(const Scenario& s, const WorldConfigError& e) {
    return scenario::error_at(s.source_file.empty() ? "scenario '" + s.name + "'" : s.source_file, e.pos,
                              e.key, e.message);
}

std::expected<CheckedConfig, WorldConfigError> checked_world_config(const Scenario& s,
                                                                    std::uint64_t replication) {
    auto config = world_config(s, replication);
    if (!config) return std::unexpected(std::move(config.error()));
    auto checked = World::check(std::move(*config));
    if (!checked) return std::unexpected(WorldConfigError{"", std::move(checked.error()), {}});
    return std::move(*checked);
}

std::expected<std::vector<CheckedConfig>, WorldConfigError> check_world(const Scenario& s) {
    std::vector<CheckedConfig> checked;
    checked.reserve(s.replications);
    for (std::uint64_t rep = 0; rep < s.replications; ++rep) {
        auto config = checked_world_config(s, rep);
        if (!config) {
            WorldConfigError failed = std::move(config.error());
            if (s.replications > 1) failed.message += " (replication " + std::to_string(rep) + ")";
            return std::unexpected(std::move(failed));
        }
        checked.push_back(std::move(*config));
    }
    return checked;
}

namespace {

std::size_t cloud_index(const Scenario& s, const std::string& name) {
    for (std::size_t i = 0; i < s.clouds.size(); ++i)
        if (s.clouds[i].name == name) return i;
    CL_ASSERT(false && "the loader checked the cloud names");
    return 0;
}

// `clone`: names → indices, planned once against this replication's topology and keys
// (adversary/clone.hpp). `clone_nodes` holds the nodes earlier clones run on.
std::expected<CloneAttack, std::string> clone_attack(const Scenario& s, const WorldConfig& c,
                                                     const std::string& name,
                                                     const scenario::CloneSpec& clone,
                                                     std::vector<net::NodeId>& clone_nodes) {
    CloneAttack attack;
    attack.validator = cloud_index(s, clone.validator);
    attack.next_in_turn = clone.next_in_turn;
    for (const std::string& n : clone.attacker) attack.attacker.push_back(cloud_index(s, n));
    for (const std::string& n : clone.victim) attack.victim.push_back(cloud_index(s, n));
    if (clone.clone_node) attack.clone_node = scenario::full_node(s, *clone.clone_node);
    attack.from = clone.from;
    attack.duration = clone.duration;
    auto plan = plan_clone(c, name, attack);
    if (!plan) return std::unexpected(std::move(plan.error()));
    if (std::find(clone_nodes.begin(), clone_nodes.end(), plan->clone_node) != clone_nodes.end())
        return std::unexpected("node " + std::to_string(plan->clone_node) + " runs another clone already");
    clone_nodes.push_back(plan->clone_node);
    return attack;
}

// `spam`: its entry selectors resolved against the topology (sorted, each node once).
std::expected<SpamConfig, WorldConfigError> spam_config(const Scenario& s, const WorldConfig& c,
                                                        const std::string& key,
                                                        const scenario::SpamSpec& spam) {
    SpamConfig out = spam.config;
    for (std::size_t k = 0; k < spam.entry.size(); ++k) {
        const scenario::NodeSelector& sel = spam.entry[k];
        const auto nodes = select(s, c.topology, sel);
        if (nodes.empty()) {
            return std::unexpected(
                WorldConfigError{key + ".entry[" + std::to_string(k) + "]",
                                 "'" + sel.text + "' matches no node" + no_node_note(s, sel), sel.pos});
        }
        out.entry.insert(out.entry.end(), nodes.begin(), nodes.end());
    }
    std::sort(out.entry.begin(), out.entry.end());
    out.entry.erase(std::unique(out.entry.begin(), out.entry.end()), out.entry.end());
    return out;
}

// `eclipse`: its victim selectors resolved against the topology (sorted, each node once),
// planned against the adversaries before it (its branch is one of them).
std::expected<EclipseAttack, WorldConfigError> eclipse_attack(const Scenario& s, const WorldConfig& c,
                                                              const std::string& key, const std::string& name,
                                                              const scenario::EclipseSpec& ec,
                                                              const scenario::SourcePos& pos) {
    EclipseAttack attack;
    for (std::size_t k = 0; k < ec.victims.size(); ++k) {
        const scenario::NodeSelector& sel = ec.victims[k];
        const auto nodes = select(s, c.topology, sel);
        if (nodes.empty()) {
            return std::unexpected(
                WorldConfigError{key + ".victims[" + std::to_string(k) + "]",
                                 "'" + sel.text + "' matches no node" + no_node_note(s, sel), sel.pos});
        }
        attack.victims.insert(attack.victims.end(), nodes.begin(), nodes.end());
    }
    std::sort(attack.victims.begin(), attack.victims.end());
    attack.victims.erase(std::unique(attack.victims.begin(), attack.victims.end()), attack.victims.end());
    attack.mode = ec.mode;
    attack.delay = ec.delay;
    attack.branch = ec.branch;
    attack.from = ec.from;
    attack.to = ec.to.value_or(Time::max());
    if (auto plan = plan_eclipse(c, name, attack); !plan) {
        return std::unexpected(WorldConfigError{key, std::move(plan.error()), pos});
    }
    return attack;
}

// The scenario's adversaries as the world runs them, in scenario order: an error names the
// item (adversaries[i]) and its position.
std::expected<void, WorldConfigError> adversaries(const Scenario& s, WorldConfig& c) {
    std::vector<net::NodeId> clone_nodes;
    for (std::size_t i = 0; i < s.adversaries.size(); ++i) {
        const scenario::AdversarySpec& spec = s.adversaries[i];
        const std::string key = "adversaries[" + std::to_string(i) + "]";
        AdversaryConfig a;
        a.name = spec.name;
        if (const auto* clone = std::get_if<scenario::CloneSpec>(&spec.attack)) {
            auto attack = clone_attack(s, c, spec.name, *clone, clone_nodes);
            if (!attack) return std::unexpected(WorldConfigError{key, std::move(attack.error()), spec.pos});
            a.attack = std::move(*attack);
        } else if (const auto* eq = std::get_if<scenario::EquivocationSpec>(&spec.attack)) {
            const EquivocationAttack attack{cloud_index(s, eq->validator), eq->probability, eq->from};
            if (auto plan = plan_equivocation(c, spec.name, attack); !plan)
                return std::unexpected(WorldConfigError{key, std::move(plan.error()), spec.pos});
            a.attack = attack;
        } else if (const auto* cs = std::get_if<scenario::CensorshipSpec>(&spec.attack)) {
            CensorshipAttack attack;
            for (const std::string& v : cs->validators) attack.validators.push_back(cloud_index(s, v));
            for (const std::string& v : cs->clouds) attack.clouds.push_back(cloud_index(s, v));
            std::sort(attack.validators.begin(), attack.validators.end());
            std::sort(attack.clouds.begin(), attack.clouds.end());
            attack.users = cs->users;
            attack.kinds = cs->kinds;
            attack.relay = cs->relay;
            attack.from = cs->from;
            attack.to = cs->to.value_or(Time::max());
            if (auto plan = plan_censorship(c, spec.name, attack); !plan)
                return std::unexpected(WorldConfigError{key, std::move(plan.error()), spec.pos});
            a.attack = attack;
        } else if (const auto* fork = std::get_if<scenario::PrivateForkSpec>(&spec.attack)) {
            PrivateForkAttack attack;
            for (const std::string& v : fork->validators) attack.validators.push_back(cloud_index(s, v));
            std::sort(attack.validators.begin(), attack.validators.end());
            attack.from = fork->from;
            attack.release = fork->release;
            attack.release_at = fork->release_at;
            if (auto plan = plan_private_fork(c, spec.name, attack); !plan)
                return std::unexpected(WorldConfigError{key, std::move(plan.error()), spec.pos});
            a.attack = std::move(attack);
        } else if (const auto* gc = std::get_if<scenario::GovernanceCaptureSpec>(&spec.attack)) {
            GovernanceCaptureAttack attack;
            for (const std::string& v : gc->validators) attack.validators.push_back(cloud_index(s, v));
            std::sort(attack.validators.begin(), attack.validators.end());
            attack.goal = gc->goal;
            if (gc->goal == GovernanceCaptureAttack::Goal::kRemove) {
                attack.target = cloud_index(s, gc->target);
            } else {
                attack.identity = gc->target;
            }
            attack.from = gc->from;
            attack.honest_counter_votes = gc->honest_counter_votes;
            if (auto plan = plan_governance_capture(c, spec.name, attack); !plan)
                return std::unexpected(WorldConfigError{key, std::move(plan.error()), spec.pos});
            a.attack = std::move(attack);
        } else if (const auto* spam = std::get_if<scenario::SpamSpec>(&spec.attack)) {
            auto config = spam_config(s, c, key, *spam);
            if (!config) return std::unexpected(std::move(config.error()));
            a.attack = std::move(*config);
        } else if (const auto* ec = std::get_if<scenario::EclipseSpec>(&spec.attack)) {
            auto attack = eclipse_attack(s, c, key, spec.name, *ec, spec.pos);
            if (!attack) return std::unexpected(std::move(attack.error()));
            a.attack = std::move(*attack);
        }
        c.adversaries.push_back(std::move(a));
    }
    return {};
}

}  // namespace

std::expected<WorldConfig, WorldConfigError> world_config(const Scenario& s, std::uint64_t replication) {
    WorldConfig c;
    c.name = s.name;
    c.seed = s.seed;
    c.replication = replication;
    c.duration = s.duration;
    auto model = region_model(s);
    if (!model) return std::unexpected(model.error());
    RandomStream rng = RandomStreams(s.seed, replication).stream("topology");
    auto topo = topology(s, *model, rng);
    if (!topo) return std::unexpected(topo.error());
    c.topology = std::move(*topo);
    c.nodes = node_table(s, c.topology);
    c.network = scenario::to_network_config(s);
    if (s.network.validator_upload_bps) {
        std::vector<std::uint64_t> upload(s.node_count(), s.network.upload_bps);
        std::fill_n(upload.begin(), s.clouds.size(), *s.network.validator_upload_bps);
        c.topology.set_node_upload_bps(std::move(upload));
    }

    for (std::size_t i = 0; i < s.faults.size(); ++i) {
        const scenario::FaultSpec& f = s.faults[i];
        const std::string key = "faults[" + std::to_string(i) + "]";
        if (f.kind == scenario::FaultSpec::Kind::kCrash) {
            const auto nodes = select(s, c.topology, f.crash.node);
            if (nodes.empty()) {
                return error(key + ".node",
                             "'" + f.crash.node.text + "' matches no node" + no_node_note(s, f.crash.node),
                             f.crash.node.pos);
            }
            for (net::NodeId n : nodes) c.crashes.push_back(Crash{n, f.crash.at, f.crash.restart_at});
        } else if (f.kind == scenario::FaultSpec::Kind::kPartition) {
            auto groups = partition_groups(s, c.topology, f.partition, key);
            if (!groups) return std::unexpected(groups.error());
            c.partitions.push_back(
                net::PartitionSpec{key, std::move(*groups), f.partition.from, f.partition.to});
        } else {
            // Every link between a node of `a` and one of `b`, once (either way round).
            const auto& loss = f.link_loss;
            const auto a = select(s, c.topology, loss.a);
            const auto b = select(s, c.topology, loss.b);
            for (const auto& [nodes, sel, end] : {std::tuple{&a, &loss.a, 0}, std::tuple{&b, &loss.b, 1}}) {
                if (nodes->empty()) {
                    return error(key + ".between[" + std::to_string(end) + "]",
                                 "'" + sel->text + "' matches no node" + no_node_note(s, *sel), sel->pos);
                }
            }
            std::vector<bool> in_b(s.node_count(), false);
            for (net::NodeId y : b) in_b[y] = true;
            std::vector<std::pair<net::NodeId, net::NodeId>> links;
            for (net::NodeId x : a) {
                for (net::NodeId y : c.topology.neighbours(x)) {
                    if (in_b[y]) links.emplace_back(std::min(x, y), std::max(x, y));
                }
            }
            std::sort(links.begin(), links.end());
            links.erase(std::unique(links.begin(), links.end()), links.end());
            if (links.empty()) {
                return error(key + ".between",
                             "no link joins a node of '" + loss.a.text + "' to one of '" + loss.b.text +
                                 "' in this topology",
                             f.pos);
            }
            for (const auto& [x, y] : links) {
                if (loss.loss >= 1.0) {
                    c.link_failures.push_back(LinkFailure{x, y, loss.from, loss.to});
                } else if (loss.loss > 0.0) {
                    c.link_losses.push_back(LinkLoss{x, y, loss.loss, loss.from, loss.to});
                }
            }
        }
    }

    c.checkpoints = s.checkpoints;

    auto rules = fork_choices(s, c.topology);
    if (!rules) return std::unexpected(rules.error());
    c.fork_choices = std::move(*rules);

    for (const auto& cloud : s.clouds)
        c.clouds.push_back(
            CloudSpec{cloud.name, region_index(*model, cloud.region), cloud.quotas, cloud.genesis});
    c.tiers = s.pool.tiers;
    // The scenario holds the engines' own config types (scenario.hpp): copied as they are.
    c.pool = s.pool;  // its state::PoolConfig part
    c.clique = s.consensus;
    c.txpool = scenario::node_txpool_config(s);
    c.cpu = s.cpu;

    c.users = s.workload.users;
    const std::vector<double> rates = scenario::arrival_rates_per_second(s);
    double total = 0;
    for (double r : rates) total += r;
    c.users.requests_per_second = total;
    c.users.region_weights.clear();
    if (c.topology.region_names().size() == rates.size()) {
        c.users.region_weights = rates;
    }
    c.cloud_behaviour = s.workload.clouds;
    c.sample_interval = s.outputs.sample_interval;
    if (auto bad = adversaries(s, c); !bad) return std::unexpected(std::move(bad.error()));
    for (const scenario::EventSpec& e : s.events)
        c.events.push_back(GovernanceEvent{e.kind, cloud_index(s, e.cloud), e.at});
    if (auto bad = check_events(c)) {  // the loader checked the rest: checkpoints remain
        std::string message = std::move(*bad);
        if (message.starts_with("events: ")) message.erase(0, 8);
        return std::unexpected(WorldConfigError{"events", std::move(message), s.events.front().pos});
    }
    return c;
}

}  // namespace cl::sim::world
