// `cloudledger tx`: builds and signs a Cloud Ledger transaction (promo-pool.md §1, §3)
// and prints its raw hex for eth_sendRawTransaction (docs/live.md "Sending a
// transaction"). Offline: it talks to no node.
#include <fstream>
#include <iostream>

#include "app/command_line.hpp"
#include "app/live_chain.hpp"
#include "app/live_commands.hpp"
#include "protocol/chain/transaction.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/state/call.hpp"

namespace cl::app {

namespace {

constexpr std::string_view kUsage =
    "usage: cloudledger tx request TIER | redeem CODE | transfer CODE TO\n"
    "                      (--key-file FILE | --seed S --key-name NAME) [--nonce N] [--chain-id ID]";
constexpr std::string_view kHelp =
    "\n"
    "Signs a promo-pool call and prints `RAW_HEX HASH` (the raw transaction for\n"
    "eth_sendRawTransaction, and its hash: for a request, the promo code's id).\n"
    "\n"
    "calls:\n"
    "  request TIER       ask for a code of tier TIER (0-based, the scenario's pool.tiers)\n"
    "  redeem CODE        redeem CODE (a member cloud's operator key)\n"
    "  transfer CODE TO   give CODE to the address TO\n"
    "\n"
    "key: --key-file FILE (64 hex digits), or --seed S --key-name NAME for the key the\n"
    "simulator derives (e.g. --seed 1 --key-name operator/ovh, --key-name user/alice).\n"
    "  --nonce N        the sender's nonce (default 0; eth_getTransactionCount tells it)\n"
    "  --chain-id ID    default 61777\n"
    "\n"
    "Exit codes: 0 printed, 2 bad usage or input.\n";

}  // namespace

int run_tx(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    std::vector<std::string> positional;
    std::optional<std::uint64_t> seed;
    std::string key_name, key_file;
    std::uint64_t nonce = 0, chain_id = 61'777;
    auto bad = [&](const std::string& m) { return usage_error(err, m, kUsage, "tx"); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (is_help(args[i])) {
            out << kUsage << "\n" << kHelp;
            return 0;
        }
        std::optional<std::string> number_error;
        auto number = [&](std::string_view name, auto& target) {
            auto v = take_value(args, i, {name});
            if (!v) return false;
            if (!*v) {
                number_error = v->error();
            } else if (const auto n = parse_uint(**v)) {
                target = *n;
            } else {
                number_error = std::string(name) + ": expected a whole number";
            }
            return true;
        };
        if (number("--seed", seed) || number("--nonce", nonce) || number("--chain-id", chain_id)) {
            if (number_error) return bad(*number_error);
        } else if (auto k = take_value(args, i, {"--key-name"})) {
            if (!*k) return bad(k->error());
            key_name = **k;
        } else if (auto f = take_value(args, i, {"--key-file"})) {
            if (!*f) return bad(f->error());
            key_file = **f;
        } else if (args[i].starts_with("--")) {
            return bad("unknown option '" + args[i] + "'");
        } else {
            positional.push_back(args[i]);
        }
    }
    std::optional<PrivateKey> key;
    if (!key_file.empty()) {
        std::ifstream in(key_file);
        std::string text;
        in >> text;
        auto k = PrivateKey::from_hex(text.starts_with("0x") ? text : "0x" + text);
        if (!k) {
            err << key_file << ":1:1: key: expected 32 bytes of hex\n";
            return 2;
        }
        key = *k;
    } else if (seed && !key_name.empty()) {
        key = derive_private_key(*seed, key_name);
    } else {
        return bad("a key is required: --key-file FILE, or --seed S --key-name NAME");
    }
    if (positional.empty()) return bad("a call is required: request, redeem or transfer");
    const std::string& what = positional[0];
    state::Call c;
    auto code = [&](std::size_t i) -> std::optional<Hash32> {
        if (i >= positional.size()) return std::nullopt;
        auto h = Hash32::from_hex(positional[i]);
        return h ? std::optional<Hash32>(*h) : std::nullopt;
    };
    if (what == "request" && positional.size() == 2) {
        const auto tier = parse_uint(positional[1]);
        if (!tier) return bad("request: TIER is a whole number");
        c = state::RequestCall{*tier, std::nullopt};
    } else if (what == "redeem" && positional.size() == 2) {
        if (!code(1)) return bad("redeem: CODE is 32 bytes of 0x-prefixed hex");
        c = state::RedeemCall{*code(1)};
    } else if (what == "transfer" && positional.size() == 3) {
        auto to = Address::from_hex(positional[2]);
        if (!code(1) || !to) return bad("transfer: CODE is 32 bytes and TO 20 bytes of 0x-prefixed hex");
        c = state::TransferCodeCall{*code(1), *to};
    } else {
        return bad("expected request TIER, redeem CODE or transfer CODE TO");
    }
    Transaction tx;
    tx.chain_id = chain_id;
    tx.nonce = nonce;
    tx.to = state::contract_of(c);
    tx.call = state::encode_call(c);
    tx = sign_transaction(tx, *key);
    out << to_hex(encode(tx)) << " " << transaction_hash(tx).hex() << "\n";
    return 0;
}

}  // namespace cl::app
