// The cloud stage of the pool-sizing model (docs/sizing.md "The model"): n presented
// codes, each taken to one of C clouds chosen uniformly, put B ~ Binomial(n, 1/C) at one
// cloud, of which E[(B − q)^+] find its quota q used up. For a non-integer n (an expected
// count) the excess is interpolated linearly between ⌊n⌋ and ⌈n⌉. Computed in log space
// (log P(B = j) = log C(n, j) + j·log p + (n − j)·log(1 − p)), so n of 10^6 is fine.
// With C = 1 (p = 1), B = n: the excess is (n − q)^+.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace cl::analysis::sizing {

// E[(B − q)^+] for B ~ Binomial(n, p). REQUIRES: n >= 0, 0 <= p <= 1.
double binomial_excess(double n, double p, std::uint64_t q);

}  // namespace cl::analysis::sizing
