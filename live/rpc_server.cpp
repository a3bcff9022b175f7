#include "live/rpc_server.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

namespace cl::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

class RpcServer::Session : public std::enable_shared_from_this<Session> {
  public:
    Session(RpcServer& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
        ++server_.sessions_;
    }
    ~Session() { --server_.sessions_; }
    void close() {
        beast::error_code ignored;
        stream_.socket().close(ignored);
    }

    void read() {
        parser_.emplace();
        parser_->body_limit(kMaxBody);
        parser_->header_limit(16 * 1024);
        stream_.expires_after(kIdleTimeout);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

  private:
    void on_read(beast::error_code ec) {
        if (server_.stopped_) return;
        if (ec == http::error::body_limit) {
            respond(http::status::payload_too_large, R"({"error":"request body too large"})", false);
            return;
        }
        if (ec) return;  // EOF, timeout, malformed HTTP: close
        const auto& req = parser_->get();
        if (req.method() != http::verb::post) {
            respond(http::status::method_not_allowed, R"({"error":"POST a JSON-RPC request"})", false);
            return;
        }
        const std::string answer = handle_json_rpc(req.body(), server_.lookup_);
        respond(answer.empty() ? http::status::no_content : http::status::ok, answer, req.keep_alive());
    }

    void respond(http::status status, std::string body, bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(status, 11);
        res->set(http::field::server, "cloudledger");
        if (status != http::status::no_content) res->set(http::field::content_type, "application/json");
        res->keep_alive(keep_alive);
        res->body() = std::move(body);
        res->prepare_payload();
        stream_.expires_after(kIdleTimeout);
        http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
            if (ec || self->server_.stopped_) return;
            if (!res->keep_alive()) {
                beast::error_code ignored;
                self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                return;
            }
            self->read();
        });
    }

    RpcServer& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_{8192};
    std::optional<http::request_parser<http::string_body>> parser_;
};

RpcServer::RpcServer(asio::io_context& io, tcp::acceptor listener, RpcLookup lookup)
    : io_(io), listener_(std::move(listener)), lookup_(std::move(lookup)) {}

void RpcServer::start() { accept(); }

void RpcServer::stop() {
    stopped_ = true;
    beast::error_code ignored;
    listener_.close(ignored);
    for (auto& w : open_) {
        if (auto session = w.lock()) session->close();
    }
    open_.clear();
}

void RpcServer::accept() {
    listener_.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (stopped_) return;
        if (!ec) {
            if (sessions_ >= kMaxSessions) {
                beast::error_code ignored;
                socket.close(ignored);
            } else {
                std::erase_if(open_, [](const auto& w) { return w.expired(); });
                auto session = std::make_shared<Session>(*this, std::move(socket));
                open_.push_back(session);
                session->read();
            }
        }
        accept();
    });
}

}  // namespace cl::live
