// The `governance_capture` attack (shared/spec/adversaries.md §2.6; docs/attacks.md
// "Governance capture"): colluding validators vote the validator set — DROP for an honest
// cloud's validator (goal remove) or AUTH for an identity they control that no notary
// attested (goal add) — in the Clique headers they seal, from `from` on. Their nodes are
// honest nodes in every other respect, with the vote as their operator's proposal
// (node::NodeConfig::proposals, geth's clique_propose). A vote passes when more than half
// of the current signers voted for it (clique.md §6): fewer than floor(N/2)+1 colluders
// never change the set; a majority changes it as soon as the majority's votes are on chain.
//
// honest_counter_votes: the honest validators propose DROP for every signer with no active
// or pending cloud behind it (node::NodeConfig::drop_unattested_signers). Default off:
// geth's clique votes only what its operator proposes (consensus/clique/api.go Propose;
// clique.go Prepare picks among c.proposals only).
//
// Parts:
//   plan_governance_capture  — checks the colluders and the goal; the address voted on;
//   governance_capture_config — a validator's votes (colluder: the proposal; honest: the
//                               counter-vote policy when on);
//   GovernanceCaptureWorkload — the attacks row: when the set changed on the final chain,
//                               whether it was undone and when, the colluders' share.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/node.hpp"
#include "sim/world/config.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct GovernanceCapturePlan {
    std::vector<bool> colluder;  // by node: a colluding validator
    Address target;              // the address voted on
    bool authorize = false;      // AUTH (goal add) or DROP (goal remove)
};
std::expected<GovernanceCapturePlan, std::string> plan_governance_capture(
    const WorldConfig& config, const std::string& name, const GovernanceCaptureAttack& attack);

// The colluders' identity of goal add: key "adversary/<name>/identity/<identity>".
PrivateKey capture_identity_key(const WorldConfig& config, const std::string& name,
                                const std::string& identity);

Hash32 governance_capture_parameters_digest(const WorldConfig& config, const std::string& name,
                                            const GovernanceCaptureAttack& attack);

// Installs node `node`'s part: a colluder proposes the vote from `from`; with
// honest_counter_votes, every other validator drops unattested signers.
void governance_capture_config(const WorldConfig& config, net::NodeId node, node::NodeConfig& nc,
                               const GovernanceCapturePlan& plan, const GovernanceCaptureAttack& attack);

class GovernanceCaptureWorkload final : public Workload {
  public:
    GovernanceCaptureWorkload(const WorldContext& context, std::string name, GovernanceCaptureAttack attack,
                              GovernanceCapturePlan plan);

    std::string_view name() const override { return name_; }
    void start() override {}
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    WorldContext ctx_;
    std::string name_;
    GovernanceCaptureAttack attack_;
    GovernanceCapturePlan plan_;
    std::uint64_t capture_votes_ = 0;  // sealed blocks of colluders carrying the capture vote
    std::uint64_t counter_votes_ = 0;  // sealed blocks of honest validators voting the other way
};

}  // namespace cl::sim::world
