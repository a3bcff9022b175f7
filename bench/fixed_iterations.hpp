// Fixed iteration counts for the instruction-count gate (bench/check, docs/benchmarks.md).
//
// Google Benchmark 1.7.1 (Debian 12) picks a benchmark's iteration count from wall time
// (--benchmark_min_time takes seconds only; the `<N>x` form came in 1.8), so the
// instructions a run executes would vary with the machine's load. A benchmark that
// applies this helper runs exactly N iterations when the environment variable
// CLOUDLEDGER_BENCH_ITERATIONS=N is set, and times itself as usual otherwise:
//
//     BENCHMARK(BM_Foo)->Apply(cl::bench::fixed_iterations);
//
// bench/check runs each benchmark under Callgrind at two counts N1 < N2 and reports
// (Ir(N2) − Ir(N1)) / (N2 − N1): the instructions of one iteration, with the fixture,
// the set-up before the loop and the framework cancelled out. It starts Callgrind with
// instrumentation off (--instr-atstart=no: the program runs several times faster until
// then); the helper also installs counting_starts() as the benchmark's Setup, which turns
// it on just before the benchmark runs. A benchmark with a costly fixture builds it in its
// own Setup, registered after this helper, and calls counting_starts() at its end.
// Outside Valgrind counting_starts() does nothing.
// Called at static-initialisation time (benchmark registration); reads the environment
// only. A value that is not a positive integer is ignored.
#pragma once

#include <cstdlib>

#include <benchmark/benchmark.h>
#include <valgrind/callgrind.h>

namespace cl::bench {

inline constexpr const char* kIterationsVariable = "CLOUDLEDGER_BENCH_ITERATIONS";

inline void counting_starts(const benchmark::State&) { CALLGRIND_START_INSTRUMENTATION; }

inline void fixed_iterations(benchmark::internal::Benchmark* b) {
    b->Setup(counting_starts);
    const char* text = std::getenv(kIterationsVariable);
    if (text == nullptr || *text == '\0') return;
    char* end = nullptr;
    const long long n = std::strtoll(text, &end, 10);
    if (*end == '\0' && n > 0) b->Iterations(static_cast<benchmark::IterationCount>(n));
}

}  // namespace cl::bench
