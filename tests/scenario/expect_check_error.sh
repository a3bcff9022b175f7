#!/bin/sh
# expect_check_error.sh CLOUDLEDGER SCENARIO.yaml
#
# The bad-scenario corpus check (issue 5, "Checks"): runs `cloudledger check SCENARIO`
# in an empty temporary directory and requires
#   - exit code 2,
#   - nothing on stdout and no file created,
#   - a stderr line `FILE:LINE:...` where FILE is the scenario path, or ends with the
#     value of a `# expect-file: NAME` line in the scenario (e.g. `--set`, or another
#     file the scenario names).
# Extra arguments come from a `# check-args: ARGS` line in the scenario (word-split).
set -u
bin=$1
file=$2
args=$(sed -n 's/^# check-args: //p' "$file")
expect=$(sed -n 's/^# expect-file: //p' "$file")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# shellcheck disable=SC2086
(cd "$dir" && "$bin" check "$file" $args >stdout.txt 2>stderr.txt)
rc=$?
fail() {
    echo "FAIL: $1" >&2
    echo "--- stderr:" >&2
    cat "$dir/stderr.txt" >&2
    exit 1
}
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
[ -s "$dir/stdout.txt" ] && fail "stdout is not empty"
extra=$(ls -A "$dir" | grep -v -x -e stdout.txt -e stderr.txt)
[ -z "$extra" ] || fail "files created: $extra"
awk -v want="$file" -v suffix="$expect" '
    match($0, /^[^:]*:[0-9]+:/) {
        name = substr($0, 1, index($0, ":") - 1)
        if (suffix == "" && name == want) found = 1
        if (suffix != "" && length(name) >= length(suffix) &&
            substr(name, length(name) - length(suffix) + 1) == suffix) found = 1
    }
    END { exit found ? 0 : 1 }' "$dir/stderr.txt" || fail "no stderr line of the form ${expect:-$file}:LINE:"
cat "$dir/stderr.txt"
exit 0
