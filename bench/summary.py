#!/usr/bin/python3
"""Markdown summary of an nninit-bench JSON report (and of peers.py's table).

Usage: bench/summary.py BENCH_JSON [--peers PEERS_MARKDOWN] [--out SUMMARY_MD]

Tables: the memory roof; fill rates per memory level (one table per thread
count) with the ratio to memset; strong scaling at the DRAM size; rate against
size; the time per small fill; per SIMD target (nninit-bench --targets=...),
one table per dtype and thread count; and the peer comparison when given.
"""

import argparse
import math
import sys

sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
import benchjson  # noqa: E402

DISTRIBUTIONS = ("zeros", "constant", "uniform", "normal", "truncated_normal")
DTYPES = ("f32", "f64", "bf16", "f16")
INITIALIZERS = ("torch_kaiming_uniform", "torch_xavier_normal", "keras_he_normal")
BASELINES = ("mt19937_uniform", "mt19937_normal", "random123_philox_uniform",
             "random123_philox_normal", "omp_mt19937_uniform_NOT_REPRODUCIBLE",
             "omp_mt19937_normal_NOT_REPRODUCIBLE")
ROOFS = ("memset", "stream_store", "memset_value", "stream_store_value", "std_fill")
TARGET_FILLS = ("constant", "uniform", "normal", "truncated_normal", "truncated_normal_1std")
TARGET_LABELS = {"constant": "constant", "uniform": "uniform", "normal": "normal",
                 "truncated_normal": "trunc. normal ±2 std",
                 "truncated_normal_1std": "trunc. normal ±1 std"}
# Widest first; any other target name goes last.
TARGET_ORDER = ("AVX3_SPR", "AVX3_ZEN4", "AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "SSE2",
                "NEON", "SVE", "SVE2", "RVV", "WASM", "EMU128", "SCALAR")


def target_tables(results):
    """Markdown lines: per SIMD target, G elements/s (group target:NAME)."""
    chosen = [r for r in results.values() if r.group.startswith("target:")]
    if not chosen:
        return []
    names = sorted({r.group.split(":", 1)[1] for r in chosen},
                   key=lambda n: (TARGET_ORDER.index(n) if n in TARGET_ORDER else len(TARGET_ORDER), n))
    out = ["## Per SIMD target (G elements/s; Philox: G 32-bit words/s)\n",
           "Every fill with dispatch forced to each target in turn (`nninit-bench "
           "--targets=...`); the bits are the same on every target. ±2 ÷ normal and "
           "±1 ÷ normal: the truncated normal's rate over the normal's on that target.\n"]
    for size, threads in sorted({(r.size, r.threads) for r in chosen if r.name != "philox"}):
        for dtype in DTYPES:
            rows = []
            for target in names:
                def rate(name, dt=dtype, t=threads, tg=target):
                    r = results.get((f"target:{tg}", name, dt, "bytes", size, t))
                    return r.items_per_second if r else None
                cells = [rate(name) for name in TARGET_FILLS]
                if all(c is None for c in cells):
                    continue
                philox = rate("philox", "u32", 1) if dtype == "f32" and threads == 1 else None
                normal, two, one = rate("normal"), rate("truncated_normal"), rate("truncated_normal_1std")
                ratio = lambda a, b: f"{a / b:.2f}" if a and b else "—"
                rows.append(f"| {target} | " + " | ".join(giga(c) for c in cells)
                            + f" | {ratio(two, normal)} | {ratio(one, normal)}"
                            + (f" | {giga(philox)} |" if dtype == "f32" and threads == 1 else " |"))
            if not rows:
                continue
            out.append(f"### {dtype}, {benchjson.size_label(size)}, {threads} thread"
                       f"{'s' if threads != 1 else ''}\n")
            header = "| target | " + " | ".join(TARGET_LABELS[n] for n in TARGET_FILLS)
            header += " | ±2 ÷ normal | ±1 ÷ normal |"
            columns = len(TARGET_FILLS) + 2
            if dtype == "f32" and threads == 1:
                header += " Philox words |"
                columns += 1
            out.append(header)
            out.append("| --- |" + " ---: |" * columns)
            out.extend(rows)
            out.append("")
    return out


def giga(value):
    if value is None or value == 0 or math.isnan(value):
        return "—"
    return f"{value / 1e9:.3f}" if value < 10e9 else f"{value / 1e9:.1f}"


def fraction(value):
    if value is None or math.isnan(value):
        return "—"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def duration(ns):
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns / 1e6:.2f} ms"


def row_label(group, name, dtype):
    if group == "roof":
        if name == "std_fill":
            return "std::fill f32 (0.5f)"
        if name.endswith("_value"):
            return f"{name[:-len('_value')]} of a non-zero value (4-byte words)"
        return f"{name} of zeros (4-byte words)"
    if group == "baseline":
        return f"baseline {name} {dtype}"
    if group == "initializer":
        return f"{name} {dtype}"
    return f"{name} {dtype}"


def level_rows():
    rows = [("roof", name, "f32") for name in ROOFS]
    rows += [("nninit", d, t) for d in DISTRIBUTIONS for t in DTYPES]
    rows += [("initializer", i, "f32") for i in INITIALIZERS]
    rows += [("baseline", b, "f32") for b in BASELINES]
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench_json")
    parser.add_argument("--peers", help="peers.py markdown table to include")
    parser.add_argument("--out", help="write here instead of stdout")
    parser.add_argument("--source", help="what was measured, e.g. the git commit")
    args = parser.parse_args()

    context, results = benchjson.load(args.bench_json)
    threads = benchjson.thread_counts(context, results)
    levels = benchjson.size_levels(context)
    level_sizes = sorted(levels)
    repetitions = max((r.repetitions for r in results.values()), default=1)
    caches = benchjson.cache_bytes(context)

    def get(group, name, dtype, size, thread_count, size_key="bytes"):
        return results.get((group, name, dtype, size_key, size, thread_count))

    out = []
    out.append("# nninit benchmark summary\n")
    cache_text = ", ".join(f"{k} {benchjson.size_label(v)}" for k, v in caches.items())
    out.append(f"- CPU: {context.get('cpu_model', '?')}, {context.get('cores', '?')} cores "
               f"({cache_text}); host {context.get('host_name', '?')}")
    out.append(f"- Date: {context.get('date', '?')}; nninit {context.get('nninit_version', '?')} "
               f"(stream version {context.get('nninit_stream_version', '?')}); "
               f"mode {context.get('nninit_bench_mode', '?')}")
    if args.source:
        out.append(f"- Source: {args.source}")
    out.append(f"- Thread counts: {', '.join(str(t) for t in threads)}; every number is the "
               f"median of {repetitions} repetition{'s' if repetitions != 1 else ''}")
    roofs = [f"{t} thread{'s' if t != 1 else ''}: {context.get(f'memory_write_GBps_threads_{t}', '?')} GB/s"
             for t in threads]
    out.append(f"- Memory write bandwidth (best of memset and streaming stores, "
               f"{benchjson.size_label(int(context.get('roof_bytes', 0) or 0))}, measured at "
               f"start-up): {'; '.join(roofs)}")
    load = context.get("load_avg")
    if load:
        out.append(f"- Load average when the run started (1, 5, 15 min): "
                   f"{', '.join(f'{x:.2f}' for x in load)} on {context.get('cores', '?')} cores")
    if context.get("library_build_type") == "debug":
        out.append("- Google Benchmark reports its own library as a debug build (Debian's "
                   "package); nninit and the benchmarks are built Release.")
    out.append("")
    out.append("Rates are G elements/s (for the roof rows, G 4-byte words/s); ÷ memset is the "
               "fill's bytes/s over the best memset-like write of the same size with at most "
               "the same threads (1.00 = as fast as writing zeros).")
    out.append("")

    dram = level_sizes[-1] if level_sizes else None
    for thread_count in threads:
        out.append(f"## Fill rate per memory level, {thread_count} thread"
                   f"{'s' if thread_count != 1 else ''}\n")
        header = "| fill | " + " | ".join(
            f"{levels[s]} {benchjson.size_label(s)}" for s in level_sizes)
        header += f" | GB/s ({benchjson.size_label(dram)}) | ÷ memset ({benchjson.size_label(dram)}) |"
        out.append(header)
        out.append("| --- |" + " ---: |" * (len(level_sizes) + 2))
        for group, name, dtype in level_rows():
            cells = [get(group, name, dtype, s, thread_count) for s in level_sizes]
            if all(c is None for c in cells):
                continue
            last = cells[-1]
            out.append(f"| {row_label(group, name, dtype)} | "
                       + " | ".join(giga(c.items_per_second if c else None) for c in cells)
                       + f" | {giga(last.bytes_per_second if last else None)}"
                       + f" | {fraction(last.memset_fraction if last else None)} |")
        out.append("")

    if dram is not None and len(threads) > 1:
        out.append(f"## Strong scaling at {benchjson.size_label(dram)} (G elements/s)\n")
        out.append("| fill | " + " | ".join(f"{t} thr" for t in threads)
                   + f" | speed-up {threads[0]}→{threads[-1]} |")
        out.append("| --- |" + " ---: |" * (len(threads) + 1))
        rows = [("roof", "memset", "f32")] + [("nninit", d, "f32") for d in DISTRIBUTIONS]
        rows += [("nninit", d, t) for d in ("uniform", "normal") for t in ("f64", "bf16")]
        rows += [("initializer", i, "f32") for i in INITIALIZERS]
        rows += [("baseline", b, "f32") for b in BASELINES if "philox" in b or "omp" in b]
        for group, name, dtype in rows:
            cells = [get(group, name, dtype, dram, t) for t in threads]
            if cells[0] is None and cells[-1] is None:
                continue
            speedup = "—"
            if cells[0] and cells[-1] and cells[0].items_per_second:
                speedup = f"{cells[-1].items_per_second / cells[0].items_per_second:.2f}×"
            out.append(f"| {row_label(group, name, dtype)} | "
                       + " | ".join(giga(c.items_per_second if c else None) for c in cells)
                       + f" | {speedup} |")
        out.append("")

    sweep = sorted({r.size for r in benchjson.select(results, group="nninit", dtype="f32")})
    if sweep:
        top = threads[-1]
        out.append(f"## Rate against size, f32, {top} thread{'s' if top != 1 else ''} "
                   "(G elements/s; memset in G 4-byte words/s)\n")
        columns = [("roof", "memset"), ("roof", "stream_store")] + [("nninit", d) for d in DISTRIBUTIONS]
        out.append("| size | level | " + " | ".join(n for _, n in columns)
                   + " | uniform ÷ memset | normal ÷ memset |")
        out.append("| ---: | --- |" + " ---: |" * (len(columns) + 2))
        for size in sweep:
            level = "L1" if size <= caches.get("L1", 0) else "L2" if size <= caches.get("L2", 0) \
                else "L3" if size <= caches.get("L3", 0) else "DRAM"
            cells = [get(g, n, "f32", size, top) for g, n in columns]
            uniform = get("nninit", "uniform", "f32", size, top)
            normal = get("nninit", "normal", "f32", size, top)
            out.append(f"| {benchjson.size_label(size)} | {level} | "
                       + " | ".join(giga(c.items_per_second if c else None) for c in cells)
                       + f" | {fraction(uniform.memset_fraction if uniform else None)}"
                       + f" | {fraction(normal.memset_fraction if normal else None)} |")
        out.append("")

    small = benchjson.select(results, group="small_fill")
    if small:
        out.append("## Small fills: time per fill\n")
        counts = sorted({r.size for r in small})
        names = [d for d in DISTRIBUTIONS if any(r.name == d for r in small)]
        out.append("| fill | elements | " + " | ".join(f"{t} thr" for t in threads) + " |")
        out.append("| --- | ---: |" + " ---: |" * len(threads))
        for name in names:
            for count in counts:
                cells = [get("small_fill", name, "f32", count, t, "elements") for t in threads]
                out.append(f"| {name} f32 | {count} | "
                           + " | ".join(duration(c.real_time_ns if c else None) for c in cells)
                           + " |")
        out.append("")
        out.append("Fills below nninit::parallel_threshold (32768 elements) never start a "
                   "parallel region, so the thread count does not change them.\n")

    out.extend(target_tables(results))

    if args.peers:
        try:
            with open(args.peers, encoding="utf-8") as handle:
                out.append("## Peers: numpy and PyTorch, side by side\n")
                out.append(handle.read())
        except OSError as error:
            print(f"summary.py: no peers table ({error})", file=sys.stderr)

    text = "\n".join(out).rstrip() + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
