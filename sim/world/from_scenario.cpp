#include "sim/world/from_scenario.hpp"

#include <algorithm>
#include <limits>

#include "sim/net/generators.hpp"
#include "sim/net/import.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::sim::world {
namespace {

using scenario::Scenario;

std::expected<net::RegionModel, std::string> region_model(const Scenario& s) {
    const auto& r = s.network.regions;
    auto model = r.file.empty() ? net::load_region_model_text(scenario::embedded_regions_text(),
                                                              "data/regions.yaml (embedded)", r.dataset)
                                : net::load_region_model(r.file, r.dataset);
    if (!model) return std::unexpected("network.regions: " + model.error().to_string());
    return *model;
}

std::uint16_t region_index(const net::RegionModel& model, const std::string& name) {
    const auto it = std::find(model.regions.begin(), model.regions.end(), name);
    return static_cast<std::uint16_t>(it == model.regions.end() ? 0 : it - model.regions.begin());
}

std::expected<net::Topology, std::string> topology(const Scenario& s, const net::RegionModel& model,
                                                   RandomStream& rng) {
    const auto& t = s.network.topology;
    const std::size_t n = s.node_count();
    net::Topology topo;
    if (t.kind == scenario::TopologyKind::kRegions) {
        std::vector<std::uint16_t> validator_regions;
        for (const auto& c : s.clouds) validator_regions.push_back(region_index(model, c.region));
        std::vector<double> weights = model.node_share;
        return make_world_topology(s.clouds.size(), validator_regions, s.network.full_nodes, weights,
                                   t.degree, model, rng);
    }
    if (t.kind == scenario::TopologyKind::kFile) {
        auto loaded = net::load_topology(t.file);
        if (!loaded) return std::unexpected("network.topology.file: " + loaded.error().to_string());
        if (loaded->node_count() != n) {
            return std::unexpected("network.topology.file: " + t.file + " has " +
                                   std::to_string(loaded->node_count()) + " nodes, the scenario " +
                                   std::to_string(n) + " (clouds + full_nodes)");
        }
        topo = std::move(*loaded);
    } else {
        net::TopologySpec spec;
        switch (t.kind) {
            case scenario::TopologyKind::kRandomRegular:
                spec.kind = net::TopologyKind::kRandomRegular;
                break;
            case scenario::TopologyKind::kBarabasiAlbert:
                spec.kind = net::TopologyKind::kBarabasiAlbert;
                break;
            case scenario::TopologyKind::kErdosRenyi:
                spec.kind = net::TopologyKind::kErdosRenyi;
                break;
            case scenario::TopologyKind::kWattsStrogatz:
                spec.kind = net::TopologyKind::kWattsStrogatz;
                break;
            case scenario::TopologyKind::kComplete:
                spec.kind = net::TopologyKind::kComplete;
                break;
            default:
                spec.kind = net::TopologyKind::kRing;
        }
        spec.nodes = n;
        spec.degree = t.degree;
        spec.probability = t.probability;
        spec.link = net::LinkParams{s.network.link_latency, s.network.link_bandwidth_bps};
        auto made = net::make_topology(spec, rng);
        if (!made) return std::unexpected("network.topology: " + made.error().to_string());
        topo = std::move(*made);
    }
    if (topo.region_names().empty()) {
        // Without geography every node is in one region, named after the topology.
        topo.set_regions({"all"}, std::vector<std::uint16_t>(n, 0));
    }
    return topo;
}

std::vector<net::NodeId> select(const Scenario& s, const net::Topology& topo,
                                const scenario::NodeSelector& sel) {
    std::vector<net::NodeId> out;
    const auto& regions = topo.node_regions();
    for (std::uint32_t node = 0; node < s.node_count(); ++node) {
        const std::size_t region =
            node < regions.size() ? regions[node] : std::numeric_limits<std::size_t>::max();
        if (scenario::matches(sel, s, node, region)) out.push_back(node);
    }
    return out;
}

}  // namespace

std::expected<WorldConfig, std::string> world_config(const Scenario& s, std::uint64_t replication) {
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
            if (nodes.empty())
                return std::unexpected(key + ".node: '" + f.crash.node.text + "' matches no node");
            for (net::NodeId n : nodes) c.crashes.push_back(Crash{n, f.crash.at, f.crash.restart_at});
        } else if (f.kind == scenario::FaultSpec::Kind::kPartition) {
            net::PartitionSpec p;
            p.name = key;
            p.start = f.partition.from;
            p.end = f.partition.to;
            for (const auto& group : f.partition.groups) {
                std::vector<net::NodeId> members;
                for (const auto& sel : group) {
                    for (net::NodeId n : select(s, c.topology, sel)) {
                        if (std::find(members.begin(), members.end(), n) == members.end())
                            members.push_back(n);
                    }
                }
                std::sort(members.begin(), members.end());
                p.groups.push_back(std::move(members));
            }
            c.partitions.push_back(std::move(p));
        } else {
            const auto& loss = f.link_loss;
            if (loss.loss < 1.0) {
                return std::unexpected(key +
                                       ".loss: partial loss on selected links is not simulated yet; use 1 "
                                       "(link failure) or network.loss");
            }
            const auto a = select(s, c.topology, loss.a);
            const auto b = select(s, c.topology, loss.b);
            for (net::NodeId x : a) {
                for (net::NodeId y : c.topology.neighbours(x)) {
                    if (std::find(b.begin(), b.end(), y) != b.end()) {
                        c.link_failures.push_back(LinkFailure{x, y, loss.from, loss.to});
                    }
                }
            }
        }
    }

    for (const auto& cloud : s.clouds)
        c.clouds.push_back(CloudSpec{cloud.name, region_index(*model, cloud.region), cloud.quotas});
    c.tiers = s.pool.tiers;
    c.pool = scenario::to_pool_config(s);
    c.clique = scenario::to_clique_config(s);
    c.txpool = scenario::to_txpool_config(s);
    c.cpu = CpuCosts{s.cpu.verify_header, s.cpu.execute_tx, s.cpu.verify_tx};

    const std::vector<double> rates = scenario::arrival_rates_per_second(s);
    double total = 0;
    for (double r : rates) total += r;
    c.users.requests_per_second = total;
    if (c.topology.region_names().size() == rates.size()) {
        c.users.region_weights = rates;
    }
    c.users.tier_mix = s.workload.users.tier_mix;
    c.users.transfer_probability = s.workload.users.transfer_probability;
    c.users.redeem_delay_mean = s.workload.users.redeem_delay;
    c.users.redeem_probability = s.workload.users.redeem_probability;
    c.users.double_present_probability = s.workload.users.double_present_probability;
    c.users.rerequest_probability = s.workload.users.rerequest_probability;
    c.users.rerequest_delay_mean = s.workload.users.rerequest_delay;
    c.users.max_attempts = s.workload.users.max_attempts;
    c.cloud_behaviour.screening_delay = s.workload.clouds.screening_delay;
    c.cloud_behaviour.pass_probability = s.workload.clouds.pass_probability;
    c.cloud_behaviour.confirmations = s.workload.clouds.confirmations;
    c.sample_interval = s.outputs.sample_interval;
    return c;
}

}  // namespace cl::sim::world
