"""nninit-mpi init: the checkpoint N ranks write together with MPI-IO is byte for
byte the single-process `nninit init` file (header and metadata included) for
N = 1, 2, 3, 4, with row shards (shard_dim 0), column shards (shard_dim 1 and
-1: strided regions of the file), uneven and empty shards, tensors given whole
to ranks, every dtype, a structured initializer with a shard_dim (filled
whole by one rank), a scalar and an empty tensor; also with batches of a few
bytes (many collective rounds, pieces of several tensors in one round) and
with 2 threads per rank. A negative control shows the comparison sees a
changed seed.
"""
import os
import stat

from mpi_test_support import Context, read_header

SPEC = {
    "seed": 42,
    "layout": "torch",
    "parameters": [
        # rows: 50 in 3 parts 17/17/16, in 4 parts 13/13/13/11
        {"name": "wte.weight", "shape": [50, 8], "dtype": "bf16", "init": "normal",
         "params": {"std": 0.02}, "shard_dim": 0},
        # columns: 10 in 3 parts 4/4/2, in 4 parts 3/3/3/1; fans from the whole shape
        {"name": "fc.weight", "shape": [6, 10], "init": "torch.kaiming_uniform",
         "params": {"nonlinearity": "relu"}, "shard_dim": 1},
        {"name": "fc.bias", "shape": [6], "init": "zeros"},
        # the last dimension of a 4-D tensor: 5 in 4 parts 2/2/1/0 (an empty shard)
        {"name": "conv.weight", "shape": [3, 3, 4, 5], "dtype": "f64", "init": "keras.he_normal",
         "layout": "keras", "shard_dim": -1},
        # the middle dimension of a 3-D tensor
        {"name": "attn.qkv", "shape": [3, 7, 9], "dtype": "f16", "init": "uniform",
         "params": {"low": -0.5, "high": 0.5}, "shard_dim": 1},
        {"name": "ln.weight", "shape": [7], "dtype": "f16", "init": "ones"},
        {"name": "ln.bias", "shape": [7], "dtype": "f64", "init": "truncated_normal", "stream": 7},
        {"name": "by_name", "shape": [5, 5], "init": "normal", "stream": "other.name"},
        # structured: its values depend on the whole tensor, so one rank fills it whole
        {"name": "rnn.weight_hh", "shape": [12, 12], "init": "torch.orthogonal", "shard_dim": 0},
        {"name": "sparse", "shape": [16, 4], "dtype": "bf16", "init": "torch.sparse",
         "params": {"sparsity": 0.5}},
        {"name": "scalar", "shape": [], "init": "constant", "params": {"value": 3}},
        {"name": "empty", "shape": [0, 4], "init": "normal", "shard_dim": 1},
        # more rows than ranks x batch: several pieces per rank
        {"name": "lm_head.weight", "shape": [301, 33], "init": "torch.xavier_uniform", "shard_dim": 0},
        {"name": "emb.cols", "shape": [40, 37], "dtype": "bf16", "init": "normal", "shard_dim": 1},
    ],
}


def main():
    context = Context(__doc__)
    spec = context.write_spec("model.json", SPEC)
    whole = context.path("whole.safetensors")
    context.nninit("init", spec, "-o", whole, "--threads", "1")
    expected = open(whole, "rb").read()
    metadata = read_header(whole)["__metadata__"]
    context.check("world_size" not in metadata and metadata.get("seed") == "42", f"nninit init metadata: {metadata}")

    for ranks in (1, 2, 3, 4):
        # default batches (each rank's part in one round), then 200-byte batches (many rounds)
        for extra in ([], ["--batch-bytes", "200"]):
            output = context.path(f"mpi{ranks}.safetensors")
            result = context.mpi(ranks, "init", spec, "-o", output, "--threads", "1", *extra)
            actual = open(output, "rb").read()
            context.check(actual == expected,
                          f"{ranks} ranks {extra}: the file differs from nninit init's "
                          f"({len(actual)} vs {len(expected)} bytes; first difference at "
                          f"{next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), None)})")
            context.check(f"wrote {output}: {len(SPEC['parameters'])} tensors" in result.stdout
                          and f", {ranks} rank" in result.stdout, f"summary line: {result.stdout!r}")
            context.check(not [n for n in os.listdir(context.workdir) if ".tmp" in n],
                          f"{ranks} ranks: a temporary file was left: {os.listdir(context.workdir)}")

    # Threads per rank never change a bit; --timing reports the shares.
    output = context.path("threads.safetensors")
    result = context.mpi(2, "init", spec, "-o", output, "--threads", "2", "--timing", "-q")
    context.check(open(output, "rb").read() == expected, "2 ranks x 2 threads: the file differs")
    context.check(result.stdout.startswith("timing: ranks 2, wall ") and "fill " in result.stdout
                  and "MPI " in result.stdout, f"--timing line: {result.stdout!r}")

    # An existing file is replaced and keeps its permission bits; a symbolic link's target is replaced.
    existing = context.path("existing.safetensors")
    with open(existing, "wb") as f:
        f.write(b"old content")
    os.chmod(existing, 0o640)
    link = context.path("link.safetensors")
    os.symlink("existing.safetensors", link)
    context.mpi(3, "init", spec, "-o", link, "--threads", "1", "-q")
    context.check(os.path.islink(link), "the symbolic link was replaced")
    context.check(open(existing, "rb").read() == expected, "the link's target was not replaced by the checkpoint")
    context.check(stat.S_IMODE(os.stat(existing).st_mode) == 0o640,
                  f"permission bits {oct(stat.S_IMODE(os.stat(existing).st_mode))}, expected 0o640")

    # Negative control: the comparison sees a change of seed.
    other = dict(SPEC, seed=43)
    other_spec = context.write_spec("other.json", other)
    output = context.path("other.safetensors")
    context.mpi(2, "init", other_spec, "-o", output, "--threads", "1", "-q")
    context.check(open(output, "rb").read() != expected, "negative control: seed 43 gave the seed-42 file")
    context.done()


if __name__ == "__main__":
    main()
