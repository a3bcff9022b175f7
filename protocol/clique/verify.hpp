// Clique header verification in geth's order, first failing check wins
// (shared/spec/clique.md §4). Three stages, callable separately so that a caller can
// run the context-free part before it has the parent:
//   verify_fields     — verifyHeader: the header alone (and the current time)
//   verify_cascading  — verifyCascadingFields: against the parent and its snapshot
//   verify_seal       — verifySeal: recover the signer, authorisation, recents, difficulty
// verify_header() runs all three. None of them applies the header to the snapshot;
// Snapshot::apply() does that (§6).
#pragma once

#include <cstdint>
#include <expected>

#include "protocol/chain/header.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/errors.hpp"
#include "protocol/clique/snapshot.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::clique {

// Largest gas limit geth accepts (0x7fffffffffffffff).
inline constexpr std::uint64_t kMaxGasLimit = 0x7fffffffffffffffULL;
// misc.VerifyGaslimit: the limit moves by less than parent/1024 per block, floor 5000.
inline constexpr std::uint64_t kGasLimitBoundDivisor = 1024;
inline constexpr std::uint64_t kMinGasLimit = 5000;

// §4 verifyHeader. `now` in seconds since the Unix epoch.
std::expected<void, Error> verify_fields(const Config& config, const Header& header, std::uint64_t now);

// §4 verifyCascadingFields without the final verifySeal call. `parent` may be null
// (unknown). `parent_snapshot` is the snapshot at the parent. REQUIRES: verify_fields passed.
std::expected<void, Error> verify_cascading(const Config& config, const Header& header, const Header* parent,
                                            const Snapshot& parent_snapshot);

// recover_sealer(header), when a caller already has it: recovery is a pure function of the
// header, so a simulator may compute it once per block and share it (DESIGN.md §5).
using SealerRecovery = std::expected<Address, SignatureError>;

// §4 verifySeal with the strict recent-signer rule. Returns the recovered signer.
// REQUIRES: verify_fields passed (extraData holds a seal); `known`, if given, is
// recover_sealer(header).
std::expected<Address, Error> verify_seal(const Header& header, const Snapshot& parent_snapshot,
                                          const SealerRecovery* known = nullptr);

// All of §4, in order. `parent` and `parent_snapshot` are both null when the parent is
// unknown (→ kUnknownAncestor, after the context-free checks). Genesis (number 0) is
// configuration, not verified: this function REQUIRES header.number > 0.
std::expected<Address, Error> verify_header(const Config& config, const Header& header, const Header* parent,
                                            const Snapshot* parent_snapshot, std::uint64_t now,
                                            const SealerRecovery* known_sealer = nullptr);

}  // namespace cl::clique
