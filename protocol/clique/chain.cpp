#include "protocol/clique/chain.hpp"

#include "protocol/clique/seal.hpp"
#include "protocol/clique/verify.hpp"
#include "protocol/core/assert.hpp"

namespace cl::clique {

Chain::Chain(const Config& config, Header genesis, std::shared_ptr<ChainIndex> index)
    : config_(config),
      index_(index ? std::move(index) : std::make_shared<ChainIndex>()),
      tree_(std::move(genesis), ChainIndex::blocks_of(index_)) {
    const BlockEntry& g = tree_.genesis();
    if (g.id < index_->meta.size() && index_->meta[g.id].snapshot != nullptr) return;  // shared, set
    set_meta(g,
             std::make_shared<const Snapshot>(
                 Snapshot::at_checkpoint(g.header.number, g.hash, checkpoint_signers(g.header))),
             {});
}

// The first chain to store a block sets its meta; a later one's would be equal (a pure
// function of the block hash), so it is not replaced.
void Chain::set_meta(const BlockEntry& block, std::shared_ptr<const Snapshot> snapshot,
                     const Address& signer) {
    std::vector<Meta>& meta = index_->meta;
    if (block.id >= meta.size()) meta.resize(block.id + 1);
    if (meta[block.id].snapshot == nullptr) meta[block.id] = Meta{std::move(snapshot), signer};
}

const Chain::Meta& Chain::meta(const Hash32& block) const {
    const BlockEntry* b = tree_.find(block);
    CL_ASSERT(b != nullptr);
    return meta(*b);
}

const Snapshot& Chain::snapshot(const Hash32& block) const { return *meta(block).snapshot; }
Address Chain::signer(const Hash32& block) const { return meta(block).signer; }

HeadView Chain::head_view(const BlockEntry& block) const {
    const Meta& m = meta(block);
    HeadView v{block.hash, block.header.number, block.total_difficulty, 0};
    const auto& signers = m.snapshot->signers();
    // A signer that voted itself out has no index after its block; it then ranks as in turn.
    if (auto index = m.snapshot->signer_index(m.signer); index && !signers.empty())
        v.rule3 = rule3_value(block.header.number, *index, signers.size());
    return v;
}

std::expected<ImportResult, Error> Chain::import(Header header, std::uint64_t now, RandomSource& rng,
                                                 ImportHints hints) {
    const Hash32 hash = hints.hash ? *hints.hash : block_hash(header);
    if (const BlockEntry* known = tree_.find(hash)) return ImportResult{known, true, false, std::nullopt};
    hints.hash = &hash;
    auto verified = verify(header, now, hints);
    if (!verified) return std::unexpected(verified.error());
    return insert(std::move(header), std::move(*verified), rng);
}

std::expected<Chain::Verified, Error> Chain::verify(const Header& header, std::uint64_t now,
                                                    ImportHints hints) const {
    const Hash32 hash = hints.hash ? *hints.hash : block_hash(header);
    const BlockEntry* parent = tree_.find(header.parent_hash);
    const Snapshot* parent_snapshot = parent ? meta(*parent).snapshot.get() : nullptr;
    auto signer = verify_header(config_, header, parent ? &parent->header : nullptr, parent_snapshot, now,
                                hints.sealer);
    if (!signer) return std::unexpected(signer.error());
    if (hints.snapshot != nullptr && *hints.snapshot != nullptr)
        return Verified{hash, *signer, *hints.snapshot};
    auto next = parent_snapshot->apply(header, *signer, hash, config_);
    if (!next) return std::unexpected(next.error());
    return Verified{hash, *signer, std::make_shared<const Snapshot>(std::move(*next))};
}

ImportResult Chain::insert(std::shared_ptr<const Header> header, Verified verified, RandomSource& rng) {
    CL_ASSERT(verified.snapshot != nullptr);
    const Hash32 hash = verified.hash;
    auto inserted = tree_.insert(std::move(header), hash);
    CL_ASSERT(inserted.has_value());  // parent present, number checked by verification
    const BlockEntry* block = *inserted;
    set_meta(*block, std::move(verified.snapshot), verified.signer);

    ImportResult result{block, false, false, std::nullopt};
    if (final_ && !checkpoint::may_choose(final_relation(hash))) {
        result.conflicts_final_checkpoint = true;  // checkpoint §4: never chosen, whatever its TD
        return result;
    }
    if (prefer_candidate(config_, head_view(tree_.head()), head_view(*block), rng)) {
        Reorg reorg = tree_.set_head(hash);
        result.new_head = true;
        if (reorg.depth() > 0) result.reorg = std::move(reorg);
    }
    return result;
}

checkpoint::Relation Chain::final_relation(const Hash32& block) const {
    CL_ASSERT(final_.has_value());
    const checkpoint::TreeChainView chain(tree_, block);
    const BlockEntry* cp = tree_.find(final_->block_hash);
    if (cp == nullptr || cp->header.number != final_->height)
        return checkpoint::relation(*final_, chain, nullptr);
    const checkpoint::TreeChainView cp_chain(tree_, cp->hash);
    return checkpoint::relation(*final_, chain, &cp_chain);
}

FinalUpdate Chain::set_final_checkpoint(const checkpoint::FinalCheckpoint& final) {
    if (final_ && final != *final_) {
        const bool higher = final.height > final_->height;
        const checkpoint::FinalCheckpoint& lower = higher ? *final_ : final;
        const checkpoint::FinalCheckpoint& upper = higher ? final : *final_;
        const BlockEntry* top = tree_.find(upper.block_hash);
        if (top == nullptr || top->header.number != upper.height) return {FinalOutcome::kUnknownBlock, {}};
        if (checkpoint::relation(lower, checkpoint::TreeChainView(tree_, top->hash), nullptr) !=
            checkpoint::Relation::kContains)
            return {FinalOutcome::kConflicting, {}};
        if (!higher) return {};  // implied by the later final checkpoint already held
    }
    final_ = final;
    if (checkpoint::may_choose(final_relation(tree_.head().hash))) return {};
    // The best block fork choice may take: highest TD, then first seen (this chain's own
    // arrival order). A strict total order, so the result does not depend on the order
    // of the scan. Genesis always qualifies (it is on every checkpoint's path).
    const BlockEntry* best = &tree_.genesis();
    tree_.for_each([&](const BlockEntry& b) {
        if (b.total_difficulty < best->total_difficulty ||
            (b.total_difficulty == best->total_difficulty && tree_.arrival(b) >= tree_.arrival(*best)))
            return;
        if (checkpoint::may_choose(final_relation(b.hash))) best = &b;
    });
    return {FinalOutcome::kAccepted, tree_.set_head(best->hash)};
}

}  // namespace cl::clique
