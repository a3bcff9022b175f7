// A small blocking JSON-RPC client over HTTP/1.1 (Boost.Beast), for the `rpc` command
// and tests. One request per connection; a deadline bounds every call.
#pragma once

#include <chrono>
#include <expected>
#include <nlohmann/json.hpp>
#include <string>

namespace cl::live {

struct Url {
    std::string host;
    std::string port;
    std::string target = "/";
};
// "http://HOST:PORT[/PATH]"; errors say what is wrong.
std::expected<Url, std::string> parse_url(const std::string& url);

// POSTs `body` and returns the response body (any HTTP status), or a transport error.
std::expected<std::string, std::string> http_post(
    const Url& url, const std::string& body, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Calls `method` with `params` (an array); returns the whole response object.
std::expected<nlohmann::json, std::string> rpc_call(
    const Url& url, const std::string& method, const nlohmann::json& params = nlohmann::json::array(),
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace cl::live
