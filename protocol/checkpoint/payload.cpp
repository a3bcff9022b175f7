#include "protocol/checkpoint/payload.hpp"

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"

namespace cl::checkpoint {

namespace {

void append_be64(Bytes& out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

}  // namespace

bool is_strictly_sorted(std::span<const Address> signers) {
    for (std::size_t i = 1; i < signers.size(); ++i) {
        if (!(signers[i - 1] < signers[i])) return false;
    }
    return true;
}

Hash32 signer_set_hash(std::span<const Address> signers) {
    CL_ASSERT(is_strictly_sorted(signers));
    Bytes raw;
    raw.reserve(signers.size() * Address::kSize);
    for (const Address& a : signers) raw.insert(raw.end(), a.bytes.begin(), a.bytes.end());
    return keccak256(raw);
}

Bytes payload_bytes(const Payload& p) {
    Bytes out;
    out.reserve(kPayloadSize);
    out.insert(out.end(), kPayloadTag.begin(), kPayloadTag.end());
    append_be64(out, p.chain_id);
    append_be64(out, p.height);
    out.insert(out.end(), p.block_hash.bytes.begin(), p.block_hash.bytes.end());
    out.insert(out.end(), p.state_root.bytes.begin(), p.state_root.bytes.end());
    out.insert(out.end(), p.signer_set_hash.bytes.begin(), p.signer_set_hash.bytes.end());
    return out;
}

Hash32 payload_hash(const Payload& p) { return keccak256(payload_bytes(p)); }

}  // namespace cl::checkpoint
