// `cloudledger rpc URL METHOD [PARAMS...]`: a JSON-RPC client (docs/live.md "cloudledger rpc").
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/live_chain.hpp"
#include "app/live_commands.hpp"
#include "live/http_client.hpp"

namespace cl::app {

namespace {

constexpr std::string_view kUsage = "usage: cloudledger rpc URL METHOD [PARAMS...] [--timeout 10s]";
constexpr std::string_view kHelp =
    "\n"
    "Calls METHOD on the JSON-RPC server at URL (http://HOST:PORT) and prints the result as\n"
    "JSON on stdout. PARAMS is either one JSON array (the whole params), or one argument per\n"
    "parameter: each is read as JSON when it parses (false, 1, {\"a\":1}), else as a string\n"
    "(latest, 0x1f).\n"
    "\n"
    "examples:\n"
    "  cloudledger rpc http://127.0.0.1:8545 eth_blockNumber\n"
    "  cloudledger rpc http://127.0.0.1:8545 eth_getBlockByNumber latest false\n"
    "  cloudledger rpc http://127.0.0.1:8545 cl_getCode 0x<code id>\n"
    "\n"
    "Exit codes: 0 a result, 1 an error response or no answer (on stderr), 2 bad usage.\n";

}  // namespace

int run_rpc(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    std::vector<std::string> positional;
    std::chrono::milliseconds timeout{10000};
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (is_help(args[i])) {
            out << kUsage << "\n" << kHelp;
            return 0;
        }
        if (auto v = take_value(args, i, {"--timeout"})) {
            if (!*v) return usage_error(err, v->error(), kUsage, "rpc");
            auto d = parse_duration(**v);
            if (!d || d->count() == 0) return usage_error(err, "--timeout: e.g. 10s", kUsage, "rpc");
            timeout = *d;
            continue;
        }
        positional.push_back(args[i]);
    }
    if (positional.size() < 2) return usage_error(err, "URL and METHOD are required", kUsage, "rpc");
    auto url = live::parse_url(positional[0]);
    if (!url) return usage_error(err, "URL: " + url.error(), kUsage, "rpc");
    nlohmann::json params = nlohmann::json::array();
    if (positional.size() == 3) {
        auto whole = nlohmann::json::parse(positional[2], nullptr, false);
        if (!whole.is_discarded() && whole.is_array()) params = whole;
    }
    if (params.empty()) {
        for (std::size_t i = 2; i < positional.size(); ++i) {
            auto v = nlohmann::json::parse(positional[i], nullptr, false);
            params.push_back(v.is_discarded() ? nlohmann::json(positional[i]) : v);
        }
    }
    auto response = live::rpc_call(*url, positional[1], params, timeout);
    if (!response) {
        err << "error: " << positional[0] << ": " << response.error() << "\n";
        return 1;
    }
    if (response->contains("error")) {
        const auto& e = (*response)["error"];
        err << "error " << e.value("code", 0) << ": " << e.value("message", std::string()) << "\n";
        return 1;
    }
    out << (*response)["result"].dump(2) << "\n";
    return 0;
}

}  // namespace cl::app
