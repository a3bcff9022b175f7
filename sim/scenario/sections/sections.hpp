// The sections of a scenario (docs/scenarios.md "Reference"): one file per top-level
// section, each declaring its keys once in Key tables (schema.hpp) and reading them into
// the Scenario. top.cpp holds the top-level table, which says in which order the
// sections are read (a section reads what an earlier one made: the tiers before the
// clouds' quotas, the regions before the clouds, the period before the TTLs). A new
// section (`adversaries:`, `checkpoints:`, `sweep:`) is a new file here and one entry in
// top.cpp's table. Internal to sim/scenario.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace cl::sim::scenario::detail {

// What the sections share while one scenario is read: the scenario being built and what
// one section learnt that a later one needs.
struct Load {
    Load(Checker& checker, Scenario& scenario) : c(checker), s(scenario) {}

    Checker& c;
    Scenario& s;
    std::vector<std::string> tier_names;  // pool.tiers (pool)
    bool regions_known = false;           // network.regions.names holds the dataset's regions (network)
    bool duration_ok = true;              // duration read without error (top)
    bool node_count_ok = true;            // network.full_nodes read without error (network)
    bool clouds_ok = true;                // every cloud read without error (clouds)
    std::optional<MapReader> topology;    // network.topology (network; check_topology)
    Field full_nodes_field;               // network.full_nodes
    Field degree_field;                   // network.topology.degree
    Field ttl_field;             // pool.ttl, read after consensus (a TTL as a duration needs the period)
    Field refill_field;          // pool.refill, read with pool.ttl (`every` as a duration needs the period)
    Field stamp_bits_field;      // txpool.stamp_bits, bounded again once the workload is known
    std::size_t file_links = 0;  // links of a `file` topology, once loaded
    Field allocate_after_field;  // workload.clouds.allocate_after (checked again by checkpoints)
};

// Reads the whole tree (top.cpp): every section, then the run-size limits.
void read_scenario(Load& l, const Node& root);

// ---- the sections (one file each) ----
void read_pool(Load& l, const Field& f);             // pool.cpp
void read_ttl(Load& l, const Field& f);              // pool.cpp: pool.ttl, then pool.refill (after consensus)
void read_network(Load& l, const Field& f);          // network.cpp
void check_topology(Load& l);                        // network.cpp: once the clouds are known
void read_clouds(Load& l, const Field& f);           // clouds.cpp
void read_consensus(Load& l, const Field& f);        // consensus.cpp (with consensus.clients)
void read_cpu(Load& l, const Field& f);              // txpool.cpp
void read_txpool(Load& l, const Field& f);           // txpool.cpp
void read_workload(Load& l, const Field& f);         // workload.cpp
void read_faults(Load& l, const Field& f);           // faults.cpp
void read_adversaries(Load& l, const Field& f);      // adversaries.cpp (each kind: adversary_<kind>.cpp)
void read_events(Load& l, const Field& f);           // events.cpp (appends the joining clouds)
void read_outputs(Load& l, const Field& f);          // top.cpp
void check_run_size(Load& l, const MapReader& top);  // run_size.cpp (limits.hpp)
// checkpoints.cpp: `checkpoints:`, and workload.clouds.allocate_after (read by workload.cpp).
void read_checkpoints(Load& l, const Field& f);
void read_allocate_after(Load& l, const Field& f, world::AllocateAfter& out);

// ---- shared by several sections ----

// At most `max` items in the list at `f` (limits.hpp); `why` says why.
bool check_count(Load& l, const Field& f, std::size_t count, std::size_t max, std::string_view what,
                 std::string_view why);

// `name` is a region of network.regions (true when the dataset is itself in error).
bool check_region_name(Load& l, const Field& f, const std::string& name);  // network.cpp

// `client` (a preset) or `fork_choice` (a rule) of a cloud or a consensus.clients
// entry, not both; nullopt when neither is given or the one given is in error.
std::optional<clique::ForkChoiceRule> read_client(Load& l, const MapReader& m);  // consensus.cpp

// adversary_<kind>.cpp: one kind's keys, read from the item mapping at `f` (its `kind` and
// `name` already read); nullopt when one of its values is in error (reported).
std::optional<CloneSpec> read_clone(Load& l, const Field& f);                // adversary_clone.cpp
std::optional<SpamSpec> read_spam(Load& l, const Field& f);                  // adversary_spam.cpp
std::optional<PrivateForkSpec> read_private_fork(Load& l, const Field& f);   // adversary_private_fork.cpp
std::optional<EquivocationSpec> read_equivocation(Load& l, const Field& f);  // adversary_equivocation.cpp
std::optional<CensorshipSpec> read_censorship(Load& l, const Field& f);      // adversary_censorship.cpp
// adversary_governance_capture.cpp
std::optional<GovernanceCaptureSpec> read_governance_capture(Load& l, const Field& f);
std::optional<EclipseSpec> read_eclipse(Load& l, const Field& f);  // adversary_eclipse.cpp

// selectors.cpp: node selectors and times of the run (faults, consensus.clients).
std::optional<NodeSelector> check_selector(Load& l, const Field& f);
// A time of the run: in [0, duration) (or [0, duration] when `end_allowed`).
std::optional<Time> read_time(Load& l, const Field& f, bool end_allowed);
// The clouds' names, in scenario order.
std::vector<std::string> cloud_names(const Load& l);
// The cloud name at `f`, reported when it is not a string or names no cloud; nullopt then
// (and when `f` is absent).
std::optional<std::string> read_cloud_name(Load& l, const Field& f);
// A non-empty list of distinct cloud names at `f`, appended to `out`; `what` qualifies them
// in errors ("censoring", "colluding"). False when in error (reported) or absent (a
// required key: read_keys reports it).
bool read_cloud_list(Load& l, const Field& f, std::string_view what, std::vector<std::string>& out);
// The window [from, to) of the keys `from` and `to` of `m` (an adversary's): from in
// [0, duration) (default 0), to in (from, duration] (default the end of the run); nullopt
// when either is in error (reported).
struct Window {
    Time from;
    Time to;
};
std::optional<Window> read_window(Load& l, const MapReader& m);

// What a selector covers, as far as the scenario alone can tell (full nodes' regions are
// decided by the topology builder).
struct Members {
    std::vector<bool> validators;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> full;  // inclusive ranges
    bool all_full = false;
    std::vector<std::string> regions;
};
Members members(const Load& l, const NodeSelector& sel);
// Why a and b share a node, or "" when they cannot be shown to.
std::string overlap(const Load& l, const Members& a, const Members& b);

}  // namespace cl::sim::scenario::detail
