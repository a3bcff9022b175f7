#include "protocol/checkpoint/vote.hpp"

#include <bit>

namespace cl::checkpoint {

Vote sign_vote(const Payload& p, const PrivateKey& key) {
    return Vote{p.height, p.block_hash, p.state_root, p.signer_set_hash, sign(payload_hash(p), key)};
}

std::expected<Address, SignatureError> recover_voter(std::uint64_t chain_id, const Vote& vote) {
    return recover_signer(payload_hash(vote.payload(chain_id)), vote.signature);
}

Bytes encode_vote(const Vote& vote) {
    Bytes out;
    out.reserve(wire_size(vote));
    const std::size_t list = rlp::begin_list(out);
    rlp::append_uint(out, vote.height);
    rlp::append_fixed(out, vote.block_hash);
    rlp::append_fixed(out, vote.state_root);
    rlp::append_fixed(out, vote.signer_set_hash);
    rlp::append_fixed(out, vote.signature);
    rlp::end_list(out, list);
    return out;
}

std::expected<Vote, rlp::Error> decode_vote(BytesView in) {
    auto list = rlp::decode_list(in);
    if (!list) return std::unexpected(list.error());
    Vote v;
    auto height = list->next_uint64();
    if (!height) return std::unexpected(height.error());
    v.height = *height;
    for (Hash32* field : {&v.block_hash, &v.state_root, &v.signer_set_hash}) {
        auto h = list->next_fixed<Hash32>();
        if (!h) return std::unexpected(h.error());
        *field = *h;
    }
    auto sig = list->next_fixed<Signature>();
    if (!sig) return std::unexpected(sig.error());
    v.signature = *sig;
    if (auto done = list->finish(); !done) return std::unexpected(done.error());
    return v;
}

std::size_t wire_size(const Vote& vote) {
    const std::size_t height =
        vote.height < 0x80 ? 1 : 1 + static_cast<std::size_t>((std::bit_width(vote.height) + 7) / 8);
    const std::size_t payload = height + 3 * (1 + 32) + rlp::header_size(Signature::kSize) + Signature::kSize;
    return kFrameSize + rlp::header_size(payload) + payload;
}

}  // namespace cl::checkpoint
