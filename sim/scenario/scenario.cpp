#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "sim/scenario/input.hpp"
#include "sim/scenario/schema.hpp"

namespace cl::sim::scenario {

net::NetworkConfig to_network_config(const Scenario& s) {
    net::NetworkConfig c;
    c.upload_bps = s.network.upload_bps;
    c.latency = s.network.latency;
    c.loss = s.network.loss;
    c.allow_reordering = s.network.allow_reordering;
    return c;
}

std::vector<double> arrival_rates_per_second(const Scenario& s) {
    const auto& names = s.network.regions.names;
    const UserArrivals& u = s.workload.arrivals;
    std::vector<double> rates(names.size(), 0.0);
    if (!u.per_region.empty()) {
        for (const RegionRate& rr : u.per_region) {
            const auto it = std::find(names.begin(), names.end(), rr.region);
            if (it != names.end())
                rates[static_cast<std::size_t>(it - names.begin())] += rr.rate.per_second();
        }
        return rates;
    }
    double sum = 0;
    for (double w : u.region_weights) sum += w;
    if (sum <= 0) return rates;
    for (std::size_t r = 0; r < names.size() && r < u.region_weights.size(); ++r) {
        rates[r] = u.total.per_second() * u.region_weights[r] / sum;
    }
    return rates;
}

namespace {

std::optional<std::uint64_t> parse_index(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

// `N` or `A-B` (A <= B).
bool parse_range(std::string_view text, std::uint64_t& first, std::uint64_t& last) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        const auto v = parse_index(text);
        if (!v) return false;
        first = last = *v;
        return true;
    }
    const auto a = parse_index(text.substr(0, dash));
    const auto b = parse_index(text.substr(dash + 1));
    if (!a || !b || *a > *b) return false;
    first = *a;
    last = *b;
    return true;
}

}  // namespace

std::optional<NodeSelector> parse_selector(std::string_view text, std::string* error) {
    auto fail = [&](std::string message) -> std::optional<NodeSelector> {
        if (error != nullptr) *error = std::move(message);
        return std::nullopt;
    };
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return fail(
            "expected a node selector (validator:NAME, validator:*, full:N, full:A-B, full:*, "
            "region:NAME, node:N, node:A-B), got " +
            detail::quote(text));
    }
    const std::string_view kind = text.substr(0, colon);
    const std::string_view arg = text.substr(colon + 1);
    NodeSelector s;
    s.text = std::string(text);
    if (kind == "validator") {
        if (arg == "*") {
            s.kind = NodeSelector::Kind::kAllValidators;
            return s;
        }
        if (!detail::is_name(arg))
            return fail("expected a cloud name after 'validator:', got " + detail::quote(arg));
        s.kind = NodeSelector::Kind::kValidator;
        s.name = std::string(arg);
        return s;
    }
    if (kind == "full" || kind == "node") {
        if (kind == "full" && arg == "*") {
            s.kind = NodeSelector::Kind::kAllFull;
            return s;
        }
        s.kind = kind == "full" ? NodeSelector::Kind::kFull : NodeSelector::Kind::kNode;
        if (!parse_range(arg, s.first, s.last)) {
            return fail("expected an index N or a range A-B after '" + std::string(kind) + ":', got " +
                        detail::quote(arg));
        }
        return s;
    }
    if (kind == "region") {
        if (!detail::is_name(arg))
            return fail("expected a region name after 'region:', got " + detail::quote(arg));
        s.kind = NodeSelector::Kind::kRegion;
        s.name = std::string(arg);
        return s;
    }
    return fail("unknown selector kind " + detail::quote(kind) +
                " (expected validator:, full:, region: or node:) in " + detail::quote(text));
}

bool matches(const NodeSelector& sel, const Scenario& s, std::uint32_t node, std::size_t node_region) {
    const std::size_t clouds = s.clouds.size();
    const bool is_validator = node < clouds;
    switch (sel.kind) {
        case NodeSelector::Kind::kValidator:
            return is_validator && s.clouds[node].name == sel.name;
        case NodeSelector::Kind::kAllValidators:
            return is_validator;
        case NodeSelector::Kind::kFull:
            return !is_validator && node - clouds >= sel.first && node - clouds <= sel.last;
        case NodeSelector::Kind::kAllFull:
            return !is_validator;
        case NodeSelector::Kind::kNode:
            return node >= sel.first && node <= sel.last;
        case NodeSelector::Kind::kRegion: {
            if (is_validator) return s.clouds[node].region == sel.name;
            const auto& names = s.network.regions.names;
            return node_region < names.size() && names[node_region] == sel.name;
        }
    }
    return false;
}

txpool::Config node_txpool_config(const Scenario& s) {
    txpool::Config c = s.txpool;
    if (s.pool.max_txs_per_block) {
        const auto pool_cap = static_cast<std::size_t>(*s.pool.max_txs_per_block);
        c.max_txs_per_block = c.max_txs_per_block ? std::min(*c.max_txs_per_block, pool_cap) : pool_cap;
    }
    return c;
}

}  // namespace cl::sim::scenario
