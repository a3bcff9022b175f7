#include "live/live_node.hpp"

#include <unistd.h>

#include <iostream>

#include "live/rpc_methods.hpp"
#include "live/rpc_server.hpp"

namespace cl::live {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void log_event(const node::MetricEvent& e) {
    if (const auto* s = std::get_if<node::BlockSealed>(&e)) {
        std::cerr << "sealed #" << s->block->header.number << " " << s->block->hash.hex()
                  << (s->in_turn ? " in turn" : " out of turn") << "\n";
    } else if (const auto* i = std::get_if<node::BlockImported>(&e)) {
        std::cerr << "imported #" << i->block->header.number << " " << i->block->hash.hex()
                  << (i->new_head ? " head" : "") << (i->reorg_depth ? " reorg" : "") << "\n";
    } else if (const auto* r = std::get_if<node::BlockRejected>(&e)) {
        std::cerr << "rejected " << r->hash.hex() << ": " << r->reason << "\n";
    }
}

}  // namespace

int run_live_node(asio::io_context& io, LiveNodeOptions options) {
    const std::uint16_t rpc_port = options.rpc->local_endpoint().port();
    NodeRunner runner(io, std::move(options.runner), *options.genesis, std::move(*options.p2p));
    if (options.verbose) runner.on_event(log_event);
    RpcServer server(io, std::move(*options.rpc),
                     [&runner](std::string_view name) { return node_method(runner, name); });
    asio::signal_set signals(io, SIGINT, SIGTERM);
    // A signal closes every socket and cancels every timer; run() returns when the
    // aborted handlers have run, so nothing outlives the runner and the server.
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec) return;
        runner.stop();
        server.stop();
    });
    runner.start();
    server.start();
    const std::string line = "rpc http://" + options.rpc_host + ":" + std::to_string(rpc_port) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) return 1;
    io.run();
    return 0;
}

std::expected<tcp::acceptor, std::string> listen_on(asio::io_context& io, const std::string& host,
                                                    std::uint16_t port) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) return std::unexpected("'" + host + "' is not an IP address");
    tcp::acceptor a(io);
    const tcp::endpoint ep(address, port);
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return std::unexpected("listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    return a;
}

std::expected<tcp::acceptor, std::string> listen_fd(asio::io_context& io, int fd) {
    tcp::acceptor a(io);
    boost::system::error_code ec;
    a.assign(tcp::v4(), fd, ec);
    if (ec) return std::unexpected("listening socket " + std::to_string(fd) + ": " + ec.message());
    return a;
}

}  // namespace cl::live
