// Wire messages between nodes, modelled on the eth protocol (DESIGN.md §4): a new block
// in full, a block hash announcement, a request for one block (fetching an announced
// block or a missing ancestor), and transactions. size() is the real RLP size of what a
// message carries plus a small frame, so bandwidth is charged realistically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>

#include "protocol/node/block.hpp"

namespace cl::node {

using PeerId = std::uint32_t;

struct NewBlockMsg {  // eth NewBlock: the full block (also the reply to GetBlockMsg)
    BlockRef block;
};
struct NewBlockHashesMsg {  // eth NewBlockHashes: an announcement
    Hash32 hash;
    std::uint64_t number = 0;
};
struct GetBlockMsg {  // eth GetBlockHeaders + GetBlockBodies for one block
    Hash32 hash;
};
struct TransactionsMsg {  // eth Transactions, one transaction per message
    TxRef tx;
};

using Message = std::variant<NewBlockMsg, NewBlockHashesMsg, GetBlockMsg, TransactionsMsg>;

// Message kinds, for per-type network counters.
enum class MessageKind : std::uint8_t { kNewBlock, kNewBlockHashes, kGetBlock, kTransactions };
inline constexpr std::size_t kMessageKindCount = 4;
MessageKind kind_of(const Message& m);
const char* name(MessageKind k);

// Bytes on the wire: the RLP payload plus a 16-byte frame (devp2p RLPx header and MAC).
std::size_t wire_size(const Message& m);

}  // namespace cl::node
