#include "app/conformance/json_input.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cl::app {
namespace {

std::string type_error(const std::string& where, const char* key, const char* expected,
                       const nlohmann::json& found) {
    return where + "." + key + ": expected " + expected + ", found " + found.type_name();
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // Translate the byte offset into line and column.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        if (auto pos = what.find("syntax error"); pos != std::string::npos) what = what.substr(pos);
        throw InputError(path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
    }
}

const nlohmann::json& require(const nlohmann::json& obj, const char* key, const std::string& where) {
    if (!obj.is_object()) throw InputError(where + ": expected an object, found " + obj.type_name());
    auto it = obj.find(key);
    if (it == obj.end()) throw InputError(where + "." + key + ": required field is missing");
    return *it;
}

std::string require_string(const nlohmann::json& obj, const char* key, const std::string& where) {
    const auto& v = require(obj, key, where);
    if (!v.is_string()) throw InputError(type_error(where, key, "a string", v));
    return v.get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& obj, const char* key,
                                           const std::string& where) {
    if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
    return require_string(obj, key, where);
}

std::optional<std::uint64_t> optional_uint(const nlohmann::json& obj, const char* key,
                                           const std::string& where) {
    if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
    const auto& v = obj[key];
    if (!v.is_number_unsigned()) throw InputError(type_error(where, key, "a non-negative integer", v));
    return v.get<std::uint64_t>();
}

std::optional<bool> optional_bool(const nlohmann::json& obj, const char* key, const std::string& where) {
    if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
    const auto& v = obj[key];
    if (!v.is_boolean()) throw InputError(type_error(where, key, "true or false", v));
    return v.get<bool>();
}

Bytes require_hex(const nlohmann::json& obj, const char* key, const std::string& where) {
    const std::string text = require_string(obj, key, where);
    auto bytes = from_hex(text);
    if (!bytes) throw InputError(where + "." + key + ": " + to_string(bytes.error()));
    return std::move(*bytes);
}

}  // namespace cl::app
