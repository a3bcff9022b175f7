// The `cloudledger` command-line program: the composition root (DESIGN.md §8).
// Exit codes: 0 success, 1 runtime failure (or failed conformance cases), 2 bad usage
// or bad input. Every command answers `-h`/`--help` (its usage on stdout, exit 0); the
// program answers `--version`.
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/check_command.hpp"
#include "app/command_line.hpp"
#include "app/conformance/runners.hpp"
#include "app/live_commands.hpp"
#include "app/plot_command.hpp"
#include "app/report_command.hpp"
#include "app/run_command.hpp"
#include "app/size_pool_command.hpp"
#include "app/sweep_command.hpp"
#include "sim/net/import.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: cloudledger <command> [args]\n"
    "       cloudledger <command> --help\n"
    "       cloudledger --version\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO.yaml] [-o FILE.h5] [--seed N] [--set KEY=VALUE]... [--quiet]\n"
    "                                        simulate a scenario (default: the embedded\n"
    "                                        scenarios/passport.yaml), write HDF5 results\n"
    "  sweep SWEEP.yaml [-j N] [-o FILE.h5] [--quiet] [--check]\n"
    "                                        run every point and replication of a sweep file\n"
    "                                        on N threads (or MPI ranks), resumable\n"
    "  size-pool [SCENARIO.yaml] [--target P] [--ttl TTL]... [-j N] [--json FILE]\n"
    "                                        the quota per tier each cloud must give so that\n"
    "                                        P of users are served (simulated + analytic)\n"
    "  check SCENARIO.yaml [--set KEY=VALUE]...\n"
    "                                        validate a scenario, report every error\n"
    "  report FILE.h5 [--format md|csv|json] [-o OUT]\n"
    "                                        aggregate a run or sweep file (mean, CI, ...)\n"
    "  plot FILE.h5 [-o DIR]                 standard figures of a run or sweep file (PNG, SVG)\n"
    "  conformance clique-votes FILE.json    run Clique voting vectors through the engine\n"
    "  conformance clique-headers FILE.json  verify real Clique headers (hash, seal, signer)\n"
    "  topology FILE.graphml|FILE.dot        load a topology file and summarise it\n"
    "  node --index I [--peer ID@IP:PORT]... run one live node on TCP with JSON-RPC\n"
    "  testnet --validators N [--full-nodes M] [--period 1s] [--duration 30s]\n"
    "                                        run a loopback testnet of node processes\n"
    "  rpc URL METHOD [PARAMS...]            call a live node's JSON-RPC API\n"
    "  tx request TIER|redeem CODE|transfer CODE TO --seed S --key-name NAME\n"
    "                                        sign a transaction for eth_sendRawTransaction\n"
    "  help                                  show this text\n"
    "\n"
    "`cloudledger COMMAND --help` describes a command. File formats: docs/scenarios.md,\n"
    "docs/conformance.md, docs/live.md. Exit codes: 0 ok, 1 failures, 2 bad usage or input.\n";

constexpr std::string_view kConformanceUsage =
    "usage: cloudledger conformance clique-votes FILE.json\n"
    "       cloudledger conformance clique-headers FILE.json";
constexpr std::string_view kConformanceHelp =
    "\n"
    "Runs a conformance file through the real Clique engine and prints one line per case,\n"
    "then `N passed, M failed` (formats: docs/conformance.md).\n"
    "\n"
    "suites:\n"
    "  clique-votes     Clique voting vectors (the shared clique-votes.json format)\n"
    "  clique-headers   real Clique headers: hash, seal and signer of each\n"
    "\n"
    "Exit codes: 0 all passed, 1 some failed, 2 bad usage or a malformed file\n"
    "(FILE:LINE:COLUMN or the field named on stderr).\n";

constexpr std::string_view kTopologyUsage = "usage: cloudledger topology FILE.graphml|FILE.dot";
constexpr std::string_view kTopologyHelp =
    "\n"
    "Loads a topology file (Topology Zoo GraphML, Graphviz DOT) as a scenario would and\n"
    "prints its node and link counts and whether it is connected.\n"
    "\n"
    "Exit codes: 0 ok, 2 bad usage or a malformed file (FILE:LINE[:COLUMN] on stderr).\n";

// Loads a GraphML/DOT topology; a malformed file is bad input: exit 2, nothing on stdout
// and `file:line[:column]: message` on stderr (the form editors and CI annotators parse).
int run_topology(const std::string& path) {
    auto topology = cl::sim::net::load_topology(path);
    if (!topology) {
        std::cerr << topology.error().to_string() << "\n";
        return 2;
    }
    std::cout << "nodes " << topology->node_count() << ", links " << topology->edge_count() << ", "
              << (topology->is_connected() ? "connected" : "not connected") << "\n";
    return 0;
}

int usage_error(const std::string& message) {
    std::cerr << "error: " << message << "\n\n" << kUsage;
    return 2;
}

bool any_help(std::span<const std::string> args) {
    for (const std::string& a : args) {
        if (cl::app::is_help(a)) return true;
    }
    return false;
}

// The first word that looks like an option ("-x", "--x"; not "-" alone), if any: the
// conformance and topology commands take none besides --help.
const std::string* first_option(std::span<const std::string> args) {
    for (const std::string& a : args) {
        if (a.size() > 1 && a[0] == '-') return &a;
    }
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("no command given");
    const std::span<const std::string> rest = std::span(args).subspan(1);
    if (args[0] == "help" || cl::app::is_help(args[0])) {
        std::cout << kUsage;
        return 0;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "cloudledger " << CLOUDLEDGER_VERSION << " (" << CLOUDLEDGER_BUILD_TYPE << " build)\n";
        return 0;
    }
    if (args[0] == "run") return cl::app::run_scenario(rest, std::cout, std::cerr);
    if (args[0] == "sweep") return cl::app::run_sweep(rest, std::cout, std::cerr);
    if (args[0] == "size-pool") return cl::app::run_size_pool(rest, std::cout, std::cerr);
    if (args[0] == "check") return cl::app::run_check(rest, std::cout, std::cerr);
    if (args[0] == "report") return cl::app::run_report(rest, std::cout, std::cerr);
    if (args[0] == "plot") return cl::app::run_plot(rest, std::cout, std::cerr);
    if (args[0] == "node") return cl::app::run_node(rest, std::cout, std::cerr);
    if (args[0] == "testnet") return cl::app::run_testnet(rest, "/proc/self/exe", std::cout, std::cerr);
    if (args[0] == "rpc") return cl::app::run_rpc(rest, std::cout, std::cerr);
    if (args[0] == "tx") return cl::app::run_tx(rest, std::cout, std::cerr);
    if (args[0] == "conformance") {
        // These commands take no option values, so a -h/--help anywhere is a request for help.
        if (any_help(rest)) {
            std::cout << kConformanceUsage << "\n" << kConformanceHelp;
            return 0;
        }
        if (const std::string* o = first_option(rest)) {
            return cl::app::usage_error(std::cerr, "unknown option '" + *o + "'", kConformanceUsage,
                                        "conformance");
        }
        if (rest.size() != 2) {
            return cl::app::usage_error(std::cerr, "conformance takes a suite and one FILE.json",
                                        kConformanceUsage, "conformance");
        }
        if (rest[0] == "clique-votes") return cl::app::run_clique_votes(rest[1], std::cout, std::cerr);
        if (rest[0] == "clique-headers") return cl::app::run_clique_headers(rest[1], std::cout, std::cerr);
        return cl::app::usage_error(
            std::cerr, "unknown conformance suite '" + rest[0] + "' (clique-votes, clique-headers)",
            kConformanceUsage, "conformance");
    }
    if (args[0] == "topology") {
        if (any_help(rest)) {
            std::cout << kTopologyUsage << "\n" << kTopologyHelp;
            return 0;
        }
        if (const std::string* o = first_option(rest)) {
            return cl::app::usage_error(std::cerr, "unknown option '" + *o + "'", kTopologyUsage, "topology");
        }
        if (rest.size() != 1) {
            return cl::app::usage_error(std::cerr, "topology takes one FILE", kTopologyUsage, "topology");
        }
        return run_topology(rest[0]);
    }
    return usage_error("unknown command '" + args[0] + "'");
}
