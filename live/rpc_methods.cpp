#include "live/rpc_methods.hpp"

#include "protocol/chain/transaction.hpp"
#include "protocol/state/schema.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::live {

using nlohmann::json;

namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw RpcError{kInvalidParams, "invalid params: " + what};
}

const json& param(const json& params, std::size_t i, const char* name) {
    static const json kNull;
    if (!params.is_array() || i >= params.size()) {
        (void)name;
        return kNull;
    }
    return params[i];
}

void max_params(const json& params, std::size_t n) {
    if (params.is_array() && params.size() > n)
        invalid("too many parameters (at most " + std::to_string(n) + ")");
}

std::string string_param(const json& params, std::size_t i, const char* name) {
    const json& p = param(params, i, name);
    if (!p.is_string()) invalid(std::string(name) + ": expected a string");
    return p.get<std::string>();
}

Hash32 hash_param(const json& params, std::size_t i, const char* name) {
    auto h = Hash32::from_hex(string_param(params, i, name));
    if (!h) invalid(std::string(name) + ": expected 32 bytes of 0x-prefixed hex");
    return *h;
}

// The canonical block a tag names (absent: latest), or nullptr when there is none.
const BlockEntry* block_at(const node::Node& n, const json& tag) {
    const auto& tree = n.chain().tree();
    if (tag.is_null()) return &n.head();
    if (!tag.is_string()) invalid("block: expected a tag or a hex quantity");
    const std::string& t = tag.get_ref<const std::string&>();
    if (t == "latest" || t == "pending" || t == "safe" || t == "finalized") return &n.head();
    if (t == "earliest") return &tree.genesis();
    const auto number = parse_quantity(t);
    if (!number) invalid("block: expected \"latest\", \"earliest\" or a hex quantity, got \"" + t + "\"");
    const auto hash = tree.canonical_hash(*number);
    return hash ? tree.find(*hash) : nullptr;
}

const char* status_name(state::CodeStatus s) {
    switch (s) {
        case state::CodeStatus::kIssued:
            return "issued";
        case state::CodeStatus::kRedeemed:
            return "redeemed";
        case state::CodeStatus::kExpired:
            return "expired";
    }
    return "unknown";
}

json block_json(const node::Node& n, const BlockEntry& entry, bool full) {
    const node::BlockRef block = n.block(entry.hash);
    const Header& h = entry.header;
    json txs = json::array();
    if (block) {
        for (std::size_t i = 0; i < block->txs.size(); ++i) {
            const TxRef& tx = block->txs[i];
            if (!full) {
                txs.push_back(tx->hash.hex());
                continue;
            }
            txs.push_back({{"hash", tx->hash.hex()},
                           {"from", tx->sender.hex()},
                           {"to", tx->tx.to.hex()},
                           {"nonce", quantity(tx->tx.nonce)},
                           {"chainId", quantity(tx->tx.chain_id)},
                           {"input", to_hex(tx->tx.call)},
                           {"blockHash", entry.hash.hex()},
                           {"blockNumber", quantity(h.number)},
                           {"transactionIndex", quantity(i)}});
        }
    }
    json signer = nullptr;
    bool in_turn = false;
    if (h.number > 0) {
        signer = n.chain().signer(entry.hash).hex();
        in_turn = h.difficulty == 2;  // clique DIFF_INTURN
    }
    return {{"number", quantity(h.number)},
            {"hash", entry.hash.hex()},
            {"parentHash", h.parent_hash.hex()},
            {"sha3Uncles", h.uncle_hash.hex()},
            {"miner", h.coinbase.hex()},
            {"stateRoot", h.state_root.hex()},
            {"transactionsRoot", h.tx_root.hex()},
            {"receiptsRoot", h.receipt_root.hex()},
            {"logsBloom", h.bloom.hex()},
            {"difficulty", quantity(h.difficulty)},
            {"totalDifficulty", quantity(entry.total_difficulty)},
            {"gasLimit", quantity(h.gas_limit)},
            {"gasUsed", quantity(h.gas_used)},
            {"timestamp", quantity(h.time)},
            {"extraData", to_hex(h.extra)},
            {"mixHash", h.mix_digest.hex()},
            {"nonce", h.nonce.hex()},
            {"size", quantity(block ? block->encoded_size : 0)},
            {"transactions", std::move(txs)},
            {"uncles", json::array()},
            {"signer", std::move(signer)},
            {"inTurn", in_turn}};
}

json code_json(const Hash32& id, const state::CodeEntry& c, const BlockEntry& at) {
    const bool redeemed = c.status == state::CodeStatus::kRedeemed;
    return {{"id", id.hex()},
            {"status", status_name(c.status)},
            {"owner", c.owner.hex()},
            {"tier", quantity(c.tier)},
            {"issuedAt", quantity(c.issued_at)},
            {"expiresAt", quantity(c.expires_at)},
            {"transfers", quantity(c.transfers)},
            {"renewals", quantity(c.renewals)},
            {"redeemedBy", redeemed ? json(c.redeemed_by.hex()) : json(nullptr)},
            {"confirmations", quantity(at.header.number - c.issued_at)},
            {"blockNumber", quantity(at.header.number)},
            {"blockHash", at.hash.hex()}};
}

}  // namespace

std::optional<RpcMethod> node_method(NodeRunner& runner, std::string_view name) {
    NodeRunner* r = &runner;
    if (name == "eth_blockNumber") {
        return [r](const json& p) -> json {
            max_params(p, 0);
            return quantity(r->node().head().header.number);
        };
    }
    if (name == "eth_chainId" || name == "net_version") {
        const bool net = name == "net_version";
        return [r, net](const json& p) -> json {
            max_params(p, 0);
            const std::uint64_t id = r->node().head_state().config().chain_id;
            return net ? json(std::to_string(id)) : json(quantity(id));
        };
    }
    if (name == "net_peerCount") {
        return [r](const json& p) -> json {
            max_params(p, 0);
            return quantity(r->node().connected_count());
        };
    }
    if (name == "eth_getBlockByNumber" || name == "eth_getBlockByHash") {
        const bool by_hash = name == "eth_getBlockByHash";
        return [r, by_hash](const json& p) -> json {
            max_params(p, 2);
            const json& full = param(p, 1, "full");
            if (!full.is_null() && !full.is_boolean()) invalid("full: expected a boolean");
            const BlockEntry* e = by_hash ? r->node().chain().tree().find(hash_param(p, 0, "hash"))
                                          : block_at(r->node(), param(p, 0, "block"));
            if (!e) return nullptr;
            return block_json(r->node(), *e, full.is_boolean() && full.get<bool>());
        };
    }
    if (name == "clique_getSigners") {
        return [r](const json& p) -> json {
            max_params(p, 1);
            const BlockEntry* e = block_at(r->node(), param(p, 0, "block"));
            if (!e) throw RpcError{kServerError, "unknown block"};
            json out = json::array();
            for (const Address& a : r->node().chain().snapshot(e->hash).signers()) out.push_back(a.hex());
            return out;
        };
    }
    if (name == "eth_getTransactionCount") {
        return [r](const json& p) -> json {
            max_params(p, 2);
            auto a = Address::from_hex(string_param(p, 0, "address"));
            if (!a) invalid("address: expected 20 bytes of 0x-prefixed hex");
            const BlockEntry* e = block_at(r->node(), param(p, 1, "block"));
            if (!e) throw RpcError{kServerError, "unknown block"};
            const state::LedgerState* s = r->node().state_of(e->hash);
            if (!s) throw RpcError{kServerError, "state of the block not available"};
            return quantity(s->account(*a).nonce);
        };
    }
    if (name == "eth_sendRawTransaction") {
        return [r](const json& p) -> json {
            max_params(p, 1);
            auto raw = from_hex(string_param(p, 0, "data"));
            if (!raw) invalid("data: expected 0x-prefixed hex");
            auto tx = decode_transaction(*raw);
            if (!tx) invalid("transaction: " + tx.error().message());
            auto recovered = recover_transaction(std::move(*tx));
            if (!recovered) invalid(std::string("transaction: signature: ") + to_string(recovered.error()));
            auto ref = std::make_shared<const RecoveredTransaction>(std::move(*recovered));
            const node::Effects e = r->submit(ref);
            for (const node::MetricEvent& ev : e.events) {
                if (const auto* refused = std::get_if<node::TxRefused>(&ev);
                    refused && refused->hash == ref->hash) {
                    throw RpcError{kServerError,
                                   std::string("transaction refused: ") + txpool::to_string(refused->reason)};
                }
            }
            return ref->hash.hex();
        };
    }
    if (name == "cl_getCode" || name == "cl_getCodeProof") {
        const bool proof = name == "cl_getCodeProof";
        return [r, proof](const json& p) -> json {
            max_params(p, 2);
            const Hash32 id = hash_param(p, 0, "code");
            const BlockEntry* e = block_at(r->node(), param(p, 1, "block"));
            if (!e) throw RpcError{kServerError, "unknown block"};
            const state::LedgerState* s = r->node().state_of(e->hash);
            if (!s) throw RpcError{kServerError, "state of the block not available"};
            const auto code = s->code(id);
            if (!proof) return code ? code_json(id, *code, *e) : json(nullptr);
            json nodes = json::array();
            for (const Bytes& b : s->prove_code(id)) nodes.push_back(to_hex(b));
            return {{"id", id.hex()},
                    {"blockNumber", quantity(e->header.number)},
                    {"blockHash", e->hash.hex()},
                    {"stateRoot", e->header.state_root.hex()},
                    {"key", state::key::code(id).hex()},
                    {"value", code ? json(to_hex(state::encode(*code))) : json(nullptr)},
                    {"proof", std::move(nodes)}};
        };
    }
    return std::nullopt;
}

}  // namespace cl::live
