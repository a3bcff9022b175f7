// `txpool:` — node policy (docs/txpool.md) — and `cpu:`, the simulated CPU time per
// operation (docs/scenarios.md "Reference").
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

using TxpoolKey = Key<Load, TxpoolSpec>;

constexpr std::array<TxpoolKey, 10> kTxpoolKeys{{
    {"account_slots", [](Load& l, const Field& f, const MapReader&,
                         TxpoolSpec& t) { get_uint_or_off(l.c, f, t.account_slots); }},
    {"global_slots", [](Load& l, const Field& f, const MapReader&,
                        TxpoolSpec& t) { get_uint_or_off(l.c, f, t.global_slots); }},
    {"account_queue", [](Load& l, const Field& f, const MapReader&,
                         TxpoolSpec& t) { get_uint_or_off(l.c, f, t.account_queue); }},
    {"global_queue", [](Load& l, const Field& f, const MapReader&,
                        TxpoolSpec& t) { get_uint_or_off(l.c, f, t.global_queue); }},
    {"lifetime",
     [](Load& l, const Field& f, const MapReader&, TxpoolSpec& t) {
         get_duration_or_off(l.c, f, t.lifetime, {.allow_zero = false, .max = std::nullopt});
     }},
    {"burst", [](Load& l, const Field& f, const MapReader&,
                 TxpoolSpec& t) { get_uint_or_off(l.c, f, t.burst, 1, 1'000'000); }},
    {"refill",
     [](Load& l, const Field& f, const MapReader&, TxpoolSpec& t) {
         get_duration_or_off(l.c, f, t.refill, {.allow_zero = false, .max = hours(24 * 365)});
     }},
    {"exempt_members",
     [](Load& l, const Field& f, const MapReader&, TxpoolSpec& t) { get_bool(l.c, f, t.exempt_members); }},
    // Bounded again by the workload (kMaxUserStampBits while users arrive).
    {"stamp_bits",
     [](Load& l, const Field& f, const MapReader&, TxpoolSpec& t) {
         l.stamp_bits_field = f;
         get_uint_or_off(l.c, f, t.stamp_bits, 0, 64);
     }},
    {"max_txs_per_block", [](Load& l, const Field& f, const MapReader&,
                             TxpoolSpec& t) { get_uint_or_off(l.c, f, t.max_txs_per_block, 1); }},
}};

using CpuKey = Key<Load, CpuSpec>;

constexpr DurationRange kCpuRange{.allow_zero = true, .max = seconds(60)};

constexpr std::array<CpuKey, 3> kCpuKeys{{
    {"verify_header", [](Load& l, const Field& f, const MapReader&,
                         CpuSpec& c) { get_duration(l.c, f, c.verify_header, kCpuRange); }},
    {"verify_tx", [](Load& l, const Field& f, const MapReader&,
                     CpuSpec& c) { get_duration(l.c, f, c.verify_tx, kCpuRange); }},
    {"execute_tx", [](Load& l, const Field& f, const MapReader&,
                      CpuSpec& c) { get_duration(l.c, f, c.execute_tx, kCpuRange); }},
}};

}  // namespace

void read_txpool(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kTxpoolKeys);
    read_keys(l, m, kTxpoolKeys, l.s.txpool);
}

void read_cpu(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kCpuKeys);
    read_keys(l, m, kCpuKeys, l.s.cpu);
}

}  // namespace cl::sim::scenario::detail
