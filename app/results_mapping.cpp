#include "app/results_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "analysis/results/stats.hpp"
#include "protocol/state/receipt.hpp"
#include "protocol/txpool/txpool.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app {
namespace {

using analysis::kNever;
using sim::Duration;
using sim::Time;
using sim::world::WorldResults;

// Reason codes: state::Reason values as they are (0 = none), then the txpool refusals,
// then outcomes that are not a rule of the chain.
constexpr std::size_t kStateReasons = state::kReasonCount;

std::vector<std::string> state_reason_names() {
    std::vector<std::string> names;
    for (std::size_t r = 0; r < kStateReasons; ++r)
        names.push_back(state::name(static_cast<state::Reason>(r)));
    return names;
}

analysis::Bytes32 bytes(const Hash32& h) { return h.bytes; }
analysis::Bytes20 bytes(const Address& a) { return a.bytes; }
std::int64_t ns(Time t) { return t.nanos(); }
std::int64_t ns(const std::optional<Time>& t) { return t ? t->nanos() : kNever; }

// Time until `share` of `nodes` had the block; kNever when fewer did.
std::int64_t reach_time(std::vector<Duration> sorted, std::size_t nodes, double share) {
    const auto needed = static_cast<std::size_t>(std::ceil(share * static_cast<double>(nodes)));
    if (needed == 0 || sorted.size() < needed) return kNever;
    return sorted[needed - 1].nanos();
}

// At most N bytes of `text`, cut at a UTF-8 character boundary, NUL bytes dropped (a name
// from a topology file may be longer than a FixedString holds).
template <std::size_t N>
analysis::FixedString<N> fixed_prefix(std::string_view text) {
    std::string s;
    for (char c : text) {
        if (c != '\0') s += c;
    }
    if (s.size() > N) {
        std::size_t cut = N;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
        s.resize(cut);
    }
    return analysis::FixedString<N>(s);
}

// The loader bounds what ends up in fixed-size result fields (sim/scenario/limits.hpp), so
// that a scenario `check` accepts never aborts here.
constexpr std::string_view kPoolUtilisationPrefix = "pool_utilisation_";
static_assert(kPoolUtilisationPrefix.size() + sim::scenario::kMaxTierNameBytes <=
              decltype(analysis::SummaryEntry::name)::kCapacity);
static_assert(sim::scenario::kMaxTiers <= analysis::kMaxTiers);
static_assert(sim::scenario::kMaxClouds <=
              std::numeric_limits<decltype(analysis::RedemptionRow::cloud)>::max());

void add(analysis::RunResults& run, std::string_view name, double value, std::string_view unit) {
    run.summary.push_back(
        analysis::SummaryEntry{analysis::FixedString<64>(name), value, analysis::FixedString<16>(unit)});
}

}  // namespace

analysis::RunResults to_run_results(const sim::scenario::Scenario& scenario, std::uint64_t replication,
                                    const WorldResults& world) {
    analysis::RunResults run;
    run.provenance.scenario_name = scenario.name;
    run.provenance.scenario_text = scenario.source_text;
    for (const auto& o : scenario.overrides) run.provenance.overrides.push_back(o.path + "=" + o.value);
    run.provenance.seed = scenario.seed;
    run.provenance.replication = static_cast<std::uint32_t>(replication);
    run.provenance.program_version = CLOUDLEDGER_VERSION;
    run.provenance.build_type = CLOUDLEDGER_BUILD_TYPE;
    run.provenance.run_id =
        scenario.name + "-seed" + std::to_string(scenario.seed) + "-rep" + std::to_string(replication);

    // ---- code books ----
    run.codes.request_status = {"pending", "included", "confirmed", "refused"};
    run.codes.request_reason = state_reason_names();
    for (std::size_t r = 0; r < txpool::kRefusalCount; ++r) {
        run.codes.request_reason.push_back(std::string("txpool_") +
                                           txpool::to_string(static_cast<txpool::Refusal>(r)));
    }
    run.codes.request_reason.push_back("not_included");
    run.codes.transfer_status = run.codes.request_status;
    run.codes.transfer_reason = run.codes.request_reason;
    run.codes.renewal_status = run.codes.request_status;
    run.codes.renewal_reason = run.codes.request_reason;
    run.codes.redemption_status = {"pending", "redeemed", "rejected"};
    run.codes.redemption_reason = state_reason_names();
    run.codes.redemption_reason.insert(run.codes.redemption_reason.end(),
                                       {"screening_failed", "never_confirmed", "not_included"});
    for (const auto& t : scenario.pool.tiers) run.codes.tiers.push_back(t.name);
    run.codes.regions = scenario.network.regions.names;
    if (run.codes.regions.empty()) run.codes.regions = {"all"};
    for (const auto& c : scenario.clouds) run.codes.clouds.push_back(c.name);
    run.codes.node_roles = {"validator", "full"};
    // Fork-choice rules as the scenario names them (code = index in the loader's table).
    const auto rules = sim::scenario::fork_choice_rules();
    for (const auto& [name, rule] : rules) run.codes.fork_choices.emplace_back(name);
    auto fork_choice_code = [&](clique::ForkChoiceRule rule) {
        const auto it =
            std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.second == rule; });
        // Every rule is in the table; a missing one would get a code without a name, which
        // write_results rejects.
        return static_cast<std::uint8_t>(it - rules.begin());
    };

    // ---- nodes ----
    for (std::size_t n = 0; n < world.nodes.size(); ++n) {
        const sim::world::NodeInfo& info = world.nodes[n];
        analysis::NodeRow row;
        row.node = static_cast<std::uint32_t>(n);
        row.name = fixed_prefix<decltype(row.name)::kCapacity>(info.name);
        row.role = info.cloud ? 0 : 1;
        if (info.cloud && *info.cloud < analysis::kNoCode)
            row.cloud = static_cast<std::uint16_t>(*info.cloud);
        const auto& regions = run.codes.regions;
        const auto it = std::find(regions.begin(), regions.end(), info.region);
        if (!info.region.empty() && it != regions.end() && it - regions.begin() < analysis::kNoCode)
            row.region = static_cast<std::uint16_t>(it - regions.begin());
        // The rule the node applied (WorldResults::fork_choices); world results that name
        // none for it (made by hand) mean the scenario's consensus.fork_choice.
        row.fork_choice = fork_choice_code(n < world.fork_choices.size() ? world.fork_choices[n]
                                                                         : scenario.consensus.fork_choice);
        run.nodes.push_back(row);
    }

    // ---- blocks and propagation ----
    std::size_t canonical = 0, in_turn = 0;
    std::optional<Time> first_canonical, last_canonical;
    std::vector<double> t50s, t90s;
    for (const auto& b : world.blocks) {
        run.blocks.push_back(analysis::BlockRow{b.number, bytes(b.hash), bytes(b.parent), bytes(b.signer),
                                                static_cast<std::uint8_t>(b.in_turn), ns(b.sealed),
                                                b.tx_count, b.size, static_cast<std::uint8_t>(b.canonical)});
        std::vector<Duration> sorted = b.arrivals;
        std::sort(sorted.begin(), sorted.end());
        analysis::PropagationRow p{bytes(b.hash),
                                   b.number,
                                   ns(b.sealed),
                                   reach_time(sorted, b.online, 0.5),
                                   reach_time(sorted, b.online, 0.9),
                                   reach_time(sorted, b.online, 1.0),
                                   static_cast<std::uint32_t>(sorted.size() + b.late_arrivals)};
        if (p.t50_ns != kNever) t50s.push_back(static_cast<double>(p.t50_ns) * 1e-9);
        if (p.t90_ns != kNever) t90s.push_back(static_cast<double>(p.t90_ns) * 1e-9);
        run.propagation.push_back(p);
        if (b.canonical) {
            ++canonical;
            in_turn += b.in_turn ? 1 : 0;
            if (!first_canonical) first_canonical = b.sealed;
            last_canonical = b.sealed;
        }
    }

    // ---- requests and transfers ----
    // Status: 0 pending (not on the reference chain), 1 included (succeeded there), 2
    // confirmed (also shown confirmed to the user), 3 refused (failed there, or refused by
    // the txpool).
    const std::uint8_t not_included = static_cast<std::uint8_t>(run.codes.request_reason.size() - 1);
    auto outcome = [&](const auto& q, std::uint8_t& status, std::uint8_t& reason) {
        if (q.included) {
            status = q.success ? (q.confirmed ? 2 : 1) : 3;
            reason = q.reason;
        } else if (q.reason >= 100 && q.reason < 100 + txpool::kRefusalCount) {
            status = 3;
            reason = static_cast<std::uint8_t>(kStateReasons + (q.reason - 100));
        } else {
            status = 0;
            reason = not_included;
        }
    };
    std::vector<double> latencies;
    std::vector<double> stamp_seconds;  // per request that needed a stamp
    std::vector<std::size_t> by_reason(run.codes.request_reason.size(), 0);
    std::size_t served = 0, issued = 0, rerequests = 0;
    std::set<std::uint64_t> users_issued;
    for (const auto& q : world.requests) {
        analysis::RequestRow row{bytes(q.tx),     q.user,         q.attempt,       q.region, q.tier,
                                 ns(q.submitted), ns(q.included), ns(q.confirmed), 0,        0};
        outcome(q, row.status, row.reason);
        ++by_reason[row.reason];
        rerequests += q.attempt > 1 ? 1 : 0;
        issued += row.status == 1 || row.status == 2 ? 1 : 0;
        if (row.status == 2) {
            ++served;
            users_issued.insert(q.user);
            latencies.push_back(static_cast<double>(row.confirm_ns - row.submit_ns) * 1e-9);
        }
        if (q.stamp_hashes > 0) stamp_seconds.push_back(q.stamp_time.to_seconds_f64());
        run.requests.push_back(row);
    }
    std::size_t transferred = 0;
    for (const auto& t : world.transfers) {
        analysis::TransferRow row{bytes(t.tx),    bytes(t.code),   t.from, t.to, ns(t.submitted),
                                  ns(t.included), ns(t.confirmed), 0,      0};
        outcome(t, row.status, row.reason);
        transferred += row.status == 1 || row.status == 2 ? 1 : 0;
        run.transfers.push_back(row);
    }
    std::size_t renewed = 0;
    for (const auto& n : world.renewals) {
        analysis::RenewalRow row{bytes(n.tx),    bytes(n.code),   n.user, ns(n.submitted),
                                 ns(n.included), ns(n.confirmed), 0,      0};
        outcome(n, row.status, row.reason);
        renewed += row.status == 1 || row.status == 2 ? 1 : 0;
        run.renewals.push_back(row);
    }

    // ---- redemptions ----
    std::size_t redeemed = 0;
    std::set<std::uint64_t> users_redeemed;
    std::vector<std::size_t> redemptions_by_reason(run.codes.redemption_reason.size(), 0);
    std::vector<double> allocation_latencies;  // s, presentation to allocation
    for (const auto& r : world.redemptions) {
        analysis::RedemptionRow row{bytes(r.code),
                                    r.user,
                                    r.cloud,
                                    ns(r.requested),
                                    ns(r.first_query),
                                    ns(r.submitted),
                                    ns(r.included),
                                    ns(r.allocated),
                                    0,
                                    0};
        if (r.included) {
            row.status = r.success ? 1 : 2;
            row.reason = r.reason;
            redeemed += r.success ? 1 : 0;
            if (r.success) users_redeemed.insert(r.user);
            if (r.success && r.allocated)
                allocation_latencies.push_back((*r.allocated - r.requested).to_seconds_f64());
        } else if (r.reason < kStateReasons) {
            // Refused by the cloud on its node's view before any redeem (expired, redeemed).
            row.status = 2;
            row.reason = r.reason;
        } else {
            // World codes: 200 screening failed, 201 never confirmed, 255 not included.
            row.status = r.reason == 200 ? 2 : 0;
            row.reason = static_cast<std::uint8_t>(kStateReasons + (r.reason == 200   ? 0
                                                                    : r.reason == 201 ? 1
                                                                                      : 2));
        }
        if (row.status == 2) ++redemptions_by_reason[row.reason];
        run.redemptions.push_back(row);
    }

    // ---- reorgs, network, samples ----
    std::uint32_t max_depth = 0;
    for (const auto& r : world.reorgs) {
        run.reorgs.push_back(
            analysis::ReorgRow{r.node, ns(r.time), r.depth, bytes(r.old_head), bytes(r.new_head)});
        max_depth = std::max(max_depth, r.depth);
    }
    for (const auto& m : world.network) {
        run.network.push_back(
            analysis::NetCounterRow{analysis::FixedString<24>(m.type), m.messages, m.bytes, m.dropped});
    }
    for (const auto& s : world.samples) {
        analysis::SampleRow row;
        row.time_ns = ns(s.time);
        row.txpool_pending_mean = s.txpool_pending_mean;
        row.txpool_queued_mean = s.txpool_queued_mean;
        for (std::size_t t = 0; t < s.pool_remaining.size() && t < analysis::kMaxTiers; ++t) {
            row.pool_remaining[t] = s.pool_remaining[t];
        }
        row.head_spread = static_cast<std::uint32_t>(s.head_spread);
        row.distinct_heads = s.distinct_heads;
        run.samples.push_back(row);
    }

    // ---- summary (docs/metrics.md) ----
    const double sealed = static_cast<double>(world.blocks.size());
    add(run, "blocks_sealed", sealed, "count");
    add(run, "blocks_canonical", static_cast<double>(canonical), "count");
    add(run, "fork_rate", sealed > 0 ? (sealed - static_cast<double>(canonical)) / sealed : NAN, "1");
    add(run, "in_turn_share",
        canonical > 0 ? static_cast<double>(in_turn) / static_cast<double>(canonical) : NAN, "1");
    add(run, "mean_block_interval_s",
        canonical > 1
            ? (*last_canonical - *first_canonical).to_seconds_f64() / static_cast<double>(canonical - 1)
            : NAN,
        "s");
    add(run, "propagation_p50_s", analysis::percentile(t50s, 50), "s");
    add(run, "propagation_p90_s", analysis::percentile(t90s, 50), "s");
    add(run, "request_latency_p50_s", analysis::percentile(latencies, 50), "s");
    add(run, "request_latency_p99_s", analysis::percentile(latencies, 99), "s");
    add(run, "requests_submitted", static_cast<double>(world.requests.size()), "count");
    add(run, "requests_served", static_cast<double>(served), "count");
    add(run, "codes_issued", static_cast<double>(issued), "count");
    add(run, "rerequests", static_cast<double>(rerequests), "count");
    add(run, "users_issued", static_cast<double>(users_issued.size()), "count");
    add(run, "users_redeemed", static_cast<double>(users_redeemed.size()), "count");
    for (std::size_t r = 1; r < by_reason.size(); ++r) {
        if (by_reason[r] > 0) {
            add(run, "requests_refused_" + run.codes.request_reason[r], static_cast<double>(by_reason[r]),
                "count");
        }
    }
    add(run, "stamp_time_mean_s",
        stamp_seconds.empty() ? NAN
                              : std::accumulate(stamp_seconds.begin(), stamp_seconds.end(), 0.0) /
                                    static_cast<double>(stamp_seconds.size()),
        "s");
    add(run, "stamp_time_p99_s", analysis::percentile(stamp_seconds, 99), "s");
    add(run, "transfers", static_cast<double>(transferred), "count");
    add(run, "renewals_submitted", static_cast<double>(world.renewals.size()), "count");
    add(run, "renewals", static_cast<double>(renewed), "count");
    add(run, "redemptions", static_cast<double>(redeemed), "count");
    for (std::size_t r = 0; r < redemptions_by_reason.size(); ++r) {
        if (redemptions_by_reason[r] > 0) {
            add(run, "redemptions_refused_" + run.codes.redemption_reason[r],
                static_cast<double>(redemptions_by_reason[r]), "count");
        }
    }
    add(run, "allocations", static_cast<double>(allocation_latencies.size()), "count");
    add(run, "allocation_latency_p50_s", analysis::percentile(allocation_latencies, 50), "s");
    add(run, "allocation_latency_p99_s", analysis::percentile(allocation_latencies, 99), "s");
    for (std::size_t t = 0; t < run.codes.tiers.size() && t < world.final_pool_remaining.size(); ++t) {
        std::uint64_t initial = 0;
        for (const auto& c : scenario.clouds) initial += t < c.quotas.size() ? c.quotas[t] : 0;
        const std::uint64_t remaining = world.final_pool_remaining[t];
        add(run, std::string(kPoolUtilisationPrefix) + run.codes.tiers[t],
            initial > 0
                ? static_cast<double>(initial - std::min(initial, remaining)) / static_cast<double>(initial)
                : NAN,
            "1");
    }
    add(run, "reorgs", static_cast<double>(world.reorgs.size()), "count");
    add(run, "max_reorg_depth", max_depth, "blocks");
    add(run, "events_processed", static_cast<double>(world.events), "count");
    add(run, "sim_seconds", world.simulated.to_seconds_f64(), "s");
    return run;
}

}  // namespace cl::app
