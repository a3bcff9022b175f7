// Choosing between two chain heads (shared/spec/clique.md §8, §9; DESIGN.md §4).
//
// A pure function of the two heads; the caller summarises each head as a HeadView
// (from the block tree and the snapshot after the head block). The only randomness,
// geth's coin flip, comes from the caller's stream.
#pragma once

#include <cstdint>

#include "protocol/clique/config.hpp"
#include "protocol/core/bytes.hpp"
#include "protocol/core/random.hpp"

namespace cl::clique {

struct HeadView {
    Hash32 hash;
    std::uint64_t number = 0;
    std::uint64_t total_difficulty = 0;
    // EIP-3436 rule 3: (number − index of the head's signer) mod N, index and N taken
    // from the validator set after the head block (as Besu does). See rule3_value().
    std::uint64_t rule3 = 0;
};

// (number − signer_index) mod signer_count, without unsigned wrap-around.
// REQUIRES: signer_count > 0, signer_index < signer_count.
std::uint64_t rule3_value(std::uint64_t number, std::uint64_t signer_index, std::uint64_t signer_count);

// True when `candidate` should replace `current` as the canonical head under
// config.fork_choice (and config.rule3 for EIP-3436). Identical heads never switch.
bool prefer_candidate(const Config& config, const HeadView& current, const HeadView& candidate,
                      RandomSource& rng);

}  // namespace cl::clique
