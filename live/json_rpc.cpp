#include "live/json_rpc.hpp"

#include <charconv>

namespace cl::live {

using nlohmann::json;

namespace {

json error_response(const json& id, int code, std::string message) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::move(message)}}}};
}

// One request object; nullopt for a notification.
std::optional<json> handle_one(const json& request, const RpcLookup& lookup) {
    if (!request.is_object())
        return error_response(nullptr, kInvalidRequest, "invalid request: not an object");
    const bool notification = !request.contains("id");
    json id = notification ? json(nullptr) : request["id"];
    if (!id.is_null() && !id.is_string() && !id.is_number()) {
        return error_response(nullptr, kInvalidRequest,
                              "invalid request: id must be a string, number or null");
    }
    const auto version = request.find("jsonrpc");
    if (version == request.end() || *version != "2.0") {
        return error_response(id, kInvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\"");
    }
    const auto method = request.find("method");
    if (method == request.end() || !method->is_string()) {
        return error_response(id, kInvalidRequest, "invalid request: \"method\" must be a string");
    }
    json params = request.contains("params") ? request["params"] : json(nullptr);
    if (!params.is_null() && !params.is_array()) {
        // Ethereum's methods take positional parameters only.
        return error_response(id, kInvalidParams, "invalid params: expected an array");
    }
    const auto fn = lookup(method->get_ref<const std::string&>());
    if (!fn) {
        return error_response(
            id, kMethodNotFound,
            "the method " + method->get<std::string>() + " does not exist/is not available");
    }
    json result;
    try {
        result = (*fn)(params);
    } catch (const RpcError& e) {
        if (notification) return std::nullopt;
        return error_response(id, e.code, e.message);
    } catch (const json::exception& e) {
        if (notification) return std::nullopt;
        return error_response(id, kInvalidParams, std::string("invalid params: ") + e.what());
    }
    if (notification) return std::nullopt;
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

}  // namespace

std::string handle_json_rpc(std::string_view body, const RpcLookup& lookup) {
    const json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded()) return error_response(nullptr, kParseError, "parse error").dump();
    if (request.is_array()) {
        if (request.empty() || request.size() > kMaxBatch) {
            return error_response(
                       nullptr, kInvalidRequest,
                       "invalid request: a batch holds 1 to " + std::to_string(kMaxBatch) + " requests")
                .dump();
        }
        json out = json::array();
        for (const json& r : request) {
            if (auto answer = handle_one(r, lookup)) out.push_back(std::move(*answer));
        }
        return out.empty() ? std::string() : out.dump();
    }
    auto answer = handle_one(request, lookup);
    return answer ? answer->dump() : std::string();
}

std::string quantity(std::uint64_t v) {
    char buf[2 + 16];
    buf[0] = '0';
    buf[1] = 'x';
    const auto r = std::to_chars(buf + 2, buf + sizeof buf, v, 16);
    return std::string(buf, r.ptr);
}

std::optional<std::uint64_t> parse_quantity(std::string_view s) {
    if (s.size() < 3 || s.size() > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
    const std::string_view digits = s.substr(2);
    if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
    std::uint64_t v = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, 16);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
    return v;
}

}  // namespace cl::live
