// Wire messages between nodes, modelled on the eth protocol (DESIGN.md §4): a new block
// in full, a block hash announcement, a request for one block (fetching an announced
// block or a missing ancestor), and transactions; and the connection's own messages: the
// eth Status handshake and devp2p Ping, Pong and Disconnect (docs/simulation.md "Peers").
// wire_size() is the real RLP size of what a message carries plus a small frame, so
// bandwidth is charged realistically.
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
// eth Status, the handshake that opens a connection (eth/66: [version, networkid, td,
// head, genesis, forkid]). A node sends it when it dials, and in reply to a peer's.
struct StatusMsg {
    std::uint64_t network_id = 0;
    std::uint64_t total_difficulty = 0;  // of the sender's head
    Hash32 head;
    Hash32 genesis;
};
struct PingMsg {};  // devp2p Ping: []
struct PongMsg {};  // devp2p Pong: []
// devp2p Disconnect: [reason]. Also stands for the TCP close (FIN, or the reset a
// message meets on a connection its receiver has closed), which the peer sees when the
// network carries it.
struct DisconnectMsg {
    std::uint8_t reason = 0;  // devp2p DiscReason
};
inline constexpr std::uint8_t kDiscNetworkError = 0x01;      // "TCP sub-system error": the close or reset
inline constexpr std::uint8_t kDiscReadTimeout = 0x0b;       // "ping timeout": nothing read for read_timeout
inline constexpr std::uint8_t kDiscSubprotocolError = 0x10;  // the Status names another network
inline constexpr std::uint64_t kEthVersion = 66;

using Message = std::variant<NewBlockMsg, NewBlockHashesMsg, GetBlockMsg, TransactionsMsg, StatusMsg, PingMsg,
                             PongMsg, DisconnectMsg>;

// Message kinds, for per-type network counters.
enum class MessageKind : std::uint8_t {
    kNewBlock,
    kNewBlockHashes,
    kGetBlock,
    kTransactions,
    kStatus,
    kPing,
    kPong,
    kDisconnect
};
inline constexpr std::size_t kMessageKindCount = 8;
MessageKind kind_of(const Message& m);
const char* name(MessageKind k);

// Bytes on the wire: the RLP of the eth/66 message plus a 16-byte frame (devp2p RLPx
// header and MAC). NewBlock: rlp([block, td]); NewBlockHashes: rlp([[hash, number]]);
// GetBlock: GetBlockHeaders rlp([request_id, [hash, 1, 0, 0]]) with an 8-byte request id;
// Transactions: rlp([tx]); Status: rlp([66, networkid, td, head, genesis, [forkhash(4
// bytes), forknext 0]]); Ping, Pong: rlp([]); Disconnect: rlp([reason]). (The reply to a
// GetBlock is modelled as a NewBlock; real eth answers with BlockHeaders and BlockBodies,
// a few bytes more.)
std::size_t wire_size(const Message& m);

}  // namespace cl::node
