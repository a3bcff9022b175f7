// Ethereum RLP (Yellow Paper, appendix B): an encoder and a strict decoder.
//
// The decoder accepts only canonical encodings and reports why it rejects anything
// else: truncated input, trailing bytes, long form used for a short length, leading
// zeros in a length or an integer, a single byte < 0x80 wrapped as a string, lengths
// that overflow. It never reads past its input and never allocates: items are views
// into the input buffer, which must outlive them.
#pragma once

#include <cstdint>
#include <expected>

#include "protocol/core/bytes.hpp"

namespace cl::rlp {

enum class [[nodiscard]] Error{
    kInputTooShort,         // a header or payload runs past the end of the input
    kTrailingBytes,         // bytes left after the single top-level item
    kNonCanonicalSize,      // long-form length used for a payload shorter than 56 bytes
    kLeadingZeroInLength,   // long-form length with a leading zero byte
    kSingleByteAsString,    // a byte < 0x80 encoded as a one-byte string (0x81 xx)
    kLeadingZeroInInteger,  // integer with leading zero bytes (0 must be the empty string)
    kIntegerOverflow,       // integer wider than the target type
    kExpectedString,        // found a list where a byte string is required
    kExpectedList,          // found a byte string where a list is required
    kWrongSize,             // a fixed-size field (hash, address, ...) of another length
    kMissingItem,           // a list has fewer items than the structure requires
    kTooManyItems,          // a list has more items than the structure allows
};
const char* to_string(Error e);

struct Item {
    bool is_list = false;
    BytesView payload;  // string bytes, or the concatenated encodings of list items
};

// Decodes the item at the start of `in` and advances `in` past it.
std::expected<Item, Error> read_item(BytesView& in);
// Decodes one item that must span all of `in`.
std::expected<Item, Error> decode(BytesView in);
// Checks that `in` is exactly one canonical item, descending into every nested list.
std::expected<void, Error> validate(BytesView in);

// An integer field: canonical big-endian, no leading zeros, at most 8 bytes.
std::expected<std::uint64_t, Error> to_uint64(const Item& item);

// Reads the items of a list payload in order.
class ListReader {
  public:
    explicit ListReader(BytesView payload) : rest_(payload) {}

    bool empty() const { return rest_.empty(); }
    std::expected<Item, Error> next();
    std::expected<BytesView, Error> next_bytes();
    std::expected<std::uint64_t, Error> next_uint64();
    std::expected<ListReader, Error> next_list();
    template <class Fixed>
    std::expected<Fixed, Error> next_fixed() {
        auto b = next_bytes();
        if (!b) return std::unexpected(b.error());
        if (b->size() != Fixed::kSize) return std::unexpected(Error::kWrongSize);
        return Fixed::from_span(*b);
    }
    // Succeeds only if every item has been read.
    std::expected<void, Error> finish() const;

  private:
    BytesView rest_;
};

// Opens the list at the start of `in` (which must be exactly one list).
std::expected<ListReader, Error> decode_list(BytesView in);

// ---- encoding --------------------------------------------------------------------
void append_bytes(Bytes& out, BytesView bytes);
void append_uint(Bytes& out, std::uint64_t value);
template <class Fixed>
void append_fixed(Bytes& out, const Fixed& value) {
    append_bytes(out, value.view());
}
// Lists: remember begin_list()'s result and pass it to end_list() once the items
// have been appended; end_list() inserts the list header in front of them.
std::size_t begin_list(const Bytes& out);
void end_list(Bytes& out, std::size_t begin);

// Size of the header that precedes a payload of `payload_size` bytes.
std::size_t header_size(std::size_t payload_size);

}  // namespace cl::rlp
