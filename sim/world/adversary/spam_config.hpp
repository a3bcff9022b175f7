// The `spam` adversary's configuration (shared/spec/adversaries.md §3; docs/attacks.md
// "Spam"): who floods, when, how fast, with what, through which nodes, and with how much
// hashing power for request stamps. Header-only, part of sim_world_config (a scenario's
// SpamSpec holds one, with its entry nodes still as selectors).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/time.hpp"
#include "sim/net/topology.hpp"

namespace cl::sim::world {

// The weights of the kinds of transaction the attacker sends (any non-negative, not all 0).
//   request         a promo request of a tier drawn uniformly; the codes are held, never redeemed
//   transfer        transfer(code, to) of a made-up code to another of its identities
//   redeem_unknown  redeem(code) of a made-up code
//   junk            an invalid transaction, one of SpamJunk's first kSpamJunkCount in turn
//   oversized       junk of kind SpamJunk::kOversized (a weight of its own, so that adding
//                   it changed no earlier flood's draws)
struct SpamMix {
    double request = 1;
    double transfer = 0;
    double redeem_unknown = 0;
    double junk = 0;
    double oversized = 0;
    friend bool operator==(const SpamMix&, const SpamMix&) = default;
};

// The invalid transactions junk is made of, sent in this order round-robin.
enum class SpamJunk : std::uint8_t {
    kBadSignature,  // its signature does not recover (r = s = 0): dropped when the node recovers it
    kWrongChainId,  // signed for another chain: the txpool refuses it (wrong_chain_id)
    kStaleNonce,    // a nonce the sender already used (or, for a new identity, a nonce 2^32 ahead,
                    // which can never become executable): refused (nonce_too_low) or queued until expiry
    kOversized,     // a correctly signed redeem with the next nonce, its call data padded past
                    // txpool.max_tx_size (geth's 128 KiB by default): refused by the txpool's
                    // size rule (oversized); only by the `oversized` weight of the mix, never
                    // in the round-robin
};
inline constexpr std::size_t kSpamJunkCount = 3;  // the round-robin's kinds

struct SpamConfig {
    Time from;  // it sends in [from, to)
    Time to;
    // Requests per second: rate_from at `from`, rising (or falling) linearly to rate_to
    // over ramp_over, then constant (a constant rate: rate_from == rate_to, ramp_over 0).
    double rate_from = 1;
    double rate_to = 1;
    Duration ramp_over;
    // nullopt: a fresh identity (key) per transaction (sybils); else this many identities,
    // used in turn.
    std::optional<std::uint64_t> identities;
    SpamMix mix;
    std::vector<net::NodeId> entry;  // the nodes it submits to, drawn uniformly per transaction
    double hash_rate = 1e6;          // stamp hashes per second (one serial miner)

    friend bool operator==(const SpamConfig&, const SpamConfig&) = default;
};

}  // namespace cl::sim::world
