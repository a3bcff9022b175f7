// `txpool:` — node policy (docs/txpool.md) — and `cpu:`, the simulated CPU time per
// operation (docs/scenarios.md "Reference").
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// txpool::Config as the keys give it: values whose key and field differ in type or shape
// (burst and refill make one rate_limit) are read into these first.
struct TxpoolRead {
    explicit TxpoolRead(const txpool::Config& t)
        : burst(t.rate_limit ? std::optional<std::uint64_t>(t.rate_limit->burst) : std::nullopt),
          refill(t.rate_limit ? std::optional<Duration>(Duration::from_chrono(t.rate_limit->refill_interval))
                              : std::nullopt),
          lifetime(t.lifetime ? std::optional<Duration>(Duration::from_chrono(*t.lifetime)) : std::nullopt),
          stamp_bits(t.stamp_bits ? std::optional<std::uint64_t>(*t.stamp_bits) : std::nullopt) {}

    // The token bucket: off when either burst or refill is off.
    void store(txpool::Config& t) const {
        t.rate_limit.reset();
        if (burst && refill) t.rate_limit = txpool::RateLimit{*burst, refill->to_chrono()};
        t.lifetime.reset();
        if (lifetime) t.lifetime = lifetime->to_chrono();
        t.stamp_bits.reset();
        if (stamp_bits) t.stamp_bits = static_cast<unsigned>(*stamp_bits);
    }

    std::optional<std::uint64_t> burst;
    std::optional<Duration> refill;
    std::optional<Duration> lifetime;
    std::optional<std::uint64_t> stamp_bits;
    txpool::Config* config = nullptr;
};

using TxpoolKey = Key<Load, TxpoolRead>;

constexpr std::uint64_t kMaxTxSizeLimit = 16 * 1024 * 1024;  // the largest `max_tx_size` (16 MiB)

constexpr std::array<TxpoolKey, 11> kTxpoolKeys{{
    {"account_slots", [](Load& l, const Field& f, const MapReader&,
                         TxpoolRead& r) { get_size_or_off(l.c, f, r.config->account_slots); }},
    {"global_slots", [](Load& l, const Field& f, const MapReader&,
                        TxpoolRead& r) { get_size_or_off(l.c, f, r.config->global_slots); }},
    {"account_queue", [](Load& l, const Field& f, const MapReader&,
                         TxpoolRead& r) { get_size_or_off(l.c, f, r.config->account_queue); }},
    {"global_queue", [](Load& l, const Field& f, const MapReader&,
                        TxpoolRead& r) { get_size_or_off(l.c, f, r.config->global_queue); }},
    {"lifetime",
     [](Load& l, const Field& f, const MapReader&, TxpoolRead& r) {
         get_duration_or_off(l.c, f, r.lifetime, {.allow_zero = false, .max = std::nullopt});
     }},
    {"burst", [](Load& l, const Field& f, const MapReader&,
                 TxpoolRead& r) { get_uint_or_off(l.c, f, r.burst, 1, 1'000'000); }},
    {"refill",
     [](Load& l, const Field& f, const MapReader&, TxpoolRead& r) {
         get_duration_or_off(l.c, f, r.refill, {.allow_zero = false, .max = hours(24 * 365)});
     }},
    {"exempt_members", [](Load& l, const Field& f, const MapReader&,
                          TxpoolRead& r) { get_bool(l.c, f, r.config->exempt_members); }},
    // Bounded again by the workload (kMaxUserStampBits while users arrive).
    {"stamp_bits",
     [](Load& l, const Field& f, const MapReader&, TxpoolRead& r) {
         l.stamp_bits_field = f;
         get_uint_or_off(l.c, f, r.stamp_bits, 0, 64);
     }},
    {"max_txs_per_block", [](Load& l, const Field& f, const MapReader&,
                             TxpoolRead& r) { get_size_or_off(l.c, f, r.config->max_txs_per_block, 1); }},
    // Bytes of the signed RLP encoding (txpool::kGethTxMaxSize by default). Bounded so that
    // the spam adversary's oversized junk (the limit plus one byte of padding each) stays
    // a modest allocation.
    {"max_tx_size",
     [](Load& l, const Field& f, const MapReader&, TxpoolRead& r) {
         get_size_or_off(l.c, f, r.config->max_tx_size, 1, kMaxTxSizeLimit);
     }},
}};

using CpuKey = Key<Load, CpuCosts>;

constexpr DurationRange kCpuRange{.allow_zero = true, .max = seconds(60)};

constexpr std::array<CpuKey, 3> kCpuKeys{{
    {"verify_header", [](Load& l, const Field& f, const MapReader&,
                         CpuCosts& c) { get_duration(l.c, f, c.verify_header, kCpuRange); }},
    {"verify_tx", [](Load& l, const Field& f, const MapReader&,
                     CpuCosts& c) { get_duration(l.c, f, c.admit_tx, kCpuRange); }},
    {"execute_tx", [](Load& l, const Field& f, const MapReader&,
                      CpuCosts& c) { get_duration(l.c, f, c.execute_tx, kCpuRange); }},
}};

}  // namespace

void read_txpool(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kTxpoolKeys);
    TxpoolRead r(l.s.txpool);
    r.config = &l.s.txpool;
    read_keys(l, m, kTxpoolKeys, r);
    r.store(l.s.txpool);
}

void read_cpu(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kCpuKeys);
    read_keys(l, m, kCpuKeys, l.s.cpu);
}

}  // namespace cl::sim::scenario::detail
