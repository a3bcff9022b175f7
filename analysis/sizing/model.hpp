// The analytic cross-check of `cloudledger size-pool` (docs/sizing.md "The model"): a
// stock model of one tier of the promo pool, in closed form.
//
//   users      a = λ·T: expected users asking for the tier during the run (Poisson)
//   clouds     C, each contributing q units (the pool holds K = C·q)
//   present    w = ρ·σ: a holder presents its code (redeem_probability ρ) and passes the
//              cloud's screening (pass_probability σ); the cloud is chosen uniformly
//   ttl        L: a code not redeemed returns its unit after L (reclaim), or never
//
// Pool stage. Units in use at time τ in the infinite-capacity system are Poisson with
// mean m(τ) = λ·(τ − θ·(τ − L)^+), θ = 1 − w the share of codes that come back (0 without
// reclaim): the M_t/G/∞ occupancy. An arrival is refused when m's Poisson count is ≥ K, so
//   R_pool = ∫_0^T λ·P(Pois(m(τ)) ≥ K) dτ
//          = X(m_L) + (X(m_T) − X(m_L)) / (1 − θ)       (θ < 1; X(m) = E[(Pois(m) − K)^+])
// with m_L = m(min(L, T)), m_T = m(T), since dX/dm = P(Pois(m) ≥ K). Without expiry within
// the run (L ≥ T) it is X(λT): exactly the expected number of users past the K-th.
// Cloud stage. The issued codes I = a − R_pool that are presented and pass, n = w·I, go
// to a cloud each, chosen uniformly: Binomial(n, 1/C) at one cloud, of which
// R_cloud = C·E[(Binomial(n, 1/C) − q)^+] find the cloud's quota used up (binomial.hpp;
// with one cloud, n ≤ K = q: none).
// Served fraction (as the simulation counts it, analysis/sizing/outcome.hpp):
//   f = S / (S + w·R_pool + R_cloud),  S = w·I − R_cloud.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

namespace cl::analysis::sizing {

struct TierModel {
    double users = 0;          // a: expected users asking for the tier in the run
    double duration_s = 0;     // T > 0
    double ttl_s = 0;          // L > 0 (>= T: nothing expires within the run)
    std::uint64_t clouds = 1;  // C >= 1
    double present = 1;        // w in [0, 1]
    bool reclaim = true;
};

struct ModelOutcome {
    double pool_refused = 0;   // R_pool, users
    double cloud_refused = 0;  // R_cloud, users
    double served = 0;         // S, users
    double fraction = 0;       // f; NaN when nobody asks (a = 0 or w = 0)
};

// The model at `quota` units per cloud.
ModelOutcome evaluate(const TierModel& m, std::uint64_t quota);
// The same with a shared budget: no cloud stage (R_cloud = 0) — the quota per cloud the
// pool alone would need, were the clouds' units one budget.
ModelOutcome evaluate_pool_only(const TierModel& m, std::uint64_t quota);

// The smallest quota per cloud whose fraction is >= target (0 when nobody asks), by
// doubling then bisection (f is increasing in the quota); nullopt when even 2^40 units
// fall short. REQUIRES: 0 < target <= 1.
std::optional<std::uint64_t> quota_for(const TierModel& m, double target, bool pool_only = false);

}  // namespace cl::analysis::sizing
