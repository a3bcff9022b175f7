// Transactions (protocol/chain/transaction.hpp) and system-contract calls
// (protocol/state/call.hpp): encoding, strict decoding, signatures, and decoding of
// arbitrary bytes, which must never crash.
#include <gtest/gtest.h>

#include "protocol/chain/transaction.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/ttl_policy.hpp"
#include "tests/state/ledger_fixture.hpp"

namespace cl::state {
namespace {

using namespace testing;

Transaction sample_tx() {
    Transaction t;
    t.chain_id = kChainId;
    t.nonce = 3;
    t.to = kPoolAddress;
    t.call = encode_call(RequestCall{1, {}});
    return sign_transaction(t, kAlice.key);
}

std::vector<Call> every_call() {
    Hash32 code;
    code.bytes[0] = 0xc0;
    return {RequestCall{1, {}},
            RequestCall{0, 123456},
            RedeemCall{code},
            TransferCodeCall{code, kBob.address},
            RenewCall{code},
            RegisterCloudCall{"cloud-x", kValidatorA.address, sign(Hash32{}, kNotary.key)},
            SetQuotaCall{1, 40},
            TokenTransferCall{kBob.address, 7},
            ApproveCall{kCarol.address, 9},
            TransferFromCall{kAlice.address, kBob.address, 2}};
}

TEST(Transaction, RoundTripsAndRecoversTheSender) {
    const Transaction t = sample_tx();
    const Bytes encoded = encode(t);
    EXPECT_EQ(decode_transaction(encoded).value(), t);
    const RecoveredTransaction r = recover_transaction(t).value();
    EXPECT_EQ(r.sender, kAlice.address);
    EXPECT_EQ(r.hash, keccak256(encoded));
    EXPECT_EQ(r.hash, transaction_hash(t));
    EXPECT_EQ(r.encoded_size, encoded.size());
}

// The signer's shortcut (no recovery) gives exactly what recovery gives.
TEST(Transaction, SignedAsKnownSenderEqualsRecovered) {
    Transaction t = sample_tx();
    t.signature = Signature{};
    const RecoveredTransaction fast = sign_transaction_as(t, kAlice.key, kAlice.address);
    const RecoveredTransaction slow = recover_transaction(sign_transaction(t, kAlice.key)).value();
    EXPECT_EQ(fast.tx, slow.tx);
    EXPECT_EQ(fast.hash, slow.hash);
    EXPECT_EQ(fast.sender, slow.sender);
    EXPECT_EQ(fast.encoded_size, slow.encoded_size);
    EXPECT_EQ(recover_transaction(fast.tx).value().sender, kAlice.address);
}

TEST(Transaction, EveryFieldIsSigned) {
    const Transaction t = sample_tx();
    auto changed = [&](auto mutate) {
        Transaction m = t;
        mutate(m);
        auto r = recover_transaction(m);
        return !r || r->sender != kAlice.address;
    };
    EXPECT_TRUE(changed([](Transaction& m) { m.chain_id += 1; }));
    EXPECT_TRUE(changed([](Transaction& m) { m.nonce += 1; }));
    EXPECT_TRUE(changed([](Transaction& m) { m.to = kTokenAddress; }));
    EXPECT_TRUE(changed([](Transaction& m) { m.call = encode_call(RequestCall{0, {}}); }));
}

TEST(Transaction, HighSAndBadRecoveryIdAreRejected) {
    Transaction t = sample_tx();
    t.signature.bytes[64] = 27;
    EXPECT_EQ(recover_transaction(t).error(), SignatureError::kInvalidRecoveryId);
    t = sample_tx();
    std::fill(t.signature.bytes.begin() + 32, t.signature.bytes.begin() + 64, 0xff);
    EXPECT_FALSE(recover_transaction(t).has_value());
}

TEST(Transaction, DecodeErrorsNameTheField) {
    const Bytes good = encode(sample_tx());
    auto error_of = [](const Bytes& b) { return decode_transaction(b).error(); };

    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(error_of(truncated).field, TransactionField::kList);

    Bytes list;  // [chain_id, nonce, to(19 bytes)]
    std::size_t l = rlp::begin_list(list);
    rlp::append_uint(list, 1);
    rlp::append_uint(list, 2);
    rlp::append_bytes(list, Bytes(19, 0xaa));
    rlp::end_list(list, l);
    EXPECT_EQ(error_of(list).field, TransactionField::kTo);
    EXPECT_EQ(error_of(list).error, rlp::Error::kWrongSize);

    Bytes string_call;  // call is a string, not a list
    l = rlp::begin_list(string_call);
    rlp::append_uint(string_call, 1);
    rlp::append_uint(string_call, 2);
    rlp::append_fixed(string_call, kPoolAddress);
    rlp::append_bytes(string_call, Bytes{1, 2, 3});
    rlp::append_fixed(string_call, Signature{});
    rlp::end_list(string_call, l);
    EXPECT_EQ(error_of(string_call).field, TransactionField::kCall);
    EXPECT_EQ(error_of(string_call).message(), "call: expected a list, found a byte string");

    Bytes extra;
    l = rlp::begin_list(extra);
    rlp::append_uint(extra, 1);
    rlp::append_uint(extra, 2);
    rlp::append_fixed(extra, kPoolAddress);
    const Bytes call = encode_call(RequestCall{0, {}});
    extra.insert(extra.end(), call.begin(), call.end());
    rlp::append_fixed(extra, Signature{});
    rlp::append_uint(extra, 9);
    rlp::end_list(extra, l);
    EXPECT_EQ(error_of(extra).field, TransactionField::kList);
    EXPECT_EQ(error_of(extra).error, rlp::Error::kTooManyItems);

    Bytes leading_zero;
    l = rlp::begin_list(leading_zero);
    rlp::append_bytes(leading_zero, Bytes{0, 1});
    rlp::end_list(leading_zero, l);
    EXPECT_EQ(error_of(leading_zero).field, TransactionField::kChainId);
    EXPECT_EQ(error_of(leading_zero).error, rlp::Error::kLeadingZeroInInteger);
}

// The call is kept as raw RLP, so the decoder must check what is inside it: a canonical
// outer header around non-canonical items is rejected, at any depth.
TEST(Transaction, CallMustBeCanonicalAllTheWayDown) {
    auto with_call = [](const Bytes& call) {
        Bytes out;
        const std::size_t l = rlp::begin_list(out);
        rlp::append_uint(out, kChainId);
        rlp::append_uint(out, 0);
        rlp::append_fixed(out, kPoolAddress);
        out.insert(out.end(), call.begin(), call.end());
        rlp::append_fixed(out, Signature{});
        rlp::end_list(out, l);
        return out;
    };
    const Bytes wrapped_byte{0xc2, 0x81, 0x05};     // [0x81 0x05]: the byte 5 as a one-byte string
    const Bytes nested{0xc3, 0xc2, 0x81, 0x05};     // [[0x81 0x05]]
    const Bytes two_bytes{0xc3, 0x82, 0x00, 0x05};  // [0x82 0x00 0x05]: canonical
    for (const Bytes& call : {wrapped_byte, nested}) {
        auto r = decode_transaction(with_call(call));
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().field, TransactionField::kCall);
        EXPECT_EQ(r.error().error, rlp::Error::kSingleByteAsString);
    }
    EXPECT_TRUE(decode_transaction(with_call(two_bytes)).has_value());
    EXPECT_TRUE(decode_transaction(with_call(encode_call(RequestCall{0, {}}))).has_value());
}

TEST(Call, EveryCallRoundTrips) {
    for (const Call& call : every_call()) {
        auto decoded = decode_call(contract_of(call), encode_call(call));
        ASSERT_TRUE(decoded.has_value()) << call.index();
        EXPECT_EQ(*decoded, call);
    }
}

TEST(Call, ContractsAndMethods) {
    EXPECT_EQ(contract_of(RequestCall{}), kPoolAddress);
    EXPECT_EQ(contract_of(SetQuotaCall{}), kGovernanceAddress);
    EXPECT_EQ(contract_of(ApproveCall{}), kTokenAddress);
    EXPECT_EQ(kPoolAddress.hex(), "0x0000000000000000000000000000000000c10002");
    const Bytes request = encode_call(RequestCall{0, {}});
    EXPECT_EQ(decode_call(kBob.address, request).error(), CallError::kUnknownContract);
    EXPECT_EQ(decode_call(kTokenAddress, request).error(), CallError::kUnknownMethod);
    // "transfer" means a code transfer at the pool, a token transfer at the token.
    const Bytes code_transfer = encode_call(TransferCodeCall{Hash32{}, kBob.address});
    EXPECT_EQ(decode_call(kTokenAddress, code_transfer).error(), CallError::kMalformedArguments);
}

TEST(Call, MalformedArguments) {
    auto malformed = [](const Address& to, std::initializer_list<Bytes> items) {
        Bytes out;
        const std::size_t l = rlp::begin_list(out);
        for (const Bytes& item : items) rlp::append_bytes(out, item);
        rlp::end_list(out, l);
        auto r = decode_call(to, out);
        return !r && r.error() == CallError::kMalformedArguments;
    };
    const Bytes request{'r', 'e', 'q', 'u', 'e', 's', 't'};
    const Bytes redeem{'r', 'e', 'd', 'e', 'e', 'm'};
    EXPECT_TRUE(malformed(kPoolAddress, {request}));                   // missing tier
    EXPECT_TRUE(malformed(kPoolAddress, {request, {1}, {2}, {3}}));    // too many
    EXPECT_TRUE(malformed(kPoolAddress, {request, {0, 1}}));           // leading zero
    EXPECT_TRUE(malformed(kPoolAddress, {redeem, Bytes(31, 1)}));      // short code
    EXPECT_TRUE(malformed(kPoolAddress, {}));                          // no method
    EXPECT_FALSE(decode_call(kPoolAddress, Bytes{0x80}).has_value());  // not a list
}

// Decoding arbitrary bytes as a transaction or as a call never crashes; accepted
// transactions re-encode to the same bytes.
TEST(DecodeFuzz, TransactionsAndCalls) {
    SplitMix64 rng(99);
    std::vector<Bytes> seeds{encode(sample_tx())};
    for (const Call& c : every_call()) seeds.push_back(encode_call(c));
    std::size_t accepted = 0;
    for (int i = 0; i < 200'000; ++i) {
        Bytes input;
        if (i % 3 == 0) {
            input.resize(uniform_below(rng, 200));
            for (auto& b : input) b = static_cast<std::uint8_t>(rng.next_u64());
        } else {
            input = seeds[uniform_below(rng, seeds.size())];
            const std::uint64_t edits = 1 + uniform_below(rng, 4);
            for (std::uint64_t e = 0; e < edits && !input.empty(); ++e) {
                const std::size_t at = uniform_below(rng, input.size());
                switch (uniform_below(rng, 3)) {
                    case 0:
                        input[at] = static_cast<std::uint8_t>(rng.next_u64());
                        break;
                    case 1:
                        input.erase(input.begin() + static_cast<std::ptrdiff_t>(at));
                        break;
                    default:
                        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at),
                                     static_cast<std::uint8_t>(rng.next_u64()));
                }
            }
        }
        if (auto tx = decode_transaction(input)) {
            ++accepted;
            ASSERT_EQ(encode(*tx), input);
            (void)decode_call(tx->to, tx->call);
        }
        for (const Address* to : {&kPoolAddress, &kGovernanceAddress, &kTokenAddress}) {
            if (auto call = decode_call(*to, input)) {
                ASSERT_EQ(contract_of(*call), *to);
            }
        }
    }
    EXPECT_GT(accepted, 100u);
}

TEST(TtlPolicy, FixedPerTierRenewable) {
    TtlConfig c;
    c.ttl_blocks = 5760;
    EXPECT_EQ(make_ttl_policy(c)->ttl_blocks(0, {0, 10}), 5760u);
    EXPECT_FALSE(make_ttl_policy(c)->max_renewals().has_value());
    c.kind = TtlKind::kPerTier;
    c.per_tier_blocks = {10, 20};
    EXPECT_EQ(make_ttl_policy(c)->ttl_blocks(1, {0, 10}), 20u);
    c.kind = TtlKind::kRenewable;
    c.max_renewals = 4;
    EXPECT_EQ(make_ttl_policy(c)->max_renewals(), 4u);
    EXPECT_EQ(make_ttl_policy(c)->renewal_blocks(), 5760u);
}

TEST(TtlPolicy, AdaptiveIsExactIntegerArithmetic) {
    EXPECT_EQ(adaptive_ttl(5760, 240, 1, {0, 100}), 5760u);
    EXPECT_EQ(adaptive_ttl(5760, 240, 1, {50, 100}), 2880u);
    EXPECT_EQ(adaptive_ttl(5760, 240, 2, {50, 100}), 1440u);
    EXPECT_EQ(adaptive_ttl(5760, 240, 3, {50, 100}), 720u);
    EXPECT_EQ(adaptive_ttl(5760, 240, 4, {50, 100}), 360u);
    EXPECT_EQ(adaptive_ttl(5760, 240, 5, {50, 100}), 240u) << "180 clamps to min_ttl";
    EXPECT_EQ(adaptive_ttl(5760, 240, 0, {99, 100}), 5760u) << "k = 0: constant";
    EXPECT_EQ(adaptive_ttl(3, 1, 1, {1, 2}), 2u) << "1.5 rounds half up";
    EXPECT_EQ(adaptive_ttl(5, 1, 1, {1, 3}), 3u) << "3.33 rounds down";
    EXPECT_EQ(adaptive_ttl(5, 1, 1, {2, 3}), 2u) << "1.67 rounds up";
    EXPECT_EQ(adaptive_ttl(1'000'000, 1, 2, {999'999, 1'000'000}), 1u);
    EXPECT_EQ(adaptive_ttl(~0ULL, 1, 1, {0, 1}), ~0ULL);
}

}  // namespace
}  // namespace cl::state
