// The per-sender token bucket of transaction admission (shared/spec/promo-pool.md §5:
// burst 5, refill 1 per 60 s), in exact integer arithmetic on nanoseconds.
//
// A bucket holds at most `burst` tokens and gains one every `refill_interval`; admitting
// a transaction takes one. It is stored as a single time, the "theoretical arrival time"
// `tat` of the generic cell rate algorithm (GCRA, ITU-T I.371), which is this same bucket
// with its fractional token kept exactly:
//
//   no state, or tat <= now:  the bucket is full (burst tokens); state can be forgotten
//   tat > now:                tokens(now) = burst − ceil((tat − now) / refill_interval)
//   take at now:              REQUIRES tokens(now) >= 1; tat' = max(tat, now) + refill_interval
//
// Example (burst 5, 60 s): five takes at t = 0 leave tat = 300 s; at 59.999… s there are
// 0 tokens, at 60 s one, at 150 s two (and half a token carried: after a take at 150 s,
// there are two again at 180 s). Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace cl::txpool {

struct RateLimit {
    std::uint64_t burst = 5;                                              // §5 burst
    std::chrono::nanoseconds refill_interval = std::chrono::seconds(60);  // §5: 1 token per interval
};

// Whole tokens in the bucket at `now`. REQUIRES: limit.refill_interval > 0 and
// burst × refill_interval fits in std::chrono::nanoseconds (292 years).
inline std::uint64_t bucket_tokens(const RateLimit& limit, std::optional<std::chrono::nanoseconds> tat,
                                   std::chrono::nanoseconds now) {
    if (!tat || *tat <= now) return limit.burst;
    const std::int64_t interval = limit.refill_interval.count();
    const std::int64_t owed = ((*tat - now).count() + interval - 1) / interval;  // ceil
    const auto owed_u = static_cast<std::uint64_t>(owed);
    return owed_u >= limit.burst ? 0 : limit.burst - owed_u;
}

// The bucket's state after taking one token at `now`. REQUIRES: bucket_tokens(...) >= 1.
inline std::chrono::nanoseconds bucket_take(const RateLimit& limit,
                                            std::optional<std::chrono::nanoseconds> tat,
                                            std::chrono::nanoseconds now) {
    return std::max(tat.value_or(now), now) + limit.refill_interval;
}

}  // namespace cl::txpool
