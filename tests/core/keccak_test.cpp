// Keccak-256 (protocol/core/keccak.hpp): Ethereum's legacy Keccak, not FIPS-202 SHA3-256.
#include "protocol/core/keccak.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace cl {
namespace {

Hash32 keccak_of(std::string_view text) {
    return keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// 0, 1, 2, ... (mod 256): a message of `n` bytes that is not periodic within a block.
Bytes counting_bytes(std::size_t n) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i);
    return out;
}

TEST(Keccak, EmptyInput) {
    EXPECT_EQ(keccak_of("").hex(), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

// SHA3-256 (padding 0x06) of "" is a7ffc6f8…; getting it would mean the wrong padding.
TEST(Keccak, IsNotSha3) {
    EXPECT_NE(keccak_of("").hex(), "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    EXPECT_NE(keccak_of("abc").hex(), "0x3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST(Keccak, Abc) {
    EXPECT_EQ(keccak_of("abc").hex(), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak, QuickBrownFox) {
    EXPECT_EQ(keccak_of("The quick brown fox jumps over the lazy dog").hex(),
              "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST(Keccak, EmptyListIsEmptyUncleHash) {
    const Bytes empty_list{0xc0};
    EXPECT_EQ(keccak256(empty_list).hex(),
              "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
}

// The rate of Keccak-256 is 136 bytes: these lengths end just before, at and after a
// block boundary, and span two and several blocks. Expected digests come from an
// independent Python Keccak-f[1600] whose permutation was checked against
// hashlib.sha3_256 (same permutation, SHA3 padding) on the same inputs.
TEST(Keccak, MultiBlockInputs) {
    struct Case {
        std::size_t length;
        std::string_view digest;
    };
    const Case cases[] = {
        {135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"},
        {136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"},
        {137, "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"},
        {200, "0xbfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890"},
        {272, "0xfdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e"},
        {1000, "0xaca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82"},
    };
    for (const Case& c : cases)
        EXPECT_EQ(keccak256(counting_bytes(c.length)).hex(), c.digest) << c.length << " bytes";
}

TEST(Keccak, EveryInputByteMatters) {
    const Bytes base = counting_bytes(300);
    const Hash32 h = keccak256(base);
    for (std::size_t i : {std::size_t{0}, std::size_t{135}, std::size_t{136}, std::size_t{299}}) {
        Bytes changed = base;
        changed[i] ^= 1;
        EXPECT_NE(keccak256(changed), h) << "byte " << i;
    }
    EXPECT_NE(keccak256(BytesView(base).first(299)), h);  // length is part of the padding
}

}  // namespace
}  // namespace cl
