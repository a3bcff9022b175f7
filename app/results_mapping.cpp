#include "app/results_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/results/stats.hpp"
#include "app/mapping/mappers.hpp"
#include "sim/scenario/limits.hpp"

namespace cl::app {
namespace {

using sim::world::WorldResults;

// The loader bounds what ends up in fixed-size result fields (sim/scenario/limits.hpp), so
// that a scenario `check` accepts never aborts here.
constexpr std::string_view kPoolUtilisationPrefix = "pool_utilisation_";
static_assert(kPoolUtilisationPrefix.size() + sim::scenario::kMaxTierNameBytes <=
              decltype(analysis::SummaryEntry::name)::kCapacity);
static_assert(sim::scenario::kMaxTiers <= analysis::kMaxTiers);
static_assert(sim::scenario::kMaxClouds <=
              std::numeric_limits<decltype(analysis::RedemptionRow::cloud)>::max());

void add(analysis::RunResults& run, std::string_view name, double value, std::string_view unit) {
    mapping::add_summary(run, name, value, unit);
}

}  // namespace

namespace mapping {
void add_summary(analysis::RunResults& run, std::string_view name, double value, std::string_view unit) {
    run.summary.push_back(
        analysis::SummaryEntry{analysis::FixedString<64>(name), value, analysis::FixedString<16>(unit)});
}
}  // namespace mapping

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

    // ---- the tables, one mapper each (app/mapping/) ----
    mapping::fill_code_books(scenario, run.codes);
    mapping::map_nodes(scenario, world, run);
    const mapping::BlockStats blocks = mapping::map_blocks(world, run);
    const mapping::RequestStats requests = mapping::map_requests(world, run);
    const std::size_t transferred = mapping::map_transfers(world, run);
    const std::size_t renewed = mapping::map_renewals(world, run);
    const mapping::RedemptionStats redemptions = mapping::map_redemptions(world, run);
    const std::uint32_t max_depth = mapping::map_reorgs(world, run);
    mapping::map_checkpoints(world, run);
    mapping::map_network(world, run);
    mapping::map_samples(world, run);
    mapping::map_parties(world, run);
    mapping::map_signers(world, run);
    const std::size_t attacks_succeeded = mapping::map_attacks(world, run);
    // Names the summary takes from the mappers' statistics.
    const std::size_t canonical = blocks.canonical, in_turn = blocks.in_turn;
    const auto& [first_canonical, last_canonical] = std::pair{blocks.first_canonical, blocks.last_canonical};
    const auto& t50s = blocks.t50s;
    const auto& t90s = blocks.t90s;
    const auto& latencies = requests.latencies;
    const auto& stamp_seconds = requests.stamp_seconds;
    const auto& by_reason = requests.by_reason;
    const std::size_t served = requests.served, issued = requests.issued, rerequests = requests.rerequests;
    const auto& users_issued = requests.users_issued;
    const std::size_t redeemed = redemptions.redeemed;
    const auto& users_redeemed = redemptions.users_redeemed;
    const auto& redemptions_by_reason = redemptions.by_reason;
    const auto& allocation_latencies = redemptions.allocation_latencies;

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
    // Every refusal count, zeros included (docs/metrics.md): a reason left out of a run
    // with none would be left out of n when replications are aggregated, and the mean
    // over the runs that had some would overstate it (issue 14).
    for (std::size_t r = 1; r < by_reason.size(); ++r) {
        add(run, "requests_refused_" + run.codes.request_reason[r], static_cast<double>(by_reason[r]),
            "count");
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
    // As above, zeros included; code 0 (`none`: a rejection without a reason, which the
    // world does not produce) only when it occurs.
    for (std::size_t r = 0; r < redemptions_by_reason.size(); ++r) {
        if (r > 0 || redemptions_by_reason[r] > 0) {
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
    // Harm (docs/metrics.md "Harm"; shared/spec/adversaries.md §1), for every run.
    const sim::world::Harm& harm = world.harm;
    add(run, "unbacked_allocations", static_cast<double>(harm.unbacked_allocations), "count");
    add(run, "unbacked_instance_hours", harm.unbacked_instance_hours, "h");
    add(run, "double_allocations", static_cast<double>(harm.double_allocations), "count");
    add(run, "double_allocation_instance_hours", harm.double_allocation_instance_hours, "h");
    add(run, "erased_confirmations", static_cast<double>(harm.erased_confirmations), "count");
    std::size_t reorganised = 0;
    for (const std::uint32_t d : harm.deepest_reorg) reorganised += d > 0 ? 1 : 0;
    add(run, "nodes_reorganised", static_cast<double>(reorganised), "count");
    add(run, "blocks_decided", static_cast<double>(harm.blocks_decided), "count");
    std::vector<double> decided;
    for (const sim::Duration d : harm.decided_delays) decided.push_back(d.to_seconds_f64());
    add(run, "decided_delay_p50_s", analysis::percentile(decided, 50), "s");
    add(run, "decided_delay_max_s", analysis::percentile(decided, 100), "s");
    // The attack summary (docs/metrics.md "Attacks"): counts, then each attack's success and
    // figures as attack.<name>.<figure>.
    add(run, "attacks", static_cast<double>(world.attacks.size()), "count");
    add(run, "attacks_succeeded", static_cast<double>(attacks_succeeded), "count");
    for (const sim::world::AttackRecord& a : world.attacks) {
        const std::string prefix = "attack." + a.name + ".";
        add(run, prefix + "success", a.success ? 1.0 : 0.0, "1");
        for (const sim::world::Metric& m : a.figures) add(run, prefix + m.name, m.value, m.unit);
    }
    add(run, "events_processed", static_cast<double>(world.events), "count");
    add(run, "sim_seconds", world.simulated.to_seconds_f64(), "s");
    // What workloads contributed (WorldResults::metrics), after the built-in ones.
    for (const sim::world::Metric& m : world.metrics) add(run, m.name, m.value, m.unit);
    return run;
}

}  // namespace cl::app
