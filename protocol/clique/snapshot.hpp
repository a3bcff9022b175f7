// The Clique voting snapshot: the authorised signers, who sealed recently, the votes
// cast and their tally, as of one block (shared/spec/clique.md §5, §6; geth
// consensus/clique/snapshot.go).
//
// A Snapshot is an immutable value once built: apply() returns the snapshot after one
// more header and leaves `this` unchanged, so snapshots of competing branches can share
// a parent. Signers are kept sorted (ascending address bytes), which is the in-turn
// order and the checkpoint order. Ordered containers only: nothing here depends on
// hash or address iteration order.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <vector>

#include "protocol/chain/header.hpp"
#include "protocol/clique/config.hpp"
#include "protocol/clique/errors.hpp"

namespace cl::clique {

struct Vote {
    Address signer;       // who cast it
    std::uint64_t block;  // where
    Address address;      // about whom
    bool authorize;       // add (true) or remove (false)
    friend bool operator==(const Vote&, const Vote&) = default;
};

struct Tally {
    bool authorize;
    int votes;
    friend bool operator==(const Tally&, const Tally&) = default;
};

class Snapshot {
  public:
    // The snapshot at a checkpoint (genesis): `signers` in any order, without duplicates.
    static Snapshot at_checkpoint(std::uint64_t number, const Hash32& hash, std::vector<Address> signers);

    std::uint64_t number() const { return number_; }
    const Hash32& hash() const { return hash_; }
    const std::vector<Address>& signers() const { return signers_; }
    const std::map<std::uint64_t, Address>& recents() const { return recents_; }
    const std::vector<Vote>& votes() const { return votes_; }
    const std::map<Address, Tally>& tally() const { return tally_; }

    bool is_signer(const Address& a) const;
    // Position in the sorted signer list.
    std::optional<std::size_t> signer_index(const Address& a) const;
    // §1 SIGNER_LIMIT = floor(N/2) + 1.
    std::uint64_t signer_limit() const { return signers_.size() / 2 + 1; }
    // §5: in turn iff number % N == index. False when there are no signers.
    bool in_turn(std::uint64_t number, const Address& signer) const;
    // §4 verifySeal, strict form: `signer` sealed one of the last floor(N/2) blocks
    // before `number` (seen + limit > number, no uint64 underflow near genesis).
    bool recently_signed(std::uint64_t number, const Address& signer) const;
    // §6.5 validVote: the vote would change membership.
    bool valid_vote(const Address& address, bool authorize) const;

    // §6 Snapshot.apply: the snapshot after `header`, sealed by `signer` (recovered by
    // the caller). REQUIRES: header.number == number() + 1, header hash = `hash`.
    std::expected<Snapshot, Error> apply(const Header& header, const Address& signer, const Hash32& hash,
                                         const Config& config) const;

    friend bool operator==(const Snapshot&, const Snapshot&) = default;

  private:
    bool cast(const Address& address, bool authorize);
    void uncast(const Address& address, bool authorize);

    std::uint64_t number_ = 0;
    Hash32 hash_;
    std::vector<Address> signers_;              // sorted ascending
    std::map<std::uint64_t, Address> recents_;  // block number → signer
    std::vector<Vote> votes_;                   // chronological
    std::map<Address, Tally> tally_;
};

}  // namespace cl::clique
