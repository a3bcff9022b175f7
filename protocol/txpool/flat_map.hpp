// An open-addressing hash map for the pool's lookup indexes (docs/txpool.md, "Cost"):
// keys and values inline in one array, linear probing, backward-shift deletion (no
// tombstones), capacity a power of two, load at most 3/4. A lookup costs about one cache
// line where std::unordered_map costs a bucket and a node; a simulated network holds
// hundreds of pools, so the difference is what a flood pays per admission.
//
// Keys are Keccak-derived (addresses, hashes): std::hash of a FixedBytes is its first
// bytes, already uniform, so no mixing is needed. Lookup only: erase_if visits
// in slot order, which depends on the keys' hashes, so callers may only use it to erase
// by a predicate of the entry alone (no result may depend on the visiting order).
// Inserting or erasing invalidates pointers into the map. Not thread-safe.
#pragma once

#include <bit>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace cl::txpool {

template <class Key, class Value, class Hash = std::hash<Key>>
class FlatMap {
  public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    bool contains(const Key& k) const { return find(k) != nullptr; }

    // The value of `k`, or null.
    const Value* find(const Key& k) const {
        if (size_ == 0) return nullptr;
        for (std::size_t i = home(k);; i = next(i)) {
            const Slot& s = slots_[i];
            if (!s.used) return nullptr;
            if (s.key == k) return &s.value;
        }
    }
    Value* find(const Key& k) { return const_cast<Value*>(std::as_const(*this).find(k)); }

    // Sets k's value (inserting k if absent).
    void insert_or_assign(const Key& k, const Value& v) {
        if (Value* old = find(k)) {
            *old = v;
            return;
        }
        grow_if_needed();
        place(k, v);
        ++size_;
    }

    // Removes k; false if absent.
    bool erase(const Key& k) {
        if (size_ == 0) return false;
        for (std::size_t i = home(k);; i = next(i)) {
            if (!slots_[i].used) return false;
            if (slots_[i].key == k) {
                remove_at(i);
                return true;
            }
        }
    }

    // Erases every entry for which pred(key, value) holds. The predicate must depend on
    // the entry alone (see the header comment); it may modify the value of an entry it
    // keeps (it may be called again on that entry, so the change must be idempotent).
    template <class Pred>
    void erase_if(Pred&& pred) {
        // One pass: a backward shift moves an entry only into a hole at or after i within
        // its cluster, so an unvisited entry never lands on a visited slot (an entry that
        // wraps from the array's start to its end was visited and is tested again: the
        // predicate is a function of the entry).
        for (std::size_t i = 0; i < slots_.size();) {
            if (slots_[i].used && pred(slots_[i].key, slots_[i].value)) {
                remove_at(i);  // slot i may now hold the next entry of the cluster: test it
            } else {
                ++i;
            }
        }
    }

    // Calls f(key, value) for every entry, in slot order: only for what no order can
    // change (counts, checks).
    template <class F>
    void for_each(F&& f) const {
        for (const Slot& s : slots_) {
            if (s.used) f(s.key, s.value);
        }
    }

    void clear() {
        for (Slot& s : slots_) s = Slot{};
        size_ = 0;
    }

  private:
    // The flag after the key: it fits in the padding an address key leaves before an
    // 8-byte value (32 bytes a slot for Address → Nanos, not 40).
    struct Slot {
        Key key{};
        bool used = false;
        Value value{};
    };

    std::size_t mask() const { return slots_.size() - 1; }
    std::size_t home(const Key& k) const { return Hash{}(k)&mask(); }
    std::size_t next(std::size_t i) const { return (i + 1) & mask(); }

    void grow_if_needed() {
        if (!slots_.empty() && (size_ + 1) * 4 <= slots_.size() * 3) return;
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
        for (Slot& s : old) {
            if (s.used) place(s.key, s.value);
        }
    }

    // REQUIRES: k absent and a free slot.
    void place(const Key& k, const Value& v) {
        std::size_t i = home(k);
        while (slots_[i].used) i = next(i);
        slots_[i] = Slot{k, true, v};
    }

    // Backward-shift deletion: moves later entries of the cluster into the hole when
    // their home is not cyclically in (hole, their position].
    void remove_at(std::size_t hole) {
        std::size_t i = hole;
        for (;;) {
            i = next(i);
            if (!slots_[i].used) break;
            const std::size_t h = home(slots_[i].key);
            const bool stays = hole <= i ? (hole < h && h <= i) : (hole < h || h <= i);
            if (stays) continue;
            slots_[hole] = slots_[i];
            hole = i;
        }
        slots_[hole] = Slot{};
        --size_;
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace cl::txpool
