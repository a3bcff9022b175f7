#include "app/progress.hpp"

#include <cstdio>

namespace cl::app {

std::string format_progress(const Progress& p) {
    char line[256];
    const double rate = p.wall_s > 0 ? static_cast<double>(p.events) / p.wall_s / 1e6 : 0.0;
    const double eta = p.simulated_s > 0 ? p.wall_s * (p.total_s - p.simulated_s) / p.simulated_s : 0.0;
    std::snprintf(line, sizeof line,
                  " rep %llu (%llu of %llu): %5.1f%% simulated (%.0f s of %.0f s), %.1f s wall, "
                  "%.2f M events/s, ETA %.0f s   ",
                  static_cast<unsigned long long>(p.replication),
                  static_cast<unsigned long long>(p.replication + 1),
                  static_cast<unsigned long long>(p.replications), 100 * p.simulated_s / p.total_s,
                  p.simulated_s, p.total_s, p.wall_s, rate, eta);
    return "\r" + std::string(p.scenario) + line;
}

}  // namespace cl::app
