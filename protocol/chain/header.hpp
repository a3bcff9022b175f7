// The Ethereum block header (Yellow Paper §4.3) with London's optional baseFee, its
// RLP encoding and block hash.
//
// Integer fields are uint64: Clique difficulties are 1 or 2 and every other integer of a
// Clique network fits; a wider integer in decoded input is reported as an error. Headers
// with post-London fields (withdrawalsRoot, blob gas, ...) are rejected at decoding:
// Clique never carries them (geth's Clique SealHash panics on them).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "protocol/core/bytes.hpp"
#include "protocol/core/rlp.hpp"

namespace cl {

struct Header {
    Hash32 parent_hash;
    Hash32 uncle_hash;
    Address coinbase;
    Hash32 state_root;
    Hash32 tx_root;
    Hash32 receipt_root;
    Bloom bloom;
    std::uint64_t difficulty = 0;
    std::uint64_t number = 0;
    std::uint64_t gas_limit = 0;
    std::uint64_t gas_used = 0;
    std::uint64_t time = 0;  // seconds since the Unix epoch
    Bytes extra;
    Hash32 mix_digest;
    Nonce8 nonce;
    std::optional<std::uint64_t> base_fee;  // EIP-1559 (London), absent before

    friend bool operator==(const Header&, const Header&) = default;
};

// The header fields in RLP order; field_name() names them in decode errors.
enum class HeaderField {
    kParentHash,
    kUncleHash,
    kCoinbase,
    kStateRoot,
    kTxRoot,
    kReceiptRoot,
    kBloom,
    kDifficulty,
    kNumber,
    kGasLimit,
    kGasUsed,
    kTime,
    kExtra,
    kMixDigest,
    kNonce,
    kBaseFee,
    kList,
};
const char* field_name(HeaderField f);

struct HeaderDecodeError {
    HeaderField field;  // kList: the enclosing list itself (framing, item count)
    rlp::Error error;
    std::string message() const;
};

Bytes encode(const Header& header);
std::expected<Header, HeaderDecodeError> decode_header(BytesView rlp);

// keccak256 of the header's RLP.
Hash32 block_hash(const Header& header);

// keccak256(rlp([])): the uncle hash of every block without uncles.
extern const Hash32 kEmptyUncleHash;

// The header's RLP with `extra` in place of header.extra: the Clique seal hash signs the
// header with the seal cut from extraData (shared/spec/clique.md §3).
Bytes encode_with_extra(const Header& header, BytesView extra);

}  // namespace cl
