// secp256k1 keys, signing and strict signer recovery (protocol/core/secp256k1.hpp).
#include "protocol/core/secp256k1.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>

#include "protocol/core/keccak.hpp"

namespace cl {
namespace {

using Scalar = std::array<std::uint8_t, 32>;

// The group order n, big-endian (SEC 2, §2.4.1).
constexpr Scalar kN = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                       0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                       0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

// ⌊n/2⌋: the largest s that EIP-2 accepts.
constexpr Scalar kHalfN = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                           0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                           0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

// a − b for big-endian 256-bit values. REQUIRES: a >= b.
Scalar sub(const Scalar& a, const Scalar& b) {
    Scalar out{};
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        const int d = a[static_cast<std::size_t>(i)] - b[static_cast<std::size_t>(i)] - borrow;
        borrow = d < 0 ? 1 : 0;
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(d + 256 * borrow);
    }
    return out;
}

Scalar small(std::uint8_t v) {
    Scalar out{};
    out[31] = v;
    return out;
}

Scalar r_of(const Signature& sig) {
    Scalar out;
    std::copy_n(sig.bytes.begin(), 32, out.begin());
    return out;
}
Scalar s_of(const Signature& sig) {
    Scalar out;
    std::copy_n(sig.bytes.begin() + 32, 32, out.begin());
    return out;
}
Signature make_sig(const Scalar& r, const Scalar& s, std::uint8_t v) {
    Signature sig;
    std::copy(r.begin(), r.end(), sig.bytes.begin());
    std::copy(s.begin(), s.end(), sig.bytes.begin() + 32);
    sig.bytes[64] = v;
    return sig;
}

Hash32 keccak_of(std::string_view text) {
    return keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

PrivateKey key(std::string_view hex) { return PrivateKey::from_hex(hex).value(); }

const PrivateKey kWeb3Key =
    PrivateKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").value();

TEST(Secp256k1, AddressOfKeyOne) {
    EXPECT_EQ(address_of(key("0x0000000000000000000000000000000000000000000000000000000000000001")).hex(),
              "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
}

TEST(Secp256k1, AddressOfWeb3ExampleKey) {
    EXPECT_EQ(address_of(kWeb3Key).hex(), "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
}

// The web3.js documentation example (docs.web3js.org, accounts.sign('Some data', key)):
// an RFC 6979 signature over the EIP-191 message hash, v = 0x1c (recovery id 1).
TEST(Secp256k1, SignMatchesPublishedRfc6979Signature) {
    const Hash32 hash = keccak_of(
        "\x19"
        "Ethereum Signed Message:\n9Some data");
    ASSERT_EQ(hash.hex(), "0x1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655");
    const Signature sig = sign(hash, kWeb3Key);
    EXPECT_EQ(sig.hex(),
              "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
              "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a029"
              "01");
}

TEST(Secp256k1, SignThenRecoverRoundTrip) {
    for (int i = 0; i < 8; ++i) {
        const PrivateKey k = derive_private_key(1, "signer-" + std::to_string(i));
        const Hash32 hash = keccak_of("message " + std::to_string(i));
        const Signature sig = sign(hash, k);
        auto who = recover_signer(hash, sig);
        ASSERT_TRUE(who.has_value()) << to_string(who.error());
        EXPECT_EQ(*who, address_of(k));

        // The same signature over another hash recovers someone else.
        auto other = recover_signer(keccak_of("another message"), sig);
        if (other) {
            EXPECT_NE(*other, address_of(k));
        }
    }
}

TEST(Secp256k1, SigningIsDeterministic) {
    const Hash32 hash = keccak_of("determinism");
    const Signature a = sign(hash, kWeb3Key);
    const Signature b = sign(hash, kWeb3Key);
    EXPECT_EQ(a, b);
    EXPECT_NE(sign(keccak_of("determinism!"), kWeb3Key), a);
    EXPECT_NE(sign(hash, derive_private_key(0, "other")), a);
}

TEST(Secp256k1, SignaturesAreLowSWithRecoveryIdZeroOrOne) {
    std::set<std::uint8_t> ids;
    for (int i = 0; i < 64; ++i) {
        const Signature sig = sign(keccak_of("low-s " + std::to_string(i)), kWeb3Key);
        EXPECT_LE(s_of(sig), kHalfN) << i;
        EXPECT_LE(sig.bytes[64], 1) << i;
        ids.insert(sig.bytes[64]);
    }
    EXPECT_EQ(ids.size(), 2u);  // both recovery ids occur in 64 signatures
}

TEST(Secp256k1, DerivedKeysAreDeterministicAndDistinct) {
    EXPECT_EQ(derive_private_key(7, "alice"), derive_private_key(7, "alice"));
    EXPECT_NE(derive_private_key(7, "alice"), derive_private_key(7, "bob"));
    EXPECT_NE(derive_private_key(7, "alice"), derive_private_key(8, "alice"));
    // The seed and the name are separate inputs (seed is fixed-width).
    EXPECT_NE(derive_private_key(0, "a"), derive_private_key(0, "b"));
    std::set<PrivateKey> keys;
    for (std::uint64_t seed = 0; seed < 4; ++seed)
        for (int i = 0; i < 16; ++i) keys.insert(derive_private_key(seed, "node-" + std::to_string(i)));
    EXPECT_EQ(keys.size(), 64u);
    // Usable: a derived key signs and recovers.
    const PrivateKey k = derive_private_key(3, "node-1");
    EXPECT_EQ(recover_signer(Hash32{}, sign(Hash32{}, k)), address_of(k));
}

class Secp256k1Errors : public ::testing::Test {
  protected:
    void SetUp() override {
        hash = keccak_of("signature errors");
        valid = sign(hash, kWeb3Key);
        ASSERT_EQ(recover_signer(hash, valid), address_of(kWeb3Key));
    }
    std::expected<Address, SignatureError> recover_with(const Scalar& r, const Scalar& s,
                                                        std::uint8_t v) const {
        return recover_signer(hash, make_sig(r, s, v));
    }
    Hash32 hash;
    Signature valid;
};

TEST_F(Secp256k1Errors, RecoveryIdMustBeZeroOrOne) {
    for (int v : {2, 27, 28, 255}) {
        Signature sig = valid;
        sig.bytes[64] = static_cast<std::uint8_t>(v);
        EXPECT_EQ(recover_signer(hash, sig), std::unexpected(SignatureError::kInvalidRecoveryId)) << v;
    }
}

TEST_F(Secp256k1Errors, RMustBeInRange) {
    const std::uint8_t v = valid.bytes[64];
    EXPECT_EQ(recover_with(Scalar{}, s_of(valid), v), std::unexpected(SignatureError::kInvalidR));
    EXPECT_EQ(recover_with(kN, s_of(valid), v), std::unexpected(SignatureError::kInvalidR));
    Scalar all_ones;
    all_ones.fill(0xff);
    EXPECT_EQ(recover_with(all_ones, s_of(valid), v), std::unexpected(SignatureError::kInvalidR));
    // n − 1 is in range: whatever recovery gives, it is not a range error.
    auto below = recover_with(sub(kN, small(1)), s_of(valid), v);
    if (!below) {
        EXPECT_NE(below.error(), SignatureError::kInvalidR);
    }
}

TEST_F(Secp256k1Errors, SMustBeInRange) {
    const std::uint8_t v = valid.bytes[64];
    EXPECT_EQ(recover_with(r_of(valid), Scalar{}, v), std::unexpected(SignatureError::kInvalidS));
    EXPECT_EQ(recover_with(r_of(valid), kN, v), std::unexpected(SignatureError::kInvalidS));
}

// EIP-2: (r, n − s, v ⊕ 1) is the same signature's malleated twin; it verifies in plain
// ECDSA but must be rejected as high-s.
TEST_F(Secp256k1Errors, MalleatedHighSIsRejected) {
    const Scalar high = sub(kN, s_of(valid));
    const auto flipped = static_cast<std::uint8_t>(valid.bytes[64] ^ 1);
    EXPECT_EQ(recover_with(r_of(valid), high, flipped), std::unexpected(SignatureError::kHighS));
    EXPECT_EQ(recover_with(r_of(valid), high, valid.bytes[64]), std::unexpected(SignatureError::kHighS));
}

// The boundary: s = ⌊n/2⌋ is low, s = ⌊n/2⌋ + 1 is high.
TEST_F(Secp256k1Errors, HalfOrderIsTheLastLowS) {
    Scalar above = kHalfN;
    above[31] = 0xa1;
    auto at = recover_with(r_of(valid), kHalfN, valid.bytes[64]);
    if (!at) {
        EXPECT_NE(at.error(), SignatureError::kHighS);
    }
    EXPECT_EQ(recover_with(r_of(valid), above, valid.bytes[64]), std::unexpected(SignatureError::kHighS));
}

// A valid r is an x coordinate; for r = n − k with x³ + 7 a non-residue mod p there is
// no curve point and recovery must fail cleanly. Whether r = n − k lies on the curve was
// computed with Euler's criterion ((x³ + 7)^((p−1)/2) mod p) in Python.
TEST_F(Secp256k1Errors, RecoveryFailsWhenRIsNoCurvePoint) {
    struct Case {
        std::uint8_t k;
        bool on_curve;
    };
    const Case cases[] = {{1, false}, {2, true},  {3, true}, {4, true},   {5, true},   {6, false},
                          {7, false}, {8, false}, {9, true}, {10, false}, {11, false}, {12, true}};
    int failures = 0;
    for (const Case& c : cases) {
        for (int v : {0, 1}) {
            auto who = recover_with(sub(kN, small(c.k)), small(1), static_cast<std::uint8_t>(v));
            if (c.on_curve) {
                EXPECT_TRUE(who.has_value()) << "r = n - " << int{c.k};
            } else {
                ++failures;
                EXPECT_EQ(who, std::unexpected(SignatureError::kRecoveryFailed)) << "r = n - " << int{c.k};
            }
        }
    }
    EXPECT_EQ(failures, 12);
}

TEST(Secp256k1, ErrorsHaveDistinctNames) {
    const SignatureError all[] = {SignatureError::kInvalidRecoveryId, SignatureError::kInvalidR,
                                  SignatureError::kInvalidS, SignatureError::kHighS,
                                  SignatureError::kRecoveryFailed};
    std::set<std::string_view> names;
    for (SignatureError e : all) names.insert(to_string(e));
    EXPECT_EQ(names.size(), 5u);
}

}  // namespace
}  // namespace cl
