#include "protocol/chain/block_index.hpp"

#include "protocol/core/assert.hpp"

namespace cl {

const BlockEntry& BlockIndex::intern(std::shared_ptr<const Header> header, const Hash32& hash,
                                     std::uint64_t td, BlockId parent) {
    CL_ASSERT(header != nullptr);
    const auto [it, inserted] = ids_.try_emplace(hash, static_cast<BlockId>(entries_.size()));
    if (inserted) {
        CL_ASSERT(entries_.size() < kNoBlock);
        entries_.emplace_back(std::move(header), hash, td, it->second, parent);
    }
    return entries_[it->second];
}

}  // namespace cl
