// Micro benches of protocol/txpool (shared/spec/promo-pool.md §5, docs/txpool.md): a spam
// flood of 10^5 promo requests from 10^4 senders (10 nonces each) hitting one node's pool,
// and the same flood from 10^3 senders (10^4 requests: still over the global limits), the
// size the instruction-count gate (bench/check) can afford under Callgrind.
//
// The transactions are really signed and recovered, once, before any timing (that is the
// node's cost, not the pool's). Arrival is one transaction per simulated millisecond
// (100 s for 10^5), in one of two orders: `shuffled` (a seeded permutation, so most arrive
// before their predecessors and queue) or `in_order` (round-robin over senders, nonce by
// nonce). Each iteration admits the whole flood into a fresh pool, with default limits
// (§5: 16/5120/64/1024, 3 h, burst 5 + 1 per 60 s) or with every limit off. Counters:
// admissions_per_s (attempts per wall second), the final pending and queued counts, and
// the admissions and refusals by reason of one pass (the same in every iteration).
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <valgrind/valgrind.h>

#include "bench/fixed_iterations.hpp"
#include "protocol/chain/transaction.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/random.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::txpool {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kSenders = 10'000;
constexpr std::size_t kNoncesPerSender = 10;
constexpr std::uint64_t kSeed = 0xF100D;
constexpr Nanos kInterArrival = 1ms;

class ZeroNonces final : public AccountNonces {
  public:
    std::uint64_t nonce(const Address&) const override { return 0; }
};

Bytes request_call(std::uint64_t tier) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    static constexpr std::array<std::uint8_t, 7> kMethod{'r', 'e', 'q', 'u', 'e', 's', 't'};
    rlp::append_bytes(out, kMethod);
    rlp::append_uint(out, tier);
    rlp::end_list(out, list);
    return out;
}

struct Flood {
    std::vector<TxRef> in_order;  // round-robin: sender 0..N−1 at nonce 0, then nonce 1, …
    std::vector<TxRef> shuffled;  // shared refs, as a node's pool receives them
};

// The flood from `senders` senders (kNoncesPerSender each), built once per size.
const Flood& flood(std::size_t senders = kSenders) {
    static std::map<std::size_t, Flood> floods;
    if (auto it = floods.find(senders); it != floods.end()) return it->second;
    const std::size_t txs = senders * kNoncesPerSender;
    Address pool;
    pool.bytes[17] = 0xc1;
    pool.bytes[19] = 0x02;
    std::vector<PrivateKey> keys(senders);
    for (std::size_t i = 0; i < senders; ++i)
        keys[i] = derive_private_key(kSeed, "flood-" + std::to_string(i));
    Flood out;
    out.in_order.resize(txs);
    auto work = [&](std::size_t begin, std::size_t step) {
        for (std::size_t k = begin; k < txs; k += step) {
            const std::size_t sender = k % senders;
            Transaction tx{1, k / senders, pool, request_call(k % 3), {}};
            auto recovered = recover_transaction(sign_transaction(std::move(tx), keys[sender]));
            CL_ASSERT(recovered.has_value());
            out.in_order[k] = std::make_shared<const RecoveredTransaction>(std::move(*recovered));
        }
    };
    if (RUNNING_ON_VALGRIND) {
        // Valgrind runs threads one at a time anyway; one thread keeps the heap's layout,
        // hence malloc's instruction counts in the timed loop, the same run to run
        // (bench/check).
        work(0, 1);
    } else {
        std::thread helper(work, 1, 2);  // signing 10^5 transactions: two cores
        work(0, 2);
        helper.join();
    }
    out.shuffled = out.in_order;
    SplitMix64 rng(kSeed);
    for (std::size_t i = txs - 1; i > 0; --i) {
        std::swap(out.shuffled[i], out.shuffled[uniform_below(rng, i + 1)]);
    }
    return floods.emplace(senders, std::move(out)).first->second;
}

// The flood is signed before Callgrind starts counting (bench/fixed_iterations.hpp).
void prepare_flood(const benchmark::State& state) {
    (void)flood(static_cast<std::size_t>(state.range(2)));
    cl::bench::counting_starts(state);
}

void BM_TxPool_AdmitFlood(benchmark::State& state) {
    const bool unlimited = state.range(0) == 1;
    const bool shuffled = state.range(1) == 0;
    const Flood& f = flood(static_cast<std::size_t>(state.range(2)));
    const std::vector<TxRef>& txs = shuffled ? f.shuffled : f.in_order;
    const Config config = unlimited ? Config::unlimited() : Config{};
    const ZeroNonces nonces;

    std::array<std::size_t, kRefusalCount> refusals{};
    std::size_t admitted = 0, evicted = 0, pending = 0, queued = 0;
    for (auto _ : state) {
        std::optional<TxPool> pool(std::in_place, config);
        refusals.fill(0);
        admitted = evicted = 0;
        Nanos now{0};
        for (const TxRef& tx : txs) {
            auto r = pool->admit(tx, now, nonces);
            if (r) {
                ++admitted;
                evicted += r->evicted.has_value();
            } else {
                ++refusals[static_cast<std::size_t>(r.error())];
            }
            now += kInterArrival;
        }
        state.PauseTiming();
        pending = pool->pending_count();
        queued = pool->queued_count();
        pool.reset();
        state.ResumeTiming();
    }
    const auto attempts =
        static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(txs.size());
    state.SetItemsProcessed(attempts);
    state.counters["admissions_per_s"] =
        benchmark::Counter(static_cast<double>(attempts), benchmark::Counter::kIsRate);
    state.counters["pending"] = static_cast<double>(pending);
    state.counters["queued"] = static_cast<double>(queued);
    state.counters["admitted"] = static_cast<double>(admitted);
    state.counters["evicted"] = static_cast<double>(evicted);
    for (std::size_t i = 0; i < kRefusalCount; ++i) {
        if (refusals[i] > 0)
            state.counters[to_string(static_cast<Refusal>(i))] = static_cast<double>(refusals[i]);
    }
    state.SetLabel(std::string(unlimited ? "limits_off" : "defaults") +
                   (shuffled ? "/shuffled" : "/in_order"));
}
BENCHMARK(BM_TxPool_AdmitFlood)
    ->ArgNames({"limits_off", "in_order", "senders"})
    ->Args({0, 0, kSenders})
    ->Args({0, 1, kSenders})
    ->Args({1, 0, kSenders})
    ->Args({1, 1, kSenders})
    ->Args({0, 0, 1'000})
    ->Args({1, 0, 1'000})
    ->Unit(benchmark::kMillisecond)
    ->Apply(cl::bench::fixed_iterations)
    ->Setup(prepare_flood);

// Building a block of 1000 from the pool after the shuffled flood with limits off
// (10^4 senders with pending runs).
void BM_TxPool_Select(benchmark::State& state) {
    const ZeroNonces nonces;
    TxPool pool(Config::unlimited());
    Nanos now{0};
    for (const TxRef& tx : flood().shuffled) {
        (void)pool.admit(tx, now, nonces);
        now += kInterArrival;
    }
    const auto max = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(pool.select(nonces, max));
    state.counters["pending"] = static_cast<double>(pool.pending_count());
}
BENCHMARK(BM_TxPool_Select)->Arg(1000)->Unit(benchmark::kMicrosecond)->Apply(cl::bench::fixed_iterations);

}  // namespace
}  // namespace cl::txpool
