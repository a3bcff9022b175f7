#include "protocol/checkpoint/collector.hpp"

#include <algorithm>

#include "protocol/checkpoint/schedule.hpp"
#include "protocol/core/assert.hpp"

namespace cl::checkpoint {

const char* name(VoteError e) {
    switch (e) {
        case VoteError::kWrongHeight:
            return "wrong_height";
        case VoteError::kWrongSignerSet:
            return "wrong_signer_set";
        case VoteError::kBadSignature:
            return "bad_signature";
        case VoteError::kNotVoter:
            return "not_voter";
        case VoteError::kDuplicate:
            return "duplicate";
        case VoteError::kConflictingVote:
            return "conflicting_vote";
    }
    return "unknown";
}

VoteCollector::VoteCollector(const Config& config, std::uint64_t chain_id, std::uint64_t height,
                             std::vector<Address> signer_set, std::vector<Address> voters)
    : chain_id_(chain_id),
      height_(height),
      signer_set_(std::move(signer_set)),
      signer_set_hash_(signer_set_hash(signer_set_)),
      voters_(std::move(voters)),
      threshold_(config.threshold_for(voters_.size())) {
    CL_ASSERT(is_checkpoint_height(config, height));
    CL_ASSERT(!signer_set_.empty() && !voters_.empty() && is_strictly_sorted(voters_));
}

std::expected<Address, VoteError> VoteCollector::add(const Vote& vote) {
    if (vote.height != height_) return std::unexpected(VoteError::kWrongHeight);
    if (vote.signer_set_hash != signer_set_hash_) return std::unexpected(VoteError::kWrongSignerSet);
    auto signer = recover_voter(chain_id_, vote);
    if (!signer) return std::unexpected(VoteError::kBadSignature);
    if (!std::binary_search(voters_.begin(), voters_.end(), *signer))
        return std::unexpected(VoteError::kNotVoter);
    const Key key{vote.block_hash, vote.state_root};
    if (auto it = voted_.find(*signer); it != voted_.end()) {
        return std::unexpected(it->second == key ? VoteError::kDuplicate : VoteError::kConflictingVote);
    }
    voted_.emplace(*signer, key);
    auto& votes = votes_[key];
    votes.emplace(*signer, vote.signature);
    if (!complete_ && votes.size() >= threshold_) complete_ = key;
    return *signer;
}

std::size_t VoteCollector::count(const Hash32& block_hash, const Hash32& state_root) const {
    auto it = votes_.find(Key{block_hash, state_root});
    return it == votes_.end() ? 0 : it->second.size();
}

std::optional<Certificate> VoteCollector::certificate() const {
    if (!complete_) return std::nullopt;
    Certificate c{height_, complete_->first, complete_->second, signer_set_, {}, {}};
    for (const auto& [signer, signature] : votes_.at(*complete_)) {
        c.signers.push_back(signer);
        c.signatures.push_back(signature);
    }
    return c;
}

}  // namespace cl::checkpoint
