#include "protocol/clique/snapshot.hpp"

#include <algorithm>

#include "protocol/core/assert.hpp"

namespace cl::clique {

Snapshot Snapshot::at_checkpoint(std::uint64_t number, const Hash32& hash, std::vector<Address> signers) {
    Snapshot s;
    s.number_ = number;
    s.hash_ = hash;
    std::sort(signers.begin(), signers.end());
    CL_ASSERT(std::adjacent_find(signers.begin(), signers.end()) == signers.end());
    s.signers_ = std::move(signers);
    return s;
}

bool Snapshot::is_signer(const Address& a) const {
    return std::binary_search(signers_.begin(), signers_.end(), a);
}

std::optional<std::size_t> Snapshot::signer_index(const Address& a) const {
    auto it = std::lower_bound(signers_.begin(), signers_.end(), a);
    if (it == signers_.end() || *it != a) return std::nullopt;
    return static_cast<std::size_t>(it - signers_.begin());
}

bool Snapshot::in_turn(std::uint64_t number, const Address& signer) const {
    const auto index = signer_index(signer);
    return index && number % signers_.size() == *index;
}

bool Snapshot::recently_signed(std::uint64_t number, const Address& signer) const {
    const std::uint64_t limit = signer_limit();
    for (const auto& [seen, who] : recents_)
        if (who == signer && seen + limit > number) return true;
    return false;
}

bool Snapshot::valid_vote(const Address& address, bool authorize) const {
    return is_signer(address) != authorize;
}

bool Snapshot::cast(const Address& address, bool authorize) {
    if (!valid_vote(address, authorize)) return false;
    auto [it, inserted] = tally_.try_emplace(address, Tally{authorize, 0});
    ++it->second.votes;
    return true;
}

void Snapshot::uncast(const Address& address, bool authorize) {
    auto it = tally_.find(address);
    if (it == tally_.end() || it->second.authorize != authorize) return;  // only a matching direction
    if (--it->second.votes == 0) tally_.erase(it);
}

std::expected<Snapshot, Error> Snapshot::apply(const Header& header, const Address& signer,
                                               const Hash32& hash, const Config& config) const {
    CL_ASSERT(header.number == number_ + 1);
    const std::uint64_t number = header.number;
    Snapshot next = *this;
    next.number_ = number;
    next.hash_ = hash;

    // §6.1: votes reset at epoch boundaries; recents are kept (geth #17593 / PR #17620).
    if (config.is_checkpoint(number)) {
        next.votes_.clear();
        next.tally_.clear();
    }
    // §6.2: the oldest recent leaves the window.
    if (const std::uint64_t limit = next.signer_limit(); number >= limit) next.recents_.erase(number - limit);
    // §6.3
    if (!next.is_signer(signer)) return std::unexpected(Error::kUnauthorizedSigner);
    for (const auto& [seen, who] : next.recents_)
        if (who == signer) return std::unexpected(Error::kRecentlySigned);
    next.recents_[number] = signer;

    // §6.4: a signer has at most one vote per target; a new one replaces it.
    const Address& target = header.coinbase;
    auto previous = std::find_if(next.votes_.begin(), next.votes_.end(),
                                 [&](const Vote& v) { return v.signer == signer && v.address == target; });
    if (previous != next.votes_.end()) {
        next.uncast(previous->address, previous->authorize);
        next.votes_.erase(previous);
    }
    // §6.5: nonce ∈ {AUTH, DROP} was checked by verify_header_fields (errInvalidVote).
    bool authorize = false;
    if (header.nonce == kNonceAuth)
        authorize = true;
    else if (header.nonce != kNonceDrop)
        return std::unexpected(Error::kInvalidVote);
    if (next.cast(target, authorize)) next.votes_.push_back(Vote{signer, number, target, authorize});

    // §6.6: a vote that reaches SIGNER_LIMIT changes membership — of `target` only (§6.7).
    auto tally = next.tally_.find(target);
    if (tally != next.tally_.end() &&
        static_cast<std::size_t>(tally->second.votes) > next.signers_.size() / 2) {
        if (tally->second.authorize) {
            next.signers_.insert(std::lower_bound(next.signers_.begin(), next.signers_.end(), target),
                                 target);
        } else {
            next.signers_.erase(std::lower_bound(next.signers_.begin(), next.signers_.end(), target));
            // The window shrank with N: the recent that falls out of it leaves now.
            if (const std::uint64_t limit = next.signer_limit(); number >= limit)
                next.recents_.erase(number - limit);
            // Votes cast by the removed signer are discarded (uncast from the tally).
            std::erase_if(next.votes_, [&](const Vote& v) {
                if (v.signer != target) return false;
                next.uncast(v.address, v.authorize);
                return true;
            });
        }
        // All votes about `target` are settled.
        std::erase_if(next.votes_, [&](const Vote& v) { return v.address == target; });
        next.tally_.erase(target);
    }
    return next;
}

}  // namespace cl::clique
