#include "sim/world/parties.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "protocol/core/assert.hpp"

namespace cl::sim::world {
namespace {

// Outcome of one honest record (TrafficOutcome precedence: included first).
TrafficRecord classify(TrafficKind kind, bool included, bool success, const OutcomeReason& reason) {
    TrafficRecord r;
    r.kind = kind;
    if (included) {
        r.outcome = success ? TrafficOutcome::kSucceeded : TrafficOutcome::kFailed;
    } else if (const auto* refused = std::get_if<txpool::Refusal>(&reason)) {
        r.outcome = TrafficOutcome::kRefused;
        r.refusal = *refused;
    } else {
        r.outcome = TrafficOutcome::kNotIncluded;
    }
    return r;
}

// Counts of records by (kind, outcome, refusal), turned into one party's rows in key order.
class Tally {
  public:
    void add(const TrafficRecord& r) {
        ++counts_[{static_cast<std::uint8_t>(r.kind), static_cast<std::uint8_t>(r.outcome),
                   r.refusal ? static_cast<int>(*r.refusal) : -1}];
    }
    std::vector<TrafficRecord> rows(std::uint16_t party) const {
        std::vector<TrafficRecord> out;
        for (const auto& [key, count] : counts_) {
            TrafficRecord r;
            r.party = party;
            r.kind = static_cast<TrafficKind>(std::get<0>(key));
            r.outcome = static_cast<TrafficOutcome>(std::get<1>(key));
            if (std::get<2>(key) >= 0) r.refusal = static_cast<txpool::Refusal>(std::get<2>(key));
            r.count = count;
            out.push_back(r);
        }
        return out;
    }

  private:
    using Key = std::tuple<std::uint8_t, std::uint8_t, int>;  // kind, outcome, refusal (-1: none)
    std::map<Key, std::uint64_t> counts_;
};

}  // namespace

std::uint16_t party_of(const WorldConfig& config, std::string_view name) {
    for (std::size_t i = 0; i < config.adversaries.size(); ++i) {
        if (config.adversaries[i].name == name) return static_cast<std::uint16_t>(i + 1);
    }
    return kHonestParty;
}

void tally_adversary_redemptions(std::uint16_t party, std::span<const RedemptionRecord> records,
                                 WorldResults& results) {
    Tally tally;
    for (const RedemptionRecord& d : records) {
        if (!d.submitted) continue;
        tally.add(classify(TrafficKind::kRedemption, d.included.has_value(), d.success, d.reason));
    }
    const std::vector<TrafficRecord> rows = tally.rows(party);
    results.traffic.insert(results.traffic.end(), rows.begin(), rows.end());
}

void tally_honest_party(WorldResults& results) {
    Tally counts;
    auto add = [&](const TrafficRecord& r) { counts.add(r); };
    for (const RequestRecord& q : results.requests)
        add(classify(TrafficKind::kRequest, q.included.has_value(), q.success, q.reason));
    for (const TransferRecord& t : results.transfers)
        add(classify(TrafficKind::kTransfer, t.included.has_value(), t.success, t.reason));
    for (const RenewalRecord& n : results.renewals)
        add(classify(TrafficKind::kRenewal, n.included.has_value(), n.success, n.reason));
    // A redemption is traffic once its cloud submitted the redeem (a code refused on the
    // cloud's own view before that sent nothing).
    for (const RedemptionRecord& d : results.redemptions) {
        if (!d.submitted || d.user == ~std::uint64_t{0}) continue;  // the clone's redeems: the adversary's
        add(classify(TrafficKind::kRedemption, d.included.has_value(), d.success, d.reason));
    }
    const std::vector<TrafficRecord> honest = counts.rows(kHonestParty);
    results.traffic.insert(results.traffic.begin(), honest.begin(), honest.end());

    // Codes held by users over time: issue and redemption times on the reference chain.
    std::vector<Time> issued, redeemed;
    for (const RequestRecord& q : results.requests) {
        if (q.success && q.included) issued.push_back(*q.included);
    }
    for (const RedemptionRecord& d : results.redemptions) {
        if (d.success && d.included && d.user != ~std::uint64_t{0}) redeemed.push_back(*d.included);
    }
    std::sort(issued.begin(), issued.end());
    std::sort(redeemed.begin(), redeemed.end());
    for (Sample& s : results.samples) {
        PartySample h;
        h.party = kHonestParty;
        std::uint64_t pending = 0, queued = 0;
        for (const PartySample& p : s.parties) {
            pending += p.txpool_pending;
            queued += p.txpool_queued;
        }
        CL_ASSERT(pending <= s.txpool_pending && queued <= s.txpool_queued);
        h.txpool_pending = s.txpool_pending - pending;
        h.txpool_queued = s.txpool_queued - queued;
        const auto in = static_cast<std::uint64_t>(std::upper_bound(issued.begin(), issued.end(), s.time) -
                                                   issued.begin());
        const auto out = static_cast<std::uint64_t>(
            std::upper_bound(redeemed.begin(), redeemed.end(), s.time) - redeemed.begin());
        h.codes_held = in > out ? in - out : 0;
        s.parties.insert(s.parties.begin(), h);
    }
}

}  // namespace cl::sim::world
