// The columns of the `/sweep` tables (sweep_schema.hpp), in file order — as fields.hpp is
// for the run tables. Changing an order or a name changes the layout: bump
// kSweepSchemaVersion and update docs/experiments.md.
#pragma once

#include "analysis/results/fields.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis {

template <RowOf<AggregateRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("point", r.point);
    f("metric", r.metric);
    f("unit", r.unit);
    f("n", r.n);
    f("mean", r.mean);
    f("sd", r.sd);
    f("ci_low", r.ci_low);
    f("ci_high", r.ci_high);
    f("min", r.min);
    f("max", r.max);
    f("boot_low", r.boot_low);
    f("boot_high", r.boot_high);
}

template <RowOf<PointOverrideRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("point", r.point);
    f("key", r.key);
    f("value", r.value);
}

template <RowOf<PointRunRow> R, class F>
constexpr void for_each_field(R& r, F&& f) {
    f("point", r.point);
    f("run_id", r.run_id);
}

}  // namespace cl::analysis
