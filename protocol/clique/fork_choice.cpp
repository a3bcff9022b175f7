#include "protocol/clique/fork_choice.hpp"

#include "protocol/core/assert.hpp"

namespace cl::clique {

std::uint64_t rule3_value(std::uint64_t number, std::uint64_t signer_index, std::uint64_t signer_count) {
    CL_ASSERT(signer_count > 0 && signer_index < signer_count);
    return (number % signer_count + signer_count - signer_index) % signer_count;
}

bool prefer_candidate(const Config& config, const HeadView& current, const HeadView& candidate,
                      RandomSource& rng) {
    if (candidate.hash == current.hash) return false;
    // Rule 1 of every variant: higher total difficulty.
    if (candidate.total_difficulty != current.total_difficulty)
        return candidate.total_difficulty > current.total_difficulty;
    switch (config.fork_choice) {
        case ForkChoiceRule::kTdFirstSeen:
            return false;  // keep the head seen first
        case ForkChoiceRule::kEip225Geth:
            // geth ForkChoice.ReorgNeeded: lower number, then a coin flip.
            if (candidate.number != current.number) return candidate.number < current.number;
            return coin_flip(rng);
        case ForkChoiceRule::kEip3436:
            if (candidate.number != current.number) return candidate.number < current.number;  // rule 2
            if (candidate.rule3 != current.rule3)                                              // rule 3
                return config.rule3 == Rule3Direction::kSmallest ? candidate.rule3 < current.rule3
                                                                 : candidate.rule3 > current.rule3;
            return candidate.hash < current.hash;  // rule 4: lower hash as uint256 (big-endian bytes)
    }
    CL_ASSERT(false);
    return false;
}

}  // namespace cl::clique
