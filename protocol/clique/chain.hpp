// A Clique chain as one node sees it: the block tree, the snapshot after every stored
// block, and the canonical head chosen by the configured fork choice.
//
// import() runs the whole pipeline for one header — §4 verification against its parent,
// §6 Snapshot.apply, insertion into the tree, fork choice against the current head —
// and reports a reorganisation if the head moved off its branch. Rejected headers leave
// the chain unchanged. Not thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <unordered_map>

#include "protocol/chain/block_tree.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/errors.hpp"
#include "protocol/clique/fork_choice.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/core/random.hpp"

namespace cl::clique {

struct ImportResult {
    const BlockEntry* block = nullptr;
    bool already_known = false;  // the header was stored before; nothing changed
    bool new_head = false;       // the block became the canonical head
    std::optional<Reorg> reorg;  // set when the head moved to another branch (depth ≥ 1)
};

class Chain {
  public:
    // REQUIRES: genesis.extra lists the initial signers (a checkpoint extraData).
    Chain(const Config& config, Header genesis);

    // `now`: seconds since the Unix epoch (future-dated headers are rejected).
    // A header whose parent is not stored fails with kUnknownAncestor.
    std::expected<ImportResult, Error> import(Header header, std::uint64_t now, RandomSource& rng);

    const Config& config() const { return config_; }
    const BlockTree& tree() const { return tree_; }
    const BlockEntry& head() const { return tree_.head(); }
    // REQUIRES: the block is stored.
    const Snapshot& snapshot(const Hash32& block) const;
    const Address& signer(const Hash32& block) const;
    HeadView head_view(const BlockEntry& block) const;

  private:
    struct Meta {
        Snapshot snapshot;  // after the block
        Address signer;     // zero for genesis
    };
    const Meta& meta(const Hash32& block) const;

    Config config_;
    BlockTree tree_;
    std::unordered_map<Hash32, Meta> meta_;  // lookup only; never iterated
};

}  // namespace cl::clique
