#!/bin/sh
# `cloudledger tx` + `cloudledger rpc` against a one-validator testnet: a request signed
# offline is sent, included, and read back with cl_getCode. The testnet is stopped by its
# --duration and, whatever happens, by the trap. Usage: cli_roundtrip.sh CLOUDLEDGER
set -eu
bin=$1
work=$(mktemp -d)
: > "$work/out"
"$bin" testnet --validators 1 --duration 20s > "$work/out" 2> "$work/err" &
net=$!
trap 'kill $net 2>/dev/null || true; wait $net 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
i=0
while [ "$(wc -l < "$work/out")" -lt 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$work/out" | cut -d' ' -f2)
set -- $("$bin" tx request 0 --seed 5 --key-name user/cli)
raw=$1
code=$2
sent=$("$bin" rpc "$url" eth_sendRawTransaction "$raw")
test "$sent" = "\"$code\""
i=0
until "$bin" rpc "$url" cl_getCode "$code" | grep -q '"status": "issued"'; do
    i=$((i + 1))
    test $i -lt 50
    sleep 0.2
done
# A malformed parameter is a JSON-RPC error: exit 1, the code on stderr.
if "$bin" rpc "$url" eth_getBlockByNumber 0x01 2> "$work/rpc.err"; then exit 1; fi
grep -q "error -32602" "$work/rpc.err"
kill -TERM $net
status=0
wait $net || status=$?
cat "$work/err" >&2
test $status -eq 0
