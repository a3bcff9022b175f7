// Reading JSON input files with errors that name the file, the position and the field.
//
// Parsing problems and missing or mistyped fields throw InputError (inside app/ only);
// the command catches it, prints the message and exits with code 2.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "protocol/core/bytes.hpp"

namespace cl::app {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parses a whole file. Throws InputError "FILE:LINE:COLUMN: ..." on a syntax error or a
// number beyond a double's range (anywhere, even in fields no runner reads), "FILE:
// cannot open" when unreadable. No other exception escapes.
nlohmann::json read_json_file(const std::string& path);

// Typed access to obj[key]; `where` names obj in messages ("cases[3].blocks[1]").
// Throw InputError "where.key: expected ..." when missing (required) or of another type.
const nlohmann::json& require(const nlohmann::json& obj, const char* key, const std::string& where);
std::string require_string(const nlohmann::json& obj, const char* key, const std::string& where);
std::optional<std::string> optional_string(const nlohmann::json& obj, const char* key,
                                           const std::string& where);
std::optional<std::uint64_t> optional_uint(const nlohmann::json& obj, const char* key,
                                           const std::string& where);
std::optional<bool> optional_bool(const nlohmann::json& obj, const char* key, const std::string& where);
// A "0x…" hex string (prefix optional) decoded to bytes.
Bytes require_hex(const nlohmann::json& obj, const char* key, const std::string& where);

}  // namespace cl::app
