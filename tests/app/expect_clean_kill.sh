#!/bin/sh
# expect_clean_kill.sh CLOUDLEDGER CHECK_RESULTS_FILE
#
# A run killed while it writes its results leaves nothing that looks like output
# (issue 9; DESIGN.md §7; docs/metrics.md "How the file is written"): afterwards the
# directory holds either no results file or a complete one (CHECK_RESULTS_FILE reads it
# and verifies every run's digest), the previous file when one was being replaced, and
# never a temporary `out.h5.tmp-PID`.
#   1. The write, caught: the directory is polled while the program runs and the moment
#      any new name appears the program is killed — SIGTERM and SIGKILL, with no previous
#      file; SIGTERM with a previous file to replace (SIGKILL could land in the instant
#      between linking a temporary name and renaming it; docs/metrics.md).
#   2. Kills at delays spread over a whole run, SIGTERM and SIGKILL, with and without a
#      previous file.
# A SIGTERM must end the program as the signal does (exit status 128+15) unless it
# finished first.
set -u
bin=$1
reader=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/w"
fail() {
    echo "FAIL: $1" >&2
    ls -la "$dir/w" >&2
    exit 1
}
args="run --quiet --set duration=5m --set network.full_nodes=20 -o out.h5"

# The reference: a complete file, and how long a run takes (ms).
start=$(date +%s%N)
# shellcheck disable=SC2086
(cd "$dir/w" && "$bin" $args >/dev/null 2>"$dir/err") || { cat "$dir/err" >&2; fail "the reference run failed"; }
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
mv "$dir/w/out.h5" "$dir/previous.h5"
"$reader" "$dir/previous.h5" >/dev/null || fail "the reference file does not read back"

# check LABEL PREVIOUS(yes|no) RC SIGNAL: the directory after one killed run.
check() {
    for f in "$dir"/w/* "$dir"/w/.[!.]*; do
        [ -e "$f" ] || continue
        [ "$(basename "$f")" = out.h5 ] || fail "$1: a stray file was left: $(basename "$f")"
    done
    if [ -e "$dir/w/out.h5" ]; then
        if [ "$2" = yes ] && cmp -s "$dir/w/out.h5" "$dir/previous.h5"; then
            :  # the previous file, untouched
        else
            "$reader" "$dir/w/out.h5" >/dev/null 2>"$dir/read.err" ||
                fail "$1: out.h5 is not a complete results file: $(cat "$dir/read.err")"
        fi
    elif [ "$2" = yes ]; then
        fail "$1: the previous out.h5 is gone"
    fi
    if [ "$4" = TERM ] && [ "$3" -ne 0 ] && [ "$3" -ne 143 ]; then
        fail "$1: exit status $3 after SIGTERM (expected 143, or 0 when it had finished)"
    fi
}

# reset PREVIOUS: an empty directory, or one holding the previous file.
reset() {
    rm -rf "$dir/w"
    mkdir "$dir/w"
    if [ "$1" = yes ]; then cp "$dir/previous.h5" "$dir/w/out.h5"; fi
}

# 1. Kill at the first sight of a new name in the directory.
caught=0
for case in "TERM no" "KILL no" "TERM yes"; do
    set -- $case
    sig=$1
    previous=$2
    reset "$previous"
    # shellcheck disable=SC2086
    (cd "$dir/w" && exec "$bin" $args >/dev/null 2>/dev/null) &
    pid=$!
    seen=
    while kill -0 "$pid" 2>/dev/null; do
        for f in "$dir"/w/*; do
            if [ -e "$f" ] && { [ "$previous" = no ] || [ "$(basename "$f")" != out.h5 ]; }; then
                kill -s "$sig" "$pid" 2>/dev/null
                seen=$(basename "$f")
                break 2
            fi
        done
    done
    wait "$pid"
    rc=$?
    [ -n "$seen" ] && caught=$((caught + 1))
    check "SIG$sig at the sight of '${seen:-nothing}' (previous file: $previous)" "$previous" "$rc" "$sig"
done

# 2. Kill at delays spread over the run (0.2 .. 1.25 × its length).
for previous in no yes; do
    for sig in TERM KILL; do
        for step in 1 2 3 4 5; do
            reset "$previous"
            # shellcheck disable=SC2086
            (cd "$dir/w" && exec "$bin" $args >/dev/null 2>/dev/null) &
            pid=$!
            delay_ms=$((total_ms * step / 4))
            sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
            kill -s "$sig" "$pid" 2>/dev/null
            wait "$pid"
            rc=$?
            check "SIG$sig after ${delay_ms} ms (previous file: $previous)" "$previous" "$rc" "$sig"
        done
    done
done
echo "ok: run of ${total_ms} ms; killed at the sight of a new name $caught times, and at 20 delays"
exit 0
