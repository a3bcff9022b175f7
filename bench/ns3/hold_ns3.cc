// The hold benchmark (see bench/des_hold.cpp) on ns-3's simulator core, for a
// side-by-side comparison (bench/compare-des). Not part of the CMake build: it needs
// libns3-dev (scripts/install-deps --bench-ns3) and is built by bench/ns3/Makefile.
//
// Usage: hold_ns3 --population N --events M [--seed S] [--scheduler map|heap|calendar]
// Prints `events_per_s=<number>` first, exactly like cloudledger-bench-des.
//
// To compare schedulers and not random number generators, the delays come from the
// same generator and the same sampler as ours: xoshiro256** (seeded by SplitMix64 here;
// our bench derives its state from the seed by name, so the two streams differ but are
// equally distributed), Exp(1 ms) by the ziggurat of sim/kernel/ziggurat.hpp (the very
// header our side uses), rounded to ns. Only the event core differs. Events are
// ns-3's usual Simulator::Schedule of a free function (one EventImpl allocation each).
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ns3/core-module.h"
#include "sim/kernel/ziggurat.hpp"

namespace {

struct Xoshiro {
    std::uint64_t s[4];
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    explicit Xoshiro(std::uint64_t seed) {
        for (auto& w : s) {  // SplitMix64
            std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            w = z ^ (z >> 31);
        }
    }
    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
        const std::uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
};

Xoshiro* g_rng = nullptr;
std::uint64_t g_remaining = 0;
std::uint64_t g_handled = 0;

std::int64_t exp_delay_ns() {
    return static_cast<std::int64_t>(1e6 * cl::sim::ziggurat::standard_exponential(*g_rng) + 0.5);
}

void handle();
void schedule_one() { ns3::Simulator::Schedule(ns3::NanoSeconds(exp_delay_ns()), &handle); }
void handle() {
    ++g_handled;
    if (--g_remaining == 0) ns3::Simulator::Stop();
    schedule_one();
}

const char* kUsage = "usage: hold_ns3 --population N --events M [--seed S] [--scheduler map|heap|calendar]\n";

std::uint64_t parse(const char* opt, const char* text, std::uint64_t min) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = text ? std::strtoull(text, &end, 10) : 0;
    if (!text || end == text || *end != '\0' || errno != 0 || text[0] == '-' || v < min) {
        std::fprintf(stderr, "hold_ns3: %s needs an integer >= %llu\n%s", opt, (unsigned long long)min,
                     kUsage);
        std::exit(2);
    }
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t population = 0, events = 0, seed = 1;
    std::string scheduler = "calendar";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (arg == "--population")
            population = parse("--population", value, 1), ++i;
        else if (arg == "--events")
            events = parse("--events", value, 1), ++i;
        else if (arg == "--seed")
            seed = parse("--seed", value, 0), ++i;
        else if (arg == "--scheduler" && value)
            scheduler = value, ++i;
        else {
            std::fprintf(stderr, "hold_ns3: bad argument '%s'\n%s", argv[i], kUsage);
            return 2;
        }
    }
    if (population == 0 || events == 0) {
        std::fprintf(stderr, "hold_ns3: --population and --events are required\n%s", kUsage);
        return 2;
    }
    ns3::ObjectFactory factory;
    if (scheduler == "map")
        factory.SetTypeId("ns3::MapScheduler");
    else if (scheduler == "heap")
        factory.SetTypeId("ns3::HeapScheduler");
    else if (scheduler == "calendar")
        factory.SetTypeId("ns3::CalendarScheduler");
    else {
        std::fprintf(stderr, "hold_ns3: unknown scheduler '%s'\n%s", scheduler.c_str(), kUsage);
        return 2;
    }
    ns3::Simulator::SetScheduler(factory);

    Xoshiro rng(seed);
    g_rng = &rng;
    g_remaining = events;
    for (std::uint64_t i = 0; i < population; ++i) schedule_one();

    const auto start = std::chrono::steady_clock::now();
    ns3::Simulator::Run();
    const auto stop = std::chrono::steady_clock::now();
    const double wall_s = std::chrono::duration<double>(stop - start).count();
    std::printf("events_per_s=%.0f\n", static_cast<double>(g_handled) / wall_s);
    std::printf("simulator=ns-3.37 scheduler=%s population=%llu events=%llu seed=%llu\n", scheduler.c_str(),
                (unsigned long long)population, (unsigned long long)g_handled, (unsigned long long)seed);
    std::printf("wall_s=%.6f sim_time_s=%.6f\n", wall_s, ns3::Simulator::Now().GetSeconds());
    ns3::Simulator::Destroy();
    return 0;
}
