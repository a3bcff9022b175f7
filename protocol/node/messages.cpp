#include "protocol/node/messages.hpp"

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
    }
    return "unknown";
}

std::size_t wire_size(const Message& m) {
    struct Size {
        std::size_t operator()(const NewBlockMsg& b) const {
            return b.block->encoded_size + 9;
        }  // + total difficulty
        std::size_t operator()(const NewBlockHashesMsg&) const { return 1 + 1 + 33 + 9; }  // [[hash, number]]
        std::size_t operator()(const GetBlockMsg&) const { return 1 + 33 + 9; }  // [request id, hash]
        std::size_t operator()(const TransactionsMsg& t) const { return 1 + t.tx->encoded_size; }
    };
    return kFrame + std::visit(Size{}, m);
}

}  // namespace cl::node
