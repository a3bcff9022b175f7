// RPC helpers for the live network tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "live/http_client.hpp"
#include "live/json_rpc.hpp"
#include "protocol/chain/transaction.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/state/call.hpp"

namespace cl::live::test {

inline Url url_of(const std::string& rpc_line) {
    // "rpc http://127.0.0.1:PORT"
    return parse_url(rpc_line.substr(rpc_line.find(' ') + 1)).value();
}

// The result of a call, or null on an error or no answer (short timeout: tests poll).
inline nlohmann::json call(const Url& u, const std::string& method,
                           nlohmann::json params = nlohmann::json::array()) {
    auto r = rpc_call(u, method, params, std::chrono::seconds(3));
    if (!r || !r->contains("result")) return nullptr;
    return (*r)["result"];
}

inline std::uint64_t head_number(const Url& u) {
    const auto r = call(u, "eth_blockNumber");
    return r.is_string() ? parse_quantity(r.get<std::string>()).value_or(0) : 0;
}

inline std::string head_hash(const Url& u) {
    const auto b = call(u, "eth_getBlockByNumber", {"latest", false});
    return b.is_object() ? b["hash"].get<std::string>() : std::string();
}

// Polls until `pred` holds or `timeout` passes.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(200)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(step);
    }
}

// A signed promo-code request (spec §3) from a user key: the code id is its hash.
inline Transaction request_tx(const std::string& user, std::uint64_t tier = 1) {
    Transaction tx;
    tx.chain_id = 61'777;
    tx.nonce = 0;
    tx.to = state::kPoolAddress;
    tx.call = state::encode_call(state::RequestCall{tier, std::nullopt});
    return sign_transaction(tx, derive_private_key(99, user));
}

}  // namespace cl::live::test
