// What a workload needs to send a transaction through a node it uses.
#pragma once

#include <cstdint>

#include "protocol/node/node.hpp"

namespace cl::sim::world {

// The nonce `sender`'s next transaction takes as `node` shows it: after its pending and
// queued transactions there, else its account nonce at the head.
inline std::uint64_t next_nonce(const node::Node& node, const Address& sender) {
    return node.txpool().next_nonce(sender).value_or(node.head_state().account(sender).nonce);
}

}  // namespace cl::sim::world
