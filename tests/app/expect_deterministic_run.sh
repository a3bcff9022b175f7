#!/bin/sh
# expect_deterministic_run.sh CLOUDLEDGER
#
# Determinism through the command line (issue 5, "Checks"; DESIGN.md §6): runs
# `cloudledger run` on a short version of the default scenario (5 simulated minutes, 20
# full nodes) twice with seed 1 and once with seed 2, in an empty temporary directory,
# and requires
#   - exit code 0 and a complete output file each time, no temporary file left behind;
#   - seed 1 twice: the same printed results digest (per run and per file) and the same
#     summary metrics;
#   - seed 2: another digest, and other summary metrics (the digest covers the seed, so
#     the metrics show that the simulation itself changed).
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $1" >&2
    exit 1
}
# run SEED NAME: writes NAME.h5, NAME.out (stdout) and NAME.err (stderr).
run() {
    (cd "$dir" && "$bin" run --quiet --set duration=5m --set network.full_nodes=20 --seed "$1" \
        -o "$2.h5" >"$2.out" 2>"$2.err")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        cat "$dir/$2.err" >&2
        fail "run --seed $1 exited with $rc"
    fi
    [ -f "$dir/$2.h5" ] || fail "run --seed $1 wrote no $2.h5"
}
file_digest() { sed -n 's/^results: .* (digest \(0x[0-9a-f]\{64\}\))$/\1/p' "$dir/$1.out"; }
run_digest() { sed -n 's/^digest \(0x[0-9a-f]\{64\}\)$/\1/p' "$dir/$1.out"; }
# The summary metrics: from the table header to the wall-clock section (excluded).
metrics() { sed -n '/^metric /,/^wall clock/p' "$dir/$1.out" | grep -v '^wall clock'; }

run 1 a
run 1 b
run 2 c
for tmp in "$dir"/*.tmp-*; do
    [ -e "$tmp" ] && fail "a temporary output file was left behind: $(basename "$tmp")"
done
a=$(file_digest a)
[ -n "$a" ] || fail "no 'results: FILE (digest 0x...)' line on stdout"
[ -n "$(run_digest a)" ] || fail "no 'digest 0x...' line on stdout"
[ -n "$(metrics a)" ] || fail "no summary table on stdout"
[ "$a" = "$(file_digest b)" ] || fail "seed 1 twice: file digests differ ($a, $(file_digest b))"
[ "$(run_digest a)" = "$(run_digest b)" ] || fail "seed 1 twice: run digests differ"
[ "$(metrics a)" = "$(metrics b)" ] || fail "seed 1 twice: summary metrics differ"
[ "$a" != "$(file_digest c)" ] || fail "seeds 1 and 2 give the same file digest $a"
[ "$(run_digest a)" != "$(run_digest c)" ] || fail "seeds 1 and 2 give the same run digest"
[ "$(metrics a)" != "$(metrics c)" ] || fail "seeds 1 and 2 give the same summary metrics"
echo "seed 1 (twice): $a; seed 2: $(file_digest c)"
exit 0
