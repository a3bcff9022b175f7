// What transaction pools hold per sender address — the token bucket and the account id —
// for many pools in one store (docs/txpool.md, "Cost"; the pools' counterpart of
// node/gossip_memory.hpp). Each pool is a member with records of its own, exactly those
// a hash map of its own would hold; the storage is laid out by sender instead:
//
// - one row per address that some member holds a record for, found by one shared hash
//   lookup, with one Record per member (row r, member m at r · members + m);
// - a row whose records are all empty is freed and its index reused.
//
// A flood of one sender's transaction reaches every node's pool within a fraction of a
// second: the pools then read and write one row (16 bytes per member, contiguous)
// instead of one cold slot in each of hundreds of per-pool tables. A pool of its own (a
// live node, a test) is a table with one member: the same code.
//
// Determinism (DESIGN.md §6): rows are storage only. for_each and update_all visit a
// member's records in row order, which depends on the history of every member; callers
// may use them only for what no order changes (counts, checks, per-record updates).
// find() pointers are invalidated by assign(), join() and update_all(). Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

#include "protocol/core/assert.hpp"
#include "protocol/core/bytes.hpp"
#include "protocol/txpool/flat_map.hpp"

namespace cl::txpool {

class SenderTable {
  public:
    using Member = std::uint32_t;
    static constexpr std::uint32_t kNoAccount = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::chrono::nanoseconds kNoBucket = std::chrono::nanoseconds::min();  // a full bucket

    // One member's record of one address; an empty record is no record.
    struct Record {
        std::chrono::nanoseconds tat = kNoBucket;  // the bucket's theoretical arrival time (token_bucket.hpp)
        std::uint32_t account = kNoAccount;        // the member's account id of the address
        bool empty() const { return tat == kNoBucket && account == kNoAccount; }
    };

    // A new member, holding no record.
    Member join();

    // m's record of `a`, or null when m holds none.
    const Record* find(Member m, const Address& a) const {
        const std::uint32_t* row = row_of_.find(a);
        if (row == nullptr) return nullptr;
        const Record& r = records_[index(*row, m)];
        return r.empty() ? nullptr : &r;
    }
    // The same, to update in place: a record written through it must stay non-empty
    // (assign() removes one).
    Record* find(Member m, const Address& a) {
        return const_cast<Record*>(static_cast<const SenderTable&>(*this).find(m, a));
    }
    // Sets m's record of `a` (an empty record removes it).
    void assign(Member m, const Address& a, const Record& r);

    // Calls f(Record&) for each record of m; a record f leaves empty is removed.
    template <class F>
    void update_all(Member m, F&& f) {
        CL_ASSERT(m < members_);
        for (std::uint32_t row = 0; row < row_count_.size(); ++row) {
            if (row_count_[row] == 0) continue;
            Record& r = records_[index(row, m)];
            if (r.empty()) continue;
            f(r);
            if (r.empty()) release(row);
        }
    }
    // Calls f(const Record&) for each record of m.
    template <class F>
    void for_each(Member m, F&& f) const {
        CL_ASSERT(m < members_);
        for (std::uint32_t row = 0; row < row_count_.size(); ++row) {
            const Record& r = records_[index(row, m)];
            if (row_count_[row] != 0 && !r.empty()) f(r);
        }
    }

    // Rows in use (addresses some member holds a record of), for tests and memory figures.
    std::size_t live_rows() const { return row_of_.size(); }

  private:
    std::size_t index(std::uint32_t row, Member m) const { return std::size_t{row} * members_ + m; }
    // One record of `row` became empty: frees the row if it was its last.
    void release(std::uint32_t row);

    Member members_ = 0;
    FlatMap<Address, std::uint32_t> row_of_;  // lookup only, never iterated
    std::vector<Record> records_;             // by row, then member
    std::vector<std::uint32_t> row_count_;    // non-empty records per row; 0: free
    std::vector<Address> row_address_;        // the address of each row in use
    std::vector<std::uint32_t> free_rows_;    // LIFO reuse
};

}  // namespace cl::txpool
