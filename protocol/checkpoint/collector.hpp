// The submitter's vote collector for one checkpoint height (shared/spec/checkpoint.md §1):
// votes for the same (h, block_hash, state_root) from distinct current validators, until
// `threshold` of them, sorted by signer address — the signatures a submission carries.
//
// Two sets are involved. `signer_set` is the validator set at h, which the payload
// commits to (signer_set_hash) and the submission hands to the contract; `voters` is the
// contract's current set, the set certified by the previous checkpoint (the set at
// h − interval; at the first checkpoint the genesis set): only their signatures count
// (§3), and the threshold is taken over their number. Without a validator change
// between the two checkpoints they are equal.
//
// Deterministic (ordered containers only). Each add() recovers one signature (~31 µs).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "protocol/checkpoint/config.hpp"
#include "protocol/checkpoint/vote.hpp"

namespace cl::checkpoint {

enum class [[nodiscard]] VoteError{
    kWrongHeight,      // the vote is for another height than this collector's
    kWrongSignerSet,   // signer_set_hash is not the hash of the set at h (§1)
    kBadSignature,     // the signature recovers no key (malformed r, s, v; high s)
    kNotVoter,         // the signer is not in the current validator set (§1 "current validators")
    kDuplicate,        // the signer's vote for this (block_hash, state_root) is counted already
    kConflictingVote,  // the signer voted for another (block_hash, state_root) at h: not counted twice
};
const char* name(VoteError e);

// What a submission carries (checkpoint contract submit(), §3).
struct Certificate {
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    std::vector<Address> signer_set;  // the set at h, ascending
    std::vector<Address> signers;     // ascending; signers[i] signed signatures[i]
    std::vector<Signature> signatures;
};

class VoteCollector {
  public:
    // REQUIRES: signer_set and voters strictly ascending and non-empty;
    // is_checkpoint_height(config, height).
    VoteCollector(const Config& config, std::uint64_t chain_id, std::uint64_t height,
                  std::vector<Address> signer_set, std::vector<Address> voters);

    // Counts the vote; returns its signer.
    std::expected<Address, VoteError> add(const Vote& vote);

    std::uint64_t threshold() const { return threshold_; }
    // Votes counted for (block_hash, state_root).
    std::size_t count(const Hash32& block_hash, const Hash32& state_root) const;
    // The first (block_hash, state_root) that reached the threshold, with all its votes
    // counted so far (exactly `threshold` when taken as soon as add() completed it).
    std::optional<Certificate> certificate() const;

  private:
    using Key = std::pair<Hash32, Hash32>;  // (block_hash, state_root)
    std::uint64_t chain_id_;
    std::uint64_t height_;
    std::vector<Address> signer_set_;
    Hash32 signer_set_hash_;
    std::vector<Address> voters_;
    std::uint64_t threshold_;
    std::map<Key, std::map<Address, Signature>> votes_;  // by key, by signer (ascending)
    std::map<Address, Key> voted_;                       // each signer's key
    std::optional<Key> complete_;
};

}  // namespace cl::checkpoint
