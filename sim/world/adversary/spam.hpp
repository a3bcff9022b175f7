// The `spam` adversary (shared/spec/adversaries.md §3; docs/attacks.md "Spam"): a
// workload that floods entry nodes with real transactions signed by identities it
// creates — promo requests whose codes it holds and never redeems (the pool drains),
// transfers and redemptions of made-up codes, and junk (invalid transactions the nodes
// must check and reject) — at a constant or ramped rate, paying for request stamps with
// its own hashing power. Honest nodes handle everything it sends with the real rules
// (§0): it has no other way in than Hosts::submit / submit_raw.
//
// Timing: arrivals are a Poisson process of rate_to ∨ rate_from, thinned to the rate at
// the arrival's time (a ramp). With txpool.stamp_bits set, requests wait for the
// attacker's one serial miner: each stamp is the real search (txpool::find_stamp) over
// the request's sender and nonce, and costs ceil(hashes · 1e9 / hash_rate) ns of the
// miner's time, after which the request is sent; arrivals while the miner is busy wait
// in a FIFO (only their count is kept). So the attacker's request rate is at most
// hash_rate / 2^bits, the same price per request an honest user pays at its own rate.
//
// Its results are summary metrics named "spam.<name>.<figure>" (docs/attacks.md lists
// them): what it sent, what the entry nodes refused (by reason), admitted, what the
// reference chain included, codes it holds, its stamp work; and the honest side under
// the flood (users arriving in [from, to): served share and latency; the time each tier
// ran dry; the CPU the nodes were charged).
//
// Randomness (DESIGN.md §6): every draw from "adversary/<name>", in event order. Keys:
// derive_private_key(seed, "adversary/<name>/<identity>").
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "protocol/core/secp256k1.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/world/adversary/spam_config.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

// What World::check requires of a spam adversary named `name` (entry nodes exist, the mix
// has a positive weight, rates and the hash rate are finite, stamps are searchable):
// nullopt, or the message ("adversaries[<name>].<key>: ...", or the global key at fault).
std::optional<std::string> check_spam(const WorldConfig& config, const std::string& name,
                                      const SpamConfig& spam);

class Spam final : public Workload {
  public:
    enum class Kind : std::uint8_t { kRequest, kTransfer, kRedeemUnknown, kJunk };
    static constexpr std::size_t kKinds = 4;

    // What became of one transaction it sent.
    struct Sent {
        Hash32 tx;
        Kind kind = Kind::kRequest;
        std::optional<SpamJunk> junk;
        std::uint64_t identity = 0;
        std::uint64_t nonce = 0;
        net::NodeId entry = 0;
        Time submitted;
        bool lost = false;                       // the entry node was down
        bool bad_signature = false;              // dropped by the entry node's sender recovery
        std::optional<txpool::Refusal> refused;  // by the entry node's txpool
        bool included = false;                   // on the reference chain at the end
        std::optional<Time> included_at;         // the seal time of its block there
        bool success = false;
    };

    // `name` is the adversary's (AdversaryConfig::name). REQUIRES: `config` is the attack of
    // one of context.config.adversaries, which World::check accepted; it outlives the Spam.
    Spam(const WorldContext& context, std::string name, const SpamConfig& config);

    std::string_view name() const override { return name_; }
    void start() override;
    void on_tx_refused(net::NodeId n, const Hash32& tx, txpool::Refusal reason, Time at) override;
    // Its party's txpool share: its identities' transactions in the running nodes' pools.
    void on_sample(Sample& sample) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;
    std::vector<std::string> check(const WorldResults& results) const override;

    // For tests: everything it sent, in order, and its stamp work.
    const std::vector<Sent>& sent() const { return sent_; }
    std::uint64_t stamp_hashes() const { return stamp_hashes_; }
    Duration stamp_time() const { return stamp_time_; }
    std::uint64_t stamps_waiting() const { return waiting_; }
    // Its party code in the party tables (1 + its index in WorldConfig::adversaries).
    std::uint16_t party() const { return party_; }

  private:
    struct Identity {
        PrivateKey key;
        Address address;
        std::uint64_t next_nonce = 0;  // as the attacker keeps it
    };

    double rate_at(Time t) const;
    double max_rate() const { return std::max(config_.rate_from, config_.rate_to); }
    void schedule_next();
    void arrive();
    Identity make_identity(std::uint64_t i) const;
    // The identity of the next transaction: a new one (fresh), or the next counted one in turn.
    Identity& next_identity(std::uint64_t& index);
    std::uint64_t take_nonce(Identity& id, net::NodeId entry);
    void mine_next();
    // `junk`: the kind of junk (kJunk only); nullopt: the next of the round-robin.
    void send(Kind kind, std::optional<SpamJunk> junk = std::nullopt);
    std::size_t record(const Hash32& tx, Kind kind, std::uint64_t identity, std::uint64_t nonce,
                       net::NodeId entry, std::optional<SpamJunk> junk);
    void submit(const node::TxRef& tx, Kind kind, std::uint64_t identity, net::NodeId entry,
                std::optional<SpamJunk> junk = std::nullopt);
    void send_junk(Identity& id, std::uint64_t index, net::NodeId entry, std::optional<SpamJunk> kind);
    Hash32 made_up_code();
    net::NodeId pick_entry();
    void metric(WorldResults& results, const std::string& figure, double value, const char* unit) const;
    // Its rows of WorldResults::traffic and its codes held in each sample (REQUIRES: the
    // inclusions marked).
    void tally_party(WorldResults& results) const;

    WorldContext ctx_;
    const SpamConfig& config_;
    std::string adversary_;  // the adversary's name
    std::string name_;       // "spam.<name>": the workload's name, its metrics' prefix
    RandomStream rng_;       // "adversary/<name>"
    std::uint16_t party_ = 1;
    std::unordered_set<Address> senders_;  // every identity it signed with; lookup only
    std::optional<WeightedChoice> mix_;
    std::vector<Identity> identities_;  // counted identities (made at start); empty for fresh ones
    Identity fresh_identity_;           // the current fresh identity
    std::uint64_t fresh_ = 0;           // fresh identities made
    std::uint64_t next_counted_ = 0;    // counted identities are used in turn
    std::size_t junk_turn_ = 0;
    // The miner: requests waiting for a stamp, and whether a search is running.
    std::uint64_t waiting_ = 0;
    bool mining_ = false;
    std::uint64_t stamp_hashes_ = 0;
    Duration stamp_time_;
    std::uint64_t stamps_ = 0;
    std::vector<Sent> sent_;
    std::unordered_map<Hash32, std::size_t> index_;  // by tx hash; lookup only
};

}  // namespace cl::sim::world
