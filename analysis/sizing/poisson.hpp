// Poisson tail quantities of the pool-sizing model (docs/sizing.md "The model"): for
// N ~ Poisson(m) and an integer capacity k,
//     tail(m, k)   = P(N >= k)
//     excess(m, k) = E[(N − k)^+] = m − k + Σ_{j<k} (k − j) P(N = j)
// computed in log space (log P(N = j) = −m + j·log m − log j!), so means of 10^6 and
// capacities as large are fine; for k >= m the tail sums are taken directly (no
// cancellation: a tail of 10^-300 is still accurate), below m through their complements. Both are increasing
// in m and decreasing in k, and d/dm excess(m, k) = tail(m, k) — the identity the model's closed form rests
// on.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace cl::analysis::sizing {

// REQUIRES: m >= 0 (finite).
double poisson_tail(double m, std::uint64_t k);
double poisson_excess(double m, std::uint64_t k);

}  // namespace cl::analysis::sizing
