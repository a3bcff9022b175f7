// Micro benches of the protocol core's hot path: hashing, signer recovery, Clique header
// verification and snapshot application (DESIGN.md §5).
//
// Every bench works on one realistic sealed Clique header: block 1000 of a 10-signer
// network, signed in turn by an authorised signer that is not among the recent ones, on
// top of a snapshot with nine pending votes, with a 256-byte bloom, non-zero roots, a
// 97-byte extraData and a base fee (≈ 610 bytes of RLP). The fixture is built once, with
// the same helpers as the conformance runners (derive_private_key, make_extra,
// seal_header, Snapshot::at_checkpoint), and checked before any timing starts.
//
// The floor for BM_Clique_VerifyHeader is one recovery plus one Keccak of the header:
// BM_Secp256k1_RecoverRaw + BM_Keccak_Header.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "bench/fixed_iterations.hpp"
#include "protocol/chain/header.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/clique/verify.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/core/split_mix64.hpp"

namespace cl {
namespace {

constexpr std::size_t kSigners = 10;
constexpr std::uint64_t kBase = 990;     // the snapshot the chain starts from
constexpr std::uint64_t kNumber = 1000;  // the benched header
constexpr std::uint64_t kGenesisTime = 1'700'000'000;

struct Fixture {
    clique::Config config;
    std::vector<PrivateKey> keys;  // keys[i] signs as signers[i] (sorted order)
    std::vector<Address> signers;
    Header parent;                     // block kNumber − 1
    clique::Snapshot parent_snapshot;  // the snapshot at `parent`
    Header header;                     // block kNumber, sealed
    Hash32 hash;                       // block_hash(header)
    Address sealer;
    Bytes rlp;  // encode(header)
};

template <class Fixed>
Fixed random_fixed(SplitMix64& rng) {
    Fixed out;
    for (auto& b : out.bytes) b = static_cast<std::uint8_t>(rng.next_u64());
    return out;
}

// A header as a busy network produces it: every hash and the bloom filled, gas used, a
// base fee, and a vote for `candidate` (kNonceAuth).
Header make_header(const Fixture& f, const Header& parent, const clique::Snapshot& snap, std::size_t signer,
                   const Address& candidate, SplitMix64& rng) {
    Header h;
    h.parent_hash = block_hash(parent);
    h.uncle_hash = kEmptyUncleHash;
    h.coinbase = candidate;
    h.state_root = random_fixed<Hash32>(rng);
    h.tx_root = random_fixed<Hash32>(rng);
    h.receipt_root = random_fixed<Hash32>(rng);
    h.bloom = random_fixed<Bloom>(rng);
    h.number = parent.number + 1;
    h.difficulty = snap.in_turn(h.number, f.signers[signer]) ? clique::kDiffInTurn : clique::kDiffNoTurn;
    h.gas_limit = parent.gas_limit;
    h.gas_used = 12'345'678;
    h.time = parent.time + f.config.period;
    h.extra = clique::make_extra({});
    for (std::size_t i = 0; i < clique::kExtraVanity; ++i)
        h.extra[i] = static_cast<std::uint8_t>(rng.next_u64());
    h.nonce = clique::kNonceAuth;
    h.base_fee = 7'000'000'000;
    clique::seal_header(h, f.keys[signer]);
    return h;
}

Fixture build_fixture() {
    Fixture f;
    SplitMix64 rng(0);
    std::vector<std::pair<Address, PrivateKey>> accounts;
    for (std::size_t i = 0; i < kSigners; ++i) {
        const PrivateKey k = derive_private_key(0, "bench/signer-" + std::to_string(i));
        accounts.emplace_back(address_of(k), k);
    }
    std::sort(accounts.begin(), accounts.end());
    for (const auto& [address, key] : accounts) {
        f.signers.push_back(address);
        f.keys.push_back(key);
    }
    const Address candidate_a = address_of(derive_private_key(0, "bench/candidate-a"));
    const Address candidate_b = address_of(derive_private_key(0, "bench/candidate-b"));

    Header base;
    base.uncle_hash = kEmptyUncleHash;
    base.number = kBase;
    base.difficulty = clique::kDiffInTurn;
    base.gas_limit = 30'000'000;
    base.time = kGenesisTime + kBase * f.config.period;
    base.extra = clique::make_extra({});
    clique::Snapshot snap = clique::Snapshot::at_checkpoint(kBase, block_hash(base), f.signers);

    // Blocks kBase+1 … kNumber−1, each in turn: odd ones vote candidate A in, even ones
    // candidate B — 5 and 4 votes, below the 6 that 10 signers need. The signers of the
    // last floor(10/2)+1 blocks are recent; signer 0 (in turn at kNumber) is not.
    Header parent = base;
    for (std::uint64_t n = kBase + 1; n < kNumber; ++n) {
        const std::size_t signer = static_cast<std::size_t>(n % kSigners);
        Header h = make_header(f, parent, snap, signer, n % 2 == 1 ? candidate_a : candidate_b, rng);
        const Hash32 hash = block_hash(h);
        auto verified = clique::verify_header(f.config, h, &parent, &snap, h.time);
        CL_ASSERT(verified.has_value() && *verified == f.signers[signer]);
        auto next = snap.apply(h, *verified, hash, f.config);
        CL_ASSERT(next.has_value());
        snap = std::move(*next);
        parent = std::move(h);
    }
    CL_ASSERT(snap.votes().size() == 9 && snap.signers().size() == kSigners);

    // The benched block: signer 0 in turn, the fifth vote for B (still pending after it).
    f.header = make_header(f, parent, snap, kNumber % kSigners, candidate_b, rng);
    f.parent = std::move(parent);
    f.parent_snapshot = std::move(snap);
    f.hash = block_hash(f.header);
    f.sealer = f.signers[kNumber % kSigners];
    f.rlp = encode(f.header);
    CL_ASSERT(f.header.difficulty == clique::kDiffInTurn);
    auto verified = clique::verify_header(f.config, f.header, &f.parent, &f.parent_snapshot, f.header.time);
    CL_ASSERT(verified.has_value() && *verified == f.sealer);
    auto next = f.parent_snapshot.apply(f.header, f.sealer, f.hash, f.config);
    CL_ASSERT(next.has_value() && next->votes().size() == 10 && next->signers().size() == kSigners);
    return f;
}

const Fixture& fixture() {
    static const Fixture f = build_fixture();
    return f;
}

// The fastest repetition: on a shared machine, interference only ever adds time, so with
// --benchmark_repetitions the minimum is the steadiest estimate (reported as *_min).
double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

void BM_Keccak_Header(benchmark::State& state) {
    const Bytes& rlp = fixture().rlp;
    for (auto _ : state) {
        Hash32 h = keccak256(rlp);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * rlp.size()));
    state.counters["header_bytes"] = static_cast<double>(rlp.size());
}
BENCHMARK(BM_Keccak_Header)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

// Reference for what libsecp256k1 alone costs: recover + serialise, no checks, no hash.
void BM_Secp256k1_RecoverRaw(benchmark::State& state) {
    const Fixture& f = fixture();
    const Hash32 msg = clique::seal_hash(f.header);
    const Signature sig = clique::seal_of(f.header);
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    secp256k1_ecdsa_recoverable_signature rsig;
    const int parsed =
        secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig.data(), sig.bytes[64]);
    CL_ASSERT(parsed == 1);
    for (auto _ : state) {
        secp256k1_pubkey pub;
        const int ok = secp256k1_ecdsa_recover(ctx, &pub, &rsig, msg.data());
        std::array<std::uint8_t, 65> out;
        std::size_t len = out.size();
        secp256k1_ec_pubkey_serialize(ctx, out.data(), &len, &pub, SECP256K1_EC_UNCOMPRESSED);
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(out);
    }
    secp256k1_context_destroy(ctx);
}
BENCHMARK(BM_Secp256k1_RecoverRaw)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

// RLP of the header (no hashing): the part of the seal hash that is not Keccak.
void BM_Header_Encode(benchmark::State& state) {
    const Header& header = fixture().header;
    for (auto _ : state) {
        Bytes rlp = encode(header);
        benchmark::DoNotOptimize(rlp.data());
    }
}
BENCHMARK(BM_Header_Encode)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

void BM_Clique_SealHash(benchmark::State& state) {
    const Header& header = fixture().header;
    for (auto _ : state) {
        Hash32 h = clique::seal_hash(header);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(BM_Clique_SealHash)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

// Seal hash + checks on r, s, v + recovery + address (Keccak of the public key).
void BM_Clique_RecoverSigner(benchmark::State& state) {
    const Fixture& f = fixture();
    for (auto _ : state) {
        auto signer = clique::recover_sealer(f.header);
        benchmark::DoNotOptimize(signer);
    }
}
BENCHMARK(BM_Clique_RecoverSigner)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

// All of §4 for a valid in-turn block on its parent: the per-block cost of import.
void BM_Clique_VerifyHeader(benchmark::State& state) {
    const Fixture& f = fixture();
    const std::uint64_t now = f.header.time + 1;
    for (auto _ : state) {
        auto signer = clique::verify_header(f.config, f.header, &f.parent, &f.parent_snapshot, now);
        benchmark::DoNotOptimize(signer);
    }
}
BENCHMARK(BM_Clique_VerifyHeader)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

// §6 on 10 signers, 6 recents and 9 pending votes; includes the copy of the snapshot.
void BM_Clique_SnapshotApply(benchmark::State& state) {
    const Fixture& f = fixture();
    for (auto _ : state) {
        auto next = f.parent_snapshot.apply(f.header, f.sealer, f.hash, f.config);
        benchmark::DoNotOptimize(next);
    }
}
BENCHMARK(BM_Clique_SnapshotApply)->ComputeStatistics("min", min_of)->Apply(cl::bench::fixed_iterations);

}  // namespace
}  // namespace cl
