#include "app/size_pool_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "analysis/results/results_file.hpp"
#include "analysis/sizing/model.hpp"
#include "analysis/sizing/search.hpp"
#include "app/command_line.hpp"
#include "app/report_command.hpp"
#include "app/size_pool_output.hpp"
#include "app/size_pool_search.hpp"
#include "app/sweep_runner.hpp"
#include "app/termination.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/from_scenario.hpp"

namespace cl::app {
namespace {

using analysis::sizing::QuotaSearch;
using analysis::sizing::Verdict;
using size_pool::Candidate;
using size_pool::Option;

constexpr std::string_view kUsage =
    "usage: cloudledger size-pool [SCENARIO.yaml] [--target P] [--confidence C] [--ttl TTL]...\n"
    "                             [--replications N] [--max-replications N] [--precision P]\n"
    "                             [--set KEY=VALUE]... [-j N] [--json FILE] [--journal DIR] [--quiet]";

constexpr std::string_view kHelp =
    "\n"
    "Finds the quota per tier each cloud must give so that at least P of the users asking\n"
    "for a tier are served (got a code and a cloud redeemed it), shown with confidence C:\n"
    "a search over the quotas (scale, then per tier), each candidate run with replications\n"
    "until its interval decides it, beside an analytic model's answer (docs/sizing.md).\n"
    "The runs go through the sweep machinery: -j threads, kept in a journal so that the\n"
    "same command started again skips the runs already done. Default scenario: the\n"
    "embedded scenarios/passport.yaml.\n"
    "\n"
    "options:\n"
    "  --target P             share of users served per tier, 0 < P <= 1 or a percentage\n"
    "                         (default 99%)\n"
    "  --confidence C         confidence of the decision, 0 < C < 1 (default 95%)\n"
    "  --ttl TTL              a TTL to compare (blocks or a duration, e.g. 1d, 6h; the fixed\n"
    "                         policy); repeat for several; default: the scenario's TTL\n"
    "  --replications N       replications per batch, >= 2 (default 4)\n"
    "  --max-replications N   most replications of one candidate (default 32)\n"
    "  --precision P          stop when the bracket is within P of the quota (default 1%;\n"
    "                         0: to the unit)\n"
    "  --set KEY=VALUE        override one scenario value (as `run --set`)\n"
    "  -j, --jobs N           worker threads (default: the number of cores)\n"
    "  --json FILE            also write the answer as JSON\n"
    "  --journal DIR          where finished runs are kept until the answer is written\n"
    "                         (default: size-pool-SCENARIO-NAME.partial)\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             show this text\n"
    "\n"
    "Exit codes: 0 ok (the report says whether the target was reached), 1 runtime failure\n"
    "(finished runs kept for a restart), 2 bad usage or input (nothing run or written).\n";

struct Options {
    std::string scenario;
    std::vector<sim::scenario::Override> sets;
    std::vector<std::string> ttls;
    double target = 0.99;
    double confidence = 0.95;
    double precision = 0.01;
    std::uint64_t replications = 4;
    std::uint64_t max_replications = 32;
    std::optional<unsigned> jobs;
    std::optional<std::string> json;
    std::optional<std::string> journal;
    bool quiet = false;
    bool help = false;
};

// A share: `0.99` or `99%`, in [lo, hi] (the ends as `closed_hi` says).
std::expected<double, std::string> parse_share(std::string_view option, const std::string& text, double lo,
                                               double hi, bool closed_lo, bool closed_hi) {
    std::string number = text;
    double scale = 1;
    if (!number.empty() && number.back() == '%') {
        number.pop_back();
        scale = 0.01;
    }
    char* end = nullptr;
    const double v = number.empty() ? NAN : std::strtod(number.c_str(), &end) * scale;
    const bool ok = !number.empty() && end == number.c_str() + number.size() && std::isfinite(v) &&
                    (closed_lo ? v >= lo : v > lo) && (closed_hi ? v <= hi : v < hi);
    if (!ok) {
        return std::unexpected(std::string(option) + ": '" + text + "' is not a share " +
                               (closed_lo ? "from " : "above ") + std::to_string(lo).substr(0, 3) +
                               (closed_hi ? " to " : " and below ") + std::to_string(hi).substr(0, 3) +
                               " (e.g. 0.99 or 99%)");
    }
    return v;
}

std::expected<Options, std::string> parse(std::span<const std::string> args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (is_help(a)) {
            o.help = true;
            return o;
        }
        auto value = [&](std::initializer_list<std::string_view> names) {
            return take_value(args, i, names);
        };
        if (auto v = value({"--target"})) {
            if (!*v) return std::unexpected(v->error());
            auto s = parse_share("--target", **v, 0, 1, false, true);
            if (!s) return std::unexpected(s.error());
            o.target = *s;
        } else if (auto c = value({"--confidence"})) {
            if (!*c) return std::unexpected(c->error());
            auto s = parse_share("--confidence", **c, 0, 1, false, false);
            if (!s) return std::unexpected(s.error());
            o.confidence = *s;
        } else if (auto p = value({"--precision"})) {
            if (!*p) return std::unexpected(p->error());
            auto s = parse_share("--precision", **p, 0, 0.5, true, true);
            if (!s) return std::unexpected(s.error());
            o.precision = *s;
        } else if (auto t = value({"--ttl"})) {
            if (!*t) return std::unexpected(t->error());
            if ((*t)->empty()) return std::unexpected("--ttl needs a TTL (blocks or a duration), got ''");
            o.ttls.push_back(**t);
        } else if (auto r = value({"--replications"})) {
            if (!*r) return std::unexpected(r->error());
            auto n = parse_count("--replications", **r, 2, 10'000);
            if (!n) return std::unexpected(n.error());
            o.replications = *n;
        } else if (auto m = value({"--max-replications"})) {
            if (!*m) return std::unexpected(m->error());
            auto n = parse_count("--max-replications", **m, 2, 10'000);
            if (!n) return std::unexpected(n.error());
            o.max_replications = *n;
        } else if (auto set = value({"--set"})) {
            if (!*set) return std::unexpected(set->error());
            auto parsed = sim::scenario::parse_override(**set);
            if (!parsed) return std::unexpected("--set " + **set + ": " + parsed.error());
            o.sets.push_back(*parsed);
        } else if (auto j = value({"-j", "--jobs"})) {
            if (!*j) return std::unexpected(j->error());
            auto n = parse_jobs(**j);
            if (!n) return std::unexpected(n.error());
            o.jobs = *n;
        } else if (auto js = value({"--json"})) {
            if (!*js) return std::unexpected(js->error());
            if ((*js)->empty()) return std::unexpected("--json needs a file name, got ''");
            o.json = **js;
        } else if (auto d = value({"--journal"})) {
            if (!*d) return std::unexpected(d->error());
            if ((*d)->empty()) return std::unexpected("--journal needs a directory name, got ''");
            o.journal = **d;
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (auto taken = take_file_argument(a, o.scenario, "scenario"); !taken) {
            return std::unexpected(taken.error());
        }
    }
    if (o.max_replications < o.replications) {
        return std::unexpected("--max-replications " + std::to_string(o.max_replications) +
                               " is below --replications " + std::to_string(o.replications));
    }
    return o;
}

std::expected<sim::scenario::Scenario, std::vector<sim::scenario::ScenarioError>> load(
    const Options& o, const std::vector<sim::scenario::Override>& sets) {
    return o.scenario.empty() ? sim::scenario::load_default_scenario(sets)
                              : sim::scenario::load_scenario_file(o.scenario, sets);
}

// The TTL of tier t in blocks as the model reads the policy (adaptive: its base TTL).
std::uint64_t ttl_blocks(const state::TtlConfig& ttl, std::size_t t) {
    switch (ttl.kind) {
        case state::TtlKind::kPerTier:
            return t < ttl.per_tier_blocks.size() ? ttl.per_tier_blocks[t] : ttl.ttl_blocks;
        case state::TtlKind::kAdaptive:
            return ttl.base_ttl;
        default:
            return ttl.ttl_blocks;
    }
}

std::string ttl_text(const sim::scenario::Scenario& s) {
    const auto& ttl = s.pool.ttl;
    const std::uint64_t period = s.consensus.period;
    auto blocks = [&](std::uint64_t b) {
        return std::to_string(b) + " blocks (" +
               sim::scenario::format_duration(sim::seconds(static_cast<std::int64_t>(b * period))) + ")";
    };
    switch (ttl.kind) {
        case state::TtlKind::kPerTier:
            return "per_tier";
        case state::TtlKind::kAdaptive:
            return "adaptive, base " + blocks(ttl.base_ttl);
        case state::TtlKind::kRenewable:
            return "renewable " + blocks(ttl.ttl_blocks);
        default:
            return "fixed " + blocks(ttl.ttl_blocks);
    }
}

// The model of each tier of a scenario (analysis/sizing/model.hpp).
std::vector<analysis::sizing::TierModel> tier_models(const sim::scenario::Scenario& s, double weight) {
    double rate = 0;
    for (const double r : sim::scenario::arrival_rates_per_second(s)) rate += r;
    const auto& mix = s.workload.users.tier_mix;
    double mix_total = 0;
    for (const double m : mix) mix_total += m;
    const std::size_t tiers = s.pool.tiers.size();
    std::vector<analysis::sizing::TierModel> out;
    const double duration = s.duration.to_seconds_f64();
    for (std::size_t t = 0; t < tiers; ++t) {
        const double share =
            mix.empty() || mix_total <= 0 ? 1.0 / static_cast<double>(tiers) : mix[t] / mix_total;
        analysis::sizing::TierModel m;
        m.users = rate * duration * share;
        m.duration_s = duration;
        m.ttl_s = static_cast<double>(ttl_blocks(s.pool.ttl, t)) * static_cast<double>(s.consensus.period);
        m.clouds = s.clouds.size();
        m.present = weight;
        m.reclaim = s.pool.reclaim;
        out.push_back(m);
    }
    return out;
}

// What the model leaves out that this scenario has (docs/sizing.md "When the two differ").
std::vector<std::string> model_gaps(const sim::scenario::Scenario& s) {
    std::vector<std::string> gaps;
    const auto& u = s.workload.users;
    if (u.rerequest_probability > 0 && u.max_attempts > 1)
        gaps.push_back("re-requests (a refused user asks again and may get a unit that came back)");
    if (u.transfer_probability > 0) gaps.push_back("transfers");
    if (u.double_present_probability > 0) gaps.push_back("double presentation");
    if (s.pool.per_user_lifetime) gaps.push_back("the per-user lifetime limit");
    if (s.pool.per_block_issue_cap || s.pool.max_txs_per_block) gaps.push_back("per-block caps");
    if (s.pool.refill) gaps.push_back("refills (the model's pool is the genesis quota)");
    if (s.pool.ttl.kind == state::TtlKind::kAdaptive)
        gaps.push_back("the adaptive TTL (modelled as its base TTL)");
    if (s.pool.ttl.kind == state::TtlKind::kRenewable && u.renew_probability > 0) gaps.push_back("renewals");
    gaps.push_back("the end of the run (users still waiting are not counted) and expiry before presentation");
    if (!s.adversaries.empty()) gaps.push_back("adversaries");
    return gaps;
}

// One search over a quota: phase 1 scales every tier together from the model's answers;
// phase 2 lowers one tier with the others at their phase-1 quotas.
struct Job {
    std::size_t option = 0;
    std::optional<std::size_t> tier;   // phase 2: the tier searched
    std::vector<double> base;          // phase 1: per tier, the model's quota (the scale's shape)
    std::size_t lead = 0;              // phase 1: the tier with the largest base
    std::vector<std::uint64_t> fixed;  // phase 2: every tier's phase-1 quota
    std::vector<bool> counts;          // tiers anyone asks for
    QuotaSearch search;

    std::vector<std::uint64_t> quotas(std::uint64_t q) const {
        if (tier) {
            auto v = fixed;
            v[*tier] = q;
            return v;
        }
        std::vector<std::uint64_t> v(base.size(), 0);
        for (std::size_t t = 0; t < base.size(); ++t) {
            if (base[t] > 0)
                v[t] = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(
                                                      static_cast<double>(q) * base[t] / base[lead] - 1e-9)));
        }
        return v;
    }
    Candidate candidate(std::uint64_t q) const {
        std::vector<bool> c = counts;
        if (tier) {
            c.assign(counts.size(), false);
            c[*tier] = true;
        }
        return Candidate{option, quotas(q), c};
    }
};

// Runs the rounds of `jobs` together until every search is done.
std::expected<void, std::string> run_jobs(std::vector<Job>& jobs, size_pool::Evaluator& evaluator,
                                          const std::function<void()>& progress) {
    while (true) {
        std::vector<std::pair<std::size_t, std::uint64_t>> asked;
        std::vector<Candidate> candidates;
        for (std::size_t j = 0; j < jobs.size(); ++j) {
            for (const std::uint64_t q : jobs[j].search.candidates()) {
                asked.emplace_back(j, q);
                candidates.push_back(jobs[j].candidate(q));
            }
        }
        if (candidates.empty()) return {};
        auto verdicts = evaluator.evaluate(candidates);
        if (!verdicts) return std::unexpected(verdicts.error());
        for (std::size_t i = 0; i < asked.size(); ++i)
            jobs[asked[i].first].search.record(asked[i].second, (*verdicts)[i] == Verdict::kPass);
        if (progress) progress();
    }
}

}  // namespace

int run_size_pool(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    auto options = parse(args);
    if (!options) return usage_error(err, options.error(), kUsage, "size-pool");
    if (options->help) {
        out << kUsage << "\n" << kHelp;
        return 0;
    }
    const Options& o = *options;

    // ---- the options to compare: the scenario's TTL, or each --ttl ----
    std::vector<Option> variants;
    {
        auto base = load(o, o.sets);
        if (!base) {
            for (const auto& e : base.error()) err << e.to_string() << "\n";
            return 2;
        }
        if (o.ttls.empty()) variants.push_back(Option{"scenario", *base, o.sets});
        for (const std::string& ttl : o.ttls) {
            auto sets = o.sets;
            sets.push_back({"pool.ttl.policy", "fixed"});
            sets.push_back({"pool.ttl.ttl_blocks", ttl});
            auto s = load(o, sets);
            if (!s) {
                err << "error: --ttl " << ttl << ": " << s.error().front().message << "\n";
                return 2;
            }
            variants.push_back(Option{ttl, std::move(*s), std::move(sets)});
        }
    }
    for (const Option& v : variants) {
        if (auto checked = sim::world::checked_world_config(v.base, 0); !checked) {
            err << sim::world::to_scenario_error(v.base, checked.error()).to_string() << "\n";
            return 2;
        }
    }
    if (o.json) {
        if (auto writable = analysis::check_output_path(*o.json); !writable) {
            err << "error: --json " << writable.error() << "\n";
            return 2;
        }
    }
    const std::string journal = o.journal.value_or("size-pool-" + variants.front().base.name + ".partial");
    if (auto opened = open_journal(journal); !opened) {
        err << "error: " << opened.error() << "\n";
        return 2;
    }
    install_termination_handlers();

    size_pool::Settings settings;
    settings.target = o.target;
    settings.confidence = o.confidence;
    settings.replications = o.replications;
    settings.max_replications = o.max_replications;
    settings.jobs = o.jobs.value_or(std::max(1U, std::thread::hardware_concurrency()));
    settings.journal = journal;
    size_pool::Evaluator evaluator(variants, settings);
    const bool show = !o.quiet && isatty(STDERR_FILENO);
    auto progress = [&] {
        if (show)
            std::fprintf(stderr, "\rsize-pool: %zu runs (%zu from before), round %zu   ",
                         evaluator.runs_done(), evaluator.runs_resumed(), evaluator.rounds());
    };

    // ---- phase 1: every tier scaled together, from the model's answers ----
    std::vector<std::vector<analysis::sizing::TierModel>> models;
    std::vector<Job> scale;
    for (std::size_t v = 0; v < variants.size(); ++v) {
        models.push_back(tier_models(variants[v].base, settings.weight_of(variants[v])));
        Job job{v, std::nullopt, {}, 0, {}, {}, QuotaSearch(1, o.precision)};
        for (const auto& m : models.back()) {
            const auto q = analysis::sizing::quota_for(m, o.target);
            job.base.push_back(m.users <= 0 ? 0.0
                                            : static_cast<double>(q.value_or(
                                                  static_cast<std::uint64_t>(std::ceil(m.users)))));
            job.counts.push_back(m.users > 0);
        }
        for (std::size_t t = 0; t < job.base.size(); ++t)
            if (job.base[t] > job.base[job.lead]) job.lead = t;
        job.search = QuotaSearch(static_cast<std::uint64_t>(std::max(1.0, job.base[job.lead])), o.precision);
        scale.push_back(std::move(job));
    }
    if (auto ran = run_jobs(scale, evaluator, progress); !ran) {
        if (show) std::fputs("\n", stderr);
        err << "cloudledger size-pool: " << ran.error() << "\n";
        return 1;
    }

    // ---- phase 2: each tier lowered alone (only with several tiers asked for) ----
    std::vector<Job> per_tier;
    for (const Job& s : scale) {
        const auto answer = s.search.answer();
        if (!answer || std::count(s.counts.begin(), s.counts.end(), true) < 2) continue;
        for (std::size_t t = 0; t < s.counts.size(); ++t) {
            if (!s.counts[t]) continue;
            Job job{s.option,
                    t,
                    {},
                    0,
                    s.quotas(*answer),
                    s.counts,
                    QuotaSearch::below(s.quotas(*answer)[t], o.precision)};
            per_tier.push_back(std::move(job));
        }
    }
    if (auto ran = run_jobs(per_tier, evaluator, progress); !ran) {
        if (show) std::fputs("\n", stderr);
        err << "cloudledger size-pool: " << ran.error() << "\n";
        return 1;
    }

    // ---- the answers: the per-tier minima together, checked; else the scale's ----
    std::vector<Candidate> finals, fallbacks;
    for (const Job& s : scale) {
        const auto answer = s.search.answer();
        fallbacks.push_back(s.candidate(answer.value_or(s.search.lower())));
        Candidate c = fallbacks.back();
        for (const Job& p : per_tier) {
            if (p.option == s.option && p.search.answer()) c.quotas[*p.tier] = *p.search.answer();
        }
        finals.push_back(c);
    }
    auto checked = evaluator.evaluate(finals);
    if (!checked) {
        if (show) std::fputs("\n", stderr);
        err << "cloudledger size-pool: " << checked.error() << "\n";
        return 1;
    }
    if (show) std::fputs("\n", stderr);

    size_pool::Answer answer;
    answer.scenario = variants.front().base.name;
    for (const auto& c : variants.front().base.clouds) answer.clouds.push_back(c.name);
    answer.target = o.target;
    answer.confidence = o.confidence;
    answer.precision = o.precision;
    answer.replications = o.replications;
    answer.max_replications = o.max_replications;
    for (std::size_t v = 0; v < variants.size(); ++v) {
        const bool reached = scale[v].search.answer().has_value();
        const bool use_scale = reached && (*checked)[v] != Verdict::kPass;
        const Candidate& c = use_scale || !reached ? fallbacks[v] : finals[v];
        size_pool::OptionAnswer oa;
        oa.label = variants[v].label;
        oa.ttl = ttl_text(variants[v].base);
        oa.reached = reached;
        oa.scale_answer = use_scale && finals[v].quotas != fallbacks[v].quotas;
        oa.model_gaps = model_gaps(variants[v].base);
        const auto& runs = evaluator.runs(c);
        oa.runs = runs.size();
        const std::uint64_t clouds = variants[v].base.clouds.size();
        for (std::size_t t = 0; t < c.quotas.size(); ++t) {
            size_pool::TierAnswer ta;
            ta.tier = variants[v].base.pool.tiers[t].name;
            ta.quota = c.quotas[t];
            ta.pool = c.quotas[t] * clouds;
            std::vector<double> f;
            for (const double x : evaluator.fractions(c, t)) {
                if (!std::isnan(x)) f.push_back(x);
            }
            ta.served = analysis::describe(f, o.confidence);
            const auto& m = models[v][t];
            ta.users = m.users;
            ta.model_quota = analysis::sizing::quota_for(m, o.target);
            ta.model_shared_quota = analysis::sizing::quota_for(m, o.target, true);
            ta.model_fraction = analysis::sizing::evaluate(m, c.quotas[t]).fraction;
            for (const auto& r : runs) {
                ta.peak_use_mean += static_cast<double>(r.peak_use[t]) / static_cast<double>(runs.size());
                ta.peak_use_max = std::max(ta.peak_use_max, static_cast<double>(r.peak_use[t]));
            }
            oa.tiers.push_back(ta);
        }
        // Mean refusals per reason over the runs (every reason is in every run's summary).
        auto mean_of = [&](auto member) {
            std::vector<std::pair<std::string, double>> means;
            for (const auto& r : runs) {
                const auto& list = r.*member;
                for (std::size_t i = 0; i < list.size(); ++i) {
                    if (i >= means.size()) means.emplace_back(list[i].first, 0.0);
                    means[i].second += list[i].second / static_cast<double>(runs.size());
                }
            }
            return means;
        };
        oa.request_refusals = mean_of(&analysis::sizing::RunOutcome::request_refusals);
        oa.redemption_refusals = mean_of(&analysis::sizing::RunOutcome::redemption_refusals);
        answer.options.push_back(std::move(oa));
    }
    answer.runs = evaluator.runs_done() + evaluator.runs_resumed();
    answer.resumed = evaluator.runs_resumed();
    answer.rounds = evaluator.rounds();
    answer.jobs = settings.jobs;

    if (o.json) {
        if (auto written = write_text_file(*o.json, size_pool::format_json(answer)); !written) {
            err << "cloudledger size-pool: " << written.error() << "\n";
            return 1;
        }
    }
    out << size_pool::format_table(answer);
    remove_journal(journal, evaluator.run_ids());
    return 0;
}

}  // namespace cl::app
