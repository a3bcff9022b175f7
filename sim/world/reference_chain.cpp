#include "sim/world/reference_chain.hpp"

#include <algorithm>

#include "protocol/clique/fork_choice.hpp"
#include "protocol/core/assert.hpp"

namespace cl::sim::world {

const BlockEntry& ReferenceChain::end_head(std::size_t n) const {
    const clique::Chain& chain = hosts_.node(static_cast<net::NodeId>(n)).chain();
    const BlockEntry& head = chain.head();
    if (head.header.number == 0 || recorder_.recorded(head.hash)) return head;
    const BlockEntry* parent = chain.tree().find(head.header.parent_hash);
    CL_ASSERT(parent != nullptr && (parent->header.number == 0 || recorder_.recorded(parent->hash)));
    return *parent;
}

const BlockEntry& ReferenceChain::current_head(std::size_t n) const {
    return hosts_.within_run() ? hosts_.node(static_cast<net::NodeId>(n)).head() : end_head(n);
}

net::NodeId ReferenceChain::reference_node(bool online_only) {
    if (!rng_) rng_ = streams_.stream("world/reference");
    std::optional<net::NodeId> best;
    clique::HeadView best_view;
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
        const auto n = static_cast<net::NodeId>(i);
        if (online_only && !hosts_.up(n)) continue;
        const clique::Chain& chain = hosts_.node(n).chain();
        const clique::HeadView view = chain.head_view(online_only ? current_head(i) : end_head(i));
        if (!best || clique::prefer_candidate(clique_, best_view, view, *rng_)) {
            best = n;
            best_view = view;
        }
    }
    return best.value_or(0);
}

std::vector<std::uint64_t> pool_remaining(const state::LedgerState& state, std::size_t tiers) {
    std::vector<std::uint64_t> remaining;
    for (std::uint64_t t = 0; t < tiers; ++t) {
        const state::TierEntry tier = state.tier(t);
        remaining.push_back(tier.capacity - std::min(tier.capacity, tier.used()));
    }
    return remaining;
}

}  // namespace cl::sim::world
