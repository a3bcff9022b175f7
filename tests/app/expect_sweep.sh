#!/bin/sh
# expect_sweep.sh CLOUDLEDGER CHECK_RESULTS_FILE SWEEP.yaml [MPIRUN]
#
# `cloudledger sweep` (issue 14, "Checks"; docs/experiments.md "Sweeps"):
#   1. -j 1 and -j 2 give the same results file digest, the same per-run digests (run id
#      and digest of every run, in file order) and the same aggregate tables (`report`
#      as CSV, byte for byte); the journal OUTPUT.partial is gone afterwards.
#   2. Killed half-way (SIGKILL once at least two runs are in the journal; SIGTERM at
#      another point; a background job ignores SIGINT, and Ctrl-C takes the same
#      handler as SIGTERM) and started again with the same file and output: the runs in the
#      journal are skipped ("N from before" > 0) and the final file has the same digest,
#      per-run digests and aggregate tables as the uninterrupted sweep. A journal file
#      that is torn (truncated) is not trusted: that run is run again.
#   3. On a terminal (through script(1) when present), the progress line says runs done
#      of the total and an ETA.
#   With MPIRUN (a command that launches MPI programs, e.g. `mpirun -n 2 --oversubscribe`):
#   4. only the MPI case: K ranks give the same digests and tables as -j 1.
# The file itself is not byte-identical: /runs/<id>/wall_clock (not in the digest) holds
# each run's own wall-clock figures.
set -u
bin=$1
reader=$2
sweep=$3
mpirun=${4:-}
name=$(sed -n "s/^sweep: *//p" "$sweep")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $1" >&2
    exit 1
}

# fingerprint FILE: the file digest, each run's id and digest, and the aggregate tables.
fingerprint() {
    "$reader" "$1" >"$1.runs" || fail "$1 does not read back"
    "$bin" report "$1" --format csv >"$1.csv" || fail "report $1"
}
same() {
    cmp -s "$1.runs" "$2.runs" || { diff "$1.runs" "$2.runs" >&2; fail "$3: per-run digests differ"; }
    cmp -s "$1.csv" "$2.csv" || { diff "$1.csv" "$2.csv" >&2; fail "$3: aggregate tables differ"; }
    [ "$(sed -n 's/^results: .*(digest \(.*\))$/\1/p' "$1.out")" = \
        "$(sed -n 's/^results: .*(digest \(.*\))$/\1/p' "$2.out")" ] || fail "$3: file digests differ"
}

cd "$dir" || exit 1
# Bad usage: exit 2, nothing run, nothing written.
for args in "-j 0" "-j many" "-o missing-dir/x.h5" "--no-such-option" ""; do
    # shellcheck disable=SC2086
    "$bin" sweep $([ -n "$args" ] && echo "$sweep") $args --quiet >out 2>err
    rc=$?
    [ "$rc" -eq 2 ] || fail "sweep ${args:-without a file}: exit $rc, expected 2"
    [ -s out ] && fail "sweep $args: stdout not empty"
    [ -z "$(ls | grep -v -x -e out -e err)" ] || fail "sweep $args: files created: $(ls)"
done
rm -f out err
"$bin" sweep "$sweep" -j 1 -o one.h5 --quiet >one.h5.out 2>err || { cat err >&2; fail "sweep -j 1"; }
fingerprint one.h5
[ -e one.h5.partial ] && fail "the journal one.h5.partial is left after the sweep"

if [ -n "$mpirun" ]; then
    # shellcheck disable=SC2086
    $mpirun "$bin" sweep "$sweep" -j 1 -o mpi.h5 --quiet >mpi.h5.out 2>err || { cat err >&2; fail "sweep under $mpirun"; }
    grep -q "ranks" mpi.h5.out || { cat mpi.h5.out >&2; fail "the sweep did not run as MPI ranks"; }
    fingerprint mpi.h5
    same one.h5 mpi.h5 "$mpirun vs -j 1"
    echo "ok: $mpirun gives the digests and tables of -j 1"
    exit 0
fi

"$bin" sweep "$sweep" -j 2 -o two.h5 --quiet >two.h5.out 2>err || { cat err >&2; fail "sweep -j 2"; }
fingerprint two.h5
same one.h5 two.h5 "-j 2 vs -j 1"
total=$(sed -n 's/^ok \([0-9]*\) runs$/\1/p' one.h5.runs)

# interrupt SIGNAL MIN_RUNS: start a sweep, kill it once MIN_RUNS runs are in the journal.
interrupt() {
    "$bin" sweep "$sweep" -j 2 -o cut.h5 --quiet >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        n=$(ls cut.h5.partial 2>/dev/null | grep -c '\.h5$')
        if [ "$n" -ge "$2" ]; then
            kill -s "$1" "$pid"
            break
        fi
        sleep 0.05
    done
    wait "$pid"
    [ -e cut.h5 ] && fail "SIG$1 after $2 runs: the sweep finished before it was killed (too small?)"
    kept=$(ls cut.h5.partial | grep -c '\.h5$')
    [ "$kept" -ge "$2" ] || fail "SIG$1: only $kept runs in the journal"
    [ "$kept" -lt "$total" ] || fail "SIG$1: every run was done before the kill"
}
interrupt KILL 2
interrupt TERM 4
# A torn journal file: the run is run again, not trusted.
victim=$(ls cut.h5.partial/*.h5 | head -n 1)
head -c 1000 "$victim" >"$victim.cut" && mv "$victim.cut" "$victim"
"$bin" sweep "$sweep" -j 2 -o cut.h5 --quiet >cut.h5.out 2>err || { cat err >&2; fail "the restarted sweep"; }
resumed=$(sed -n 's/.*runs (\([0-9]*\) from before).*/\1/p' cut.h5.out)
[ "${resumed:-0}" -gt 0 ] || { cat cut.h5.out >&2; fail "the restart skipped no run"; }
[ "$resumed" -lt "$total" ] || fail "the torn journal file was trusted"
[ -e cut.h5.partial ] && fail "the journal is left after the restarted sweep"
fingerprint cut.h5
same one.h5 cut.h5 "killed and restarted vs uninterrupted"
if command -v script >/dev/null 2>&1; then
    script -qec "'$bin' sweep '$sweep' -j 2 -o tty.h5" /dev/null >tty.out 2>&1 || fail "sweep on a terminal"
    tr '\r' '\n' <tty.out | grep -q "^sweep $name: $total/$total runs, .* s, ETA 0 s" ||
        fail "the progress line does not say '$total/$total runs ... ETA': $(tr '\r' '\n' <tty.out | head -n 4)"
    tr '\r' '\n' <tty.out | grep -q "^sweep $name: 1/$total runs" || fail "no progress line after the first run"
else
    echo "note: progress line not checked (no script(1))"
fi
echo "ok: -j 1 = -j 2 = killed (SIGKILL, SIGTERM) and restarted ($resumed of $total runs from before)"
exit 0
