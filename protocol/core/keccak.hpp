// Keccak-256 as used by Ethereum: the original Keccak submission (padding 0x01), not
// FIPS-202 SHA3-256 (padding 0x06). keccak256("") = c5d24601…5d85a470.
// Backed by Crypto++'s Keccak_256. Thread-safe (no shared state).
#pragma once

#include "protocol/core/bytes.hpp"

namespace cl {

Hash32 keccak256(BytesView data);

}  // namespace cl
