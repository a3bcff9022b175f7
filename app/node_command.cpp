// `cloudledger node`: one live node (docs/live.md "cloudledger node").
#include <fstream>
#include <sstream>

#include "app/command_line.hpp"
#include "app/live_chain.hpp"
#include "app/live_commands.hpp"
#include "live/live_node.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::app {

namespace {

constexpr std::string_view kUsage =
    "usage: cloudledger node --index I [--validators N] [--peer ID@HOST:PORT]... [--host H]\n"
    "                        [--p2p-port P] [--rpc-port R] [--key-file FILE] [--seed S]\n"
    "                        [--scenario FILE.yaml] [--period 1s] [--genesis-time T] [--verbose]";
constexpr std::string_view kHelp =
    "\n"
    "Runs one Cloud Ledger node on TCP (Boost.Asio) with a JSON-RPC server, until SIGINT or\n"
    "SIGTERM. Nodes 0..N-1 are the validators of the genesis (the first N clouds of the\n"
    "scenario, default the embedded one), later indices are full nodes. Prints\n"
    "`rpc http://HOST:PORT` on stdout once it listens.\n"
    "\n"
    "options:\n"
    "  --index I            this node's index (its PeerId)\n"
    "  --validators N       validators in the genesis (default: the scenario's clouds)\n"
    "  --peer ID@HOST:PORT  a static peer (repeat); the higher index dials\n"
    "  --host H             listen address, an IP literal (default 127.0.0.1)\n"
    "  --p2p-port P         peer port (default 30303; 0: any)\n"
    "  --rpc-port R         JSON-RPC port (default 8545; 0: any)\n"
    "  --key-file FILE      the validator key, 64 hex digits (default: derived from the seed);\n"
    "                       it must be the key of genesis validator I\n"
    "  --seed S             key derivation seed (default: the scenario's)\n"
    "  --scenario FILE      the scenario whose clouds, pool and consensus settings to use\n"
    "  --period D           Clique period, whole seconds (default: the scenario's)\n"
    "  --genesis-time T     the genesis timestamp, Unix seconds (default 0); all nodes alike\n"
    "  --verbose            log sealed, imported and rejected blocks on stderr\n"
    "  --p2p-fd FD, --rpc-fd FD   use inherited listening sockets (testnet uses these)\n"
    "\n"
    "Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad usage or input.\n";

std::optional<live::PeerAddress> parse_peer(const std::string& s) {
    const auto at = s.find('@');
    const auto colon = s.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at) return std::nullopt;
    const auto id = parse_uint(s.substr(0, at));
    const auto port = parse_uint(s.substr(colon + 1));
    if (!id || *id > 0xffffffffu || !port || *port == 0 || *port > 65535) return std::nullopt;
    std::string host = s.substr(at + 1, colon - at - 1);
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    if (ec) return std::nullopt;
    return live::PeerAddress{static_cast<node::PeerId>(*id), host, static_cast<std::uint16_t>(*port)};
}

}  // namespace

int run_node(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    LiveChainOptions chain_options;
    std::optional<std::uint64_t> index;
    std::vector<live::PeerAddress> peers;
    std::string host = "127.0.0.1";
    std::uint64_t p2p_port = 30303, rpc_port = 8545;
    std::optional<int> p2p_fd, rpc_fd;
    std::string key_file;
    bool verbose = false;
    auto bad = [&](const std::string& m) { return usage_error(err, m, kUsage, "node"); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            out << kUsage << "\n" << kHelp;
            return 0;
        }
        if (a == "--verbose") {
            verbose = true;
            continue;
        }
        auto number = [&](const std::string& v, const char* name) -> std::optional<std::uint64_t> {
            auto n = parse_uint(v);
            if (!n) err << "error: " << name << ": expected a whole number, got '" << v << "'\n";
            return n;
        };
        if (auto v = take_value(args, i, {"--index"})) {
            if (!*v) return bad(v->error());
            if (!(index = number(**v, "--index")) || *index > 0xffffffffu)
                return bad("--index: out of range");
        } else if (auto v2 = take_value(args, i, {"--validators"})) {
            if (!*v2) return bad(v2->error());
            auto n = number(**v2, "--validators");
            if (!n || *n == 0 || *n > 1000) return bad("--validators: 1 to 1000");
            chain_options.validators = *n;
        } else if (auto v3 = take_value(args, i, {"--peer"})) {
            if (!*v3) return bad(v3->error());
            auto p = parse_peer(**v3);
            if (!p) return bad("--peer: expected ID@IP:PORT, got '" + **v3 + "'");
            peers.push_back(*p);
        } else if (auto v4 = take_value(args, i, {"--host"})) {
            if (!*v4) return bad(v4->error());
            host = **v4;
        } else if (auto v5 = take_value(args, i, {"--p2p-port"})) {
            if (!*v5) return bad(v5->error());
            auto n = number(**v5, "--p2p-port");
            if (!n || *n > 65535) return bad("--p2p-port: 0 to 65535");
            p2p_port = *n;
        } else if (auto v6 = take_value(args, i, {"--rpc-port"})) {
            if (!*v6) return bad(v6->error());
            auto n = number(**v6, "--rpc-port");
            if (!n || *n > 65535) return bad("--rpc-port: 0 to 65535");
            rpc_port = *n;
        } else if (auto v7 = take_value(args, i, {"--key-file"})) {
            if (!*v7) return bad(v7->error());
            key_file = **v7;
        } else if (auto v8 = take_value(args, i, {"--seed"})) {
            if (!*v8) return bad(v8->error());
            auto n = number(**v8, "--seed");
            if (!n) return bad("--seed: expected a whole number");
            chain_options.seed = *n;
        } else if (auto v9 = take_value(args, i, {"--scenario"})) {
            if (!*v9) return bad(v9->error());
            chain_options.scenario_file = **v9;
        } else if (auto v10 = take_value(args, i, {"--period"})) {
            if (!*v10) return bad(v10->error());
            auto d = parse_duration(**v10);
            if (!d || d->count() % 1000 != 0 || d->count() < 1000) {
                return bad("--period: whole seconds, at least 1s (e.g. 1s, 15s)");
            }
            chain_options.period = static_cast<std::uint64_t>(d->count() / 1000);
        } else if (auto v11 = take_value(args, i, {"--genesis-time"})) {
            if (!*v11) return bad(v11->error());
            auto n = number(**v11, "--genesis-time");
            if (!n) return bad("--genesis-time: Unix seconds");
            chain_options.genesis_time = *n;
        } else if (auto v12 = take_value(args, i, {"--p2p-fd"})) {
            if (!*v12) return bad(v12->error());
            auto n = number(**v12, "--p2p-fd");
            if (!n || *n > 1024) return bad("--p2p-fd: a file descriptor");
            p2p_fd = static_cast<int>(*n);
        } else if (auto v13 = take_value(args, i, {"--rpc-fd"})) {
            if (!*v13) return bad(v13->error());
            auto n = number(**v13, "--rpc-fd");
            if (!n || *n > 1024) return bad("--rpc-fd: a file descriptor");
            rpc_fd = static_cast<int>(*n);
        } else {
            return bad("unknown argument '" + a + "'");
        }
    }
    if (!index) return bad("--index is required");

    auto chain = make_live_chain(chain_options);
    if (!chain) {
        err << chain.error() << "\n";
        return 2;
    }
    live::RunnerConfig config;
    config.self = static_cast<node::PeerId>(*index);
    config.node = chain->base;
    config.peers = peers;
    // The node's random stream (out-of-turn delays, fork-choice coin flips), derived like its keys.
    {
        const PrivateKey k = derive_private_key(chain->seed, "live/node/" + std::to_string(*index));
        for (std::size_t b = 0; b < 8; ++b) config.rng_seed = (config.rng_seed << 8) | k.view()[b];
    }
    // Chain sync waits for min(5, peers) connections (geth's 5 is more than a small testnet has).
    config.node.min_sync_peers = std::max<std::size_t>(1, std::min<std::size_t>(5, peers.size()));
    // A restarted peer is re-dialled within seconds, not geth's 35 s.
    config.node.redial_interval = std::chrono::seconds(5);
    for (const auto& p : peers) {
        if (p.id == config.self) return bad("--peer: a node is not its own peer");
    }
    if (*index < chain->validator_keys.size()) {
        config.node.signer_key = chain->validator_keys[*index];
        if (!key_file.empty()) {
            std::ifstream in(key_file);
            std::string text;
            in >> text;
            if (!in && text.empty()) {
                err << key_file << ":1:1: cannot read the key file\n";
                return 2;
            }
            auto key = PrivateKey::from_hex(text.starts_with("0x") ? text : "0x" + text);
            if (!key) {
                err << key_file << ":1:1: key: expected 32 bytes of hex\n";
                return 2;
            }
            if (address_of(*key) != address_of(chain->validator_keys[*index])) {
                err << key_file << ":1:1: key: not the key of genesis validator " << *index << " ("
                    << address_of(chain->validator_keys[*index]).hex() << ")\n";
                return 2;
            }
            config.node.signer_key = *key;
        }
    } else if (!key_file.empty()) {
        return bad("--key-file: node " + std::to_string(*index) + " is a full node");
    }

    boost::asio::io_context io(1);
    auto p2p = p2p_fd ? live::listen_fd(io, *p2p_fd)
                      : live::listen_on(io, host, static_cast<std::uint16_t>(p2p_port));
    auto rpc = rpc_fd ? live::listen_fd(io, *rpc_fd)
                      : live::listen_on(io, host, static_cast<std::uint16_t>(rpc_port));
    if (!p2p || !rpc) {
        err << "error: " << (!p2p ? p2p.error() : rpc.error()) << "\n";
        return 1;
    }
    live::LiveNodeOptions options;
    options.runner = std::move(config);
    options.genesis = &*chain->genesis;
    options.p2p = &*p2p;
    options.rpc = &*rpc;
    options.rpc_host = host;
    options.verbose = verbose;
    out.flush();
    return live::run_live_node(io, std::move(options));
}

}  // namespace cl::app
