"""`nninit stats` runs in constant memory: on a 256 MiB float32 file (64 Mi
values; sparse, so it costs no disk and is made at once) its peak resident
set stays under 100 MiB (reading the whole file as doubles took 768 MiB),
and its numbers are right. The peak is measured as the ru_maxrss of a
process whose only child is nninit (it includes the ~10 MiB of the forked
Python before exec)."""
import json
import math
import subprocess
import sys
import time

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
count = 64 * 1024 * 1024
path = context.path("large.npy")
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }" % count
header = header + " " * (128 - 10 - len(header) - 1) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
    f.write(np.float32(3.0).tobytes())  # the first value; all others are 0 but the last
    f.seek(128 + 4 * (count - 1))
    f.write(np.float32(-1.0).tobytes())

measure = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(result.stderr)
print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(result.stdout)
"""
start = time.monotonic()
result = subprocess.run([sys.executable, "-c", measure, context.cli, "stats", path, "--json"],
                        capture_output=True, text=True)
seconds = time.monotonic() - start
status_line, output = result.stdout.split("\n", 1)
status, peak_kib = map(int, status_line.split())
context.check(status == 0, f"nninit stats failed: {result.stderr}")
stats = json.loads(output)
print(f"nninit stats on a 256 MiB float32 file: peak RSS {peak_kib / 1024:.1f} MiB, {seconds:.2f} s")
context.check(peak_kib < 100 * 1024, f"peak RSS {peak_kib / 1024:.1f} MiB on a 256 MiB file (limit 100 MiB)")
mean = 2.0 / count
std = math.sqrt((9.0 + 1.0 - count * mean * mean) / (count - 1))
context.check(stats["count"] == count and stats["mean"] == mean and stats["min"] == -1.0 and stats["max"] == 3.0,
              f"stats {stats}, expected mean {mean!r}")
context.check(abs(stats["std"] - std) <= 2 * math.ulp(std), f"std {stats['std']!r}, expected {std!r}")
context.done()
