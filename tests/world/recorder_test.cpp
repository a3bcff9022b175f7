// The recorder's block table (sim/world/recorder.hpp, docs/metrics.md "blocks"): each
// sealed block keeps one import delay per node online at sealing that imported it, late
// imports counted apart — and its arrivals take exactly 8 bytes per online node (issue 16,
// memory per node per block: reserved at sealing, no capacity doubling).
#include <gtest/gtest.h>

#include <memory>

#include "protocol/node/node.hpp"
#include "sim/world/recorder.hpp"

namespace cl::sim::world {
namespace {

node::BlockRef block(std::uint8_t tag) {
    auto b = std::make_shared<node::Block>();
    b->hash.bytes[0] = tag;
    b->header.number = 1;
    return b;
}

TEST(Recorder, ArrivalsReservedForTheNodesOnlineAtSealing) {
    constexpr std::size_t kNodes = 1'000;
    WorldConfig config;
    // Node 7 is down from 1 s to 2 s: online at sealing are 999 nodes.
    config.crashes.push_back(Crash{7, Time::at(seconds(1)), Time::at(seconds(2))});
    WorldResults results;
    Recorder recorder(config, kNodes, results);
    const node::BlockRef b = block(1);
    const Time sealed = Time::at(millis(1'500));
    recorder.on_event(0, node::BlockSealed{b, true}, sealed);
    ASSERT_EQ(results.blocks.size(), 1U);
    EXPECT_EQ(results.blocks[0].online, kNodes - 1);
    // Every other node imports it, one millisecond apart.
    for (std::size_t n = 1; n < kNodes; ++n) {
        recorder.on_event(static_cast<net::NodeId>(n), node::BlockImported{b, true, 0, {}},
                          sealed + millis(static_cast<std::int64_t>(n)));
    }
    const BlockRecord& r = results.blocks[0];
    EXPECT_EQ(r.arrivals.size(), kNodes - 2);  // nor the sealer nor node 7 (offline at sealing)
    EXPECT_EQ(r.late_arrivals, 1U);
    EXPECT_EQ(r.arrivals.front(), millis(1));
    EXPECT_EQ(r.arrivals.back(), millis(static_cast<std::int64_t>(kNodes - 1)));
    // One allocation of exactly the online count; doubling would leave 1,024 slots.
    EXPECT_EQ(r.arrivals.capacity(), kNodes - 1);
}

}  // namespace
}  // namespace cl::sim::world
