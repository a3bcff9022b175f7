#!/bin/sh
# expect_cli_options.sh CLOUDLEDGER
#
# The command line of the cloudledger program (issue 9; README.md, DESIGN.md §8):
#   - every command answers -h/--help with its usage on stdout, exit 0, nothing on stderr;
#     the program answers --version with its version and build type;
#   - a results path that cannot be written (-o '', missing directory, a directory, a
#     regular file as directory, a read-only directory — the last as an unprivileged user)
#     is bad usage found before the simulation: exit 2, nothing on stdout, no file made;
#     from outputs.file, the error is positioned at the key (the file's or the --set's);
#   - outputs.file is relative to the working directory, not to the scenario file;
#   - the progress line (on a terminal, through script(1) when present) names the
#     replication out of how many.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $1" >&2
    [ -f "$dir/err" ] && { echo "--- stderr:" >&2; cat "$dir/err" >&2; }
    exit 1
}
short="--set duration=1m --set network.full_nodes=5"

# help CMD...: usage on stdout, exit 0, stderr empty.
help() {
    for flag in --help -h; do
        # shellcheck disable=SC2068
        "$bin" $@ $flag >"$dir/out" 2>"$dir/err"
        rc=$?
        [ "$rc" -eq 0 ] || fail "'cloudledger $* $flag' exited with $rc"
        head -n 1 "$dir/out" | grep -q '^usage: cloudledger' || fail "'cloudledger $* $flag' printed no usage"
        [ -s "$dir/err" ] && fail "'cloudledger $* $flag' wrote to stderr"
    done
    return 0
}
help
help run
help check
help conformance
help conformance clique-votes
help topology
help report
help plot
help sweep
"$bin" run --set duration=1m --help >"$dir/out" 2>"$dir/err" || fail "run with --help after other options"
grep -q '^usage: cloudledger run' "$dir/out" || fail "run --help after other options printed no run usage"

"$bin" --version >"$dir/out" 2>"$dir/err" || fail "--version exited with $?"
grep -Eqx 'cloudledger [0-9]+\.[0-9]+\.[0-9]+ \([A-Za-z]+ build\)' "$dir/out" ||
    fail "--version printed '$(cat "$dir/out")'"

# bad_output LABEL EXPECTED_STDERR_REGEX ARGS...: exit 2 before running, nothing written.
bad_output() {
    label=$1
    pattern=$2
    shift 2
    rm -rf "$dir/w"
    mkdir "$dir/w"
    touch "$dir/w/plain"
    (cd "$dir/w" && "$bin" run --quiet "$@" >"$dir/out" 2>"$dir/err")
    rc=$?
    [ "$rc" -eq 2 ] || fail "$label: exit code $rc, expected 2"
    [ -s "$dir/out" ] && fail "$label: stdout is not empty (did it run?)"
    grep -Eq -- "$pattern" "$dir/err" || fail "$label: no stderr line matching '$pattern'"
    [ "$(ls -A "$dir/w")" = plain ] || fail "$label: files created: $(ls -A "$dir/w")"
    return 0
}
# shellcheck disable=SC2086
{
    bad_output "-o ''" "^error: -o needs a file name" $short -o ''
    bad_output "--output=" "^error: -o needs a file name" $short --output=
    bad_output "-o in a missing directory" "^error: -o missing/r.h5: .*No such file or directory" $short -o missing/r.h5
    bad_output "-o a directory" "^error: -o \.: " $short -o .
    bad_output "-o under a regular file" "^error: -o plain/r.h5: .*Not a directory" $short -o plain/r.h5
    bad_output "outputs.file by --set" "^--set:3:[0-9]+: outputs.file: cannot write results: missing/r.h5" \
        $short --set outputs.file=missing/r.h5
}
mkdir "$dir/s"
printf 'duration: 1m\nnetwork: {full_nodes: 5}\nclouds:\n  - {name: ovh, region: london}\noutputs:\n  file: missing/r.h5\n' \
    >"$dir/s/bad.yaml"
bad_output "outputs.file in the file" "^$dir/s/bad.yaml:6:9: outputs.file: cannot write results" "$dir/s/bad.yaml"

# A read-only directory: as an unprivileged user (root may write anywhere).
if [ "$(id -u)" -ne 0 ]; then
    as_user=
elif command -v setpriv >/dev/null 2>&1; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    as_user=none
fi
if [ "$as_user" != none ]; then
    chmod 755 "$dir"
    mkdir "$dir/ro"
    chmod 555 "$dir/ro"
    # shellcheck disable=SC2086
    (cd / && $as_user "$bin" run --quiet $short -o "$dir/ro/r.h5" >"$dir/out" 2>"$dir/err")
    rc=$?
    [ "$rc" -eq 2 ] || fail "-o in a read-only directory: exit code $rc, expected 2"
    [ -s "$dir/out" ] && fail "-o in a read-only directory: stdout is not empty (did it run?)"
    grep -q "Permission denied" "$dir/err" || fail "-o in a read-only directory: no 'Permission denied'"
    [ -z "$(ls -A "$dir/ro")" ] || fail "-o in a read-only directory: files created"
else
    echo "note: read-only directory not checked (root without setpriv)"
fi

# outputs.file is relative to the working directory.
mkdir "$dir/run"
printf 'duration: 1m\nnetwork: {full_nodes: 5}\nclouds:\n  - {name: ovh, region: london}\noutputs:\n  file: rel.h5\n' \
    >"$dir/s/good.yaml"
(cd "$dir/run" && "$bin" run --quiet ../s/good.yaml >"$dir/out" 2>"$dir/err") || fail "run ../s/good.yaml: exit $?"
[ -f "$dir/run/rel.h5" ] || fail "outputs.file rel.h5 was not written to the working directory"
[ -e "$dir/s/rel.h5" ] && fail "outputs.file rel.h5 was written next to the scenario"
grep -q "^results: rel.h5 " "$dir/out" || fail "stdout does not name results: rel.h5"

# The progress line, on a terminal.
if command -v script >/dev/null 2>&1; then
    mkdir "$dir/tty"
    (cd "$dir/tty" && script -qec "'$bin' run $short --set replications=2 -o p.h5" /dev/null >"$dir/out" 2>&1)
    grep -q "rep 1 (2 of 2):" "$dir/out" || fail "the progress line does not say 'rep 1 (2 of 2)': $(tr '\r' '\n' <"$dir/out" | grep rep | head -n 3)"
else
    echo "note: progress line not checked (no script(1))"
fi
echo "ok"
exit 0
