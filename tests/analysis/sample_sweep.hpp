// A synthetic sweep for the sweep-schema, aggregation and report tests: 3 quotas × 2 fork
// choices × 4 replications. Each run's summary has
//   users_served_fraction = 0.5 + 0.001 · quota + d_r     (d = −0.01, −0.005, +0.005, +0.01)
//   request_latency_p99_s = 2 + r                          (r = replication 0 … 3)
//   blocks_sealed         = 100
// so a point's fraction has mean 0.5 + 0.001 · quota and sd sqrt(0.00025 / 3), its p99
// latency mean 3.5 and sd sqrt(5 / 3), and the least-squares slope on the quota is 0.001.
#pragma once

#include <string>
#include <vector>

#include "analysis/results/schema.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis::testing {

struct SampleSweep {
    std::vector<RunResults> runs;
    SweepTables sweep;
};

inline SampleSweep sample_sweep() {
    SampleSweep s;
    s.sweep.name = "quota-vs-fork-choice";
    s.sweep.seed = 11;
    s.sweep.parameters = {"pool.default_quota", "consensus.fork_choice"};
    const double offsets[] = {-0.01, -0.005, 0.005, 0.01};
    for (int quota : {100, 200, 300}) {
        for (const char* fork_choice : {"eip225", "eip3436"}) {
            SweepPoint point;
            point.overrides = {{"pool.default_quota", std::to_string(quota)},
                               {"consensus.fork_choice", fork_choice}};
            for (std::uint32_t r = 0; r < 4; ++r) {
                RunResults run;
                run.provenance.scenario_name = "passport";
                run.provenance.seed = 11;
                run.provenance.replication = r;
                run.provenance.overrides = {"pool.default_quota=" + std::to_string(quota),
                                            std::string("consensus.fork_choice=") + fork_choice};
                run.provenance.run_id =
                    "q" + std::to_string(quota) + "-" + fork_choice + "-r" + std::to_string(r);
                run.summary = {
                    {"users_served_fraction", 0.5 + 0.001 * quota + offsets[r], "1"},
                    {"request_latency_p99_s", 2.0 + r, "s"},
                    {"blocks_sealed", 100, "count"},
                };
                point.run_ids.push_back(run.provenance.run_id);
                s.runs.push_back(std::move(run));
            }
            s.sweep.points.push_back(std::move(point));
        }
    }
    return s;
}

}  // namespace cl::analysis::testing
