// The live node's JSON-RPC methods (docs/live.md "RPC reference"): Ethereum's read
// methods with Clique's fields, eth_sendRawTransaction, and the cloud's cl_getCode and
// cl_getCodeProof. Reads come from the node's stored blocks and their states; a block
// tag is "latest" (also "pending", "safe", "finalized": this node has no other notion),
// "earliest" or a hex quantity on the node's canonical chain.
//
// Runs on the runner's io_context thread (the node is not thread-safe).
#pragma once

#include <optional>
#include <string_view>

#include "live/json_rpc.hpp"
#include "live/node_runner.hpp"

namespace cl::live {

// The method named `name` served from `runner` (which must outlive it), or nullopt.
std::optional<RpcMethod> node_method(NodeRunner& runner, std::string_view name);

}  // namespace cl::live
