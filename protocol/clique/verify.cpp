#include "protocol/clique/verify.hpp"

#include "protocol/clique/seal.hpp"
#include "protocol/core/assert.hpp"

namespace cl::clique {

std::expected<void, Error> verify_fields(const Config& config, const Header& h, std::uint64_t now) {
    const bool checkpoint = config.is_checkpoint(h.number);
    if (h.time > now) return std::unexpected(Error::kFutureBlock);
    if (checkpoint && !h.coinbase.is_zero()) return std::unexpected(Error::kInvalidCheckpointBeneficiary);
    if (h.nonce != kNonceAuth && h.nonce != kNonceDrop) return std::unexpected(Error::kInvalidVote);
    if (checkpoint && h.nonce != kNonceDrop) return std::unexpected(Error::kInvalidCheckpointVote);
    if (h.extra.size() < kExtraVanity) return std::unexpected(Error::kMissingVanity);
    if (h.extra.size() < kExtraVanity + kExtraSeal) return std::unexpected(Error::kMissingSignature);
    const std::size_t signer_bytes = h.extra.size() - kExtraVanity - kExtraSeal;
    if (!checkpoint && signer_bytes != 0) return std::unexpected(Error::kExtraSigners);
    if (checkpoint && signer_bytes % Address::kSize != 0)
        return std::unexpected(Error::kInvalidCheckpointSigners);
    if (!h.mix_digest.is_zero()) return std::unexpected(Error::kInvalidMixDigest);
    if (h.uncle_hash != kEmptyUncleHash) return std::unexpected(Error::kInvalidUncleHash);
    if (h.number > 0 && h.difficulty != kDiffInTurn && h.difficulty != kDiffNoTurn)
        return std::unexpected(Error::kInvalidDifficulty);
    if (h.gas_limit > kMaxGasLimit) return std::unexpected(Error::kInvalidGasLimit);
    return {};
}

std::expected<void, Error> verify_cascading(const Config& config, const Header& h, const Header* parent,
                                            const Snapshot& parent_snapshot) {
    if (h.number == 0) return {};
    if (parent == nullptr || parent->number != h.number - 1) return std::unexpected(Error::kUnknownAncestor);
    if (parent->time + config.period > h.time) return std::unexpected(Error::kInvalidTimestamp);
    if (h.gas_used > h.gas_limit) return std::unexpected(Error::kInvalidGasUsed);
    // misc.VerifyGaslimit (geth applies the EIP-1559 variant across the London fork
    // block itself, where the parent's limit is first scaled; Clique networks here are
    // either entirely pre- or entirely post-London).
    const std::uint64_t diff =
        h.gas_limit > parent->gas_limit ? h.gas_limit - parent->gas_limit : parent->gas_limit - h.gas_limit;
    if (diff >= parent->gas_limit / kGasLimitBoundDivisor || h.gas_limit < kMinGasLimit)
        return std::unexpected(Error::kInvalidGasLimit);
    if (config.is_checkpoint(h.number) && checkpoint_signers(h) != parent_snapshot.signers())
        return std::unexpected(Error::kMismatchingCheckpointSigners);
    return {};
}

std::expected<Address, Error> verify_seal(const Header& h, const Snapshot& parent_snapshot,
                                          const SealerRecovery* known) {
    const SealerRecovery signer = known ? *known : recover_sealer(h);
    if (!signer) return std::unexpected(Error::kInvalidSignature);
    if (!parent_snapshot.is_signer(*signer)) return std::unexpected(Error::kUnauthorizedSigner);
    if (parent_snapshot.recently_signed(h.number, *signer)) return std::unexpected(Error::kRecentlySigned);
    const bool in_turn = parent_snapshot.in_turn(h.number, *signer);
    if (h.difficulty != (in_turn ? kDiffInTurn : kDiffNoTurn))
        return std::unexpected(Error::kWrongDifficulty);
    return *signer;
}

std::expected<Address, Error> verify_header(const Config& config, const Header& header, const Header* parent,
                                            const Snapshot* parent_snapshot, std::uint64_t now,
                                            const SealerRecovery* known_sealer) {
    CL_ASSERT(header.number > 0 && (parent == nullptr) == (parent_snapshot == nullptr));
    if (auto r = verify_fields(config, header, now); !r) return std::unexpected(r.error());
    if (parent == nullptr) return std::unexpected(Error::kUnknownAncestor);
    if (auto r = verify_cascading(config, header, parent, *parent_snapshot); !r)
        return std::unexpected(r.error());
    return verify_seal(header, *parent_snapshot, known_sealer);
}

}  // namespace cl::clique
