// The optional hashcash request stamp (shared/spec/promo-pool.md §5): node policy that
// makes every promo request cost its sender CPU time, since the fee-free chain (§1) puts
// no price on it.
//
// Definition (docs/txpool.md):
//   stamp_hash(sender, nonce, stamp) = keccak256(sender (20 bytes) ‖ nonce (8 bytes,
//                                                big-endian) ‖ stamp (8 bytes, big-endian))
// where `nonce` is the transaction's nonce. A stamp is valid for `bits` when stamp_hash has
// at least `bits` leading zero bits (bit 7 of byte 0 first), i.e. stamp_hash < 2^(256−bits).
// Binding the stamp to (sender, nonce) makes it single-use: it cannot be copied to
// another sender, nor reused for the sender's next request. Finding one costs 2^bits
// hashes on average; checking it costs one.
//
// The stamp travels as the third item of a request call, ["request", tier, stamp]
// (protocol/state/call.hpp). request_stamp() reads it straight from the call's RLP, so the
// pool needs no contract code. Pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "protocol/core/bytes.hpp"

namespace cl::txpool {

// §5 stamp_hash as defined above.
Hash32 stamp_hash(const Address& sender, std::uint64_t nonce, std::uint64_t stamp);

// Number of leading zero bits of `h`, in [0, 256].
unsigned leading_zero_bits(const Hash32& h);

// True iff stamp_hash(sender, nonce, stamp) has at least `bits` leading zero bits.
bool stamp_is_valid(const Address& sender, std::uint64_t nonce, std::uint64_t stamp, unsigned bits);

struct StampSearch {
    std::uint64_t stamp = 0;   // the first valid stamp, searching 0, 1, 2, …
    std::uint64_t hashes = 0;  // stamp_hash evaluations it took (= stamp + 1)
};

// The smallest valid stamp for (sender, nonce, bits), and how many hashes finding it took,
// so that a simulator can charge the sender's clock for the work (§5).
// REQUIRES: bits <= 64. Expected cost 2^bits hashes (≈ 0.5 µs each).
StampSearch find_stamp(const Address& sender, std::uint64_t nonce, unsigned bits);

// What a transaction's call carries for the stamp rule.
struct CallStamp {
    enum class Kind {
        kNotRequest,  // the call's method is not "request": no stamp is required
        kMissing,     // ["request", tier]: a request without a stamp
        kMalformed,   // a "request" whose stamp item is not a canonical uint64, or extra items
        kPresent,     // ["request", tier, stamp]
    };
    Kind kind = Kind::kNotRequest;
    std::uint64_t stamp = 0;  // set when kind == kPresent
};

// Reads the stamp of a call RLP list [method, args...]. A call whose method is "request"
// is a request whatever contract it is sent to (a request to another contract only fails
// at execution, and would otherwise be a stamp-free way to fill blocks). A call that is
// not a well-formed list, or whose method is anything else, is kNotRequest.
CallStamp request_stamp(BytesView call_rlp);

}  // namespace cl::txpool
