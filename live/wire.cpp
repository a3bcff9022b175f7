#include "live/wire.hpp"

#include <boost/crc.hpp>

#include "protocol/chain/header.hpp"
#include "protocol/chain/transaction.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/node/block.hpp"

namespace cl::live {
namespace {

using node::Message;

// eth/66 GetBlockHeaders request ids: 8 bytes with the top bit set, the size wire_size()
// counts.
constexpr std::uint64_t kRequestIdBase = std::uint64_t{1} << 63;

// EIP-2124 FORK_HASH of a chain without forks: CRC32 of the genesis hash.
std::uint32_t fork_hash(const Hash32& genesis) {
    boost::crc_32_type crc;
    crc.process_bytes(genesis.view().data(), genesis.view().size());
    return crc.checksum();
}

void append_block(Bytes& out, const node::Block& b) {
    const std::size_t block = rlp::begin_list(out);
    const Bytes header = encode(b.header);
    out.insert(out.end(), header.begin(), header.end());
    const std::size_t txs = rlp::begin_list(out);
    for (const TxRef& tx : b.txs) {
        const Bytes t = encode(tx->tx);
        out.insert(out.end(), t.begin(), t.end());
    }
    rlp::end_list(out, txs);
    const std::size_t uncles = rlp::begin_list(out);
    rlp::end_list(out, uncles);
    rlp::end_list(out, block);
}

// The raw encoding of the next item of a list payload.
std::expected<BytesView, std::string> next_raw(BytesView& rest) {
    const BytesView before = rest;
    auto item = rlp::read_item(rest);
    if (!item) return std::unexpected(std::string(rlp::to_string(item.error())));
    return before.first(before.size() - rest.size());
}

std::string err(const char* what, rlp::Error e) { return std::string(what) + ": " + rlp::to_string(e); }

std::expected<node::BlockRef, std::string> read_block(BytesView raw) {
    auto list = rlp::decode_list(raw);
    if (!list) return std::unexpected(err("block", list.error()));
    auto item = list->next();
    if (!item) return std::unexpected(err("block", item.error()));
    if (!item->is_list) return std::unexpected("block: header: expected a list");
    // Re-encode the header item's framing: decode_header wants the whole list.
    Bytes header_rlp;
    {
        const std::size_t b = rlp::begin_list(header_rlp);
        header_rlp.insert(header_rlp.end(), item->payload.begin(), item->payload.end());
        rlp::end_list(header_rlp, b);
    }
    auto header = decode_header(header_rlp);
    if (!header) return std::unexpected("block: header: " + header.error().message());
    auto txs_list = list->next_list();
    if (!txs_list) return std::unexpected(err("block: transactions", txs_list.error()));
    std::vector<TxRef> txs;
    while (!txs_list->empty()) {
        auto t = txs_list->next();
        if (!t) return std::unexpected(err("block: transaction", t.error()));
        Bytes tx_rlp;
        if (!t->is_list) return std::unexpected("block: transaction: expected a list");
        const std::size_t b = rlp::begin_list(tx_rlp);
        tx_rlp.insert(tx_rlp.end(), t->payload.begin(), t->payload.end());
        rlp::end_list(tx_rlp, b);
        auto tx = decode_transaction(tx_rlp);
        if (!tx) return std::unexpected("block: transaction: " + tx.error().message());
        auto recovered = recover_transaction(std::move(*tx));
        if (!recovered)
            return std::unexpected(std::string("block: transaction: ") + to_string(recovered.error()));
        txs.push_back(std::make_shared<const RecoveredTransaction>(std::move(*recovered)));
    }
    auto uncles = list->next_list();
    if (!uncles) return std::unexpected(err("block: uncles", uncles.error()));
    if (!uncles->empty()) return std::unexpected("block: uncles: Clique blocks have none");
    if (auto f = list->finish(); !f) return std::unexpected(err("block", f.error()));
    return node::make_block(std::move(*header), std::move(txs));
}

struct Encoder {
    Bytes& out;
    void operator()(const node::NewBlockMsg& m) const {
        out.push_back(kCodeNewBlock);
        const std::size_t l = rlp::begin_list(out);
        append_block(out, *m.block);
        rlp::append_uint(out, m.total_difficulty);
        rlp::end_list(out, l);
    }
    void operator()(const node::NewBlockHashesMsg& m) const {
        out.push_back(kCodeNewBlockHashes);
        const std::size_t l = rlp::begin_list(out);
        const std::size_t e = rlp::begin_list(out);
        rlp::append_fixed(out, m.hash);
        rlp::append_uint(out, m.number);
        rlp::end_list(out, e);
        rlp::end_list(out, l);
    }
    void operator()(const node::GetBlockMsg& m) const {
        out.push_back(kCodeGetBlockHeaders);
        const std::size_t l = rlp::begin_list(out);
        // The request id carries nothing here (one block per request, answered by a NewBlock).
        rlp::append_uint(out, kRequestIdBase);
        const std::size_t q = rlp::begin_list(out);
        rlp::append_fixed(out, m.hash);  // origin
        rlp::append_uint(out, 1);        // amount
        rlp::append_uint(out, 0);        // skip
        rlp::append_uint(out, 0);        // reverse
        rlp::end_list(out, q);
        rlp::end_list(out, l);
    }
    void operator()(const node::TransactionsMsg& m) const {
        out.push_back(kCodeTransactions);
        const std::size_t l = rlp::begin_list(out);
        const Bytes t = encode(m.tx->tx);
        out.insert(out.end(), t.begin(), t.end());
        rlp::end_list(out, l);
    }
    void operator()(const node::StatusMsg& m) const {
        out.push_back(kCodeStatus);
        const std::size_t l = rlp::begin_list(out);
        rlp::append_uint(out, node::kEthVersion);
        rlp::append_uint(out, m.network_id);
        rlp::append_uint(out, m.total_difficulty);
        rlp::append_fixed(out, m.head);
        rlp::append_fixed(out, m.genesis);
        const std::size_t f = rlp::begin_list(out);
        const std::uint32_t h = fork_hash(m.genesis);
        const std::uint8_t hb[4] = {static_cast<std::uint8_t>(h >> 24), static_cast<std::uint8_t>(h >> 16),
                                    static_cast<std::uint8_t>(h >> 8), static_cast<std::uint8_t>(h)};
        rlp::append_bytes(out, BytesView(hb, 4));
        rlp::append_uint(out, 0);  // FORK_NEXT: no fork planned
        rlp::end_list(out, f);
        rlp::end_list(out, l);
    }
    void operator()(const node::PingMsg&) const { empty(kCodePing); }
    void operator()(const node::PongMsg&) const { empty(kCodePong); }
    void operator()(const node::DisconnectMsg& m) const {
        out.push_back(kCodeDisconnect);
        const std::size_t l = rlp::begin_list(out);
        rlp::append_uint(out, m.reason);
        rlp::end_list(out, l);
    }
    void empty(std::uint8_t code) const {
        out.push_back(code);
        const std::size_t l = rlp::begin_list(out);
        rlp::end_list(out, l);
    }
};

std::expected<Message, std::string> decode_body(std::uint8_t code, BytesView rlp_bytes) {
    auto list = rlp::decode_list(rlp_bytes);
    if (!list) return std::unexpected(err("message", list.error()));
    switch (code) {
        case kCodeNewBlock: {
            BytesView rest = rlp::decode(rlp_bytes)->payload;
            auto raw = next_raw(rest);
            if (!raw) return std::unexpected("new_block: " + raw.error());
            auto block = read_block(*raw);
            if (!block) return std::unexpected("new_block: " + block.error());
            rlp::ListReader tail(rest);
            auto td = tail.next_uint64();
            if (!td) return std::unexpected(err("new_block: td", td.error()));
            if (auto f = tail.finish(); !f) return std::unexpected(err("new_block", f.error()));
            return node::NewBlockMsg{std::move(*block), *td};
        }
        case kCodeNewBlockHashes: {
            auto entry = list->next_list();
            if (!entry) return std::unexpected(err("new_block_hashes", entry.error()));
            auto hash = entry->next_fixed<Hash32>();
            if (!hash) return std::unexpected(err("new_block_hashes: hash", hash.error()));
            auto number = entry->next_uint64();
            if (!number) return std::unexpected(err("new_block_hashes: number", number.error()));
            if (auto f = entry->finish(); !f) return std::unexpected(err("new_block_hashes", f.error()));
            // One announcement per message, as the simulator sends them.
            if (auto f = list->finish(); !f) return std::unexpected(err("new_block_hashes", f.error()));
            return node::NewBlockHashesMsg{*hash, *number};
        }
        case kCodeGetBlockHeaders: {
            auto id = list->next_uint64();
            if (!id) return std::unexpected(err("get_block: request id", id.error()));
            auto q = list->next_list();
            if (!q) return std::unexpected(err("get_block", q.error()));
            auto hash = q->next_fixed<Hash32>();
            if (!hash) return std::unexpected(err("get_block: origin", hash.error()));
            auto amount = q->next_uint64();
            auto skip = q->next_uint64();
            auto reverse = q->next_uint64();
            if (!amount || !skip || !reverse || *amount != 1 || *skip != 0 || *reverse != 0) {
                return std::unexpected("get_block: only [hash, 1, 0, 0] is served");
            }
            if (auto f = q->finish(); !f) return std::unexpected(err("get_block", f.error()));
            if (auto f = list->finish(); !f) return std::unexpected(err("get_block", f.error()));
            return node::GetBlockMsg{*hash};
        }
        case kCodeTransactions: {
            BytesView rest = rlp::decode(rlp_bytes)->payload;
            auto raw = next_raw(rest);
            if (!raw) return std::unexpected("transactions: " + raw.error());
            if (!rest.empty()) return std::unexpected("transactions: one transaction per message");
            auto tx = decode_transaction(*raw);
            if (!tx) return std::unexpected("transactions: " + tx.error().message());
            auto recovered = recover_transaction(std::move(*tx));
            if (!recovered)
                return std::unexpected(std::string("transactions: ") + to_string(recovered.error()));
            return node::TransactionsMsg{std::make_shared<const RecoveredTransaction>(std::move(*recovered))};
        }
        case kCodeStatus: {
            auto version = list->next_uint64();
            if (!version) return std::unexpected(err("status: version", version.error()));
            if (*version != node::kEthVersion) return std::unexpected("status: not eth/66");
            node::StatusMsg s;
            auto nid = list->next_uint64();
            auto td = list->next_uint64();
            if (!nid || !td) return std::unexpected("status: network id or td: not an integer");
            auto head = list->next_fixed<Hash32>();
            auto genesis = list->next_fixed<Hash32>();
            if (!head || !genesis) return std::unexpected("status: head or genesis: not a 32-byte hash");
            auto fork = list->next_list();
            if (!fork) return std::unexpected(err("status: fork id", fork.error()));
            auto fh = fork->next_bytes();
            auto fnext = fork->next_uint64();
            if (!fh || fh->size() != 4 || !fnext || !fork->finish())
                return std::unexpected("status: fork id: malformed");
            if (auto f = list->finish(); !f) return std::unexpected(err("status", f.error()));
            s.network_id = *nid;
            s.total_difficulty = *td;
            s.head = *head;
            s.genesis = *genesis;
            return s;
        }
        case kCodePing:
        case kCodePong:
            if (!list->empty()) return std::unexpected("ping/pong: expected []");
            if (code == kCodePing) return node::PingMsg{};
            return node::PongMsg{};
        case kCodeDisconnect: {
            auto reason = list->next_uint64();
            if (!reason || *reason > 0xff) return std::unexpected("disconnect: reason: not a byte");
            if (auto f = list->finish(); !f) return std::unexpected(err("disconnect", f.error()));
            return node::DisconnectMsg{static_cast<std::uint8_t>(*reason)};
        }
        default:
            return std::unexpected("unknown message code " + std::to_string(code));
    }
}

}  // namespace

Bytes encode_message(const node::Message& m) {
    Bytes out;
    std::visit(Encoder{out}, m);
    return out;
}

Bytes encode_hello(const Hello& h) {
    Bytes out{kCodeHello};
    const std::size_t l = rlp::begin_list(out);
    rlp::append_uint(out, kHelloVersion);
    rlp::append_uint(out, h.node);
    rlp::append_fixed(out, h.genesis);
    rlp::end_list(out, l);
    return out;
}

std::expected<node::Message, std::string> decode_message(BytesView body) {
    if (body.empty()) return std::unexpected("empty frame");
    if (body[0] == kCodeHello) return std::unexpected("hello after the handshake");
    // Validate the whole item tree first: the readers below then only check shapes.
    if (auto v = rlp::validate(body.subspan(1)); !v) return std::unexpected(err("message", v.error()));
    return decode_body(body[0], body.subspan(1));
}

std::expected<Hello, std::string> decode_hello(BytesView body) {
    if (body.empty() || body[0] != kCodeHello) return std::unexpected("hello: expected a Hello frame first");
    auto list = rlp::decode_list(body.subspan(1));
    if (!list) return std::unexpected(err("hello", list.error()));
    auto version = list->next_uint64();
    if (!version || *version != kHelloVersion) return std::unexpected("hello: unsupported version");
    auto id = list->next_uint64();
    if (!id) return std::unexpected(err("hello: node", id.error()));
    auto genesis = list->next_fixed<Hash32>();
    if (!genesis) return std::unexpected(err("hello: genesis", genesis.error()));
    if (auto f = list->finish(); !f) return std::unexpected(err("hello", f.error()));
    return Hello{*id, *genesis};
}

Bytes frame(const Bytes& body) {
    Bytes out(kLengthPrefix + body.size());
    const auto n = static_cast<std::uint32_t>(body.size());
    out[0] = static_cast<std::uint8_t>(n >> 24);
    out[1] = static_cast<std::uint8_t>(n >> 16);
    out[2] = static_cast<std::uint8_t>(n >> 8);
    out[3] = static_cast<std::uint8_t>(n);
    std::copy(body.begin(), body.end(), out.begin() + kLengthPrefix);
    return out;
}

std::size_t frame_length(BytesView prefix) {
    return (std::size_t{prefix[0]} << 24) | (std::size_t{prefix[1]} << 16) | (std::size_t{prefix[2]} << 8) |
           std::size_t{prefix[3]};
}

}  // namespace cl::live
