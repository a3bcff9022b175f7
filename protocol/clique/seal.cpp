#include "protocol/clique/seal.hpp"

#include "protocol/clique/config.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"

namespace cl::clique {

Hash32 seal_hash(const Header& header) {
    CL_ASSERT(header.extra.size() >= kExtraSeal);
    return keccak256(
        encode_with_extra(header, BytesView(header.extra).first(header.extra.size() - kExtraSeal)));
}

Signature seal_of(const Header& header) {
    CL_ASSERT(header.extra.size() >= kExtraSeal);
    return Signature::from_span(BytesView(header.extra).last(kExtraSeal));
}

std::expected<Address, SignatureError> recover_sealer(const Header& header) {
    return recover_signer(seal_hash(header), seal_of(header));
}

void seal_header(Header& header, const PrivateKey& key) {
    const Signature sig = sign(seal_hash(header), key);
    std::copy(sig.bytes.begin(), sig.bytes.end(), header.extra.end() - kExtraSeal);
}

Bytes make_extra(const std::vector<Address>& signers) {
    Bytes extra(kExtraVanity, 0);
    for (const Address& a : signers) extra.insert(extra.end(), a.bytes.begin(), a.bytes.end());
    extra.resize(extra.size() + kExtraSeal, 0);
    return extra;
}

std::vector<Address> checkpoint_signers(const Header& header) {
    CL_ASSERT(header.extra.size() >= kExtraVanity + kExtraSeal);
    const std::size_t bytes = header.extra.size() - kExtraVanity - kExtraSeal;
    CL_ASSERT(bytes % Address::kSize == 0);
    std::vector<Address> out;
    out.reserve(bytes / Address::kSize);
    for (std::size_t off = kExtraVanity; off < kExtraVanity + bytes; off += Address::kSize)
        out.push_back(Address::from_span(BytesView(header.extra).subspan(off, Address::kSize)));
    return out;
}

}  // namespace cl::clique
