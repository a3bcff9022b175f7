// The host's latency of a dependent load against the working set it falls in: a pointer
// chase over one random cycle through all the cache lines of a buffer (docs/benchmarks.md,
// "What a node count costs the memory").
//
//   BM_Memory_DependentLoad/bytes:W/huge_pages:H
//       one load whose address is the value of the last one, in a W-byte buffer. W doubles
//       from 256 KiB (inside L2) to 1 GiB (memory). H = 1 asks for transparent huge pages
//       (madvise), as the cloudledger program's memory does (jemalloc's thp:always,
//       app/jemalloc_conf.cpp; the kernel grants them to part of it); H = 0 keeps 4 KiB
//       pages, whose TLB misses add a page walk to each load of a large buffer.
//
// A simulated event reads the receiver's state, which lies at random among all nodes' state:
// the chain of loads it makes waits on this latency at the size of the simulated network's
// state (about 9 KiB per node: 9 MB at 1,000 nodes, 280 MB at 30,000). The ratio between
// two sizes bounds how far the cost per event can stay flat as the network grows.
//
// Not part of the gate (bench/check): a load's latency is the host's, not the code's.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "protocol/core/random.hpp"
#include "protocol/core/split_mix64.hpp"

namespace {

constexpr std::size_t kLine = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

struct FreeDeleter {
    void operator()(void* p) const noexcept { std::free(p); }
};

// One random cycle (Sattolo's algorithm) through the W / 64 lines: each line's first word
// holds the word index of the next line's first word.
std::unique_ptr<std::uint64_t[], FreeDeleter> make_cycle(std::size_t bytes, bool huge_pages) {
    const std::size_t lines = bytes / kLine;
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    auto* raw = static_cast<std::uint64_t*>(std::aligned_alloc(kHugePage, rounded));
    if (raw == nullptr) return nullptr;
    madvise(raw, rounded, huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);  // a hint
    std::vector<std::uint64_t> order(lines);
    std::iota(order.begin(), order.end(), std::uint64_t{0});
    cl::SplitMix64 rng(0x6d656d6f7279ULL);
    for (std::size_t i = lines - 1; i > 0; --i) std::swap(order[i], order[cl::uniform_below(rng, i)]);
    constexpr std::size_t kStride = kLine / sizeof(std::uint64_t);
    for (std::size_t i = 0; i < lines; ++i) raw[order[i] * kStride] = order[(i + 1) % lines] * kStride;
    return std::unique_ptr<std::uint64_t[], FreeDeleter>(raw);
}

void BM_Memory_DependentLoad(benchmark::State& state) {
    const auto bytes = static_cast<std::size_t>(state.range(0));
    const auto cycle = make_cycle(bytes, state.range(1) != 0);
    if (!cycle) {
        state.SkipWithError("out of memory");
        return;
    }
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < bytes / kLine; ++i) at = cycle[at];  // one lap to warm up
    for (auto _ : state) {
        at = cycle[at];
        benchmark::DoNotOptimize(at);
    }
}
BENCHMARK(BM_Memory_DependentLoad)
    ->ArgNames({"bytes", "huge_pages"})
    ->ArgsProduct({benchmark::CreateRange(std::int64_t{256} << 10, std::int64_t{1} << 30, 2), {1, 0}});

}  // namespace
