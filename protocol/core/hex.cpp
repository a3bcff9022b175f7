#include "protocol/core/bytes.hpp"

namespace cl {

const char* to_string(HexError e) {
    switch (e) {
        case HexError::kOddLength:
            return "odd number of hex digits";
        case HexError::kBadDigit:
            return "invalid hex digit";
        case HexError::kWrongLength:
            return "wrong length";
    }
    return "unknown hex error";
}

std::string to_hex(BytesView bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(2 + 2 * bytes.size(), '0');
    out[1] = 'x';
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 + 2 * i] = kDigits[bytes[i] >> 4];
        out[3 + 2 * i] = kDigits[bytes[i] & 0xf];
    }
    return out;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::expected<Bytes, HexError> from_hex(std::string_view hex) {
    if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
    if (hex.size() % 2 != 0) return std::unexpected(HexError::kOddLength);
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(hex[2 * i]);
        const int lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::unexpected(HexError::kBadDigit);
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

}  // namespace cl
