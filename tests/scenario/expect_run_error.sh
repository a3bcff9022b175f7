#!/bin/sh
# expect_run_error.sh CLOUDLEDGER SCENARIO.yaml
#
# Bad input found only when the world is built (selectors resolved against the topology)
# is still bad input (DESIGN.md §8): `cloudledger run SCENARIO -o out.h5` in an empty
# temporary directory must exit 2, write no file (neither out.h5 nor a temporary) and
# print a `FILE:LINE:` error naming the scenario.
set -u
bin=$1
file=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && "$bin" run "$file" -o out.h5 --quiet >stdout.txt 2>stderr.txt)
rc=$?
fail() {
    echo "FAIL: $1" >&2
    echo "--- stderr:" >&2
    cat "$dir/stderr.txt" >&2
    exit 1
}
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
extra=$(ls -A "$dir" | grep -v -x -e stdout.txt -e stderr.txt)
[ -z "$extra" ] || fail "files created: $extra"
grep -q "^$file:[0-9]*:" "$dir/stderr.txt" || fail "no stderr line of the form $file:LINE:"
cat "$dir/stderr.txt"
exit 0
