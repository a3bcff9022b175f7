// GossipMemory: the shared store of many nodes' gossip bookkeeping answers, for each
// member, exactly what that node's own tables would (RecentSet for transactions, a set of
// peers per block), and frees what no member holds any more.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "protocol/core/split_mix64.hpp"
#include "protocol/node/gossip_memory.hpp"
#include "protocol/node/node.hpp"

namespace cl::node {
namespace {

Hash32 hash_with_prefix(std::uint64_t first8, std::uint8_t last = 0) {
    Hash32 h;
    for (int i = 0; i < 8; ++i)
        h.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(first8 >> (8 * i));
    h.bytes[31] = last;
    return h;
}

// Random floods over many members, fingerprints crowded into few table indices so that
// displacement happens all the time, fingerprint 0 included: every answer equals the
// member's own RecentSet(kTxSlots).
TEST(GossipMemory, TransactionsAnswerAsEachNodesOwnTable) {
    constexpr std::uint32_t kMembers = 70;  // more than one bitmap word
    GossipMemory memory;
    std::vector<RecentSet> own;
    for (std::uint32_t m = 0; m < kMembers; ++m) {
        EXPECT_EQ(memory.join(3).member, m);
        own.emplace_back(GossipMemory::kTxSlots);
    }
    SplitMix64 rng(7);
    std::size_t refused = 0;
    for (int step = 0; step < 200'000; ++step) {
        const std::uint64_t index = rng.next_u64() % 4;  // 4 table indices
        const std::uint64_t tag = rng.next_u64() % 6;    // 6 transactions per index, one is fingerprint 0
        const std::uint64_t f = tag == 0 && index == 0 ? 0 : (tag << 10) | index;
        const Hash32 h = hash_with_prefix(f, static_cast<std::uint8_t>(step));
        const auto m = static_cast<std::uint32_t>(rng.next_u64() % kMembers);
        const bool expected = own[m].insert(h);
        ASSERT_EQ(memory.remember_tx(m, h), expected) << "step " << step << " member " << m;
        ASSERT_EQ(memory.remembers_tx(m, h), own[m].contains(h));
        refused += expected ? 0 : 1;
    }
    EXPECT_GT(refused, 10'000U) << "the test exercises remembered transactions";
    EXPECT_LE(memory.live_tx_entries(), 4U * 6U) << "an entry no member holds is freed";
}

TEST(GossipMemory, TransactionEntryFreedWhenEveryHolderIsDisplaced) {
    GossipMemory memory;
    const auto a = memory.join(0).member, b = memory.join(0).member;
    const Hash32 t1 = hash_with_prefix(5), t2 = hash_with_prefix(5 + GossipMemory::kTxSlots);
    EXPECT_TRUE(memory.remember_tx(a, t1));
    EXPECT_TRUE(memory.remember_tx(b, t1));
    EXPECT_EQ(memory.live_tx_entries(), 1U);
    EXPECT_TRUE(memory.remember_tx(a, t2));
    EXPECT_EQ(memory.live_tx_entries(), 2U);
    EXPECT_FALSE(memory.remember_tx(b, t1)) << "b still holds t1";
    EXPECT_TRUE(memory.remember_tx(b, t2));
    EXPECT_EQ(memory.live_tx_entries(), 1U) << "t1 held by nobody";
    EXPECT_TRUE(memory.remember_tx(a, t1)) << "forgotten by a";
}

TEST(GossipMemory, BlockSlotsAreEachMembersOwn) {
    GossipMemory memory;
    const auto x = memory.join(4), y = memory.join(2);
    EXPECT_EQ(y.slot_base, 4U);
    const Hash32 b1 = hash_with_prefix(1), b2 = hash_with_prefix(2);
    memory.mark_known(b1, x.slot_base + 1);
    memory.mark_known(b1, y.slot_base + 1);
    memory.mark_known(b2, x.slot_base + 1);
    EXPECT_TRUE(memory.knows(b1, x.slot_base + 1));
    EXPECT_FALSE(memory.knows(b1, x.slot_base + 0));
    EXPECT_FALSE(memory.knows(b2, y.slot_base + 1));
    memory.forget_slot(x.slot_base + 1);  // x's peer 1 reconnected
    EXPECT_FALSE(memory.knows(b1, x.slot_base + 1));
    EXPECT_FALSE(memory.knows(b2, x.slot_base + 1));
    EXPECT_TRUE(memory.knows(b1, y.slot_base + 1)) << "y's own knowledge stays";
    EXPECT_EQ(memory.live_blocks(), 1U) << "b2 marked by nobody: freed";

    std::vector<Hash32> asked;
    memory.mark_known(b2, y.slot_base);
    memory.forget_blocks_if(y, [&](const Hash32& h) {
        asked.push_back(h);
        return h == b1;
    });
    EXPECT_EQ(asked.size(), 2U);
    EXPECT_FALSE(memory.knows(b1, y.slot_base + 1));
    EXPECT_TRUE(memory.knows(b2, y.slot_base));
    EXPECT_EQ(memory.live_blocks(), 1U);
}

// A member that joins after items exist starts knowing nothing, and its bits are kept.
TEST(GossipMemory, LateMemberGrowsTheBitmaps) {
    GossipMemory memory;
    const auto a = memory.join(1);
    const Hash32 t = hash_with_prefix(77), b = hash_with_prefix(78);
    EXPECT_TRUE(memory.remember_tx(a.member, t));
    memory.mark_known(b, a.slot_base);
    const auto late = memory.join(200);
    EXPECT_FALSE(memory.remembers_tx(late.member, t));
    EXPECT_TRUE(memory.remember_tx(late.member, t));
    EXPECT_FALSE(memory.remember_tx(late.member, t));
    EXPECT_FALSE(memory.knows(b, late.slot_base + 199));
    memory.mark_known(b, late.slot_base + 199);
    EXPECT_TRUE(memory.knows(b, late.slot_base + 199));
    EXPECT_TRUE(memory.knows(b, a.slot_base));
}

}  // namespace
}  // namespace cl::node
