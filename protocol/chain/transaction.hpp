// Cloud Ledger transactions (shared/spec/promo-pool.md §1): {chain_id, nonce, to, call,
// signature}, their RLP, hash, signing hash and sender recovery.
//
// RLP: [chain_id, nonce, to (20 bytes), call (an RLP list [method, args...]), signature
// (65 bytes r ‖ s ‖ v, v ∈ {0, 1})]. The signature signs keccak256(rlp([chain_id, nonce,
// to, call])); the transaction hash is keccak256 of the full RLP. There is no gas and no
// price: the chain is fee-free (§1). The call's contents are interpreted by the contract
// at `to` (protocol/state/call.hpp); here `call` only has to be a well-formed RLP list.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>

#include "protocol/core/bytes.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"

namespace cl {

struct Transaction {
    std::uint64_t chain_id = 0;
    std::uint64_t nonce = 0;
    Address to;
    Bytes call;  // the RLP of a list; decode_transaction() checks it is one, canonically
    Signature signature;

    friend bool operator==(const Transaction&, const Transaction&) = default;
};

enum class TransactionField { kList, kChainId, kNonce, kTo, kCall, kSignature };
const char* field_name(TransactionField f);

struct TransactionDecodeError {
    TransactionField field;  // kList: the enclosing list itself (framing, item count)
    rlp::Error error;
    std::string message() const;
};

Bytes encode(const Transaction& tx);
// Strict: canonical RLP only, exactly five items, `call` a canonical list.
std::expected<Transaction, TransactionDecodeError> decode_transaction(BytesView rlp);

// keccak256(rlp([chain_id, nonce, to, call])): what the sender signs.
Hash32 signing_hash(const Transaction& tx);
// keccak256(encode(tx)). A promo code's id is the hash of its request (§3).
Hash32 transaction_hash(const Transaction& tx);

// Signs `tx` (its signature field is ignored and replaced). REQUIRES: key is valid.
Transaction sign_transaction(Transaction tx, const PrivateKey& key);

// A transaction with what every consumer needs computed once: its hash, encoded size and
// sender. Making one costs a signature recovery (~50 µs), so share it rather than redo it.
struct RecoveredTransaction {
    Transaction tx;
    Hash32 hash;
    Address sender;
    std::size_t encoded_size = 0;
};

// A recovered transaction shared by everything that holds it (pools, blocks, messages).
using TxRef = std::shared_ptr<const RecoveredTransaction>;

// The sender of `tx`, recovered from its signature (strict: low s, v ∈ {0, 1}).
std::expected<RecoveredTransaction, SignatureError> recover_transaction(Transaction tx);

// `tx` signed by `key`, as recover_transaction(sign_transaction(tx, key)) would return
// it, for a signer that already knows its own address: `sender` is taken as the
// recovered sender instead of recovering it (a recovery costs about twice a signature).
// Hash and encoded size are computed as recover_transaction computes them.
// REQUIRES: key is valid and sender == address_of(key) (the math then guarantees that
// recovery yields sender; a wrong sender is a programming error, not checked here).
RecoveredTransaction sign_transaction_as(Transaction tx, const PrivateKey& key, const Address& sender);

}  // namespace cl
