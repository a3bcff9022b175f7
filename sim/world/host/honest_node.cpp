#include "sim/world/host/honest_node.hpp"

namespace cl::sim::world {

HonestNode::HonestNode(node::NodeConfig config, const node::Genesis& genesis, node::ExecutionCache& cache,
                       RandomStream rng)
    : rng_(std::make_unique<RandomStream>(std::move(rng))),
      node_(std::make_unique<node::Node>(std::move(config), genesis.block, genesis.state, cache, *rng_)) {}

}  // namespace cl::sim::world
