#include "sim/world/checkpoints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "protocol/checkpoint/schedule.hpp"
#include "protocol/core/assert.hpp"
#include "sim/world/genesis.hpp"

namespace cl::sim::world {
namespace {

checkpoint::Nanos to_nanos(Time t) { return checkpoint::Nanos(t.nanos()); }

}  // namespace

std::optional<std::string> check_checkpoints(const WorldConfig& config) {
    if (!config.checkpoints) return std::nullopt;
    const CheckpointsConfig& c = *config.checkpoints;
    const std::size_t n = config.clouds.size();
    if (c.protocol.interval == 0) return "checkpoints.interval: must be >= 1";
    if (c.protocol.submit_timeout <= checkpoint::Nanos::zero())
        return "checkpoints.submit_timeout: must be > 0";
    if (c.protocol.threshold && (*c.protocol.threshold == 0 || *c.protocol.threshold > n))
        return "checkpoints.threshold: must be between 1 and the " + std::to_string(n) + " validators";
    if (c.protocol.depth && *c.protocol.depth == 0) return "checkpoints.depth: must be >= 1";
    if (c.mainchain.miners.empty() || c.mainchain.miners.size() > 61)
        return "checkpoints.mainchain.miners: between 1 and 61 miners";
    for (const MinerSpec& m : c.mainchain.miners) {
        if (!(m.share > 0) || !std::isfinite(m.share))
            return "checkpoints.mainchain.miners: share of '" + m.name + "' must be a finite number > 0";
    }
    if (c.mainchain.block_time <= Duration::zero()) return "checkpoints.mainchain.block_time: must be > 0";
    if (c.mainchain.delay < Duration::zero()) return "checkpoints.mainchain.delay: must be >= 0";
    if (c.mainchain.confirmations == 0) return "checkpoints.mainchain.confirmations: must be >= 1";
    if (c.attack && (!(c.attack->share > 0) || !(c.attack->share < 1) || c.attack->reorg_depth == 0))
        return "checkpoints.mainchain_attack: share in (0, 1) and reorg_depth >= 1";
    return std::nullopt;
}

Checkpoints::Checkpoints(const WorldContext& context) : ctx_(context), config_(*context.config.checkpoints) {
    for (std::size_t i = 0; i < ctx_.config.clouds.size(); ++i) {
        Validator v;
        v.node = static_cast<net::NodeId>(i);
        v.key = validator_key(ctx_.config, i);
        v.address = address_of(v.key);
        genesis_set_.push_back(v.address);
        validators_.push_back(std::move(v));
    }
    std::sort(genesis_set_.begin(), genesis_set_.end());
    for (Validator& v : validators_) {
        const Address& a = v.address;
        v.rank = static_cast<std::uint64_t>(std::lower_bound(genesis_set_.begin(), genesis_set_.end(), a) -
                                            genesis_set_.begin());
    }
    mainchain_ = std::make_unique<Mainchain>(
        ctx_.sim, config_.mainchain, config_.attack, ctx_.streams.stream("mainchain"),
        checkpoint::CheckpointContract(config_.protocol, kChainId, genesis_set_));
    mainchain_->on_reader_head([this] { on_reader_head(); });
    seen_.resize(ctx_.hosts.size());
    ctx_.hosts.set_extra_handler(this);
}

void Checkpoints::start() { mainchain_->start(); }

Checkpoints::Row& Checkpoints::row(std::uint64_t h) {
    Row& r = rows_[h];
    r.record.height = h;
    return r;
}

std::vector<Address> Checkpoints::signers_after(const node::Node& node, std::uint64_t h) const {
    const auto hash = node.chain().tree().canonical_hash(h);
    if (!hash) return genesis_set_;
    return node.chain().snapshot(*hash).signers();
}

Checkpoints::Height& Checkpoints::height(Validator& v, std::uint64_t h) {
    Height& s = v.heights[h];
    if (!s.collector) {
        const node::Node& node = ctx_.hosts.node(v.node);
        s.collector.emplace(config_.protocol, kChainId, h, signers_after(node, h),
                            mainchain_->reader_contract()->validators());
    }
    return s;
}

void Checkpoints::on_head_changed(net::NodeId n, Time) {
    if (n < validators_.size() && ctx_.hosts.up(n)) vote(validators_[n]);
}

// §1: vote for every checkpoint height that is now `depth` deep in the validator's chain.
// A withholding colluder (Host::withholding, adversaries.md §2.2) votes for nothing until it
// releases: a vote names a block it withholds. It then votes for its chain as it stands.
void Checkpoints::vote(Validator& v) {
    if (ctx_.hosts.withholding(v.node)) return;
    const node::Node& node = ctx_.hosts.node(v.node);
    const auto top =
        checkpoint::votable_height(config_.protocol, genesis_set_.size(), node.head().header.number);
    if (!top) return;
    for (std::uint64_t h = v.voted + config_.protocol.interval; h <= *top; h += config_.protocol.interval) {
        v.voted = h;
        const Hash32 hash = *node.chain().tree().canonical_hash(h);
        const std::vector<Address> signers = node.chain().snapshot(hash).signers();
        const checkpoint::Payload payload{kChainId, h, hash, node.block(hash)->header.state_root,
                                          checkpoint::signer_set_hash(signers)};
        const auto msg = static_cast<std::uint32_t>(messages_.size());
        messages_.push_back(VoteMsg{checkpoint::sign_vote(payload, v.key), v.node});
        const checkpoint::Vote& vote = messages_.back().vote;
        seen_[v.node].emplace(h, v.node, hash);
        Row& r = row(h);
        if (r.votes.empty() &&
            r.record.submissions == 0) {  // the first vote names the row until a submission
            r.record.block_hash = hash;
            r.record.state_root = payload.state_root;
        }
        Height& s = height(v, h);
        s.due = ctx_.sim.now();
        count(v, vote);
        gossip(v.node, msg, std::nullopt);
        try_submit(v.node, h);
        schedule_turn(v.node, h, ctx_.sim.now() + Duration::from_nanos(1));
    }
}

void Checkpoints::gossip(net::NodeId from, std::uint32_t msg, std::optional<net::NodeId> except) {
    const auto size = static_cast<std::uint32_t>(checkpoint::wire_size(messages_[msg].vote));
    for (const net::NodeId p : ctx_.config.topology.neighbours(from)) {
        if (except && p == *except) continue;
        ++vote_messages_;
        (void)ctx_.hosts.network().send(from, p, kVoteType, size, msg);
    }
}

void Checkpoints::on_deliver(const net::Delivery& d) noexcept {
    const net::NodeId n = d.to;
    if (!ctx_.hosts.up(n) || !ctx_.hosts.within_run()) return;
    const auto msg = static_cast<std::uint32_t>(d.payload);
    const VoteMsg& m = messages_[msg];
    if (!checkpoint::is_checkpoint_height(config_.protocol, m.vote.height)) return;
    if (!seen_[n].emplace(m.vote.height, m.origin, m.vote.block_hash).second) return;
    if (n < validators_.size()) count(validators_[n], m.vote);
    gossip(n, msg, d.from);
}

void Checkpoints::count(Validator& v, const checkpoint::Vote& vote) {
    if (settled(vote.height)) return;
    Height& s = height(v, vote.height);
    const bool complete = s.collector->certificate().has_value();
    if (!s.collector->add(vote)) return;
    Row& r = row(vote.height);
    std::uint32_t& best = r.votes[{vote.block_hash, vote.state_root}];
    best = std::max(best, static_cast<std::uint32_t>(s.collector->count(vote.block_hash, vote.state_root)));
    if (!complete && s.collector->certificate()) try_submit(v.node, vote.height);
}

// §1: submit at the validator's turn, when it has a certificate, once per turn, and only
// when the mainchain (as the reader shows it) lacks h and holds h − interval.
void Checkpoints::try_submit(std::size_t index, std::uint64_t h) {
    Validator& v = validators_[index];
    if (!ctx_.hosts.up(v.node) || !ctx_.hosts.within_run()) return;
    if (ctx_.hosts.withholding(v.node)) return;  // a colluder does not anchor the public chain
    const auto it = v.heights.find(h);
    if (it == v.heights.end() || !it->second.due) return;
    Height& s = it->second;
    const checkpoint::CheckpointContract& contract = *mainchain_->reader_contract();
    if (contract.checkpoint(h) != nullptr || contract.last_height() + config_.protocol.interval != h) return;
    const std::vector<Address>& set = contract.validators();
    const auto me = std::lower_bound(set.begin(), set.end(), v.address);
    if (me == set.end() || *me != v.address) return;
    const auto rank = static_cast<std::uint64_t>(me - set.begin());
    const std::uint64_t attempt =
        checkpoint::attempt_at(config_.protocol, to_nanos(*s.due), to_nanos(ctx_.sim.now()));
    if (checkpoint::submitter_index(config_.protocol, h, set.size(), attempt) != rank) return;
    if (s.turns.contains(attempt)) return;
    const auto certificate = s.collector->certificate();
    if (!certificate) return;
    s.turns.insert(attempt);
    mainchain_->send(Submission{h, certificate->block_hash, certificate->state_root, certificate->signer_set,
                                certificate->signatures},
                     v.node);
    Row& r = row(h);
    ++r.record.submissions;
    if (!r.record.submitted) {
        r.record.submitted = ctx_.sim.now();
        r.record.submitter = v.node;
        r.record.block_hash = certificate->block_hash;
        r.record.state_root = certificate->state_root;
    }
}

void Checkpoints::schedule_turn(std::size_t index, std::uint64_t h, Time after) {
    const Validator& v = validators_[index];
    const auto it = v.heights.find(h);
    if (it == v.heights.end() || !it->second.due) return;
    const Time turn = Time::from_nanos(checkpoint::next_turn(config_.protocol, h, genesis_set_.size(), v.rank,
                                                             to_nanos(*it->second.due), to_nanos(after))
                                           .count());
    if (turn >= ctx_.hosts.end_of_run()) return;
    ctx_.sim.schedule_at(turn, [this, index, h, turn]() noexcept {
        if (settled(h)) return;
        try_submit(index, h);
        schedule_turn(index, h, turn + Duration::from_nanos(1));
    });
}

// The reader's head moved: checkpoints may have become final, a gap may have closed, a
// submission may have been dropped.
void Checkpoints::on_reader_head() {
    const Mainchain& m = *mainchain_;
    const std::uint64_t before = final_height_;
    while (true) {
        const std::uint64_t h = final_height_ + config_.protocol.interval;
        const std::uint32_t b = m.accepted_in(h);
        if (b == Mainchain::kNone ||
            m.reader_height() - m.blocks()[b].height < config_.mainchain.confirmations)
            break;
        final_height_ = h;
        Row& r = row(h);
        if (!r.record.final) r.record.final = ctx_.sim.now();
        final_at_.emplace(h, ctx_.sim.now());
    }
    // A deep reorg (an attack deeper than `confirmations`) can drop a final checkpoint from
    // the mainchain: the nodes keep it; validators resubmit it (try_submit checks the reader).
    for (std::uint64_t h = m.reader_contract()->last_height() + config_.protocol.interval; h <= final_height_;
         h += config_.protocol.interval)
        finality_lost_.insert(h);
    if (final_height_ != before && ctx_.hosts.within_run()) {
        const checkpoint::FinalCheckpoint final{final_height_,
                                                m.reader_contract()->checkpoint(final_height_)->block_hash};
        for (std::size_t n = 0; n < ctx_.hosts.size(); ++n) {
            if (ctx_.hosts.up(static_cast<net::NodeId>(n)))
                ctx_.hosts.set_final_checkpoint(static_cast<net::NodeId>(n), final);
        }
    }
    for (std::size_t i = 0; i < validators_.size(); ++i) {
        for (auto it = validators_[i].heights.upper_bound(m.reader_contract()->last_height());
             it != validators_[i].heights.end(); ++it)
            try_submit(i, it->first);
    }
}

bool Checkpoints::settled(std::uint64_t h) const {
    const std::uint32_t b = mainchain_->accepted_in(h);
    return b != Mainchain::kNone &&
           mainchain_->reader_height() - mainchain_->blocks()[b].height >= config_.mainchain.confirmations;
}

void Checkpoints::on_refused_final(net::NodeId, const node::FinalCheckpointRefused&) { ++finals_refused_; }

void Checkpoints::on_conflict(net::NodeId, const node::CheckpointConflict& conflict, Time at) {
    if (conflict.rolled_back == 0) {
        ++detections_;
        detected_.emplace(conflict.block->hash, at);
    } else {
        ++rollbacks_;
        rolled_back_max_ = std::max(rolled_back_max_, conflict.rolled_back);
    }
}

void Checkpoints::finish(std::span<const Inclusion>, WorldResults& results) {
    const Mainchain& m = *mainchain_;
    const checkpoint::CheckpointContract& contract = *m.reader_contract();
    // Rejections, in any block of any branch.
    for (const Mainchain::Block& b : m.blocks()) {
        for (std::size_t i = 0; i < b.txs.size(); ++i) {
            if (b.outcomes.size() <= i || b.outcomes[i]) continue;
            Row& r = row(m.txs()[b.txs[i]].submission.height);
            ++r.record.rejections;
            if (!r.record.first_rejection) r.record.first_rejection = b.outcomes[i].error();
        }
    }
    std::map<Hash32, Time> sealed;  // recorded blocks' seal times
    for (const BlockRecord& b : results.blocks) sealed.emplace(b.hash, b.sealed);
    double latency_sum = 0, latency_max = 0;
    std::uint64_t finals = 0, submissions = 0, resubmissions = 0, rejections = 0, conflicts = 0;
    for (auto& [h, r] : rows_) {
        CheckpointRecord& c = r.record;
        if (const checkpoint::Checkpoint* accepted = contract.checkpoint(h)) {
            c.block_hash = accepted->block_hash;
            c.state_root = accepted->state_root;
            const std::uint32_t b = m.accepted_in(h);
            c.included = m.blocks()[b].mined;
            const Mainchain::Block& block = m.blocks()[b];
            for (std::size_t i = 0; i < block.txs.size(); ++i) {
                const Mainchain::Tx& tx = m.txs()[block.txs[i]];
                if (tx.submission.height == h && block.outcomes[i]) c.submitter = tx.sender;
            }
        }
        if (const auto it = r.votes.find({c.block_hash, c.state_root}); it != r.votes.end())
            c.votes = it->second;
        if (const auto it = sealed.find(c.block_hash); it != sealed.end()) c.sealed = it->second;
        for (const checkpoint::Conflict& x : contract.conflicts()) {
            if (x.height != h) continue;
            ++c.conflicts;
            c.double_signers += static_cast<std::uint32_t>(x.double_signers.size());
        }
        if (c.final && c.sealed) {
            const double s = (*c.final - *c.sealed).to_seconds_f64();
            latency_sum += s;
            latency_max = std::max(latency_max, s);
            ++finals;
        }
        submissions += c.submissions;
        resubmissions += c.submissions > 0 ? c.submissions - 1 : 0;
        rejections += c.rejections;
        conflicts += c.conflicts;
        results.checkpoints.push_back(c);
    }
    // Exposure: a canonical sidechain block is exposed from its seal until a checkpoint at or
    // above its height is final.
    double exposure_sum = 0, exposure_max = 0;
    std::uint64_t exposed = 0;
    for (const BlockRecord& b : results.blocks) {
        if (!b.canonical) continue;
        const auto it = final_at_.lower_bound(b.number);
        if (it == final_at_.end()) continue;
        const double s = (it->second - b.sealed).to_seconds_f64();
        exposure_sum += s;
        exposure_max = std::max(exposure_max, s);
        ++exposed;
    }
    double detection_sum = 0;
    std::uint64_t detection_n = 0;
    for (const auto& [hash, at] : detected_) {
        if (const auto it = sealed.find(hash); it != sealed.end()) {
            detection_sum += (at - it->second).to_seconds_f64();
            ++detection_n;
        }
    }
    // The mainchain.
    std::uint64_t stale = 0;
    for (std::uint32_t i = 1; i < m.blocks().size(); ++i) {
        const Mainchain::Block& b = m.blocks()[i];
        MainchainBlockRecord rec;
        rec.height = b.height;
        rec.index = i;
        rec.parent = b.parent;
        rec.miner = static_cast<std::uint16_t>(b.miner);
        rec.mined = b.mined;
        rec.published = b.published;
        rec.canonical = m.on_reader_chain(i);
        rec.attack = b.attack;
        rec.txs = static_cast<std::uint32_t>(b.txs.size());
        if (!rec.canonical) ++stale;
        results.mainchain.push_back(rec);
    }
    results.miner_names = m.miner_names();
    std::uint32_t reorg_max = 0;
    for (const auto& g : m.reader_reorgs()) reorg_max = std::max(reorg_max, g.depth);
    // Allocation (workload.clouds.allocate_after): latency from the redeem's submission,
    // and allocations whose redeem is not a success on the reference chain (unbacked).
    double allocation_sum = 0;
    std::uint64_t allocations = 0, unbacked = 0;
    for (const RedemptionRecord& r : results.redemptions) {
        if (!r.allocated || !r.submitted) continue;
        ++allocations;
        allocation_sum += (*r.allocated - *r.submitted).to_seconds_f64();
        if (!r.success) ++unbacked;
    }
    // Nodes whose fork choice holds the latest final checkpoint at the end.
    std::uint64_t holding = 0;
    for (std::size_t n = 0; n < ctx_.hosts.size(); ++n) {
        const auto& f = ctx_.hosts.node(static_cast<net::NodeId>(n)).chain().final_checkpoint();
        holding += f && f->height == final_height_;
    }
    const auto mean = [](double sum, std::uint64_t n) { return n == 0 ? 0.0 : sum / static_cast<double>(n); };
    auto& out = results.metrics;
    out.push_back({"checkpoints_final", static_cast<double>(finals), "count"});
    out.push_back({"checkpoint_nodes_final", static_cast<double>(holding), "count"});
    out.push_back({"checkpoint_latency_mean_s", mean(latency_sum, finals), "s"});
    out.push_back({"checkpoint_latency_max_s", latency_max, "s"});
    out.push_back({"checkpoint_submissions", static_cast<double>(submissions), "count"});
    out.push_back({"checkpoint_resubmissions", static_cast<double>(resubmissions), "count"});
    out.push_back({"checkpoint_rejections", static_cast<double>(rejections), "count"});
    out.push_back({"checkpoint_conflicts", static_cast<double>(conflicts), "count"});
    out.push_back({"checkpoint_finality_lost", static_cast<double>(finality_lost_.size()), "count"});
    out.push_back({"checkpoint_vote_messages", static_cast<double>(vote_messages_), "count"});
    out.push_back({"checkpoint_exposure_mean_s", mean(exposure_sum, exposed), "s"});
    out.push_back({"checkpoint_exposure_max_s", exposure_max, "s"});
    out.push_back({"checkpoint_detections", static_cast<double>(detections_), "count"});
    out.push_back({"checkpoint_detected_blocks", static_cast<double>(detected_.size()), "count"});
    out.push_back({"checkpoint_detection_delay_mean_s", mean(detection_sum, detection_n), "s"});
    out.push_back({"checkpoint_rollbacks", static_cast<double>(rollbacks_), "count"});
    out.push_back({"checkpoint_rolled_back_max", static_cast<double>(rolled_back_max_), "blocks"});
    out.push_back({"checkpoint_finals_refused", static_cast<double>(finals_refused_), "count"});
    out.push_back({"mainchain_blocks", static_cast<double>(m.blocks().size() - 1), "count"});
    out.push_back({"mainchain_stale_blocks", static_cast<double>(stale), "count"});
    out.push_back({"mainchain_fork_rate",
                   m.blocks().size() > 1
                       ? static_cast<double>(stale) / static_cast<double>(m.blocks().size() - 1)
                       : 0.0,
                   "1"});
    out.push_back({"mainchain_reorg_max", static_cast<double>(reorg_max), "blocks"});
    if (m.attack_started())
        out.push_back({"mainchain_attack_start_s", m.attack_started()->to_seconds_f64(), "s"});
    if (m.attack_released())
        out.push_back({"mainchain_attack_release_s", m.attack_released()->to_seconds_f64(), "s"});
    out.push_back({"allocation_latency_mean_s", mean(allocation_sum, allocations), "s"});
    out.push_back({"allocations_unbacked", static_cast<double>(unbacked), "count"});
}

}  // namespace cl::sim::world
