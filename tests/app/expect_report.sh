#!/bin/sh
# expect_report.sh CLOUDLEDGER WRITE_SWEEP_SAMPLE WRITE_SAMPLE
#
# `cloudledger report` end to end (issue 14; docs/experiments.md "Reports"):
#   - a sweep file (tests/analysis/sample_sweep.hpp): md, csv and json carry the points,
#     the aggregate rows (mean, interval) and the sensitivity table; -o writes the same text;
#   - a plain run file: its runs aggregated as one point, the summary per run;
#   - bad input (missing file, not HDF5, not a results file, truncated) and bad usage
#     (unknown format or option, no file): exit 2, `error:` on stderr, nothing on stdout,
#     no -o file made.
set -u
bin=$1
write_sweep=$2
write_sample=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $1" >&2
    [ -f "$dir/out" ] && { echo "--- stdout:" >&2; head -40 "$dir/out" >&2; }
    [ -f "$dir/err" ] && { echo "--- stderr:" >&2; cat "$dir/err" >&2; }
    exit 1
}
expect_ok() {  # expect_ok ARGS...: exit 0, nothing on stderr
    "$bin" report "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    [ $rc -eq 0 ] || fail "report $* exited $rc"
    [ -s "$dir/err" ] && fail "report $* wrote to stderr"
    return 0
}
expect_bad() {  # expect_bad ARGS...: exit 2, error on stderr, nothing on stdout
    "$bin" report "$@" -o "$dir/never" >"$dir/out" 2>"$dir/err"
    rc=$?
    [ $rc -eq 2 ] || fail "report $* exited $rc, expected 2"
    [ -s "$dir/out" ] && fail "report $* wrote to stdout"
    grep -q '^error: ' "$dir/err" || fail "report $*: no error line"
    [ -e "$dir/never" ] && fail "report $*: wrote the output file"
    return 0
}
has() { grep -qF -- "$1" "$dir/out" || fail "missing: $1"; }

"$write_sweep" "$dir/sweep.h5" || fail "cannot write the sample sweep"
"$write_sample" "$dir/runs.h5" || fail "cannot write the sample run file"

expect_ok "$dir/sweep.h5"
has "# report: quota-vs-fork-choice"
has "| 2 | pool.default_quota=200, consensus.fork_choice=eip225 | 4 |"
has "| 2 | users_served_fraction | 1 | 4 | 0.7 | 0.009129 | 0.6855 | 0.7145 | 0.69 | 0.71 | n/a | n/a |"
has "## sensitivity"
has "| users_served_fraction | 1 | 24 | 0.5 | 0.001 | 0.9907 |"
cp "$dir/out" "$dir/md"
expect_ok "$dir/sweep.h5" -o "$dir/report.md"
[ -s "$dir/out" ] && fail "report -o wrote to stdout"
cmp -s "$dir/md" "$dir/report.md" || fail "report -o differs from stdout"

expect_ok "$dir/sweep.h5" --format csv
has "point,pool.default_quota,consensus.fork_choice,metric,unit,n,mean,sd,ci_low,ci_high,min,max,boot_low,boot_high"
has "2,200,eip225,users_served_fraction,1,4,0.69999999999999996,"
has "metric,unit,n,parameter,coefficient,intercept,r_squared,error"

expect_ok "$dir/sweep.h5" --format=json
has '"kind": "sweep"'
has '"pool.default_quota": "200"'
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["aggregates"]) == 18' "$dir/out" \
        || fail "json output does not parse or lacks rows"
fi

expect_ok "$dir/runs.h5"
has "run file, aggregated as one point: 2 runs"
has "| 0 | (none) | 2 |"
has "## runs"
has "| metric | run-b | empty |"
expect_ok "$dir/runs.h5" --format json
has '"kind": "runs"'
has '"run": "run-b"'

printf 'not hdf5\n' >"$dir/text.h5"
head -c 2000 "$dir/sweep.h5" >"$dir/truncated.h5"
expect_bad "$dir/missing.h5"
expect_bad "$dir/text.h5"
expect_bad "$dir/truncated.h5"
expect_bad "$dir/sweep.h5" --format xml
expect_bad "$dir/sweep.h5" --bogus
expect_bad
expect_bad "$dir/sweep.h5" "$dir/runs.h5"
# An output that cannot be created: exit 2 before reading.
"$bin" report "$dir/sweep.h5" -o "$dir/no/such/dir/r.md" >"$dir/out" 2>"$dir/err"
[ $? -eq 2 ] || fail "unwritable -o: expected exit 2"
grep -q '^error: -o ' "$dir/err" || fail "unwritable -o: no error line"
echo "ok"
