// The columns of every results table, in order: the single list that the HDF5 writer and
// reader, the digest and any future exporter (CSV, report) walk.
//
// for_each_field(row, f) calls f(column_name, field) for each column of the row in schema
// order, with field a reference of the row's constness. Field types that occur: uint8_t,
// uint16_t, uint32_t, uint64_t, int64_t, double, Bytes32, Bytes20, FixedString<N>, and
// (SampleRow::pool_remaining only) std::array<uint64_t, kMaxTiers>.
//
// Changing an order or a name here changes the file layout and the digest (bump
// kResultsSchemaVersion in results_file.hpp and kDigestDomain in digest.hpp, and update
// docs/metrics.md).
#pragma once

#include <concepts>
#include <type_traits>

#include "analysis/results/schema.hpp"

namespace cl::analysis {

template <class Row, class Expected>
concept RowOf = std::same_as<std::remove_const_t<Row>, Expected>;

template <RowOf<NodeRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("node", r.node);
    f("name", r.name);
    f("role", r.role);
    f("cloud", r.cloud);
    f("region", r.region);
    f("fork_choice", r.fork_choice);
    f("deepest_reorg", r.deepest_reorg);
    f("messages_sent", r.messages_sent);
    f("bytes_sent", r.bytes_sent);
    f("messages_received", r.messages_received);
    f("bytes_received", r.bytes_received);
    f("cpu_ns", r.cpu_ns);
}

template <RowOf<BlockRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("number", r.number);
    f("hash", r.hash);
    f("parent_hash", r.parent_hash);
    f("signer", r.signer);
    f("in_turn", r.in_turn);
    f("sealed_time_ns", r.sealed_time_ns);
    f("tx_count", r.tx_count);
    f("size_bytes", r.size_bytes);
    f("canonical", r.canonical);
}

template <RowOf<PropagationRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("hash", r.hash);
    f("number", r.number);
    f("sealed_time_ns", r.sealed_time_ns);
    f("t50_ns", r.t50_ns);
    f("t90_ns", r.t90_ns);
    f("t100_ns", r.t100_ns);
    f("nodes_reached", r.nodes_reached);
}

template <RowOf<RequestRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("tx_hash", r.tx_hash);
    f("user", r.user);
    f("attempt", r.attempt);
    f("region", r.region);
    f("tier", r.tier);
    f("submit_ns", r.submit_ns);
    f("include_ns", r.include_ns);
    f("confirm_ns", r.confirm_ns);
    f("status", r.status);
    f("reason", r.reason);
}

template <RowOf<TransferRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("tx_hash", r.tx_hash);
    f("code", r.code);
    f("from_user", r.from_user);
    f("to_user", r.to_user);
    f("submit_ns", r.submit_ns);
    f("include_ns", r.include_ns);
    f("confirm_ns", r.confirm_ns);
    f("status", r.status);
    f("reason", r.reason);
}

template <RowOf<RenewalRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("tx_hash", r.tx_hash);
    f("code", r.code);
    f("user", r.user);
    f("submit_ns", r.submit_ns);
    f("include_ns", r.include_ns);
    f("confirm_ns", r.confirm_ns);
    f("status", r.status);
    f("reason", r.reason);
}

template <RowOf<RedemptionRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("code", r.code);
    f("user", r.user);
    f("cloud", r.cloud);
    f("requested_ns", r.requested_ns);
    f("query_ns", r.query_ns);
    f("submit_ns", r.submit_ns);
    f("include_ns", r.include_ns);
    f("allocate_ns", r.allocate_ns);
    f("status", r.status);
    f("reason", r.reason);
}

template <RowOf<ReorgRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("node", r.node);
    f("time_ns", r.time_ns);
    f("depth", r.depth);
    f("old_head", r.old_head);
    f("new_head", r.new_head);
}

template <RowOf<CheckpointRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("height", r.height);
    f("block_hash", r.block_hash);
    f("state_root", r.state_root);
    f("votes", r.votes);
    f("submitter", r.submitter);
    f("sealed_ns", r.sealed_ns);
    f("submitted_ns", r.submitted_ns);
    f("submissions", r.submissions);
    f("included_ns", r.included_ns);
    f("final_ns", r.final_ns);
    f("rejections", r.rejections);
    f("rejection", r.rejection);
    f("conflicts", r.conflicts);
    f("double_signers", r.double_signers);
}

template <RowOf<MainchainRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("id", r.id);
    f("parent", r.parent);
    f("height", r.height);
    f("miner", r.miner);
    f("mined_ns", r.mined_ns);
    f("published_ns", r.published_ns);
    f("canonical", r.canonical);
    f("attack", r.attack);
    f("txs", r.txs);
}

template <RowOf<NetCounterRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("message_type", r.message_type);
    f("messages", r.messages);
    f("bytes", r.bytes);
    f("dropped", r.dropped);
}

// pool_remaining becomes the columns pool_remaining_0 … pool_remaining_<T-1> in the file,
// T = codes.tiers.size().
template <RowOf<SampleRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("time_ns", r.time_ns);
    f("txpool_pending_mean", r.txpool_pending_mean);
    f("txpool_queued_mean", r.txpool_queued_mean);
    f("pool_remaining", r.pool_remaining);
    f("head_spread", r.head_spread);
    f("distinct_heads", r.distinct_heads);
}

template <RowOf<TrafficRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("party", r.party);
    f("kind", r.kind);
    f("outcome", r.outcome);
    f("count", r.count);
}

template <RowOf<PartySampleRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("time_ns", r.time_ns);
    f("party", r.party);
    f("txpool_pending_mean", r.txpool_pending_mean);
    f("txpool_queued_mean", r.txpool_queued_mean);
    f("codes_held", r.codes_held);
}

template <RowOf<SignerRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("cloud", r.cloud);
    f("node", r.node);
    f("address", r.address);
    f("index", r.index);
}

template <RowOf<AttackRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("kind", r.kind);
    f("name", r.name);
    f("start_ns", r.start_ns);
    f("end_ns", r.end_ns);
    f("parameters_digest", r.parameters_digest);
    f("success", r.success);
}

template <RowOf<AttackFigureRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("attack", r.attack);
    f("figure", r.figure);
    f("value", r.value);
    f("unit", r.unit);
}

template <RowOf<SummaryEntry> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("name", r.name);
    f("value", r.value);
    f("unit", r.unit);
}

// The tables of a run in file and digest order: f(table_name, rows) with rows the vector.
template <class Results, class F>
requires std::same_as<std::remove_const_t<Results>, RunResults>
constexpr void for_each_table(Results& run, F&& f) {
    f("nodes", run.nodes);
    f("signers", run.signers);
    f("blocks", run.blocks);
    f("propagation", run.propagation);
    f("requests", run.requests);
    f("transfers", run.transfers);
    f("renewals", run.renewals);
    f("redemptions", run.redemptions);
    f("reorgs", run.reorgs);
    f("checkpoints", run.checkpoints);
    f("mainchain", run.mainchain);
    f("network", run.network);
    f("samples", run.samples);
    f("traffic", run.traffic);
    f("party_samples", run.party_samples);
    f("attacks", run.attacks);
    f("attack_figures", run.attack_figures);
    f("summary", run.summary);
}

// The code books in digest order, with the table and attribute that stores each in the
// file: f(table_name, attribute_name, names).
template <class Codes, class F>
requires std::same_as<std::remove_const_t<Codes>, CodeBook>
constexpr void for_each_code_list(Codes& codes, F&& f) {
    f("requests", "status_names", codes.request_status);
    f("requests", "reason_names", codes.request_reason);
    f("transfers", "status_names", codes.transfer_status);
    f("transfers", "reason_names", codes.transfer_reason);
    f("renewals", "status_names", codes.renewal_status);
    f("renewals", "reason_names", codes.renewal_reason);
    f("redemptions", "status_names", codes.redemption_status);
    f("redemptions", "reason_names", codes.redemption_reason);
    f("requests", "tier_names", codes.tiers);
    f("requests", "region_names", codes.regions);
    f("redemptions", "cloud_names", codes.clouds);
    f("nodes", "role_names", codes.node_roles);
    f("nodes", "fork_choice_names", codes.fork_choices);
    f("checkpoints", "rejection_names", codes.checkpoint_rejections);
    f("mainchain", "miner_names", codes.miners);
    f("traffic", "party_names", codes.parties);
    f("traffic", "kind_names", codes.traffic_kinds);
    f("traffic", "outcome_names", codes.traffic_outcomes);
}

}  // namespace cl::analysis
