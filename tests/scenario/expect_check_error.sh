#!/bin/sh
# expect_check_error.sh CLOUDLEDGER SCENARIO.yaml [run|sweep]
#
# The bad-scenario corpus check (issue 5, "Checks"): runs `cloudledger check SCENARIO`
# — or, with `run`, `cloudledger run SCENARIO -o out.h5`; with `sweep`, `cloudledger
# sweep SWEEP.yaml -o out.h5` (the bad sweep corpus, issue 14) — in an empty temporary
# directory and requires
#   - exit code 2,
#   - nothing on stdout and no file created (with `run`: neither out.h5 nor its
#     temporary out.h5.tmp-PID; with `sweep`, nor its journal out.h5.partial),
#   - a stderr line `FILE:LINE:COLUMN: ...` where FILE is the scenario path, or ends with
#     the value of a `# expect-file: NAME` line in the scenario (e.g. `--set`, or another
#     file the scenario names). An error the loader cannot place in a column (none in
#     the corpus today) is marked `# expect-position: line` (`FILE:LINE:` suffices) or
#     `# expect-position: none` (`FILE:` suffices);
#   - one error, one line (issue 9): every stderr line has that form, so no message
#     spills a quoted value over several lines;
#   - with a `# expect-key: KEY` line, an error `...: KEY: ...` (the key path it names);
#     with a `# expect-message: TEXT` line, an error that contains TEXT.
# Extra arguments come from a `# check-args: ARGS` line in the scenario (word-split).
set -u
bin=$1
file=$2
mode=${3:-check}
args=$(sed -n 's/^# check-args: //p' "$file")
expect=$(sed -n 's/^# expect-file: //p' "$file")
position=$(sed -n 's/^# expect-position: //p' "$file")
want_key=$(sed -n 's/^# expect-key: //p' "$file")
want_message=$(sed -n 's/^# expect-message: //p' "$file")
case "$position" in
    "") pattern='^[^:]*:[0-9]+:[0-9]+:'; form=LINE:COLUMN: ;;
    line) pattern='^[^:]*:[0-9]+:'; form=LINE: ;;
    none) pattern='^[^:]*:'; form= ;;
    *) echo "FAIL: unknown '# expect-position: $position' (line or none)" >&2; exit 1 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
case "$mode" in
    # shellcheck disable=SC2086
    check) (cd "$dir" && "$bin" check "$file" $args >stdout.txt 2>stderr.txt) ;;
    # shellcheck disable=SC2086
    run) (cd "$dir" && "$bin" run "$file" $args --quiet -o out.h5 >stdout.txt 2>stderr.txt) ;;
    # shellcheck disable=SC2086
    sweep) (cd "$dir" && "$bin" sweep "$file" $args --quiet -o out.h5 >stdout.txt 2>stderr.txt) ;;
    *) echo "FAIL: unknown mode '$mode' (check, run or sweep)" >&2; exit 1 ;;
esac
rc=$?
fail() {
    echo "FAIL: $1" >&2
    echo "--- stderr:" >&2
    cat "$dir/stderr.txt" >&2
    exit 1
}
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
[ -s "$dir/stdout.txt" ] && fail "stdout is not empty"
[ -e "$dir/out.h5" ] && fail "the output file out.h5 exists"
for tmp in "$dir"/out.h5.tmp-*; do
    [ -e "$tmp" ] && fail "a temporary output file exists: $(basename "$tmp")"
done
extra=$(ls -A "$dir" | grep -v -x -e stdout.txt -e stderr.txt)
[ -z "$extra" ] || fail "files created: $extra"
awk -v want="$file" -v suffix="$expect" -v pattern="$pattern" '
    match($0, pattern) {
        name = substr($0, 1, index($0, ":") - 1)
        if (suffix == "" && name == want) found = 1
        if (suffix != "" && length(name) >= length(suffix) &&
            substr(name, length(name) - length(suffix) + 1) == suffix) found = 1
    }
    END { exit found ? 0 : 1 }' "$dir/stderr.txt" || fail "no stderr line of the form ${expect:-$file}:$form"
awk -v pattern="$pattern" '!match($0, pattern) { bad = 1; print "FAIL: a stderr line that is not an error: " $0 }
    END { exit bad }' "$dir/stderr.txt" >&2 || fail "every stderr line must be one FILE:$form error"
if [ -n "$want_key" ]; then
    grep -q -F -e ": $want_key: " "$dir/stderr.txt" || fail "no error names the key $want_key"
fi
if [ -n "$want_message" ]; then
    grep -q -F -e "$want_message" "$dir/stderr.txt" || fail "no error says '$want_message'"
fi
cat "$dir/stderr.txt"
exit 0
