#include "protocol/state/ttl_policy.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"

namespace cl::state {
namespace {

class FixedTtl final : public TtlPolicy {
  public:
    explicit FixedTtl(std::uint64_t blocks) : blocks_(blocks) {}
    std::uint64_t ttl_blocks(std::uint64_t, TierUse) const override { return blocks_; }

  private:
    std::uint64_t blocks_;
};

class PerTierTtl final : public TtlPolicy {
  public:
    explicit PerTierTtl(std::vector<std::uint64_t> blocks) : blocks_(std::move(blocks)) {}
    std::uint64_t ttl_blocks(std::uint64_t tier, TierUse) const override {
        CL_ASSERT(tier < blocks_.size());
        return blocks_[tier];
    }

  private:
    std::vector<std::uint64_t> blocks_;
};

class RenewableTtl final : public TtlPolicy {
  public:
    RenewableTtl(std::uint64_t blocks, std::uint64_t max_renewals)
        : blocks_(blocks), max_renewals_(max_renewals) {}
    std::uint64_t ttl_blocks(std::uint64_t, TierUse) const override { return blocks_; }
    std::optional<std::uint64_t> max_renewals() const override { return max_renewals_; }
    std::uint64_t renewal_blocks() const override { return blocks_; }

  private:
    std::uint64_t blocks_;
    std::uint64_t max_renewals_;
};

class AdaptiveTtl final : public TtlPolicy {
  public:
    explicit AdaptiveTtl(const TtlConfig& c) : base_(c.base_ttl), min_(c.min_ttl), k_(c.exponent) {}
    std::uint64_t ttl_blocks(std::uint64_t, TierUse use) const override {
        return adaptive_ttl(base_, min_, k_, use);
    }

  private:
    std::uint64_t base_, min_, k_;
};

}  // namespace

// (1 − used/capacity) is held as a 64.64 fixed-point fraction f ∈ (0, 1]; f^k is formed
// by k truncating multiplications (error < k · 2^-64, far below the 0.5-block rounding
// step for any base_ttl < 2^40), and base × f^k is rounded half up.
std::uint64_t adaptive_ttl(std::uint64_t base_ttl, std::uint64_t min_ttl, std::uint64_t k, TierUse use) {
    CL_ASSERT(use.capacity > 0 && use.used < use.capacity);
    __extension__ typedef unsigned __int128 u128;  // GCC/Clang extension; -Wpedantic knows it
    const u128 one = u128{1} << 64;
    const u128 free_fraction = (u128{use.capacity - use.used} << 64) / use.capacity;  // ≤ 2^64
    u128 power = one;
    if (free_fraction < one) {  // both factors ≤ 2^64 and one below it: the product fits
        for (std::uint64_t i = 0; i < k; ++i) power = (power * free_fraction) >> 64;
    }
    // power ≤ 2^64 and base_ttl < 2^64, so the product is below 2^128.
    const auto rounded = static_cast<std::uint64_t>((u128{base_ttl} * power + (one >> 1)) >> 64);
    return std::max(min_ttl, rounded);
}

std::unique_ptr<TtlPolicy> make_ttl_policy(const TtlConfig& config) {
    switch (config.kind) {
        case TtlKind::kFixed:
            return std::make_unique<FixedTtl>(config.ttl_blocks);
        case TtlKind::kPerTier:
            return std::make_unique<PerTierTtl>(config.per_tier_blocks);
        case TtlKind::kRenewable:
            return std::make_unique<RenewableTtl>(config.ttl_blocks, config.max_renewals);
        case TtlKind::kAdaptive:
            return std::make_unique<AdaptiveTtl>(config);
    }
    CL_ASSERT(false);
    return nullptr;
}

}  // namespace cl::state
