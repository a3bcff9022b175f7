// app/results_mapping: world records → results rows and the summary metrics, checked
// against the definitions of docs/metrics.md on hand-made world results.
#include "app/results_mapping.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "analysis/report/aggregate.hpp"
#include "analysis/results/digest.hpp"
#include "analysis/results/results_file.hpp"
#include "protocol/state/receipt.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::app {
namespace {

using sim::millis;
using sim::seconds;
using sim::Time;
using sim::world::WorldResults;

constexpr const char* kScenario =
    "name: mapping\n"
    "clouds:\n"
    "  - {name: a, region: london}\n"
    "  - {name: b, region: tokyo}\n";

sim::scenario::Scenario scenario(const std::vector<sim::scenario::Override>& sets = {}) {
    auto s = sim::scenario::load_scenario(kScenario, "mapping.yaml", sets);
    EXPECT_TRUE(s.has_value());
    return *s;
}

Hash32 hash(std::uint8_t b) {
    Hash32 h;
    h.bytes.fill(b);
    return h;
}

Time at(double s) { return Time::zero() + sim::Duration::from_nanos(static_cast<std::int64_t>(s * 1e9)); }

std::map<std::string, double> summary(const analysis::RunResults& run) {
    std::map<std::string, double> out;
    for (const auto& e : run.summary) out[e.name.str()] = e.value;
    return out;
}

TEST(ResultsMapping, ProvenanceRecordsOverridesInOrderAndTheEffectiveSeed) {
    const auto s = scenario({{"duration", "5m"}, {"seed", "42"}, {"duration", "7m"}});
    const analysis::RunResults run = to_run_results(s, 2, WorldResults{});
    EXPECT_EQ(run.provenance.scenario_text, kScenario);
    EXPECT_EQ(run.provenance.overrides, (std::vector<std::string>{"duration=5m", "seed=42", "duration=7m"}));
    EXPECT_EQ(run.provenance.seed, 42u);
    EXPECT_EQ(run.provenance.replication, 2u);
    // Without overrides the list is empty, and the digest tells the two apart.
    const analysis::RunResults plain = to_run_results(scenario(), 2, WorldResults{});
    EXPECT_TRUE(plain.provenance.overrides.empty());
    EXPECT_NE(analysis::results_digest(plain), analysis::results_digest(run));
}

TEST(ResultsMapping, NodesTableNamesRolesCloudsAndRegions) {
    WorldResults w;
    const std::string long_name = std::string(63, 'x') + "é";  // 65 bytes: cut before the é
    w.nodes = {{"validator:a", "london", 0},
               {"Zürich", "tokyo", std::nullopt},
               {long_name, "", std::nullopt},
               {"b", "no-such-region", 1}};
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    EXPECT_EQ(run.codes.node_roles, (std::vector<std::string>{"validator", "full"}));
    ASSERT_EQ(run.nodes.size(), 4u);
    const auto region = [&](const std::string& name) {
        const auto& r = run.codes.regions;
        return static_cast<std::uint16_t>(std::find(r.begin(), r.end(), name) - r.begin());
    };
    EXPECT_EQ(run.nodes[0],
              (analysis::NodeRow{0, analysis::FixedString<64>("validator:a"), 0, 0, region("london")}));
    EXPECT_EQ(run.nodes[1], (analysis::NodeRow{1, analysis::FixedString<64>("Zürich"), 1, analysis::kNoCode,
                                               region("tokyo")}));
    EXPECT_EQ(run.nodes[2].name.view(), std::string(63, 'x'));
    EXPECT_EQ(run.nodes[2].region, analysis::kNoCode);
    EXPECT_EQ(run.nodes[3].cloud, 1u);
    EXPECT_EQ(run.nodes[3].region, analysis::kNoCode);
    // World results that name no rule for a node: the scenario's consensus.fork_choice.
    const analysis::RunResults td =
        to_run_results(scenario({{"consensus.fork_choice", "td-first-seen"}}), 0, w);
    EXPECT_EQ(td.codes.fork_choices.at(td.nodes[3].fork_choice), "td-first-seen");
    // The table is part of the results: another name is another digest.
    WorldResults renamed = w;
    renamed.nodes[1].name = "Zurich";
    EXPECT_NE(analysis::results_digest(to_run_results(scenario(), 0, renamed)),
              analysis::results_digest(run));
}

// Mixed clients (docs/scenarios.md "Clients"): a world whose nodes apply different rules
// records each node's own rule in the nodes table, named as the scenario spells it.
TEST(ResultsMapping, NodesTableRecordsTheForkChoiceRuleEachNodeApplied) {
    constexpr const char* kMixed =
        "name: mixed\n"
        "duration: 1min\n"
        "network:\n"
        "  full_nodes: 3\n"
        "  topology: {kind: complete}\n"
        "clouds:\n"
        "  - {name: a, region: london, client: geth}\n"
        "  - {name: b, region: tokyo}\n"
        "  - {name: c, region: london, fork_choice: td-first-seen}\n"
        "consensus:\n"
        "  fork_choice: eip3436\n"
        "  clients:\n"
        "    - {nodes: \"full:1\", client: nethermind}\n"
        "    - {nodes: \"full:2\", fork_choice: eip225}\n";
    const auto s = sim::scenario::load_scenario(kMixed, "mixed.yaml");
    ASSERT_TRUE(s.has_value()) << s.error().front().to_string();
    auto config = sim::world::world_config(*s, 0);
    ASSERT_TRUE(config.has_value()) << config.error().key << ": " << config.error().message;
    auto world = sim::world::World::create(std::move(*config));
    ASSERT_TRUE(world.has_value()) << world.error();
    const WorldResults w = world->run();
    ASSERT_EQ(w.fork_choices.size(), 6u);

    const analysis::RunResults run = to_run_results(*s, 0, w);
    EXPECT_EQ(run.codes.fork_choices, (std::vector<std::string>{"eip3436", "eip225", "td-first-seen"}));
    ASSERT_EQ(run.nodes.size(), 6u);
    std::vector<std::string> applied;
    for (const analysis::NodeRow& row : run.nodes) {
        ASSERT_LT(row.fork_choice, run.codes.fork_choices.size()) << "node " << row.node;
        applied.push_back(run.codes.fork_choices[row.fork_choice]);
    }
    // Validators a (geth), b (the default), c; then full:0 (the default), full:1
    // (nethermind), full:2.
    EXPECT_EQ(applied, (std::vector<std::string>{"eip225", "eip3436", "td-first-seen", "eip3436",
                                                 "td-first-seen", "eip225"}));
    EXPECT_TRUE(analysis::validate_results(std::vector<analysis::RunResults>{run}).has_value());
    // The column is part of the results: another rule is another digest.
    WorldResults other = w;
    other.fork_choices[1] = clique::ForkChoiceRule::kTdFirstSeen;
    EXPECT_NE(analysis::results_digest(to_run_results(*s, 0, other)), analysis::results_digest(run));
}

TEST(ResultsMapping, PropagationCountsNodesOnlineAtSealing) {
    WorldResults w;
    w.final_numbers.assign(10, 1);  // ten nodes, four of them online at sealing
    sim::world::BlockRecord b;
    b.hash = hash(1);
    b.number = 1;
    b.sealed = at(15);
    b.canonical = true;
    b.online = 4;
    b.arrivals = {millis(4), millis(1), millis(3), millis(2)};
    b.late_arrivals = 2;
    w.blocks.push_back(b);
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    ASSERT_EQ(run.propagation.size(), 1u);
    const analysis::PropagationRow& p = run.propagation[0];
    EXPECT_EQ(p.t50_ns, millis(2).nanos());  // 2nd of 4
    EXPECT_EQ(p.t90_ns, millis(4).nanos());  // ⌈3.6⌉ = 4th of 4
    EXPECT_EQ(p.t100_ns, millis(4).nanos());
    EXPECT_EQ(p.nodes_reached, 6u);  // late importers included
    EXPECT_DOUBLE_EQ(summary(run).at("propagation_p50_s"), 0.002);
    EXPECT_DOUBLE_EQ(summary(run).at("propagation_p90_s"), 0.004);
}

TEST(ResultsMapping, RequestsServedAreConfirmedSuccesses) {
    WorldResults w;
    auto request = [&](std::uint8_t id, std::uint64_t user, std::uint32_t attempt, bool included,
                       bool success, bool confirmed, sim::world::OutcomeReason reason) {
        sim::world::RequestRecord q;
        q.tx = hash(id);
        q.user = user;
        q.attempt = attempt;
        q.submitted = at(10);
        if (included) q.included = at(15);
        if (confirmed) q.confirmed = at(40);
        q.success = success;
        q.reason = reason;
        w.requests.push_back(q);
    };
    request(1, 0, 1, true, true, true, state::Reason::kNone);   // served
    request(2, 1, 1, true, true, false, state::Reason::kNone);  // included, not (yet) confirmed to the user
    request(3, 2, 1, true, false, false, state::Reason::kPoolExhausted);
    request(4, 2, 2, false, false, false, txpool::Refusal{0});  // txpool refusal
    request(5, 2, 3, true, true, true, state::Reason::kNone);   // served on the third attempt
    request(6, 3, 1, false, false, false, sim::world::WorldReason::kNotIncluded);  // never included
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    ASSERT_EQ(run.requests.size(), 6u);
    EXPECT_EQ(run.requests[0].status, 2);
    EXPECT_EQ(run.requests[1].status, 1);
    EXPECT_EQ(run.requests[2].status, 3);
    EXPECT_EQ(run.codes.request_reason[run.requests[2].reason], "pool_exhausted");
    EXPECT_EQ(run.requests[3].status, 3);
    EXPECT_EQ(run.codes.request_reason[run.requests[3].reason].rfind("txpool_", 0), 0u);
    EXPECT_EQ(run.requests[4].attempt, 3u);
    EXPECT_EQ(run.requests[5].status, 0);
    EXPECT_EQ(run.codes.request_reason[run.requests[5].reason], "not_included");
    const auto m = summary(run);
    EXPECT_EQ(m.at("requests_submitted"), 6);
    EXPECT_EQ(m.at("requests_served"), 2);
    EXPECT_EQ(m.at("users_issued"), 2);
    EXPECT_EQ(m.at("codes_issued"), 3) << "included requests that succeeded, confirmed or not";
    EXPECT_FALSE(m.contains("users_served"));
    EXPECT_EQ(m.at("rerequests"), 2);
    EXPECT_EQ(m.at("requests_refused_pool_exhausted"), 1);
    EXPECT_EQ(m.at("requests_refused_not_included"), 1);
    EXPECT_DOUBLE_EQ(m.at("request_latency_p50_s"), 30.0);
}

TEST(ResultsMapping, RedemptionsCountSuccessesAndTransfersAreMapped) {
    WorldResults w;
    for (int i = 0; i < 3; ++i) {
        sim::world::RedemptionRecord r;
        r.code = hash(static_cast<std::uint8_t>(i));
        r.user = static_cast<std::uint64_t>(10 + i);
        r.cloud = static_cast<std::uint16_t>(i % 2);
        r.requested = at(100);
        r.first_query = at(100);
        r.submitted = at(130);
        if (i < 2) r.included = at(135);
        r.success = i == 0;  // i == 1: included but failed (already redeemed)
        r.reason = i == 0   ? sim::world::OutcomeReason{state::Reason::kNone}
                   : i == 1 ? sim::world::OutcomeReason{state::Reason::kAlreadyRedeemed}
                            : sim::world::OutcomeReason{sim::world::WorldReason::kNotIncluded};  // i == 2
        w.redemptions.push_back(r);
    }
    sim::world::TransferRecord t;
    t.tx = hash(7);
    t.code = hash(0);
    t.from = 3;
    t.to = 10;
    t.submitted = at(50);
    t.included = at(60);
    t.confirmed = at(90);
    t.success = true;
    w.transfers.push_back(t);
    t.tx = hash(8);
    t.included.reset();
    t.confirmed.reset();
    t.success = false;
    t.reason = sim::world::WorldReason::kNotIncluded;
    w.transfers.push_back(t);
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    EXPECT_EQ(summary(run).at("redemptions"), 1);
    EXPECT_EQ(run.redemptions[0].user, 10u);
    EXPECT_EQ(run.redemptions[1].status, 2);
    ASSERT_EQ(run.transfers.size(), 2u);
    EXPECT_EQ(run.transfers[0].status, 2);
    EXPECT_EQ(run.transfers[0].confirm_ns, at(90).nanos());
    EXPECT_EQ(run.transfers[0].to_user, 10u);
    EXPECT_EQ(run.transfers[1].status, 0);
    EXPECT_EQ(run.codes.transfer_reason[run.transfers[1].reason], "not_included");
    EXPECT_EQ(summary(run).at("transfers"), 1);
}

// Issue 9: a user whose code was issued is not a user served; the summary splits codes
// issued, users whose redemption a cloud accepted, and refusals by reason at both stages.
TEST(ResultsMapping, SummarySplitsIssuedRedeemedAndRefusalsByReason) {
    WorldResults w;
    for (std::uint8_t u = 0; u < 3; ++u) {
        sim::world::RequestRecord q;
        q.tx = hash(u);
        q.user = u;
        q.submitted = at(1);
        q.included = at(15);
        q.confirmed = at(45);
        q.success = true;
        w.requests.push_back(q);
    }
    auto redemption = [&](std::uint8_t code, std::uint64_t user, bool included, bool success,
                          sim::world::OutcomeReason reason) {
        sim::world::RedemptionRecord r;
        r.code = hash(code);
        r.user = user;
        r.requested = at(100);
        r.first_query = at(100);
        if (included) {
            r.submitted = at(130);
            r.included = at(135);
        }
        r.success = success;
        r.reason = reason;
        w.redemptions.push_back(r);
    };
    const auto quota = state::Reason::kCloudQuotaExhausted;
    const auto expired = state::Reason::kExpired;
    redemption(0, 0, true, true, state::Reason::kNone);  // user 0: redeemed
    redemption(1, 1, true, false, quota);                // user 1: every cloud refused for its quota
    redemption(1, 1, true, false, quota);
    redemption(2, 2, false, false, expired);  // user 2: presented after expiry (no redeem sent)
    redemption(2, 2, false, false,
               sim::world::WorldReason::kScreeningFailed);  // ... and failed a screening elsewhere
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    EXPECT_EQ(run.redemptions[3].status, 2) << "an expired code is a rejection, not pending";
    EXPECT_EQ(run.codes.redemption_reason[run.redemptions[3].reason], "expired");
    const auto m = summary(run);
    EXPECT_EQ(m.at("codes_issued"), 3);
    EXPECT_EQ(m.at("users_issued"), 3);
    EXPECT_EQ(m.at("users_redeemed"), 1);
    EXPECT_EQ(m.at("redemptions"), 1);
    EXPECT_EQ(m.at("redemptions_refused_cloud_quota_exhausted"), 2);
    EXPECT_EQ(m.at("redemptions_refused_expired"), 1);
    EXPECT_EQ(m.at("redemptions_refused_screening_failed"), 1);
    EXPECT_FALSE(m.contains("redemptions_refused_none"));
    EXPECT_TRUE(std::isnan(m.at("stamp_time_mean_s"))) << "no stamps required";
}

// Every refusal count is in every run's summary, zeros included (issue 14, zero-fill): the
// mean over two replications, one with 2 requests refused for pool_exhausted and 2
// redemptions for cloud_quota_exhausted, one with none, is 1 of each over n = 2 — not 2
// over n = 1, as when a run without a reason left its count out.
TEST(ResultsMapping, RefusalCountsAreZeroFilledSoAggregatesCountEveryRun) {
    WorldResults refused;
    for (std::uint8_t u = 0; u < 2; ++u) {
        sim::world::RequestRecord q;
        q.tx = hash(u);
        q.user = u;
        q.submitted = at(1);
        q.included = at(15);
        q.reason = state::Reason::kPoolExhausted;
        refused.requests.push_back(q);
        sim::world::RedemptionRecord r;
        r.code = hash(static_cast<std::uint8_t>(10 + u));
        r.user = u;
        r.requested = at(100);
        r.first_query = at(100);
        r.submitted = at(130);
        r.included = at(135);
        r.reason = state::Reason::kCloudQuotaExhausted;
        refused.redemptions.push_back(r);
    }
    std::vector<analysis::RunResults> runs{to_run_results(scenario(), 0, refused),
                                           to_run_results(scenario(), 1, WorldResults{})};
    runs[1].provenance.run_id += "-other";
    const auto none = summary(runs[1]);
    // Every reason of both code books (a request's code 0 is `none`, not a refusal).
    for (std::size_t r = 1; r < runs[1].codes.request_reason.size(); ++r)
        EXPECT_EQ(none.at("requests_refused_" + runs[1].codes.request_reason[r]), 0);
    for (std::size_t r = 1; r < runs[1].codes.redemption_reason.size(); ++r)
        EXPECT_EQ(none.at("redemptions_refused_" + runs[1].codes.redemption_reason[r]), 0);
    EXPECT_FALSE(none.contains("redemptions_refused_none"));

    const std::vector<analysis::SweepPoint> points{
        {{}, {runs[0].provenance.run_id, runs[1].provenance.run_id}}};
    analysis::AggregateOptions options;
    options.metrics = {"requests_refused_pool_exhausted", "redemptions_refused_cloud_quota_exhausted",
                       "requests_refused_user_limit"};
    const auto rows = analysis::aggregate_points(runs, points, options);
    ASSERT_TRUE(rows.has_value()) << rows.error();
    ASSERT_EQ(rows->size(), 3u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ((*rows)[i].n, 2u) << (*rows)[i].metric.str();
        EXPECT_DOUBLE_EQ((*rows)[i].mean, 1.0) << (*rows)[i].metric.str();
        EXPECT_DOUBLE_EQ((*rows)[i].min, 0.0);
    }
    EXPECT_EQ((*rows)[2].n, 2u) << "a reason no run had: n = 2, mean 0";
    EXPECT_DOUBLE_EQ((*rows)[2].mean, 0.0);
}

TEST(ResultsMapping, RenewalsAndStampTimesAreRecorded) {
    WorldResults w;
    sim::world::RequestRecord q;
    q.tx = hash(1);
    q.submitted = at(3);
    q.stamp_hashes = 300;
    q.stamp_time = sim::Duration::from_nanos(3'000'000'000);
    w.requests.push_back(q);
    q.tx = hash(2);
    q.stamp_time = sim::Duration::from_nanos(1'000'000'000);
    w.requests.push_back(q);
    sim::world::RenewalRecord n;
    n.tx = hash(9);
    n.code = hash(1);
    n.user = 4;
    n.submitted = at(500);
    n.included = at(510);
    n.confirmed = at(540);
    n.success = true;
    w.renewals.push_back(n);
    n.tx = hash(10);
    n.included = at(525);
    n.confirmed.reset();
    n.success = false;
    n.reason = state::Reason::kRenewalLimit;
    w.renewals.push_back(n);
    const analysis::RunResults run = to_run_results(scenario(), 0, w);
    ASSERT_EQ(run.renewals.size(), 2u);
    EXPECT_EQ(run.renewals[0].status, 2);
    EXPECT_EQ(run.renewals[0].user, 4u);
    EXPECT_EQ(run.renewals[0].confirm_ns, at(540).nanos());
    EXPECT_EQ(run.renewals[1].status, 3);
    EXPECT_EQ(run.codes.renewal_reason[run.renewals[1].reason], "renewal_limit");
    const auto m = summary(run);
    EXPECT_EQ(m.at("renewals_submitted"), 2);
    EXPECT_EQ(m.at("renewals"), 1);
    EXPECT_DOUBLE_EQ(m.at("stamp_time_mean_s"), 2.0);
}

TEST(ResultsMapping, PoolUtilisationIsTheFinalReferenceState) {
    WorldResults w;
    // Default pool: three tiers, 1000 units per cloud each: 2000 per tier.
    w.final_pool_remaining = {1500, 2000, 0};
    sim::world::Sample stale;
    stale.pool_remaining = {2000, 2000, 2000};  // the last sample is not the end state
    w.samples.push_back(stale);
    const auto m = summary(to_run_results(scenario(), 0, w));
    EXPECT_DOUBLE_EQ(m.at("pool_utilisation_small"), 0.25);
    EXPECT_DOUBLE_EQ(m.at("pool_utilisation_medium"), 0.0);
    EXPECT_DOUBLE_EQ(m.at("pool_utilisation_large"), 1.0);
}

}  // namespace
}  // namespace cl::app

namespace cl::app {
namespace {

// A workload's summary metrics (WorldResults::metrics, Workload::finish) follow the
// built-in ones, in order.
TEST(ResultsMapping, WorkloadMetricsFollowTheBuiltInSummary) {
    sim::world::WorldResults w;
    w.metrics.push_back(sim::world::Metric{"heartbeat_timers", 9, "count"});
    w.metrics.push_back(sim::world::Metric{"heartbeat_request_included", 1, "1"});
    const analysis::RunResults run = to_run_results(sim::scenario::load_default_scenario({}).value(), 0, w);
    ASSERT_GE(run.summary.size(), 3u);
    const std::size_t n = run.summary.size();
    EXPECT_EQ(run.summary[n - 3].name.view(), "sim_seconds");
    EXPECT_EQ(run.summary[n - 2].name.view(), "heartbeat_timers");
    EXPECT_EQ(run.summary[n - 2].value, 9);
    EXPECT_EQ(run.summary[n - 2].unit.view(), "count");
    EXPECT_EQ(run.summary[n - 1].name.view(), "heartbeat_request_included");
}

}  // namespace
}  // namespace cl::app
