// sim/net/pool.hpp: handles stay valid and their values in place while others come and go;
// a released value is destroyed at once; released handles are reused last-in first-out.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/net/pool.hpp"

namespace cl::sim::net {
namespace {

TEST(HandlePool, ValuesStayInPlaceWhileOthersAreAcquired) {
    HandlePool<std::shared_ptr<int>> pool;
    const auto first = pool.acquire(std::make_shared<int>(7));
    const std::shared_ptr<int>* where = &pool[first];
    std::vector<HandlePool<std::shared_ptr<int>>::Handle> more;
    for (int i = 0; i < 5000; ++i) more.push_back(pool.acquire(std::make_shared<int>(i)));  // several chunks
    EXPECT_EQ(&pool[first], where) << "a value never moves while its handle is live";
    EXPECT_EQ(*pool[first], 7);
    for (int i = 0; i < 5000; ++i) EXPECT_EQ(*pool[more[static_cast<std::size_t>(i)]], i);
    EXPECT_EQ(pool.live(), 5001u);
}

TEST(HandlePool, ReleaseDestroysTheValueAtOnce) {
    HandlePool<std::shared_ptr<int>> pool;
    auto payload = std::make_shared<int>(1);
    const auto h = pool.acquire(payload);
    EXPECT_EQ(payload.use_count(), 2);
    pool.release(h);
    EXPECT_EQ(payload.use_count(), 1) << "a released entry keeps nothing alive";
    EXPECT_EQ(pool.live(), 0u);
}

TEST(HandlePool, ReusesTheLastReleasedHandleFirst) {
    HandlePool<int> pool;
    const auto a = pool.acquire(1);
    const auto b = pool.acquire(2);
    const auto c = pool.acquire(3);
    pool.release(a);
    pool.release(c);
    EXPECT_EQ(pool.acquire(4), c);
    EXPECT_EQ(pool.acquire(5), a);
    EXPECT_EQ(pool.acquire(6), 3u) << "then a fresh handle";
    EXPECT_EQ(pool[b], 2);
    EXPECT_EQ(pool.capacity(), 4u);
}

TEST(HandlePool, DestructorDestroysLiveValues) {
    auto payload = std::make_shared<int>(1);
    {
        HandlePool<std::shared_ptr<int>> pool;
        (void)pool.acquire(payload);
        pool.release(pool.acquire(payload));
        (void)pool.acquire(payload);
        EXPECT_EQ(payload.use_count(), 3);
    }
    EXPECT_EQ(payload.use_count(), 1);
}

}  // namespace
}  // namespace cl::sim::net
