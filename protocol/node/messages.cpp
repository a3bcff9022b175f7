#include "protocol/node/messages.hpp"

#include <bit>

#include "protocol/core/rlp.hpp"

namespace cl::node {
namespace {
constexpr std::size_t kFrame = 16;
}

MessageKind kind_of(const Message& m) { return static_cast<MessageKind>(m.index()); }

const char* name(MessageKind k) {
    switch (k) {
        case MessageKind::kNewBlock:
            return "new_block";
        case MessageKind::kNewBlockHashes:
            return "new_block_hashes";
        case MessageKind::kGetBlock:
            return "get_block";
        case MessageKind::kTransactions:
            return "transactions";
        case MessageKind::kStatus:
            return "status";
        case MessageKind::kPing:
            return "ping";
        case MessageKind::kPong:
            return "pong";
        case MessageKind::kDisconnect:
            return "disconnect";
    }
    return "unknown";
}

namespace {
// The RLP size of a list whose items take `payload` bytes.
std::size_t list_size(std::size_t payload) { return rlp::header_size(payload) + payload; }
// The RLP size of an unsigned integer (big-endian, no leading zeros; 0 is the empty string).
std::size_t uint_size(std::uint64_t v) {
    if (v < 0x80) return 1;
    return 1 + static_cast<std::size_t>((std::bit_width(v) + 7) / 8);
}
constexpr std::size_t kHashSize = 33;                    // a 32-byte string
constexpr std::size_t kForkHashSize = 5;                 // EIP-2124 FORK_HASH, a 4-byte string
constexpr std::uint64_t kRequestId = ~std::uint64_t{0};  // an 8-byte eth/66 request id
}  // namespace

std::size_t wire_size(const Message& m) {
    struct Size {
        std::size_t operator()(const NewBlockMsg& b) const {
            return list_size(b.block->encoded_size + uint_size(b.total_difficulty));
        }
        std::size_t operator()(const NewBlockHashesMsg& a) const {
            return list_size(list_size(kHashSize + uint_size(a.number)));
        }
        std::size_t operator()(const GetBlockMsg&) const {
            return list_size(uint_size(kRequestId) + list_size(kHashSize + 3 * uint_size(0)));
        }
        std::size_t operator()(const TransactionsMsg& t) const { return list_size(t.tx->encoded_size); }
        std::size_t operator()(const StatusMsg& s) const {
            const std::size_t fork_id = list_size(kForkHashSize + uint_size(0));
            return list_size(uint_size(kEthVersion) + uint_size(s.network_id) +
                             uint_size(s.total_difficulty) + 2 * kHashSize + fork_id);
        }
        std::size_t operator()(const PingMsg&) const { return list_size(0); }
        std::size_t operator()(const PongMsg&) const { return list_size(0); }
        std::size_t operator()(const DisconnectMsg& d) const { return list_size(uint_size(d.reason)); }
    };
    return kFrame + std::visit(Size{}, m);
}

}  // namespace cl::node
