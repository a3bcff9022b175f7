// What the results file format requires of the runs and of a sweep's tables
// (results_file.hpp: validate_results, validate_sweep), checked before anything is written.
#include <limits>
#include <set>
#include <string_view>

#include "analysis/results/fields.hpp"
#include "analysis/results/results_file.hpp"

namespace cl::analysis {
namespace {

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

std::expected<void, std::string> validate_run(const RunResults& run) {
    const std::string& id = run.provenance.run_id;
    if (id.empty() || id == "." || id == ".." || id.find('/') != std::string::npos || has_nul(id)) {
        return std::unexpected("invalid run id '" + id +
                               "': must be non-empty, without '/' or NUL, not . or ..");
    }
    const std::string where = "run '" + id + "': ";
    const Provenance& p = run.provenance;
    for (const std::string* s : {&p.scenario_name, &p.scenario_text, &p.program_version, &p.build_type}) {
        if (has_nul(*s)) return std::unexpected(where + "provenance string holds a NUL byte");
    }
    for (const std::string& s : p.overrides) {
        if (has_nul(s)) return std::unexpected(where + "provenance override holds a NUL byte");
    }
    const CodeBook& codes = run.codes;
    if (codes.tiers.size() > kMaxTiers) {
        return std::unexpected(where + std::to_string(codes.tiers.size()) + " tiers; at most " +
                               std::to_string(kMaxTiers) + " are supported");
    }
    std::string bad_name;
    for_each_code_list(codes,
                       [&](const char* table, const char* attribute, const std::vector<std::string>& names) {
                           for (const std::string& n : names) {
                               if (has_nul(n) && bad_name.empty())
                                   bad_name = std::string(table) + "." + attribute;
                           }
                       });
    if (!bad_name.empty()) return std::unexpected(where + bad_name + ": a name holds a NUL byte");

    auto code_check = [&](const char* table, std::size_t row, const char* field, std::size_t code,
                          const std::vector<std::string>& names) -> std::expected<void, std::string> {
        if (code < names.size()) return {};
        return std::unexpected(where + table + " row " + std::to_string(row) + ": " + field + " = " +
                               std::to_string(code) + " has no name (" + std::to_string(names.size()) +
                               " names given)");
    };
    for (std::size_t i = 0; i < run.requests.size(); ++i) {
        const RequestRow& r = run.requests[i];
        for (auto result : {code_check("requests", i, "status", r.status, codes.request_status),
                            code_check("requests", i, "reason", r.reason, codes.request_reason),
                            code_check("requests", i, "tier", r.tier, codes.tiers),
                            code_check("requests", i, "region", r.region, codes.regions)}) {
            if (!result) return result;
        }
    }
    for (std::size_t i = 0; i < run.transfers.size(); ++i) {
        const TransferRow& r = run.transfers[i];
        for (auto result : {code_check("transfers", i, "status", r.status, codes.transfer_status),
                            code_check("transfers", i, "reason", r.reason, codes.transfer_reason)}) {
            if (!result) return result;
        }
    }
    auto optional_code = [&](const char* table, std::size_t row, const char* field, std::uint16_t code,
                             const std::vector<std::string>& names) -> std::expected<void, std::string> {
        if (code == kNoCode) return {};
        return code_check(table, row, field, code, names);
    };
    for (std::size_t i = 0; i < run.nodes.size(); ++i) {
        const NodeRow& r = run.nodes[i];
        for (auto result : {code_check("nodes", i, "role", r.role, codes.node_roles),
                            optional_code("nodes", i, "cloud", r.cloud, codes.clouds),
                            optional_code("nodes", i, "region", r.region, codes.regions),
                            code_check("nodes", i, "fork_choice", r.fork_choice, codes.fork_choices)}) {
            if (!result) return result;
        }
    }
    for (std::size_t i = 0; i < run.renewals.size(); ++i) {
        const RenewalRow& r = run.renewals[i];
        for (auto result : {code_check("renewals", i, "status", r.status, codes.renewal_status),
                            code_check("renewals", i, "reason", r.reason, codes.renewal_reason)}) {
            if (!result) return result;
        }
    }
    for (std::size_t i = 0; i < run.redemptions.size(); ++i) {
        const RedemptionRow& r = run.redemptions[i];
        for (auto result : {code_check("redemptions", i, "status", r.status, codes.redemption_status),
                            code_check("redemptions", i, "reason", r.reason, codes.redemption_reason),
                            code_check("redemptions", i, "cloud", r.cloud, codes.clouds)}) {
            if (!result) return result;
        }
    }
    for (std::size_t i = 0; i < run.checkpoints.size(); ++i) {
        if (auto result = code_check("checkpoints", i, "rejection", run.checkpoints[i].rejection,
                                     codes.checkpoint_rejections);
            !result)
            return result;
    }
    for (std::size_t i = 0; i < run.mainchain.size(); ++i) {
        if (auto result = code_check("mainchain", i, "miner", run.mainchain[i].miner, codes.miners); !result)
            return result;
    }
    for (std::size_t i = 0; i < run.traffic.size(); ++i) {
        const TrafficRow& r = run.traffic[i];
        for (auto result : {code_check("traffic", i, "party", r.party, codes.parties),
                            code_check("traffic", i, "kind", r.kind, codes.traffic_kinds),
                            code_check("traffic", i, "outcome", r.outcome, codes.traffic_outcomes)}) {
            if (!result) return result;
        }
    }
    for (std::size_t i = 0; i < run.party_samples.size(); ++i) {
        if (auto result = code_check("party_samples", i, "party", run.party_samples[i].party, codes.parties);
            !result)
            return result;
    }
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < run.summary.size(); ++i) {
        const std::string_view name = run.summary[i].name.view();
        if (name.empty()) return std::unexpected(where + "summary row " + std::to_string(i) + ": empty name");
        if (!names.insert(name).second) {
            return std::unexpected(where + "summary: duplicate metric '" + std::string(name) + "'");
        }
    }
    return {};
}

}  // namespace

std::expected<void, std::string> validate_results(std::span<const RunResults> runs) {
    std::set<std::string_view> ids;
    for (const RunResults& run : runs) {
        if (auto ok = validate_run(run); !ok) return ok;
        if (!ids.insert(run.provenance.run_id).second) {
            return std::unexpected("duplicate run id '" + run.provenance.run_id + "'");
        }
    }
    return {};
}

std::expected<void, std::string> validate_sweep(std::span<const RunResults> runs, const SweepTables& sweep) {
    auto text_ok = [](const std::string& s, std::size_t capacity) {
        return !s.empty() && s.size() <= capacity && !has_nul(s);
    };
    if (has_nul(sweep.name)) return std::unexpected("the sweep name holds a NUL byte");
    for (const std::string& p : sweep.parameters) {
        if (!text_ok(p, 64))
            return std::unexpected("parameter '" + p + "': empty, over 64 bytes or holds NUL");
    }
    if (sweep.points.size() > std::numeric_limits<std::uint32_t>::max())
        return std::unexpected("too many points");
    std::set<std::string_view> run_ids;
    for (const RunResults& run : runs) run_ids.insert(run.provenance.run_id);
    std::set<std::string_view> assigned;
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
        const std::string where = "point " + std::to_string(i) + ": ";
        for (const auto& [key, value] : sweep.points[i].overrides) {
            if (!text_ok(key, 64))
                return std::unexpected(where + "override key '" + key +
                                       "': empty, over 64 bytes or holds NUL");
            if (!text_ok(value, 128))
                return std::unexpected(where + "override " + key +
                                       ": value empty, over 128 bytes or holds NUL");
        }
        for (const std::string& id : sweep.points[i].run_ids) {
            if (!text_ok(id, 128))
                return std::unexpected(where + "run id '" + id + "': empty, over 128 bytes or holds NUL");
            if (!run_ids.contains(id))
                return std::unexpected(where + "run '" + id + "' is not among the file's runs");
            if (!assigned.insert(id).second)
                return std::unexpected(where + "run '" + id + "' belongs to two points");
        }
    }
    std::set<std::pair<std::uint32_t, std::string_view>> seen;
    for (std::size_t r = 0; r < sweep.aggregates.size(); ++r) {
        const AggregateRow& a = sweep.aggregates[r];
        const std::string where = "aggregates row " + std::to_string(r) + ": ";
        if (a.point >= sweep.points.size())
            return std::unexpected(where + "point " + std::to_string(a.point) + " does not exist");
        if (a.metric.view().empty()) return std::unexpected(where + "empty metric name");
        if (!seen.insert({a.point, a.metric.view()}).second)
            return std::unexpected(where + "metric " + a.metric.str() + " of point " +
                                   std::to_string(a.point) + " repeated");
    }
    return {};
}

}  // namespace cl::analysis
