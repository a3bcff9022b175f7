#include "protocol/core/keccak.hpp"

#include <cryptopp/keccak.h>

namespace cl {

Hash32 keccak256(BytesView data) {
    CryptoPP::Keccak_256 hasher;
    hasher.Update(data.data(), data.size());
    Hash32 out;
    hasher.Final(out.data());
    return out;
}

}  // namespace cl
