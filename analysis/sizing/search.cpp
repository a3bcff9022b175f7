#include "analysis/sizing/search.hpp"

#include <algorithm>
#include <cmath>

namespace cl::analysis::sizing {

QuotaSearch::QuotaSearch(std::uint64_t guess, double precision)
    : probe_(std::max<std::uint64_t>(1, guess)), precision_(precision) {}

QuotaSearch QuotaSearch::below(std::uint64_t passing_hi, double precision) {
    QuotaSearch s(passing_hi, precision);
    s.verdicts_[passing_hi] = true;
    return s;
}

std::optional<std::uint64_t> QuotaSearch::answer() const {
    for (const auto& [q, pass] : verdicts_) {
        if (pass) return q;
    }
    return std::nullopt;
}

std::uint64_t QuotaSearch::lower() const {
    const auto hi = answer();
    std::uint64_t lo = 0;
    for (const auto& [q, pass] : verdicts_) {
        if (!pass && (!hi || q < *hi)) lo = std::max(lo, q);
    }
    return lo;
}

bool QuotaSearch::done() const {
    if (unreachable_) return true;
    const auto hi = answer();
    if (!hi) return false;
    const auto width = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::floor(static_cast<double>(*hi) * precision_)));
    return *hi - lower() <= width;
}

std::vector<std::uint64_t> QuotaSearch::candidates() const {
    if (done()) return {};
    const auto hi = answer();
    if (!hi) return {probe_};
    const std::uint64_t lo = lower();
    std::vector<std::uint64_t> out;
    for (std::size_t i = 1; i <= kPerRound; ++i) {
        const std::uint64_t q = lo + (*hi - lo) * i / (kPerRound + 1);
        if (q > lo && q < *hi && !verdicts_.contains(q) && (out.empty() || out.back() != q)) out.push_back(q);
    }
    if (out.empty()) out.push_back(lo + 1);  // hi − lo >= 2 here: lo + 1 is inside
    return out;
}

void QuotaSearch::record(std::uint64_t quota, bool pass) {
    verdicts_[quota] = pass;
    if (!answer() && quota == probe_ && !pass) {
        if (++doublings_ > kMaxDoublings) {
            unreachable_ = true;
        } else {
            probe_ *= 2;
        }
    }
}

}  // namespace cl::analysis::sizing
