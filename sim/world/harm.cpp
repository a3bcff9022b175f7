#include "sim/world/harm.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/world/genesis.hpp"

namespace cl::sim::world {

Harm measure_harm(const WorldConfig& config, const state::LedgerState& final_state,
                  const WorldResults& results) {
    Harm h;
    // A code's value: the instance-hours of its tier (the final chain's entry, else the
    // request's tier, else 0).
    std::map<Hash32, std::uint16_t> requested_tier;
    for (const RequestRecord& r : results.requests) requested_tier.emplace(r.tx, r.tier);
    auto hours = [&](const Hash32& code) -> double {
        std::optional<std::uint64_t> tier;
        if (auto entry = final_state.code(code))
            tier = entry->tier;
        else if (auto it = requested_tier.find(code); it != requested_tier.end())
            tier = it->second;
        return tier && *tier < config.tiers.size() ? static_cast<double>(config.tiers[*tier].hours) : 0.0;
    };
    std::vector<Address> operators;
    for (std::size_t c = 0; c < config.clouds.size(); ++c)
        operators.push_back(address_of(operator_key(config, c)));
    std::map<Hash32, std::set<std::uint16_t>> allocated_by;  // code → clouds that allocated it
    for (const RedemptionRecord& r : results.redemptions) {
        if (!r.allocated) continue;
        ++h.allocations;
        allocated_by[r.code].insert(r.cloud);
        const auto entry = final_state.code(r.code);
        const bool credited = entry && entry->status == state::CodeStatus::kRedeemed &&
                              r.cloud < operators.size() && entry->redeemed_by == operators[r.cloud];
        if (!r.success || !credited) {
            ++h.unbacked_allocations;
            h.unbacked_instance_hours += hours(r.code);
        }
    }
    for (const auto& [code, clouds] : allocated_by) {
        if (clouds.size() < 2) continue;
        h.double_allocations += clouds.size() - 1;
        h.double_allocation_instance_hours += static_cast<double>(clouds.size() - 1) * hours(code);
    }
    // Erased confirmations: a transaction its sender's (or the cloud's) node showed with k
    // blocks on top that did not succeed on the final chain.
    for (const RequestRecord& r : results.requests)
        h.erased_confirmations += r.confirmed && !r.success ? 1 : 0;
    for (const TransferRecord& r : results.transfers)
        h.erased_confirmations += r.confirmed && !r.success ? 1 : 0;
    for (const RenewalRecord& r : results.renewals)
        h.erased_confirmations += r.confirmed && !r.success ? 1 : 0;
    for (const RedemptionRecord& r : results.redemptions)
        h.erased_confirmations += r.allocated && !r.success ? 1 : 0;
    h.deepest_reorg.assign(results.final_heads.size(), 0);
    for (const ReorgRecord& r : results.reorgs) {
        if (r.node >= h.deepest_reorg.size()) h.deepest_reorg.resize(r.node + 1, 0);
        h.deepest_reorg[r.node] = std::max(h.deepest_reorg[r.node], r.depth);
    }
    // NDSS "decided": canonical block b is decided at the seal of the first canonical block
    // c >= b such that b..c were sealed by more than N/2 distinct sealers.
    std::vector<const BlockRecord*> chain;
    for (const BlockRecord& b : results.blocks)
        if (b.canonical) chain.push_back(&b);
    std::sort(chain.begin(), chain.end(),
              [](const BlockRecord* a, const BlockRecord* b) { return a->number < b->number; });
    const std::size_t n = genesis_cloud_count(config);  // clouds that join later: not counted
    for (std::size_t i = 0; i < chain.size(); ++i) {
        std::set<Address> sealers;
        for (std::size_t j = i; j < chain.size(); ++j) {
            sealers.insert(chain[j]->signer);
            if (2 * sealers.size() > n) {
                h.decided_delays.push_back(chain[j]->sealed - chain[i]->sealed);
                break;
            }
        }
    }
    h.blocks_decided = h.decided_delays.size();
    return h;
}

}  // namespace cl::sim::world
