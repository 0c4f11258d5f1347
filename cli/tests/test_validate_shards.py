"""nninit validate SHARD --spec SPEC.json on one rank's checkpoint of
`nninit init --rank R --world-size W`: every rank's file of a 3-way split
passes, the rank taken from the file's metadata or from --rank/--world-size
(.npz has no metadata: the flags are needed, and without them the split
tensors fail on their shape). A shard with a wrong std fails exactly that
tensor; the whole checkpoint checked as a shard fails the split tensors;
flags that contradict the metadata, half of the pair, a rank out of range and
metadata that is not a shard exit 2 naming what is wrong. A structured
tensor's shard is SKIPPED with the reason (its checks need the whole
tensor), and its shards put together equal the whole."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context  # noqa: E402
import safetensors_test_support as st  # noqa: E402

context = Context(__doc__)

world_size = 3
parameters = [
    # Split by columns (64 = 22 + 22 + 20, torch.chunk's parts) and by rows (256 = 86 + 86 + 84).
    {"name": "wte.weight", "shape": [500, 64], "init": "normal", "params": {"std": 0.02}, "shard_dim": 1},
    {"name": "fc.weight", "shape": [256, 64], "dtype": "bf16", "init": "torch.kaiming_uniform",
     "params": {"a": 5 ** 0.5}, "shard_dim": 0},
    {"name": "fc.bias", "shape": [256], "init": "uniform", "params": {"low": -0.125, "high": 0.125}},  # replicated
    {"name": "ln.weight", "shape": [64], "init": "ones", "shard_dim": 0},
    {"name": "rnn.weight_hh", "shape": [64, 64], "init": "torch.orthogonal"},  # replicated, structured
    # Structured and split (96 = 32 + 32 + 32 rows): a shard's checks need the whole, so it is SKIPPED.
    {"name": "proj.weight", "shape": [96, 32], "init": "torch.orthogonal", "shard_dim": 0},
]
spec = context.path("model.json")
with open(spec, "w") as f:
    json.dump({"seed": 7, "layout": "torch", "parameters": parameters}, f)


def chunk_sizes(length, parts):
    """torch.chunk's part lengths: ceil(length / parts) each, the last what is left."""
    size = -(-length // parts)
    return [max(0, min(size, length - size * i)) for i in range(parts)]


def expected_shape(entry, rank):
    shape = list(entry["shape"])
    if "shard_dim" in entry:
        shape[entry["shard_dim"]] = chunk_sizes(shape[entry["shard_dim"]], world_size)[rank]
    return shape


def report(path, *arguments, expect=0):
    result = context.run("validate", path, "--spec", spec, "--no-progress", "--json", *arguments, expect=expect)
    return json.loads(result.stdout)


def statuses(result):
    return {t["name"]: t["status"] for t in result["tensors"]}


all_pass = {entry["name"]: "PASS" for entry in parameters}
shard_pass = dict(all_pass, **{"proj.weight": "SKIPPED"})

# --- every rank's safetensors file passes: the rank from its metadata, or the flags --
for rank in range(world_size):
    path = context.path(f"rank{rank}.safetensors")
    context.run("init", spec, "-o", path, "--rank", rank, "--world-size", world_size, "-q")
    for arguments in ([], ["--rank", rank, "--world-size", world_size]):
        result = report(path, *arguments)
        context.check(statuses(result) == shard_pass, f"rank {rank} {arguments}: {statuses(result)}")
        reason = {t["name"]: t["reason"] for t in result["tensors"]}["proj.weight"]
        context.check("a shard (32, 32) of a structured tensor (96, 32): its checks need the whole tensor" in reason,
                      f"rank {rank}: proj.weight skipped because: {reason}")
        context.check((result["rank"], result["world_size"]) == (rank, world_size),
                      f"rank {rank}: the report says rank {result['rank']} of {result['world_size']}")
        shapes = {t["name"]: t["shape"] for t in result["tensors"]}
        for entry in parameters:
            context.check(shapes[entry["name"]] == expected_shape(entry, rank),
                          f"rank {rank}: {entry['name']} reported as {shapes[entry['name']]}")
    text = context.run("validate", path, "--spec", spec, "--no-progress").stdout
    context.check(f"(the shards of rank {rank} of {world_size})" in text, f"rank {rank}: text header:\n{text}")

# --- .npz: no metadata, so the flags say which rank -----------------------------
npz = context.path("rank2.npz")
context.run("init", spec, "-o", npz, "--rank", 2, "--world-size", world_size, "-q")
result = report(npz, "--rank", 2, "--world-size", world_size)
context.check(statuses(result) == shard_pass, f"rank2.npz with the flags: {statuses(result)}")
result = report(npz, expect=1)
split = {"wte.weight", "fc.weight", "ln.weight", "proj.weight"}
context.check({n for n, s in statuses(result).items() if s == "FAIL"} == split,
              f"rank2.npz without the flags: {statuses(result)}")
reasons = {t["name"]: t["reason"] for t in result["tensors"]}
context.check("shape (500, 20) in the checkpoint, (500, 64) in the spec" in reasons["wte.weight"],
              f"rank2.npz without the flags: {reasons['wte.weight']}")
result = report(npz, "--rank", 1, "--world-size", world_size, expect=1)  # rank 1's shapes: 22 columns, 86 rows
# (proj.weight's shards are all 32 rows: the same shape on rank 1, so SKIPPED.)
context.check({n for n, s in statuses(result).items() if s == "FAIL"} == split - {"proj.weight"},
              f"rank2.npz checked as rank 1: {statuses(result)}")

# --- negative control: one shard with a wrong std fails, and only it ------------
tensors = st.read(context.path("rank1.safetensors"))
blob = open(context.path("rank1.safetensors"), "rb").read()
(length,) = np.frombuffer(blob[:8], dtype="<u8")
metadata = json.loads(blob[8:8 + int(length)])["__metadata__"]
planted = context.path("rank1-planted.safetensors")
order = [entry["name"] for entry in parameters]
st.write(planted, [(name, (tensors[name] * np.float32(1.1)).astype(np.float32) if name == "wte.weight"
                    else tensors[name]) for name in order], metadata)
result = report(planted, expect=1)
context.check({n for n, s in statuses(result).items() if s == "FAIL"} == {"wte.weight"},
              f"a shard with std 0.022 instead of 0.02: {statuses(result)}")

# --- the whole checkpoint checked as a shard fails the split tensors -------------
whole = context.path("whole.safetensors")
context.run("init", spec, "-o", whole, "-q")
context.check(statuses(report(whole)) == all_pass, "the whole checkpoint fails as a whole")

# --- the shards of the structured tensor put together equal the whole ------------
whole_tensors = st.read(whole)
joined = np.concatenate([st.read(context.path(f"rank{r}.safetensors"))["proj.weight"] for r in range(world_size)])
context.check(joined.tobytes() == whole_tensors["proj.weight"].tobytes(),
              "proj.weight: the three row shards of the orthogonal tensor differ from the whole")
result = report(whole, "--rank", 0, "--world-size", 2, expect=1)
context.check({n for n, s in statuses(result).items() if s == "FAIL"} == split,
              f"the whole checked as rank 0 of 2: {statuses(result)}")
reasons = {t["name"]: t["reason"] for t in result["tensors"]}
context.check("(500, 32) expected (this rank's shard of the spec's (500, 64))" in reasons["wte.weight"],
              f"the whole checked as rank 0 of 2: {reasons['wte.weight']}")

# --- bad input: exit 2, the problem named ----------------------------------------
rank0 = context.path("rank0.safetensors")
for arguments, needle in [
    (["--rank", 1, "--world-size", world_size], "but " + rank0 + "'s metadata says rank 0 of world_size 3"),
    (["--rank", 0, "--world-size", 2], "metadata says rank 0 of world_size 3"),
    (["--rank", 1], "--rank and --world-size go together"),
    (["--world-size", 3], "--rank and --world-size go together"),
]:
    result = context.run("validate", rank0, "--spec", spec, *arguments, expect=2)
    context.check(needle in result.stderr, f"{arguments}: {result.stderr}")
result = context.run("validate", npz, "--spec", spec, "--rank", 3, "--world-size", 3, expect=2)
context.check("--rank: 3 is not in 0..2" in result.stderr, f"--rank 3 of 3: {result.stderr}")
result = context.run("validate", npz, "--rank", 0, "--world-size", 3, "--dist", "normal", expect=2)
context.check("--rank goes with --spec" in result.stderr or "--world-size goes with --spec" in result.stderr,
              f"--rank without --spec: {result.stderr}")
for rank_text, world_text in [("x", "3"), ("3", "3"), ("0", "0")]:
    bad = context.path(f"bad-metadata-{rank_text}-{world_text}.safetensors")
    st.write(bad, [(name, tensors[name]) for name in order], dict(metadata, rank=rank_text, world_size=world_text))
    result = context.run("validate", bad, "--spec", spec, expect=2)
    context.check(bad + ": metadata" in result.stderr, f"metadata rank {rank_text} of {world_text}: {result.stderr}")

context.done()
