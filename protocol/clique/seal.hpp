// The Clique seal: what is signed, how the signer is recovered, and where checkpoint
// signer lists sit in extraData (shared/spec/clique.md §2, §3).
#pragma once

#include <expected>
#include <vector>

#include "protocol/chain/header.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::clique {

// keccak256(rlp(header fields with the 65-byte seal cut from extraData)).
// REQUIRES: header.extra.size() >= kExtraSeal (geth panics otherwise; verify first).
Hash32 seal_hash(const Header& header);

// The signature in the last 65 bytes of extraData. REQUIRES: extra.size() >= kExtraSeal.
Signature seal_of(const Header& header);

// Recovers the sealer. REQUIRES: header.extra.size() >= kExtraSeal.
std::expected<Address, SignatureError> recover_sealer(const Header& header);

// Signs seal_hash(header) and writes the seal into extraData's last 65 bytes.
// REQUIRES: header.extra.size() >= kExtraSeal.
void seal_header(Header& header, const PrivateKey& key);

// extraData = vanity(32) ‖ signers(20·k) ‖ seal(65).
// REQUIRES: signers sorted ascending (the checkpoint order).
Bytes make_extra(const std::vector<Address>& signers);

// The 20-byte addresses between vanity and seal. REQUIRES: the extraData length checks of
// §4 (≥ 97 bytes, signer section a multiple of 20) have passed.
std::vector<Address> checkpoint_signers(const Header& header);

}  // namespace cl::clique
