// Writes the synthetic sweep (tests/analysis/sample_sweep.hpp), aggregated, to argv[1]:
// the input of the `cloudledger report` and plot CLI tests. Exit 0 on success, 1 on failure.
#include <cstdio>

#include "analysis/report/aggregate.hpp"
#include "analysis/results/results_file.hpp"
#include "tests/analysis/sample_sweep.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT.h5\n", argv[0]);
        return 2;
    }
    cl::analysis::testing::SampleSweep s = cl::analysis::testing::sample_sweep();
    auto rows = cl::analysis::aggregate_points(s.runs, s.sweep.points, {.seed = s.sweep.seed});
    if (!rows) {
        std::fprintf(stderr, "%s\n", rows.error().c_str());
        return 1;
    }
    s.sweep.aggregates = *rows;
    if (auto ok = cl::analysis::write_sweep_results(argv[1], s.runs, s.sweep); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().c_str());
        return 1;
    }
    return 0;
}
