// A validator's checkpoint vote and its wire form (shared/spec/checkpoint.md §1).
//
// A vote is the payload's variable fields and the validator's signature over
// payload_hash(); the chain id is the network's and is not sent. The voter is not sent
// either: it is recovered from the signature (as the mainchain contract does), so a vote
// cannot name someone else.
//
// Wire form: rlp([height, block_hash, state_root, signer_set_hash, signature]) with the
// height a canonical RLP integer, the hashes 32-byte strings and the signature the
// 65-byte r ‖ s ‖ v (v ∈ {0, 1}): 169 bytes for heights below 128, 170 below 256, 171
// below 65 536, up to 177; wire_size() adds the 16-byte RLPx frame the node's messages
// carry (protocol/node/messages.hpp), so a vote costs ~187 bytes on a link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>

#include "protocol/checkpoint/payload.hpp"
#include "protocol/core/bytes.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::checkpoint {

struct Vote {
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    Hash32 signer_set_hash;
    Signature signature;

    Payload payload(std::uint64_t chain_id) const {
        return Payload{chain_id, height, block_hash, state_root, signer_set_hash};
    }
    friend bool operator==(const Vote&, const Vote&) = default;
};

// Signs payload_hash(p) with `key` (RFC 6979, low s). REQUIRES: key is a valid secret key.
Vote sign_vote(const Payload& p, const PrivateKey& key);

// The address that signed the vote for the chain `chain_id` (strict recovery, see
// protocol/core/secp256k1.hpp). A vote for another chain or altered in any field
// recovers to an unrelated address, never to its signer.
std::expected<Address, SignatureError> recover_voter(std::uint64_t chain_id, const Vote& vote);

Bytes encode_vote(const Vote& vote);
// Strict: canonical RLP, exactly five items of the sizes above.
std::expected<Vote, rlp::Error> decode_vote(BytesView in);

inline constexpr std::size_t kFrameSize = 16;  // RLPx header and MAC, as protocol/node/messages.cpp
// Bytes on the wire: encode_vote(vote).size() + kFrameSize, computed without encoding.
std::size_t wire_size(const Vote& vote);

}  // namespace cl::checkpoint
