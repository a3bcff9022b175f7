#include "protocol/node/gossip_memory.hpp"

#include <bit>
#include <functional>

#include "protocol/core/assert.hpp"

namespace cl::node {

namespace {

// The fingerprint of a transaction hash: its first 8 bytes (Keccak output, so uniform).
std::uint64_t fingerprint(const Hash32& h) { return std::hash<Hash32>{}(h); }

void set_bit(std::vector<std::uint64_t>& b, std::size_t i) {
    if (i / 64 >= b.size()) b.resize(i / 64 + 1, 0);
    b[i / 64] |= std::uint64_t{1} << (i % 64);
}

}  // namespace

GossipMemory::Membership GossipMemory::join(std::uint32_t peer_slots) {
    Membership m{members_++, slots_, peer_slots};
    slots_ += peer_slots;
    return m;
}

bool GossipMemory::any_in(const Bits& b, std::uint32_t base, std::uint32_t count) {
    for (std::uint32_t i = base; i < base + count; ++i) {
        if (test(b, i)) return true;
    }
    return false;
}

GossipMemory::Bits GossipMemory::take_bits(std::size_t words) {
    Bits b;
    if (!spare_bits_.empty()) {
        b = std::move(spare_bits_.back());
        spare_bits_.pop_back();
    }
    b.assign(words, 0);
    return b;
}

void GossipMemory::release_bits(Bits&& b) { spare_bits_.push_back(std::move(b)); }

// ---- transactions ----

bool GossipMemory::remembers_tx(Member m, const Hash32& h) const {
    const std::uint64_t f = fingerprint(h);
    if (f == 0) return false;
    for (const TxEntry& e : tx_classes_[f & (kTxSlots - 1)]) {
        if (e.fingerprint == f) return test(e.holders, m);
    }
    return false;
}

bool GossipMemory::remember_tx(Member m, const Hash32& h) {
    const std::uint64_t f = fingerprint(h);
    std::vector<TxEntry>& cls = tx_classes_[f & (kTxSlots - 1)];
    TxEntry* mine = nullptr;  // the entry of f, if some member holds it
    if (f != 0) {
        for (TxEntry& e : cls) {
            if (e.fingerprint != f) continue;
            if (test(e.holders, m)) return false;
            mine = &e;
            break;
        }
    }
    // m's slot at this index is taken over: its occupant (at most one entry) loses m.
    for (std::size_t i = 0; i < cls.size(); ++i) {
        TxEntry& e = cls[i];
        if (&e == mine || !test(e.holders, m)) continue;
        e.holders[m / 64] &= ~(std::uint64_t{1} << (m % 64));
        if (--e.count == 0) {
            release_bits(std::move(e.holders));
            --live_tx_entries_;
            // Order within a class never matters (entries are found by fingerprint).
            const bool last_was_mine = mine == &cls.back();
            if (i + 1 != cls.size()) e = std::move(cls.back());
            cls.pop_back();
            if (last_was_mine) mine = &cls[i];
        }
        break;
    }
    if (f == 0) return true;  // fingerprint 0 marks an empty slot: never remembered
    if (mine == nullptr) {
        cls.push_back(TxEntry{f, 0, take_bits((members_ + 63) / 64)});
        ++live_tx_entries_;
        mine = &cls.back();
    }
    set_bit(mine->holders, m);
    ++mine->count;
    return true;
}

// ---- blocks ----

void GossipMemory::mark_known(const Hash32& block, std::uint32_t slot) {
    auto [it, fresh] = block_ids_.try_emplace(block, 0U);
    if (fresh) {
        std::uint32_t id;
        if (!free_block_ids_.empty()) {
            id = free_block_ids_.back();
            free_block_ids_.pop_back();
        } else {
            id = static_cast<std::uint32_t>(blocks_.size());
            blocks_.emplace_back();
        }
        blocks_[id].hash = block;
        blocks_[id].bits = take_bits((slots_ + 63) / 64);
        it->second = id;
    }
    BlockEntry& e = blocks_[it->second];
    if (test(e.bits, slot)) return;
    set_bit(e.bits, slot);
    ++e.count;
}

bool GossipMemory::knows(const Hash32& block, std::uint32_t slot) const {
    const auto it = block_ids_.find(block);
    return it != block_ids_.end() && test(blocks_[it->second].bits, slot);
}

void GossipMemory::clear_bit(std::uint32_t id, std::uint32_t slot) {
    BlockEntry& e = blocks_[id];
    if (!test(e.bits, slot)) return;
    e.bits[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
    if (--e.count > 0) return;
    block_ids_.erase(e.hash);
    release_bits(std::move(e.bits));
    e.bits = {};
    free_block_ids_.push_back(id);
}

void GossipMemory::forget(const Hash32& block, std::uint32_t slot) {
    const auto it = block_ids_.find(block);
    if (it != block_ids_.end()) clear_bit(it->second, slot);
}

void GossipMemory::forget_slot(std::uint32_t slot) {
    for (std::uint32_t id = 0; id < blocks_.size(); ++id) {
        if (blocks_[id].count > 0) clear_bit(id, slot);
    }
}

void GossipMemory::clear_range(std::uint32_t id, std::uint32_t base, std::uint32_t count) {
    for (std::uint32_t s = base; s < base + count && blocks_[id].count > 0; ++s) clear_bit(id, s);
}

}  // namespace cl::node
