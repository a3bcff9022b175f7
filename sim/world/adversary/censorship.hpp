// The `censorship` attack (shared/spec/adversaries.md §2.4): colluding validators leave
// every transaction of chosen senders (clouds' operators, users) and/or of chosen kinds
// (request, redeem, transfer, renew) out of the blocks they seal in a window [from, to),
// and optionally do not relay them then. Their nodes are honest nodes in every other
// respect — real keys, real blocks any node accepts — running a filtering miner policy
// (node::NodeConfig::exclude). With some validators honest, a censored transaction gets
// in when an honest validator seals: the inclusion delay is the result.
//
// Parts:
//   plan_censorship      — checks the validators, senders, kinds and window; the
//                          senders' addresses;
//   censoring_config     — the policy installed on a colluder's NodeConfig;
//   CensorshipWorkload   — compares the censored transactions' inclusion delays
//                          (requests, renewals, transfers of the users; redeems of the
//                          clouds; those matching the filter submitted in the window) with
//                          the same run's others, and counts the filtered transactions the
//                          censors sealed in and outside the window.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/node.hpp"
#include "sim/world/config.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct CensorshipPlan {
    std::vector<bool> colluder;       // by node: a censoring validator
    std::vector<Address> senders;     // sorted: the filtered senders' addresses (empty: any sender)
    std::vector<CensoredKind> kinds;  // sorted: the filtered kinds (empty: any kind)
    // Whether `tx` matches the filter (sender and kind; not the window).
    bool matches(const RecoveredTransaction& tx) const;
};
// The kind of a transaction's call, if it is one a filter can name.
std::optional<CensoredKind> censored_kind(const RecoveredTransaction& tx);
std::expected<CensorshipPlan, std::string> plan_censorship(const WorldConfig& config, const std::string& name,
                                                           const CensorshipAttack& attack);

Hash32 censorship_parameters_digest(const WorldConfig& config, const std::string& name,
                                    const CensorshipAttack& attack);

// Installs the plan's filter on a colluder's configuration (exclude, relay_excluded): it
// holds at node times in [genesis_time + from, genesis_time + to).
void censoring_config(node::NodeConfig& config, const CensorshipPlan& plan, const CensorshipAttack& attack,
                      std::uint64_t genesis_time);

class CensorshipWorkload final : public Workload {
  public:
    CensorshipWorkload(const WorldContext& context, std::string name, CensorshipAttack attack,
                       CensorshipPlan plan);

    std::string_view name() const override { return name_; }
    void start() override {}
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    bool in_window(Time t) const { return attack_.from <= t && t < attack_.to; }

    WorldContext ctx_;
    std::string name_;
    CensorshipAttack attack_;
    CensorshipPlan plan_;
    std::uint64_t censor_blocks_ = 0, honest_blocks_ = 0;
    std::uint64_t filtered_in_honest_blocks_ = 0;  // filtered transactions honest validators sealed
    std::uint64_t filtered_in_censor_blocks_ = 0;  // ... censors sealed in the window: must stay 0
    std::uint64_t filtered_outside_window_ = 0;    // ... censors sealed outside the window
};

}  // namespace cl::sim::world
