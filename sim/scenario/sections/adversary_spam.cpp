// An `adversaries:` item of kind `spam` (shared/spec/adversaries.md §3; docs/attacks.md
// "Spam"): from, to, rate (constant or {ramp: [a, b], over: D}), identities (fresh or a
// count), mix, entry (node selectors) and hash_rate. The world's side is
// sim/world/adversary/spam.hpp; world_config() resolves the entry selectors.
#include <cmath>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// Bounds: a rate a simulation of hours can carry, identities a run can hold keys for.
constexpr double kMaxSpamRatePerSecond = 10'000;
constexpr std::uint64_t kMaxSpamIdentities = 1'000'000;

// A spam item being read: ok is false once one of its values is in error.
struct SpamRead {
    SpamSpec spec;
    bool ok = true;
};

// A rate of the flood: a rate in [0, kMaxSpamRatePerSecond] per second.
std::optional<double> read_flood_rate(Load& l, const Field& f) {
    const auto r = read_rate(l.c, f);
    if (!r) return std::nullopt;
    const double v = r->per_second();
    if (v > kMaxSpamRatePerSecond) {
        l.c.error(f.pos, f.key, "at most 10000/s, got " + f.node->text);
        return std::nullopt;
    }
    return v;
}

void read_rate_key(Load& l, const Field& f, SpamRead& r) {
    if (!f) return;  // the default: 1/s
    if (!f.node->is_map()) {
        if (const auto v = read_flood_rate(l, f)) {
            r.spec.config.rate_from = r.spec.config.rate_to = *v;
        } else {
            r.ok = false;
        }
        return;
    }
    const MapReader m(l.c, f, strings({"ramp", "over"}), "for a ramp (ramp: [FROM, TO], over: DURATION)");
    const Field rf = m.require("ramp");
    const Field of = m.require("over");
    if (!rf || !of) {
        r.ok = false;
        return;
    }
    const auto* ends = list(l.c, rf, "two rates");
    if (ends == nullptr) {
        r.ok = false;
        return;
    }
    if (ends->size() != 2) {
        l.c.error(rf.pos, rf.key, "expected two rates [FROM, TO], got " + std::to_string(ends->size()));
        r.ok = false;
        return;
    }
    const auto a = read_flood_rate(l, item(rf, *ends, 0));
    const auto b = read_flood_rate(l, item(rf, *ends, 1));
    const auto over = read_duration(l.c, of, {.allow_zero = false, .max = std::nullopt});
    if (!a || !b || !over) {
        r.ok = false;
        return;
    }
    r.spec.config.rate_from = *a;
    r.spec.config.rate_to = *b;
    r.spec.config.ramp_over = *over;
}

using MixKey = Key<Load, world::SpamMix>;

void read_weight(Load& l, const Field& f, double& out) {
    if (const auto v = read_number(l.c, f, 0, false)) out = *v;
}

constexpr std::array<MixKey, 5> kMixKeys{{
    {"request",
     [](Load& l, const Field& f, const MapReader&, world::SpamMix& m) { read_weight(l, f, m.request); }},
    {"transfer",
     [](Load& l, const Field& f, const MapReader&, world::SpamMix& m) { read_weight(l, f, m.transfer); }},
    {"redeem_unknown", [](Load& l, const Field& f, const MapReader&,
                          world::SpamMix& m) { read_weight(l, f, m.redeem_unknown); }},
    {"junk", [](Load& l, const Field& f, const MapReader&, world::SpamMix& m) { read_weight(l, f, m.junk); }},
    {"oversized",
     [](Load& l, const Field& f, const MapReader&, world::SpamMix& m) { read_weight(l, f, m.oversized); }},
}};

void read_mix(Load& l, const Field& f, SpamRead& r) {
    if (!f) return;  // the default: requests only
    const std::size_t before = l.c.count();
    const MapReader m =
        map_reader(l.c, f, kMixKeys, "for a spam mix (request, transfer, redeem_unknown, junk, oversized)");
    if (!m.present()) {
        r.ok = false;
        return;
    }
    world::SpamMix mix{0, 0, 0, 0, 0};
    read_keys(l, m, kMixKeys, mix);
    if (l.c.count() != before) {
        r.ok = false;
        return;
    }
    if (!(mix.request + mix.transfer + mix.redeem_unknown + mix.junk + mix.oversized > 0)) {
        l.c.error(f.pos, f.key, "at least one weight must be > 0");
        r.ok = false;
        return;
    }
    r.spec.config.mix = mix;
}

void read_entry(Load& l, const Field& f, SpamRead& r) {
    if (!f) {
        r.ok = false;  // required: reported by read_keys
        return;
    }
    std::vector<Field> selectors;
    if (f.node->is_sequence()) {
        if (f.node->items.empty()) {
            l.c.error(f.pos, f.key, "at least one node selector is required");
            r.ok = false;
        }
        for (std::size_t k = 0; k < f.node->items.size(); ++k) selectors.push_back(item(f, f.node->items, k));
    } else {
        selectors.push_back(f);
    }
    for (const Field& sf : selectors) {
        if (auto sel = check_selector(l, sf)) {
            r.spec.entry.push_back(std::move(*sel));
        } else {
            r.ok = false;
        }
    }
}

void read_identities(Load& l, const Field& f, SpamRead& r) {
    if (!f) return;  // the default: fresh
    const std::string* t = scalar(l.c, f, "fresh or a count of identities");
    if (t == nullptr) {
        r.ok = false;
        return;
    }
    if (*t == "fresh") return;
    const std::size_t before = l.c.count();
    std::uint64_t n = 0;
    get_uint(l.c, f, n, 1, kMaxSpamIdentities);
    if (l.c.count() != before) {
        r.ok = false;
        return;
    }
    r.spec.config.identities = n;
}

void read_hash_rate(Load& l, const Field& f, SpamRead& r) {
    if (!f) return;  // the default: 10^6/s
    const auto v = read_rate(l.c, f);
    if (!v) {
        r.ok = false;
    } else if (v->is_zero() || v->per_second() > 1e12) {
        l.c.error(f.pos, f.key,
                  "must be > 0 and at most 1000000000000/s (hashes per unit time), got " + f.node->text);
        r.ok = false;
    } else {
        r.spec.config.hash_rate = v->per_second();
    }
}

// [from, to): read_window (selectors.cpp).
void read_spam_window(Load& l, const MapReader& m, SpamRead& r) {
    const std::optional<Window> w = read_window(l, m);
    if (!w) {
        r.ok = false;
        return;
    }
    r.spec.config.from = w->from;
    r.spec.config.to = w->to;
}

using SpamKey = Key<Load, SpamRead>;

constexpr std::array<SpamKey, 9> kSpamKeys{{
    {"kind", nullptr},  // read by read_adversaries, which picks the table
    {"name", nullptr},  // read by read_adversaries
    {"from", [](Load& l, const Field&, const MapReader& m, SpamRead& r) { read_spam_window(l, m, r); }},
    {"to", nullptr},  // read with `from` (read_spam_window)
    {"rate", [](Load& l, const Field& f, const MapReader&, SpamRead& r) { read_rate_key(l, f, r); }},
    {"identities", [](Load& l, const Field& f, const MapReader&, SpamRead& r) { read_identities(l, f, r); }},
    {"mix", [](Load& l, const Field& f, const MapReader&, SpamRead& r) { read_mix(l, f, r); }},
    {"entry", [](Load& l, const Field& f, const MapReader&, SpamRead& r) { read_entry(l, f, r); }, true},
    {"hash_rate", [](Load& l, const Field& f, const MapReader&, SpamRead& r) { read_hash_rate(l, f, r); }},
}};

}  // namespace

std::optional<SpamSpec> read_spam(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kSpamKeys, "for a spam adversary");
    SpamRead r;
    read_keys(l, m, kSpamKeys, r);
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
