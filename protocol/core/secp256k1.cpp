#include "protocol/core/secp256k1.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"

namespace cl {
namespace {

// The group order n and n/2, big-endian.
constexpr std::array<std::uint8_t, 32> kOrder = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
constexpr std::array<std::uint8_t, 32> kHalfOrder = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

// Created on first use and immutable afterwards, so it is not mutable global state.
const secp256k1_context* context() {
    static const secp256k1_context* const ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return ctx;
}

bool is_zero(const std::uint8_t* p) {
    for (int i = 0; i < 32; ++i)
        if (p[i] != 0) return false;
    return true;
}

// Big-endian comparison of a 32-byte scalar with a constant.
int compare(const std::uint8_t* p, const std::array<std::uint8_t, 32>& c) {
    return std::memcmp(p, c.data(), 32);
}

// Ethereum address: last 20 bytes of keccak256 of the 64-byte uncompressed key.
Address address_from_pubkey(const secp256k1_pubkey& pub) {
    std::uint8_t out[65];
    std::size_t len = sizeof out;
    secp256k1_ec_pubkey_serialize(context(), out, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    const Hash32 h = keccak256(BytesView(out + 1, 64));
    return Address::from_span(h.view().subspan(12));
}

}  // namespace

const char* to_string(SignatureError e) {
    switch (e) {
        case SignatureError::kInvalidRecoveryId:
            return "recovery id v is not 0 or 1";
        case SignatureError::kInvalidR:
            return "r is zero or not below the group order";
        case SignatureError::kInvalidS:
            return "s is zero or not below the group order";
        case SignatureError::kHighS:
            return "s is in the upper half of the group order (EIP-2)";
        case SignatureError::kRecoveryFailed:
            return "no public key recovers from the signature";
    }
    return "unknown signature error";
}

PrivateKey derive_private_key(std::uint64_t seed, std::string_view name) {
    static constexpr std::string_view kDomain = "cloudledger/key";
    for (std::uint32_t counter = 0;; ++counter) {
        Bytes input(kDomain.begin(), kDomain.end());
        for (int i = 7; i >= 0; --i) input.push_back(static_cast<std::uint8_t>(seed >> (8 * i)));
        input.insert(input.end(), name.begin(), name.end());
        for (int i = 3; i >= 0; --i) input.push_back(static_cast<std::uint8_t>(counter >> (8 * i)));
        const Hash32 h = keccak256(input);
        if (secp256k1_ec_seckey_verify(context(), h.data()) == 1) return PrivateKey::from_span(h.view());
    }
}

Address address_of(const PrivateKey& key) {
    secp256k1_pubkey pub;
    CL_ASSERT(secp256k1_ec_pubkey_create(context(), &pub, key.data()) == 1);
    return address_from_pubkey(pub);
}

Signature sign(const Hash32& hash, const PrivateKey& key) {
    secp256k1_ecdsa_recoverable_signature rsig;
    CL_ASSERT(secp256k1_ecdsa_sign_recoverable(context(), &rsig, hash.data(), key.data(),
                                               secp256k1_nonce_function_rfc6979, nullptr) == 1);
    Signature out;
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), out.data(), &recid, &rsig);
    out.bytes[64] = static_cast<std::uint8_t>(recid);
    return out;
}

std::expected<Address, SignatureError> recover_signer(const Hash32& hash, const Signature& sig) {
    const std::uint8_t* r = sig.data();
    const std::uint8_t* s = sig.data() + 32;
    const std::uint8_t v = sig.bytes[64];
    if (v > 1) return std::unexpected(SignatureError::kInvalidRecoveryId);
    if (is_zero(r) || compare(r, kOrder) >= 0) return std::unexpected(SignatureError::kInvalidR);
    if (is_zero(s) || compare(s, kOrder) >= 0) return std::unexpected(SignatureError::kInvalidS);
    if (compare(s, kHalfOrder) > 0) return std::unexpected(SignatureError::kHighS);

    secp256k1_ecdsa_recoverable_signature rsig;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rsig, sig.data(), v) != 1)
        return std::unexpected(SignatureError::kRecoveryFailed);
    secp256k1_pubkey pub;
    if (secp256k1_ecdsa_recover(context(), &pub, &rsig, hash.data()) != 1)
        return std::unexpected(SignatureError::kRecoveryFailed);
    return address_from_pubkey(pub);
}

}  // namespace cl
