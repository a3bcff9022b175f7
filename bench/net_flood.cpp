// Macro bench of sim/net (issue 3): flood one 1 KB message from node 0 through a
// 10^4-node random-regular (d = 8) and a Barabási–Albert graph. Each node forwards the
// message once, on first receipt, to every neighbour except the one it came from. Links:
// 50 ms one-way latency, uniform jitter up to 10 ms, 20 Mbit/s upload per node.
//
// Prints, per graph, `graph=<name> nodes=<n> links=<m> deliveries=<k> deliveries_per_s=<x>
// reached=<r> sim_seconds=<s>`, then `peak_rss_bytes_per_node=<b>` (getrusage maxrss /
// nodes, for the whole process, graphs included). With --json FILE it also writes one
// entry per graph, `Net_Flood/<graph>/nodes:N`, in Google Benchmark's JSON shape
// (bench/json_report.hpp): wall and CPU time, deliveries, deliveries_per_second, reached,
// and the process's peak_rss_bytes so far.
// Usage: cloudledger-bench-net [--nodes N] [--degree D] [--ba-m M] [--floods K] [--seed S]
//                              [--json FILE]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/json_report.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/net/generators.hpp"
#include "sim/net/network.hpp"

namespace {

using namespace cl::sim;
using namespace cl::sim::net;

struct Flood : DeliveryHandler {
    Network* net = nullptr;
    std::vector<std::uint32_t> seen;  // flood id + 1 last seen per node
    std::uint32_t flood = 0;
    std::uint64_t deliveries = 0;
    std::size_t reached = 0;
    void on_deliver(const Delivery& d) noexcept override {
        ++deliveries;
        if (seen[d.to] == flood + 1) return;
        seen[d.to] = flood + 1;
        ++reached;
        for (const NodeId nb : net->topology().neighbours(d.to)) {
            if (nb != d.from) (void)net->send(d.to, nb, 0, d.size);
        }
    }
};

double peak_rss_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux: KiB
}

void run(const char* name, const Topology& t, int floods, std::uint64_t seed, cl::bench::JsonReport& report) {
    Simulator sim;
    Flood flood;
    NetworkConfig config;
    config.upload_bps = 20'000'000;
    config.latency = {JitterKind::kUniform, millis(10), 5.0};
    Network net(sim, t, config, RandomStreams(seed, 0), flood);
    flood.net = &net;
    flood.seen.assign(t.node_count(), 0);
    const double cpu_start = cl::bench::process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (int f = 0; f < floods; ++f) {
        flood.flood = static_cast<std::uint32_t>(f);
        flood.reached = 0;
        const auto origin = static_cast<NodeId>(static_cast<std::size_t>(f) * 7919 % t.node_count());
        flood.seen[origin] = flood.flood + 1;
        flood.reached = 1;
        for (const NodeId nb : t.neighbours(origin)) (void)net.send(origin, nb, 0, 1024);
        sim.run();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = cl::bench::process_cpu_seconds() - cpu_start;
    report.add(std::string("Net_Flood/") + name + "/nodes:" + std::to_string(t.node_count()), wall, cpu,
               {{"links", static_cast<double>(t.edge_count())},
                {"floods", static_cast<double>(floods)},
                {"deliveries", static_cast<double>(flood.deliveries)},
                {"deliveries_per_second", static_cast<double>(flood.deliveries) / wall},
                {"reached", static_cast<double>(flood.reached)},
                {"peak_rss_bytes", peak_rss_bytes()}});
    std::printf(
        "graph=%s nodes=%zu links=%zu floods=%d deliveries=%llu deliveries_per_s=%.0f reached=%zu "
        "sim_seconds=%.3f\n",
        name, t.node_count(), t.edge_count(), floods, static_cast<unsigned long long>(flood.deliveries),
        static_cast<double>(flood.deliveries) / wall, flood.reached, sim.now().to_seconds_f64());
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t nodes = 10'000, degree = 8, ba_m = 4;
    int floods = 20;
    std::uint64_t seed = 1;
    std::string json;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        const unsigned long long v = std::strtoull(argv[i + 1], nullptr, 10);
        if (arg == "--nodes")
            nodes = v;
        else if (arg == "--degree")
            degree = v;
        else if (arg == "--ba-m")
            ba_m = v;
        else if (arg == "--floods")
            floods = static_cast<int>(v);
        else if (arg == "--seed")
            seed = v;
        else if (arg == "--json")
            json = argv[i + 1];
        else {
            std::fprintf(
                stderr,
                "usage: %s [--nodes N] [--degree D] [--ba-m M] [--floods K] [--seed S] [--json FILE]\n",
                argv[0]);
            return 2;
        }
    }
    const RandomStreams streams(seed, 0);
    auto rr_rng = streams.stream("bench/random-regular");
    const Topology rr = random_regular_graph(nodes, degree, rr_rng, {millis(50), 0});
    auto ba_rng = streams.stream("bench/barabasi-albert");
    const Topology ba = barabasi_albert_graph(nodes, ba_m, ba_rng, {millis(50), 0});
    cl::bench::JsonReport report(argv[0]);
    run("random_regular", rr, floods, seed, report);
    run("barabasi_albert", ba, floods, seed, report);
    const double rss = peak_rss_bytes();
    std::printf("peak_rss_bytes_per_node=%.0f peak_rss_mib=%.1f\n", rss / static_cast<double>(nodes),
                rss / (1 << 20));
    if (!json.empty() && !report.write(json)) {
        std::fprintf(stderr, "cloudledger-bench-net: cannot write %s\n", json.c_str());
        return 1;
    }
    return 0;
}
