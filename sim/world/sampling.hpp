// Sampling (docs/metrics.md "samples"): every sample_interval, up to and including the
// end of the run, the txpool sizes, head spread and distinct heads over the running
// nodes, and the pool left at the head of the reference chain. Each sample also reports
// progress to the caller of World::run. Thread-safety: none.
#pragma once

#include <cstdint>
#include <functional>

#include "sim/kernel/simulator.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/reference_chain.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

class Sampler {
  public:
    using Progress = std::function<void(Time, std::uint64_t events)>;
    // Called with each sample once its totals are taken, before it is stored: the
    // adversaries add their parties' shares (Workload::on_sample).
    using Observer = std::function<void(Sample&)>;

    Sampler(const WorldConfig& config, Simulator& sim, const Hosts& hosts, ReferenceChain& reference,
            std::vector<Sample>& samples)
        : config_(config), sim_(sim), hosts_(hosts), reference_(reference), samples_(samples) {}

    // Schedules the first sample, one interval from now. `progress` may be empty.
    void start(Progress progress);
    void set_observer(Observer observer) { observer_ = std::move(observer); }

  private:
    void schedule();
    void take();

    const WorldConfig& config_;
    Simulator& sim_;
    const Hosts& hosts_;
    ReferenceChain& reference_;
    std::vector<Sample>& samples_;
    Progress progress_;
    Observer observer_;
};

}  // namespace cl::sim::world
