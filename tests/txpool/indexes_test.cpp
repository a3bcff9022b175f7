// The pool's index containers (docs/txpool.md, "Cost"): FlatMap against std::map under
// random inserts, erases and erase_if, with a hash that forces long clusters and
// wrap-around; FirstSeenOrder against std::map, including erasing during a visit.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "protocol/core/split_mix64.hpp"
#include "protocol/txpool/first_seen_order.hpp"
#include "protocol/txpool/flat_map.hpp"

namespace cl::txpool {
namespace {

// Five distinct homes, 40 slots before the end of any array up to 2^20 slots: clusters
// are long and wrap around the end of the array.
struct ClumpyHash {
    std::size_t operator()(std::uint64_t k) const {
        return static_cast<std::size_t>((std::size_t{1} << 20) - 40 + (k % 5) * 7);
    }
};

template <class Map>
void expect_same(const Map& flat, const std::map<std::uint64_t, std::uint64_t>& ref) {
    ASSERT_EQ(flat.size(), ref.size());
    for (const auto& [k, v] : ref) {
        const std::uint64_t* found = flat.find(k);
        ASSERT_NE(found, nullptr) << k;
        EXPECT_EQ(*found, v) << k;
    }
}

template <class Hash>
void random_ops(std::uint64_t seed) {
    FlatMap<std::uint64_t, std::uint64_t, Hash> flat;
    std::map<std::uint64_t, std::uint64_t> ref;
    SplitMix64 rng(seed);
    for (int step = 0; step < 20000; ++step) {
        const std::uint64_t op = rng.next_u64() % 100;
        const std::uint64_t k = rng.next_u64() % 300;
        if (op < 55) {
            const std::uint64_t v = rng.next_u64();
            flat.insert_or_assign(k, v);
            ref[k] = v;
        } else if (op < 95) {
            EXPECT_EQ(flat.erase(k), ref.erase(k) == 1);
        } else {
            const std::uint64_t m = 2 + rng.next_u64() % 5;
            flat.erase_if([m](std::uint64_t key, std::uint64_t) { return key % m == 0; });
            std::erase_if(ref, [m](const auto& kv) { return kv.first % m == 0; });
        }
        EXPECT_EQ(flat.contains(k), ref.contains(k));
        if (step % 500 == 0) expect_same(flat, ref);
        if (::testing::Test::HasFailure()) return;
    }
    expect_same(flat, ref);
    flat.clear();
    EXPECT_TRUE(flat.empty());
    EXPECT_EQ(flat.find(1), nullptr);
}

TEST(TxPoolFlatMap, AgreesWithStdMapUnderRandomOperations) {
    random_ops<std::hash<std::uint64_t>>(1);
    random_ops<ClumpyHash>(2);
}

TEST(TxPoolFlatMap, EraseIfEmptiesAClusterThatWrapsAround) {
    FlatMap<std::uint64_t, std::uint64_t, ClumpyHash> flat;
    for (std::uint64_t k = 0; k < 11; ++k) flat.insert_or_assign(k, k);  // 16 slots, homes 8, 15, 6, 13, 4
    flat.erase_if([](std::uint64_t, std::uint64_t v) { return v % 2 == 1; });
    EXPECT_EQ(flat.size(), 6u);
    for (std::uint64_t k = 0; k < 11; ++k) EXPECT_EQ(flat.contains(k), k % 2 == 0) << k;
    flat.erase_if([](std::uint64_t, std::uint64_t) { return true; });
    EXPECT_TRUE(flat.empty());
}

TEST(TxPoolFirstSeenOrder, VisitsLiveAccountsInFirstSeenOrderThroughErasesAndCompaction) {
    FirstSeenOrder order;
    std::map<std::uint64_t, std::uint32_t> ref;
    SplitMix64 rng(3);
    std::uint64_t seq = 0;
    for (int step = 0; step < 5000; ++step) {
        if (ref.empty() || rng.next_u64() % 100 < 52) {
            seq += 1 + rng.next_u64() % 3;
            const auto id = static_cast<std::uint32_t>(rng.next_u64() % 1000);
            order.push_back(seq, id);
            ref[seq] = id;
        } else {
            // Erase a random live one, or, now and then, every other one during a visit.
            if (rng.next_u64() % 20 == 0) {
                bool drop = false;
                for (auto it = order.begin(); it != order.end();) {
                    const std::uint64_t s = it->first;
                    ++it;
                    if ((drop = !drop)) {
                        order.erase(s);
                        ref.erase(s);
                    }
                }
            } else {
                auto it = ref.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(rng.next_u64() % ref.size()));
                order.erase(it->first);
                ref.erase(it);
            }
        }
        ASSERT_EQ(order.size(), ref.size());
        if (step % 97 == 0) {
            using Entries = std::vector<std::pair<std::uint64_t, std::uint32_t>>;
            const Entries seen(order.begin(), order.end());
            const Entries expected(ref.begin(), ref.end());
            ASSERT_EQ(seen, expected);
        }
    }
}

}  // namespace
}  // namespace cl::txpool
