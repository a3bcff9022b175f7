#include "app/size_pool_search.hpp"

#include <algorithm>
#include <cstdio>

#include "app/sweep_runner.hpp"
#include "sim/scenario/loader.hpp"

namespace cl::app::size_pool {
namespace {

using analysis::sizing::Verdict;

// FNV-1a, 64 bits: the content name of a candidate's runs (not a security property: a
// journal file is trusted only when its provenance matches, sweep_runner.hpp).
std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ULL) {
    for (const unsigned char ch : text) {
        h ^= ch;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string hex16(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// The option's overrides, then every cloud's quota of every tier.
std::vector<sim::scenario::Override> candidate_overrides(const Option& option, const Candidate& c) {
    std::vector<sim::scenario::Override> overrides = option.overrides;
    const auto& tiers = option.base.pool.tiers;
    for (std::size_t i = 0; i < option.base.clouds.size(); ++i) {
        for (std::size_t t = 0; t < tiers.size(); ++t) {
            overrides.push_back(
                {"clouds[" + std::to_string(i) + "].quotas." + tiers[t].name, std::to_string(c.quotas[t])});
        }
    }
    return overrides;
}

std::string override_key(const std::vector<sim::scenario::Override>& overrides) {
    std::string key;
    for (const auto& o : overrides) key += o.path + "=" + o.value + "\n";
    return key;
}

}  // namespace

double Settings::weight_of(const Option& o) const {
    return o.base.workload.users.redeem_probability * o.base.workload.clouds.pass_probability;
}

Evaluator::Evaluator(const std::vector<Option>& options, Settings settings)
    : options_(options), settings_(std::move(settings)) {}

std::expected<Evaluator::Entry*, std::string> Evaluator::entry(const Candidate& c) {
    const Option& option = options_[c.option];
    const auto& tiers = option.base.pool.tiers;
    const std::vector<sim::scenario::Override> overrides = candidate_overrides(option, c);
    std::string key = override_key(overrides);
    if (const auto it = entries_.find(key); it != entries_.end()) return it->second.get();

    auto scenario = sim::scenario::load_scenario(option.base.source_text, option.base.source_file, overrides);
    if (!scenario) {
        return std::unexpected("the scenario with quotas " + key + ": " +
                               scenario.error().front().to_string());
    }
    auto e = std::make_unique<Entry>();
    sim::scenario::SweepFile& sweep = e->sweep;
    sweep.source_file = option.base.source_file;
    sweep.scenario_file = option.base.source_file;
    sweep.name = "sizepool-" + hex16(fnv1a(key + "seed=" + std::to_string(scenario->seed) + "\n",
                                           fnv1a(option.base.source_text)));
    sweep.seed = scenario->seed;
    sweep.replications = settings_.max_replications;
    sim::scenario::SweepPointSpec point;
    point.overrides = overrides;
    point.scenario = std::move(*scenario);
    sweep.points.push_back(std::move(point));
    for (std::size_t t = 0; t < tiers.size(); ++t)
        e->capacity.push_back(c.quotas[t] * static_cast<std::uint64_t>(option.base.clouds.size()));
    Entry* raw = e.get();
    entries_.emplace(std::move(key), std::move(e));
    return raw;
}

Verdict Evaluator::verdict(const Candidate& c, const Entry& e) const {
    if (e.runs.empty()) return Verdict::kUndecided;
    Verdict all = Verdict::kPass;
    const double weight = settings_.weight_of(options_[c.option]);
    for (std::size_t t = 0; t < c.counts.size(); ++t) {
        if (!c.counts[t]) continue;
        std::vector<double> f;
        for (const auto& run : e.runs) f.push_back(analysis::sizing::served_fraction(run.tiers[t], weight));
        const Verdict v = analysis::sizing::decide(f, settings_.target, settings_.confidence);
        if (v == Verdict::kFail) return Verdict::kFail;
        if (v == Verdict::kUndecided) all = Verdict::kUndecided;
    }
    return all;
}

std::expected<std::vector<Verdict>, std::string> Evaluator::evaluate(
    const std::vector<Candidate>& candidates) {
    std::vector<Entry*> entries;
    for (const Candidate& c : candidates) {
        auto e = entry(c);
        if (!e) return std::unexpected(e.error());
        entries.push_back(*e);
    }
    while (true) {
        // The replications each candidate still needs: a first batch, or one more batch
        // while undecided, up to the most allowed. Entries met twice are counted once.
        std::vector<std::pair<Entry*, std::uint64_t>> wants;  // (entry, replications wanted)
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            Entry* e = entries[i];
            const std::uint64_t have = e->runs.size();
            std::uint64_t want = have;
            if (have == 0) {
                want = settings_.replications;
            } else if (have < settings_.max_replications &&
                       verdict(candidates[i], *e) == Verdict::kUndecided) {
                want = std::min(settings_.max_replications, have + settings_.replications);
            }
            if (want <= have) continue;
            bool seen = false;
            for (auto& [other, w] : wants) {
                if (other == e) {
                    w = std::max(w, want);
                    seen = true;
                }
            }
            if (!seen) wants.emplace_back(e, want);
        }
        if (wants.empty()) break;
        ++rounds_;
        // Runs found in the journal are taken as they are; the rest run together.
        std::vector<SweepTask> tasks;
        for (auto& [e, want] : wants) {
            for (std::uint64_t r = e->runs.size(); r < want; ++r) {
                const SweepRun run{0, r};
                run_ids_.push_back(sweep_run_id(e->sweep, run));
                if (!read_journal_run(e->sweep, settings_.journal, run))
                    tasks.push_back(SweepTask{&e->sweep, run});
            }
        }
        if (auto ran = run_sweep_tasks(tasks, settings_.journal, settings_.jobs); !ran) {
            return std::unexpected(ran.error());
        }
        ran_ += tasks.size();
        for (auto& [e, want] : wants) {
            for (std::uint64_t r = e->runs.size(); r < want; ++r) {
                bool fresh = false;
                for (const SweepTask& t : tasks)
                    fresh = fresh || (t.sweep == &e->sweep && t.run.replication == r);
                if (!fresh) ++resumed_;
                auto run = read_journal_run(e->sweep, settings_.journal, SweepRun{0, r});
                if (!run) {
                    return std::unexpected("the finished run " + sweep_run_id(e->sweep, SweepRun{0, r}) +
                                           " is missing from " + settings_.journal);
                }
                e->runs.push_back(analysis::sizing::run_outcome(*run, e->capacity));
            }
        }
    }
    std::vector<Verdict> out;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Verdict v = verdict(candidates[i], *entries[i]);
        out.push_back(v == Verdict::kUndecided ? Verdict::kFail : v);
    }
    return out;
}

const std::vector<analysis::sizing::RunOutcome>& Evaluator::runs(const Candidate& c) const {
    return entries_.at(override_key(candidate_overrides(options_[c.option], c)))->runs;
}

std::vector<double> Evaluator::fractions(const Candidate& c, std::size_t tier) const {
    std::vector<double> f;
    const double weight = settings_.weight_of(options_[c.option]);
    for (const auto& run : runs(c)) f.push_back(analysis::sizing::served_fraction(run.tiers[tier], weight));
    return f;
}

}  // namespace cl::app::size_pool
