#include "sim/world/faults.hpp"

#include "protocol/core/assert.hpp"

namespace cl::sim::world {
namespace {

// A fault schedule the network refused, named after the WorldConfig field.
std::string fault_error(const std::string& what, std::size_t i, const net::ConfigError& e) {
    return what + "[" + std::to_string(i) + "]: " + e.to_string();
}

}  // namespace

std::expected<void, std::string> check_faults(net::Network& network, const WorldConfig& config) {
    for (const net::PartitionSpec& p : config.partitions) {
        if (auto ok = network.add_partition(p); !ok) return std::unexpected(ok.error().to_string());
    }
    for (std::size_t i = 0; i < config.crashes.size(); ++i) {
        const Crash& c = config.crashes[i];
        if (auto ok = network.add_node_failure(c.node, c.at, c.restart_at.value_or(Time::max())); !ok)
            return std::unexpected(fault_error("crashes", i, ok.error()));
    }
    for (std::size_t i = 0; i < config.link_failures.size(); ++i) {
        const LinkFailure& f = config.link_failures[i];
        if (auto ok = network.add_link_failure(f.a, f.b, f.from, f.to); !ok)
            return std::unexpected(fault_error("link_failures", i, ok.error()));
    }
    for (std::size_t i = 0; i < config.link_losses.size(); ++i) {
        const LinkLoss& f = config.link_losses[i];
        if (auto ok = network.add_link_loss(f.a, f.b, f.probability, f.from, f.to); !ok)
            return std::unexpected(fault_error("link_losses", i, ok.error()));
    }
    return {};
}

void install_faults(net::Network& network, Simulator& sim, Hosts& hosts, const WorldConfig& config) {
    // This order (and each crash's events right after its failure) fixes the order of the
    // events they schedule.
    for (const auto& p : config.partitions) CL_ASSERT(network.add_partition(p).has_value());
    for (const LinkFailure& f : config.link_failures) {
        CL_ASSERT(network.add_link_failure(f.a, f.b, f.from, f.to).has_value());
    }
    for (const LinkLoss& f : config.link_losses) {
        CL_ASSERT(network.add_link_loss(f.a, f.b, f.probability, f.from, f.to).has_value());
    }
    for (const Crash& c : config.crashes) {
        CL_ASSERT(network.add_node_failure(c.node, c.at, c.restart_at.value_or(Time::max())).has_value());
        sim.schedule_at(c.at, [&hosts, n = c.node]() noexcept { hosts.crash(n); });
        if (c.restart_at)
            sim.schedule_at(*c.restart_at, [&hosts, n = c.node]() noexcept { hosts.restart(n); });
    }
}

bool was_online(const WorldConfig& config, net::NodeId n, Time t) {
    for (const Crash& c : config.crashes) {
        if (c.node == n && c.at <= t && (!c.restart_at || t < *c.restart_at)) return false;
    }
    return true;
}

std::uint32_t online_at(const WorldConfig& config, std::size_t nodes, Time t) {
    std::uint32_t online = 0;
    for (std::size_t i = 0; i < nodes; ++i)
        online += was_online(config, static_cast<net::NodeId>(i), t) ? 1 : 0;
    return online;
}

}  // namespace cl::sim::world
