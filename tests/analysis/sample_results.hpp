// Sample RunResults for the results tests and the Python reader check: every table has
// rows with distinct, non-default values in every column (hashes that end in a zero byte,
// -1 "never" times, fractional doubles, UTF-8 names), plus a large scenario text.
// tests/analysis/read_results.py checks the values written from sample_run("run-b", 7).
#pragma once

#include <cstdint>
#include <string>

#include "analysis/results/schema.hpp"

namespace cl::analysis::testing {

// A 32-byte value with bytes seed, seed+1, … and a zero last byte.
inline Bytes32 bytes32(std::uint8_t seed) {
    Bytes32 out{};
    for (std::size_t i = 0; i + 1 < out.size(); ++i) out[i] = static_cast<std::uint8_t>(seed + i);
    return out;
}

inline Bytes20 bytes20(std::uint8_t seed) {
    Bytes20 out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(seed ^ (i * 7));
    return out;
}

inline RunResults sample_run(const std::string& run_id, std::uint64_t seed) {
    RunResults r;
    r.provenance = {.scenario_name = "passport",
                    .scenario_text = "name: passport\nduration: 6h\n",
                    .overrides = {"duration=2h", "clouds[0].quotas.small=50"},
                    .seed = seed,
                    .replication = 3,
                    .program_version = "0.1.0",
                    .build_type = "Debug",
                    .run_id = run_id};
    // Large enough to rule out HDF5's 64 KiB limit on compact attributes.
    for (int i = 0; i < 4000; ++i) r.provenance.scenario_text += "# padding line " + std::to_string(i) + "\n";
    r.codes = {.request_status = {"pending", "included", "confirmed", "refused"},
               .request_reason = {"none", "pool_exhausted", "rate_limited", "expired"},
               .transfer_status = {"pending", "included", "confirmed", "refused"},
               .transfer_reason = {"none", "not_owner", "transfer_limit"},
               .renewal_status = {"pending", "included", "confirmed", "refused"},
               .renewal_reason = {"none", "expired", "renewal_limit"},
               .redemption_status = {"redeemed", "rejected"},
               .redemption_reason = {"none", "already_redeemed", "unknown_code"},
               .tiers = {"small", "medium", "large"},
               .regions = {"eu-west", "São Paulo"},
               .clouds = {"alpha", "beta", "gamma"},
               .node_roles = {"validator", "full"},
               .fork_choices = {"eip3436", "eip225", "td-first-seen"},
               .checkpoint_rejections = {"none", "gap", "conflict"},
               .miners = {"pool-a", "attacker"},
               .parties = {"honest", "flood"},
               .traffic_kinds = {"request", "junk"},
               .traffic_outcomes = {"succeeded", "txpool_rate_limited"}};
    r.checkpoints = {{.height = 120,
                      .block_hash = bytes32(9),
                      .state_root = bytes32(10),
                      .votes = 7,
                      .submitter = 3,
                      .sealed_ns = 1'800'000'000'000,
                      .submitted_ns = 1'860'000'000'000,
                      .submissions = 2,
                      .included_ns = 1'870'000'000'000,
                      .final_ns = 3'430'000'000'000,
                      .rejections = 1,
                      .rejection = 2,
                      .conflicts = 1,
                      .double_signers = 4}};
    r.mainchain = {{.id = 1,
                    .parent = 0,
                    .height = 1,
                    .miner = 1,
                    .mined_ns = 13'000'000'000,
                    .published_ns = -1,
                    .canonical = 0,
                    .attack = 1,
                    .txs = 0}};
    r.nodes = {
        {.node = 0, .name = FixedString<64>("Zürich"), .role = 0, .cloud = 2, .region = 1, .fork_choice = 1},
        {.node = 1,
         .name = FixedString<64>("full:0"),
         .role = 1,
         .cloud = kNoCode,
         .region = 0,
         .fork_choice = 2},
        {.node = 2,
         .name = FixedString<64>("cairo"),
         .role = 1,
         .cloud = kNoCode,
         .region = kNoCode,
         .fork_choice = 2},
    };
    r.blocks = {
        {.number = 1,
         .hash = bytes32(1),
         .parent_hash = bytes32(0),
         .signer = bytes20(5),
         .in_turn = 1,
         .sealed_time_ns = 15'000'000'000,
         .tx_count = 12,
         .size_bytes = 2345,
         .canonical = 1},
        {.number = 2,
         .hash = bytes32(2),
         .parent_hash = bytes32(1),
         .signer = bytes20(6),
         .in_turn = 0,
         .sealed_time_ns = 30'000'000'123,
         .tx_count = 0,
         .size_bytes = 610,
         .canonical = 0},
        {.number = 2,
         .hash = bytes32(3),
         .parent_hash = bytes32(1),
         .signer = bytes20(7),
         .in_turn = 1,
         .sealed_time_ns = 30'000'000'000,
         .tx_count = 4,
         .size_bytes = 1200,
         .canonical = 1},
    };
    r.propagation = {
        {.hash = bytes32(1),
         .number = 1,
         .sealed_time_ns = 15'000'000'000,
         .t50_ns = 120'000'000,
         .t90_ns = 310'000'000,
         .t100_ns = 800'000'000,
         .nodes_reached = 210},
        {.hash = bytes32(2),
         .number = 2,
         .sealed_time_ns = 30'000'000'123,
         .t50_ns = 150'000'000,
         .t90_ns = -1,
         .t100_ns = -1,
         .nodes_reached = 80},
    };
    r.requests = {
        {.tx_hash = bytes32(40),
         .user = 17,
         .attempt = 1,
         .region = 1,
         .tier = 2,
         .submit_ns = 1'000,
         .include_ns = 15'000'000'000,
         .confirm_ns = 60'000'000'000,
         .status = 2,
         .reason = 0},
        {.tx_hash = bytes32(41),
         .user = 18,
         .attempt = 2,
         .region = 0,
         .tier = 0,
         .submit_ns = 2'000,
         .include_ns = -1,
         .confirm_ns = -1,
         .status = 3,
         .reason = 1},
    };
    r.transfers = {
        {.tx_hash = bytes32(50),
         .code = bytes32(40),
         .from_user = 17,
         .to_user = 19,
         .submit_ns = 61'000'000'001,
         .include_ns = 75'000'000'000,
         .confirm_ns = -1,
         .status = 1,
         .reason = 0},
        {.tx_hash = bytes32(51),
         .code = bytes32(42),
         .from_user = 20,
         .to_user = 21,
         .submit_ns = 62'000'000'000,
         .include_ns = 75'000'000'000,
         .confirm_ns = -1,
         .status = 3,
         .reason = 2},
    };
    r.renewals = {
        {.tx_hash = bytes32(60),
         .code = bytes32(40),
         .user = 19,
         .submit_ns = 64'000'000'000,
         .include_ns = 75'000'000'000,
         .confirm_ns = 105'000'000'000,
         .status = 2,
         .reason = 0},
        {.tx_hash = bytes32(61),
         .code = bytes32(42),
         .user = 20,
         .submit_ns = 65'000'000'000,
         .include_ns = 75'000'000'000,
         .confirm_ns = -1,
         .status = 3,
         .reason = 2},
    };
    r.redemptions = {
        {.code = bytes32(40),
         .user = 19,
         .cloud = 2,
         .requested_ns = 61'000'000'000,
         .query_ns = 61'100'000'000,
         .submit_ns = 63'000'000'000,
         .include_ns = 75'000'000'000,
         .status = 0,
         .reason = 0},
    };
    r.reorgs = {
        {.node = 9, .time_ns = 30'500'000'000, .depth = 1, .old_head = bytes32(2), .new_head = bytes32(3)},
    };
    r.network = {
        {.message_type = "NewBlock", .messages = 1000, .bytes = 2'000'000, .dropped = 3},
        {.message_type = "NewBlockHashes", .messages = 5000, .bytes = 300'000, .dropped = 0},
        {.message_type = "Transactions", .messages = 7, .bytes = 900, .dropped = 1},
    };
    r.samples = {
        {.time_ns = 0,
         .txpool_pending_mean = 0.5,
         .txpool_queued_mean = 0.25,
         .pool_remaining = {100, 50, 10},
         .head_spread = 0,
         .distinct_heads = 1},
        {.time_ns = 10'000'000'000,
         .txpool_pending_mean = 12.75,
         .txpool_queued_mean = 1.125,
         .pool_remaining = {99, 50, 9},
         .head_spread = 2,
         .distinct_heads = 3},
    };
    r.traffic = {{.party = 0, .kind = 0, .outcome = 0, .count = 7},
                 {.party = 1, .kind = 1, .outcome = 1, .count = 40}};
    r.party_samples = {
        {.time_ns = 0, .party = 0, .txpool_pending_mean = 0.5, .txpool_queued_mean = 0.25, .codes_held = 0},
        {.time_ns = 0, .party = 1, .txpool_pending_mean = 0, .txpool_queued_mean = 0, .codes_held = 0},
        {.time_ns = 10'000'000'000,
         .party = 0,
         .txpool_pending_mean = 2.75,
         .txpool_queued_mean = 1.125,
         .codes_held = 3},
        {.time_ns = 10'000'000'000,
         .party = 1,
         .txpool_pending_mean = 10,
         .txpool_queued_mean = 0,
         .codes_held = 12},
    };
    r.summary = {
        {"blocks_sealed", 3, "count"},         {"fork_rate", 1.0 / 3.0, "1"},
        {"propagation_p50_s", 0.135, "s"},     {"requests_refused_pool_exhausted", 1, "count"},
        {"pool_utilisation_small", 0.01, "1"},
    };
    r.wall_clock = {.wall_seconds = 1.5,
                    .events = 123456,
                    .events_per_s = 82304.0,
                    .sim_seconds_per_wall_second = 2400.0,
                    .peak_rss_bytes = 50'000'000};
    return r;
}

}  // namespace cl::analysis::testing
