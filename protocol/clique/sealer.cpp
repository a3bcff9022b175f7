#include "protocol/clique/sealer.hpp"

#include <algorithm>
#include <vector>

#include "protocol/clique/seal.hpp"
#include "protocol/core/assert.hpp"

namespace cl::clique {

const char* to_string(SealRefusal r) {
    switch (r) {
        case SealRefusal::kUnauthorized:
            return "not an authorised signer";
        case SealRefusal::kRecentlySigned:
            return "signed recently, must wait for others";
        case SealRefusal::kNoTransactions:
            return "period 0 and no transactions to seal";
    }
    return "unknown seal refusal";
}

std::chrono::nanoseconds out_of_turn_delay(OutOfTurnDelay variant, std::size_t signer_count,
                                           RandomSource& rng) {
    CL_ASSERT(signer_count > 0);
    using std::chrono::milliseconds;
    using std::chrono::nanoseconds;
    const auto n = static_cast<std::uint64_t>(signer_count);
    const auto wiggle_ns = static_cast<std::uint64_t>(nanoseconds(kWiggleTime).count());
    switch (variant) {
        case OutOfTurnDelay::kGeth:
            return nanoseconds(static_cast<std::int64_t>(uniform_below(rng, (n / 2 + 1) * wiggle_ns)));
        case OutOfTurnDelay::kEip225:
            return nanoseconds(static_cast<std::int64_t>(uniform_below(rng, n * wiggle_ns)));
        case OutOfTurnDelay::kBesu: {
            // Besu CliqueBlockScheduler: (int)((N / 2.0 + 1) * 500) ms = 250·N + 500 ms, floored.
            const std::uint64_t max_ms = (n * 500) / 2 + 500;
            return milliseconds(1 + static_cast<std::int64_t>(uniform_below(rng, max_ms)));
        }
    }
    CL_ASSERT(false);
    return {};
}

std::expected<SealPlan, SealRefusal> plan_seal(const Config& config, const Snapshot& parent_snapshot,
                                               const Header& parent, const Address& self, std::uint64_t now,
                                               bool has_transactions, RandomSource& rng) {
    const std::uint64_t number = parent.number + 1;
    if (config.period == 0 && !has_transactions) return std::unexpected(SealRefusal::kNoTransactions);
    if (!parent_snapshot.is_signer(self)) return std::unexpected(SealRefusal::kUnauthorized);
    if (parent_snapshot.recently_signed(number, self)) return std::unexpected(SealRefusal::kRecentlySigned);

    SealPlan plan;
    plan.number = number;
    plan.time = std::max(parent.time + config.period, now);
    const bool in_turn = parent_snapshot.in_turn(number, self);
    plan.difficulty = in_turn ? kDiffInTurn : kDiffNoTurn;
    if (!in_turn)
        plan.delay = out_of_turn_delay(config.out_of_turn_delay, parent_snapshot.signers().size(), rng);
    return plan;
}

Header prepare_header(const Config& config, const Snapshot& parent_snapshot, const Header& parent,
                      const SealPlan& plan, std::span<const Proposal> proposals, RandomSource& rng) {
    Header h;
    h.parent_hash = parent_snapshot.hash();
    h.uncle_hash = kEmptyUncleHash;
    h.number = plan.number;
    h.time = plan.time;
    h.difficulty = plan.difficulty;
    h.gas_limit = parent.gas_limit;
    h.base_fee = parent.base_fee;
    h.nonce = kNonceDrop;
    const bool checkpoint = config.is_checkpoint(plan.number);
    if (!checkpoint) {
        std::vector<const Proposal*> valid;
        for (const Proposal& p : proposals)
            if (parent_snapshot.valid_vote(p.address, p.authorize)) valid.push_back(&p);
        if (!valid.empty()) {
            const Proposal& vote = *valid[uniform_below(rng, valid.size())];
            h.coinbase = vote.address;
            h.nonce = vote.authorize ? kNonceAuth : kNonceDrop;
        }
    }
    h.extra = make_extra(checkpoint ? parent_snapshot.signers() : std::vector<Address>{});
    return h;
}

}  // namespace cl::clique
