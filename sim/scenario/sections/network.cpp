// `network:` — topology, regions, node count, bandwidths, latency and loss
// (docs/scenarios.md "Reference"), and the topology's check once the clouds are known.
#include <algorithm>
#include <filesystem>

#include "sim/net/generators.hpp"
#include "sim/net/import.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

constexpr std::uint64_t kMaxNodes = kMaxFullNodes;

constexpr std::array<EnumName<TopologyKind>, 8> kTopologyKinds{{
    {"regions", TopologyKind::kRegions},
    {"random_regular", TopologyKind::kRandomRegular},
    {"barabasi_albert", TopologyKind::kBarabasiAlbert},
    {"erdos_renyi", TopologyKind::kErdosRenyi},
    {"watts_strogatz", TopologyKind::kWattsStrogatz},
    {"complete", TopologyKind::kComplete},
    {"ring", TopologyKind::kRing},
    {"file", TopologyKind::kFile},
}};

constexpr std::array<EnumName<net::JitterKind>, 4> kJitterModels{{
    {"none", net::JitterKind::kNone},
    {"uniform", net::JitterKind::kUniform},
    {"exponential", net::JitterKind::kExponential},
    {"pareto", net::JitterKind::kPareto},
}};

// ---- region data ---------------------------------------------------------------------------

struct RegionData {
    std::vector<std::string> datasets;
    std::vector<std::string> names;  // of the chosen dataset; empty when unknown
};

// Dataset names (top-level keys whose value holds a `regions` list) and the regions of
// `dataset`, from a regions YAML text.
RegionData read_region_data(std::string_view text, std::string_view dataset) {
    RegionData out;
    std::vector<detail::ParseError> perr;
    const auto root = detail::parse_yaml(text, Source::kFile, 0, 0, perr);
    if (!root || !root->is_map()) return out;
    for (const Entry& e : root->entries) {
        if (!e.value.is_map()) continue;
        const Entry* regions = e.value.find("regions");
        if (regions == nullptr || !regions->value.is_sequence()) continue;
        out.datasets.push_back(e.key);
        if (e.key != dataset) continue;
        for (const Node& r : regions->value.items) {
            if (r.is_scalar()) out.names.push_back(r.text);
        }
    }
    return out;
}

void read_regions(Load& l, const Field& f);

using TopologyKey = Key<Load, TopologySpec>;

constexpr std::array<TopologyKey, 4> kTopologyKeys{{
    {"kind", [](Load& l, const Field& f, const MapReader&,
                TopologySpec& t) { get_enum(l.c, f, t.kind, kTopologyKinds); }},
    {"degree",
     [](Load& l, const Field& f, const MapReader&, TopologySpec& t) {
         l.degree_field = f;
         get_uint(l.c, f, t.degree, 1, kMaxNodes);
     }},
    {"probability", [](Load& l, const Field& f, const MapReader&,
                       TopologySpec& t) { get_probability(l.c, f, t.probability); }},
    {"file",
     [](Load& l, const Field& file, const MapReader&, TopologySpec& t) {
         if (file) {
             get_string(l.c, file, t.file);
             if (!t.file.empty()) t.file = resolve(l.c, file, t.file);
         }
     }},
}};

using LatencyKey = Key<Load, net::LatencyModel>;

constexpr std::array<LatencyKey, 3> kLatencyKeys{{
    {"model", [](Load& l, const Field& f, const MapReader&,
                 net::LatencyModel& m) { get_enum(l.c, f, m.kind, kJitterModels); }},
    {"jitter",
     [](Load& l, const Field& f, const MapReader&, net::LatencyModel& m) { get_duration(l.c, f, m.jitter); }},
    {"pareto_shape",
     [](Load& l, const Field& f, const MapReader&, net::LatencyModel& m) {
         if (const auto v = read_number(l.c, f, 1.0, true)) m.pareto_shape = *v;
     }},
}};

using NetworkKey = Key<Load, NetworkSpec>;

constexpr std::array<NetworkKey, 10> kNetworkKeys{{
    {"topology",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         l.topology.emplace(map_reader(l.c, f, kTopologyKeys));
         read_keys(l, *l.topology, kTopologyKeys, n.topology);
     }},
    {"regions", [](Load& l, const Field& f, const MapReader&, NetworkSpec&) { read_regions(l, f); }},
    {"full_nodes",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         l.full_nodes_field = f;
         const std::size_t before = l.c.count();
         get_uint(l.c, f, n.full_nodes, 1, kMaxNodes);
         l.node_count_ok = l.c.count() == before;
     }},
    {"upload_bandwidth",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         if (const auto b = read_bandwidth(l.c, f, "unlimited")) n.upload_bps = *b;
     }},
    {"validator_upload_bandwidth",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         if (const auto b = read_bandwidth(l.c, f, "unlimited")) n.validator_upload_bps = *b;
     }},
    {"link_latency",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) { get_duration(l.c, f, n.link_latency); }},
    {"link_bandwidth",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         if (const auto b = read_bandwidth(l.c, f, "off")) n.link_bandwidth_bps = *b;
     }},
    {"latency",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) {
         const MapReader lat = map_reader(l.c, f, kLatencyKeys);
         read_keys(l, lat, kLatencyKeys, n.latency);
     }},
    {"loss",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) { get_probability(l.c, f, n.loss); }},
    {"allow_reordering",
     [](Load& l, const Field& f, const MapReader&, NetworkSpec& n) { get_bool(l.c, f, n.allow_reordering); }},
}};

using RegionsKey = Key<Load, RegionsSpec>;

// `dataset` first: the file is checked for it.
constexpr std::array<RegionsKey, 2> kRegionsKeys{{
    {"file",
     [](Load& l, const Field& file, const MapReader& m, RegionsSpec& r) {
         const Field dataset = m.get("dataset");
         std::string text;
         std::string file_name = "data/regions.yaml (embedded)";
         if (file) {
             get_string(l.c, file, r.file);
             if (r.file.empty()) return;
             r.file = resolve(l.c, file, r.file);
             file_name = r.file;
             const auto contents = read_input_file(r.file, kMaxInputBytes);
             if (!contents) {
                 l.c.error(file.pos, file.key,
                           "cannot read regions file " + quote(r.file) + ": " + contents.error());
                 return;
             }
             if (const auto bad = find_bad_text(*contents)) {
                 l.c.error_in(r.file, bad->line, bad->column, file.key, bad->message);
                 return;
             }
             text = *contents;
         } else {
             text = std::string(embedded_regions_text());
         }
         const RegionData data = read_region_data(text, r.dataset);
         if (std::find(data.datasets.begin(), data.datasets.end(), r.dataset) == data.datasets.end()) {
             const Field at = dataset ? dataset : Field{nullptr, dataset.key, file ? file.pos : m.pos()};
             l.c.error(at.pos, at.key,
                       "no region dataset " + quote(r.dataset) + " in " + file_name + " (datasets: " +
                           join(data.datasets) + ")" + did_you_mean(r.dataset, data.datasets));
             return;
         }
         if (!r.file.empty()) {
             // The full model check (latency matrix, shares) of the file the run will use.
             const auto model = net::load_region_model(r.file, r.dataset);
             if (!model) {
                 l.c.error_in(model.error().file, model.error().line, model.error().column, file.key,
                              model.error().message);
                 return;
             }
         }
         r.names = data.names;
         l.regions_known = true;
     },
     false, 1},
    {"dataset",
     [](Load& l, const Field& f, const MapReader&, RegionsSpec& r) { get_string(l.c, f, r.dataset); }},
}};

void read_regions(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kRegionsKeys);
    read_keys(l, m, kRegionsKeys, l.s.network.regions);
}

}  // namespace

void read_network(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kNetworkKeys);
    read_keys(l, m, kNetworkKeys, l.s.network);
}

bool check_region_name(Load& l, const Field& f, const std::string& name) {
    if (!l.regions_known) return true;  // the dataset itself is in error
    const auto& names = l.s.network.regions.names;
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    l.c.error(f.pos, f.key,
              "unknown region " + quote(name) + " (regions of dataset " + l.s.network.regions.dataset + ": " +
                  join(names) + ")" + did_you_mean(name, names));
    return false;
}

// ---- topology (needs the node count) ----
void check_topology(Load& l) {
    NetworkSpec& n = l.s.network;
    TopologySpec& t = n.topology;
    const std::size_t clouds = l.s.clouds.size();
    const Pos topo_pos = l.topology ? l.topology->pos() : Pos{};
    const std::string topo_key = l.topology ? l.topology->path() : "network.topology";
    if (t.kind == TopologyKind::kFile) {
        const Field file = l.topology->get("file");
        if (!file) {
            l.c.error(topo_pos, join_key(topo_key, "file"),
                      "missing required key 'file' (topology kind 'file' reads a GraphML or DOT file)");
            return;
        }
        if (t.file.empty()) return;
        // Missing or a directory: said here, with the path looked for. Anything else that
        // exists (a FIFO, /dev/zero behind a symlink) is load_topology's to read, within
        // its size cap.
        std::error_code ec;
        const auto status = std::filesystem::status(t.file, ec);
        if (!std::filesystem::exists(status) || std::filesystem::is_directory(status)) {
            std::string where =
                "topology file " + quote(file.node->text) +
                (std::filesystem::is_directory(status) ? " is a directory, not a file" : " not found");
            if (t.file != file.node->text) where += " (looked for " + quote(t.file) + ")";
            l.c.error(file.pos, file.key, where);
            return;
        }
        const auto topology = net::load_topology(t.file);
        if (!topology && topology.error().line == 0) {
            // About the file as a whole (unknown extension, unreadable): no place in
            // it to name, so the error is at the scenario's `file` key.
            l.c.error(file.pos, file.key,
                      "topology file '" + file.node->text + "': " + topology.error().message);
            return;
        }
        if (!topology) {
            l.c.error_in(topology.error().file, topology.error().line, topology.error().column, file.key,
                         topology.error().message);
            return;
        }
        const std::size_t nodes = topology->node_count();
        l.file_links = topology->edge_count();
        if (nodes <= clouds) {
            l.c.error(file.pos, file.key,
                      "topology file has " + std::to_string(nodes) + " nodes; it needs more than the " +
                          std::to_string(clouds) +
                          " validators (validators are its first nodes, full nodes "
                          "the rest)");
            return;
        }
        if (l.full_nodes_field && n.full_nodes != nodes - clouds) {
            l.c.error(l.full_nodes_field.pos, l.full_nodes_field.key,
                      "full_nodes is " + std::to_string(n.full_nodes) + " but the topology file has " +
                          std::to_string(nodes) + " nodes for " + std::to_string(clouds) + " validators (" +
                          std::to_string(nodes - clouds) + " full nodes); leave full_nodes out");
        }
        n.full_nodes = nodes - clouds;
        return;
    }
    if (l.topology && l.topology->get("file")) {
        const Field file = l.topology->get("file");
        l.c.error(
            file.pos, file.key,
            std::string("'file' applies only to topology kind 'file', not '") + to_string(t.kind) + "'");
    }
    const std::size_t nodes = clouds + n.full_nodes;
    // Already an error: node-count rules would only echo it.
    if (clouds == 0 || !l.node_count_ok || !l.clouds_ok) return;
    const Pos dpos = l.degree_field ? l.degree_field.pos : topo_pos;
    const std::string dkey = l.degree_field ? l.degree_field.key : join_key(topo_key, "degree");
    if (t.kind == TopologyKind::kRegions) {
        // The default degree shrinks to fit a small network; a written one must fit.
        if (!l.degree_field && t.degree >= nodes) t.degree = nodes - 1;
        if (t.degree >= nodes) {
            l.c.error(dpos, dkey,
                      "degree " + std::to_string(t.degree) + " must be below the node count " +
                          std::to_string(nodes) + " (" + std::to_string(clouds) + " validators + " +
                          std::to_string(n.full_nodes) + " full nodes)");
        }
        return;
    }
    // kRegions returned above, kFile before.
    net::TopologySpec spec;
    spec.kind = t.kind;
    spec.nodes = nodes;
    spec.degree = t.degree;
    spec.probability = t.probability;
    spec.link.latency = n.link_latency;
    const auto ok = net::validate(spec);
    if (!ok) {
        const std::string& field = ok.error().field;
        if (field.starts_with("degree")) {
            l.c.error(dpos, dkey, ok.error().message);
        } else if (field.starts_with("probability")) {
            const Field pf = l.topology ? l.topology->get("probability") : Field{};
            l.c.error(pf ? pf.pos : topo_pos, join_key(topo_key, "probability"), ok.error().message);
        } else if (field.starts_with("nodes")) {
            l.c.error(l.full_nodes_field ? l.full_nodes_field.pos : topo_pos, "network.full_nodes",
                      ok.error().message);
        } else {
            l.c.error(topo_pos, topo_key, ok.error().to_string());
        }
    }
}

}  // namespace cl::sim::scenario::detail
