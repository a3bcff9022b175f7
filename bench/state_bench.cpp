// Micro benches of protocol/state: the persistent Merkle Patricia Trie (spec §6).
//
// The state is a secure trie of N leaves (32-byte keccak keys, 80-byte values), built once
// per N in a static and hashed before timing starts. A "block" is 2,500 writes, half to
// existing keys and half to new ones, precomputed in 8 rotating batches.
//
//   BM_Trie_UpdateRoot/N       derive the block's state from the base (with_all, which
//                              copies each written path once) and compute root_hash();
//                              the base is untouched, so every iteration does the same work.
//                              Cost should grow with log16(N) (the path length), not N.
//   BM_Trie_UpdateRootPerWrite/N  the same with one persistent with() per write (a full
//                              path copy each time), for comparison.
//   BM_Trie_Get/N              one lookup of an existing key.
//   BM_Trie_ProveVerify/N      prove() then verify_proof() for an existing key.
//
// Counter bytes_per_leaf: heap bytes (glibc mallinfo2 in-use bytes, chunk overhead
// included) held by the base trie divided by N, measured while building it.
#include <malloc.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/state/trie.hpp"

namespace cl::state {
namespace {

constexpr std::size_t kWrites = 2'500;
constexpr std::size_t kValueSize = 80;
constexpr std::size_t kBatches = 8;

Hash32 hashed_key(std::uint64_t id) {
    std::array<std::uint8_t, 8> raw{};
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(id >> (8 * i));
    return keccak256(raw);
}

void fill(Bytes& value, SplitMix64& rng) {
    for (auto& b : value) b = static_cast<std::uint8_t>(rng.next_u64());
}

struct BaseState {
    std::vector<Hash32> keys;  // the keys present in `trie`
    Trie trie;
    double bytes_per_leaf = 0;
    std::vector<std::vector<std::pair<Bytes, Bytes>>> batches;
};

const BaseState& base_state(std::size_t size) {
    static std::map<std::size_t, std::unique_ptr<BaseState>> cache;
    auto& slot = cache[size];
    if (slot) return *slot;
    slot = std::make_unique<BaseState>();
    BaseState& s = *slot;
    SplitMix64 rng(size);
    s.keys.reserve(size);
    for (std::size_t i = 0; i < size; ++i) s.keys.push_back(hashed_key(i));

    Bytes value(kValueSize);
    const std::size_t before = mallinfo2().uordblks;
    Trie t;
    for (const Hash32& key : s.keys) {
        fill(value, rng);
        t = std::move(t).with(key.view(), value);
    }
    (void)t.root_hash();
    const std::size_t after = mallinfo2().uordblks;
    s.trie = std::move(t);
    s.bytes_per_leaf = static_cast<double>(after - before) / static_cast<double>(size);

    std::uint64_t next_new = size;
    for (std::size_t b = 0; b < kBatches; ++b) {
        auto& batch = s.batches.emplace_back();
        for (std::size_t w = 0; w < kWrites; ++w) {
            const Hash32 key =
                rng.next_u64() % 2 == 0 ? s.keys[rng.next_u64() % size] : hashed_key(next_new++);
            fill(value, rng);
            batch.emplace_back(Bytes(key.bytes.begin(), key.bytes.end()), value);
        }
    }
    return s;
}

void BM_Trie_UpdateRoot(benchmark::State& state) {
    const BaseState& s = base_state(static_cast<std::size_t>(state.range(0)));
    std::size_t b = 0;
    for (auto _ : state) {
        Trie next = s.trie.with_all(s.batches[b++ % kBatches]);
        benchmark::DoNotOptimize(next.root_hash());
        state.PauseTiming();  // dropping the block's state is not part of the update
        next = Trie();
        state.ResumeTiming();
    }
    state.counters["writes_per_s"] =
        benchmark::Counter(kWrites, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["bytes_per_leaf"] = s.bytes_per_leaf;
}
BENCHMARK(BM_Trie_UpdateRoot)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_Trie_UpdateRootPerWrite(benchmark::State& state) {
    const BaseState& s = base_state(static_cast<std::size_t>(state.range(0)));
    std::size_t b = 0;
    for (auto _ : state) {
        Trie next = s.trie;
        for (const auto& [key, value] : s.batches[b++ % kBatches]) next = next.with(key, value);
        benchmark::DoNotOptimize(next.root_hash());
        state.PauseTiming();
        next = Trie();
        state.ResumeTiming();
    }
    state.counters["writes_per_s"] =
        benchmark::Counter(kWrites, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Trie_UpdateRootPerWrite)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_Trie_Get(benchmark::State& state) {
    const BaseState& s = base_state(static_cast<std::size_t>(state.range(0)));
    SplitMix64 rng(42);
    for (auto _ : state) {
        const Hash32& key = s.keys[rng.next_u64() % s.keys.size()];
        auto value = s.trie.get(key.view());
        benchmark::DoNotOptimize(value);
    }
}
BENCHMARK(BM_Trie_Get)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);

void BM_Trie_ProveVerify(benchmark::State& state) {
    const BaseState& s = base_state(static_cast<std::size_t>(state.range(0)));
    const Hash32 root = s.trie.root_hash();
    SplitMix64 rng(43);
    for (auto _ : state) {
        const Hash32& key = s.keys[rng.next_u64() % s.keys.size()];
        const auto proof = s.trie.prove(key.view());
        const auto value = verify_proof(root, key.view(), proof);
        CL_ASSERT(value.has_value() && value->has_value());
        benchmark::DoNotOptimize(value);
    }
}
BENCHMARK(BM_Trie_ProveVerify)->Arg(1'000)->Arg(1'000'000);

}  // namespace
}  // namespace cl::state
