// Persistent Merkle Patricia Trie (Yellow Paper, appendix D); see trie.hpp for the contract.
//
// Node layout. Every node is one allocation: a 42-byte header followed by its payload.
//   header   refs (u32) | meta (u32: value size 0-23, cached-ref length 24-29, kind 30-31)
//            | bits (u16: branch child mask, or path length 0-14 and path parity 15)
//            | ref[32] (the cached reference: the node's RLP when shorter than 32 bytes,
//              otherwise its keccak; length 0 means "not computed yet")
//   leaf       packed path, value                         (42 + ⌈path/2⌉ + |value| bytes)
//   extension  NodeRef child at offset 48, packed path
//   branch     NodeRef children[popcount(mask)] at offset 48, value (may be empty)
// With 32-byte hashed keys and 80-byte values a leaf is 152 bytes (a 160-byte malloc chunk).
//
// Paths are packed two nibbles a byte *at their absolute position in the key*: a path that
// starts at an odd nibble of the key keeps its first nibble in the low half of its first
// byte (parity bit 1). Copying a path out of a key or out of another node's path is then
// a memcpy, and so is hex-prefix encoding of every leaf (a leaf path ends at the key's
// end, a byte boundary). A node never changes depth, so the parity it records stays true.
//
// Updates recurse once per node on the key's path (at most 2 × key nibbles frames, hence
// Trie::kMaxKeySize). A call that receives the only reference to a node (refs == 1) may
// update that node in place: no other trie can observe it.
#include "protocol/state/trie.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"

namespace cl::state {

namespace {
constexpr Hash32 make_empty_root() {
    Hash32 h;
    h.bytes = {0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
               0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c,
               0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};
    return h;
}
}  // namespace

constinit const Hash32 kEmptyTrieRoot = make_empty_root();

namespace detail {

enum class Kind : std::uint8_t { kLeaf = 0, kExtension = 1, kBranch = 2 };

struct Node {
    std::uint32_t refs = 0;
    std::uint32_t meta = 0;
    std::uint16_t bits = 0;
    std::uint8_t ref[32];
};

}  // namespace detail

namespace {

using detail::Kind;
using detail::Node;
using detail::NodeRef;

constexpr std::size_t kHeaderSize = offsetof(Node, ref) + 32;  // where a leaf's payload starts
constexpr std::size_t kRefsOffset =
    (kHeaderSize + alignof(NodeRef) - 1) / alignof(NodeRef) * alignof(NodeRef);
constexpr std::uint32_t kValueMask = 0xFFFFFF;
constexpr std::uint32_t kRefLenShift = 24;
constexpr std::uint32_t kRefLenMask = 0x3F;
constexpr std::uint32_t kKindShift = 30;
constexpr std::size_t kHashRef = 32;  // ref_len of a node referenced by its keccak
static_assert(Trie::kMaxValueSize == kValueMask);
static_assert(2 * Trie::kMaxKeySize < (1u << 15), "path lengths are 15-bit");

// ---- nibble paths --------------------------------------------------------------------

// Nibbles [begin, begin + size) of a packed byte array, nibble 2i in the high half of byte
// i. Only the parity of `begin` is meaningful to nodes (see the layout note above).
struct Nibbles {
    const std::uint8_t* data = nullptr;
    std::size_t begin = 0;
    std::size_t size = 0;

    std::uint8_t operator[](std::size_t i) const {
        const std::size_t j = begin + i;
        const std::uint8_t b = data[j >> 1];
        return static_cast<std::uint8_t>((j & 1) ? b & 0x0F : b >> 4);
    }
    bool empty() const { return size == 0; }
    Nibbles drop(std::size_t n) const { return {data, begin + n, size - n}; }
    Nibbles take(std::size_t n) const { return {data, begin, n}; }
    std::size_t parity() const { return begin & 1; }
    // The bytes that hold these nibbles.
    const std::uint8_t* first_byte() const { return data + (begin >> 1); }
    std::size_t byte_count() const { return size == 0 ? 0 : (parity() + size + 1) / 2; }
};

Nibbles key_nibbles(BytesView key) { return {key.data(), 0, key.size() * 2}; }

// Length of the longest common prefix of `a` and `b`.
std::size_t common_prefix(Nibbles a, Nibbles b) {
    const std::size_t n = std::min(a.size, b.size);
    std::size_t i = 0;
    if (a.parity() == b.parity()) {
        if (a.parity() == 1 && n > 0) {
            if (a[0] != b[0]) return 0;
            i = 1;
        }
        const std::uint8_t* pa = a.data + ((a.begin + i) >> 1);
        const std::uint8_t* pb = b.data + ((b.begin + i) >> 1);
        while (i + 2 <= n && *pa == *pb) {
            i += 2;
            ++pa;
            ++pb;
        }
    }
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

bool same_path(Nibbles a, Nibbles b) { return a.size == b.size && common_prefix(a, b) == a.size; }

bool same_bytes(BytesView a, BytesView b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void copy_bytes(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
    if (n != 0) std::memcpy(dst, src, n);
}

// A path assembled nibble by nibble (merging a parent's path with its child's on deletion).
class PathBuffer {
  public:
    explicit PathBuffer(std::size_t parity) : parity_(parity) {}
    void append(Nibbles n) {
        for (std::size_t i = 0; i < n.size; ++i) push(n[i]);
    }
    void push(std::uint8_t nibble) {
        const std::size_t j = parity_ + size_++;
        CL_ASSERT((j >> 1) < bytes_.size());
        bytes_[j >> 1] = static_cast<std::uint8_t>((j & 1) ? (bytes_[j >> 1] | nibble) : nibble << 4);
    }
    Nibbles view() const { return {bytes_.data(), parity_, size_}; }

  private:
    std::array<std::uint8_t, Trie::kMaxKeySize + 1> bytes_{};
    std::size_t parity_;
    std::size_t size_ = 0;
};

// ---- node access ---------------------------------------------------------------------

std::uint8_t* raw(Node* n) { return reinterpret_cast<std::uint8_t*>(n); }
const std::uint8_t* raw(const Node* n) { return reinterpret_cast<const std::uint8_t*>(n); }

Kind kind(const Node* n) { return static_cast<Kind>(n->meta >> kKindShift); }
std::size_t value_size(const Node* n) { return n->meta & kValueMask; }
std::size_t ref_len(const Node* n) { return (n->meta >> kRefLenShift) & kRefLenMask; }
void set_ref_len(Node* n, std::size_t len) {
    n->meta = (n->meta & ~(kRefLenMask << kRefLenShift)) | static_cast<std::uint32_t>(len) << kRefLenShift;
}
void invalidate(Node* n) { set_ref_len(n, 0); }

std::size_t child_count(const Node* n) { return static_cast<std::size_t>(std::popcount(n->bits)); }
NodeRef* children(Node* n) { return std::launder(reinterpret_cast<NodeRef*>(raw(n) + kRefsOffset)); }
const NodeRef* children(const Node* n) {
    return std::launder(reinterpret_cast<const NodeRef*>(raw(n) + kRefsOffset));
}
// The slot of child `nibble`, or nullptr.
NodeRef* child_slot(Node* n, unsigned nibble) {
    if (((n->bits >> nibble) & 1) == 0) return nullptr;
    const auto below = static_cast<std::uint16_t>(n->bits & ((1u << nibble) - 1));
    return children(n) + std::popcount(below);
}
const NodeRef* child_slot(const Node* n, unsigned nibble) { return child_slot(const_cast<Node*>(n), nibble); }
NodeRef& ext_child(Node* n) { return children(n)[0]; }

const std::uint8_t* path_bytes(const Node* n) {
    return raw(n) + (kind(n) == Kind::kLeaf ? kHeaderSize : kRefsOffset + sizeof(NodeRef));
}
Nibbles node_path(const Node* n) {
    return {path_bytes(n), static_cast<std::size_t>(n->bits >> 15),
            static_cast<std::size_t>(n->bits & 0x7FFF)};
}
const std::uint8_t* value_bytes(const Node* n) {
    if (kind(n) == Kind::kLeaf) return raw(n) + kHeaderSize + node_path(n).byte_count();
    return raw(n) + kRefsOffset + child_count(n) * sizeof(NodeRef);
}
BytesView node_value(const Node* n) { return {value_bytes(n), value_size(n)}; }
std::uint8_t* mutable_value(Node* n) { return const_cast<std::uint8_t*>(value_bytes(n)); }

// ---- node construction -----------------------------------------------------------------

Node* allocate(std::size_t size, Kind k, std::size_t value_len) {
    CL_ASSERT(value_len <= kValueMask);
    Node* n = new (::operator new(std::max(size, sizeof(Node)))) Node;
    n->meta = static_cast<std::uint32_t>(value_len) | static_cast<std::uint32_t>(k) << kKindShift;
    return n;
}

void store_path(Node* n, std::uint8_t* dst, Nibbles path) {
    CL_ASSERT(path.size < (1u << 15));
    n->bits = static_cast<std::uint16_t>(path.size | path.parity() << 15);
    copy_bytes(dst, path.first_byte(), path.byte_count());
}

NodeRef make_leaf(Nibbles path, BytesView value) {
    const std::size_t path_len = path.byte_count();
    Node* n = allocate(kHeaderSize + path_len + value.size(), Kind::kLeaf, value.size());
    store_path(n, raw(n) + kHeaderSize, path);
    copy_bytes(raw(n) + kHeaderSize + path_len, value.data(), value.size());
    return NodeRef(n);
}

NodeRef make_extension(Nibbles path, NodeRef child) {
    CL_ASSERT(!path.empty() && child && kind(child.get()) == Kind::kBranch);
    Node* n = allocate(kRefsOffset + sizeof(NodeRef) + path.byte_count(), Kind::kExtension, 0);
    new (raw(n) + kRefsOffset) NodeRef(std::move(child));
    store_path(n, raw(n) + kRefsOffset + sizeof(NodeRef), path);
    return NodeRef(n);
}

using Children = std::array<NodeRef, 16>;

NodeRef make_branch(Children& kids, BytesView value) {
    std::uint16_t mask = 0;
    std::size_t count = 0;
    for (unsigned i = 0; i < 16; ++i) {
        if (kids[i]) {
            mask = static_cast<std::uint16_t>(mask | 1u << i);
            ++count;
        }
    }
    CL_ASSERT(count + (value.empty() ? 0 : 1) >= 2);
    Node* n = allocate(kRefsOffset + count * sizeof(NodeRef) + value.size(), Kind::kBranch, value.size());
    n->bits = mask;
    NodeRef* slot = children(n);
    for (NodeRef& kid : kids) {
        if (kid) new (slot++) NodeRef(std::move(kid));
    }
    copy_bytes(raw(n) + kRefsOffset + count * sizeof(NodeRef), value.data(), value.size());
    return NodeRef(n);
}

// Starts loading the headers of all children of `n`: copying or hashing a branch touches
// every child (reference count, cached reference), and in a large trie each is a cache
// miss; issued together they overlap instead of costing one memory latency each.
void prefetch_children(Node* n, int for_write) {
    const NodeRef* kids = children(n);
    const std::size_t count = kind(n) == Kind::kBranch ? child_count(n) : 1;
    for (std::size_t i = 0; i < count; ++i) {
        if (for_write) {
            __builtin_prefetch(kids[i].get(), 1);
        } else {
            __builtin_prefetch(kids[i].get(), 0);
        }
    }
}

// The children of branch `node`, moved out when `node` is the only reference (it is about
// to be replaced), copied otherwise.
Children take_children(NodeRef& node) {
    Children kids;
    Node* n = node.get();
    const bool owned = n->refs == 1;
    if (!owned) prefetch_children(n, 1);
    NodeRef* slot = children(n);
    for (unsigned i = 0; i < 16; ++i) {
        if ((n->bits >> i) & 1) {
            kids[i] = owned ? std::move(*slot) : *slot;
            ++slot;
        }
    }
    return kids;
}

void destroy(Node* n) {
    if (kind(n) != Kind::kLeaf) {
        NodeRef* kids = children(n);
        const std::size_t count = kind(n) == Kind::kBranch ? child_count(n) : 1;
        for (std::size_t i = 0; i < count; ++i) kids[i].~NodeRef();
    }
    n->~Node();
    ::operator delete(n);
}

}  // namespace

// ---- NodeRef -----------------------------------------------------------------------------

namespace detail {
NodeRef::NodeRef(Node* node) : node_(node) {
    if (node_ != nullptr) ++node_->refs;
}
NodeRef::NodeRef(const NodeRef& other) : node_(other.node_) {
    if (node_ != nullptr) ++node_->refs;
}
NodeRef::NodeRef(NodeRef&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
NodeRef& NodeRef::operator=(NodeRef other) noexcept {
    std::swap(node_, other.node_);
    return *this;
}
NodeRef::~NodeRef() {
    if (node_ != nullptr && --node_->refs == 0) destroy(node_);
}
}  // namespace detail

namespace {

// ---- updates -------------------------------------------------------------------------------

bool owned(const NodeRef& node) { return node->refs == 1; }

// `prefix` followed by `child` (a leaf, extension or branch) as one node: the merge that
// deletion needs when a branch collapses or an extension's branch becomes a leaf/extension.
NodeRef join(Nibbles prefix, const NodeRef& child) {
    Node* c = child.get();
    if (kind(c) == Kind::kBranch) return make_extension(prefix, child);
    PathBuffer path(prefix.parity());
    path.append(prefix);
    path.append(node_path(c));
    if (kind(c) == Kind::kLeaf) return make_leaf(path.view(), node_value(c));
    return make_extension(path.view(), ext_child(c));
}

// The branch that holds `kids` and `value`, or, when only one entry is left, the leaf or
// extension that replaces it (Yellow Paper canonical form). `position` is the absolute
// nibble index of the branch's child nibble, for the parity of a collapsed path.
NodeRef normalise(Children& kids, BytesView value, std::size_t position) {
    std::size_t entries = value.empty() ? 0 : 1;
    unsigned last = 0;
    for (unsigned i = 0; i < 16; ++i) {
        if (kids[i]) {
            ++entries;
            last = i;
        }
    }
    if (entries >= 2) return make_branch(kids, value);
    CL_ASSERT(entries == 1);
    const std::size_t parity = position & 1;
    if (!value.empty()) return make_leaf(Nibbles{nullptr, parity, 0}, value);
    const std::uint8_t byte = static_cast<std::uint8_t>(parity ? last : last << 4);
    return join(Nibbles{&byte, parity, 1}, kids[last]);
}

// `node` with `path` mapped to `value`. Returns `node` itself when nothing changes.
NodeRef insert(NodeRef node, Nibbles path, BytesView value) {
    if (!node) return make_leaf(path, value);
    Node* n = node.get();
    switch (kind(n)) {
        case Kind::kLeaf: {
            const Nibbles leaf_path = node_path(n);
            const BytesView old = node_value(n);
            const std::size_t common = common_prefix(leaf_path, path);
            if (common == leaf_path.size && common == path.size) {
                if (same_bytes(old, value)) return node;
                if (owned(node) && old.size() == value.size()) {
                    std::memcpy(mutable_value(n), value.data(), value.size());
                    invalidate(n);
                    return node;
                }
                return make_leaf(leaf_path, value);
            }
            Children kids;
            BytesView slot_value;
            if (common == leaf_path.size) {
                slot_value = old;
            } else {
                kids[leaf_path[common]] = make_leaf(leaf_path.drop(common + 1), old);
            }
            if (common == path.size) {
                slot_value = value;
            } else {
                kids[path[common]] = make_leaf(path.drop(common + 1), value);
            }
            NodeRef branch = make_branch(kids, slot_value);
            return common == 0 ? branch : make_extension(path.take(common), std::move(branch));
        }
        case Kind::kExtension: {
            const Nibbles ext_path = node_path(n);
            const std::size_t common = common_prefix(ext_path, path);
            NodeRef& child = ext_child(n);
            if (common == ext_path.size) {
                if (owned(node)) {
                    child = insert(std::move(child), path.drop(common), value);
                    if (ref_len(child.get()) == 0) invalidate(n);
                    return node;
                }
                NodeRef updated = insert(child, path.drop(common), value);
                if (updated.get() == child.get()) return node;
                return make_extension(ext_path, std::move(updated));
            }
            Children kids;
            BytesView slot_value;
            kids[ext_path[common]] =
                common + 1 == ext_path.size ? child : make_extension(ext_path.drop(common + 1), child);
            if (common == path.size) {
                slot_value = value;
            } else {
                kids[path[common]] = make_leaf(path.drop(common + 1), value);
            }
            NodeRef branch = make_branch(kids, slot_value);
            return common == 0 ? branch : make_extension(path.take(common), std::move(branch));
        }
        case Kind::kBranch: {
            const BytesView old = node_value(n);
            if (path.empty()) {
                if (same_bytes(old, value)) return node;
                if (owned(node) && old.size() == value.size()) {
                    std::memcpy(mutable_value(n), value.data(), value.size());
                    invalidate(n);
                    return node;
                }
                Children kids = take_children(node);
                return make_branch(kids, value);
            }
            const unsigned nibble = path[0];
            NodeRef* slot = child_slot(n, nibble);
            if (slot == nullptr) {
                Children kids = take_children(node);
                kids[nibble] = make_leaf(path.drop(1), value);
                return make_branch(kids, old);
            }
            if (owned(node)) {
                *slot = insert(std::move(*slot), path.drop(1), value);
                if (ref_len(slot->get()) == 0) invalidate(n);
                return node;
            }
            NodeRef updated = insert(*slot, path.drop(1), value);
            if (updated.get() == slot->get()) return node;
            Children kids = take_children(node);
            kids[nibble] = std::move(updated);
            return make_branch(kids, old);
        }
    }
    CL_ASSERT(false);
    return node;
}

// `node` without `path` (null when nothing is left). Returns `node` itself when `path` is
// absent.
NodeRef remove(NodeRef node, Nibbles path) {
    if (!node) return node;
    Node* n = node.get();
    switch (kind(n)) {
        case Kind::kLeaf:
            return same_path(node_path(n), path) ? NodeRef() : node;
        case Kind::kExtension: {
            const Nibbles ext_path = node_path(n);
            if (path.size < ext_path.size || common_prefix(ext_path, path) < ext_path.size) return node;
            NodeRef& child = ext_child(n);
            NodeRef updated;
            if (owned(node)) {
                updated = remove(std::move(child), path.drop(ext_path.size));
                CL_ASSERT(updated);  // a branch keeps at least one entry after one removal
                if (kind(updated.get()) == Kind::kBranch) {
                    child = std::move(updated);
                    if (ref_len(child.get()) == 0) invalidate(n);
                    return node;
                }
            } else {
                updated = remove(child, path.drop(ext_path.size));
                if (updated.get() == child.get()) return node;
            }
            CL_ASSERT(updated);
            return join(ext_path, updated);
        }
        case Kind::kBranch: {
            BytesView value = node_value(n);
            Children kids;
            if (path.empty()) {
                if (value.empty()) return node;
                kids = take_children(node);
                value = {};
            } else {
                const unsigned nibble = path[0];
                NodeRef* slot = child_slot(n, nibble);
                if (slot == nullptr) return node;
                if (owned(node)) {
                    NodeRef updated = remove(std::move(*slot), path.drop(1));
                    *slot = std::move(updated);
                    if (*slot) {
                        if (ref_len(slot->get()) == 0) invalidate(n);
                        return node;
                    }
                } else {
                    NodeRef updated = remove(*slot, path.drop(1));
                    if (updated.get() == slot->get()) return node;
                    if (updated) {
                        kids = take_children(node);
                        kids[nibble] = std::move(updated);
                        return make_branch(kids, value);
                    }
                }
                kids = take_children(node);
                kids[nibble] = NodeRef();
            }
            return normalise(kids, value, path.begin);
        }
    }
    CL_ASSERT(false);
    return node;
}

// ---- encoding and hashing -------------------------------------------------------------------

void append_header(Bytes& out, std::size_t payload, std::uint8_t base) {
    if (payload <= 55) {
        out.push_back(static_cast<std::uint8_t>(base + payload));
        return;
    }
    std::size_t n = 0;
    for (std::size_t v = payload; v != 0; v >>= 8) ++n;
    out.push_back(static_cast<std::uint8_t>(base + 55 + n));
    for (std::size_t i = n; i-- > 0;) out.push_back(static_cast<std::uint8_t>(payload >> (8 * i)));
}

std::size_t string_size(BytesView s) {
    if (s.size() == 1 && s[0] < 0x80) return 1;
    return rlp::header_size(s.size()) + s.size();
}

// Hex-prefix encoding (Yellow Paper appendix C) of `path` as an RLP string.
std::size_t hp_item_size(Nibbles path) {
    const std::size_t len = path.size / 2 + 1;
    return len == 1 ? 1 : rlp::header_size(len) + len;  // a lone flag byte is < 0x80
}
void append_hp_item(Bytes& out, Nibbles path, bool leaf) {
    const std::size_t len = path.size / 2 + 1;
    if (len > 1) append_header(out, len, 0x80);
    const std::uint8_t flag = static_cast<std::uint8_t>((leaf ? 2 : 0) + (path.size & 1));
    std::size_t i = 0;
    if (path.size & 1) {
        out.push_back(static_cast<std::uint8_t>(flag << 4 | path[0]));
        i = 1;
    } else {
        out.push_back(static_cast<std::uint8_t>(flag << 4));
    }
    if (((path.begin + i) & 1) == 0) {  // the remaining nibbles are whole bytes
        const std::uint8_t* src = path.data + ((path.begin + i) >> 1);
        out.insert(out.end(), src, src + (path.size - i) / 2);
    } else {
        for (; i < path.size; i += 2) out.push_back(static_cast<std::uint8_t>(path[i] << 4 | path[i + 1]));
    }
}

void append_string(Bytes& out, BytesView s) {
    if (!(s.size() == 1 && s[0] < 0x80)) append_header(out, s.size(), 0x80);
    out.insert(out.end(), s.begin(), s.end());
}

// How a parent embeds `child` (whose reference is computed): a hash string or its RLP.
std::size_t ref_item_size(const Node* child) { return ref_len(child) == kHashRef ? 33 : ref_len(child); }
void append_ref_item(Bytes& out, const Node* child) {
    if (ref_len(child) == kHashRef) out.push_back(0xa0);
    out.insert(out.end(), child->ref, child->ref + ref_len(child));
}

// The node's RLP. REQUIRES: the references of its children are computed.
void encode(const Node* n, Bytes& out) {
    switch (kind(n)) {
        case Kind::kLeaf: {
            const Nibbles path = node_path(n);
            const BytesView value = node_value(n);
            append_header(out, hp_item_size(path) + string_size(value), 0xc0);
            append_hp_item(out, path, true);
            append_string(out, value);
            return;
        }
        case Kind::kExtension: {
            const Nibbles path = node_path(n);
            const Node* child = children(n)[0].get();
            append_header(out, hp_item_size(path) + ref_item_size(child), 0xc0);
            append_hp_item(out, path, false);
            append_ref_item(out, child);
            return;
        }
        case Kind::kBranch: {
            const NodeRef* kids = children(n);
            const BytesView value = node_value(n);
            std::size_t payload = 16 - child_count(n) + (value.empty() ? 1 : string_size(value));
            for (std::size_t i = 0; i < child_count(n); ++i) payload += ref_item_size(kids[i].get());
            append_header(out, payload, 0xc0);
            for (unsigned i = 0; i < 16; ++i) {
                if ((n->bits >> i) & 1) {
                    append_ref_item(out, (kids++)->get());
                } else {
                    out.push_back(0x80);
                }
            }
            if (value.empty()) {
                out.push_back(0x80);
            } else {
                append_string(out, value);
            }
            return;
        }
    }
}

// Fills the reference cache of `n` and of every descendant that lacks one. `scratch` is
// reused across the walk (children finish with it before their parent encodes).
void compute_ref(Node* n, Bytes& scratch) {
    if (ref_len(n) != 0) return;
    if (kind(n) != Kind::kLeaf) {
        prefetch_children(n, 0);
        NodeRef* kids = children(n);
        const std::size_t count = kind(n) == Kind::kBranch ? child_count(n) : 1;
        for (std::size_t i = 0; i < count; ++i) compute_ref(kids[i].get(), scratch);
    }
    scratch.clear();
    encode(n, scratch);
    if (scratch.size() < kHashRef) {
        std::memcpy(n->ref, scratch.data(), scratch.size());
        set_ref_len(n, scratch.size());
    } else {
        const Hash32 h = keccak256(scratch);
        std::memcpy(n->ref, h.data(), kHashRef);
        set_ref_len(n, kHashRef);
    }
}

}  // namespace

// ---- Trie ------------------------------------------------------------------------------------

std::optional<BytesView> Trie::get(BytesView key) const {
    const Node* n = root_.get();
    Nibbles path = key_nibbles(key);
    while (n != nullptr) {
        switch (kind(n)) {
            case Kind::kLeaf:
                if (!same_path(node_path(n), path)) return std::nullopt;
                return node_value(n);
            case Kind::kExtension: {
                const Nibbles ext_path = node_path(n);
                if (path.size < ext_path.size || common_prefix(ext_path, path) < ext_path.size) {
                    return std::nullopt;
                }
                path = path.drop(ext_path.size);
                n = children(n)[0].get();
                break;
            }
            case Kind::kBranch: {
                if (path.empty()) {
                    if (value_size(n) == 0) return std::nullopt;
                    return node_value(n);
                }
                const NodeRef* slot = child_slot(n, path[0]);
                if (slot == nullptr) return std::nullopt;
                path = path.drop(1);
                n = slot->get();
                break;
            }
        }
    }
    return std::nullopt;
}

Trie Trie::with(BytesView key, BytesView value) const& { return Trie(*this).with(key, value); }

Trie Trie::with(BytesView key, BytesView value) && {
    CL_ASSERT(!value.empty() && value.size() <= kMaxValueSize && key.size() <= kMaxKeySize);
    return Trie(insert(std::move(root_), key_nibbles(key), value));
}

Trie Trie::without(BytesView key) const& { return Trie(*this).without(key); }

Trie Trie::without(BytesView key) && {
    if (key.size() > kMaxKeySize) return std::move(*this);  // never present
    return Trie(remove(std::move(root_), key_nibbles(key)));
}

Trie Trie::with_all(std::span<const std::pair<Bytes, Bytes>> writes) const& {
    return Trie(*this).with_all(writes);
}

Trie Trie::with_all(std::span<const std::pair<Bytes, Bytes>> writes) && {
    NodeRef root = std::move(root_);
    for (const auto& [key, value] : writes) {
        CL_ASSERT(value.size() <= kMaxValueSize && key.size() <= kMaxKeySize);
        root = value.empty() ? remove(std::move(root), key_nibbles(key))
                             : insert(std::move(root), key_nibbles(key), value);
    }
    return Trie(std::move(root));
}

Hash32 Trie::root_hash() const {
    if (!root_) return kEmptyTrieRoot;
    // Asked far more often than the trie changes (every nonce and operator lookup keys on
    // the root): once the root's reference is known, no scratch buffer is made.
    if (ref_len(root_.get()) == 0) {
        Bytes scratch;
        scratch.reserve(600);
        compute_ref(root_.get(), scratch);
    }
    if (ref_len(root_.get()) == kHashRef) return Hash32::from_span(BytesView(root_->ref, kHashRef));
    return keccak256(BytesView(root_->ref, ref_len(root_.get())));  // the root is always hashed
}

std::vector<Bytes> Trie::prove(BytesView key) const {
    std::vector<Bytes> proof;
    if (!root_) return proof;
    Bytes scratch;
    compute_ref(root_.get(), scratch);
    Node* n = root_.get();
    Nibbles path = key_nibbles(key);
    while (n != nullptr) {
        if (n == root_.get() || ref_len(n) == kHashRef) {
            Bytes rlp;
            encode(n, rlp);
            proof.push_back(std::move(rlp));
        }
        switch (kind(n)) {
            case Kind::kLeaf:
                return proof;
            case Kind::kExtension: {
                const Nibbles ext_path = node_path(n);
                if (path.size < ext_path.size || common_prefix(ext_path, path) < ext_path.size) return proof;
                path = path.drop(ext_path.size);
                n = children(n)[0].get();
                break;
            }
            case Kind::kBranch: {
                if (path.empty()) return proof;
                NodeRef* slot = child_slot(n, path[0]);
                if (slot == nullptr) return proof;
                path = path.drop(1);
                n = slot->get();
                break;
            }
        }
    }
    return proof;
}

// ---- proofs ------------------------------------------------------------------------------------

const char* to_string(ProofError e) {
    switch (e) {
        case ProofError::kMissingNode:
            return "proof ends before the key's path does";
        case ProofError::kHashMismatch:
            return "proof node does not hash to its parent's reference";
        case ProofError::kMalformedNode:
            return "proof node is not a valid trie node";
    }
    return "unknown proof error";
}

namespace {

// One decoded trie node: its items, each with its raw encoding.
struct DecodedNode {
    std::array<rlp::Item, 17> items;
    std::array<BytesView, 17> raw;
    std::size_t count = 0;
};

std::optional<DecodedNode> decode_node(BytesView encoding) {
    auto list = rlp::decode(encoding);
    if (!list || !list->is_list) return std::nullopt;
    DecodedNode node;
    BytesView rest = list->payload;
    while (!rest.empty()) {
        if (node.count == 17) return std::nullopt;
        const BytesView before = rest;
        auto item = rlp::read_item(rest);
        if (!item) return std::nullopt;
        node.raw[node.count] = before.first(before.size() - rest.size());
        node.items[node.count++] = *item;
    }
    if (node.count != 2 && node.count != 17) return std::nullopt;
    return node;
}

// A child reference: a 32-byte hash string or an embedded node shorter than 32 bytes.
bool valid_ref(const rlp::Item& item, BytesView raw) {
    return item.is_list ? raw.size() < kHashRef : item.payload.size() == kHashRef;
}

}  // namespace

std::expected<std::optional<Bytes>, ProofError> verify_proof(const Hash32& root, BytesView key,
                                                             const std::vector<Bytes>& proof) {
    using Result = std::expected<std::optional<Bytes>, ProofError>;
    const auto absent = [] { return Result(std::optional<Bytes>()); };
    const auto fail = [](ProofError e) { return Result(std::unexpected(e)); };
    if (root == kEmptyTrieRoot) return absent();  // keccak(rlp("")): the empty trie holds nothing

    Nibbles path = key_nibbles(key);
    std::size_t next = 0;    // the next proof element
    Hash32 expected = root;  // the reference the next proof element must hash to
    bool by_hash = true;     // false: `node` is embedded in its parent
    bool need_branch = false;
    BytesView node;
    for (;;) {
        if (by_hash) {
            if (next == proof.size()) return fail(ProofError::kMissingNode);
            node = proof[next++];
            if (keccak256(node) != expected) return fail(ProofError::kHashMismatch);
            // A non-root node shorter than 32 bytes is embedded, never referenced by hash.
            if (next > 1 && node.size() < kHashRef) return fail(ProofError::kMalformedNode);
        }
        const auto decoded = decode_node(node);
        if (!decoded) return fail(ProofError::kMalformedNode);
        const DecodedNode& d = *decoded;
        std::size_t follow = 0;  // the index of the child reference to follow
        if (d.count == 17) {
            for (std::size_t i = 0; i < 16; ++i) {
                const bool empty = !d.items[i].is_list && d.items[i].payload.empty();
                if (!empty && !valid_ref(d.items[i], d.raw[i])) return fail(ProofError::kMalformedNode);
            }
            if (d.items[16].is_list) return fail(ProofError::kMalformedNode);
            if (path.empty()) {
                const BytesView value = d.items[16].payload;
                if (value.empty()) return absent();
                return Result(Bytes(value.begin(), value.end()));
            }
            follow = path[0];
            path = path.drop(1);
            if (!d.items[follow].is_list && d.items[follow].payload.empty()) return absent();
            need_branch = false;
        } else {
            if (need_branch) return fail(ProofError::kMalformedNode);  // an extension's child is a branch
            const rlp::Item& hp = d.items[0];
            if (hp.is_list || hp.payload.empty()) return fail(ProofError::kMalformedNode);
            const std::uint8_t flag = hp.payload[0] >> 4;
            if (flag > 3 || ((flag & 1) == 0 && (hp.payload[0] & 0x0F) != 0)) {
                return fail(ProofError::kMalformedNode);
            }
            const bool leaf = (flag & 2) != 0;
            const std::size_t odd = flag & 1;
            const Nibbles node_path{hp.payload.data(), odd ? 1u : 2u, (hp.payload.size() - 1) * 2 + odd};
            const bool matches =
                path.size >= node_path.size && common_prefix(node_path, path) == node_path.size;
            if (leaf) {
                if (d.items[1].is_list || d.items[1].payload.empty()) return fail(ProofError::kMalformedNode);
                if (!matches || path.size != node_path.size) return absent();
                return Result(Bytes(d.items[1].payload.begin(), d.items[1].payload.end()));
            }
            if (node_path.empty() || !valid_ref(d.items[1], d.raw[1]))
                return fail(ProofError::kMalformedNode);
            if (!matches) return absent();
            path = path.drop(node_path.size);
            follow = 1;
            need_branch = true;
        }
        if (d.items[follow].is_list) {
            node = d.raw[follow];
            by_hash = false;
        } else {
            expected = Hash32::from_span(d.items[follow].payload);
            by_hash = true;
        }
    }
}

}  // namespace cl::state
