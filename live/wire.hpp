// The live node's wire format (docs/live.md "Wire format"): protocol::node messages as
// the RLP the simulator sizes (protocol/node/messages.hpp wire_size()), one message per
// frame.
//
// A frame is a 4-byte big-endian length L followed by L bytes: a one-byte message code
// (devp2p's codes 0x00–0x03, eth's at the RLPx offset 0x10, as RLPx numbers them) and the
// message's RLP. What RLPx adds and this leaves out: the ECIES handshake, the AES-CTR
// encryption and the MACs (the 16 bytes wire_size() counts per frame; this framing spends
// 5), and Snappy compression. The first frame on a connection is a Hello naming the
// dialer's node index and genesis hash (devp2p Hello, reduced to what a static testnet
// needs).
//
// Decoding is strict (canonical RLP, exact item counts) and never trusts a length:
// every decoder of untrusted bytes returns an error value, never aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>

#include "protocol/core/bytes.hpp"
#include "protocol/node/messages.hpp"

namespace cl::live {

// The largest frame accepted or sent (length prefix excluded): geth's eth protocol caps
// a message at 10 MiB (maxMessageSize); a Cloud Ledger block is far smaller.
inline constexpr std::size_t kMaxFrame = 4 * 1024 * 1024;
inline constexpr std::size_t kLengthPrefix = 4;

// Message codes (RLPx: devp2p base protocol 0x00–0x0f, eth from 0x10).
inline constexpr std::uint8_t kCodeHello = 0x00;
inline constexpr std::uint8_t kCodeDisconnect = 0x01;
inline constexpr std::uint8_t kCodePing = 0x02;
inline constexpr std::uint8_t kCodePong = 0x03;
inline constexpr std::uint8_t kCodeStatus = 0x10;
inline constexpr std::uint8_t kCodeNewBlockHashes = 0x11;
inline constexpr std::uint8_t kCodeTransactions = 0x12;
inline constexpr std::uint8_t kCodeGetBlockHeaders = 0x13;
inline constexpr std::uint8_t kCodeNewBlock = 0x17;

// devp2p Hello, reduced: [protocol version, node index, genesis hash].
struct Hello {
    std::uint64_t node = 0;
    Hash32 genesis;
};
inline constexpr std::uint64_t kHelloVersion = 1;

// The frame body (code ‖ RLP) of `m`; its RLP is wire_size(m) − 16 bytes long.
Bytes encode_message(const node::Message& m);
Bytes encode_hello(const Hello& h);

// Decodes a frame body. Errors name what was wrong ("new_block: header: ...").
std::expected<node::Message, std::string> decode_message(BytesView body);
std::expected<Hello, std::string> decode_hello(BytesView body);

// `body` with its length prefix. REQUIRES: body.size() <= kMaxFrame.
Bytes frame(const Bytes& body);
// The length announced by a prefix. REQUIRES: prefix.size() == kLengthPrefix.
std::size_t frame_length(BytesView prefix);

}  // namespace cl::live
