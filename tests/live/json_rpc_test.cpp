// live/json_rpc: the JSON-RPC 2.0 envelope, its standard error codes and Ethereum's hex
// quantities.
#include "live/json_rpc.hpp"

#include <gtest/gtest.h>

namespace cl::live {
namespace {

using nlohmann::json;

std::optional<RpcMethod> lookup(std::string_view name) {
    if (name == "echo") return [](const json& p) -> json { return p; };
    if (name == "fail") return [](const json&) -> json { throw RpcError{kServerError, "no"}; };
    if (name == "needs_string") {
        return [](const json& p) -> json {
            if (!p.is_array() || p.empty() || !p[0].is_string())
                throw RpcError{kInvalidParams, "invalid params"};
            return p[0];
        };
    }
    return std::nullopt;
}

int code_of(const std::string& body) { return json::parse(body)["error"]["code"].get<int>(); }

TEST(LiveJsonRpc, StandardErrorCodes) {
    EXPECT_EQ(code_of(handle_json_rpc("{not json", lookup)), kParseError);
    EXPECT_EQ(code_of(handle_json_rpc("", lookup)), kParseError);
    EXPECT_EQ(code_of(handle_json_rpc("42", lookup)), kInvalidRequest);
    EXPECT_EQ(code_of(handle_json_rpc("[]", lookup)), kInvalidRequest);
    EXPECT_EQ(code_of(handle_json_rpc(R"({"jsonrpc":"1.0","id":1,"method":"echo"})", lookup)),
              kInvalidRequest);
    EXPECT_EQ(code_of(handle_json_rpc(R"({"jsonrpc":"2.0","id":1,"method":7})", lookup)), kInvalidRequest);
    EXPECT_EQ(code_of(handle_json_rpc(R"({"jsonrpc":"2.0","id":1,"method":"nope"})", lookup)),
              kMethodNotFound);
    EXPECT_EQ(code_of(handle_json_rpc(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":{}})", lookup)),
              kInvalidParams);
    EXPECT_EQ(
        code_of(handle_json_rpc(R"({"jsonrpc":"2.0","id":1,"method":"needs_string","params":[1]})", lookup)),
        kInvalidParams);
    EXPECT_EQ(code_of(handle_json_rpc(R"({"jsonrpc":"2.0","id":1,"method":"fail"})", lookup)), kServerError);
    std::string big = "[";
    for (std::size_t i = 0; i <= kMaxBatch; ++i)
        big += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"echo"})";
    EXPECT_EQ(code_of(handle_json_rpc(big + "]", lookup)), kInvalidRequest);
}

TEST(LiveJsonRpc, ResultsBatchesAndNotifications) {
    const json r = json::parse(
        handle_json_rpc(R"({"jsonrpc":"2.0","id":"a","method":"echo","params":[1,"x"]})", lookup));
    EXPECT_EQ(r["id"], "a");
    EXPECT_EQ(r["result"], json::parse(R"([1,"x"])"));
    const json b = json::parse(handle_json_rpc(
        R"([{"jsonrpc":"2.0","id":1,"method":"echo","params":[]},{"jsonrpc":"2.0","method":"echo"},5])",
        lookup));
    ASSERT_EQ(b.size(), 2u);  // the notification gets no answer; 5 is an invalid request
    EXPECT_EQ(b[1]["error"]["code"], kInvalidRequest);
    EXPECT_EQ(handle_json_rpc(R"({"jsonrpc":"2.0","method":"echo"})", lookup), "");
}

TEST(LiveJsonRpc, HexQuantities) {
    EXPECT_EQ(quantity(0), "0x0");
    EXPECT_EQ(quantity(1024), "0x400");
    EXPECT_EQ(quantity(~std::uint64_t{0}), "0xffffffffffffffff");
    EXPECT_EQ(parse_quantity("0x400"), 1024u);
    EXPECT_EQ(parse_quantity("0x0"), 0u);
    EXPECT_FALSE(parse_quantity("0x"));
    EXPECT_FALSE(parse_quantity("0x01"));
    EXPECT_FALSE(parse_quantity("400"));
    EXPECT_FALSE(parse_quantity("0x1g"));
    EXPECT_FALSE(parse_quantity("0x10000000000000000"));
}

}  // namespace
}  // namespace cl::live
