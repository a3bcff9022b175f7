// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) with Ethereum's conventions
// (https://ethereum.org/en/developers/docs/apis/json-rpc/): quantities are "0x"-prefixed
// hex without leading zeros ("0x0" for zero), data is "0x"-prefixed hex of whole bytes.
//
// handle_json_rpc() takes an HTTP body and returns the response body: a single request
// or a batch (at most kMaxBatch entries). Errors use the standard codes: -32700 parse
// error (not JSON), -32600 invalid request (not a request object, wrong "jsonrpc",
// method not a string, empty or oversized batch), -32601 method not found, -32602
// invalid params; a method's own failure is -32000 (geth's "server error" range). A
// request without "id" is a notification: it runs and gets no response (a batch of only
// notifications, and a lone notification, answer with an empty body). Never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/core/bytes.hpp"

namespace cl::live {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kServerError = -32000;
inline constexpr std::size_t kMaxBatch = 100;

// What a method raises to answer with an error object.
struct RpcError {
    int code = kServerError;
    std::string message;
};

// A method: params (an array, or null when absent) in, result out; throws RpcError.
using RpcMethod = std::function<nlohmann::json(const nlohmann::json& params)>;
// The method named `name`, or nullopt.
using RpcLookup = std::function<std::optional<RpcMethod>(std::string_view name)>;

std::string handle_json_rpc(std::string_view body, const RpcLookup& lookup);

// ---- Ethereum's hex conventions ----
std::string quantity(std::uint64_t v);
// Strict: "0x", then 1–16 hex digits without a leading zero (except "0x0").
std::optional<std::uint64_t> parse_quantity(std::string_view s);

}  // namespace cl::live
