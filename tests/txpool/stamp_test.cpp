// The §5 hashcash request stamp and the §5 token bucket arithmetic.
#include "protocol/txpool/stamp.hpp"

#include <gtest/gtest.h>

#include "protocol/core/keccak.hpp"
#include "protocol/txpool/token_bucket.hpp"
#include "tests/txpool/txpool_fixture.hpp"

namespace cl::txpool {
namespace {

using namespace std::chrono_literals;
using test::addr;

TEST(TxPoolStamp, HashIsKeccakOfSenderNonceAndStampBigEndian) {
    const Address sender = addr(0);
    Bytes preimage(sender.bytes.begin(), sender.bytes.end());
    const Bytes nonce_be{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    const Bytes stamp_be{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2c};
    preimage.insert(preimage.end(), nonce_be.begin(), nonce_be.end());
    preimage.insert(preimage.end(), stamp_be.begin(), stamp_be.end());
    ASSERT_EQ(preimage.size(), 36u);
    EXPECT_EQ(stamp_hash(sender, 0x0102030405060708, 300), keccak256(preimage));
}

TEST(TxPoolStamp, LeadingZeroBitsCountFromTheMostSignificantBit) {
    Hash32 h;
    EXPECT_EQ(leading_zero_bits(h), 256u);
    h.bytes[0] = 0x80;
    EXPECT_EQ(leading_zero_bits(h), 0u);
    h.bytes[0] = 0x01;
    EXPECT_EQ(leading_zero_bits(h), 7u);
    h.bytes[0] = 0x00;
    h.bytes[1] = 0x10;
    EXPECT_EQ(leading_zero_bits(h), 11u);
    h.bytes[1] = 0x00;
    h.bytes[31] = 0x01;
    EXPECT_EQ(leading_zero_bits(h), 255u);
}

TEST(TxPoolStamp, FindStampReturnsTheFirstValidStampAndCountsHashes) {
    for (unsigned bits : {1u, 4u, 10u}) {
        const StampSearch found = find_stamp(addr(1), 7, bits);
        EXPECT_EQ(found.hashes, found.stamp + 1);
        EXPECT_TRUE(stamp_is_valid(addr(1), 7, found.stamp, bits));
        EXPECT_GE(leading_zero_bits(stamp_hash(addr(1), 7, found.stamp)), bits);
        for (std::uint64_t s = 0; s < found.stamp; ++s) {
            ASSERT_FALSE(stamp_is_valid(addr(1), 7, s, bits)) << "bits " << bits << " stamp " << s;
        }
    }
}

TEST(TxPoolStamp, ZeroBitsAcceptsStampZeroAfterOneHash) {
    const StampSearch found = find_stamp(addr(2), 0, 0);
    EXPECT_EQ(found.stamp, 0u);
    EXPECT_EQ(found.hashes, 1u);
}

TEST(TxPoolStamp, StampIsBoundToSenderAndNonce) {
    constexpr unsigned kBits = 12;
    const StampSearch found = find_stamp(addr(3), 5, kBits);
    ASSERT_TRUE(stamp_is_valid(addr(3), 5, found.stamp, kBits));
    // Deterministic for these derived keys (each would pass by chance with p = 2^-12).
    EXPECT_FALSE(stamp_is_valid(addr(4), 5, found.stamp, kBits));
    EXPECT_FALSE(stamp_is_valid(addr(3), 6, found.stamp, kBits));
}

TEST(TxPoolStamp, RequestStampReadsTheCall) {
    using Kind = CallStamp::Kind;
    EXPECT_EQ(request_stamp(test::request_call(2)).kind, Kind::kMissing);
    const CallStamp present = request_stamp(test::request_call(2, 123456));
    EXPECT_EQ(present.kind, Kind::kPresent);
    EXPECT_EQ(present.stamp, 123456u);
    EXPECT_EQ(request_stamp(test::request_call(2, 0)).stamp, 0u);
    EXPECT_EQ(request_stamp(test::redeem_call(1)).kind, Kind::kNotRequest);

    auto call = [](auto&&... append) {
        Bytes out;
        const std::size_t list = rlp::begin_list(out);
        (append(out), ...);
        rlp::end_list(out, list);
        return out;
    };
    auto method = [](Bytes& out) { test::append_string(out, "request"); };
    auto tier = [](Bytes& out) { rlp::append_uint(out, 1); };
    auto nine_bytes = [](Bytes& out) { rlp::append_bytes(out, Bytes(9, 0xff)); };
    auto extra = [](Bytes& out) { rlp::append_uint(out, 9); };
    EXPECT_EQ(request_stamp(call(method)).kind, Kind::kMissing);                      // ["request"]
    EXPECT_EQ(request_stamp(call(method, tier, nine_bytes)).kind, Kind::kMalformed);  // stamp > 64 bits
    EXPECT_EQ(request_stamp(call(method, tier, extra, extra)).kind, Kind::kMalformed);
    EXPECT_EQ(request_stamp(Bytes{0x80}).kind, Kind::kNotRequest);  // not a list
    EXPECT_EQ(request_stamp(call([](Bytes& out) { test::append_string(out, "requests"); }, tier, extra)).kind,
              Kind::kNotRequest);
}

TEST(TxPoolTokenBucket, RefillArithmeticIsExact) {
    const RateLimit limit{5, 60s};
    std::optional<Nanos> tat;
    EXPECT_EQ(bucket_tokens(limit, tat, 0s), 5u);
    for (int i = 0; i < 5; ++i) {
        ASSERT_GE(bucket_tokens(limit, tat, 0s), 1u);
        tat = bucket_take(limit, tat, 0s);
    }
    EXPECT_EQ(*tat, Nanos(300s));
    EXPECT_EQ(bucket_tokens(limit, tat, 0s), 0u);
    EXPECT_EQ(bucket_tokens(limit, tat, 60s - 1ns), 0u);
    EXPECT_EQ(bucket_tokens(limit, tat, 60s), 1u);
    EXPECT_EQ(bucket_tokens(limit, tat, 150s), 2u);
    // Half a token is carried across a take: 2.5 − 1 + 0.5 = 2 tokens at 180 s.
    tat = bucket_take(limit, tat, 150s);
    EXPECT_EQ(bucket_tokens(limit, tat, 150s), 1u);
    EXPECT_EQ(bucket_tokens(limit, tat, 180s - 1ns), 1u);
    EXPECT_EQ(bucket_tokens(limit, tat, 180s), 2u);
    // Never more than burst; a full bucket forgets its history.
    EXPECT_EQ(bucket_tokens(limit, tat, 360s), 5u);
    EXPECT_EQ(bucket_tokens(limit, tat, 100h), 5u);
    EXPECT_EQ(bucket_take(limit, tat, 100h), Nanos(100h) + Nanos(60s));
}

TEST(TxPoolTokenBucket, SteadyRateIsOnePerInterval) {
    const RateLimit limit{1, 10ms};
    std::optional<Nanos> tat;
    int taken = 0;
    for (Nanos now{0}; now < 1s; now += 1ms) {
        if (bucket_tokens(limit, tat, now) >= 1) {
            tat = bucket_take(limit, tat, now);
            ++taken;
        }
    }
    EXPECT_EQ(taken, 100);
}

TEST(TxPoolTokenBucket, ZeroBurstNeverAdmits) {
    const RateLimit limit{0, 1s};
    EXPECT_EQ(bucket_tokens(limit, std::nullopt, 0s), 0u);
}

}  // namespace
}  // namespace cl::txpool
