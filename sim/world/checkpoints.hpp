// The checkpoint flow of a world (shared/spec/checkpoint.md §1–§4; docs/checkpoints.md
// "In the simulation"): validators vote, the submitter submits to the mainchain, the
// contract decides along the mainchain's heaviest chain, and sidechain nodes apply the
// final checkpoint. A Workload (it reacts to head changes) and the handler of the vote
// messages (Hosts passes it the message types it does not know).
//
//   vote      a validator whose canonical head reaches h + depth for a checkpoint height
//             h signs (its real key, checkpoint::sign_vote) the payload of its own block
//             at h, its state root and the signer set after it, counts its own vote and
//             gossips it: a vote is relayed once by every node to each of its peers but
//             the sender (RLP size checkpoint::wire_size), like a transaction.
//   collect   every validator counts the votes it receives in a checkpoint::VoteCollector
//             per height (voters: the signer set after h − interval, the contract's).
//   submit    a validator's turns for h begin when h became due for it (when it voted):
//             checkpoint::next_turn, submit_timeout apart, rotating. At a turn, or when its
//             certificate completes during its turn, it submits if the mainchain as the
//             reader shows it holds no checkpoint for h and holds h − interval (no gaps),
//             once per turn. Mainchain::send: miners include it after `delay`.
//   final     a checkpoint is final when the block that accepted it on the reader's chain
//             has `confirmations` blocks on top; every sidechain node up then learns it
//             (Hosts::set_final_checkpoint), and a node that restarts learns it at the next
//             checkpoint that becomes final.
//   detect    the nodes' CheckpointConflict events (on_conflict): received blocks that
//             conflict with a final checkpoint (detections) and heads rolled back; and
//             their FinalCheckpointRefused events (on_refused_final): final checkpoints
//             off the chain of the one a node already holds.
//
// Not modelled: the CPU time of signing and of recovering votes (a few per validator and
// checkpoint, ~31 µs each, against thousands of header verifications); nodes other than
// validators relay votes without checking them.
//
// Randomness: none of its own (the mainchain draws from "mainchain"). Thread-safety: none.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "protocol/checkpoint/collector.hpp"
#include "protocol/checkpoint/vote.hpp"
#include "sim/net/network.hpp"
#include "sim/world/mainchain/mainchain.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

// What World::check requires of WorldConfig::checkpoints (an error message, or nullopt).
std::optional<std::string> check_checkpoints(const WorldConfig& config);

class Checkpoints final : public Workload, public net::DeliveryHandler {
  public:
    // The vote messages' type on the network (after node::MessageKind's).
    static constexpr net::MessageType kVoteType = node::kMessageKindCount;

    // REQUIRES: context.config.checkpoints set; the hosts connected to their network.
    explicit Checkpoints(const WorldContext& context);

    std::string_view name() const override { return "checkpoints"; }
    void start() override;
    void on_head_changed(net::NodeId n, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

    // A node's CheckpointConflict, released at `at`.
    void on_conflict(net::NodeId n, const node::CheckpointConflict& conflict, Time at);
    // A node refused a final checkpoint off the chain of the one it holds (conflict evidence).
    void on_refused_final(net::NodeId n, const node::FinalCheckpointRefused& refused);

    void on_deliver(const net::Delivery& d) noexcept override;

    const Mainchain& mainchain() const { return *mainchain_; }

  private:
    struct Height {  // one validator's state for one checkpoint height
        std::optional<checkpoint::VoteCollector> collector;
        std::optional<Time> due;        // when it voted
        std::set<std::uint64_t> turns;  // attempts in which it submitted
    };
    struct Validator {
        net::NodeId node = 0;
        PrivateKey key;
        Address address;          // address_of(key), derived once
        std::uint64_t rank = 0;   // index in the address-sorted set
        std::uint64_t voted = 0;  // highest height voted for
        std::map<std::uint64_t, Height> heights;
    };
    struct Row {  // what becomes a CheckpointRecord
        CheckpointRecord record;
        std::map<std::pair<Hash32, Hash32>, std::uint32_t> votes;  // most counted by one validator
    };
    struct VoteMsg {
        checkpoint::Vote vote;
        net::NodeId origin = 0;
    };

    void vote(Validator& v);
    void gossip(net::NodeId from, std::uint32_t msg, std::optional<net::NodeId> except);
    void count(Validator& v, const checkpoint::Vote& vote);
    Height& height(Validator& v, std::uint64_t h);
    void try_submit(std::size_t validator, std::uint64_t h);
    void schedule_turn(std::size_t validator, std::uint64_t h, Time after);
    void on_reader_head();
    Row& row(std::uint64_t h);
    // h is on the reader's chain with `confirmations` blocks on top of its accepting block.
    bool settled(std::uint64_t h) const;
    std::vector<Address> signers_after(const node::Node& node, std::uint64_t h) const;

    WorldContext ctx_;
    const CheckpointsConfig& config_;
    std::unique_ptr<Mainchain> mainchain_;
    std::vector<Address> genesis_set_;   // ascending
    std::vector<Validator> validators_;  // by node id (validators are nodes [0, V))
    std::vector<VoteMsg> messages_;      // by payload handle
    std::vector<std::set<std::tuple<std::uint64_t, net::NodeId, Hash32>>>
        seen_;  // per node: (h, origin, block)
    std::map<std::uint64_t, Row> rows_;
    std::uint64_t final_height_ = 0;  // the latest final checkpoint
    std::uint64_t vote_messages_ = 0;
    // Detections: per conflicting block its first detection; rollbacks.
    std::map<Hash32, Time> detected_;
    std::uint64_t detections_ = 0;
    std::uint64_t rollbacks_ = 0;
    std::uint32_t rolled_back_max_ = 0;
    std::uint64_t finals_refused_ = 0;        // per node and refused final checkpoint
    std::map<std::uint64_t, Time> final_at_;  // by height: when it became final
    std::set<std::uint64_t> finality_lost_;   // final heights a mainchain reorg later dropped
};

}  // namespace cl::sim::world
