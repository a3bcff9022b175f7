#include "sim/world/mainchain/mainchain.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"

namespace cl::sim::world {

Mainchain::Mainchain(Simulator& sim, const MainchainConfig& config,
                     const std::optional<MainchainAttack>& attack, RandomStream rng,
                     std::optional<checkpoint::CheckpointContract> contract)
    : sim_(sim), config_(config), attack_(attack), rng_(std::move(rng)) {
    CL_ASSERT(!config_.miners.empty() && config_.miners.size() < 62);
    miners_ = static_cast<std::uint32_t>(config_.miners.size());
    double total = 0;
    for (const MinerSpec& m : config_.miners) total += m.share;
    const double honest = attack_ ? 1.0 - attack_->share : 1.0;
    std::vector<double> weights;
    for (const MinerSpec& m : config_.miners) {
        weights.push_back(honest * m.share / total);
        names_.push_back(m.name);
    }
    attacker_ = miners_;
    if (attack_) {
        weights.push_back(attack_->share);
        names_.push_back("attacker");
        attack_state_ = AttackState::kWaiting;
    }
    finder_ = WeightedChoice::from_weights(weights);
    CL_ASSERT(finder_.has_value());
    reader_ = static_cast<std::uint32_t>(weights.size());
    heads_.assign(reader_ + 1, 0);
    pending_.resize(reader_ + 1);
    Block genesis;
    if (contract)
        genesis.contract = std::make_shared<const checkpoint::CheckpointContract>(std::move(*contract));
    genesis.published = Time::zero();
    blocks_.push_back(std::move(genesis));
    known_.push_back(~std::uint64_t{0});
    reader_chain_.push_back(0);
}

void Mainchain::start() {
    if (attack_ && attack_->start) {
        sim_.schedule_at(*attack_->start, [this]() noexcept {
            if (attack_state_ == AttackState::kWaiting) start_attack(heads_[attacker_]);
        });
    }
    sim_.schedule_in(exponential(rng_, config_.block_time), [this]() noexcept { mine(); });
}

std::uint32_t Mainchain::send(Submission submission, std::uint32_t sender) {
    const auto id = static_cast<std::uint32_t>(txs_.size());
    txs_.push_back(Tx{std::move(submission), sim_.now(), sender});
    tx_blocks_.emplace_back();
    sim_.schedule_in(config_.delay, [this, id]() noexcept {
        for (std::uint32_t p = 0; p < reader_; ++p) pending_[p].push_back(id);
    });
    return id;
}

std::uint32_t Mainchain::accepted_in(std::uint64_t height) const {
    const auto it = accepted_blocks_.find(height);
    if (it == accepted_blocks_.end()) return kNone;
    for (const std::uint32_t b : it->second) {
        if (on_reader_chain(b)) return b;
    }
    return kNone;
}

std::uint32_t Mainchain::add_block(std::uint32_t parent, std::uint32_t miner,
                                   std::vector<std::uint32_t> txs) {
    const auto index = static_cast<std::uint32_t>(blocks_.size());
    Block b;
    b.parent = parent;
    b.height = blocks_[parent].height + 1;
    b.miner = miner;
    b.mined = sim_.now();
    b.attack = miner == attacker_ && attack_state_ == AttackState::kPrivate;
    b.contract = blocks_[parent].contract;
    if (!txs.empty() && b.contract) {
        auto state = std::make_shared<checkpoint::CheckpointContract>(*b.contract);
        for (const std::uint32_t t : txs) {
            const Submission& s = txs_[t].submission;
            b.outcomes.push_back(
                state->submit(s.height, s.block_hash, s.state_root, s.signer_set, s.signatures));
            if (b.outcomes.back()) accepted_blocks_[s.height].push_back(index);
        }
        b.contract = std::move(state);
    }
    for (const std::uint32_t t : txs) tx_blocks_[t].push_back(index);
    b.txs = std::move(txs);
    blocks_.push_back(std::move(b));
    known_.push_back(std::uint64_t{1} << miner);
    return index;
}

void Mainchain::mine() {
    sim_.schedule_in(exponential(rng_, config_.block_time), [this]() noexcept { mine(); });
    const auto p = static_cast<std::uint32_t>(finder_->pick(rng_));
    const bool hidden = p == attacker_ && attack_state_ == AttackState::kPrivate;
    std::vector<std::uint32_t> txs;
    if (!hidden) txs.swap(pending_[p]);  // the attacker's private branch censors every submission
    const std::uint32_t parent = hidden ? private_head_ : heads_[p];
    const std::uint32_t b = add_block(parent, p, std::move(txs));
    if (hidden) {
        private_head_ = b;
        heads_[p] = b;
        check_release();
        return;
    }
    adopt(p, b);
    if (p == attacker_ && attack_state_ == AttackState::kWaiting && !attack_->start &&
        !blocks_[b].txs.empty())
        start_attack(blocks_[b].parent);
    publish({b});
}

void Mainchain::publish(std::vector<std::uint32_t> blocks) {
    for (const std::uint32_t b : blocks) blocks_[b].published = sim_.now();
    sim_.schedule_in(config_.delay, [this, blocks = std::move(blocks)]() noexcept {
        for (const std::uint32_t b : blocks) {
            for (std::uint32_t q = 0; q <= reader_; ++q) deliver(q, b);
        }
    });
}

void Mainchain::deliver(std::uint32_t q, std::uint32_t b) {
    if (knows(q, b)) return;
    known_[b] |= std::uint64_t{1} << q;
    const Block& block = blocks_[b];
    if (!block.txs.empty() && q != reader_) {
        auto& pending = pending_[q];
        std::erase_if(pending, [&](std::uint32_t t) {
            return std::find(block.txs.begin(), block.txs.end(), t) != block.txs.end();
        });
    }
    if (q == attacker_ && attack_state_ == AttackState::kPrivate) {
        public_height_ = std::max(public_height_, block.height);
        check_release();
        return;
    }
    adopt(q, b);
    if (q == attacker_ && attack_state_ == AttackState::kWaiting && !attack_->start && !block.txs.empty())
        start_attack(block.parent);
}

// Heaviest chain: the longer one (equal difficulty); at equal length the first seen.
void Mainchain::adopt(std::uint32_t q, std::uint32_t b) {
    const std::uint32_t old = heads_[q];
    if (blocks_[b].height <= blocks_[old].height) return;
    heads_[q] = b;
    if (q != reader_) return;
    // The reader's chain index: walk back from the new head to the old chain.
    std::uint32_t x = b;
    std::vector<std::uint32_t> path;
    while (!(blocks_[x].height < reader_chain_.size() && reader_chain_[blocks_[x].height] == x)) {
        path.push_back(x);
        x = blocks_[x].parent;
    }
    const std::uint64_t common = blocks_[x].height;
    const std::uint64_t old_height = blocks_[old].height;
    reader_chain_.resize(common + 1);
    for (auto it = path.rbegin(); it != path.rend(); ++it) reader_chain_.push_back(*it);
    if (old_height > common) {
        reorgs_.push_back(Reorg{sim_.now(), static_cast<std::uint32_t>(old_height - common), old, b});
    }
    if (observer_) observer_();
}

void Mainchain::start_attack(std::uint32_t fork_point) {
    attack_state_ = AttackState::kPrivate;
    attack_started_ = sim_.now();
    fork_ = fork_point;
    private_head_ = fork_point;
    heads_[attacker_] = fork_point;
    public_height_ = 0;
    for (std::uint32_t b = 0; b < blocks_.size(); ++b) {
        if (knows(attacker_, b)) public_height_ = std::max(public_height_, blocks_[b].height);
    }
}

void Mainchain::check_release() {
    const std::uint64_t base = blocks_[fork_].height;
    const std::uint64_t ours = blocks_[private_head_].height - base;
    const std::uint64_t theirs = public_height_ > base ? public_height_ - base : 0;
    if (ours <= theirs || theirs < attack_->reorg_depth) return;
    attack_state_ = AttackState::kDone;
    attack_released_ = sim_.now();
    std::vector<std::uint32_t> branch;
    for (std::uint32_t x = private_head_; x != fork_; x = blocks_[x].parent) branch.push_back(x);
    std::reverse(branch.begin(), branch.end());
    publish(std::move(branch));
}

}  // namespace cl::sim::world
