// The search for the smallest passing quota (docs/sizing.md "Search"): a bracket over an
// integer quota, narrowed a round at a time. Each round proposes candidates, all run
// together (so a round keeps every worker busy), and their verdicts narrow the bracket.
//
//   - While no candidate has passed: one probe, starting at the analytic guess and
//     doubling after each fail, up to kMaxDoublings doublings (then: unreachable).
//   - Then: the bracket (lo, hi] — lo the largest quota known to fail below hi (0 when
//     none), hi the smallest known to pass — and kPerRound candidates evenly inside it,
//     until hi − lo <= max(1, ⌊hi × precision⌋).
// Verdicts are kept by quota: a non-monotone answer (noise) only moves hi down to the
// smallest pass and lo to the largest fail below it. The result is a pure function of the
// verdicts, so the same runs give the same search whatever the parallelism.
//
// Thread-safety: a value; not shared.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace cl::analysis::sizing {

class QuotaSearch {
  public:
    static constexpr std::size_t kPerRound = 3;
    static constexpr int kMaxDoublings = 8;

    // REQUIRES: precision >= 0. `guess` 0 is taken as 1.
    QuotaSearch(std::uint64_t guess, double precision);
    // A search whose `hi` is known to pass (phase 2 of the search per tier).
    static QuotaSearch below(std::uint64_t passing_hi, double precision);

    // The quotas to evaluate next; empty when done().
    std::vector<std::uint64_t> candidates() const;
    void record(std::uint64_t quota, bool pass);

    bool done() const;
    bool unreachable() const { return unreachable_; }
    // The answer: the smallest quota known to pass; nullopt while none has.
    std::optional<std::uint64_t> answer() const;
    std::uint64_t lower() const;  // the largest quota known to fail below the answer (0 when none)

  private:
    std::uint64_t probe_;
    double precision_;
    int doublings_ = 0;
    bool unreachable_ = false;
    std::map<std::uint64_t, bool> verdicts_;
};

}  // namespace cl::analysis::sizing
