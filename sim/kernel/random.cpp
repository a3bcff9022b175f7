#include "sim/kernel/random.hpp"

#include <string_view>

#include "protocol/core/assert.hpp"
#include "protocol/core/bytes.hpp"
#include "protocol/core/keccak.hpp"

namespace cl::sim {

Xoshiro256StarStar::Xoshiro256StarStar(const State& state) : s_(state) {
    CL_ASSERT((s_[0] | s_[1] | s_[2] | s_[3]) != 0);
}

void Xoshiro256StarStar::jump() {
    static constexpr std::uint64_t kJump[] = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
                                              0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL};
    State acc{};
    for (const std::uint64_t word : kJump) {
        for (int b = 0; b < 64; ++b) {
            if ((word & (std::uint64_t{1} << b)) != 0) {
                for (int k = 0; k < 4; ++k)
                    acc[static_cast<std::size_t>(k)] ^= s_[static_cast<std::size_t>(k)];
            }
            next();
        }
    }
    s_ = acc;
}

RandomStream RandomStream::derive(std::uint64_t seed, std::uint64_t replication, std::string_view name) {
    static constexpr std::string_view kDomain = "cloudledger/sim/rng/v1";
    Bytes input;
    input.reserve(kDomain.size() + 16 + name.size());
    input.insert(input.end(), kDomain.begin(), kDomain.end());
    for (const std::uint64_t v : {seed, replication}) {
        for (int shift = 56; shift >= 0; shift -= 8) input.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    input.insert(input.end(), name.begin(), name.end());
    const Hash32 digest = keccak256(input);
    Xoshiro256StarStar::State state{};
    for (std::size_t k = 0; k < 4; ++k) {
        std::uint64_t w = 0;
        for (std::size_t j = 0; j < 8; ++j) w |= std::uint64_t{digest.bytes[8 * k + j]} << (8 * j);
        state[k] = w;
    }
    // An all-zero digest has probability 2^-256; the generator's constructor asserts it.
    return RandomStream(state);
}

}  // namespace cl::sim
