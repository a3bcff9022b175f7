// The progress line `cloudledger run` keeps rewriting on stderr when it is a terminal
// (DESIGN.md §8): which replication of how many, simulated time done, speed, ETA.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cl::app {

struct Progress {
    std::string_view scenario;
    std::uint64_t replication = 0;   // 0-based, as in the run id (`…-rep0`)
    std::uint64_t replications = 1;  // of the scenario
    double simulated_s = 0;          // simulated time done
    double total_s = 0;              // the run's duration; > 0
    double wall_s = 0;               // wall time of this replication so far
    std::uint64_t events = 0;        // events run so far
};

// One line starting with '\r' (it overwrites the previous one), without a newline, e.g.
// "\rpassport rep 1 (2 of 3):  50.0% simulated (10800 s of 21600 s), 4.0 s wall,
// 1.20 M events/s, ETA 4 s   ".
std::string format_progress(const Progress& p);

}  // namespace cl::app
