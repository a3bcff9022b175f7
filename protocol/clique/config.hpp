// Clique (EIP-225) constants and the settings a scenario may change
// (shared/spec/clique.md §0, §1).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "protocol/core/bytes.hpp"

namespace cl::clique {

inline constexpr std::size_t kExtraVanity = 32;  // §1 EXTRA_VANITY
inline constexpr std::size_t kExtraSeal = 65;    // §1 EXTRA_SEAL: r ‖ s ‖ v
inline constexpr std::uint64_t kDiffInTurn = 2;  // §1 DIFF_INTURN
inline constexpr std::uint64_t kDiffNoTurn = 1;  // §1 DIFF_NOTURN
inline constexpr std::uint64_t kDefaultEpoch = 30000;
inline constexpr std::chrono::milliseconds kWiggleTime{500};  // §1 geth wiggleTime

// §1 NONCE_AUTH / NONCE_DROP.
inline const Nonce8 kNonceAuth =
    Nonce8::from_span(std::array<std::uint8_t, 8>{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
inline const Nonce8 kNonceDrop{};

// §0 / §7: how long an out-of-turn signer waits after the header time.
enum class OutOfTurnDelay {
    kGeth,    // rand[0, (floor(N/2)+1) × wiggle), nanosecond resolution (default)
    kEip225,  // rand[0, N × wiggle), as the EIP text says
    kBesu,    // 1 ms + rand[0, floor((N/2.0 + 1) × 500)) ms, millisecond resolution
};

// §0 / §8 / §9: how a node chooses between two heads.
enum class ForkChoiceRule {
    kEip3436,      // TD, lower number, rule 3, lower hash (default)
    kEip225Geth,   // TD, lower number, seeded coin flip
    kTdFirstSeen,  // TD, then keep the head seen first
};
enum class Rule3Direction { kSmallest, kLargest };  // §9: smallest = Besu and the original EIP text

struct Config {
    std::uint64_t period = 15;            // seconds, ≥ 1 in scenarios (0 = seal only non-empty blocks)
    std::uint64_t epoch = kDefaultEpoch;  // > 0
    OutOfTurnDelay out_of_turn_delay = OutOfTurnDelay::kGeth;
    ForkChoiceRule fork_choice = ForkChoiceRule::kEip3436;
    Rule3Direction rule3 = Rule3Direction::kSmallest;

    bool is_checkpoint(std::uint64_t number) const { return number % epoch == 0; }
};

}  // namespace cl::clique
