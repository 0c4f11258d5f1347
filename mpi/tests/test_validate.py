"""nninit-mpi validate: a checkpoint checked by N ranks together.

- Every reported statistic and verdict (the whole --json report but its
  "ranks" field) is the same for N = 1, 2 and 3, on tensors of several
  2^20-element blocks (so that the ranks really split them) in every dtype,
  plus a constant and a structured tensor (checked whole by rank 0).
- The statistics agree with the single-process `nninit validate --spec`:
  the same moments (to rounding), Kolmogorov-Smirnov exactly on the 16-bit
  grids and within the stated bracket otherwise, Anderson-Darling within the
  error bound each report states.
- A planted defect (one block of a tensor scaled by 1.2) in the first, a
  middle or the last block, read by rank 0, 1 or 2 of 3, fails that tensor
  and only it (exit 1); the report for it is again the same for 1 and 3
  ranks, and differs from the clean report (the comparison can see a change).
- Job failures exit 2 with the failing rank's message: no --spec, a file
  that is one rank's shards, a spec that does not parse, a missing file.
"""
import json
import re
import struct

from mpi_test_support import Context, read_header

SPEC = {
    "seed": 11,
    "layout": "torch",
    "parameters": [
        {"name": "w.f32", "shape": [2048, 1600], "init": "torch.kaiming_uniform", "shard_dim": 0},   # 4 blocks
        {"name": "emb.bf16", "shape": [3000, 1024], "dtype": "bf16", "init": "normal",
         "params": {"std": 0.02}, "shard_dim": 1},                                                # 3 blocks
        {"name": "tn.f64", "shape": [1100, 1000], "dtype": "f64", "init": "truncated_normal",
         "params": {"std": 0.5}},                                                                 # 2 blocks
        {"name": "u.f16", "shape": [2200, 1000], "dtype": "f16", "init": "uniform",
         "params": {"low": -0.5, "high": 0.5}},                                                   # 3 blocks
        {"name": "bias", "shape": [2048], "init": "zeros"},
        {"name": "orth", "shape": [48, 48], "init": "torch.orthogonal"},
    ],
}
BLOCK = 1 << 20


def tests_by_name(tensor):
    return {t["name"]: t for t in tensor["tests"]}


def validate(context, ranks, checkpoint, spec, expect=0):
    result = context.mpi(ranks, "validate", checkpoint, "--spec", spec, "--json", expect=expect)
    report = json.loads(result.stdout)
    context.check(report["ranks"] == ranks, f"ranks field {report['ranks']}, expected {ranks}")
    del report["ranks"]
    return report


def plant_defect(source, target, name, block):
    """Copies `source` to `target` with block `block` of f32 tensor `name` scaled by 1.2."""
    data = bytearray(open(source, "rb").read())
    header = read_header(source)
    (length,) = struct.unpack("<Q", data[:8])
    begin, end = header[name]["data_offsets"]
    start = 8 + length + begin + block * BLOCK * 4
    stop = min(8 + length + end, start + BLOCK * 4)
    count = (stop - start) // 4
    values = struct.unpack(f"<{count}f", data[start:stop])
    data[start:stop] = struct.pack(f"<{count}f", *(v * 1.2 for v in values))
    open(target, "wb").write(bytes(data))


def main():
    context = Context(__doc__)
    spec = context.write_spec("model.json", SPEC)
    checkpoint = context.path("model.safetensors")
    context.mpi(2, "init", spec, "-o", checkpoint, "--threads", "1", "-q")

    reports = {ranks: validate(context, ranks, checkpoint, spec) for ranks in (1, 2, 3)}
    context.check(reports[1]["verdict"] == "PASS", f"the clean checkpoint fails: {json.dumps(reports[1])[:2000]}")
    for ranks in (2, 3):
        context.check(reports[ranks] == reports[1], f"{ranks} ranks report other numbers than 1 rank")
    names = [t["name"] for t in reports[1]["tensors"]]
    context.check(names == [p["name"] for p in SPEC["parameters"]], f"tensors reported: {names}")

    # Against the single-process battery (exact KS and AD).
    single = json.loads(context.nninit("validate", checkpoint, "--spec", spec, "--json").stdout)
    for mine, exact in zip(reports[1]["tensors"], single["tensors"]):
        ours, theirs = tests_by_name(mine), tests_by_name(exact)
        if mine["name"] in ("bias", "orth"):  # checked whole by rank 0, as nninit validate checks them
            context.check(mine["tests"] == exact["tests"], f"{mine['name']}: not the single-process checks")
            continue
        for test in ("mean", "standard_deviation"):
            a, b = ours[test]["statistic"], theirs[test]["statistic"]
            context.check(abs(a - b) <= 1e-6 * max(1.0, abs(b)), f"{mine['name']} {test}: {a} vs {b}")
        ks, ks_exact = ours["kolmogorov_smirnov"]["statistic"], theirs["kolmogorov_smirnov"]["statistic"]
        if mine["dtype"] in ("bf16", "f16"):
            context.check(abs(ks - ks_exact) <= 1e-12, f"{mine['name']} KS {ks} vs exact {ks_exact}")
        else:
            bins = int(re.search(r"edges of (\d+) bins", ours["kolmogorov_smirnov"]["detail"]).group(1))
            context.check(ks - 1e-12 <= ks_exact <= ks + 1.0 / bins + 1e-12,
                          f"{mine['name']} KS {ks_exact} outside [{ks}, {ks} + 1/{bins}]")
        ad, ad_exact = ours["anderson_darling"]["statistic"], theirs["anderson_darling"]["statistic"]
        bound = float(re.search(r"\|error\| <= ([0-9.eE+-]+)", ours["anderson_darling"]["detail"]).group(1))
        context.check(bound < 0.05, f"{mine['name']}: AD error bound {bound} is not small")
        if mine["dtype"] != "bf16" and mine["dtype"] != "f16":  # (16-bit grids: a different jitter)
            context.check(abs(ad - ad_exact) <= bound, f"{mine['name']} AD {ad} vs exact {ad_exact} (bound {bound})")

    # A planted defect, whichever of 3 ranks reads it (w.f32 has 4 blocks: rank 0 reads block 0,
    # rank 1 block 1, rank 2 blocks 2 and 3).
    for block, reader in ((0, 0), (1, 1), (3, 2)):
        broken = context.path(f"defect{block}.safetensors")
        plant_defect(checkpoint, broken, "w.f32", block)
        three = validate(context, 3, broken, spec, expect=1)
        statuses = {t["name"]: t["status"] for t in three["tensors"]}
        context.check(statuses["w.f32"] == "FAIL" and
                      all(s == "PASS" for n, s in statuses.items() if n != "w.f32"),
                      f"defect in block {block} (rank {reader} of 3): {statuses}")
        one = validate(context, 1, broken, spec, expect=1)
        context.check(one == three, f"defect in block {block}: 1 and 3 ranks report other numbers")
        context.check(three != reports[3], "negative control: the defect left the report unchanged")

    # Job failures: exit 2 and the failing rank's message.
    result = context.mpi(2, "validate", checkpoint, expect=2)
    context.check("--spec is required" in result.stderr, f"no --spec: {result.stderr!r}")
    shard = context.path("rank0.safetensors")
    context.nninit("init", spec, "-o", shard, "--rank", "0", "--world-size", "2")
    result = context.mpi(2, "validate", shard, "--spec", spec, expect=2)
    context.check("rank 0: " in result.stderr and "one rank's shards" in result.stderr, f"a shard: {result.stderr!r}")
    bad = context.write_spec("bad.json", "{\"seed\": 1, \"parameters\": [")
    result = context.mpi(3, "validate", checkpoint, "--spec", bad, expect=2)
    context.check("rank 0: " in result.stderr and "bad.json" in result.stderr, f"a bad spec: {result.stderr!r}")
    result = context.mpi(2, "validate", context.path("absent.safetensors"), "--spec", spec, expect=2)
    context.check("absent.safetensors" in result.stderr, f"a missing file: {result.stderr!r}")
    context.done()


if __name__ == "__main__":
    main()
