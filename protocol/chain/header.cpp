#include "protocol/chain/header.hpp"

#include "protocol/core/keccak.hpp"

namespace cl {

const Hash32 kEmptyUncleHash =
    Hash32::from_hex("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347").value();

const char* field_name(HeaderField f) {
    switch (f) {
        case HeaderField::kParentHash:
            return "parentHash";
        case HeaderField::kUncleHash:
            return "uncleHash";
        case HeaderField::kCoinbase:
            return "coinbase";
        case HeaderField::kStateRoot:
            return "stateRoot";
        case HeaderField::kTxRoot:
            return "transactionsRoot";
        case HeaderField::kReceiptRoot:
            return "receiptsRoot";
        case HeaderField::kBloom:
            return "logsBloom";
        case HeaderField::kDifficulty:
            return "difficulty";
        case HeaderField::kNumber:
            return "number";
        case HeaderField::kGasLimit:
            return "gasLimit";
        case HeaderField::kGasUsed:
            return "gasUsed";
        case HeaderField::kTime:
            return "timestamp";
        case HeaderField::kExtra:
            return "extraData";
        case HeaderField::kMixDigest:
            return "mixDigest";
        case HeaderField::kNonce:
            return "nonce";
        case HeaderField::kBaseFee:
            return "baseFee";
        case HeaderField::kList:
            return "header list";
    }
    return "unknown field";
}

std::string HeaderDecodeError::message() const {
    return std::string(field_name(field)) + ": " + rlp::to_string(error);
}

namespace {

void append_fields_before_extra(Bytes& out, const Header& h) {
    rlp::append_fixed(out, h.parent_hash);
    rlp::append_fixed(out, h.uncle_hash);
    rlp::append_fixed(out, h.coinbase);
    rlp::append_fixed(out, h.state_root);
    rlp::append_fixed(out, h.tx_root);
    rlp::append_fixed(out, h.receipt_root);
    rlp::append_fixed(out, h.bloom);
    rlp::append_uint(out, h.difficulty);
    rlp::append_uint(out, h.number);
    rlp::append_uint(out, h.gas_limit);
    rlp::append_uint(out, h.gas_used);
    rlp::append_uint(out, h.time);
}

void append_fields_after_extra(Bytes& out, const Header& h) {
    rlp::append_fixed(out, h.mix_digest);
    rlp::append_fixed(out, h.nonce);
    if (h.base_fee) rlp::append_uint(out, *h.base_fee);
}

}  // namespace

Bytes encode_with_extra(const Header& header, BytesView extra) {
    Bytes out;
    out.reserve(600 + extra.size());
    const std::size_t list = rlp::begin_list(out);
    append_fields_before_extra(out, header);
    rlp::append_bytes(out, extra);
    append_fields_after_extra(out, header);
    rlp::end_list(out, list);
    return out;
}

Bytes encode(const Header& header) { return encode_with_extra(header, header.extra); }

namespace {

// Reads one field into `dst`, recording which field failed.
class FieldReader {
  public:
    explicit FieldReader(rlp::ListReader& list) : list_(list) {}

    template <class Fixed>
    bool fixed(HeaderField f, Fixed& dst) {
        return take(f, list_.next_fixed<Fixed>(), dst);
    }
    bool uint(HeaderField f, std::uint64_t& dst) { return take(f, list_.next_uint64(), dst); }
    bool bytes(HeaderField f, Bytes& dst) {
        auto b = list_.next_bytes();
        if (!b) return fail(f, b.error());
        dst.assign(b->begin(), b->end());
        return true;
    }
    std::optional<HeaderDecodeError> error;

  private:
    template <class T>
    bool take(HeaderField f, std::expected<T, rlp::Error> value, T& dst) {
        if (!value) return fail(f, value.error());
        dst = *value;
        return true;
    }
    bool fail(HeaderField f, rlp::Error e) {
        error = HeaderDecodeError{f, e};
        return false;
    }
    rlp::ListReader& list_;
};

}  // namespace

std::expected<Header, HeaderDecodeError> decode_header(BytesView rlp) {
    auto list = rlp::decode_list(rlp);
    if (!list) return std::unexpected(HeaderDecodeError{HeaderField::kList, list.error()});
    Header h;
    FieldReader r(*list);
    const bool ok =
        r.fixed(HeaderField::kParentHash, h.parent_hash) && r.fixed(HeaderField::kUncleHash, h.uncle_hash) &&
        r.fixed(HeaderField::kCoinbase, h.coinbase) && r.fixed(HeaderField::kStateRoot, h.state_root) &&
        r.fixed(HeaderField::kTxRoot, h.tx_root) && r.fixed(HeaderField::kReceiptRoot, h.receipt_root) &&
        r.fixed(HeaderField::kBloom, h.bloom) && r.uint(HeaderField::kDifficulty, h.difficulty) &&
        r.uint(HeaderField::kNumber, h.number) && r.uint(HeaderField::kGasLimit, h.gas_limit) &&
        r.uint(HeaderField::kGasUsed, h.gas_used) && r.uint(HeaderField::kTime, h.time) &&
        r.bytes(HeaderField::kExtra, h.extra) && r.fixed(HeaderField::kMixDigest, h.mix_digest) &&
        r.fixed(HeaderField::kNonce, h.nonce);
    if (!ok) return std::unexpected(*r.error);
    // At most one optional field (baseFee) follows; more means a post-London header.
    if (rlp::ListReader rest = *list; rest.next() && rest.next())
        return std::unexpected(HeaderDecodeError{HeaderField::kList, rlp::Error::kTooManyItems});
    if (!list->empty()) {
        std::uint64_t base_fee = 0;
        if (!r.uint(HeaderField::kBaseFee, base_fee)) return std::unexpected(*r.error);
        h.base_fee = base_fee;
    }
    if (auto done = list->finish(); !done)
        return std::unexpected(HeaderDecodeError{HeaderField::kList, done.error()});
    return h;
}

Hash32 block_hash(const Header& header) { return keccak256(encode(header)); }

}  // namespace cl
