#!/bin/sh
# expect_size_pool.sh CLOUDLEDGER PYTHON3 HAND.yaml
#
# `cloudledger size-pool` end to end (issue 14, docs/sizing.md "A case worked by hand"):
#  1. The hand case (one cloud, one tier, nothing expires, everyone presents and passes):
#     the pool is the cloud's quota, so with --target 1 a quota serves every user of a
#     replication exactly when it covers every code that replication asked for. The hand
#     answer is the largest `codes_issued` over the 4 replications of a run with an ample
#     quota; size-pool (4 replications per candidate, to the unit) must give it, served
#     fraction 1 with the interval [1, 1], and --json must parse with the same numbers.
#     The same with -j 1 (the search does not depend on the workers).
#  2. Killed half-way (SIGKILL) and started again with the same journal, it finds runs from
#     before and gives the same answer; the journal is gone afterwards.
#  3. Bad arguments exit 2 with nothing written (no JSON, no journal).
# Skipped (77) without python3.
set -u
bin=$1
python=$2
hand=$3
"$python" -c 'import json' 2>/dev/null || exit 77
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail() {
    echo "FAIL: $1" >&2
    exit 1
}

# ---- 1. the hand answer ----
"$bin" run "$hand" --set replications=4 --set pool.default_quota=100000 --quiet -o ample.h5 >/dev/null ||
    fail "the ample run failed"
"$bin" report ample.h5 --format json -o ample.json || fail "report of the ample run failed"
want=$("$python" -c '
import json, sys
runs = json.load(open("ample.json"))["runs"]
print(max(int(r["summary"]["codes_issued"]) for r in runs))') || fail "cannot read codes_issued"
args="--target 1 --replications 4 --max-replications 4 --precision 0 -j 2 --quiet"
# shellcheck disable=SC2086
"$bin" size-pool "$hand" $args --json hand.json --journal j >table.txt 2>err.txt || {
    cat err.txt >&2
    fail "size-pool failed"
}
"$python" - "$want" <<'PY' || fail "the JSON answer is not the hand answer (table below)"
import json, sys
want = int(sys.argv[1])
a = json.load(open("hand.json"))
o = a["options"][0]
t = o["tiers"][0]
assert o["reached"] is True, o
assert t["quota_per_cloud"] == want, (t["quota_per_cloud"], want)
assert t["pool"] == want, t
s = t["served_fraction"]
assert s["n"] == 4 and s["mean"] == 1.0 and s["ci_low"] == 1.0 and s["ci_high"] == 1.0, s
assert t["peak_pool_use"]["max"] == want, t["peak_pool_use"]
assert o["refusals_mean_per_run"]["pool_stage"]["pool_exhausted"] == 0.0, o["refusals_mean_per_run"]
assert o["refusals_mean_per_run"]["cloud_stage"]["cloud_quota_exhausted"] == 0.0
assert a["runs_from_before"] == 0, a
assert t["model"]["users"] > 0
PY
grep -q "^  small  *$want  *$want  *1.0000 " table.txt || { cat table.txt >&2; fail "the table does not show quota $want"; }
[ -e j ] && fail "the journal is left after a finished size-pool"

# ---- 1b. the same answer with one worker ----
"$bin" size-pool "$hand" --target 1 --replications 4 --max-replications 4 --precision 0 -j 1 --quiet \
    --json one.json --journal j1 >/dev/null 2>&1 || fail "size-pool -j 1 failed"
"$python" -c '
import json
a, b = json.load(open("hand.json")), json.load(open("one.json"))
assert a["options"] == b["options"] and a["runs"] == b["runs"], "-j 1 and -j 2 differ"' || fail "-j 1 and -j 2 differ"

# ---- 2. killed and started again: runs from before, the same answer ----
# shellcheck disable=SC2086
"$bin" size-pool "$hand" $args --json first.json --journal k >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(ls k 2>/dev/null | grep -c '\.h5$')" -lt 6 ] && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ -e first.json ] && fail "a killed size-pool wrote its JSON"
# shellcheck disable=SC2086
"$bin" size-pool "$hand" $args --json again.json --journal k >/dev/null 2>&1 || fail "the restarted size-pool failed"
"$python" - <<'PY' || fail "the restarted size-pool differs or found nothing from before"
import json
a, b = json.load(open("hand.json")), json.load(open("again.json"))
assert b["runs_from_before"] > 0, b["runs_from_before"]
assert a["options"] == b["options"], "answers differ"
PY
[ -e k ] && fail "the journal is left after the restarted size-pool"

# ---- 3. bad arguments: exit 2, nothing written ----
bad() {
    mkdir bad && cd bad || exit 1
    "$bin" size-pool "$@" --json out.json >out.txt 2>err.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "size-pool $* exited $rc, expected 2"
    [ -s err.txt ] || fail "size-pool $*: nothing on stderr"
    extra=$(ls -A | grep -v -x -e out.txt -e err.txt)
    [ -z "$extra" ] || fail "size-pool $*: files created: $extra"
    cd .. && rm -rf bad
}
bad "$hand" --target 0
bad "$hand" --target 101%
bad "$hand" --target abc
bad "$hand" --confidence 1
bad "$hand" --replications 1
bad "$hand" --replications 8 --max-replications 4
bad "$hand" --precision 0.9
bad "$hand" --ttl 7s
bad "$hand" --set pool.default_quota=-1
bad "$hand" --frobnicate
bad "$hand" -j 0
bad "$hand" "$hand"
bad "$dir/missing.yaml"
bad "$hand" --json
echo "size-pool: hand answer $want, restart, bad arguments ok"
