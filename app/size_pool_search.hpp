// The runs of `cloudledger size-pool` (docs/sizing.md "Search"): candidate quota vectors
// evaluated by simulation through the sweep machinery — each candidate a one-point sweep
// (the base scenario with the candidate's overrides) whose replications run on the
// worker threads into a journal, as `cloudledger sweep` runs them, so that a size-pool
// started again with the same arguments finds the runs already done.
//
// A candidate's runs are named by content: `sizepool-<16 hex digits>-p0-rep<R>`, the
// digits an FNV-1a hash of its scenario text, overrides and seed, so the same candidate
// met again (another round, a restart) reuses its runs. Every candidate uses the
// scenario's seed: replication r of every candidate sees the same random streams where
// the scenarios agree (common random numbers), which keeps the served fraction monotone
// in the quota run by run.
//
// Thread-safety: one Evaluator per command; not shared.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/sizing/decision.hpp"
#include "analysis/sizing/outcome.hpp"
#include "sim/scenario/sweep_file.hpp"

namespace cl::app::size_pool {

// One TTL option: the base scenario with its overrides (--set, then the --ttl ones).
struct Option {
    std::string label;  // "scenario" or the --ttl value as written
    sim::scenario::Scenario base;
    std::vector<sim::scenario::Override> overrides;
};

// A quota vector of one option (units per cloud, per tier; every cloud the same), and the
// tiers whose verdict counts.
struct Candidate {
    std::size_t option = 0;
    std::vector<std::uint64_t> quotas;
    std::vector<bool> counts;  // per tier
};

struct Settings {
    double target = 0.99;
    double confidence = 0.95;
    std::uint64_t replications = 4;  // per batch
    std::uint64_t max_replications = 32;
    unsigned jobs = 1;
    std::string journal;
    double weight_of(const Option& o) const;  // w = redeem_probability × pass_probability
};

class Evaluator {
  public:
    Evaluator(const std::vector<Option>& options, Settings settings);

    // Runs what `candidates` still need (replications in batches until decided or at the
    // most) and returns each one's verdict (undecided at the most = fail). The error is a
    // run's failure or a scenario the overrides make invalid.
    std::expected<std::vector<analysis::sizing::Verdict>, std::string> evaluate(
        const std::vector<Candidate>& candidates);

    // The runs of an evaluated candidate, in replication order.
    const std::vector<analysis::sizing::RunOutcome>& runs(const Candidate& c) const;
    // Tier t's served fraction per run of an evaluated candidate.
    std::vector<double> fractions(const Candidate& c, std::size_t tier) const;

    std::size_t runs_done() const { return ran_; }
    std::size_t runs_resumed() const { return resumed_; }
    std::size_t rounds() const { return rounds_; }
    const std::vector<std::string>& run_ids() const { return run_ids_; }

  private:
    struct Entry {
        sim::scenario::SweepFile sweep;  // one point: the candidate
        std::vector<std::uint64_t> capacity;
        std::vector<analysis::sizing::RunOutcome> runs;
    };
    std::expected<Entry*, std::string> entry(const Candidate& c);
    analysis::sizing::Verdict verdict(const Candidate& c, const Entry& e) const;

    const std::vector<Option>& options_;
    Settings settings_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;  // by the candidate's overrides text
    std::vector<std::string> run_ids_;
    std::size_t ran_ = 0, resumed_ = 0, rounds_ = 0;
};

}  // namespace cl::app::size_pool
