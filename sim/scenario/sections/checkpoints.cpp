// `checkpoints:` — checkpoints to a PoW mainchain (shared/spec/checkpoint.md;
// docs/checkpoints.md "Scenario keys") — and `workload.clouds.allocate_after`, the clouds'
// allocation policy that may wait for a final checkpoint. The section is off when absent;
// present (even empty, `checkpoints: {}`), every key takes the defaults of
// sim/world/checkpoint_config.hpp. Read after the clouds (threshold and depth are bounded
// by their number), the duration (attack start, mainchain block count) and the workload
// (allocate_after: final_checkpoint needs this section).
#include <algorithm>
#include <cmath>

#include "sim/scenario/limits.hpp"
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// At most this many miners: each is an actor of the mainchain with its own view of it.
constexpr std::size_t kMaxMiners = 64;
// Sidechain and mainchain heights these settings may reach within a run are bounded by
// kMaxBlocks; a depth or count beyond it could never be reached.
constexpr std::uint64_t kMaxDepth = kMaxBlocks;

template <class Table>
std::vector<std::string> preset_names(const Table& table) {
    std::vector<std::string> names;
    for (const auto& p : table) names.emplace_back(p.name);
    return names;
}

// An integer in [lo, hi] or one of `presets` (by name).
template <class Table, class Get>
void read_uint_or_preset(Load& l, const Field& f, std::uint64_t& out, std::uint64_t lo, std::uint64_t hi,
                         const Table& presets, Get value) {
    if (!f) return;
    if (f.node->is_scalar() && !f.node->text.empty() && !(f.node->text[0] >= '0' && f.node->text[0] <= '9') &&
        f.node->text[0] != '-') {
        for (const auto& p : presets) {
            if (p.name == f.node->text) {
                out = value(p);
                return;
            }
        }
        const auto names = preset_names(presets);
        l.c.error(f.node->pos, f.key,
                  "expected an integer or a preset (" + join(names) + "), got " + quote(f.node->text) +
                      did_you_mean(f.node->text, names));
        return;
    }
    get_uint(l.c, f, out, lo, hi);
}

// An integer >= lo, or `auto` (nullopt: a function of the validator count).
void read_uint_or_auto(Load& l, const Field& f, std::optional<std::uint64_t>& out, std::uint64_t lo,
                       std::uint64_t hi) {
    if (!f) return;
    if (f.node->is_scalar() && f.node->text == "auto") {
        out.reset();
        return;
    }
    if (f.node->is_scalar() && !f.node->text.empty() && !(f.node->text[0] >= '0' && f.node->text[0] <= '9') &&
        f.node->text[0] != '-') {
        l.c.error(f.node->pos, f.key, "expected an integer or auto, got " + quote(f.node->text));
        return;
    }
    if (const auto v = read_uint(l.c, f, lo, hi)) out = *v;
}

void read_miners(Load& l, const Field& f, world::MainchainConfig& m) {
    if (!f) return;
    const auto* items = list(l.c, f, "miners");
    if (items == nullptr) return;
    if (items->empty()) {
        l.c.error(f.pos, f.key, "at least one miner is required");
        return;
    }
    if (!check_count(l, f, items->size(), kMaxMiners, "miners", "each keeps its own view of the mainchain"))
        return;
    std::vector<world::MinerSpec> miners;
    bool ok = true;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field mf = item(f, *items, i);
        const MapReader r(l.c, mf, strings({"name", "share"}), "in a miner");
        if (!r.present()) {
            l.c.error(mf.pos, mf.key, "expected a miner mapping {name, share}, got " + describe(*mf.node));
            ok = false;
            continue;
        }
        world::MinerSpec miner;
        const std::size_t before = l.c.count();
        if (const Field nf = r.require("name"); nf && get_name(l.c, nf, miner.name, "a miner name")) {
            for (const auto& other : miners) {
                if (other.name == miner.name)
                    l.c.error(nf.pos, nf.key, "duplicate miner name " + quote(miner.name));
            }
        }
        if (const Field sf = r.require("share")) {
            if (const auto s = read_number(l.c, sf, 0.0, true)) miner.share = *s;
        }
        if (l.c.count() != before) ok = false;
        miners.push_back(std::move(miner));
    }
    if (ok) m.miners = std::move(miners);
}

using MainchainKey = Key<Load, world::MainchainConfig>;

constexpr std::array<MainchainKey, 4> kMainchainKeys{{
    {"block_time",
     [](Load& l, const Field& f, const MapReader&, world::MainchainConfig& m) {
         get_duration(l.c, f, m.block_time, {.allow_zero = false, .max = hours(24)});
         if (f && l.duration_ok && m.block_time > Duration::zero() &&
             static_cast<std::uint64_t>(l.s.duration / m.block_time) > kMaxBlocks) {
             l.c.error(f.pos, f.key,
                       "duration / block_time is more than " + std::to_string(kMaxBlocks) +
                           " mainchain blocks (the run keeps every block)");
         }
     }},
    {"miners",
     [](Load& l, const Field& f, const MapReader&, world::MainchainConfig& m) { read_miners(l, f, m); }},
    {"confirmations",
     [](Load& l, const Field& f, const MapReader&, world::MainchainConfig& m) {
         read_uint_or_preset(l, f, m.confirmations, 1, kMaxDepth, world::kConfirmationPresets,
                             [](const world::ConfirmationPreset& p) { return p.confirmations; });
     }},
    {"delay",
     [](Load& l, const Field& f, const MapReader&, world::MainchainConfig& m) {
         get_duration(l.c, f, m.delay, {.allow_zero = true, .max = hours(1)});
     }},
}};

// `mainchain_attack:` read into this, then checked as a whole.
struct AttackRead {
    world::MainchainAttack attack;
};

using AttackKey = Key<Load, AttackRead>;

constexpr std::array<AttackKey, 4> kAttackKeys{{
    {"share",
     [](Load& l, const Field& f, const MapReader&, AttackRead& a) {
         if (const auto p = read_probability(l.c, f)) {
             if (*p <= 0 || *p >= 1) {
                 l.c.error(f.node->pos, f.key,
                           "must be > 0 and < 1 (a share of the hash power), got " + excerpt(f.node->text));
             } else {
                 a.attack.share = *p;
             }
         }
     }},
    {"reorg_depth",
     [](Load& l, const Field& f, const MapReader& m, AttackRead& a) {
         const Field pf = m.get("preset");
         if (f && pf) {
             l.c.error(pf.pos, pf.key, "give either reorg_depth or preset, not both");
             return;
         }
         if (f) get_uint(l.c, f, a.attack.reorg_depth, 1, kMaxDepth);
         if (pf) {
             const std::string* t = scalar(l.c, pf, "a preset name");
             if (t == nullptr) return;
             for (const auto& p : world::kReorgPresets) {
                 if (p.name == *t) {
                     a.attack.reorg_depth = p.depth;
                     return;
                 }
             }
             const auto names = preset_names(world::kReorgPresets);
             l.c.error(pf.node->pos, pf.key,
                       "unknown preset " + quote(*t) + " (expected one of: " + join(names) + ")" +
                           did_you_mean(*t, names));
         }
     }},
    {"preset", nullptr},  // read with reorg_depth
    {"start",
     [](Load& l, const Field& f, const MapReader&, AttackRead& a) {
         if (!f) return;
         if (f.node->is_scalar() && f.node->text == "first_checkpoint") {
             a.attack.start.reset();
             return;
         }
         if (const auto t = read_time(l, f, false)) a.attack.start = *t;
     }},
}};

using CheckpointKey = Key<Load, world::CheckpointsConfig>;

constexpr std::array<CheckpointKey, 6> kCheckpointKeys{{
    {"interval", [](Load& l, const Field& f, const MapReader&,
                    world::CheckpointsConfig& c) { get_uint(l.c, f, c.protocol.interval, 1, kMaxDepth); }},
    {"depth", [](Load& l, const Field& f, const MapReader&,
                 world::CheckpointsConfig& c) { read_uint_or_auto(l, f, c.protocol.depth, 1, kMaxDepth); }},
    {"threshold",
     [](Load& l, const Field& f, const MapReader&, world::CheckpointsConfig& c) {
         const std::uint64_t n = l.s.clouds.size();
         read_uint_or_auto(l, f, c.protocol.threshold, 1, kMaxDepth);
         if (f && c.protocol.threshold && l.clouds_ok && n > 0 && *c.protocol.threshold > n) {
             l.c.error(f.pos, f.key,
                       "threshold " + std::to_string(*c.protocol.threshold) + " is more than the " +
                           std::to_string(n) +
                           " validators (one per cloud): no checkpoint could be submitted");
             c.protocol.threshold.reset();
         }
     }},
    {"submit_timeout",
     [](Load& l, const Field& f, const MapReader&, world::CheckpointsConfig& c) {
         Duration d = Duration::from_chrono(c.protocol.submit_timeout);
         get_duration(l.c, f, d, {.allow_zero = false, .max = hours(24 * 365)});
         c.protocol.submit_timeout = d.to_chrono();
     }},
    {"mainchain",
     [](Load& l, const Field& f, const MapReader&, world::CheckpointsConfig& c) {
         const MapReader m = map_reader(l.c, f, kMainchainKeys);
         read_keys(l, m, kMainchainKeys, c.mainchain);
     }},
    {"mainchain_attack",
     [](Load& l, const Field& f, const MapReader&, world::CheckpointsConfig& c) {
         if (!f) return;
         if (f.node->is_scalar() && f.node->text == "off") return;
         const MapReader m = map_reader(l.c, f, kAttackKeys);
         if (!m.present()) return;
         AttackRead a;
         read_keys(l, m, kAttackKeys, a);
         c.attack = a.attack;
     }},
}};

}  // namespace

void read_checkpoints(Load& l, const Field& f) {
    const Field& after = l.allocate_after_field;
    const bool wants_final = l.s.workload.clouds.allocate_after.final_checkpoint;
    if (!f || (f.node->is_scalar() && f.node->text == "off")) {
        if (wants_final && after) {
            l.c.error(
                after.pos, after.key,
                "final_checkpoint needs the checkpoints: section (no checkpoint is ever final without it)");
        }
        return;
    }
    world::CheckpointsConfig c;
    if (!f.node->is_null()) {
        const MapReader m = map_reader(l.c, f, kCheckpointKeys);
        if (!m.present()) return;
        read_keys(l, m, kCheckpointKeys, c);
    }
    l.s.checkpoints = std::move(c);
}

void read_allocate_after(Load& l, const Field& f, world::AllocateAfter& out) {
    l.allocate_after_field = f;
    if (!f) return;
    if (f.node->is_scalar() && f.node->text == "final_checkpoint") {
        out.final_checkpoint = true;
        return;
    }
    if (f.node->is_map()) {
        const MapReader m(l.c, f, strings({"confirmations"}), "in allocate_after");
        std::uint64_t k = 0;
        if (const Field kf = m.require("confirmations")) {
            if (const auto v = read_uint(l.c, kf, 0, 1'000'000))
                k = *v;
            else
                return;
            out.final_checkpoint = false;
            out.confirmations = k;
        }
        return;
    }
    l.c.error(f.node->pos, f.key,
              "expected {confirmations: K} or final_checkpoint, got " +
                  (f.node->is_scalar() ? quote(f.node->text) : describe(*f.node)));
}

}  // namespace cl::sim::scenario::detail
