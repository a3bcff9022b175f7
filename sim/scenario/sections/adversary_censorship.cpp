// `kind: censorship` (shared/spec/adversaries.md §2.4, docs/attacks.md "Censorship"):
// validators (censoring clouds), senders (a selector or a list of them: `cloud:NAME` —
// that cloud's operator, the signer of its redeems —, `user:N` or `user:N-M` — user
// indices, the signers of their requests, renewals and transfers), kinds (request,
// redeem, transfer, renew), at least one of senders and kinds; relay (default true);
// from and to (the window, default the whole run).
#include <algorithm>
#include <charconv>

#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario::detail {
namespace {

// At most this many filtered users: each is a key the plan derives (adversary/censorship.cpp).
constexpr std::uint64_t kMaxCensoredUsers = 4096;

struct CensorshipRead {
    CensorshipSpec spec;
    bool ok = true;
};

std::optional<std::uint64_t> parse_index(std::string_view t) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || end != t.data() + t.size() || t.empty()) return std::nullopt;
    return v;
}

// One sender selector into r.spec; false when in error (reported).
bool read_sender(Load& l, const Field& f, CensorshipRead& r) {
    const std::string* t = scalar(l.c, f, "a sender selector (cloud:NAME, user:N or user:N-M)");
    if (t == nullptr) return false;
    const std::string_view s = *t;
    if (s.starts_with("cloud:")) {
        const std::string name(s.substr(6));
        const std::vector<std::string> names = cloud_names(l);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            l.c.error(f.pos, f.key,
                      "no cloud named " + quote(name) + " (clouds: " + join(names) + ")" +
                          did_you_mean(name, names));
            return false;
        }
        if (std::find(r.spec.clouds.begin(), r.spec.clouds.end(), name) != r.spec.clouds.end()) {
            l.c.error(f.pos, f.key, quote(*t) + " is listed twice");
            return false;
        }
        r.spec.clouds.push_back(name);
        return true;
    }
    if (s.starts_with("user:")) {
        const std::string_view range = s.substr(5);
        const std::size_t dash = range.find('-');
        const auto first = parse_index(range.substr(0, dash));
        const auto last = dash == std::string_view::npos ? first : parse_index(range.substr(dash + 1));
        if (!first || !last) {
            l.c.error(f.pos, f.key, "expected user:N or user:N-M with user indices N <= M, got " + quote(*t));
            return false;
        }
        if (*last < *first) {
            l.c.error(f.pos, f.key, "the range " + quote(*t) + " is empty (N > M)");
            return false;
        }
        if (*last - *first + 1 + r.spec.users.size() > kMaxCensoredUsers) {
            l.c.error(f.pos, f.key,
                      "at most " + std::to_string(kMaxCensoredUsers) +
                          " filtered users in all (each is a key derived at planning)");
            return false;
        }
        for (std::uint64_t u = *first; u <= *last; ++u) r.spec.users.push_back(u);
        return true;
    }
    l.c.error(f.pos, f.key, "unknown sender selector " + quote(*t) + " (cloud:NAME, user:N or user:N-M)");
    return false;
}

constexpr std::array<EnumName<world::CensoredKind>, 4> kKindNames{{
    {"request", world::CensoredKind::kRequest},
    {"redeem", world::CensoredKind::kRedeem},
    {"transfer", world::CensoredKind::kTransfer},
    {"renew", world::CensoredKind::kRenew},
}};

void read_kinds(Load& l, const Field& f, CensorshipRead& r) {
    if (!f) return;
    const auto* items = list(l.c, f, "transaction kinds (request, redeem, transfer, renew)");
    if (items == nullptr) {
        r.ok = false;
        return;
    }
    if (items->empty()) {
        l.c.error(f.pos, f.key, "at least one kind is required (or leave kinds out: any kind)");
        r.ok = false;
        return;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field kf = item(f, *items, i);
        const std::size_t before = l.c.count();
        world::CensoredKind k{};
        get_enum(l.c, kf, k, kKindNames);
        if (l.c.count() != before) {
            r.ok = false;
        } else if (std::find(r.spec.kinds.begin(), r.spec.kinds.end(), k) != r.spec.kinds.end()) {
            l.c.error(kf.pos, kf.key, quote(kf.node->text) + " is listed twice");
            r.ok = false;
        } else {
            r.spec.kinds.push_back(k);
        }
    }
    std::sort(r.spec.kinds.begin(), r.spec.kinds.end());
}

using CensorshipKey = Key<Load, CensorshipRead>;

constexpr std::array<CensorshipKey, 8> kCensorshipKeys{{
    {"kind", nullptr},  // read by read_adversaries
    {"name", nullptr},  // read by read_adversaries
    {"validators",
     [](Load& l, const Field& f, const MapReader&, CensorshipRead& r) {
         if (!read_cloud_list(l, f, "censoring", r.spec.validators)) r.ok = false;
     },
     true},
    // Required unless kinds is given (a filter by kind alone: every sender).
    {"senders",
     [](Load& l, const Field& f, const MapReader& m, CensorshipRead& r) {
         if (!f) {
             if (!m.get("kinds")) {
                 l.c.error(m.pos(), f.key,
                           "missing required key 'senders' (or 'kinds': a filter by kind alone)");
                 r.ok = false;
             }
             return;
         }
         if (!f.node->is_sequence()) {
             if (!read_sender(l, f, r)) r.ok = false;
         } else {
             const auto* items = list(l.c, f, "sender selectors");
             if (items == nullptr || items->empty()) {
                 if (items != nullptr) l.c.error(f.pos, f.key, "at least one sender selector is required");
                 r.ok = false;
                 return;
             }
             for (std::size_t i = 0; i < items->size(); ++i)
                 if (!read_sender(l, item(f, *items, i), r)) r.ok = false;
         }
         std::sort(r.spec.users.begin(), r.spec.users.end());
         const auto dup = std::adjacent_find(r.spec.users.begin(), r.spec.users.end());
         if (dup != r.spec.users.end()) {
             l.c.error(f.pos, f.key, "user " + std::to_string(*dup) + " is selected twice");
             r.ok = false;
         }
     }},
    {"kinds", [](Load& l, const Field& f, const MapReader&, CensorshipRead& r) { read_kinds(l, f, r); }},
    {"relay",
     [](Load& l, const Field& f, const MapReader&, CensorshipRead& r) {
         if (!f) return;
         const std::size_t before = l.c.count();
         get_bool(l.c, f, r.spec.relay);
         if (l.c.count() != before) r.ok = false;
     }},
    {"from",
     [](Load& l, const Field&, const MapReader& m, CensorshipRead& r) {
         const std::optional<Window> w = read_window(l, m);
         if (!w) {
             r.ok = false;
             return;
         }
         r.spec.from = w->from;
         if (m.get("to")) r.spec.to = w->to;
     }},
    {"to", nullptr},  // read with `from` (read_window)
}};

}  // namespace

std::optional<CensorshipSpec> read_censorship(Load& l, const Field& f) {
    const std::size_t before = l.c.count();
    const MapReader m = map_reader(l.c, f, kCensorshipKeys, "for a censorship adversary");
    CensorshipRead r;
    read_keys(l, m, kCensorshipKeys, r);
    if (!r.ok || l.c.count() != before) return std::nullopt;
    return std::move(r.spec);
}

}  // namespace cl::sim::scenario::detail
