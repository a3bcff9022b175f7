// Test support: N real signer keys in checkpoint (sorted-address) order and a builder
// for real, sealed Clique headers on top of a parent.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "protocol/chain/header.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::test {

struct Signer {
    PrivateKey key;
    Address address;
};

// `count` keys derived from (seed 7, "signer-i"), sorted by address: signers[i] has
// index i in every snapshot that holds all of them.
inline std::vector<Signer> make_signers(std::size_t count, const std::string& prefix = "signer-") {
    std::vector<Signer> out;
    for (std::size_t i = 0; i < count; ++i) {
        const PrivateKey k = derive_private_key(7, prefix + std::to_string(i));
        out.push_back({k, address_of(k)});
    }
    std::sort(out.begin(), out.end(), [](const Signer& a, const Signer& b) { return a.address < b.address; });
    return out;
}

inline std::vector<Address> addresses(const std::vector<Signer>& signers) {
    std::vector<Address> out;
    for (const auto& s : signers) out.push_back(s.address);
    return out;
}

inline Header make_genesis(const std::vector<Address>& signers) {
    Header g;
    g.uncle_hash = kEmptyUncleHash;
    g.difficulty = 1;
    g.gas_limit = 8'000'000;
    g.time = 1'700'000'000;
    auto sorted = signers;
    std::sort(sorted.begin(), sorted.end());
    g.extra = clique::make_extra(sorted);
    return g;
}

// An unsealed child of `parent` (hash `parent_hash`) with every field valid for
// `snapshot` (the snapshot at the parent) when sealed by `signer`.
inline Header make_child(const Header& parent, const Hash32& parent_hash, const clique::Snapshot& snapshot,
                         const Address& signer, const clique::Config& config) {
    Header h;
    h.parent_hash = parent_hash;
    h.uncle_hash = kEmptyUncleHash;
    h.number = parent.number + 1;
    h.time = parent.time + config.period;
    h.gas_limit = parent.gas_limit;
    h.difficulty = snapshot.in_turn(h.number, signer) ? clique::kDiffInTurn : clique::kDiffNoTurn;
    h.nonce = clique::kNonceDrop;
    h.extra =
        clique::make_extra(config.is_checkpoint(h.number) ? snapshot.signers() : std::vector<Address>{});
    return h;
}

inline Header sealed(Header h, const Signer& s) {
    clique::seal_header(h, s.key);
    return h;
}

}  // namespace cl::test
