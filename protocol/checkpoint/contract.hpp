// The checkpoint contract on the mainchain (shared/spec/checkpoint.md §3; ECIP-1028's
// sidechain checkpoints, ECIP-1027's "trusted public chain" as the anchor).
//
// State: the current validator set (from the sidechain's genesis), the last checkpointed
// height (0 = genesis, the implicit first checkpoint), per checkpointed height the
// accepted (block_hash, state_root, signer_set_hash) and who certified it, and the
// conflicting submissions recorded as evidence.
//
// submit(h, block_hash, state_root, signer_set, signatures) is accepted when h is the
// next checkpoint height (last + interval: no gaps), signer_set is a well-formed set
// (non-empty, strictly ascending), and the signatures — at least threshold of them over
// the current set's size — each recover, over payload_hash(chain_id, h, block_hash,
// state_root, signer_set_hash(signer_set)), to a member of the current set, in strictly
// ascending order of those addresses (so distinct). Then signer_set becomes the current
// set: a validator change is certified by the old set. A second, different submission
// for a checkpointed height that passes the same signature rules against the set that
// certified that height is rejected with kConflict and recorded: it proves that
// validators signed two histories. Everything else is rejected with the first failing
// reason, in the order of the Reason enumerators below.
//
// Like the EVM contract it stands for, it recovers signers from signatures alone; a
// signature over another payload (another block, chain or signer set) therefore
// recovers to an unrelated address and is rejected as kNotMember.
//
// Deterministic (ordered containers). Cost of submit(): O(signatures) recoveries
// (~31 µs each). Not thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "protocol/checkpoint/config.hpp"
#include "protocol/checkpoint/payload.hpp"

namespace cl::checkpoint {

// Why a submission is rejected (§3), in the order they are checked.
enum class [[nodiscard]] Reason{
    kBadSignerSet,             // signer_set empty, not ascending, or with a duplicate
    kSignerSetBelowThreshold,  // signer_set smaller than the threshold it would need (a fixed threshold)
    kNotCheckpointHeight,      // h is 0 or not a multiple of interval
    kGap,                      // h > last + interval: "no gaps"
    kAlreadyCheckpointed,      // h holds this very checkpoint already (a resubmission; harmless)
    kTooFewSignatures,         // fewer than threshold signatures
    kBadSignature,             // a signature recovers no key (malformed r, s or v; high s)
    kNotMember,                // a signature recovers to an address outside the current set
    kDuplicateSigner,          // two signatures recover to the same member: not distinct
    kUnsorted,                 // signers not in ascending address order
    kConflict,                 // validly signed, different from the accepted checkpoint at h: recorded
};
const char* name(Reason r);

struct Checkpoint {
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    Hash32 signer_set_hash;
    std::vector<Address> signers;                           // ascending
    std::shared_ptr<const std::vector<Address>> certifier;  // the set that was current; never null
};

// Conflict evidence: a second signed history at a checkpointed height.
struct Conflict {
    std::uint64_t height = 0;
    Hash32 block_hash;
    Hash32 state_root;
    Hash32 signer_set_hash;
    std::vector<Address> signers;         // ascending
    std::vector<Address> double_signers;  // signed both this and the accepted checkpoint
};

struct Accepted {
    std::uint64_t height = 0;
    bool validator_set_changed = false;
};

class CheckpointContract {
  public:
    // REQUIRES: genesis_validators non-empty and strictly ascending; config.interval > 0;
    // a fixed config.threshold ≥ 1.
    CheckpointContract(const Config& config, std::uint64_t chain_id, std::vector<Address> genesis_validators);

    std::expected<Accepted, Reason> submit(std::uint64_t height, const Hash32& block_hash,
                                           const Hash32& state_root, std::span<const Address> signer_set,
                                           std::span<const Signature> signatures);

    std::uint64_t last_height() const { return last_; }
    const std::vector<Address>& validators() const { return *current_; }
    // Signatures a submission needs now: threshold_for(validators().size()).
    std::uint64_t threshold() const { return config_.threshold_for(current_->size()); }
    // nullptr when h is not checkpointed (genesis, 0, is not stored).
    const Checkpoint* checkpoint(std::uint64_t height) const;
    const std::vector<Conflict>& conflicts() const { return conflicts_; }

  private:
    // §3 signature rules against `set`; the signers, ascending, on success.
    std::expected<std::vector<Address>, Reason> check_signatures(const Payload& payload,
                                                                 const std::vector<Address>& set,
                                                                 std::span<const Signature> signatures) const;

    Config config_;
    std::uint64_t chain_id_;
    std::shared_ptr<const std::vector<Address>> current_;
    std::uint64_t last_ = 0;
    std::map<std::uint64_t, Checkpoint> checkpoints_;
    std::vector<Conflict> conflicts_;  // in submission order
};

}  // namespace cl::checkpoint
