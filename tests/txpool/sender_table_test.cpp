// SenderTable: the per-sender records of many pools in one store answer, for each member,
// exactly what a map of that pool's own would, and free the rows no member holds.
#include <gtest/gtest.h>

#include <chrono>
#include <iterator>
#include <map>
#include <vector>

#include "protocol/core/split_mix64.hpp"
#include "protocol/txpool/sender_table.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::txpool {
namespace {

using Record = SenderTable::Record;
using std::chrono::nanoseconds;

Address address(std::uint64_t n) {
    Address a;
    for (int i = 0; i < 8; ++i)
        a.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
    return a;
}

bool same(const Record* got, const std::map<Address, Record>& own, const Address& a) {
    const auto it = own.find(a);
    if (it == own.end()) return got == nullptr;
    return got != nullptr && got->tat == it->second.tat && got->account == it->second.account;
}

// Random assignments (empty ones included), bulk updates and members joining while rows
// are in use: every answer equals the member's own map; rows follow the union of members.
TEST(SenderTable, EachMemberAnswersAsItsOwnMap) {
    SenderTable table;
    std::vector<std::map<Address, Record>> own;
    SplitMix64 rng(11);
    auto join = [&] {
        EXPECT_EQ(table.join(), own.size());
        own.emplace_back();
    };
    for (int m = 0; m < 5; ++m) join();
    for (int step = 0; step < 100'000; ++step) {
        if (step % 20'000 == 10'000) join();  // a late member: every row is widened
        const auto m = static_cast<SenderTable::Member>(rng.next_u64() % own.size());
        const Address a = address(rng.next_u64() % 64);
        const std::uint64_t op = rng.next_u64() % 100;
        if (op < 60) {
            Record r;
            if (rng.next_u64() % 3 != 0)
                r.tat = nanoseconds(static_cast<std::int64_t>(rng.next_u64() % 1000));
            if (rng.next_u64() % 3 != 0) r.account = static_cast<std::uint32_t>(rng.next_u64() % 50);
            table.assign(m, a, r);
            if (r.empty()) {
                own[m].erase(a);
            } else {
                own[m][a] = r;
            }
        } else if (op == 60) {  // as TxPool::expire: forget buckets that refilled by t = 500
            table.update_all(m, [](Record& r) {
                if (r.tat <= nanoseconds(500)) r.tat = SenderTable::kNoBucket;
            });
            for (auto it = own[m].begin(); it != own[m].end();) {
                if (it->second.tat <= nanoseconds(500)) it->second.tat = SenderTable::kNoBucket;
                it = it->second.empty() ? own[m].erase(it) : std::next(it);
            }
        }
        ASSERT_TRUE(same(table.find(m, a), own[m], a)) << "step " << step;
    }
    std::map<Address, int> held;
    for (std::size_t m = 0; m < own.size(); ++m) {
        std::size_t visited = 0;
        table.for_each(static_cast<SenderTable::Member>(m), [&](const Record&) { ++visited; });
        EXPECT_EQ(visited, own[m].size());
        for (std::uint64_t n = 0; n < 64; ++n) {
            ASSERT_TRUE(
                same(table.find(static_cast<SenderTable::Member>(m), address(n)), own[m], address(n)));
        }
        for (const auto& [a, r] : own[m]) ++held[a];
    }
    EXPECT_EQ(table.live_rows(), held.size()) << "a row lives exactly while some member holds the address";
}

TEST(SenderTable, RowFreedWhenItsLastRecordEmptiesAndReused) {
    SenderTable table;
    const auto p = table.join(), q = table.join();
    table.assign(p, address(1), Record{nanoseconds(5), SenderTable::kNoAccount});
    table.assign(q, address(1), Record{SenderTable::kNoBucket, 3});
    EXPECT_EQ(table.live_rows(), 1U);
    table.assign(p, address(1), Record{});
    EXPECT_EQ(table.live_rows(), 1U) << "q still holds it";
    EXPECT_EQ(table.find(p, address(1)), nullptr);
    table.assign(q, address(1), Record{});
    EXPECT_EQ(table.live_rows(), 0U);
    table.assign(q, address(2), Record{nanoseconds(7), 1});
    EXPECT_EQ(table.live_rows(), 1U);
    EXPECT_EQ(table.find(p, address(2)), nullptr) << "a reused row starts empty for every member";
    ASSERT_NE(table.find(q, address(2)), nullptr);
    EXPECT_EQ(table.find(q, address(2))->account, 1U);
}

// Pools sharing one table keep their answers apart: a bucket one pool's admission takes
// is not another pool's.
TEST(SenderTable, PoolsSharingATableKeepTheirOwnBuckets) {
    struct NoNonces : AccountNonces {
        std::uint64_t nonce(const Address&) const override { return 0; }
    } nonces;
    SenderTable shared;
    Config config;
    config.rate_limit = RateLimit{1, std::chrono::seconds(60)};
    TxPool first(config, shared), second(config, shared);
    RecoveredTransaction tx;
    tx.sender = address(9);
    tx.hash.bytes[0] = 1;
    tx.tx.chain_id = config.chain_id.value_or(0);
    ASSERT_TRUE(first.admit(tx, nanoseconds(0), nonces).has_value());
    EXPECT_EQ(first.tokens(tx.sender, nanoseconds(0)), 0U);
    EXPECT_EQ(second.tokens(tx.sender, nanoseconds(0)), 1U);
    EXPECT_EQ(second.size(), 0U);
    ASSERT_TRUE(second.admit(tx, nanoseconds(0), nonces).has_value());
    EXPECT_EQ(shared.live_rows(), 1U);
    EXPECT_FALSE(first.check_invariants().has_value());
    EXPECT_FALSE(second.check_invariants().has_value());
}

}  // namespace
}  // namespace cl::txpool
