// When validators vote and who submits (shared/spec/checkpoint.md §1). Pure functions of
// the settings, the validator count and times the caller supplies.
//
// Terms: "N" is the size of the validator set the rotation runs over (the current set,
// sorted by address); a block at h is "d deep" when the canonical head is at h + d.
// `due` is the moment the checkpoint became due for the caller: when block h reached
// `depth` in the caller's own canonical chain (validators see it within a block's
// propagation time of each other, far below submit_timeout).
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/checkpoint/config.hpp"

namespace cl::checkpoint {

// §1: h = k × interval, k ≥ 1 (genesis is the implicit checkpoint 0, never submitted).
bool is_checkpoint_height(const Config& config, std::uint64_t height);

// The highest checkpoint height that is at least depth_for(validators) deep under a head
// at `head_number`; nullopt when there is none yet. A validator that has voted up to
// height v votes for each checkpoint height in (v, votable_height(...)].
// REQUIRES: validators > 0.
std::optional<std::uint64_t> votable_height(const Config& config, std::uint64_t validators,
                                            std::uint64_t head_number);

// §1: the validator (index into the sorted set) that submits h after `attempt` earlier
// submitters' timeouts: (h / interval + attempt) mod N. Attempt 0 is the spec's
// (h / interval) mod N; the rotation wraps around after N attempts.
// REQUIRES: validators > 0.
std::uint64_t submitter_index(const Config& config, std::uint64_t height, std::uint64_t validators,
                              std::uint64_t attempt = 0);

// Which attempt runs at `now` for a checkpoint due at `due`: floor((now − due) /
// submit_timeout), 0 before `due`.
std::uint64_t attempt_at(const Config& config, Nanos due, Nanos now);

// The start of the first turn of validator `self_index` at or after `now`: turns begin at
// due + (rank + j·N) × submit_timeout, j ≥ 0, rank = (self_index − submitter_index(h)) mod N.
// The validator submits then if no checkpoint for h is on the mainchain (as it reads it).
// REQUIRES: validators > 0, self_index < validators.
Nanos next_turn(const Config& config, std::uint64_t height, std::uint64_t validators,
                std::uint64_t self_index, Nanos due, Nanos now);

}  // namespace cl::checkpoint
