#include "sim/world/adversary/censorship.hpp"

#include <algorithm>

#include "protocol/state/call.hpp"
#include "sim/world/adversary/adversaries.hpp"
#include "sim/world/genesis.hpp"

namespace cl::sim::world {

std::expected<CensorshipPlan, std::string> plan_censorship(const WorldConfig& config, const std::string& name,
                                                           const CensorshipAttack& a) {
    const std::string field = "adversaries[" + name + "]";
    if (a.validators.empty()) return std::unexpected(field + ".validators: at least one validator");
    CensorshipPlan plan;
    plan.colluder.assign(config.topology.node_count(), false);
    for (std::size_t v : a.validators) {
        if (v >= config.clouds.size())
            return std::unexpected(field + ".validators: no cloud " + std::to_string(v));
        if (plan.colluder[v])
            return std::unexpected(field + ".validators: " + config.clouds[v].name + " twice");
        plan.colluder[v] = true;
    }
    if (a.clouds.empty() && a.users.empty() && a.kinds.empty())
        return std::unexpected(field + ".senders: at least one sender or one kind");
    if (!std::is_sorted(a.kinds.begin(), a.kinds.end()) ||
        std::adjacent_find(a.kinds.begin(), a.kinds.end()) != a.kinds.end())
        return std::unexpected(field + ".kinds: sorted and unique");
    if (a.to <= a.from) return std::unexpected(field + ".to: must be after from");
    plan.kinds = a.kinds;
    for (std::size_t c : a.clouds) {
        if (c >= config.clouds.size())
            return std::unexpected(field + ".senders: no cloud " + std::to_string(c));
        plan.senders.push_back(address_of(operator_key(config, c)));
    }
    for (std::uint64_t u : a.users) plan.senders.push_back(address_of(user_key(config, u)));
    std::sort(plan.senders.begin(), plan.senders.end());
    plan.senders.erase(std::unique(plan.senders.begin(), plan.senders.end()), plan.senders.end());
    return plan;
}

Hash32 censorship_parameters_digest(const WorldConfig& config, const std::string& name,
                                    const CensorshipAttack& a) {
    std::string t = "name=" + name + ";validators=";
    for (std::size_t v : a.validators) t += config.clouds[v].name + ",";
    t += ";clouds=";
    for (std::size_t c : a.clouds) t += config.clouds[c].name + ",";
    t += ";users=";
    for (std::uint64_t u : a.users) t += std::to_string(u) + ",";
    t += std::string(";relay=") + (a.relay ? "1" : "0") + ";";
    // Written only when set, so that a whole-run, any-kind attack keeps its digest.
    if (!a.kinds.empty()) {
        t += "kinds=";
        for (CensoredKind k : a.kinds) t += std::to_string(static_cast<unsigned>(k)) + ",";
        t += ";";
    }
    if (a.from != Time::zero()) t += "from=" + std::to_string(a.from.nanos()) + ";";
    if (a.to != Time::max()) t += "to=" + std::to_string(a.to.nanos()) + ";";
    return parameters_digest("censorship", t);
}

std::optional<CensoredKind> censored_kind(const RecoveredTransaction& tx) {
    const auto call = state::decode_call(tx.tx.to, tx.tx.call);
    if (!call) return std::nullopt;
    if (std::holds_alternative<state::RequestCall>(*call)) return CensoredKind::kRequest;
    if (std::holds_alternative<state::RedeemCall>(*call)) return CensoredKind::kRedeem;
    if (std::holds_alternative<state::TransferCodeCall>(*call)) return CensoredKind::kTransfer;
    if (std::holds_alternative<state::RenewCall>(*call)) return CensoredKind::kRenew;
    return std::nullopt;
}

bool CensorshipPlan::matches(const RecoveredTransaction& tx) const {
    if (!senders.empty() && !std::binary_search(senders.begin(), senders.end(), tx.sender)) return false;
    if (kinds.empty()) return true;
    const std::optional<CensoredKind> k = censored_kind(tx);
    return k && std::binary_search(kinds.begin(), kinds.end(), *k);
}

void censoring_config(node::NodeConfig& config, const CensorshipPlan& plan, const CensorshipAttack& attack,
                      std::uint64_t genesis_time) {
    // The node's clock is genesis_time + simulated time (Hosts::node_time); Time::max() as
    // `to` is past every node time.
    const node::Nanos genesis = std::chrono::seconds(genesis_time);
    const node::Nanos from = genesis + node::Nanos(attack.from.nanos());
    const node::Nanos to =
        attack.to == Time::max() ? node::Nanos::max() : genesis + node::Nanos(attack.to.nanos());
    config.exclude = [plan, from, to](const RecoveredTransaction& tx, node::Nanos now) {
        return from <= now && now < to && plan.matches(tx);
    };
    config.relay_excluded = attack.relay;
}

CensorshipWorkload::CensorshipWorkload(const WorldContext& context, std::string name, CensorshipAttack attack,
                                       CensorshipPlan plan)
    : ctx_(context), name_(std::move(name)), attack_(std::move(attack)), plan_(std::move(plan)) {}

void CensorshipWorkload::on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) {
    const bool censor = sealer < plan_.colluder.size() && plan_.colluder[sealer];
    ++(censor ? censor_blocks_ : honest_blocks_);
    for (const node::TxRef& tx : block.txs) {
        if (!plan_.matches(*tx)) continue;
        if (!censor) {
            ++filtered_in_honest_blocks_;
        } else {
            ++(in_window(at) ? filtered_in_censor_blocks_ : filtered_outside_window_);
        }
    }
}

namespace {

// Inclusion delays (s) of one class of transactions, and how many never got in.
struct Delays {
    std::vector<double> s;
    std::uint64_t submitted = 0;
    void add(Time submitted_at, const std::optional<Time>& included) {
        ++submitted;
        if (included) s.push_back((*included - submitted_at).to_seconds_f64());
    }
    double mean() const {
        double sum = 0;
        for (double d : s) sum += d;
        return s.empty() ? 0 : sum / static_cast<double>(s.size());
    }
    // The q-quantile (nearest rank) of the delays; 0 when none.
    double quantile(double q) const {
        if (s.empty()) return 0;
        std::vector<double> v = s;
        std::sort(v.begin(), v.end());
        const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
        return v[std::min(i, v.size() - 1)];
    }
    double missing() const { return static_cast<double>(submitted - s.size()); }
};

}  // namespace

void CensorshipWorkload::finish(std::span<const Inclusion>, WorldResults& results) {
    // The filter on a record: its sender (none listed: any), its kind (none listed: any),
    // and its submission in the window.
    const bool any_sender = attack_.clouds.empty() && attack_.users.empty();
    const auto user_filtered = [&](std::uint64_t u) {
        return any_sender || std::binary_search(attack_.users.begin(), attack_.users.end(), u);
    };
    const auto kind_filtered = [&](CensoredKind k) {
        return attack_.kinds.empty() || std::binary_search(attack_.kinds.begin(), attack_.kinds.end(), k);
    };
    const auto filtered = [&](bool sender, CensoredKind k, Time submitted) {
        return sender && kind_filtered(k) && in_window(submitted);
    };
    Delays censored, others;
    for (const RequestRecord& r : results.requests)
        (filtered(user_filtered(r.user), CensoredKind::kRequest, r.submitted) ? censored : others)
            .add(r.submitted, r.included);
    for (const RenewalRecord& r : results.renewals)
        (filtered(user_filtered(r.user), CensoredKind::kRenew, r.submitted) ? censored : others)
            .add(r.submitted, r.included);
    for (const TransferRecord& r : results.transfers)
        (filtered(user_filtered(r.from), CensoredKind::kTransfer, r.submitted) ? censored : others)
            .add(r.submitted, r.included);
    for (const RedemptionRecord& r : results.redemptions) {
        if (!r.submitted) continue;  // the cloud never sent a redeem
        const bool sender = any_sender || std::binary_search(attack_.clouds.begin(), attack_.clouds.end(),
                                                             std::size_t{r.cloud});
        (filtered(sender, CensoredKind::kRedeem, *r.submitted) ? censored : others)
            .add(*r.submitted, r.included);
    }
    AttackRecord rec;
    rec.kind = "censorship";
    rec.name = name_;
    rec.start = attack_.from;
    rec.end = std::min(attack_.to, Time::at(ctx_.config.duration));
    rec.parameters_digest = censorship_parameters_digest(ctx_.config, name_, attack_);
    // Success: the censored transactions waited longer than the others (mean inclusion
    // delay more than half a block period above theirs), or proportionally more of them
    // never got in.
    const double period = static_cast<double>(ctx_.config.clique.period);
    rec.success =
        censored.submitted > 0 &&
        (censored.missing() > others.missing() * static_cast<double>(censored.submitted) /
                                      static_cast<double>(std::max<std::uint64_t>(others.submitted, 1)) +
                                  0.5 ||
         censored.mean() > others.mean() + period / 2);
    rec.figures = {
        {"censored_submitted", static_cast<double>(censored.submitted), "count"},
        {"censored_included", static_cast<double>(censored.s.size()), "count"},
        {"censored_delay_mean_s", censored.mean(), "s"},
        {"censored_delay_p50_s", censored.quantile(0.5), "s"},
        {"censored_delay_p95_s", censored.quantile(0.95), "s"},
        {"censored_delay_max_s", censored.quantile(1), "s"},
        {"others_submitted", static_cast<double>(others.submitted), "count"},
        {"others_included", static_cast<double>(others.s.size()), "count"},
        {"others_delay_mean_s", others.mean(), "s"},
        {"others_delay_p50_s", others.quantile(0.5), "s"},
        {"others_delay_p95_s", others.quantile(0.95), "s"},
        {"censor_blocks", static_cast<double>(censor_blocks_), "count"},
        {"honest_blocks", static_cast<double>(honest_blocks_), "count"},
        {"filtered_in_honest_blocks", static_cast<double>(filtered_in_honest_blocks_), "count"},
        {"filtered_in_censor_blocks", static_cast<double>(filtered_in_censor_blocks_), "count"},
        {"filtered_outside_window", static_cast<double>(filtered_outside_window_), "count"},
    };
    results.attacks.push_back(std::move(rec));
}

}  // namespace cl::sim::world
