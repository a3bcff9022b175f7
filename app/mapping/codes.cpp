#include <algorithm>
#include <type_traits>

#include "app/mapping/mappers.hpp"
#include "protocol/state/receipt.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app::mapping {
namespace {

using sim::world::OutcomeReason;
using sim::world::WorldReason;

// Reason codes: state::Reason values as they are (0 = none), then the txpool refusals
// (requests, transfers, renewals) or the world's own outcomes (redemptions).
constexpr std::size_t kStateReasons = state::kReasonCount;

std::vector<std::string> state_reason_names() {
    std::vector<std::string> names;
    for (std::size_t r = 0; r < kStateReasons; ++r)
        names.push_back(state::name(static_cast<state::Reason>(r)));
    return names;
}

}  // namespace

void fill_code_books(const sim::scenario::Scenario& scenario, analysis::CodeBook& codes) {
    codes.request_status = {"pending", "included", "confirmed", "refused"};
    codes.request_reason = state_reason_names();
    for (std::size_t r = 0; r < txpool::kRefusalCount; ++r) {
        codes.request_reason.push_back(std::string("txpool_") +
                                       txpool::to_string(static_cast<txpool::Refusal>(r)));
    }
    codes.request_reason.push_back("not_included");
    codes.transfer_status = codes.request_status;
    codes.transfer_reason = codes.request_reason;
    codes.renewal_status = codes.request_status;
    codes.renewal_reason = codes.request_reason;
    codes.redemption_status = {"pending", "redeemed", "rejected"};
    codes.redemption_reason = state_reason_names();
    // In WorldReason order.
    codes.redemption_reason.insert(codes.redemption_reason.end(),
                                   {"screening_failed", "never_confirmed", "not_included"});
    static_assert(sim::world::kWorldReasonCount == 3);
    for (const auto& t : scenario.pool.tiers) codes.tiers.push_back(t.name);
    codes.regions = scenario.network.regions.names;
    if (codes.regions.empty()) codes.regions = {"all"};
    for (const auto& c : scenario.clouds) codes.clouds.push_back(c.name);
    codes.node_roles = {"validator", "full"};
    // Fork-choice rules as the scenario names them (code = index in the loader's table).
    for (const auto& [name, rule] : sim::scenario::fork_choice_rules()) codes.fork_choices.emplace_back(name);
    // Parties (sim/world/results.hpp kHonestParty): honest, then the adversaries in order.
    codes.parties = {"honest"};
    for (const auto& a : scenario.adversaries) codes.parties.push_back(a.name);
    // In TrafficKind order.
    codes.traffic_kinds = {"request", "transfer", "renewal", "redemption", "redeem_unknown", "junk"};
    static_assert(sim::world::kTrafficKindCount == 6);
    // In TrafficOutcome order, the refusal last: txpool_<refusal> (code 4 + refusal).
    codes.traffic_outcomes = {"lost", "bad_signature", "succeeded", "failed"};
    for (std::size_t r = 0; r < txpool::kRefusalCount; ++r) {
        codes.traffic_outcomes.push_back(std::string("txpool_") +
                                         txpool::to_string(static_cast<txpool::Refusal>(r)));
    }
    codes.traffic_outcomes.push_back("not_included");
}

std::uint8_t code_traffic_outcome(sim::world::TrafficOutcome outcome,
                                  std::optional<txpool::Refusal> refusal) {
    using O = sim::world::TrafficOutcome;
    constexpr std::size_t kRefusedFirst = static_cast<std::size_t>(O::kRefused);
    switch (outcome) {
        case O::kRefused:
            return static_cast<std::uint8_t>(kRefusedFirst + static_cast<std::size_t>(refusal.value()));
        case O::kNotIncluded:
            return static_cast<std::uint8_t>(kRefusedFirst + txpool::kRefusalCount);
        default:
            return static_cast<std::uint8_t>(outcome);
    }
}

Coded code_tx_outcome(bool included, bool success, bool confirmed, const OutcomeReason& reason) {
    constexpr auto kNotIncluded = static_cast<std::uint8_t>(kStateReasons + txpool::kRefusalCount);
    if (included) {
        // On the reference chain the reason is the receipt's.
        const auto* r = std::get_if<state::Reason>(&reason);
        return {static_cast<std::uint8_t>(success ? (confirmed ? 2 : 1) : 3),
                static_cast<std::uint8_t>(r ? *r : state::Reason::kNone)};
    }
    if (const auto* refused = std::get_if<txpool::Refusal>(&reason))
        return {3, static_cast<std::uint8_t>(kStateReasons + static_cast<std::size_t>(*refused))};
    return {0, kNotIncluded};
}

Coded code_redemption_outcome(bool included, bool success, const OutcomeReason& reason) {
    if (included) {
        const auto* r = std::get_if<state::Reason>(&reason);
        return {static_cast<std::uint8_t>(success ? 1 : 2),
                static_cast<std::uint8_t>(r ? *r : state::Reason::kNone)};
    }
    // Refused by the cloud on its node's view before any redeem (expired, redeemed).
    if (const auto* r = std::get_if<state::Reason>(&reason)) return {2, static_cast<std::uint8_t>(*r)};
    const WorldReason w = std::holds_alternative<WorldReason>(reason) ? std::get<WorldReason>(reason)
                                                                      : WorldReason::kNotIncluded;
    return {static_cast<std::uint8_t>(w == WorldReason::kScreeningFailed ? 2 : 0),
            static_cast<std::uint8_t>(kStateReasons + static_cast<std::size_t>(w))};
}

}  // namespace cl::app::mapping
