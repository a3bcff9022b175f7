#!/usr/bin/env python3
"""The standard figures of a cloudledger results file (docs/experiments.md "Plots").

    analysis/plot.py FILE.h5 [-o DIR]        (or: cloudledger plot FILE.h5 [-o DIR])

Reads the HDF5 file with h5py alone (the layout of docs/metrics.md and, for sweeps,
docs/experiments.md) and writes each figure as DIR/NAME.png and DIR/NAME.svg, plus
DIR/manifest.json listing every figure with its title, axis labels and files.

Run file (every run of the file drawn, one line per run, at most MAX_RUNS):
  block_interval     histogram of the intervals between consecutive canonical blocks (s)
  propagation_cdf    CDF over blocks of the time to reach 50/90/100 % of nodes (s)
  request_latency    CDF of confirm − submit over confirmed requests (s)
  pool_remaining     codes left in the pool per tier over simulated time
  txpool_occupancy   mean pending and queued transactions per node over time
  head_spread        spread of head numbers and distinct heads across nodes over time
Sweep file (a /sweep group): one figure per aggregated metric, `sweep_<metric>`: the
mean against the first numeric swept parameter (else the point index), one line per
combination of the other parameters, with the 95 % Student-t interval as error bars.

Exit codes: 0 ok; 1 matplotlib/h5py/numpy missing or a figure could not be written;
2 bad usage or a file that is not a cloudledger results file.
Text in the SVG files stays text (svg.fonttype none), and the SVG and PNG carry no
dates, so the same file gives the same figures.
"""
import argparse
import json
import os
import re
import sys

MAX_RUNS = 10

try:
    import h5py
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:
    print(
        f"error: plotting needs matplotlib, h5py and numpy ({e}); on Debian: "
        "apt-get install python3-matplotlib python3-h5py python3-numpy (scripts/install-deps)",
        file=sys.stderr,
    )
    sys.exit(1)

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "cloudledger", "figure.dpi": 100})


class BadInput(Exception):
    pass


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def names(dataset, attribute):
    return [text(v) for v in dataset.attrs.get(attribute, [])]


def parameter_number(value):
    """As analysis/report/sensitivity.hpp: decimals, percentages, durations in seconds."""
    m = re.fullmatch(r"([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)(%?)", value)
    if m:
        try:
            number = float(m.group(1))
        except ValueError:
            return None
        return number / 100 if m.group(2) else number
    units = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
    parts = re.findall(r"([0-9.]+)(min|ns|us|ms|s|m|h|d)", value)
    if parts and "".join(a + b for a, b in parts) == value:
        try:
            return sum(float(a) * units[b] for a, b in parts)
        except ValueError:
            return None
    return None


def parameter_unit(value):
    """The axis unit of a numeric parameter as parameter_number reads it."""
    if value.endswith("%"):
        return " (fraction)"
    return " (s)" if re.search(r"[a-df-zA-DF-Z]", value) else ""


class Figures:
    def __init__(self, outdir):
        self.outdir = outdir
        self.entries = []

    def save(self, fig, ax, name, title):
        ax.set_title(title)
        fig.tight_layout()
        files = []
        for ext in ("png", "svg"):
            path = os.path.join(self.outdir, f"{name}.{ext}")
            fig.savefig(path, format=ext, metadata={"Date": None} if ext == "svg" else {"Software": None})
            files.append(os.path.basename(path))
        self.entries.append(
            {"name": name, "title": title, "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "files": files}
        )
        plt.close(fig)


def no_data(ax):
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)


def cdf(ax, values, label):
    values = np.sort(np.asarray(values, dtype=float))
    if len(values) == 0:
        return False
    ax.step(values, np.arange(1, len(values) + 1) / len(values), where="post", label=label)
    return True


def finish(ax, drawn):
    if not drawn:
        no_data(ax)
    elif len(ax.get_legend_handles_labels()[0]) > 0:
        ax.legend(fontsize="small")


def plot_runs(f, figs):
    run_ids = list(f["runs"])[:MAX_RUNS]
    runs = [(rid, f["runs"][rid]) for rid in run_ids]
    many = len(runs) > 1

    def label(rid, what=""):
        return " ".join(x for x in ((rid if many else ""), what) if x) or None

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        blocks = run["blocks"][()]
        sealed = np.sort(blocks["sealed_time_ns"][blocks["canonical"] == 1]) if len(blocks) else np.array([])
        if len(sealed) > 1:
            ax.hist(np.diff(sealed) / 1e9, bins=30, histtype="step", label=label(rid))
            drawn = True
    ax.set_xlabel("interval between canonical blocks (s)")
    ax.set_ylabel("blocks")
    finish(ax, drawn)
    figs.save(fig, ax, "block_interval", "Block interval")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        prop = run["propagation"][()]
        for column, share in (("t50_ns", "50 %"), ("t90_ns", "90 %"), ("t100_ns", "100 %")):
            values = prop[column][prop[column] >= 0] / 1e9 if len(prop) else []
            drawn |= cdf(ax, values, label(rid, f"{share} of nodes"))
    ax.set_xlabel("time after sealing (s)")
    ax.set_ylabel("fraction of blocks")
    finish(ax, drawn)
    figs.save(fig, ax, "propagation_cdf", "Block propagation")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        req = run["requests"][()]
        statuses = names(run["requests"], "status_names")
        if len(req) and "confirmed" in statuses:
            ok = req[req["status"] == statuses.index("confirmed")]
            drawn |= cdf(ax, (ok["confirm_ns"] - ok["submit_ns"]) / 1e9, label(rid))
    ax.set_xlabel("request latency, submit to confirmed (s)")
    ax.set_ylabel("fraction of served requests")
    finish(ax, drawn)
    figs.save(fig, ax, "request_latency_cdf", "Promo-code request latency")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        samples = run["samples"][()]
        tiers = names(run["samples"], "tier_names")
        if len(samples):
            hours = samples["time_ns"] / 3.6e12
            for i, tier in enumerate(tiers):
                ax.plot(hours, samples[f"pool_remaining_{i}"], label=label(rid, tier))
                drawn = True
    ax.set_xlabel("simulated time (h)")
    ax.set_ylabel("codes remaining in the pool")
    finish(ax, drawn)
    figs.save(fig, ax, "pool_remaining", "Pool remaining per tier")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        samples = run["samples"][()]
        if len(samples):
            hours = samples["time_ns"] / 3.6e12
            ax.plot(hours, samples["txpool_pending_mean"], label=label(rid, "pending"))
            ax.plot(hours, samples["txpool_queued_mean"], label=label(rid, "queued"))
            drawn = True
    ax.set_xlabel("simulated time (h)")
    ax.set_ylabel("transactions per node (mean)")
    finish(ax, drawn)
    figs.save(fig, ax, "txpool_occupancy", "Txpool occupancy")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for rid, run in runs:
        samples = run["samples"][()]
        if len(samples):
            hours = samples["time_ns"] / 3.6e12
            ax.plot(hours, samples["head_spread"], label=label(rid, "head spread (blocks)"))
            ax.plot(hours, samples["distinct_heads"], label=label(rid, "distinct heads"))
            drawn = True
    ax.set_xlabel("simulated time (h)")
    ax.set_ylabel("blocks / heads")
    finish(ax, drawn)
    figs.save(fig, ax, "head_spread", "Head divergence across nodes")


def plot_sweep(f, figs):
    sweep = f["sweep"]
    parameters = [text(p) for p in sweep.attrs.get("parameters", [])]
    count = int(sweep.attrs["point_count"])
    overrides = [dict() for _ in range(count)]
    for row in sweep["point_overrides"][()]:
        overrides[int(row["point"])][text(row["key"])] = text(row["value"])
    numeric = [p for p in parameters if all(parameter_number(o.get(p, "")) is not None for o in overrides)]
    x_key = numeric[0] if numeric else None
    others = [p for p in parameters if p != x_key]
    aggregates = sweep["aggregates"][()]
    metrics = []
    for row in aggregates:
        m = text(row["metric"])
        if m not in metrics:
            metrics.append(m)
    for metric in metrics:
        rows = [r for r in aggregates if text(r["metric"]) == metric]
        unit = text(rows[0]["unit"]) if rows else ""
        fig, ax = plt.subplots(figsize=(7, 4.5))
        groups = {}
        for r in rows:
            point = int(r["point"])
            key = ", ".join(f"{p}={overrides[point].get(p, '')}" for p in others)
            x = parameter_number(overrides[point][x_key]) if x_key else point
            groups.setdefault(key, []).append((x, float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])))
        drawn = False
        for key, values in groups.items():
            values.sort()
            xs = np.array([v[0] for v in values])
            mean = np.array([v[1] for v in values])
            low = np.nan_to_num(mean - np.array([v[2] for v in values]))
            high = np.nan_to_num(np.array([v[3] for v in values]) - mean)
            if np.all(np.isnan(mean)):
                continue
            ax.errorbar(xs, mean, yerr=[low, high], marker="o", capsize=3, label=key or None)
            drawn = True
        ax.set_xlabel(f"{x_key}{parameter_unit(overrides[0][x_key])}" if x_key else "point")
        ax.set_ylabel(f"{metric} ({unit})" if unit else metric)
        finish(ax, drawn)
        figs.save(fig, ax, f"sweep_{metric}", f"{metric}: mean and 95 % interval")


def main(argv):
    parser = argparse.ArgumentParser(prog="plot.py", description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("-o", "--output", help="output directory (default: FILE without .h5, plus -plots)")
    args = parser.parse_args(argv)
    outdir = args.output or re.sub(r"\.h5$", "", args.file) + "-plots"
    try:
        f = h5py.File(args.file, "r")
    except OSError as e:
        print(f"error: {args.file}: cannot open as HDF5: {e}", file=sys.stderr)
        return 2
    with f:
        if text(f.attrs.get("schema", "")) != "cloudledger-results" or "runs" not in f:
            print(f"error: {args.file}: not a cloudledger results file", file=sys.stderr)
            return 2
        try:
            os.makedirs(outdir, exist_ok=True)
        except OSError as e:
            print(f"error: -o {outdir}: {e}", file=sys.stderr)
            return 1
        figs = Figures(outdir)
        kind = "sweep" if "sweep" in f else "runs"
        try:
            if kind == "sweep":
                plot_sweep(f, figs)
            else:
                plot_runs(f, figs)
        except (KeyError, ValueError) as e:
            print(f"error: {args.file}: unexpected layout: {e}", file=sys.stderr)
            return 2
        except OSError as e:
            print(f"error: {outdir}: {e}", file=sys.stderr)
            return 1
    manifest = {"source": os.path.basename(args.file), "kind": kind, "figures": figs.entries}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2)
        out.write("\n")
    for entry in figs.entries:
        print(os.path.join(outdir, entry["files"][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
