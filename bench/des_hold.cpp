// cloudledger-bench-des: the classic "hold" benchmark of a discrete-event core.
//
// A population of N pending events; each handled event schedules one new event at
// now + Exp(mean 1 ms); the run stops after M handled events. The delays are drawn by
// exponential_ziggurat (sim/kernel/ziggurat.hpp) and rounded to ns; bench/ns3/hold_ns3.cc
// draws the very same delays from the same generator and header. Prints
//     events_per_s=<number>
// first (the line bench/compare-des reads, the same as bench/ns3/hold_ns3.cc), then
// details. Only the run is timed, not the set-up of the initial population. With
// --json FILE it also writes the run in Google Benchmark's JSON shape
// (bench/json_report.hpp): one entry `DES_Hold/population:N/events:M` with the run's wall
// and CPU time, events, events_per_second and the process's peak_rss_bytes.
//
// Usage: cloudledger-bench-des --population N --events M [--seed S] [--json FILE]
// Exit codes: 0 success, 1 FILE not writable, 2 bad usage.
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "bench/json_report.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"

namespace {

using cl::sim::Duration;
using cl::sim::RandomStream;
using cl::sim::Simulator;

constexpr const char* kUsage =
    "usage: cloudledger-bench-des --population N --events M [--seed S] [--json FILE]\n";

[[noreturn]] void usage_error(const char* what, const char* value) {
    std::fprintf(stderr, "cloudledger-bench-des: %s%s%s\n%s", what, value ? ": " : "", value ? value : "",
                 kUsage);
    std::exit(2);
}

std::uint64_t parse_count(const char* option, const char* text, std::uint64_t min) {
    if (text == nullptr) usage_error("missing value for", option);
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || text[0] == '-' || v < min) {
        std::fprintf(stderr, "cloudledger-bench-des: %s needs an integer >= %llu, got '%s'\n%s", option,
                     static_cast<unsigned long long>(min), text, kUsage);
        std::exit(2);
    }
    return v;
}

struct Hold {
    Simulator sim;
    RandomStream rng;
    Duration mean = cl::sim::millis(1);
    std::uint64_t remaining = 0;

    explicit Hold(RandomStream stream) : rng(stream) {}

    void schedule_one() {
        sim.schedule_in(cl::sim::exponential_ziggurat(rng, mean), [this] { handle(); });
    }
    void handle() {
        if (--remaining == 0) sim.stop();
        schedule_one();  // the population stays N
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::uint64_t> population, events;
    std::uint64_t seed = 1;
    const char* json = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (arg == "--population") {
            population = parse_count("--population", value, 1), ++i;
        } else if (arg == "--events") {
            events = parse_count("--events", value, 1), ++i;
        } else if (arg == "--seed") {
            seed = parse_count("--seed", value, 0), ++i;
        } else if (arg == "--json") {
            if (value == nullptr) usage_error("missing value for", "--json");
            json = value, ++i;
        } else if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            usage_error("unknown argument", argv[i]);
        }
    }
    if (!population) usage_error("--population is required", nullptr);
    if (!events) usage_error("--events is required", nullptr);
    if (*population > (std::uint64_t{1} << 31)) usage_error("--population is too large (max 2^31)", nullptr);

    Hold hold(RandomStream::derive(seed, 0, "bench/des_hold"));
    hold.remaining = *events;
    for (std::uint64_t i = 0; i < *population; ++i) hold.schedule_one();

    const double cpu_start = cl::bench::process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    hold.sim.run();
    const auto stop = std::chrono::steady_clock::now();
    const double cpu_s = cl::bench::process_cpu_seconds() - cpu_start;

    const double wall_s = std::chrono::duration<double>(stop - start).count();
    const std::uint64_t ran = hold.sim.events_run();
    std::printf("events_per_s=%.0f\n", static_cast<double>(ran) / wall_s);
    std::printf("simulator=cloudledger scheduler=two-tier-calendar population=%llu events=%llu seed=%llu\n",
                static_cast<unsigned long long>(*population), static_cast<unsigned long long>(ran),
                static_cast<unsigned long long>(seed));
    std::printf("wall_s=%.6f sim_time_s=%.6f\n", wall_s, hold.sim.now().to_seconds_f64());
    if (json != nullptr) {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        cl::bench::JsonReport report(argv[0]);
        report.add(
            "DES_Hold/population:" + std::to_string(*population) + "/events:" + std::to_string(*events),
            wall_s, cpu_s,
            {{"events", static_cast<double>(ran)},
             {"events_per_second", static_cast<double>(ran) / wall_s},
             {"sim_time_s", hold.sim.now().to_seconds_f64()},
             {"peak_rss_bytes", static_cast<double>(usage.ru_maxrss) * 1024.0}});  // Linux: KiB
        if (!report.write(json)) {
            std::fprintf(stderr, "cloudledger-bench-des: cannot write %s\n", json);
            return 1;
        }
    }
    return 0;
}
