#include "protocol/core/random.hpp"

#include "protocol/core/assert.hpp"

namespace cl {

__extension__ using u128 = unsigned __int128;

std::uint64_t uniform_below(RandomSource& rng, std::uint64_t bound) {
    CL_ASSERT(bound > 0);
    u128 m = static_cast<u128>(rng.next_u64()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<u128>(rng.next_u64()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

bool coin_flip(RandomSource& rng) { return (rng.next_u64() >> 63) != 0; }

}  // namespace cl
