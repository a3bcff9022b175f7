// The `cloudledger` command-line program: the composition root (DESIGN.md §8).
// Exit codes: 0 success, 1 runtime failure (or failed conformance cases), 2 bad usage
// or bad input.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/check_command.hpp"
#include "app/conformance/runners.hpp"
#include "app/run_command.hpp"
#include "sim/net/import.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: cloudledger <command> [args]\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO.yaml] [-o results.h5] [--seed N] [--set k=v]... [--quiet]\n"
    "                                        simulate a scenario (default: the embedded\n"
    "                                        scenarios/passport.yaml), write HDF5 results\n"
    "  check SCENARIO.yaml [--set k=v]...    validate a scenario, report every error\n"
    "  conformance clique-votes FILE.json    run Clique voting vectors through the engine\n"
    "  conformance clique-headers FILE.json  verify real Clique headers (hash, seal, signer)\n"
    "  topology FILE.graphml|FILE.dot        load a topology file and summarise it\n"
    "  help                                  show this text\n"
    "\n"
    "File formats: docs/conformance.md. Exit codes: 0 ok, 1 failures, 2 bad usage or input.\n";

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

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("no command given");
    if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << kUsage;
        return 0;
    }
    if (args[0] == "run") return cl::app::run_scenario(std::span(args).subspan(1), std::cout, std::cerr);
    if (args[0] == "check") return cl::app::run_check(std::span(args).subspan(1), std::cout, std::cerr);
    if (args[0] == "conformance") {
        if (args.size() != 3) return usage_error("conformance takes a suite and one FILE.json");
        if (args[1] == "clique-votes") return cl::app::run_clique_votes(args[2], std::cout, std::cerr);
        if (args[1] == "clique-headers") return cl::app::run_clique_headers(args[2], std::cout, std::cerr);
        return usage_error("unknown conformance suite '" + args[1] + "' (clique-votes, clique-headers)");
    }
    if (args[0] == "topology") {
        if (args.size() != 2) return usage_error("topology takes one FILE");
        return run_topology(args[1]);
    }
    return usage_error("unknown command '" + args[0] + "'");
}
