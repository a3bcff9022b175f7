// Topology generators (issue 3). Each is a pure function of its parameters and the
// RandomStream passed in (DESIGN.md §6): the same stream state gives the same graph on
// any machine. Every link gets `link` as its parameters unless stated otherwise.
//
// Parameters that come from a user (a scenario) go through make_topology(spec), which
// checks them and returns a ConfigError naming the field; the generator functions
// themselves REQUIRE valid parameters (asserted: calling them unchecked is a bug).
//
// The algorithms are written out here (not Boost.Graph's generators, whose use of
// random engines is not specified closely enough to pin results); Boost.Graph checks
// connectivity (Topology::is_connected) and reads files (import.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/random.hpp"
#include "sim/net/error.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::net {

// Every pair linked: n(n-1)/2 links.
Topology complete_graph(std::size_t n, LinkParams link = {});

// Node i linked to i+1 mod n: n links for n >= 3 (n-1 for n == 2, 0 below).
Topology ring_graph(std::size_t n, LinkParams link = {});

// A uniformly-ish random simple d-regular graph (Steger–Wormald pairing: pick two random
// free stubs, accept unless a self-loop or duplicate, restart on a dead end). n·d/2 links.
// When d > (n-1)/2 the pairing would almost never finish, so the graph is the
// complement of a random (n-1-d)-regular graph drawn the same way.
// REQUIRES: d < n (or n == d == 0), n·d even.
Topology random_regular_graph(std::size_t n, std::size_t d, RandomStream& rng, LinkParams link = {});

// G(n, p): every pair independently with probability p, by geometric skipping
// (Batagelj–Brandes 2005): skip = floor(ln(u) / ln(1-p)) pairs, u = uniform01_open_closed,
// ln(1-p) computed as log1p(-p). O(n + links). REQUIRES: 0 <= p <= 1.
Topology erdos_renyi_graph(std::size_t n, double p, RandomStream& rng, LinkParams link = {});

// Barabási–Albert preferential attachment: a complete core of m+1 nodes, then each new
// node links to m distinct existing nodes chosen with probability proportional to their
// degree. m(m+1)/2 + (n-m-1)·m links; connected. REQUIRES: 1 <= m < n.
Topology barabasi_albert_graph(std::size_t n, std::size_t m, RandomStream& rng, LinkParams link = {});

// Watts–Strogatz small world: a ring lattice where each node links to its k/2 nearest
// neighbours on each side, then each lattice link (i, i+j) is rewired with probability
// beta to (i, w), w uniform among nodes not i and not already linked to i. n·k/2 links.
// REQUIRES: k even, k < n, 0 <= beta <= 1.
Topology watts_strogatz_graph(std::size_t n, std::size_t k, double beta, RandomStream& rng,
                              LinkParams link = {});

// Named regions with a one-way latency matrix and optional per-region upload bandwidth
// and node shares, read from a data file such as data/regions.yaml.
struct RegionModel {
    std::string name;  // the dataset's key, e.g. "simblock_2019"
    std::vector<std::string> regions;
    std::vector<std::vector<Duration>> one_way_latency;  // [from][to]
    std::vector<std::uint64_t> upload_bps;               // per region; empty when the source has none
    std::vector<double> node_share;                      // per region; empty = equal shares
};

// Reads dataset `dataset` from a regions YAML file (format of data/regions.yaml): either
// `rtt_ms` rows (one-way = RTT/2; the diagonal is `intra_region_rtt_ms`/2 when given) or
// `latency_ms` rows (already one-way), plus optional `upload_mbit_s` and
// `node_share_bitcoin` lists. Errors name the file and line.
std::expected<RegionModel, InputError> load_region_model(const std::string& path, std::string_view dataset);
// The same from text already in memory (an embedded copy); errors name `name`.
std::expected<RegionModel, InputError> load_region_model_text(std::string_view text, const std::string& name,
                                                              std::string_view dataset);

// Regions topology — the one builder of it (make_topology's kRegions, and the world for
// a scenario's `regions` kind). Nodes [0, placed.size()) are in the regions `placed`
// gives (a world's validators, in their clouds' regions); each other node, in order, is
// placed by a draw from `weights` (one per region; empty: equal). Then node by node, each
// dials uniformly random peers it is not yet linked to until it is linked to min(d, n-1)
// nodes (as an Ethereum node fills its outbound slots; at most 64·(min(d, n-1)+1) draws
// per node). Links in the order dialled; a link's latency is the region matrix entry
// [region(a)][region(b)], its bandwidth_bps `link`'s. Node regions and region names are
// recorded on the Topology.
// REQUIRES: n >= max(1, placed.size()); model has at least one region and every entry of
// `placed` is one of them; weights empty or a valid WeightedChoice over the regions.
Topology regions_graph(std::size_t n, std::size_t d, const RegionModel& model,
                       std::span<const std::uint16_t> placed, std::span<const double> weights,
                       RandomStream& rng, LinkParams link = {});

// The same with no placed nodes, every node drawn by the model's node shares, and the
// per-node upload bandwidths of the model's regions when it has them.
// REQUIRES: a valid model (validate); 1 <= n < kMaxGeneratedNodes.
Topology regions_graph(std::size_t n, std::size_t d, const RegionModel& model, RandomStream& rng,
                       LinkParams link = {});

// A generator and its parameters, as a scenario names them (STYLE.md §3:
// make_topology(config)).
enum class TopologyKind : std::uint8_t {
    kComplete,        // nodes
    kRing,            // nodes
    kRandomRegular,   // nodes, degree = d
    kErdosRenyi,      // nodes, probability = p
    kBarabasiAlbert,  // nodes, degree = m
    kWattsStrogatz,   // nodes, degree = k, probability = beta
    kRegions,         // nodes, degree = d, regions
    kFile,            // a GraphML or DOT file (import.hpp load_topology), not generated
};
// The kind's name in scenarios ("regions", "random_regular", ..., "file").
const char* to_string(TopologyKind kind);

struct TopologySpec {
    TopologyKind kind = TopologyKind::kRandomRegular;
    std::size_t nodes = 0;
    std::size_t degree = 0;                // d, m or k (see TopologyKind)
    double probability = 0.0;              // p or beta
    LinkParams link{};                     // latency >= 0
    const RegionModel* regions = nullptr;  // kRegions only; must outlive the call
};

// Checks a spec against each generator's REQUIRES, naming the field of the first
// problem: `nodes`, `degree`, `probability`, `link.latency` or `regions...`.
[[nodiscard]] std::expected<void, ConfigError> validate(const TopologySpec& spec);

// Checks a region model's consistency (non-empty, square non-negative latency matrix,
// sizes of upload and share lists, shares not all 0, bandwidths > 0).
[[nodiscard]] std::expected<void, ConfigError> validate(const RegionModel& model);

// validate(spec), then the generator it names, drawing from rng.
[[nodiscard]] std::expected<Topology, ConfigError> make_topology(const TopologySpec& spec, RandomStream& rng);

}  // namespace cl::sim::net
