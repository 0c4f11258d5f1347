#!/usr/bin/python3
"""PNG plots of an nninit-bench JSON report (matplotlib, Agg backend).

Usage: bench/plot.py BENCH_JSON [--peers PEERS_JSON] [--out DIR]

Writes into DIR (default: the JSON's folder):
  rate_vs_size.png     f32 fills and the memset roof against output size, one
                       panel per thread count, cache sizes marked
  rate_vs_threads.png  strong scaling at the largest size of the per-level matrix
  rate_by_dtype.png    every distribution in every dtype at that size
  small_fills.png      time per fill for small outputs
  peers.png            nninit, numpy and PyTorch side by side (with --peers)
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
import benchjson  # noqa: E402

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None

DISTRIBUTIONS = ("constant", "uniform", "normal", "truncated_normal")
DTYPES = ("f32", "f64", "bf16", "f16")


def giga(values):
    return [v / 1e9 for v in values]


def mark_caches(axis, caches):
    for name, size in caches.items():
        axis.axvline(size, color="0.6", linestyle=":", linewidth=1)
        axis.text(size, 1.0, f" {name}", transform=axis.get_xaxis_transform(),
                  va="top", ha="left", fontsize=8, color="0.4")


def size_ticks(axis, sizes):
    axis.set_xscale("log", base=2)
    axis.set_xticks(sizes)
    axis.set_xticklabels([benchjson.size_label(s).replace(" ", "") for s in sizes],
                         rotation=45, fontsize=8)
    axis.minorticks_off()


def title_suffix(context):
    return f"{context.get('cpu_model', '?')}, {context.get('cores', '?')} cores, " \
           f"{context.get('date', '?')[:10]}"


def plot_rate_vs_size(context, results, threads, out_dir):
    caches = benchjson.cache_bytes(context)
    figure, axes = plt.subplots(1, len(threads), figsize=(6 * len(threads), 4.5), squeeze=False,
                                sharey=True)
    for axis, thread_count in zip(axes[0], threads):
        sizes = set()
        lines = [("roof", "memset", "memset", "k--"), ("roof", "stream_store", "streaming stores", "k:")]
        lines += [("nninit", d, f"nninit {d}", None) for d in DISTRIBUTIONS]
        lines += [("baseline", "random123_philox_uniform", "Random123 Philox uniform", "C7-.")]
        for group, name, label, style in lines:
            chosen = benchjson.select(results, group=group, name=name, dtype="f32",
                                      threads=thread_count)
            if not chosen:
                continue
            xs = [r.bytes for r in chosen]
            sizes.update(xs)
            ys = giga([r.bytes_per_second for r in chosen])
            if style:
                axis.plot(xs, ys, style, label=label, marker=".")
            else:
                axis.plot(xs, ys, label=label, marker="o", markersize=3)
        if sizes:
            size_ticks(axis, sorted(sizes))
        axis.set_yscale("log")
        mark_caches(axis, caches)
        axis.set_title(f"{thread_count} thread{'s' if thread_count != 1 else ''}")
        axis.set_xlabel("output size")
        axis.grid(True, which="major", alpha=0.3)
    axes[0][0].set_ylabel("write rate, GB/s (f32: 4 bytes per element)")
    axes[0][-1].legend(fontsize=8, loc="lower left")
    figure.suptitle(f"nninit fill rate against output size — {title_suffix(context)}")
    figure.tight_layout()
    path = os.path.join(out_dir, "rate_vs_size.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def largest_level_size(context, results):
    levels = benchjson.size_levels(context)
    if levels:
        return max(levels)
    sizes = [r.size for r in results.values() if r.group == "nninit" and r.size_key == "bytes"]
    return max(sizes) if sizes else None


def plot_rate_vs_threads(context, results, threads, out_dir):
    size = largest_level_size(context, results)
    if size is None or len(threads) < 1:
        return None
    figure, axis = plt.subplots(figsize=(7, 4.5))
    series = [("roof", "memset", "f32", "memset (4-byte words)", "k--")]
    series += [("nninit", d, "f32", f"nninit {d} f32", None) for d in DISTRIBUTIONS]
    series += [("initializer", "torch_kaiming_uniform", "f32", "nninit torch kaiming_uniform", None)]
    series += [("baseline", "random123_philox_uniform", "f32", "Random123 Philox uniform", "C7-."),
               ("baseline", "omp_mt19937_normal_NOT_REPRODUCIBLE", "f32",
                "OpenMP mt19937 normal (NOT reproducible)", "C8:")]
    for group, name, dtype, label, style in series:
        chosen = [r for r in benchjson.select(results, group=group, name=name, dtype=dtype)
                  if r.size == size]
        if not chosen:
            continue
        xs = [r.threads for r in chosen]
        ys = giga([r.items_per_second for r in chosen])
        axis.plot(xs, ys, style or "-", label=label, marker="o", markersize=4)
    axis.set_xticks(threads)
    axis.set_yscale("log")
    axis.set_xlabel("threads")
    axis.set_ylabel("G elements/s")
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    axis.set_title(f"Strong scaling at {benchjson.size_label(size)} — {title_suffix(context)}",
                   fontsize=10)
    figure.tight_layout()
    path = os.path.join(out_dir, "rate_vs_threads.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_rate_by_dtype(context, results, threads, out_dir):
    size = largest_level_size(context, results)
    if size is None:
        return None
    figure, axes = plt.subplots(1, len(threads), figsize=(6 * len(threads), 4.5), squeeze=False,
                                sharey=True)
    width = 0.2
    for axis, thread_count in zip(axes[0], threads):
        for index, dtype in enumerate(DTYPES):
            heights = []
            for name in DISTRIBUTIONS:
                r = results.get(("nninit", name, dtype, "bytes", size, thread_count))
                heights.append(r.items_per_second / 1e9 if r else 0.0)
            positions = [i + (index - 1.5) * width for i in range(len(DISTRIBUTIONS))]
            axis.bar(positions, heights, width, label=dtype)
        axis.set_xticks(range(len(DISTRIBUTIONS)))
        axis.set_xticklabels(DISTRIBUTIONS, fontsize=9)
        axis.set_yscale("log")
        axis.set_title(f"{benchjson.size_label(size)}, {thread_count} thread"
                       f"{'s' if thread_count != 1 else ''}")
        axis.grid(True, axis="y", alpha=0.3)
    axes[0][0].set_ylabel("G elements/s")
    axes[0][-1].legend(fontsize=8)
    figure.suptitle(f"nninit fill rate by dtype — {title_suffix(context)}")
    figure.tight_layout()
    path = os.path.join(out_dir, "rate_by_dtype.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_small_fills(context, results, threads, out_dir):
    small = benchjson.select(results, group="small_fill")
    if not small:
        return None
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for name in DISTRIBUTIONS:
        for thread_count in threads:
            chosen = [r for r in small if r.name == name and r.threads == thread_count]
            if not chosen:
                continue
            axis.plot([r.elements for r in chosen], [r.real_time_ns / 1e3 for r in chosen],
                      marker="o", markersize=4,
                      label=f"{name}, {thread_count} thread{'s' if thread_count != 1 else ''}")
    axis.set_xscale("log", base=2)
    axis.set_yscale("log")
    axis.axvline(32768, color="0.6", linestyle=":")
    axis.text(32768, 1.0, " parallel threshold", transform=axis.get_xaxis_transform(),
              va="top", fontsize=8, color="0.4")
    axis.set_xlabel("elements (f32)")
    axis.set_ylabel("time per fill, µs")
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    axis.set_title(f"Small fills — {title_suffix(context)}", fontsize=10)
    figure.tight_layout()
    path = os.path.join(out_dir, "small_fills.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_peers(peers_path, out_dir):
    with open(peers_path, encoding="utf-8") as handle:
        document = json.load(handle)
    rows = document.get("results", [])
    context = document.get("context", {})
    threads = context.get("threads") or sorted({r["threads"] for r in rows if r["threads"]})
    sizes = context.get("sizes_bytes") or sorted({r["size_bytes"] for r in rows})
    ops = list(context.get("ops") or [])
    for r in rows:
        if r["op"] not in ops:
            ops.append(r["op"])
    rate = {(r["op"], r["size_bytes"], r["threads"], r["peer"]): r["rate_median"] for r in rows}
    figure, axes = plt.subplots(len(threads), len(sizes),
                                figsize=(4.5 * len(sizes), 3.6 * len(threads)),
                                squeeze=False, sharey=True)
    width = 0.27
    colours = {"nninit": "C0", "numpy": "C1", "torch": "C3"}
    for row, thread_count in enumerate(threads):
        for column, size in enumerate(sizes):
            axis = axes[row][column]
            for index, peer in enumerate(("nninit", "numpy", "torch")):
                key_threads = None if peer == "numpy" else thread_count
                heights = [rate.get((op, size, key_threads, peer), 0.0) / 1e9 for op in ops]
                positions = [i + (index - 1) * width for i in range(len(ops))]
                axis.bar(positions, heights, width, label=peer, color=colours[peer])
            axis.set_xticks(range(len(ops)))
            axis.set_xticklabels(ops, rotation=30, ha="right", fontsize=8)
            axis.set_yscale("log")
            axis.grid(True, axis="y", alpha=0.3)
            axis.set_title(f"{benchjson.size_label(size)} f32, {thread_count} thread"
                           f"{'s' if thread_count != 1 else ''}", fontsize=9)
        axes[row][0].set_ylabel("G elements/s")
    axes[0][-1].legend(fontsize=8)
    figure.suptitle(f"nninit vs numpy vs PyTorch — {context.get('cpu_model', '?')}, "
                    f"{context.get('cores', '?')} cores, {str(context.get('date', '?'))[:10]}")
    figure.tight_layout()
    path = os.path.join(out_dir, "peers.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench_json")
    parser.add_argument("--peers", help="peers.py --json output")
    parser.add_argument("--out", help="output folder (default: the JSON's folder)")
    args = parser.parse_args()
    if plt is None:
        print("plot.py: matplotlib not installed (Debian: python3-matplotlib): plots skipped")
        return 0
    out_dir = args.out or os.path.dirname(os.path.abspath(args.bench_json))
    os.makedirs(out_dir, exist_ok=True)
    context, results = benchjson.load(args.bench_json)
    threads = benchjson.thread_counts(context, results)
    written = [plot_rate_vs_size(context, results, threads, out_dir),
               plot_rate_vs_threads(context, results, threads, out_dir),
               plot_rate_by_dtype(context, results, threads, out_dir),
               plot_small_fills(context, results, threads, out_dir)]
    if args.peers and os.path.exists(args.peers):
        written.append(plot_peers(args.peers, out_dir))
    for path in written:
        if path:
            print(f"plot.py: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
