#include "live/http_client.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include "live/asio.hpp"

namespace cl::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::expected<Url, std::string> parse_url(const std::string& url) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) return std::unexpected("expected http://HOST:PORT[/PATH]");
    std::string rest = url.substr(kScheme.size());
    Url u;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        u.target = rest.substr(slash);
        rest = rest.substr(0, slash);
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
        return std::unexpected("expected http://HOST:PORT[/PATH]");
    }
    u.host = rest.substr(0, colon);
    u.port = rest.substr(colon + 1);
    for (char c : u.port) {
        if (c < '0' || c > '9') return std::unexpected("port: not a number");
    }
    return u;
}

std::expected<std::string, std::string> http_post(const Url& url, const std::string& body,
                                                  std::chrono::milliseconds timeout) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    asio::ip::tcp::resolver resolver(io);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return std::unexpected("resolve " + url.host + ": " + ec.message());
    http::request<http::string_body> req(http::verb::post, url.target, 11);
    req.set(http::field::host, url.host);
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    std::string error;
    stream.expires_after(timeout);
    stream.async_connect(endpoints, [&](beast::error_code e, const auto&) {
        if (e) {
            error = "connect: " + e.message();
            return;
        }
        http::async_write(stream, req, [&](beast::error_code we, std::size_t) {
            if (we) {
                error = "write: " + we.message();
                return;
            }
            http::async_read(stream, buffer, parser, [&](beast::error_code re, std::size_t) {
                if (re) error = "read: " + re.message();
            });
        });
    });
    io.run();
    if (!error.empty()) return std::unexpected(error);
    return parser.get().body();
}

std::expected<nlohmann::json, std::string> rpc_call(const Url& url, const std::string& method,
                                                    const nlohmann::json& params,
                                                    std::chrono::milliseconds timeout) {
    const nlohmann::json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    auto body = http_post(url, request.dump(), timeout);
    if (!body) return std::unexpected(body.error());
    auto response = nlohmann::json::parse(*body, nullptr, false);
    if (response.is_discarded() || !response.is_object())
        return std::unexpected("response is not a JSON object");
    return response;
}

}  // namespace cl::live
