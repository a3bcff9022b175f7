// Runs one live node until SIGINT/SIGTERM (docs/live.md): the NodeRunner on its
// listeners, the JSON-RPC server on another, one io_context. Prints
// `rpc http://HOST:PORT` on stdout (one write, so lines of several nodes sharing a pipe
// never interleave) once both listen, then logs to stderr when `verbose`.
#pragma once

#include <string>
#include "live/asio.hpp"

#include "live/node_runner.hpp"

namespace cl::live {

struct LiveNodeOptions {
    RunnerConfig runner;
    const node::Genesis* genesis = nullptr;
    boost::asio::ip::tcp::acceptor* p2p = nullptr;  // listening
    boost::asio::ip::tcp::acceptor* rpc = nullptr;  // listening
    std::string rpc_host = "127.0.0.1";             // as printed
    bool verbose = false;
};

// Returns the exit code: 0 after a signal stopped the node.
int run_live_node(boost::asio::io_context& io, LiveNodeOptions options);

// A listening IPv4 acceptor on host:port (port 0: ephemeral), or on an inherited
// listening socket `fd`. Errors are messages.
std::expected<boost::asio::ip::tcp::acceptor, std::string> listen_on(boost::asio::io_context& io,
                                                                     const std::string& host,
                                                                     std::uint16_t port);
std::expected<boost::asio::ip::tcp::acceptor, std::string> listen_fd(boost::asio::io_context& io, int fd);

}  // namespace cl::live
