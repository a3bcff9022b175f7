#include "sim/input/text_file.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace cl::sim::input {
namespace {

// Length of the well-formed UTF-8 sequence at text[i] (Unicode 15 §3.9, table 3-7:
// no overlong forms, no surrogates, at most U+10FFFF), or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;  // overlong
        if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;  // overlong
        if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const unsigned char b = byte(i + k);
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    }
    return n;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

void append_hex(std::string& out, unsigned char c) {
    constexpr std::string_view kHex = "0123456789abcdef";
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
}

// Appends the character at text[i] escaped; returns its length in bytes.
std::size_t append_escaped(std::string& out, std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
        out += "\\n";
    } else if (c == '\t') {
        out += "\\t";
    } else if (c == '\r') {
        out += "\\r";
    } else if (is_control(c)) {
        append_hex(out, c);
    } else if (const std::size_t n = utf8_length(text, i); n == 0) {
        append_hex(out, c);
    } else {
        out.append(text.substr(i, n));
        return n;
    }
    return 1;
}

}  // namespace

std::string location(std::string_view file, std::size_t line, std::size_t column) {
    // Appended piecewise: GCC 12 at -O3 misreads `":" + std::to_string(n)` (-Wrestrict).
    std::string s(file);
    if (line != 0) {
        s += ':';
        s += std::to_string(line);
        if (column != 0) {
            s += ':';
            s += std::to_string(column);
        }
    }
    return s;
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) i += append_escaped(out, text, i);
    return out;
}

std::string excerpt(std::string_view text) {
    std::string out;
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < text.size() && chars < kMaxQuotedChars) {
        i += append_escaped(out, text, i);
        ++chars;
    }
    if (i < text.size()) out += "...";
    return out;
}

std::string quote(std::string_view text) { return "'" + excerpt(text) + "'"; }

std::optional<BadText> find_bad_text(std::string_view text, bool allow_newlines, std::string_view format) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool whitespace = c == '\t' || c == '\n' || c == '\r';
        if (is_control(c) && !(whitespace && allow_newlines)) {
            std::string message = "control character ";
            append_hex(message, c);
            if (allow_newlines) {
                message += " (";
                message += format;
                message += " text holds no control characters but tab, LF and CR)";
            } else {
                message += " (not allowed in a name)";
            }
            return BadText{line, column, i, message};
        }
        const std::size_t n = utf8_length(text, i);
        if (n == 0) {
            std::string message = "invalid UTF-8 (byte ";
            append_hex(message, c);
            message += "): ";
            message += format;
            return BadText{line, column, i, message + " text is UTF-8"};
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            column += n;  // columns count bytes, as yaml-cpp's marks do
        }
        i += n;
    }
    return std::nullopt;
}

std::expected<std::string, std::string> read_input_file(const std::string& path, std::size_t max_bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        if (ec && ec != std::errc::no_such_file_or_directory)
            return std::unexpected("cannot read: " + ec.message());
        return std::unexpected(std::string("no such file"));
    }
    if (fs::is_directory(st)) return std::unexpected(std::string("is a directory, not a file"));
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected("cannot open: " + std::string(std::strerror(errno)));
    std::string text;
    std::array<char, 65536> buffer{};
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (text.size() + got > max_bytes) {
            return std::unexpected("larger than " + std::to_string(max_bytes >> 20) +
                                   " MiB, the most an input file may hold");
        }
        text.append(buffer.data(), got);
    }
    if (in.bad()) return std::unexpected(std::string("read error"));
    return text;
}

}  // namespace cl::sim::input
