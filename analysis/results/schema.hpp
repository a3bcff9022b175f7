// The results schema (DESIGN.md §7): what one simulation run produces, as plain rows.
//
// One row type per table; RunResults aggregates the tables of one run with its provenance,
// the code books that name the small integer codes used in rows, and the wall-clock
// measurements. Every column and summary metric is defined once in docs/metrics.md.
//
// Conventions
//   - Times are int64 nanoseconds of simulated time since the start of the run (the
//     simulator's Time::nanos()); delays are int64 nanoseconds; -1 means "never".
//   - Hashes, block hashes, promo codes and addresses are raw bytes (Bytes32, Bytes20); the
//     HDF5 file stores them as "0x"-prefixed lower-case hex strings.
//   - Status, reason, tier, region, cloud, role and fork-choice fields are indices into the matching list
//     of names in RunResults::codes; the writer rejects a code that has no name, except
//     kNoCode where a column allows it (the row has none: NodeRow::cloud and ::region).
//   - Rows hold only fixed-size fields (trivially copyable); names are FixedString<N>.
//
// This header is the schema only: no HDF5 type appears here (results_file.hpp writes and
// reads it, digest.hpp fingerprints it, fields.hpp lists every row's columns in order).
//
// Thread-safety: value types, no shared state.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace cl::analysis {

using Bytes32 = std::array<std::uint8_t, 32>;  // block hash, transaction hash, promo code
using Bytes20 = std::array<std::uint8_t, 20>;  // address

// A string of at most N bytes stored in N bytes, zero-padded (no terminator when full).
// Holds UTF-8 text without NUL bytes; view() ends at the first NUL.
template <std::size_t N>
struct FixedString {
    static constexpr std::size_t kCapacity = N;
    std::array<char, N> bytes{};

    constexpr FixedString() = default;
    // From a string literal; the length is checked at compile time.
    template <std::size_t M>
    constexpr FixedString(const char (&literal)[M]) {  // NOLINT(google-explicit-constructor)
        static_assert(M - 1 <= N, "string literal longer than the FixedString capacity");
        std::copy_n(literal, M - 1, bytes.begin());
    }
    // REQUIRES: text.size() <= N and text holds no NUL (a longer name is a bug: abort).
    explicit FixedString(std::string_view text) {
        if (text.size() > N || text.find('\0') != std::string_view::npos) [[unlikely]] {
            std::fprintf(stderr, "FixedString<%zu>: name too long or holds NUL: '%.*s'\n", N,
                         static_cast<int>(text.size()), text.data());
            std::abort();
        }
        std::copy(text.begin(), text.end(), bytes.begin());
    }

    constexpr std::string_view view() const {
        const auto end = std::find(bytes.begin(), bytes.end(), '\0');
        return {bytes.data(), static_cast<std::size_t>(end - bytes.begin())};
    }
    std::string str() const { return std::string(view()); }

    friend constexpr bool operator==(const FixedString&, const FixedString&) = default;
    friend constexpr auto operator<=>(const FixedString&, const FixedString&) = default;
};

// Most pool tiers a run may have: SampleRow keeps one remaining-count per tier inline.
inline constexpr std::size_t kMaxTiers = 8;
inline constexpr std::int64_t kNever = -1;
inline constexpr std::uint16_t kNoCode = 0xFFFF;  // "none" in the u16 code columns that allow it

// Where a run came from (DESIGN.md §6). run_id names the run's group in the file (/runs/<id>):
// non-empty, no '/', not "." or "..", unique within a file.
struct Provenance {
    std::string scenario_name;
    std::string scenario_text;           // the scenario file as read (YAML)
    std::vector<std::string> overrides;  // `--set` overrides applied to it, `key=value`, in order
    std::uint64_t seed = 0;              // the effective seed (after overrides)
    std::uint32_t replication = 0;
    std::string program_version;
    std::string build_type;
    std::string run_id;

    friend bool operator==(const Provenance&, const Provenance&) = default;
};

// Names of the integer codes used in rows: name = list[code].
struct CodeBook {
    std::vector<std::string> request_status;     // RequestRow::status
    std::vector<std::string> request_reason;     // RequestRow::reason
    std::vector<std::string> transfer_status;    // TransferRow::status
    std::vector<std::string> transfer_reason;    // TransferRow::reason
    std::vector<std::string> renewal_status;     // RenewalRow::status
    std::vector<std::string> renewal_reason;     // RenewalRow::reason
    std::vector<std::string> redemption_status;  // RedemptionRow::status
    std::vector<std::string> redemption_reason;  // RedemptionRow::reason
    std::vector<std::string> tiers;              // RequestRow::tier, SampleRow::pool_remaining; <= kMaxTiers
    std::vector<std::string> regions;            // RequestRow::region, NodeRow::region
    std::vector<std::string> clouds;             // RedemptionRow::cloud, NodeRow::cloud
    std::vector<std::string> node_roles;         // NodeRow::role
    std::vector<std::string> fork_choices;       // NodeRow::fork_choice
    std::vector<std::string> checkpoint_rejections;  // CheckpointRow::rejection (0: none)
    std::vector<std::string> miners;                 // MainchainRow::miner
    std::vector<std::string> parties;  // TrafficRow::party, PartySampleRow::party: "honest", adversaries
    std::vector<std::string> traffic_kinds;     // TrafficRow::kind
    std::vector<std::string> traffic_outcomes;  // TrafficRow::outcome

    friend bool operator==(const CodeBook&, const CodeBook&) = default;
};

// Table `nodes`: who each node of the run is. `node` is the id used by the reorgs table and
// by `node:N` selectors (validators first, in cloud order, then full nodes).
struct NodeRow {
    std::uint32_t node = 0;
    FixedString<64> name;             // as the topology file names it, else "validator:CLOUD" / "full:I"
    std::uint8_t role = 0;            // codes.node_roles: validator, full
    std::uint16_t cloud = kNoCode;    // codes.clouds: the validator's cloud; kNoCode for a full node
    std::uint16_t region = kNoCode;   // codes.regions: the region `region:NAME` selects it by; kNoCode: none
    std::uint8_t fork_choice = 0;     // codes.fork_choices: the fork-choice rule the node applied
    std::uint32_t deepest_reorg = 0;  // blocks: the deepest reorg the node went through (0: none)
    std::uint64_t messages_sent = 0;  // handed to the network over the run, dropped ones included
    std::uint64_t bytes_sent = 0;
    std::uint64_t messages_received = 0;  // delivered to it while it was up
    std::uint64_t bytes_received = 0;
    std::int64_t cpu_ns = 0;  // simulated CPU charged over the run (cpu costs model)

    friend bool operator==(const NodeRow&, const NodeRow&) = default;
};

// Table `blocks`: every block sealed by any validator, canonical or not.
struct BlockRow {
    std::uint64_t number = 0;
    Bytes32 hash{};
    Bytes32 parent_hash{};
    Bytes20 signer{};
    std::uint8_t in_turn = 0;  // 1: sealed in turn (difficulty 2)
    std::int64_t sealed_time_ns = 0;
    std::uint32_t tx_count = 0;
    std::uint32_t size_bytes = 0;  // RLP size of the whole block
    std::uint8_t canonical = 0;    // 1: on the reference canonical chain at the end of the run

    friend bool operator==(const BlockRow&, const BlockRow&) = default;
};

// Table `propagation`: per block, delays after sealing until a share of online nodes had it.
struct PropagationRow {
    Bytes32 hash{};
    std::uint64_t number = 0;
    std::int64_t sealed_time_ns = 0;
    std::int64_t t50_ns = kNever;
    std::int64_t t90_ns = kNever;
    std::int64_t t100_ns = kNever;
    std::uint32_t nodes_reached = 0;

    friend bool operator==(const PropagationRow&, const PropagationRow&) = default;
};

// Table `requests`: every promo-code request transaction a user submitted.
struct RequestRow {
    Bytes32 tx_hash{};  // = the promo code
    std::uint64_t user = 0;
    std::uint32_t attempt = 1;  // 1: the user's first request; 2, 3, ...: re-requests after a refusal
    std::uint16_t region = 0;
    std::uint16_t tier = 0;
    std::int64_t submit_ns = 0;
    std::int64_t include_ns = kNever;
    std::int64_t confirm_ns = kNever;
    std::uint8_t status = 0;
    std::uint8_t reason = 0;

    friend bool operator==(const RequestRow&, const RequestRow&) = default;
};

// Table `transfers`: every code transfer a user submitted.
struct TransferRow {
    Bytes32 tx_hash{};
    Bytes32 code{};
    std::uint64_t from_user = 0;
    std::uint64_t to_user = 0;
    std::int64_t submit_ns = 0;
    std::int64_t include_ns = kNever;
    std::int64_t confirm_ns = kNever;
    std::uint8_t status = 0;
    std::uint8_t reason = 0;

    friend bool operator==(const TransferRow&, const TransferRow&) = default;
};

// Table `renewals`: every renew(code) a holder submitted (renewable TTL policy).
struct RenewalRow {
    Bytes32 tx_hash{};
    Bytes32 code{};
    std::uint64_t user = 0;  // the holder
    std::int64_t submit_ns = 0;
    std::int64_t include_ns = kNever;
    std::int64_t confirm_ns = kNever;
    std::uint8_t status = 0;
    std::uint8_t reason = 0;

    friend bool operator==(const RenewalRow&, const RenewalRow&) = default;
};

// Table `redemptions`: every redemption a member cloud attempted.
struct RedemptionRow {
    Bytes32 code{};
    std::uint64_t user = 0;  // who presented the code
    std::uint16_t cloud = 0;
    std::int64_t requested_ns = 0;
    std::int64_t query_ns = kNever;
    std::int64_t submit_ns = kNever;
    std::int64_t include_ns = kNever;
    std::int64_t allocate_ns = kNever;
    std::uint8_t status = 0;
    std::uint8_t reason = 0;

    friend bool operator==(const RedemptionRow&, const RedemptionRow&) = default;
};

// Table `reorgs`: every head change of a node that dropped blocks from its old chain.
struct ReorgRow {
    std::uint32_t node = 0;
    std::int64_t time_ns = 0;
    std::uint32_t depth = 0;
    Bytes32 old_head{};
    Bytes32 new_head{};

    friend bool operator==(const ReorgRow&, const ReorgRow&) = default;
};

// Table `checkpoints`: one row per sidechain checkpoint height voted for (docs/metrics.md,
// docs/checkpoints.md). Empty without a `checkpoints:` section.
struct CheckpointRow {
    std::uint64_t height = 0;
    Bytes32 block_hash{};
    Bytes32 state_root{};
    std::uint32_t votes = 0;
    std::uint32_t submitter = 0xFFFFFFFF;  // node id; 0xFFFFFFFF: never submitted
    std::int64_t sealed_ns = kNever;
    std::int64_t submitted_ns = kNever;
    std::uint32_t submissions = 0;
    std::int64_t included_ns = kNever;
    std::int64_t final_ns = kNever;
    std::uint32_t rejections = 0;
    std::uint8_t rejection = 0;  // codes.checkpoint_rejections: the first rejection's reason; 0 none
    std::uint32_t conflicts = 0;
    std::uint32_t double_signers = 0;

    friend bool operator==(const CheckpointRow&, const CheckpointRow&) = default;
};

// Table `mainchain`: every mainchain block (genesis, id 0, excluded).
struct MainchainRow {
    std::uint32_t id = 0;
    std::uint32_t parent = 0;
    std::uint64_t height = 0;
    std::uint16_t miner = 0;  // codes.miners
    std::int64_t mined_ns = 0;
    std::int64_t published_ns = kNever;
    std::uint8_t canonical = 0;  // 1: on the reader's chain at the end
    std::uint8_t attack = 0;     // 1: mined on the attacker's private branch
    std::uint32_t txs = 0;

    friend bool operator==(const MainchainRow&, const MainchainRow&) = default;
};

// Table `network`: totals over the run per wire message type.
struct NetCounterRow {
    FixedString<24> message_type;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint64_t dropped = 0;

    friend bool operator==(const NetCounterRow&, const NetCounterRow&) = default;
};

// Table `samples`: the sampled time series. pool_remaining[i] belongs to tier i for
// i < codes.tiers.size(); entries at higher indices are not results (neither written nor
// digested; read back as 0).
struct SampleRow {
    std::int64_t time_ns = 0;
    double txpool_pending_mean = 0;
    double txpool_queued_mean = 0;
    std::array<std::uint64_t, kMaxTiers> pool_remaining{};
    std::uint32_t head_spread = 0;
    std::uint32_t distinct_heads = 0;

    friend bool operator==(const SampleRow&, const SampleRow&) = default;
};

// Table `traffic`: transactions sent, by party, kind and outcome (one row per combination
// that occurred; docs/metrics.md "traffic"). Outcomes are disjoint, so a party's rows add
// up to what it sent.
struct TrafficRow {
    std::uint16_t party = 0;   // codes.parties: 0 honest, i >= 1 the i-th adversary
    std::uint8_t kind = 0;     // codes.traffic_kinds
    std::uint8_t outcome = 0;  // codes.traffic_outcomes
    std::uint64_t count = 0;

    friend bool operator==(const TrafficRow&, const TrafficRow&) = default;
};

// Table `party_samples`: each sample of `samples` split by party (one row per sample and
// party, honest first): the party's transactions in the running nodes' txpools and the
// codes it holds (docs/metrics.md "party_samples").
struct PartySampleRow {
    std::int64_t time_ns = 0;
    std::uint16_t party = 0;  // codes.parties
    double txpool_pending_mean = 0;
    double txpool_queued_mean = 0;
    std::uint64_t codes_held = 0;

    friend bool operator==(const PartySampleRow&, const PartySampleRow&) = default;
};

// Table `signers`: whose turn each slot is. One row per cloud: its validator node, its
// signer address and its position in the sorted signer list at genesis (Clique: block
// `number` is in turn for the signer at position number mod N).
struct SignerRow {
    std::uint16_t cloud = 0;  // codes.clouds
    std::uint32_t node = 0;
    Bytes20 address{};
    std::uint32_t index = 0;
    friend bool operator==(const SignerRow&, const SignerRow&) = default;
};

// Table `attacks`: one row per attack instance (shared/spec/adversaries.md §0); empty in a
// run without adversaries. Its kind's own figures are rows of `attack_figures`.
struct AttackRow {
    FixedString<24> kind;
    FixedString<32> name;
    std::int64_t start_ns = kNever;  // when it acted (the clone's cut); kNever: never triggered
    std::int64_t end_ns = kNever;
    Bytes32 parameters_digest{};
    std::uint8_t success = 0;  // 1: succeeded by its kind's rule (docs/attacks.md)
    friend bool operator==(const AttackRow&, const AttackRow&) = default;
};

// Table `attack_figures`: an attack's own figures (docs/attacks.md), by attack name.
struct AttackFigureRow {
    FixedString<32> attack;
    FixedString<32> figure;
    double value = 0;
    FixedString<16> unit;
    friend bool operator==(const AttackFigureRow&, const AttackFigureRow&) = default;
};

// Table `summary`: ordered scalar metrics; names are unique within a run.
struct SummaryEntry {
    FixedString<64> name;
    double value = 0;
    FixedString<16> unit;

    friend bool operator==(const SummaryEntry&, const SummaryEntry&) = default;
};

// Group `wall_clock`: measurements of the machine, not of the simulated system. Never part
// of the digest.
struct WallClock {
    double wall_seconds = 0;
    std::uint64_t events = 0;
    double events_per_s = 0;
    double sim_seconds_per_wall_second = 0;
    std::uint64_t peak_rss_bytes = 0;

    friend bool operator==(const WallClock&, const WallClock&) = default;
};

struct RunResults {
    Provenance provenance;
    CodeBook codes;
    std::vector<NodeRow> nodes;
    std::vector<SignerRow> signers;
    std::vector<BlockRow> blocks;
    std::vector<PropagationRow> propagation;
    std::vector<RequestRow> requests;
    std::vector<TransferRow> transfers;
    std::vector<RenewalRow> renewals;
    std::vector<RedemptionRow> redemptions;
    std::vector<ReorgRow> reorgs;
    std::vector<CheckpointRow> checkpoints;
    std::vector<MainchainRow> mainchain;
    std::vector<NetCounterRow> network;
    std::vector<SampleRow> samples;
    std::vector<TrafficRow> traffic;
    std::vector<PartySampleRow> party_samples;
    std::vector<AttackRow> attacks;
    std::vector<AttackFigureRow> attack_figures;
    std::vector<SummaryEntry> summary;
    WallClock wall_clock;

    friend bool operator==(const RunResults&, const RunResults&) = default;
};

}  // namespace cl::analysis
