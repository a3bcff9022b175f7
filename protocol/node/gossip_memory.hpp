// Gossip bookkeeping of many nodes in one store (DESIGN.md §5; docs/benchmarks.md
// "Gossip bookkeeping"). Every node keeps two memories of gossip:
//
// - the transactions it saw lately (geth's known-transaction cache): a direct-mapped
//   table of kTxSlots 64-bit fingerprints (the hash's first 8 bytes), where a hash is
//   remembered until a later one with the same index (fingerprint mod kTxSlots)
//   displaces it — forgetful by design; fingerprint 0 is never remembered;
// - which of its peers are known to have a block (geth's knownBlocks per peer).
//
// A node alone would hold a table of its own (kTxSlots · 8 bytes) and a hash map per
// block. Nodes that run in one process (the simulator's thousands) share this store
// instead: each node is a member with its own answers — exactly those its own tables
// would give — while the storage is laid out by item:
//
// - transactions: per table index (kTxSlots classes), the few fingerprints some member
//   still holds at that index, each with a bitmap over members ("this member's slot
//   holds it"). A member's slot at an index is held by at most one entry; an entry whose
//   bitmap empties (every member that held it has been displaced) is freed. A flood
//   reads and writes one bitmap (N/8 bytes) instead of N scattered 8 KiB tables.
// - blocks: per block, a dense id from a hash lookup in one small table (the blocks some
//   member still marks), and a bitmap over member × peer slot; an id whose bitmap
//   empties is freed and reused.
//
// A real node (the live driver) has a store of its own with one member: the same code.
// Determinism: no answer depends on addresses or on the order of hash-map iteration;
// for_each_block visits blocks in id order, and the node uses it only to clear bits.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "protocol/core/bytes.hpp"

namespace cl::node {

class GossipMemory {
  public:
    static constexpr std::size_t kTxSlots = 1024;  // a node's recent-transaction table size

    using Member = std::uint32_t;
    // A member's peer slots are [base, base + count) in the block bitmaps.
    struct Membership {
        Member member = 0;
        std::uint32_t slot_base = 0;
        std::uint32_t slot_count = 0;
    };

    // A new member with `peer_slots` peer slots (its configured peers), knowing nothing.
    Membership join(std::uint32_t peer_slots);

    // ---- transactions ----
    // Remembers `h` for member m; false when m's table held it already (then nothing
    // changes). Exactly the direct-mapped table described above.
    bool remember_tx(Member m, const Hash32& h);
    // Whether m's table holds `h`.
    bool remembers_tx(Member m, const Hash32& h) const;

    // ---- blocks ----
    // `slot` is the membership's absolute slot (slot_base + peer index).
    void mark_known(const Hash32& block, std::uint32_t slot);
    bool knows(const Hash32& block, std::uint32_t slot) const;
    void forget(const Hash32& block, std::uint32_t slot);
    // Clears `slot` for every block (the peer's new connection has seen nothing).
    void forget_slot(std::uint32_t slot);
    // Calls f(hash) for each block some slot of [base, base + count) marks, in id order;
    // f returns true to clear those slots for that block.
    template <class F>
    void forget_blocks_if(const Membership& m, F&& f) {
        for (std::uint32_t id = 0; id < blocks_.size(); ++id) {
            BlockEntry& e = blocks_[id];
            if (e.count == 0 || !any_in(e.bits, m.slot_base, m.slot_count)) continue;
            if (f(e.hash)) clear_range(id, m.slot_base, m.slot_count);
        }
    }

    // Live items, for tests and memory figures.
    std::size_t live_tx_entries() const { return live_tx_entries_; }
    std::size_t live_blocks() const { return block_ids_.size(); }
    std::uint32_t members() const { return members_; }

  private:
    using Bits = std::vector<std::uint64_t>;
    static bool test(const Bits& b, std::size_t i) {
        return i / 64 < b.size() && (b[i / 64] >> (i % 64)) & 1U;
    }
    static bool any_in(const Bits& b, std::uint32_t base, std::uint32_t count);

    struct TxEntry {
        std::uint64_t fingerprint = 0;
        std::uint32_t count = 0;  // members holding it
        Bits holders;             // over members
    };
    struct BlockEntry {
        Hash32 hash;
        std::uint32_t count = 0;  // slots set
        Bits bits;                // over member peer slots
    };
    Bits take_bits(std::size_t words);
    void release_bits(Bits&& b);
    void clear_range(std::uint32_t id, std::uint32_t base, std::uint32_t count);
    void clear_bit(std::uint32_t id, std::uint32_t slot);

    std::uint32_t members_ = 0;
    std::uint32_t slots_ = 0;
    std::vector<std::vector<TxEntry>> tx_classes_ = std::vector<std::vector<TxEntry>>(kTxSlots);
    std::size_t live_tx_entries_ = 0;
    std::vector<BlockEntry> blocks_;                       // by id; count 0: free
    std::vector<std::uint32_t> free_block_ids_;            // LIFO reuse
    std::unordered_map<Hash32, std::uint32_t> block_ids_;  // live ids; lookup only, never iterated
    std::vector<Bits> spare_bits_;                         // freed bitmaps, reused
};

}  // namespace cl::node
