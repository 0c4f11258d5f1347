"""`nninit init` holds one tensor's chunk at a time, not the model: on a spec
of 16 tensors of 32 MiB each (512 MiB in all; f32 and bf16, normal and
Kaiming uniform; the bf16 ones with a shard_dim, 0 or 1, which
--rank 1 --world-size 2 halves), written to a file and to /dev/null, the peak
resident set stays under 72 MiB (one tensor, 32 MiB, plus the 16 MiB fill
buffer plus 24 MiB for the process itself and the forked Python before exec),
and the file has the expected size. The peak is the ru_maxrss of a process
whose only child is nninit."""
import json
import os
import subprocess
import sys

from cli_test_support import Context

context = Context(__doc__)
MIB = 1024 * 1024
parameters = []
for i in range(16):
    if i % 2 == 0:
        parameters.append({"name": f"layers.{i}.weight", "shape": [2048, 4096], "dtype": "f32", "init": "normal",
                           "params": {"std": 0.02}})
    else:
        parameters.append({"name": f"layers.{i}.weight", "shape": [4096, 4096], "dtype": "bf16",
                           "init": "torch.kaiming_uniform", "shard_dim": i % 4 // 2})
spec_path = context.path("big.json")
with open(spec_path, "w", encoding="utf-8") as f:
    json.dump({"seed": 7, "parameters": parameters}, f)
total = 16 * 32 * MIB

measure = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(result.stderr)
print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_of(*arguments):
    result = subprocess.run([sys.executable, "-c", measure, context.cli, *arguments], capture_output=True, text=True)
    status, peak_kib = map(int, result.stdout.split())
    context.check(status == 0, f"nninit {' '.join(arguments)} failed ({status}): {result.stderr}")
    return peak_kib / 1024


limit = 32 + 16 + 24
output = context.path("big.safetensors")
for target, extra in [(output, []), ("/dev/null", []), (output, ["--rank", "1", "--world-size", "2"])]:
    peak = peak_of("init", spec_path, "-o", target, "-q", "--threads", "2", *extra)
    print(f"nninit init of 512 MiB into {os.path.basename(target)} {' '.join(extra)}: peak RSS {peak:.1f} MiB")
    context.check(peak < limit, f"peak RSS {peak:.1f} MiB for a 512 MiB model of 32 MiB tensors (limit {limit} MiB)")
    if target == output:
        with open(output, "rb") as f:
            header_length = int.from_bytes(f.read(8), "little")
        data = os.path.getsize(output) - 8 - header_length
        expected = total if not extra else total - 8 * 16 * MIB  # the 8 sharded bf16 tensors: half each
        context.check(data == expected, f"{data} bytes of data, expected {expected}")
        os.remove(output)
context.done()
