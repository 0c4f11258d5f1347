"""nninit-mpi init faults: a failure on any rank (a bad spec, a missing spec
file, a bad argument, an output directory that does not exist or is not a
directory, an output that is a directory, a failure while filling in the
middle of the write, out of memory, a rank killed by SIGTERM) makes the job
exit non-zero, prints the failing rank's message once, and leaves no file
under the output name (an existing file keeps its old content) and no
temporary file. Failures of one
rank only are planted with the NNINIT_MPI_TEST_FAIL=RANK:STAGE hook.
"""
import json
import os

from mpi_test_support import Context

GOOD = {
    "seed": 1,
    "parameters": [
        {"name": "w", "shape": [64, 48], "init": "normal", "shard_dim": 1},
        {"name": "b", "shape": [64], "init": "zeros"},
        {"name": "e", "shape": [80, 16], "dtype": "bf16", "init": "uniform", "shard_dim": 0},
    ],
}


def main():
    context = Context(__doc__)
    good = context.write_spec("good.json", GOOD)

    def failing(ranks, spec, needle, output="out.safetensors", env=None, extra=(), directory=None):
        path = output if os.path.isabs(output) else context.path(output)
        result = context.mpi(ranks, "init", spec, "-o", path, "--threads", "1", *extra, expect="nonzero", env=env)
        context.check(needle in result.stderr, f"expected {needle!r} in stderr, got:\n{result.stderr}")
        context.check(sum(line.startswith("nninit-mpi") for line in result.stderr.splitlines()) == 1,
                      f"the message is not printed exactly once:\n{result.stderr}")
        name = os.path.basename(path)
        left = context.leftovers(name, directory or os.path.dirname(path))
        context.check(not left, f"{needle}: files left: {left}")
        return result

    def with_entry(**changes):
        entry = {"name": "w", "shape": [4, 4], "init": "normal"}
        entry.update(changes)
        return {"seed": 1, "parameters": [{"name": "ok", "shape": [2], "init": "zeros"}, entry]}

    # Bad specs: every rank finds the mistake; rank 0 reports it.
    bad = context.write_spec("bad.json", with_entry(init="no_such_init"))
    failing(3, bad, "nninit-mpi init: rank 0: parameters[1] ('w'): --init: unknown initializer 'no_such_init'")
    bad = context.write_spec("bad.json", with_entry(colour="red"))
    failing(2, bad, "rank 0: parameters[1] ('w'): unknown key 'colour'")
    bad = context.write_spec("bad.json", with_entry(shape=[4, -1]))
    failing(4, bad, "rank 0: parameters[1] ('w') key 'shape'")
    bad = context.write_spec("bad.json", with_entry(params={"std": -1}))
    failing(2, bad, "rank 0: parameters[1] ('w')")
    bad = context.write_spec("bad.json", '{"seed": 1, "parameters": [')
    failing(2, bad, "not valid JSON")
    failing(2, context.path("missing.json"), "missing.json: cannot be read")
    failing(2, good, "--batch-bytes: 0 is not in 8..1073741824", extra=("--batch-bytes", "0"))
    failing(2, good, "the name must end in .safetensors", output="out.npz")

    # A region MPI's int sizes cannot describe (8 ranks: 2 rows of 2^28 columns of a
    # 2^31-column tensor per batch) is refused while planning, before any file exists.
    wide = context.write_spec("wide.json", {"parameters": [
        {"name": "wide", "shape": [4, 2**31], "dtype": "bf16", "init": "zeros", "shard_dim": 1}]})
    failing(8, wide, "rank 0: 'wide' dimension 1: 2147483648 does not fit an MPI datatype's int",
            extra=("--batch-bytes", 2**30))

    # Outputs that cannot be written.
    failing(3, good, "cannot create a file in", output=context.path("no/such/dir/out.safetensors"),
            directory=context.workdir)
    with open(context.path("plain_file"), "w") as f:
        f.write("x")
    failing(2, good, "plain_file/out.safetensors: Not a directory", output=context.path("plain_file/out.safetensors"),
            directory=context.workdir)
    os.mkdir(context.path("a_directory.safetensors"))
    result = context.mpi(2, "init", good, "-o", context.path("a_directory.safetensors"), expect="nonzero")
    context.check("not a regular file" in result.stderr, f"a directory as output:\n{result.stderr}")
    if os.geteuid() != 0:  # root writes into a read-only directory anyway
        os.mkdir(context.path("read_only"))
        os.chmod(context.path("read_only"), 0o555)
        failing(2, good, "Permission denied", output=context.path("read_only/out.safetensors"))

    # One rank fails: its message, whichever rank it is; an existing file is untouched.
    existing = context.path("existing.safetensors")
    with open(existing, "wb") as f:
        f.write(b"old content")
    # (strict: the temporary file must be gone. A rank killed by a signal is
    # the exception when it is not rank 0: the others remove the temporary name
    # in their handler of the SIGTERM mpirun sends them, but mpirun follows it
    # with SIGKILL a second later, which a rank starved of CPU for that long
    # on a loaded machine never sees coming; only the final name is checked.)
    for ranks, hook, needle, strict in ((3, "1:plan", "rank 1: injected failure at stage 'plan'", True),
                                        (3, "2:fill", "rank 2: injected failure at stage 'fill'", True),
                                        (4, "3:oom", "rank 3: out of memory", True),
                                        (2, "0:fill", "rank 0: injected failure at stage 'fill'", True),
                                        # killed in the middle of the write
                                        (3, "0:sigterm", "", True),
                                        (3, "2:sigterm", "", False)):
        result = context.mpi(ranks, "init", good, "-o", existing, "--threads", "1", "--batch-bytes", "512",
                             expect="nonzero", env={"NNINIT_MPI_TEST_FAIL": hook})
        context.check(needle in result.stderr, f"{hook}: expected {needle!r} in stderr, got:\n{result.stderr}")
        context.check(open(existing, "rb").read() == b"old content", f"{hook}: the existing file was changed")
        left = [n for n in os.listdir(context.workdir) if ".tmp" in n]
        context.check(not (strict and left), f"{hook}: temporary files left: {left}")
        for name in left:
            os.remove(context.path(name))

    # Negative control: the same job without the planted failure succeeds and replaces the file.
    context.mpi(3, "init", good, "-o", existing, "--threads", "1", "--batch-bytes", "512", "-q")
    context.check(open(existing, "rb").read() != b"old content", "negative control: the file was not replaced")
    context.done()


if __name__ == "__main__":
    main()
