// TTL policies of the promo pool (shared/spec/promo-pool.md §3 "TTL policies"), behind one
// small interface with a factory from configuration.
//
// All arithmetic is integer: `adaptive` evaluates (1 − u)^k in 64.64 fixed point (see
// ttl_policy.cpp), so every machine computes the same expiry height.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "protocol/state/config.hpp"

namespace cl::state {

// How full a tier is when a code is issued: used = live + redeemed (+ burned).
struct TierUse {
    std::uint64_t used = 0;
    std::uint64_t capacity = 0;  // REQUIRES: used < capacity (a code is being issued)
};

class TtlPolicy {
  public:
    virtual ~TtlPolicy() = default;
    // Blocks from issue to expiry for a code of `tier` issued at `use`; always ≥ 1.
    virtual std::uint64_t ttl_blocks(std::uint64_t tier, TierUse use) const = 0;
    // renewable: how many renewals a code may have (nullopt: renewing is not allowed)
    // and by how many blocks, from the renewal block, each one extends it.
    virtual std::optional<std::uint64_t> max_renewals() const { return std::nullopt; }
    virtual std::uint64_t renewal_blocks() const { return 0; }
};

// REQUIRES: validate() accepted the configuration the TtlConfig belongs to.
std::unique_ptr<TtlPolicy> make_ttl_policy(const TtlConfig& config);

// adaptive: max(min_ttl, round(base_ttl × (1 − used/capacity)^k)), exposed for tests.
std::uint64_t adaptive_ttl(std::uint64_t base_ttl, std::uint64_t min_ttl, std::uint64_t k, TierUse use);

}  // namespace cl::state
