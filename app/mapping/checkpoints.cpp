// The `checkpoints` and `mainchain` tables (docs/metrics.md; sim/world/checkpoints.hpp) and
// their code books: rejection reasons (0 "none", then checkpoint::Reason in order) and the
// mainchain's miners (the attacker last). The checkpoint summary metrics come with the
// world's own metrics (WorldResults::metrics).
#include "app/mapping/mappers.hpp"

#include "protocol/checkpoint/contract.hpp"

namespace cl::app::mapping {

void map_checkpoints(const sim::world::WorldResults& world, analysis::RunResults& run) {
    auto& reasons = run.codes.checkpoint_rejections;
    reasons = {"none"};
    for (int r = 0; r <= static_cast<int>(checkpoint::Reason::kConflict); ++r)
        reasons.emplace_back(checkpoint::name(static_cast<checkpoint::Reason>(r)));
    run.codes.miners = world.miner_names;
    for (const auto& c : world.checkpoints) {
        analysis::CheckpointRow row;
        row.height = c.height;
        row.block_hash = bytes(c.block_hash);
        row.state_root = bytes(c.state_root);
        row.votes = c.votes;
        if (c.submitter) row.submitter = *c.submitter;
        row.sealed_ns = ns(c.sealed);
        row.submitted_ns = ns(c.submitted);
        row.submissions = c.submissions;
        row.included_ns = ns(c.included);
        row.final_ns = ns(c.final);
        row.rejections = c.rejections;
        if (c.first_rejection)
            row.rejection = static_cast<std::uint8_t>(static_cast<int>(*c.first_rejection) + 1);
        row.conflicts = c.conflicts;
        row.double_signers = c.double_signers;
        run.checkpoints.push_back(row);
    }
    for (const auto& b : world.mainchain) {
        run.mainchain.push_back(analysis::MainchainRow{
            b.index, b.parent, b.height, b.miner, ns(b.mined), ns(b.published),
            static_cast<std::uint8_t>(b.canonical), static_cast<std::uint8_t>(b.attack), b.txs});
    }
}

}  // namespace cl::app::mapping
