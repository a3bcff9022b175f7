// Honest governance (shared/spec/promo-pool.md §2; docs/scenarios.md "`events`"): clouds
// joining and leaving the validator set at given times, through the real protocol.
//
//   join  — at `at` the cloud's operator (key "operator/<name>") sends a real
//           register_cloud transaction carrying the notary's real attestation (key
//           "notary", signing attestation_hash(chain_id, name, validator)) to its own
//           validator node, which runs from the start without being a signer. Once the
//           cloud is pending on chain, honest validators propose AUTH for its validator
//           (node::NodeConfig::vote_for_pending_clouds); when the Clique vote passes the
//           contract marks it active and its node, now in the snapshot, starts sealing.
//   leave — at `at` the cloud's validator stops sealing (HonestNode::kStopSealing) and
//           every other validator proposes DROP for it (node::NodeConfig::proposals) until
//           it is voted out; the contract then marks it removed.
//
// The results (docs/metrics.md "events"): per event, when its set change reached the
// final chain (the chain of the node whose head is heaviest at the end). Pure reads of
// the hosts at finish; no random draws. Thread-safety: none (one world).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/world/config.hpp"
#include "sim/world/host/hosts.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

// What World::check adds for `events`: clouds not in the genesis follow the genesis ones,
// each joins exactly once; a join names a cloud not in the genesis, a leave a cloud that
// is a member then (in the genesis or joined earlier, not left); times in [0, duration)
// and in order; no checkpoints (their validator set is the genesis one). The message
// names the field ("events[<i>]: ...").
std::optional<std::string> check_events(const WorldConfig& config);

// The leave votes: every validator node but the leaving cloud's proposes DROP for it from
// the leave's time (NodeConfig::proposals). No effect without events.
void governance_node_config(const WorldConfig& config, net::NodeId node, node::NodeConfig& nc);

// A change of one address's Clique membership along a chain: the block whose snapshot
// (against its parent's) added or removed it.
struct MembershipChange {
    std::uint64_t number = 0;
    Time at;  // the block's header time, since the run's start (whole seconds)
    bool member = false;
};
// The changes of `address`'s membership on `node`'s chain ending at `head`, oldest first.
// O(chain length).
std::vector<MembershipChange> membership_changes(const node::Node& node, const Hash32& head,
                                                 const Address& address, std::uint64_t genesis_time);
// The node whose head is heaviest (the first in node order among equals): whose chain the
// end-of-run membership figures read.
net::NodeId heaviest_node(const Hosts& hosts);
// The first change of `changes` to `member` at or after `from`, if any.
std::optional<MembershipChange> first_change(const std::vector<MembershipChange>& changes, Time from,
                                             bool member);

class Governance final : public Workload {
  public:
    explicit Governance(const WorldContext& context);

    std::string_view name() const override { return "governance"; }
    void start() override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    void join(std::size_t event);
    void leave(std::size_t event);

    WorldContext ctx_;
    std::vector<std::optional<Hash32>> register_tx_;  // per event: a join's register_cloud
};

}  // namespace cl::sim::world
