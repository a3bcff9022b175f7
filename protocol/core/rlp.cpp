#include "protocol/core/rlp.hpp"

namespace cl::rlp {

const char* to_string(Error e) {
    switch (e) {
        case Error::kInputTooShort:
            return "input too short (truncated item)";
        case Error::kTrailingBytes:
            return "trailing bytes after the item";
        case Error::kNonCanonicalSize:
            return "non-canonical size (long form for a short payload)";
        case Error::kLeadingZeroInLength:
            return "leading zero in a long-form length";
        case Error::kSingleByteAsString:
            return "single byte below 0x80 encoded as a string";
        case Error::kLeadingZeroInInteger:
            return "leading zero in an integer";
        case Error::kIntegerOverflow:
            return "integer too large for its field";
        case Error::kExpectedString:
            return "expected a byte string, found a list";
        case Error::kExpectedList:
            return "expected a list, found a byte string";
        case Error::kWrongSize:
            return "fixed-size field has the wrong length";
        case Error::kMissingItem:
            return "list has too few items";
        case Error::kTooManyItems:
            return "list has too many items";
    }
    return "unknown RLP error";
}

std::expected<Item, Error> read_item(BytesView& in) {
    if (in.empty()) return std::unexpected(Error::kInputTooShort);
    const std::uint8_t prefix = in[0];
    if (prefix < 0x80) {  // a single byte is its own encoding
        Item item{false, in.first(1)};
        in = in.subspan(1);
        return item;
    }
    const bool is_list = prefix >= 0xc0;
    const std::uint8_t base = is_list ? 0xc0 : 0x80;
    std::size_t header = 1;
    std::uint64_t length = 0;
    if (prefix - base <= 55) {
        length = static_cast<std::uint64_t>(prefix - base);
    } else {
        const std::size_t length_of_length = static_cast<std::size_t>(prefix - base - 55);
        if (in.size() < 1 + length_of_length) return std::unexpected(Error::kInputTooShort);
        if (in[1] == 0) return std::unexpected(Error::kLeadingZeroInLength);
        for (std::size_t i = 0; i < length_of_length; ++i) length = length << 8 | in[1 + i];
        if (length < 56) return std::unexpected(Error::kNonCanonicalSize);
        header += length_of_length;
    }
    if (length > in.size() - header) return std::unexpected(Error::kInputTooShort);
    Item item{is_list, in.subspan(header, static_cast<std::size_t>(length))};
    if (!is_list && length == 1 && item.payload[0] < 0x80) return std::unexpected(Error::kSingleByteAsString);
    in = in.subspan(header + static_cast<std::size_t>(length));
    return item;
}

std::expected<Item, Error> decode(BytesView in) {
    auto item = read_item(in);
    if (item && !in.empty()) return std::unexpected(Error::kTrailingBytes);
    return item;
}

namespace {

// Iterative depth-first walk, so that deeply nested input cannot exhaust the stack.
std::expected<void, Error> validate_payloads(BytesView in) {
    std::vector<BytesView> pending{in};
    while (!pending.empty()) {
        BytesView rest = pending.back();
        pending.pop_back();
        while (!rest.empty()) {
            auto item = read_item(rest);
            if (!item) return std::unexpected(item.error());
            if (item->is_list) pending.push_back(item->payload);
        }
    }
    return {};
}

}  // namespace

std::expected<void, Error> validate(BytesView in) {
    auto item = decode(in);
    if (!item) return std::unexpected(item.error());
    if (!item->is_list) return {};
    return validate_payloads(item->payload);
}

std::expected<std::uint64_t, Error> to_uint64(const Item& item) {
    if (item.is_list) return std::unexpected(Error::kExpectedString);
    if (item.payload.size() > 8) return std::unexpected(Error::kIntegerOverflow);
    if (!item.payload.empty() && item.payload[0] == 0) return std::unexpected(Error::kLeadingZeroInInteger);
    std::uint64_t value = 0;
    for (std::uint8_t b : item.payload) value = value << 8 | b;
    return value;
}

std::expected<Item, Error> ListReader::next() {
    if (rest_.empty()) return std::unexpected(Error::kMissingItem);
    return read_item(rest_);
}

std::expected<BytesView, Error> ListReader::next_bytes() {
    auto item = next();
    if (!item) return std::unexpected(item.error());
    if (item->is_list) return std::unexpected(Error::kExpectedString);
    return item->payload;
}

std::expected<std::uint64_t, Error> ListReader::next_uint64() {
    auto item = next();
    if (!item) return std::unexpected(item.error());
    return to_uint64(*item);
}

std::expected<ListReader, Error> ListReader::next_list() {
    auto item = next();
    if (!item) return std::unexpected(item.error());
    if (!item->is_list) return std::unexpected(Error::kExpectedList);
    return ListReader(item->payload);
}

std::expected<void, Error> ListReader::finish() const {
    if (!rest_.empty()) return std::unexpected(Error::kTooManyItems);
    return {};
}

std::expected<ListReader, Error> decode_list(BytesView in) {
    auto item = decode(in);
    if (!item) return std::unexpected(item.error());
    if (!item->is_list) return std::unexpected(Error::kExpectedList);
    return ListReader(item->payload);
}

// ---- encoding --------------------------------------------------------------------

namespace {

std::size_t byte_length(std::uint64_t v) {
    std::size_t n = 0;
    for (; v != 0; v >>= 8) ++n;
    return n;
}

// Writes the header for a payload of `size` bytes with base 0x80 (string) or 0xc0 (list).
std::size_t write_header(std::uint8_t* dst, std::size_t size, std::uint8_t base) {
    if (size <= 55) {
        dst[0] = static_cast<std::uint8_t>(base + size);
        return 1;
    }
    const std::size_t n = byte_length(size);
    dst[0] = static_cast<std::uint8_t>(base + 55 + n);
    for (std::size_t i = 0; i < n; ++i) dst[1 + i] = static_cast<std::uint8_t>(size >> (8 * (n - 1 - i)));
    return 1 + n;
}

}  // namespace

std::size_t header_size(std::size_t payload_size) {
    return payload_size <= 55 ? 1 : 1 + byte_length(payload_size);
}

void append_bytes(Bytes& out, BytesView bytes) {
    if (bytes.size() == 1 && bytes[0] < 0x80) {
        out.push_back(bytes[0]);
        return;
    }
    std::uint8_t header[9];
    const std::size_t n = write_header(header, bytes.size(), 0x80);
    out.insert(out.end(), header, header + n);
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void append_uint(Bytes& out, std::uint64_t value) {
    std::uint8_t be[8];
    const std::size_t n = byte_length(value);
    for (std::size_t i = 0; i < n; ++i) be[i] = static_cast<std::uint8_t>(value >> (8 * (n - 1 - i)));
    append_bytes(out, BytesView(be, n));
}

std::size_t begin_list(const Bytes& out) { return out.size(); }

void end_list(Bytes& out, std::size_t begin) {
    std::uint8_t header[9];
    const std::size_t n = write_header(header, out.size() - begin, 0xc0);
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(begin), header, header + n);
}

}  // namespace cl::rlp
