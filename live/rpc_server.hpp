// JSON-RPC 2.0 over HTTP/1.1 (Boost.Beast) for one live node (docs/live.md "RPC").
//
// POST a JSON-RPC body to any path; the answer is application/json (an empty 204 for
// notifications only). Other methods get 405; a body over kMaxBody gets 413 before it is
// read in full; a connection idle or slow for kIdleTimeout is closed; at most
// kMaxSessions connections are served at once (the rest are closed on accept). Keep-alive
// is honoured. Everything runs on the node's io_context thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>
#include "live/asio.hpp"

#include "live/json_rpc.hpp"

namespace cl::live {

class RpcServer {
  public:
    static constexpr std::size_t kMaxBody = 1024 * 1024;
    static constexpr std::size_t kMaxSessions = 64;
    static constexpr std::chrono::seconds kIdleTimeout{10};

    RpcServer(boost::asio::io_context& io, boost::asio::ip::tcp::acceptor listener, RpcLookup lookup);
    void start();
    // Closes the listener and every session: the io_context then runs out of this server's work.
    void stop();
    std::size_t sessions() const { return sessions_; }

  private:
    class Session;
    void accept();

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor listener_;
    RpcLookup lookup_;
    std::vector<std::weak_ptr<Session>> open_;  // for stop(); pruned on accept
    std::size_t sessions_ = 0;
    bool stopped_ = false;
};

}  // namespace cl::live
