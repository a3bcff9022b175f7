#include "app/live_chain.hpp"

#include <charconv>

#include "protocol/core/secp256k1.hpp"
#include "protocol/state/config.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app {

namespace {
// The simulated and the live chain are one chain (one constant for both).
constexpr std::uint64_t kChainId = state::kSimulatedChainId;
}  // namespace

std::expected<LiveChain, std::string> make_live_chain(const LiveChainOptions& options) {
    auto scenario = options.scenario_file.empty() ? sim::scenario::load_default_scenario()
                                                  : sim::scenario::load_scenario_file(options.scenario_file);
    if (!scenario) {
        std::string out;
        for (const auto& e : scenario.error()) out += (out.empty() ? "" : "\n") + e.to_string();
        return std::unexpected(out);
    }
    const sim::scenario::Scenario& s = *scenario;
    LiveChain chain;
    chain.seed = options.seed.value_or(s.seed);
    std::vector<sim::scenario::CloudSpec> clouds = s.clouds;
    const std::size_t n = options.validators.value_or(clouds.size());
    if (n == 0) return std::unexpected("validators: at least one");
    while (clouds.size() < n) {
        sim::scenario::CloudSpec extra = s.clouds.front();
        extra.name = "cloud-" + std::to_string(clouds.size());
        clouds.push_back(std::move(extra));
    }
    clouds.resize(n);

    state::GenesisConfig g;
    g.chain_id = kChainId;
    g.notary = address_of(derive_private_key(chain.seed, "notary"));
    g.tiers = s.pool.tiers;
    g.pool = s.pool;  // its state::PoolConfig part
    for (const auto& c : clouds) {
        chain.validator_keys.push_back(derive_private_key(chain.seed, "validator/" + c.name));
        const PrivateKey op = derive_private_key(chain.seed, "operator/" + c.name);
        g.clouds.push_back(state::GenesisCloud{c.name, address_of(op),
                                               address_of(chain.validator_keys.back()), c.region, c.quotas});
    }
    auto genesis = node::make_genesis(g, options.genesis_time);
    if (!genesis)
        return std::unexpected("genesis: " + genesis.error().field + ": " + genesis.error().message);
    chain.genesis.emplace(std::move(*genesis));

    chain.base.clique = s.consensus;
    if (options.period) chain.base.clique.period = *options.period;
    chain.base.txpool = sim::scenario::node_txpool_config(s);
    chain.base.txpool.chain_id = kChainId;
    // Live nodes start together: no aged first connections (NodeConfig).
    chain.base.first_connections_aged = false;
    return chain;
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
    std::size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    const auto v = parse_uint(s.substr(0, digits));
    if (!v || *v > 1'000'000'000) return std::nullopt;
    const std::string_view unit = s.substr(digits);
    const auto ms = static_cast<std::int64_t>(*v);
    if (unit == "ms") return std::chrono::milliseconds(ms);
    if (unit == "s") return std::chrono::seconds(ms);
    if (unit == "m" || unit == "min") return std::chrono::minutes(ms);
    if (unit == "h") return std::chrono::hours(ms);
    return std::nullopt;
}

}  // namespace cl::app
