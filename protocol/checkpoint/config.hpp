// The checkpoint settings of shared/spec/checkpoint.md §1 in one place, with the spec's
// defaults. depth and threshold default to functions of the validator count N; a
// scenario may fix either. chain_id is not here: it is the sidechain's (the ledger's
// genesis configuration), passed where a payload is built.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace cl::checkpoint {

using Nanos = std::chrono::nanoseconds;

struct Config {
    // §1: the block at every height h = k × interval (k ≥ 1) is checkpointed.
    // Default 120 = 30 min at a 15 s period. > 0.
    std::uint64_t interval = 120;
    // §1: a validator votes for h once the block at h is `depth` blocks deep in its
    // canonical chain (the head is at h + depth). Unset: floor(N/2) + 1.
    std::optional<std::uint64_t> depth;
    // §1, §3: votes a submission needs (≥ 1 when set). Unset: floor(2N/3) + 1 of the current set.
    std::optional<std::uint64_t> threshold;
    // §1: when no checkpoint for h is on the mainchain this long after a submitter's
    // turn began, the next validator in order submits. Default 1000 s. > 0.
    Nanos submit_timeout = std::chrono::seconds(1000);

    // REQUIRES: validators > 0.
    std::uint64_t depth_for(std::uint64_t validators) const { return depth.value_or(validators / 2 + 1); }
    std::uint64_t threshold_for(std::uint64_t validators) const {
        return threshold.value_or(2 * validators / 3 + 1);
    }
};

}  // namespace cl::checkpoint
