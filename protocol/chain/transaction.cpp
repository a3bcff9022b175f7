#include "protocol/chain/transaction.hpp"

#include "protocol/core/keccak.hpp"

namespace cl {

const char* field_name(TransactionField f) {
    switch (f) {
        case TransactionField::kList:
            return "transaction list";
        case TransactionField::kChainId:
            return "chain_id";
        case TransactionField::kNonce:
            return "nonce";
        case TransactionField::kTo:
            return "to";
        case TransactionField::kCall:
            return "call";
        case TransactionField::kSignature:
            return "signature";
    }
    return "unknown field";
}

std::string TransactionDecodeError::message() const {
    return std::string(field_name(field)) + ": " + rlp::to_string(error);
}

namespace {

void append_unsigned_fields(Bytes& out, const Transaction& tx) {
    rlp::append_uint(out, tx.chain_id);
    rlp::append_uint(out, tx.nonce);
    rlp::append_fixed(out, tx.to);
    out.insert(out.end(), tx.call.begin(), tx.call.end());
}

}  // namespace

Bytes encode(const Transaction& tx) {
    Bytes out;
    out.reserve(tx.call.size() + 110);
    const std::size_t list = rlp::begin_list(out);
    append_unsigned_fields(out, tx);
    rlp::append_fixed(out, tx.signature);
    rlp::end_list(out, list);
    return out;
}

Hash32 signing_hash(const Transaction& tx) {
    Bytes out;
    out.reserve(tx.call.size() + 40);
    const std::size_t list = rlp::begin_list(out);
    append_unsigned_fields(out, tx);
    rlp::end_list(out, list);
    return keccak256(out);
}

Hash32 transaction_hash(const Transaction& tx) { return keccak256(encode(tx)); }

std::expected<Transaction, TransactionDecodeError> decode_transaction(BytesView in) {
    auto fail = [](TransactionField field, rlp::Error error) {
        return std::unexpected(TransactionDecodeError{field, error});
    };
    auto list = rlp::decode_list(in);
    if (!list) return fail(TransactionField::kList, list.error());
    Transaction tx;
    auto chain_id = list->next_uint64();
    if (!chain_id) return fail(TransactionField::kChainId, chain_id.error());
    tx.chain_id = *chain_id;
    auto nonce = list->next_uint64();
    if (!nonce) return fail(TransactionField::kNonce, nonce.error());
    tx.nonce = *nonce;
    auto to = list->next_fixed<Address>();
    if (!to) return fail(TransactionField::kTo, to.error());
    tx.to = *to;

    // The call is kept as its own RLP; it must be one canonical list. The decoder accepts
    // only canonical headers, so the header in front of the payload is header_size() long.
    auto call = list->next();
    if (!call) return fail(TransactionField::kCall, call.error());
    if (!call->is_list) return fail(TransactionField::kCall, rlp::Error::kExpectedList);
    const std::uint8_t* end = call->payload.data() + call->payload.size();
    const std::size_t header = rlp::header_size(call->payload.size());
    const std::uint8_t* begin = call->payload.data() - header;
    tx.call.assign(begin, end);
    if (auto valid = rlp::validate(tx.call); !valid) return fail(TransactionField::kCall, valid.error());

    auto signature = list->next_fixed<Signature>();
    if (!signature) return fail(TransactionField::kSignature, signature.error());
    tx.signature = *signature;
    if (auto done = list->finish(); !done) return fail(TransactionField::kList, done.error());
    return tx;
}

Transaction sign_transaction(Transaction tx, const PrivateKey& key) {
    tx.signature = sign(signing_hash(tx), key);
    return tx;
}

std::expected<RecoveredTransaction, SignatureError> recover_transaction(Transaction tx) {
    auto sender = recover_signer(signing_hash(tx), tx.signature);
    if (!sender) return std::unexpected(sender.error());
    RecoveredTransaction out;
    const Bytes encoded = encode(tx);
    out.encoded_size = encoded.size();
    out.hash = keccak256(encoded);
    out.sender = *sender;
    out.tx = std::move(tx);
    return out;
}

RecoveredTransaction sign_transaction_as(Transaction tx, const PrivateKey& key, const Address& sender) {
    tx.signature = sign(signing_hash(tx), key);
    RecoveredTransaction out;
    const Bytes encoded = encode(tx);
    out.encoded_size = encoded.size();
    out.hash = keccak256(encoded);
    out.sender = sender;
    out.tx = std::move(tx);
    return out;
}

}  // namespace cl
