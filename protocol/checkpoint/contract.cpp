#include "protocol/checkpoint/contract.hpp"

#include <algorithm>
#include <iterator>

#include "protocol/core/assert.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl::checkpoint {

const char* name(Reason r) {
    switch (r) {
        case Reason::kBadSignerSet:
            return "bad_signer_set";
        case Reason::kSignerSetBelowThreshold:
            return "signer_set_below_threshold";
        case Reason::kNotCheckpointHeight:
            return "not_checkpoint_height";
        case Reason::kGap:
            return "gap";
        case Reason::kAlreadyCheckpointed:
            return "already_checkpointed";
        case Reason::kTooFewSignatures:
            return "too_few_signatures";
        case Reason::kBadSignature:
            return "bad_signature";
        case Reason::kNotMember:
            return "not_member";
        case Reason::kDuplicateSigner:
            return "duplicate_signer";
        case Reason::kUnsorted:
            return "unsorted";
        case Reason::kConflict:
            return "conflict";
    }
    return "unknown";
}

CheckpointContract::CheckpointContract(const Config& config, std::uint64_t chain_id,
                                       std::vector<Address> genesis_validators)
    : config_(config),
      chain_id_(chain_id),
      current_(std::make_shared<const std::vector<Address>>(std::move(genesis_validators))) {
    CL_ASSERT(config_.interval > 0 && config_.threshold.value_or(1) >= 1);
    CL_ASSERT(!current_->empty() && is_strictly_sorted(*current_));
}

const Checkpoint* CheckpointContract::checkpoint(std::uint64_t height) const {
    auto it = checkpoints_.find(height);
    return it == checkpoints_.end() ? nullptr : &it->second;
}

std::expected<std::vector<Address>, Reason> CheckpointContract::check_signatures(
    const Payload& payload, const std::vector<Address>& set, std::span<const Signature> signatures) const {
    if (signatures.size() < config_.threshold_for(set.size()))
        return std::unexpected(Reason::kTooFewSignatures);
    const Hash32 digest = payload_hash(payload);
    std::vector<Address> signers;
    signers.reserve(signatures.size());
    for (const Signature& sig : signatures) {
        auto signer = recover_signer(digest, sig);
        if (!signer) return std::unexpected(Reason::kBadSignature);
        if (!std::binary_search(set.begin(), set.end(), *signer)) return std::unexpected(Reason::kNotMember);
        if (!signers.empty() && signers.back() == *signer) return std::unexpected(Reason::kDuplicateSigner);
        if (!signers.empty() && *signer < signers.back()) return std::unexpected(Reason::kUnsorted);
        signers.push_back(*signer);
    }
    return signers;
}

std::expected<Accepted, Reason> CheckpointContract::submit(std::uint64_t height, const Hash32& block_hash,
                                                           const Hash32& state_root,
                                                           std::span<const Address> signer_set,
                                                           std::span<const Signature> signatures) {
    if (signer_set.empty() || !is_strictly_sorted(signer_set)) return std::unexpected(Reason::kBadSignerSet);
    if (config_.threshold_for(signer_set.size()) > signer_set.size())
        return std::unexpected(Reason::kSignerSetBelowThreshold);
    if (height == 0 || height % config_.interval != 0) return std::unexpected(Reason::kNotCheckpointHeight);
    if (height > last_ + config_.interval) return std::unexpected(Reason::kGap);

    const Payload payload{chain_id_, height, block_hash, state_root, signer_set_hash(signer_set)};
    if (height <= last_) {
        // Every checkpoint height up to last_ is stored: submissions have no gaps.
        const Checkpoint& accepted = checkpoints_.at(height);
        if (accepted.block_hash == block_hash && accepted.state_root == state_root &&
            accepted.signer_set_hash == payload.signer_set_hash)
            return std::unexpected(Reason::kAlreadyCheckpointed);
        // Evidence only if the set that certified h signed it: anyone else's is noise.
        auto signers = check_signatures(payload, *accepted.certifier, signatures);
        if (!signers) return std::unexpected(signers.error());
        Conflict c{height, block_hash, state_root, payload.signer_set_hash, std::move(*signers), {}};
        std::set_intersection(c.signers.begin(), c.signers.end(), accepted.signers.begin(),
                              accepted.signers.end(), std::back_inserter(c.double_signers));
        conflicts_.push_back(std::move(c));
        return std::unexpected(Reason::kConflict);
    }

    auto signers = check_signatures(payload, *current_, signatures);
    if (!signers) return std::unexpected(signers.error());
    checkpoints_.emplace(height, Checkpoint{height, block_hash, state_root, payload.signer_set_hash,
                                            std::move(*signers), current_});
    last_ = height;
    const bool changed =
        !std::equal(signer_set.begin(), signer_set.end(), current_->begin(), current_->end());
    if (changed)
        current_ = std::make_shared<const std::vector<Address>>(signer_set.begin(), signer_set.end());
    return Accepted{height, changed};
}

}  // namespace cl::checkpoint
