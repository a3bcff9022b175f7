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
    std::uint64_t total_difficulty = 0;  // the sender's TD of the block, as eth sends it
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

// Bytes on the wire: the RLP of the eth/66 message plus a 16-byte frame (devp2p RLPx
// header and MAC). NewBlock: rlp([block, td]); NewBlockHashes: rlp([[hash, number]]);
// GetBlock: GetBlockHeaders rlp([request_id, [hash, 1, 0, 0]]) with an 8-byte request id;
// Transactions: rlp([tx]). (The reply to a GetBlock is modelled as a NewBlock; real eth
// answers with BlockHeaders and BlockBodies, a few bytes more.)
std::size_t wire_size(const Message& m);

}  // namespace cl::node
