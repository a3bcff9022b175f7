// The checkpoint payload validators sign (shared/spec/checkpoint.md §1):
//   keccak256("cloudledger-checkpoint" ‖ chain_id ‖ h ‖ block_hash ‖ state_root ‖ signer_set_hash)
//
// Byte encoding (docs/checkpoints.md "Payload"): the 22 ASCII bytes of the tag, then
// chain_id and h as 8-byte big-endian unsigned integers, then the three 32-byte hashes —
// 134 bytes in all. Every field after the constant tag has a fixed width, so the
// concatenation is unambiguous without length prefixes, and it is what Solidity's
// abi.encodePacked("cloudledger-checkpoint", uint64 chain_id, uint64 h, bytes32,
// bytes32, bytes32) produces: an EVM checkpoint contract on the mainchain (ECIP-1028
// puts it there) recomputes it with one keccak256 and checks each vote with ecrecover.
//
// signer_set_hash = keccak256(a_1 ‖ … ‖ a_n), the 20-byte addresses of the validator set
// at h in ascending order, no duplicates (abi.encodePacked of the addresses one by one).
// The signature is the validator's plain secp256k1 signature over the 32-byte payload
// hash (no "\x19Ethereum Signed Message" prefix: the tag already separates the domain).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "protocol/core/bytes.hpp"

namespace cl::checkpoint {

inline constexpr std::string_view kPayloadTag = "cloudledger-checkpoint";
inline constexpr std::size_t kPayloadSize = kPayloadTag.size() + 8 + 8 + 3 * 32;  // 134

struct Payload {
    std::uint64_t chain_id = 0;
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    Hash32 signer_set_hash;

    friend bool operator==(const Payload&, const Payload&) = default;
};

// REQUIRES: `signers` strictly ascending (checked: an abort on a caller's bug; untrusted
// sets are checked with is_strictly_sorted() first).
Hash32 signer_set_hash(std::span<const Address> signers);
bool is_strictly_sorted(std::span<const Address> signers);

// The 134 bytes above, and their keccak256 (what is signed).
Bytes payload_bytes(const Payload& p);
Hash32 payload_hash(const Payload& p);

}  // namespace cl::checkpoint
