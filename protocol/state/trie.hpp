// A persistent Merkle Patricia Trie (Ethereum Yellow Paper, appendix D).
//
// A Trie is an immutable value: `with` and `without` return a new trie that shares every
// untouched node with the old one (path copying), so keeping a block's state beside its
// parent's costs only the nodes the block changed, and executing two forks from one
// parent copies nothing else. Node hashes are computed lazily by root_hash() and cached
// in the nodes, so the cost of a root update grows with the number of nodes written
// since the last root_hash() call, not with the size of the trie.
//
// Keys are arbitrary byte strings (the ledger state uses 32-byte hashed keys: a "secure"
// trie); values are non-empty byte strings. Node encoding, hex-prefix paths, inlining of
// nodes whose RLP is shorter than 32 bytes and the empty root
// 56e81f17…b421 follow the Yellow Paper exactly, so roots agree with go-ethereum's.
//
// Invariants (canonical form): a branch holds at least two entries (children and value
// slot together), an extension has a non-empty path and a branch as its child, and no
// node is reachable by two paths. Deletion restores this form (a branch left with one
// entry collapses into a leaf or an extension, extensions merge), so a trie's shape, and
// therefore its root, depends only on its key/value set, never on the order of writes.
//
// Batches: the rvalue overloads (`std::move(t).with(k, v)`) and with_all() update in
// place every node that no other trie shares (reference count 1), so a block's writes
// copy each path node once rather than once per write. Observable values never change:
// a node is only mutated when the trie being consumed is its sole owner.
//
// Thread-safety: nodes are reference counted without atomics and root_hash() writes
// hash caches; a trie and every trie derived from it must be used from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "protocol/core/bytes.hpp"

namespace cl::state {

namespace detail {
struct Node;
// Intrusive reference to an immutable node (non-atomic count, see Thread-safety above).
class NodeRef {
  public:
    NodeRef() = default;
    explicit NodeRef(Node* node);  // takes a new reference (increments the count)
    NodeRef(const NodeRef& other);
    NodeRef(NodeRef&& other) noexcept;
    NodeRef& operator=(NodeRef other) noexcept;
    ~NodeRef();
    Node* get() const { return node_; }
    Node* operator->() const { return node_; }
    explicit operator bool() const { return node_ != nullptr; }

  private:
    Node* node_ = nullptr;
};
}  // namespace detail

// keccak256(rlp("")): the root of the empty trie.
extern const Hash32 kEmptyTrieRoot;

class Trie {
  public:
    // Longest key with() accepts: bounds the recursion depth of updates (one frame per
    // node on the path, at most two per key nibble). Longer keys are never present.
    static constexpr std::size_t kMaxKeySize = 1024;
    // Longest value (values are stored inline in their node with a 24-bit length).
    static constexpr std::size_t kMaxValueSize = (std::size_t{1} << 24) - 1;

    Trie() = default;  // the empty trie

    // The value stored at `key`, if any. O(key length). The view points into a node and
    // stays valid while this trie, or any trie that shares that node, is alive.
    std::optional<BytesView> get(BytesView key) const;

    // A trie equal to this one except that `key` maps to `value`.
    // REQUIRES: !value.empty() (as in Ethereum, an empty value means "absent": use without()),
    //           key.size() <= kMaxKeySize, value.size() <= kMaxValueSize.
    // O(key length) nodes copied; the && overload reuses nodes only this trie owns.
    Trie with(BytesView key, BytesView value) const&;
    Trie with(BytesView key, BytesView value) &&;
    // A trie equal to this one without `key` (this trie, shared, if `key` is absent).
    Trie without(BytesView key) const&;
    Trie without(BytesView key) &&;

    // Applies `writes` in order: a non-empty value sets its key, an empty value removes it
    // (the state-diff form of a block). Equivalent to chaining with()/without(), but every
    // node on a written path is copied at most once per batch.
    // REQUIRES: every key.size() <= kMaxKeySize and value.size() <= kMaxValueSize.
    Trie with_all(std::span<const std::pair<Bytes, Bytes>> writes) const&;
    Trie with_all(std::span<const std::pair<Bytes, Bytes>> writes) &&;

    // keccak256 of the root node's RLP. Hashes only nodes created since their last hashing.
    Hash32 root_hash() const;

    bool empty() const { return !root_; }

    // The RLP of every node on the path from the root towards `key`, root first: a proof
    // of inclusion (the path ends at the key's value) or of exclusion (it ends elsewhere).
    // As in go-ethereum, a node whose RLP is shorter than 32 bytes is not listed on its
    // own: it is embedded in its parent's RLP, which the proof already carries. The proof
    // of any key in the empty trie is empty. Computes pending hashes (like root_hash()).
    std::vector<Bytes> prove(BytesView key) const;

  private:
    explicit Trie(detail::NodeRef root) : root_(std::move(root)) {}
    detail::NodeRef root_;
};

enum class [[nodiscard]] ProofError{
    kMissingNode,    // the proof ends before the path reaches a leaf or an empty slot
    kHashMismatch,   // a node's hash is not the reference its parent holds
    kMalformedNode,  // a node is not valid trie-node RLP or not in canonical trie form
};
const char* to_string(ProofError e);

// Checks `proof` against `root` for `key`: the value at `key` (nullopt when the proof shows
// that `key` is absent) or why the proof does not establish either. Proof elements are
// consumed in order, one per hash reference followed (embedded nodes are read from their
// parent); elements after the one that settles the question are ignored. Never reads out
// of bounds and never recurses, whatever the bytes: every step consumes a key nibble or a
// proof element. An empty proof establishes absence only against kEmptyTrieRoot.
std::expected<std::optional<Bytes>, ProofError> verify_proof(const Hash32& root, BytesView key,
                                                             const std::vector<Bytes>& proof);

}  // namespace cl::state
