#include "protocol/txpool/sender_table.hpp"

namespace cl::txpool {

SenderTable::Member SenderTable::join() {
    CL_ASSERT(members_ < std::numeric_limits<Member>::max());
    const Member m = members_;
    if (!row_count_.empty()) {
        // Widen every row by one empty record (rare: pools join before they admit).
        std::vector<Record> wider(row_count_.size() * (std::size_t{members_} + 1));
        for (std::size_t row = 0; row < row_count_.size(); ++row) {
            for (Member k = 0; k < members_; ++k)
                wider[row * (members_ + 1) + k] = records_[row * members_ + k];
        }
        records_ = std::move(wider);
    }
    ++members_;
    return m;
}

void SenderTable::assign(Member m, const Address& a, const Record& r) {
    CL_ASSERT(m < members_);
    const std::uint32_t* found = row_of_.find(a);
    if (found == nullptr) {
        if (r.empty()) return;
        std::uint32_t row;
        if (!free_rows_.empty()) {
            row = free_rows_.back();
            free_rows_.pop_back();
            row_address_[row] = a;
        } else {
            CL_ASSERT(row_count_.size() < std::numeric_limits<std::uint32_t>::max());
            row = static_cast<std::uint32_t>(row_count_.size());
            row_count_.push_back(0);
            row_address_.push_back(a);
            records_.resize(records_.size() + members_);
        }
        row_of_.insert_or_assign(a, row);
        records_[index(row, m)] = r;
        row_count_[row] = 1;
        return;
    }
    const std::uint32_t row = *found;
    Record& slot = records_[index(row, m)];
    const bool was_empty = slot.empty();
    slot = r;
    if (was_empty && !r.empty()) {
        ++row_count_[row];
    } else if (!was_empty && r.empty()) {
        release(row);
    }
}

void SenderTable::release(std::uint32_t row) {
    CL_ASSERT(row_count_[row] > 0);
    if (--row_count_[row] != 0) return;
    (void)row_of_.erase(row_address_[row]);
    free_rows_.push_back(row);
}

}  // namespace cl::txpool
