#include "app/conformance/json_input.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cl::app {
namespace {

std::string type_error(const std::string& where, const char* key, const char* expected,
                       const nlohmann::json& found) {
    return where + "." + key + ": expected " + expected + ", found " + found.type_name();
}

}  // namespace

namespace {

// nlohmann's DOM builder, but a parse error is recorded with its byte offset instead of
// thrown: the parser reports every error through parse_error() — syntax errors and also
// numbers beyond a double's range (out_of_range 406), which carry no position when thrown.
class PositionedDomBuilder {
  public:
    using json = nlohmann::json;
    explicit PositionedDomBuilder(json& result) : dom_(result, /*allow_exceptions=*/false) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
    bool string(json::string_t& v) { return dom_.string(v); }
    bool binary(json::binary_t& v) { return dom_.binary(v); }
    bool start_object(std::size_t n) { return dom_.start_object(n); }
    bool key(json::string_t& v) { return dom_.key(v); }
    bool end_object() { return dom_.end_object(); }
    bool start_array(std::size_t n) { return dom_.start_array(n); }
    bool end_array() { return dom_.end_array(); }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        // `position` counts the characters read, through the offending one. A number out of
        // range is reported once read whole: point at its first character instead.
        constexpr int kNumberOverflow = 406;
        if (e.id == kNumberOverflow && token.size() <= position) position = position + 1 - token.size();
        if (!error_) error_ = Error{position, e.what()};
        return false;  // stop
    }

    struct Error {
        std::size_t byte;  // 1-based offset of the offending character
        std::string what;
    };
    const std::optional<Error>& error() const { return error_; }

  private:
    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::optional<Error> error_;
};

// "FILE:LINE:COLUMN: message" for the character before 1-based byte offset `byte`.
std::string positioned(const std::string& path, const std::string& text, std::size_t byte, std::string what) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    // nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix
    // repeats the position: keep what follows it.
    if (auto pos = what.find("syntax error"); pos != std::string::npos) {
        what = what.substr(pos);
    } else if (auto bracket = what.find("] ");
               what.starts_with("[json.exception.") && bracket != std::string::npos) {
        what = what.substr(bracket + 2);
    }
    return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what;
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    nlohmann::json result;
    PositionedDomBuilder builder(result);
    try {
        nlohmann::json::sax_parse(text, &builder);
    } catch (const nlohmann::json::exception& e) {  // not expected: errors go to parse_error()
        throw InputError(path + ": " + e.what());
    }
    if (const auto& error = builder.error())
        throw InputError(positioned(path, text, error->byte, error->what));
    return result;
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
