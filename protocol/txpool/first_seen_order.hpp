// The pool's accounts in first-seen order (docs/txpool.md, "Cost"): what a std::map from
// first_seen to account id gives, for keys that only grow. An account joins at the end
// (its first_seen is the newest sequence number), so the entries are a vector sorted by
// first_seen; leaving marks its entry dead (found by binary search), and the dead are
// compacted away when an account joins and they outnumber the live ones. Visiting skips
// the dead, so erasing during a visit is safe; joining during a visit is not. No
// allocation per account, and a visit reads one array. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "protocol/core/assert.hpp"

namespace cl::txpool {

class FirstSeenOrder {
  public:
    using Id = std::uint32_t;
    using value_type = std::pair<std::uint64_t, Id>;  // first_seen, account id

    // REQUIRES: first_seen above every first_seen added before.
    void push_back(std::uint64_t first_seen, Id id) {
        CL_ASSERT(id != kDead && (entries_.empty() || entries_.back().first < first_seen));
        if (dead_ > 16 && dead_ > live_) compact();
        entries_.emplace_back(first_seen, id);
        ++live_;
    }

    // REQUIRES: first_seen is live.
    void erase(std::uint64_t first_seen) {
        const auto it = std::lower_bound(entries_.begin(), entries_.end(), first_seen,
                                         [](const value_type& e, std::uint64_t s) { return e.first < s; });
        CL_ASSERT(it != entries_.end() && it->first == first_seen && it->second != kDead);
        it->second = kDead;
        --live_;
        ++dead_;
    }

    std::size_t size() const { return live_; }

    class const_iterator {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = FirstSeenOrder::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = const value_type*;
        using reference = const value_type&;

        const_iterator() = default;
        const_iterator(const value_type* p, const value_type* end) : p_(p), end_(end) { skip(); }
        reference operator*() const { return *p_; }
        pointer operator->() const { return p_; }
        const_iterator& operator++() {
            ++p_;
            skip();
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.p_ == b.p_; }

      private:
        void skip() {
            while (p_ != end_ && p_->second == kDead) ++p_;
        }
        const value_type* p_ = nullptr;
        const value_type* end_ = nullptr;
    };
    const_iterator begin() const {
        return const_iterator(entries_.data(), entries_.data() + entries_.size());
    }
    const_iterator end() const {
        return const_iterator(entries_.data() + entries_.size(), entries_.data() + entries_.size());
    }

  private:
    static constexpr Id kDead = std::numeric_limits<Id>::max();
    void compact() {
        std::erase_if(entries_, [](const value_type& e) { return e.second == kDead; });
        dead_ = 0;
    }

    std::vector<value_type> entries_;  // ascending first_seen
    std::size_t live_ = 0;
    std::size_t dead_ = 0;
};

}  // namespace cl::txpool
