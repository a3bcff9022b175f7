// Why Clique rejects a header. One enumerator per rule, in the order geth checks them
// (shared/spec/clique.md §4, §6); name() gives geth's identifier.
#pragma once

namespace cl::clique {

enum class [[nodiscard]] Error{
    // §4 verifyHeader — context-free checks. (geth's errUnknownBlock, a header without
    // a number, cannot arise: decode_header rejects a header with a missing field.)
    kFutureBlock,                   // time > now
    kInvalidCheckpointBeneficiary,  // checkpoint with coinbase ≠ 0
    kInvalidVote,                   // nonce ∉ {NONCE_AUTH, NONCE_DROP}
    kInvalidCheckpointVote,         // checkpoint with nonce ≠ NONCE_DROP
    kMissingVanity,                 // len(extra) < 32
    kMissingSignature,              // len(extra) < 32 + 65
    kExtraSigners,                  // non-checkpoint with signer bytes in extra
    kInvalidCheckpointSigners,      // checkpoint signer bytes not a multiple of 20
    kInvalidMixDigest,              // mixDigest ≠ 0
    kInvalidUncleHash,              // uncleHash ≠ keccak256(rlp([]))
    kInvalidDifficulty,             // number > 0 and difficulty ∉ {1, 2}
    kInvalidGasLimit,               // gasLimit > 2^63 − 1, or drifts too far from the parent's
    // §4 verifyCascadingFields — against the parent and its snapshot.
    kUnknownAncestor,               // parent missing or not number − 1
    kInvalidTimestamp,              // parent.time + period > time
    kInvalidGasUsed,                // gasUsed > gasLimit
    kMismatchingCheckpointSigners,  // checkpoint list ≠ sorted snapshot signers
    // §4 verifySeal / §6 Snapshot.apply.
    kInvalidSignature,    // the seal does not recover to any key
    kUnauthorizedSigner,  // signer ∉ snapshot signers
    kRecentlySigned,      // signer sealed one of the last floor(N/2) blocks
    kWrongDifficulty,     // difficulty ≠ 2 in turn / 1 out of turn
};

// geth's identifier, e.g. "errRecentlySigned".
const char* name(Error e);

}  // namespace cl::clique
