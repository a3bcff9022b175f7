// Writes the sample results (tests/analysis/sample_results.hpp) to argv[1]: the input of
// the Python reader check (read_results.py). Exit code 0 on success, 1 on failure.
#include <cstdio>
#include <vector>

#include "analysis/results/results_file.hpp"
#include "tests/analysis/sample_results.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT.h5\n", argv[0]);
        return 2;
    }
    using cl::analysis::RunResults;
    RunResults empty;
    empty.provenance.run_id = "empty";
    const std::vector<RunResults> runs = {cl::analysis::testing::sample_run("run-b", 7), empty};
    if (auto ok = cl::analysis::write_results(argv[1], runs); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().c_str());
        return 1;
    }
    return 0;
}
