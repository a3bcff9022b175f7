#include "analysis/sizing/decision.hpp"

#include <cmath>
#include <vector>

namespace cl::analysis::sizing {

Verdict decide(std::span<const double> fractions, double target, double confidence,
               Description* description) {
    std::vector<double> values;
    for (const double f : fractions) {
        if (!std::isnan(f)) values.push_back(f);
    }
    const Description d = describe(values, confidence);
    if (description != nullptr) *description = d;
    if (values.empty()) return fractions.empty() ? Verdict::kUndecided : Verdict::kPass;
    if (values.size() < 2) return Verdict::kUndecided;
    if (d.ci_low >= target) return Verdict::kPass;
    if (d.ci_high < target) return Verdict::kFail;
    return Verdict::kUndecided;
}

}  // namespace cl::analysis::sizing
