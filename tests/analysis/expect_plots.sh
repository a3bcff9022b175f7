#!/bin/sh
# expect_plots.sh CLOUDLEDGER WRITE_SWEEP_SAMPLE PYTHON3
#
# `cloudledger plot` (issue 14; docs/experiments.md "Plots"): the figures of a small run
# (the default scenario, 5 simulated minutes) and of a synthetic sweep file are written as
# non-empty PNG and SVG files whose axes carry the expected labels (checked in the SVG
# text and against DIR/manifest.json); missing Python modules and bad input are clear
# errors (exit 1 and 2). Skipped (exit 77) when PYTHON3 lacks matplotlib, h5py or numpy.
set -u
bin=$1
write_sweep=$2
python=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $1" >&2
    [ -f "$dir/err" ] && { echo "--- stderr:" >&2; cat "$dir/err" >&2; }
    exit 1
}
"$python" -c 'import matplotlib, h5py, numpy' 2>/dev/null || { echo "skipped: no matplotlib/h5py/numpy"; exit 77; }
export CLOUDLEDGER_PYTHON="$python"

# check_figures DIR NAME...: the manifest lists exactly NAME..., each with a PNG (magic
# bytes) and an SVG holding its title and both axis labels as text.
check_figures() {
    out=$1
    shift
    "$python" - "$out" "$@" <<'PY' || fail "figures in $1"
import json, os, sys
out, expected = sys.argv[1], sys.argv[2:]
manifest = json.load(open(os.path.join(out, "manifest.json")))
names = [f["name"] for f in manifest["figures"]]
assert names == expected, (names, expected)
for f in manifest["figures"]:
    png, svg = (os.path.join(out, x) for x in f["files"])
    assert png.endswith(".png") and svg.endswith(".svg"), f["files"]
    with open(png, "rb") as p:
        assert p.read(8) == b"\x89PNG\r\n\x1a\n", png
    assert os.path.getsize(png) > 1000, png
    text = open(svg, encoding="utf-8").read()
    assert text.lstrip().startswith("<?xml") and "<svg" in text, svg
    for label in (f["title"], f["xlabel"], f["ylabel"]):
        assert label and label in text, (svg, label)
print("ok:", out, len(names), "figures")
PY
}

"$bin" run --set duration=5min -o "$dir/run.h5" --quiet >/dev/null 2>"$dir/err" || fail "run"
"$bin" plot "$dir/run.h5" -o "$dir/run-plots" >"$dir/out" 2>"$dir/err" || fail "plot of a run file"
check_figures "$dir/run-plots" block_interval propagation_cdf request_latency_cdf pool_remaining \
    txpool_occupancy head_spread
grep -q 'fraction of blocks' "$dir/run-plots/propagation_cdf.svg" || fail "propagation y label"
grep -q 'codes remaining in the pool' "$dir/run-plots/pool_remaining.svg" || fail "pool y label"
# Default directory: next to the file.
"$bin" plot "$dir/run.h5" >/dev/null 2>"$dir/err" || fail "plot with the default directory"
[ -s "$dir/run-plots/manifest.json" ] || fail "default directory"

"$write_sweep" "$dir/sweep.h5" || fail "write the sample sweep"
"$bin" plot "$dir/sweep.h5" -o "$dir/sweep-plots" >"$dir/out" 2>"$dir/err" || fail "plot of a sweep file"
check_figures "$dir/sweep-plots" sweep_users_served_fraction sweep_request_latency_p99_s sweep_blocks_sealed
grep -q 'pool.default_quota' "$dir/sweep-plots/sweep_users_served_fraction.svg" || fail "sweep x label"

# Missing modules: a clear message naming them and how to install, exit 1.
mkdir -p "$dir/fake/matplotlib"
echo 'raise ImportError("No module named matplotlib (test)")' >"$dir/fake/matplotlib/__init__.py"
PYTHONPATH="$dir/fake" "$bin" plot "$dir/run.h5" -o "$dir/none" >"$dir/out" 2>"$dir/err"
rc=$?
[ $rc -eq 1 ] || fail "missing matplotlib: exit $rc, expected 1"
grep -q 'python3-matplotlib' "$dir/err" || fail "missing matplotlib: no install hint"

# Bad input: exit 2 before any figure.
printf 'not hdf5\n' >"$dir/text.h5"
for bad in "$dir/missing.h5" "$dir/text.h5"; do
    "$bin" plot "$bad" -o "$dir/bad-plots" >"$dir/out" 2>"$dir/err"
    rc=$?
    [ $rc -eq 2 ] || fail "plot $bad: exit $rc, expected 2"
    grep -q '^error: ' "$dir/err" || fail "plot $bad: no error line"
    [ -e "$dir/bad-plots" ] && fail "plot $bad: made the output directory"
done
"$bin" plot >/dev/null 2>&1
[ $? -eq 2 ] || fail "plot without a file"
echo "ok"
