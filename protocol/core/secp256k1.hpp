// secp256k1 keys, recoverable ECDSA signatures and signer recovery (libsecp256k1 with
// its recovery module).
//
// Signatures are Ethereum's 65 bytes r ‖ s ‖ v with v ∈ {0, 1}. Signing is RFC 6979
// deterministic and always yields low s. Recovery is strict: v must be 0 or 1 (27/28
// are an error, not a value to normalise), r and s must lie in [1, n−1], and s must be
// in the lower half (EIP-2). geth's Clique ecrecover would accept a high-s seal; we
// reject it, which no honest signer notices and which removes seal malleability.
// Thread-safe: the library context is created once and never modified afterwards.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include "protocol/core/bytes.hpp"

namespace cl {

struct PrivateKeyTag;
using PrivateKey = FixedBytes<32, PrivateKeyTag>;

enum class [[nodiscard]] SignatureError{
    kInvalidRecoveryId,  // v not in {0, 1}
    kInvalidR,           // r == 0 or r >= n
    kInvalidS,           // s == 0 or s >= n
    kHighS,              // s > n/2 (EIP-2)
    kRecoveryFailed,     // no public key recovers from (hash, r, s, v)
};
const char* to_string(SignatureError e);

// Deterministic key for a named entity: keccak256("cloudledger/key" ‖ seed (8 bytes,
// big-endian) ‖ name ‖ counter), taking the first counter for which the result is a
// valid secret key (it almost always is counter 0).
PrivateKey derive_private_key(std::uint64_t seed, std::string_view name);

// The Ethereum address of a key: last 20 bytes of keccak256 of the 64-byte public key.
// REQUIRES: key is a valid secret key.
Address address_of(const PrivateKey& key);

// REQUIRES: key is a valid secret key.
Signature sign(const Hash32& hash, const PrivateKey& key);

// The address whose key produced `sig` over `hash`.
std::expected<Address, SignatureError> recover_signer(const Hash32& hash, const Signature& sig);

}  // namespace cl
