// The checkpoint payload's byte encoding, signer_set_hash, and votes: signing with real
// keys, recovery, the RLP wire form and its size (docs/checkpoints.md "Payload", "Votes").
#include <gtest/gtest.h>

#include "protocol/checkpoint/payload.hpp"
#include "protocol/checkpoint/vote.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/split_mix64.hpp"
#include "tests/checkpoint/fixture.hpp"

namespace cl::checkpoint {
namespace {

using test::kChainId;
using test::label;

TEST(CheckpointPayload, BytesAreTagThenBigEndianIntegersThenHashes) {
    const Payload p{0x0102030405060708, 0x1112131415161718, label("b"), label("r"), label("s")};
    const Bytes bytes = payload_bytes(p);
    ASSERT_EQ(bytes.size(), kPayloadSize);
    ASSERT_EQ(bytes.size(), 134u);
    EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 22), "cloudledger-checkpoint");
    const Bytes ints{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                     0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18};
    EXPECT_EQ(Bytes(bytes.begin() + 22, bytes.begin() + 38), ints);
    EXPECT_EQ(Hash32::from_span(BytesView(bytes).subspan(38, 32)), label("b"));
    EXPECT_EQ(Hash32::from_span(BytesView(bytes).subspan(70, 32)), label("r"));
    EXPECT_EQ(Hash32::from_span(BytesView(bytes).subspan(102, 32)), label("s"));
    EXPECT_EQ(payload_hash(p), keccak256(bytes));
}

TEST(CheckpointPayload, EveryFieldChangesTheHash) {
    const Payload base{kChainId, 120, label("b"), label("r"), label("s")};
    std::vector<Payload> variants(5, base);
    variants[0].chain_id += 1;
    variants[1].height += 120;
    variants[2].block_hash = label("b2");
    variants[3].state_root = label("r2");
    variants[4].signer_set_hash = label("s2");
    for (const Payload& v : variants) EXPECT_NE(payload_hash(v), payload_hash(base));
}

TEST(CheckpointPayload, SignerSetHashIsKeccakOfAscendingAddresses) {
    const auto vs = test::make_validators(3);
    const auto set = test::addresses(vs);
    Bytes raw;
    for (const Address& a : set) raw.insert(raw.end(), a.bytes.begin(), a.bytes.end());
    EXPECT_EQ(raw.size(), 60u);
    EXPECT_EQ(signer_set_hash(set), keccak256(raw));
    EXPECT_TRUE(is_strictly_sorted(set));
    EXPECT_FALSE(is_strictly_sorted(std::vector<Address>{set[1], set[0]}));
    EXPECT_FALSE(is_strictly_sorted(std::vector<Address>{set[0], set[0]}));
    EXPECT_NE(signer_set_hash(std::vector<Address>{set[0], set[1]}), signer_set_hash(set));
}

TEST(CheckpointVote, SignedWithRealKeysRecoversTheValidator) {
    const auto vs = test::make_validators(4);
    const Payload p = test::payload(240, label("b"), label("r"), test::addresses(vs));
    for (const auto& v : vs) {
        const Vote vote = sign_vote(p, v.key);
        EXPECT_EQ(vote.payload(kChainId), p);
        EXPECT_EQ(recover_voter(kChainId, vote).value(), v.address);
        // Another chain, or any altered field, recovers someone else.
        EXPECT_NE(recover_voter(kChainId + 1, vote).value_or(Address{}), v.address);
        Vote altered = vote;
        altered.state_root = label("other");
        EXPECT_NE(recover_voter(kChainId, altered).value_or(Address{}), v.address);
    }
}

TEST(CheckpointVote, HighSAndBadRecoveryIdAreRefused) {
    const auto vs = test::make_validators(1);
    Vote vote = sign_vote(test::payload(120, label("b"), label("r"), test::addresses(vs)), vs[0].key);
    Vote bad_v = vote;
    bad_v.signature.bytes[64] = 27;
    EXPECT_EQ(recover_voter(kChainId, bad_v).error(), SignatureError::kInvalidRecoveryId);
    Vote zero_r = vote;
    std::fill(zero_r.signature.bytes.begin(), zero_r.signature.bytes.begin() + 32, 0);
    EXPECT_EQ(recover_voter(kChainId, zero_r).error(), SignatureError::kInvalidR);
}

TEST(CheckpointVote, RlpRoundTripAndWireSize) {
    const auto vs = test::make_validators(1);
    for (std::uint64_t h :
         {std::uint64_t{120}, std::uint64_t{240}, std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
        const Vote vote = sign_vote(test::payload(h, label("b"), label("r"), test::addresses(vs)), vs[0].key);
        const Bytes enc = encode_vote(vote);
        EXPECT_EQ(decode_vote(enc).value(), vote);
        EXPECT_EQ(wire_size(vote), enc.size() + kFrameSize);
    }
    // 120 is one RLP byte, 240 two, 2^64 − 1 nine: h + 3 × 33 + 67 payload bytes behind a
    // 2-byte list header.
    const Vote v120 = sign_vote(test::payload(120, label("b"), label("r"), test::addresses(vs)), vs[0].key);
    EXPECT_EQ(encode_vote(v120).size(), 169u);
    Vote v240 = v120;
    v240.height = 240;
    EXPECT_EQ(encode_vote(v240).size(), 170u);
    Vote vmax = v120;
    vmax.height = ~std::uint64_t{0};
    EXPECT_EQ(encode_vote(vmax).size(), 177u);
}

TEST(CheckpointVote, DecoderIsStrict) {
    const auto vs = test::make_validators(1);
    const Bytes enc =
        encode_vote(sign_vote(test::payload(120, label("b"), label("r"), test::addresses(vs)), vs[0].key));
    EXPECT_EQ(decode_vote(BytesView(enc).first(enc.size() - 1)).error(), rlp::Error::kInputTooShort);
    Bytes trailing = enc;
    trailing.push_back(0x00);
    EXPECT_EQ(decode_vote(trailing).error(), rlp::Error::kTrailingBytes);

    // Four items, a short signature, an extra item.
    auto rebuild = [](std::size_t sig_size, bool extra, bool drop_sig) {
        Bytes out;
        const std::size_t list = rlp::begin_list(out);
        rlp::append_uint(out, 120);
        for (int i = 0; i < 3; ++i) rlp::append_fixed(out, label("x"));
        if (!drop_sig) rlp::append_bytes(out, Bytes(sig_size, 1));
        if (extra) rlp::append_uint(out, 1);
        rlp::end_list(out, list);
        return out;
    };
    EXPECT_TRUE(decode_vote(rebuild(65, false, false)).has_value());
    EXPECT_EQ(decode_vote(rebuild(65, false, true)).error(), rlp::Error::kMissingItem);
    EXPECT_EQ(decode_vote(rebuild(64, false, false)).error(), rlp::Error::kWrongSize);
    EXPECT_EQ(decode_vote(rebuild(65, true, false)).error(), rlp::Error::kTooManyItems);
}

// Bounded, deterministic randomised testing of the vote decoder (untrusted bytes, STYLE.md
// §12): 200 000 byte-level mutations of valid encodings (overwrites with RLP boundary
// bytes or random bytes, truncations, insertions). Oracles: nothing crashes, and a
// decoded vote re-encodes to exactly the input (the decoder accepts canonical input only).
TEST(CheckpointVote, MutatedEncodingsDecodeOnlyWhenCanonical) {
    const auto vs = test::make_validators(1);
    constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x7f, 0x80, 0x81, 0xa0, 0xb7, 0xb8,
                                             0xbf, 0xc0, 0xf7, 0xf8, 0xf9, 0xff, 0x41, 0xa9};
    SplitMix64 rng(2024);
    std::size_t decoded = 0;
    for (int round = 0; round < 200'000; ++round) {
        const std::uint64_t h = (round % 4 == 0) ? rng.next_u64() : 120 * (rng.next_u64() % 1000 + 1);
        Vote v;
        v.height = h;
        v.block_hash.bytes[0] = static_cast<std::uint8_t>(round);
        v.signature.bytes[64] = static_cast<std::uint8_t>(round & 1);
        Bytes in = encode_vote(v);
        const int edits = 1 + static_cast<int>(rng.next_u64() % 3);
        for (int e = 0; e < edits && !in.empty(); ++e) {
            const std::size_t at = rng.next_u64() % in.size();
            switch (rng.next_u64() % 4) {
                case 0:
                    in[at] = kInteresting[rng.next_u64() % sizeof kInteresting];
                    break;
                case 1:
                    in[at] = static_cast<std::uint8_t>(rng.next_u64());
                    break;
                case 2:
                    in.resize(at);
                    break;
                default:
                    in.insert(in.begin() + static_cast<std::ptrdiff_t>(at),
                              static_cast<std::uint8_t>(rng.next_u64()));
            }
        }
        auto out = decode_vote(in);
        if (!out) continue;
        ++decoded;
        ASSERT_EQ(encode_vote(*out), in) << "round " << round;
        ASSERT_EQ(wire_size(*out), in.size() + kFrameSize);
    }
    EXPECT_GT(decoded, 1000u) << "some mutations (inside the hashes) stay valid";
}

}  // namespace
}  // namespace cl::checkpoint
