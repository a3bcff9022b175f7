// Why a recorded transaction or redemption ended as it did: the one vocabulary the world
// records (results.hpp) and app/results_mapping turns into the results' reason codes
// (docs/metrics.md "Reason codes"). Replaces the uint8 codes that used to be decoded by
// magic numbers (a txpool refusal + 100, 200/201/255).
#pragma once

#include <cstdint>
#include <variant>

#include "protocol/state/receipt.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::sim::world {

// Outcomes that are no rule of the chain nor of a txpool: what the world's actors did.
enum class WorldReason : std::uint8_t {
    kScreeningFailed,  // a redemption: the user failed the cloud's screening
    kNeverConfirmed,   // a redemption: the code never became redeemable for the cloud in time
    kNotIncluded,      // submitted, but not on the reference chain at the end of the run
};
inline constexpr std::size_t kWorldReasonCount = static_cast<std::size_t>(WorldReason::kNotIncluded) + 1;

// A receipt's reason (state::Reason::kNone for a success, or a rule the chain applied — for
// a redemption also the cloud's own refusal on its node's view: kExpired,
// kAlreadyRedeemed), a txpool's refusal at submission, or a WorldReason. Default: kNone.
using OutcomeReason = std::variant<state::Reason, txpool::Refusal, WorldReason>;

}  // namespace cl::sim::world
