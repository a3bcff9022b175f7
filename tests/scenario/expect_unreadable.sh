#!/bin/sh
# expect_unreadable.sh CLOUDLEDGER PATH MESSAGE [run]
#
# Input that is not a scenario file (issue 9): `cloudledger check PATH` — or, with `run`,
# `cloudledger run PATH -o out.h5` — in an empty temporary directory must exit 2 with
# nothing on stdout, no file created, and one stderr line `PATH: ...MESSAGE...`. PATH is
# never read by this script (it may be a directory or /dev/zero).
set -u
bin=$1
path=$2
message=$3
mode=${4:-check}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
case "$mode" in
    check) (cd "$dir" && "$bin" check "$path" >stdout.txt 2>stderr.txt) ;;
    run) (cd "$dir" && "$bin" run "$path" --quiet -o out.h5 >stdout.txt 2>stderr.txt) ;;
    *) echo "FAIL: unknown mode '$mode' (check or run)" >&2; exit 1 ;;
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
extra=$(ls -A "$dir" | grep -v -x -e stdout.txt -e stderr.txt)
[ -z "$extra" ] || fail "files created: $extra"
[ "$(wc -l <"$dir/stderr.txt")" -eq 1 ] || fail "expected exactly one stderr line"
grep -q -F -e "$path: " "$dir/stderr.txt" || fail "no stderr line naming $path"
grep -q -F -e "$message" "$dir/stderr.txt" || fail "the error does not say '$message'"
cat "$dir/stderr.txt"
exit 0
