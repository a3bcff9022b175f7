// The PoW mainchain the sidechain checkpoints to (shared/spec/checkpoint.md §2, §3;
// docs/checkpoints.md "The mainchain").
//
// Participants: the miners (MainchainConfig::miners, hash-power shares), the optional
// attacker (MainchainAttack, share q; the miners then share 1 − q), and the reader — the
// mainchain node the sidechain reads, which mines nothing. Each keeps its own view: the
// blocks it knows and its head, the heaviest chain it knows (every block has the same
// difficulty, so the longest; at equal length the first seen).
//
// Blocks: the network as a whole finds a block after an exponential time of mean
// block_time (DESIGN.md §6: stream "mainchain"); who found it is drawn by share (the
// superposition of the miners' own Poisson processes, identical in law). The finder
// builds on its own head, so a block found before the finder heard of its rival forks
// the chain ("natural forks"). A public block reaches every other participant `delay`
// after it was mined; a transaction reaches them `delay` after it was sent.
//
// Transactions (checkpoint submissions): a miner includes, in each block it mines, every
// submission it has received and not yet seen in a block (of any branch). A reorg does not
// put the submissions of dropped blocks back: the submitter rotation recovers them (a
// resubmission), which is the case the spec's submit_timeout is for. The checkpoint
// contract (protocol/checkpoint/contract.hpp) runs in each block on its parent's state:
// every block has the contract state of its own chain, so a reorg that drops a
// submission's block drops the checkpoint with it.
//
// The attack (spec §2): from `start` (or, unset, from the moment the attacker learns of
// the first block that includes a submission: from that block's parent), the attacker
// mines a private branch that includes no submission, and releases it once it is longer
// than the public chain since the fork, which has at least reorg_depth blocks then. Before
// the attack and after the release it mines honestly. One attack per run.
//
// Deterministic: vectors and indices only. Thread-safety: none.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/checkpoint/contract.hpp"
#include "sim/kernel/distributions.hpp"
#include "sim/kernel/random.hpp"
#include "sim/kernel/simulator.hpp"
#include "sim/world/checkpoint_config.hpp"

namespace cl::sim::world {

// A checkpoint submission: the contract's submit() arguments.
struct Submission {
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    std::vector<Address> signer_set;
    std::vector<Signature> signatures;
};

class Mainchain {
  public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFF;

    struct Block {
        std::uint32_t parent = kNone;  // kNone: genesis
        std::uint64_t height = 0;
        std::uint32_t miner = kNone;  // participant index (miners, then the attacker); kNone: genesis
        Time mined;
        bool attack = false;             // mined on the attacker's private branch
        std::optional<Time> published;   // when it left its miner (mined; a private block: the release)
        std::vector<std::uint32_t> txs;  // submissions included, in order
        // Per included submission: the contract's verdict on this chain.
        std::vector<std::expected<checkpoint::Accepted, checkpoint::Reason>> outcomes;
        std::shared_ptr<const checkpoint::CheckpointContract>
            contract;  // state after the block; null without one
    };
    struct Tx {
        Submission submission;
        Time sent;
        std::uint32_t sender = 0;  // the caller's tag (a validator's node id)
    };
    struct Reorg {
        Time time;
        std::uint32_t depth = 0;  // blocks of the reader's old chain dropped
        std::uint32_t old_head = 0;
        std::uint32_t new_head = 0;
    };

    // `contract`: the contract at genesis (nullopt: a mainchain without one; submissions are
    // then included but not run). Starts nothing before start().
    Mainchain(Simulator& sim, const MainchainConfig& config, const std::optional<MainchainAttack>& attack,
              RandomStream rng, std::optional<checkpoint::CheckpointContract> contract);

    // Called when the reader's head changes (after the reader's chain index is updated).
    void on_reader_head(std::function<void()> observer) { observer_ = std::move(observer); }

    void start();
    // Sends a submission now; it reaches the miners `delay` later. Returns its id.
    std::uint32_t send(Submission submission, std::uint32_t sender);

    // ---- the reader's view (the mainchain as the sidechain reads it) ----
    std::uint32_t reader_head() const { return heads_[reader_]; }
    std::uint64_t reader_height() const { return blocks_[reader_head()].height; }
    bool on_reader_chain(std::uint32_t block) const {
        const std::uint64_t h = blocks_[block].height;
        return h < reader_chain_.size() && reader_chain_[h] == block;
    }
    // The contract state at the reader's head; nullptr without a contract.
    const checkpoint::CheckpointContract* reader_contract() const {
        return blocks_[reader_head()].contract.get();
    }
    // The block of the reader's chain whose submission made `height` checkpointed; kNone.
    std::uint32_t accepted_in(std::uint64_t height) const;

    // ---- records ----
    const std::vector<Block>& blocks() const { return blocks_; }
    const std::vector<Tx>& txs() const { return txs_; }
    const std::vector<Reorg>& reader_reorgs() const { return reorgs_; }
    // Names of the participants that mine: the miners, then "attacker" if any.
    const std::vector<std::string>& miner_names() const { return names_; }
    std::optional<Time> attack_started() const { return attack_started_; }
    std::optional<Time> attack_released() const { return attack_released_; }
    const MainchainConfig& config() const { return config_; }

  private:
    void mine();
    // The blocks leave their miner now and reach every other participant `delay` later, in order.
    void publish(std::vector<std::uint32_t> blocks);
    void deliver(std::uint32_t participant, std::uint32_t block);
    void adopt(std::uint32_t participant, std::uint32_t block);
    void start_attack(std::uint32_t fork_point);
    void check_release();
    std::uint32_t add_block(std::uint32_t parent, std::uint32_t miner, std::vector<std::uint32_t> txs);
    bool knows(std::uint32_t participant, std::uint32_t block) const {
        return (known_[block] >> participant) & 1U;
    }

    Simulator& sim_;
    MainchainConfig config_;
    std::optional<MainchainAttack> attack_;
    RandomStream rng_;  // "mainchain"
    std::optional<WeightedChoice> finder_;
    std::vector<std::string> names_;
    std::uint32_t miners_ = 0;    // honest miners: participants [0, miners_)
    std::uint32_t attacker_ = 0;  // == miners_ when there is an attack
    std::uint32_t reader_ = 0;    // the last participant
    std::vector<Block> blocks_;
    std::vector<std::uint64_t> known_;  // per block: bit p set when participant p knows it
    std::vector<std::uint32_t> heads_;  // per participant
    std::vector<std::vector<std::uint32_t>>
        pending_;  // per participant: submissions received, not yet seen in a block
    std::vector<Tx> txs_;
    std::vector<std::vector<std::uint32_t>> tx_blocks_;  // per submission: blocks including it
    std::vector<std::uint32_t> reader_chain_;            // by height: the reader's chain
    std::vector<Reorg> reorgs_;
    std::map<std::uint64_t, std::vector<std::uint32_t>> accepted_blocks_;  // by checkpoint height
    std::function<void()> observer_;
    // The attack: not started, mining privately from fork_, released.
    enum class AttackState : std::uint8_t {
        kNone,
        kWaiting,
        kPrivate,
        kDone
    } attack_state_ = AttackState::kNone;
    std::uint32_t fork_ = kNone;
    std::uint32_t private_head_ = kNone;
    std::uint64_t public_height_ = 0;  // the highest public block the attacker knows
    std::optional<Time> attack_started_;
    std::optional<Time> attack_released_;
};

}  // namespace cl::sim::world
