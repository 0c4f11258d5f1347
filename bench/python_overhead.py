#!/usr/bin/python3
"""The Python module's cost beside torch.nn.init, in one process.

Per call: microseconds of the calling thread's CPU time per call of a fill of a 1,000-element float32 tensor
(and of an empty one: the pure call overhead) through nninit.fill (numpy and
torch), nninit.torch.uniform_ / normal_ / kaiming_uniform_ and
torch.nn.init's same functions; the overhead column is the call time minus
the C++ fill's own time for those 1,000 elements, measured inside the module
(nninit._nninit._time_fill) in the same run.

Large fills: G elements/s of nninit.torch.uniform_ / normal_ /
kaiming_uniform_ (threads=T) and torch.nn.init's (torch.set_num_threads(T))
on a float32 tensor of --elements (default 2^24, 64 MiB), at each thread
count; "÷ C++" is the Python call's rate over the rate of the same fill
made directly by the module's C++ (nninit._nninit._time_fill: no argument
handling, no name resolution), "÷ torch" nninit's rate over PyTorch's.
1-thread rows time the calling thread's CPU time (every fill runs on it),
rows with more threads wall-clock time. Every case runs once per
round, in an order that rotates from round to round; the tables give
medians over rounds.

Usage: PYTHONPATH=build/release/python bench/python_overhead.py
           [--rounds 7] [--threads 1,2] [--elements 16777216] [--calls 2000]
           [--json OUT] [--smoke]
PyTorch missing: the torch rows are left out (numpy rows only).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

import nninit

try:
    import torch
except ImportError:  # the numpy rows still run
    torch = None


def per_call_seconds(call, calls):
    """CPU seconds of this thread per call (time.thread_time): on a shared
    machine, time spent waiting for a core is not counted."""
    start = time.thread_time()
    for _ in range(calls):
        call()
    return (time.thread_time() - start) / calls


def wall_seconds(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def run_rounds(cases, rounds, measure):
    """{name: [one measurement per round]}, the order rotating each round."""
    results = {name: [] for name, _ in cases}
    for r in range(rounds):
        order = cases[r % len(cases):] + cases[: r % len(cases)]
        for name, case in order:
            results[name].append(measure(case))
    return results


def per_call_table(args):
    small_np = np.empty(1000, np.float32)
    empty_np = np.empty(0, np.float32)
    uniform = nninit.Uniform(0, 1)
    cases = [
        ("nninit.fill(numpy, Uniform), 0 elements", lambda: nninit.fill(empty_np, uniform)),
        ("nninit.fill(numpy, Uniform)", lambda: nninit.fill(small_np, uniform)),
        ("nninit.fill(numpy, 'torch.kaiming_uniform')",
         lambda: nninit.fill(small_np, "torch.kaiming_uniform", shape=(25, 40), nonlinearity="relu")),
    ]
    if torch is not None:
        import nninit.torch as nt

        small = torch.empty(25, 40)
        empty = torch.empty(0)
        parameter = torch.nn.Parameter(torch.empty(25, 40))  # requires grad: nninit bumps its version counter
        cases += [
            ("nninit.fill(tensor, Uniform), 0 elements", lambda: nninit.fill(empty, uniform)),
            ("nninit.fill(tensor, Uniform)", lambda: nninit.fill(small, uniform)),
            ("nninit.torch.uniform_", lambda: nt.uniform_(small)),
            ("nninit.torch.normal_", lambda: nt.normal_(small)),
            ("nninit.torch.kaiming_uniform_", lambda: nt.kaiming_uniform_(small, nonlinearity="relu")),
            ("nninit.torch.uniform_(nn.Parameter)", lambda: nt.uniform_(parameter)),
            ("torch.nn.init.uniform_", lambda: torch.nn.init.uniform_(small)),
            ("torch.nn.init.uniform_(nn.Parameter)", lambda: torch.nn.init.uniform_(parameter)),
            ("torch.nn.init.normal_", lambda: torch.nn.init.normal_(small)),
            ("torch.nn.init.kaiming_uniform_", lambda: torch.nn.init.kaiming_uniform_(small, nonlinearity="relu")),
        ]
        torch.set_num_threads(1)
    results = run_rounds(cases, args.rounds, lambda call: per_call_seconds(call, args.calls))
    cpp = {
        "uniform": statistics.median(nninit._nninit._time_fill(small_np, uniform, 51, 1) for _ in range(args.rounds)),
        "normal": statistics.median(nninit._nninit._time_fill(small_np, nninit.Normal(), 51, 1)
                                    for _ in range(args.rounds)),
    }
    rows = []
    for name, times in results.items():
        median = statistics.median(times)
        if "0 elements" in name or name.startswith("torch."):
            inside = 0.0 if "0 elements" in name else None
        else:
            inside = cpp["normal"] if "normal" in name else cpp["uniform"]
        rows.append({"call": name, "us_per_call": median * 1e6,
                     "overhead_us": None if inside is None else (median - inside) * 1e6})
    return rows, {k: v * 1e6 for k, v in cpp.items()}


def large_table(args):
    n = args.elements
    rows = []
    if torch is None:
        x = np.empty(n, np.float32)
        cases = [(f"nninit.fill uniform threads={t}", (t, lambda t=t: nninit.fill(x, nninit.Uniform(0, 1),
                                                                                 threads=t))) for t in args.threads]
        results = run_rounds(cases, args.rounds, lambda case: wall_seconds(case[1]))
        for name, times in results.items():
            rows.append({"case": name, "g_elements_per_s": n / statistics.median(times) / 1e9})
        return rows
    import nninit.torch as nt

    x = torch.empty(n)
    laws = {
        "uniform": (lambda t: nt.uniform_(x, threads=t), lambda: torch.nn.init.uniform_(x), nninit.Uniform(0, 1)),
        "normal": (lambda t: nt.normal_(x, threads=t), lambda: torch.nn.init.normal_(x), nninit.Normal()),
        "kaiming_uniform": (lambda t: nt.kaiming_uniform_(x.view(4096, -1), nonlinearity="relu", threads=t),
                            lambda: torch.nn.init.kaiming_uniform_(x.view(4096, -1), nonlinearity="relu"),
                            nninit.Uniform(-0.1, 0.1)),
    }
    for threads in args.threads:
        torch.set_num_threads(threads)
        cases = []
        for law, (ours, theirs, distribution) in laws.items():
            cases.append((("nninit", law), lambda ours=ours: ours(threads)))
            cases.append((("torch", law), theirs))
            cases.append((("c++", law), lambda d=distribution: nninit._nninit._time_fill(x, d, 1, threads)))

        # 1 thread: every fill runs on this thread, so its CPU time is robust
        # to a shared machine; 2 or more: wall-clock time.
        clock = time.thread_time if threads == 1 else time.perf_counter

        def measure(call):
            start = clock()
            call()
            return clock() - start

        results = run_rounds(cases, args.rounds, measure)
        for law in laws:
            rate = {who: n / statistics.median(results[(who, law)]) / 1e9 for who in ("nninit", "torch", "c++")}
            rows.append({"fill": law, "threads": threads, "nninit": rate["nninit"], "cpp": rate["c++"],
                         "torch": rate["torch"], "nninit_over_cpp": rate["nninit"] / rate["c++"],
                         "nninit_over_torch": rate["nninit"] / rate["torch"]})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--elements", type=int, default=1 << 24)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--json")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round: checks that it runs")
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    if args.smoke:
        args.rounds, args.elements, args.calls = 1, 1 << 16, 20

    per_call, cpp_small = per_call_table(args)
    large = large_table(args)

    load = os.getloadavg()[0]
    print(f"nninit {nninit.__version__} module, Python {platform.python_version()}, "
          f"torch {torch.__version__ if torch else 'not installed'}, {platform.processor() or platform.machine()}, "
          f"load average {load:.2f}; medians of {args.rounds} rounds")
    print(f"\nper call, 1,000 float32 elements ({args.calls} calls a round; the C++ fill itself: uniform "
          f"{cpp_small['uniform']:.2f} us, normal {cpp_small['normal']:.2f} us)\n")
    print(f"| {'call':<45} | us per call | overhead us |")
    print(f"| {'-' * 45} | ---: | ---: |")
    for row in per_call:
        overhead = "" if row["overhead_us"] is None else f"{row['overhead_us']:.2f}"
        print(f"| {row['call']:<45} | {row['us_per_call']:.2f} | {overhead} |")
    print(f"\nlarge fills, {args.elements} float32 elements, G elements/s\n")
    if torch is None:
        for row in large:
            print(f"| {row['case']} | {row['g_elements_per_s']:.3f} |")
    else:
        print("| fill | threads | nninit (Python) | nninit (C++) | torch.nn.init | ÷ C++ | ÷ torch |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in large:
            print(f"| {row['fill']} | {row['threads']} | {row['nninit']:.3f} | {row['cpp']:.3f} | "
                  f"{row['torch']:.3f} | {row['nninit_over_cpp']:.2f} | {row['nninit_over_torch']:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"per_call": per_call, "cpp_fill_1000_us": cpp_small, "large": large, "rounds": args.rounds,
                       "elements": args.elements, "load_average": load}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
