#!/usr/bin/env python3
"""Memory and speed of `nninit validate` on large files.

Writes files of normal(0, 0.02) values with `nninit fill` (float32 and
bfloat16 by default; 64 MiB, 256 MiB and 1 GiB), runs `nninit validate FILE
--dist normal --std 0.02` on each (single-threaded: the battery uses one
thread), and prints for each file the values tested per second (wall clock,
the file just written and so in the page cache; reading it included; also per
second of CPU time, user and system, which a busy machine inflates less) and the
peak resident set (ru_maxrss of a process whose only child is nninit) as a
multiple of the file's size; the median of --repeat runs for the time, the
largest peak. --compare OTHER_NNINIT measures a second build beside it (for
example the one before a change), the two builds' runs alternated on each
file so that a busy machine slows both alike, and prints their same-run
ratio of rates.

    bench/validate_speed.py --cli build/release/cli/nninit
    bench/validate_speed.py --cli build/release/cli/nninit --sizes 64,256 --dtypes f32 --repeat 3
    bench/validate_speed.py --cli build/new/cli/nninit --compare build/old/cli/nninit --repeat 3

Needs free memory for the largest file plus its peak, and disk for the
largest file in --workdir (default: a temporary directory, removed after).
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

MEASURE = """
import resource, subprocess, sys, time
start = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.monotonic() - start
sys.stderr.write(result.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(result.returncode, usage.ru_maxrss, seconds, usage.ru_utime + usage.ru_stime)
"""

ELEMENT_BYTES = {"f32": 4, "f64": 8, "bf16": 2, "f16": 2}


def cpu_name():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def measure_once(cli, path):
    """(seconds, peak bytes, CPU seconds) of one `cli validate path ...`."""
    result = subprocess.run([sys.executable, "-c", MEASURE, cli, "validate", path, "--dist", "normal", "--std",
                             "0.02"], capture_output=True, text=True)
    if not result.stdout.strip():
        sys.exit(f"measuring {cli} failed: {result.stderr}")
    status, peak_kib, seconds, cpu_seconds = result.stdout.split()
    if int(status) not in (0, 1):
        sys.exit(f"{cli} validate {path} exited {status}: {result.stderr}")
    return float(seconds), int(peak_kib) * 1024, float(cpu_seconds)


def measure(clis, path, repeat):
    """{label: (median seconds, largest peak bytes, median CPU seconds)} over `repeat` runs of each
    build, alternated."""
    times = {label: [] for label, _ in clis}
    cpu_times = {label: [] for label, _ in clis}
    peaks = {label: 0 for label, _ in clis}
    for _ in range(repeat):
        for label, cli in clis:
            seconds, peak, cpu_seconds = measure_once(cli, path)
            times[label].append(seconds)
            cpu_times[label].append(cpu_seconds)
            peaks[label] = max(peaks[label], peak)
    return {label: (statistics.median(times[label]), peaks[label], statistics.median(cpu_times[label]))
            for label, _ in clis}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default=os.environ.get("NNINIT_CLI", "nninit"), help="the nninit executable")
    parser.add_argument("--compare", help="a second nninit executable to measure beside it")
    parser.add_argument("--sizes", default="64,256,1024", help="file sizes in MiB (default 64,256,1024)")
    parser.add_argument("--dtypes", default="f32,bf16", help="dtypes (default f32,bf16)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per file and build (the median time is reported)")
    parser.add_argument("--workdir", help="where the files go (default: a temporary directory)")
    arguments = parser.parse_args()

    clis = [("nninit", arguments.cli)] + ([("compare", arguments.compare)] if arguments.compare else [])
    for _, cli in clis:
        if shutil.which(cli) is None and not os.path.isfile(cli):
            sys.exit(f"no executable {cli} (give --cli PATH/TO/nninit)")
    workdir = arguments.workdir or tempfile.mkdtemp(prefix="nninit-validate-speed-")
    os.makedirs(workdir, exist_ok=True)
    print(f"CPU: {cpu_name()}; nninit validate is single-threaded")
    print()
    columns = "| build | dtype | file | values | seconds | M values/s | M values / CPU s | peak RSS | peak / file |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    if arguments.compare:
        columns += " rate / compare's |"
        rule += " ---: |"
    print(columns)
    print(rule)
    try:
        for dtype in arguments.dtypes.split(","):
            for mebibytes in (int(s) for s in arguments.sizes.split(",")):
                count = mebibytes * 2**20 // ELEMENT_BYTES[dtype]
                path = os.path.join(workdir, f"normal_{dtype}_{mebibytes}MiB.npy")
                subprocess.run([arguments.cli, "fill", "--init", "normal", "--param", "std=0.02", "--shape",
                                str(count), "--dtype", dtype, "--stream", "validate-speed", "-o", path],
                               check=True, stdout=subprocess.DEVNULL)
                size = os.path.getsize(path)
                measured = measure(clis, path, arguments.repeat)
                for label, _ in clis:
                    seconds, peak, cpu_seconds = measured[label]
                    ratio = ""
                    if label == "nninit" and "compare" in measured:
                        ratio = f" {measured['compare'][0] / seconds:.2f}x |"
                    print(f"| {label} | {dtype} | {mebibytes} MiB | {count} | {seconds:.2f} | "
                          f"{count / seconds / 1e6:.1f} | {count / cpu_seconds / 1e6:.1f} | {peak / 2**20:.0f} MiB | "
                          f"{peak / size:.2f} |{ratio}", flush=True)
                os.remove(path)
    finally:
        if not arguments.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
