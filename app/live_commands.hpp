// The live commands (docs/live.md): `node` runs one protocol::Node on TCP with a
// JSON-RPC server, `testnet` starts a loopback network of node processes, `rpc` is a
// JSON-RPC client. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

int run_node(std::span<const std::string> args, std::ostream& out, std::ostream& err);
// `self` is the path of this program, which testnet runs as its nodes.
int run_testnet(std::span<const std::string> args, const std::string& self, std::ostream& out,
                std::ostream& err);
int run_rpc(std::span<const std::string> args, std::ostream& out, std::ostream& err);
// `tx`: signs a promo-pool transaction offline and prints its raw hex and hash.
int run_tx(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
