// The `censorship` attack (shared/spec/adversaries.md §2.4): colluding validators leave
// every transaction of chosen senders (clouds' operators, users) out of the blocks they
// seal, and optionally do not relay them. Their nodes are honest nodes in every other
// respect — real keys, real blocks any node accepts — running a filtering miner policy
// (node::NodeConfig::exclude). With some validators honest, a censored transaction gets
// in when an honest validator seals: the inclusion delay is the result.
//
// Parts:
//   plan_censorship      — checks the validators and senders; the senders' addresses;
//   censoring_config     — the policy installed on a colluder's NodeConfig;
//   CensorshipWorkload   — compares the censored transactions' inclusion delays
//                          (requests, renewals, transfers of the users; redeems of the
//                          clouds) with the same run's others, and counts the transactions
//                          the censors' blocks left out.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "protocol/node/node.hpp"
#include "sim/world/config.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct CensorshipPlan {
    std::vector<bool> colluder;    // by node: a censoring validator
    std::vector<Address> senders;  // sorted: the filtered senders' addresses
};
std::expected<CensorshipPlan, std::string> plan_censorship(const WorldConfig& config, const std::string& name,
                                                           const CensorshipAttack& attack);

Hash32 censorship_parameters_digest(const WorldConfig& config, const std::string& name,
                                    const CensorshipAttack& attack);

// Installs the plan's filter on a colluder's configuration (exclude, relay_excluded).
void censoring_config(node::NodeConfig& config, const CensorshipPlan& plan, const CensorshipAttack& attack);

class CensorshipWorkload final : public Workload {
  public:
    CensorshipWorkload(const WorldContext& context, std::string name, CensorshipAttack attack,
                       CensorshipPlan plan);

    std::string_view name() const override { return name_; }
    void start() override {}
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    bool filtered(const Address& sender) const;

    WorldContext ctx_;
    std::string name_;
    CensorshipAttack attack_;
    CensorshipPlan plan_;
    std::uint64_t censor_blocks_ = 0, honest_blocks_ = 0;
    std::uint64_t filtered_in_honest_blocks_ = 0;  // filtered transactions honest validators sealed
    std::uint64_t filtered_in_censor_blocks_ = 0;  // must stay 0: the policy's check
};

}  // namespace cl::sim::world
