"""`nninit validate` holds a tensor in its own dtype and runs the battery in
that memory: on a 256 MiB float32 file (64 Mi values written by `nninit
fill`) its peak resident set stays below 1.6 times the file's size (reading
the values as doubles and sorting a copy took 10 times), and the battery
passes. A 64 MiB bfloat16 file stays below 1.3 times (the battery holds the
16-bit keys, a histogram and one distinct value's jitters at a time;
1.53 times before those jitters were drawn per value). The peak is the
ru_maxrss of a process whose only child is nninit. No timing is checked
here (bench/validate_speed.py measures it)."""
import os
import subprocess
import sys

from cli_test_support import Context

context = Context(__doc__)

measure = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(result.stderr)
print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(result.stdout)
"""


def check_peak(name, count, dtype, limit):
    path = context.path(name)
    context.run("fill", "--init", "normal", "--param", "std=0.02", "--shape", count, "--dtype", dtype,
                "--stream", name, "-o", path)
    size = os.path.getsize(path)
    result = subprocess.run([sys.executable, "-c", measure, context.cli, "validate", path, "--dist", "normal",
                             "--std", "0.02"], capture_output=True, text=True)
    status_line, output = result.stdout.split("\n", 1)
    status, peak_kib = map(int, status_line.split())
    ratio = peak_kib * 1024 / size
    print(f"nninit validate on a {size / 2**20:.0f} MiB {dtype} file: peak RSS {peak_kib / 1024:.1f} MiB, "
          f"{ratio:.2f} x the file")
    context.check(status == 0 and "verdict: PASS" in output, f"validate {name} failed:\n{output}\n{result.stderr}")
    context.check(ratio < limit, f"peak RSS {peak_kib / 1024:.1f} MiB is {ratio:.2f} x the {size} bytes of {name} "
                                 f"(limit {limit} x)")
    os.remove(path)


check_peak("normal_f32.npy", 64 * 1024 * 1024, "f32", 1.6)
check_peak("normal_bf16.npy", 32 * 1024 * 1024, "bf16", 1.3)
context.done()
