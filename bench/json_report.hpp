// Machine-readable results of the macro benches, in the shape of Google Benchmark's JSON
// output (`--benchmark_format=json`), so one reader (bench/check, Google Benchmark's
// tools/compare.py from Debian's libbenchmark-tools) takes micro and macro benches alike:
//
//     {"context": {"date": ..., "host_name": ..., "executable": ..., "num_cpus": ...,
//                  "library_build_type": "release" | "debug"},
//      "benchmarks": [{"name": ..., "run_name": ..., "run_type": "iteration",
//                      "repetitions": 1, "repetition_index": 0, "threads": 1,
//                      "iterations": 1, "real_time": <ns>, "cpu_time": <ns>,
//                      "time_unit": "ns", <counter>: <number>, ...}, ...]}
//
// One entry is one measured run; counters are plain numbers (rates already divided).
// Not thread-safe; write() is the only I/O.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cl::bench {

class JsonReport {
  public:
    explicit JsonReport(std::string executable) : executable_(std::move(executable)) {}

    // Adds one run: `wall_s` and `cpu_s` in seconds (stored in ns, as Google Benchmark's
    // time_unit "ns"), then named counters.
    void add(const std::string& name, double wall_s, double cpu_s,
             const std::vector<std::pair<std::string, double>>& counters) {
        nlohmann::ordered_json run = {{"name", name},
                                      {"family_index", runs_.size()},
                                      {"per_family_instance_index", 0},
                                      {"run_name", name},
                                      {"run_type", "iteration"},
                                      {"repetitions", 1},
                                      {"repetition_index", 0},
                                      {"threads", 1},
                                      {"iterations", 1},
                                      {"real_time", wall_s * 1e9},
                                      {"cpu_time", cpu_s * 1e9},
                                      {"time_unit", "ns"}};
        for (const auto& [key, value] : counters) run[key] = value;
        runs_.push_back(std::move(run));
    }

    // Writes the report to `path`; false if the file cannot be written.
    bool write(const std::string& path) const {
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        char date[64] = {};
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        std::strftime(date, sizeof date, "%FT%T%z", &local);
        nlohmann::ordered_json doc = {{"context",
                                       {{"date", date},
                                        {"host_name", host},
                                        {"executable", executable_},
                                        {"num_cpus", std::thread::hardware_concurrency()},
#ifdef NDEBUG
                                        {"library_build_type", "release"}
#else
                                        {"library_build_type", "debug"}
#endif
                                       }},
                                      {"benchmarks", runs_}};
        std::ofstream out(path);
        out << doc.dump(2) << "\n";
        return static_cast<bool>(out);
    }

  private:
    std::string executable_;
    std::vector<nlohmann::ordered_json> runs_;
};

// CPU time of the whole process so far, in seconds.
inline double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace cl::bench
