// Reads a results file with analysis::read_results — schema, every table, and each run's
// stored digest against the rows read (a torn or truncated file fails) — for the shell
// tests of `cloudledger run` and `sweep`. Prints "ok N runs", then one line per run
// (`RUN_ID DIGEST`, in file order) and exits 0, or the error and exits 1.
#include <cstdio>

#include "analysis/results/digest.hpp"
#include "analysis/results/results_file.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s RESULTS.h5\n", argv[0]);
        return 2;
    }
    const auto runs = cl::analysis::read_results(argv[1]);
    if (!runs) {
        std::fprintf(stderr, "%s\n", runs.error().c_str());
        return 1;
    }
    std::printf("ok %zu runs\n", runs->size());
    for (const auto& run : *runs) {
        std::printf("%s %s\n", run.provenance.run_id.c_str(), cl::analysis::results_digest(run).c_str());
    }
    return 0;
}
