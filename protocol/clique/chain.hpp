// A Clique chain as one node sees it: the block tree, the snapshot after every stored
// block, and the canonical head chosen by the configured fork choice.
//
// import() runs the whole pipeline for one header — §4 verification against its parent,
// §6 Snapshot.apply, insertion into the tree, fork choice against the current head —
// and reports a reorganisation if the head moved off its branch. Rejected headers leave
// the chain unchanged.
//
// Finality (shared/spec/checkpoint.md §4): once set_final_checkpoint() was called, fork
// choice never moves the head to a block that conflicts with the latest final
// checkpoint (checkpoint::relation()), whatever its difficulty; such a block is stored
// (so it is neither fetched again nor its descendants kept as orphans) and reported by
// insert(), but never becomes the head. Unset by default: the chain behaves exactly as
// without checkpoints (not even a random draw differs). Not thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <vector>

#include "protocol/chain/block_tree.hpp"
#include "protocol/checkpoint/finality.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/errors.hpp"
#include "protocol/clique/fork_choice.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/clique/verify.hpp"
#include "protocol/core/random.hpp"

namespace cl::clique {

// What Chain::set_final_checkpoint() did with a checkpoint the mainchain made final.
enum class FinalOutcome {
    kAccepted,      // it is (or a later one on its chain already was) the final checkpoint
    kUnknownBlock,  // refused for now: the block that decides it is not stored yet
    kConflicting,   // refused: not on the chain of the final checkpoint already held
};
struct FinalUpdate {
    FinalOutcome outcome = FinalOutcome::kAccepted;
    std::optional<Reorg> reorg;  // kAccepted only: the head rolled back off a conflicting branch
};

struct ImportResult {
    const BlockEntry* block = nullptr;
    bool already_known = false;  // the header was stored before; nothing changed
    bool new_head = false;       // the block became the canonical head
    std::optional<Reorg> reorg;  // set when the head moved to another branch (depth ≥ 1)
    // checkpoint §4: the block conflicts with the final checkpoint; stored, never the head.
    bool conflicts_final_checkpoint = false;
};

// What a caller may already have computed from a header (pure values, shared across
// simulated nodes, DESIGN.md §5); each must equal what the chain would compute itself.
struct ImportHints {
    const Hash32* hash = nullptr;            // block_hash(header)
    const SealerRecovery* sealer = nullptr;  // recover_sealer(header)
    // The snapshot after the header, as another chain computed it (a pure function of the
    // block hash): verify() takes it instead of applying the header to the parent's.
    const std::shared_ptr<const Snapshot>* snapshot = nullptr;
};

// The facts of stored blocks that are a pure function of the block hash, shared by the
// chains of simulated nodes (DESIGN.md §5): the block index and, per block id, the
// snapshot after the block and its signer. A standalone chain has a private one.
struct ChainIndex {
    struct Meta {
        std::shared_ptr<const Snapshot> snapshot;  // after the block; null: not set yet
        Address signer;                            // zero for genesis
    };
    // Aliases `blocks` for the chain's BlockTree, keeping the whole ChainIndex alive.
    static std::shared_ptr<BlockIndex> blocks_of(const std::shared_ptr<ChainIndex>& index) {
        return {index, &index->blocks};
    }

    BlockIndex blocks;
    std::vector<Meta> meta;  // by block id
};

class Chain {
  public:
    // REQUIRES: genesis.extra lists the initial signers (a checkpoint extraData), and
    // every chain sharing `index` (null: a private one) has the same configuration and
    // genesis.
    Chain(const Config& config, Header genesis, std::shared_ptr<ChainIndex> index = nullptr);

    // `now`: seconds since the Unix epoch (future-dated headers are rejected).
    // A header whose parent is not stored fails with kUnknownAncestor.
    // `hints` may carry what the caller already computed from the header.
    std::expected<ImportResult, Error> import(Header header, std::uint64_t now, RandomSource& rng,
                                              ImportHints hints = {});

    // import() in two steps, for callers that must check more than the header (the
    // ledger's state root) between verification and insertion. verify() changes nothing.
    struct Verified {
        Hash32 hash;
        Address signer;
        // After the header. Shared and immutable: a caller that already holds an equal
        // snapshot of the same block (another simulated node's) may put that one here.
        std::shared_ptr<const Snapshot> snapshot;
    };
    // REQUIRES: the header is not stored yet (check tree().find()).
    std::expected<Verified, Error> verify(const Header& header, std::uint64_t now,
                                          ImportHints hints = {}) const;
    // REQUIRES: `verified` is verify(header)'s result and the header is not stored yet.
    // The chain keeps `header` itself (shared, not copied).
    ImportResult insert(std::shared_ptr<const Header> header, Verified verified, RandomSource& rng);
    ImportResult insert(Header header, Verified verified, RandomSource& rng) {
        return insert(std::make_shared<const Header>(std::move(header)), std::move(verified), rng);
    }

    // checkpoint §4: from now on `final` is the latest final checkpoint, unless it is
    // refused (below). When the head conflicts with it, the head moves to the stored block
    // of highest total difficulty (first seen among equals) that does not, and the
    // reorganisation is returned (its dropped blocks are the rolled-back history).
    //
    // Final means final: a checkpoint that is not on the same chain as the final
    // checkpoint already held is refused (kConflicting) and the earlier one stays. Only a
    // threshold of validators certifying two histories can produce one, and the contract
    // cannot see it (it checks heights and signatures, not that checkpoint h + interval
    // extends h). Whether it is on the same chain can only be told from the higher of the
    // two blocks: while the node does not hold it, the update is refused as
    // kUnknownBlock, and the caller offers it again once the block is stored. The first
    // final checkpoint is always taken (its block may still be missing: fork choice then
    // keeps the chains that cannot be judged yet eligible, checkpoint::may_choose).
    // Cost: O(1) tree walks normally; a scan of the stored blocks when the head moves.
    FinalUpdate set_final_checkpoint(const checkpoint::FinalCheckpoint& final);
    const std::optional<checkpoint::FinalCheckpoint>& final_checkpoint() const { return final_; }
    // How the chain ending at a stored block relates to the final checkpoint.
    // REQUIRES: final_checkpoint() is set and the block is stored.
    checkpoint::Relation final_relation(const Hash32& block) const;

    const Config& config() const { return config_; }
    const BlockTree& tree() const { return tree_; }
    const BlockEntry& head() const { return tree_.head(); }
    // REQUIRES: the block is stored.
    const Snapshot& snapshot(const Hash32& block) const;
    Address signer(const Hash32& block) const;  // by value: the meta array may grow
    HeadView head_view(const BlockEntry& block) const;

  private:
    using Meta = ChainIndex::Meta;
    const Meta& meta(const Hash32& block) const;
    const Meta& meta(const BlockEntry& block) const { return index_->meta[block.id]; }
    void set_meta(const BlockEntry& block, std::shared_ptr<const Snapshot> snapshot, const Address& signer);

    Config config_;
    std::shared_ptr<ChainIndex> index_;  // never null
    BlockTree tree_;                     // shares index_->blocks
    std::optional<checkpoint::FinalCheckpoint> final_;
};

}  // namespace cl::clique
