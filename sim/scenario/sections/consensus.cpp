// `consensus:` — Clique's period, epoch and rules, and `consensus.clients` (which nodes
// run which client; docs/scenarios.md "Clients", docs/clique.md "Client presets").
#include "sim/scenario/sections/sections.hpp"

namespace cl::sim::scenario {
namespace detail {
namespace {

constexpr std::array<EnumName<clique::ForkChoiceRule>, 3> kForkChoices{{
    {"eip3436", clique::ForkChoiceRule::kEip3436},
    {"eip225", clique::ForkChoiceRule::kEip225Geth},
    {"td-first-seen", clique::ForkChoiceRule::kTdFirstSeen},
}};

// Client presets (docs/scenarios.md "Clients", docs/clique.md "Client presets"): the
// fork-choice rule each client's Clique implementation applies.
constexpr std::array<EnumName<clique::ForkChoiceRule>, 4> kClients{{
    {"geth", clique::ForkChoiceRule::kEip225Geth},
    {"besu", clique::ForkChoiceRule::kEip3436},
    {"nethermind", clique::ForkChoiceRule::kTdFirstSeen},
    {"openethereum", clique::ForkChoiceRule::kTdFirstSeen},
}};

constexpr std::array<EnumName<clique::Rule3Direction>, 2> kRule3{{
    {"smallest", clique::Rule3Direction::kSmallest},
    {"largest", clique::Rule3Direction::kLargest},
}};

constexpr std::array<EnumName<clique::OutOfTurnDelay>, 3> kOutOfTurn{{
    {"geth", clique::OutOfTurnDelay::kGeth},
    {"eip225", clique::OutOfTurnDelay::kEip225},
    {"besu", clique::OutOfTurnDelay::kBesu},
}};

void read_clients(Load& l, const Field& f);

using ConsensusKey = Key<Load, ConsensusSpec>;

constexpr std::array<ConsensusKey, 6> kConsensusKeys{{
    {"period",
     [](Load& l, const Field& period, const MapReader&, ConsensusSpec& k) {
         if (const auto d = read_duration(l.c, period, {.allow_zero = false, .max = hours(24)})) {
             if (*d % seconds(1) != Duration::zero()) {
                 l.c.error(
                     period.pos, period.key,
                     "must be a whole number of seconds (Clique header timestamps are in seconds), got " +
                         excerpt(period.node->text));
             } else {
                 k.period = static_cast<std::uint64_t>(*d / seconds(1));
             }
         }
     }},
    {"epoch",
     [](Load& l, const Field& f, const MapReader&, ConsensusSpec& k) { get_uint(l.c, f, k.epoch, 1); }},
    {"fork_choice", [](Load& l, const Field& f, const MapReader&,
                       ConsensusSpec& k) { get_enum(l.c, f, k.fork_choice, kForkChoices); }},
    {"rule3",
     [](Load& l, const Field& f, const MapReader&, ConsensusSpec& k) { get_enum(l.c, f, k.rule3, kRule3); }},
    {"out_of_turn_delay", [](Load& l, const Field& f, const MapReader&,
                             ConsensusSpec& k) { get_enum(l.c, f, k.out_of_turn_delay, kOutOfTurn); }},
    {"clients", [](Load& l, const Field& f, const MapReader&, ConsensusSpec&) { read_clients(l, f); }},
}};

// A consensus.clients entry being read; `seen`: what the selectors of every entry so far
// (this one last) cover.
struct ClientRead {
    ClientAssignment a;
    bool ok = true;
    std::vector<std::vector<Members>>& seen;
};

using ClientKey = Key<Load, ClientRead>;

// The client first (stage 0), then the nodes: a missing client is reported before
// missing nodes.
constexpr std::array<ClientKey, 3> kClientKeys{{
    {"nodes",
     [](Load& l, const Field& nf, const MapReader&, ClientRead& r) {
         ClientAssignment& a = r.a;
         std::vector<Field> selectors;
         if (!nf) {
             r.ok = false;
         } else if (nf.node->is_sequence()) {
             a.nodes_listed = true;
             if (nf.node->items.empty()) {
                 l.c.error(nf.pos, nf.key, "at least one node selector is required");
                 r.ok = false;
             }
             for (std::size_t k = 0; k < nf.node->items.size(); ++k)
                 selectors.push_back(item(nf, nf.node->items, k));
         } else {
             selectors.push_back(nf);
         }
         for (const Field& sf : selectors) {
             auto sel = check_selector(l, sf);
             if (!sel) {
                 r.ok = false;
                 continue;
             }
             Members mem = members(l, *sel);
             std::string why;
             std::size_t other = 0;
             for (; other + 1 < r.seen.size() && why.empty(); ++other) {
                 for (const Members& prev : r.seen[other]) {
                     why = overlap(l, prev, mem);
                     if (!why.empty()) break;
                 }
             }
             if (!why.empty()) {
                 l.c.error(sf.pos, sf.key,
                           "'" + sel->text + "' overlaps consensus.clients[" + std::to_string(other - 1) +
                               "] (" + why + " would run two clients)");
                 r.ok = false;
                 continue;
             }
             r.seen.back().push_back(std::move(mem));
             a.nodes.push_back(std::move(*sel));
         }
     },
     true, 1},
    {"client",
     [](Load& l, const Field&, const MapReader& m, ClientRead& r) {
         if (const auto rule = read_client(l, m)) {
             r.a.fork_choice = *rule;
         } else {
             if (!m.get("client") && !m.get("fork_choice")) {
                 l.c.error(m.pos(), join_key(m.path(), "client"),
                           "missing required key 'client' (geth, besu, nethermind, openethereum) or "
                           "'fork_choice' (eip3436, eip225, td-first-seen)");
             }
             r.ok = false;
         }
     }},
    {"fork_choice", nullptr},  // read with `client` (read_client)
}};

// consensus.clients: [{nodes: SELECTOR or [SELECTOR, ...], client: NAME | fork_choice: RULE}].
// Entries may not share a node (as partition groups may not): what the scenario alone
// shows is checked here, the rest once full nodes are placed (sim/world check_world()).
void read_clients(Load& l, const Field& f) {
    const auto* items = list(l.c, f, "client assignments ({nodes: SELECTOR, client: NAME})");
    if (items == nullptr) return;
    std::vector<std::vector<Members>> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const Field ef = item(f, *items, i);
        const MapReader m = map_reader(l.c, ef, kClientKeys, "in a client assignment");
        seen.emplace_back();
        if (!m.present()) {
            if (ef.node->is_null())
                l.c.error(ef.pos, ef.key,
                          "expected a mapping {nodes: SELECTOR, client: NAME}, got nothing (null)");
            continue;
        }
        ClientRead r{ClientAssignment{}, true, seen};
        r.a.pos = source_pos(ef.pos);
        read_keys(l, m, kClientKeys, r);
        if (r.ok) l.s.clients.push_back(std::move(r.a));
    }
}

}  // namespace

void read_consensus(Load& l, const Field& f) {
    const MapReader m = map_reader(l.c, f, kConsensusKeys);
    read_keys(l, m, kConsensusKeys, l.s.consensus);
}

std::optional<clique::ForkChoiceRule> read_client(Load& l, const MapReader& m) {
    const Field client = m.get("client");
    const Field rule = m.get("fork_choice");
    if (client && rule) {
        l.c.error(rule.pos, rule.key, "give either client (a preset) or fork_choice (a rule), not both");
        return std::nullopt;
    }
    if (!client && !rule) return std::nullopt;
    const std::size_t before = l.c.count();
    clique::ForkChoiceRule out = clique::ForkChoiceRule::kEip3436;
    if (client) {
        get_enum(l.c, client, out, kClients);
    } else {
        get_enum(l.c, rule, out, kForkChoices);
    }
    if (l.c.count() != before) return std::nullopt;
    return out;
}

}  // namespace detail

std::vector<std::pair<std::string_view, clique::ForkChoiceRule>> fork_choice_rules() {
    std::vector<std::pair<std::string_view, clique::ForkChoiceRule>> out;
    for (const auto& e : detail::kForkChoices) out.emplace_back(e.name, e.value);
    return out;
}

}  // namespace cl::sim::scenario
