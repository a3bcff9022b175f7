#include "analysis/stats/random.hpp"

#include <cryptopp/keccak.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace cl::analysis {
namespace {
__extension__ typedef unsigned __int128 U128;  // GCC/Clang extension (-Wpedantic)
}  // namespace

AnalysisStream AnalysisStream::derive(std::uint64_t seed, std::string_view name) {
    static constexpr std::string_view kDomain = "cloudledger/analysis/rng/v1";
    std::vector<unsigned char> input(kDomain.begin(), kDomain.end());
    for (int shift = 56; shift >= 0; shift -= 8) input.push_back(static_cast<unsigned char>(seed >> shift));
    input.insert(input.end(), name.begin(), name.end());
    std::array<unsigned char, 32> digest{};
    CryptoPP::Keccak_256 keccak;
    keccak.CalculateDigest(digest.data(), input.data(), input.size());
    State state{};
    for (std::size_t k = 0; k < 4; ++k) {
        std::uint64_t w = 0;
        for (std::size_t j = 0; j < 8; ++j) w |= std::uint64_t{digest[8 * k + j]} << (8 * j);
        state[k] = w;
    }
    if ((state[0] | state[1] | state[2] | state[3]) == 0) [[unlikely]] {  // probability 2^-256
        std::fprintf(stderr, "AnalysisStream: all-zero state\n");
        std::abort();
    }
    return AnalysisStream(state);
}

std::uint64_t AnalysisStream::below(std::uint64_t n) {
    if (n == 0) [[unlikely]] {
        std::fprintf(stderr, "AnalysisStream::below: precondition violated: n > 0\n");
        std::abort();
    }
    U128 m = static_cast<U128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
        while (low < threshold) {
            m = static_cast<U128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace cl::analysis
