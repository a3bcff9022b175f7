// Test support for protocol/checkpoint: validators with real keys, sorted by address,
// and signed votes and certificates for a checkpoint.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "protocol/checkpoint/payload.hpp"
#include "protocol/checkpoint/vote.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::checkpoint::test {

inline constexpr std::uint64_t kChainId = 61'777;

struct Validator {
    PrivateKey key;
    Address address;
};

// `count` validators derived from (seed 13, prefix + i), ascending by address.
inline std::vector<Validator> make_validators(std::size_t count, const std::string& prefix = "validator-") {
    std::vector<Validator> out;
    for (std::size_t i = 0; i < count; ++i) {
        const PrivateKey k = derive_private_key(13, prefix + std::to_string(i));
        out.push_back({k, address_of(k)});
    }
    std::sort(out.begin(), out.end(),
              [](const Validator& a, const Validator& b) { return a.address < b.address; });
    return out;
}

inline std::vector<Address> addresses(const std::vector<Validator>& vs) {
    std::vector<Address> out;
    for (const auto& v : vs) out.push_back(v.address);
    std::sort(out.begin(), out.end());
    return out;
}

// A distinct hash per label ("block-120", "root-120", ...).
inline Hash32 label(const std::string& s) {
    return keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

inline Payload payload(std::uint64_t height, const Hash32& block, const Hash32& root,
                       const std::vector<Address>& signer_set) {
    return Payload{kChainId, height, block, root, signer_set_hash(signer_set)};
}

// Signatures of `signers` over `p`, in the order given.
inline std::vector<Signature> sign_all(const Payload& p, const std::vector<Validator>& signers) {
    std::vector<Signature> out;
    for (const auto& v : signers) out.push_back(sign_vote(p, v.key).signature);
    return out;
}

}  // namespace cl::checkpoint::test
