"""The structured initializers through `nninit fill --init`: torch.orthogonal,
keras.orthogonal, jax.orthogonal (orthonormal rows or columns times the gain,
in each framework's flattening), torch.eye, keras.identity, torch.dirac,
jax.delta_orthogonal (exact structure) and torch.sparse (exact zero count per
column); slices equal the whole fill, every dtype; shapes and parameters the
frameworks reject are errors naming them, with no file written; `nninit
validate --init torch.orthogonal` accepts the fill (cli.validate_structured
tests the structured checks themselves)."""
import math
import os

import numpy as np

from cli_test_support import Context, bfloat16_to_float32

context = Context(__doc__)
counter = [0]


def fill(name, shape, *extra):
    counter[0] += 1
    return context.fill(f"{counter[0]}.npy", "--init", name, "--shape", shape, "--seed", "11",
                        "--stream", f"structured.{counter[0]}", *extra).astype(np.float64)


def check_orthonormal(label, matrix, gain, tolerance=1e-5):
    """Rows orthonormal (rows <= cols) or columns (rows >= cols), times gain."""
    rows, cols = matrix.shape
    gram = matrix @ matrix.T if rows <= cols else matrix.T @ matrix
    error = np.abs(gram - gain * gain * np.eye(min(rows, cols))).max()
    context.check(error < tolerance * max(1.0, gain * gain), f"{label}: max |gram - gain^2 I| = {error}")


# --- orthogonal, three conventions -----------------------------------------
for shape in ["3,4", "4,3", "20,2,3,4", "2,3,4,5", "64,64"]:
    dims = [int(d) for d in shape.split(",")]
    v = fill("torch.orthogonal", shape)  # rows = shape[0], cols = the rest
    context.check(list(v.shape) == dims, f"torch.orthogonal {shape}: shape {v.shape}")
    check_orthonormal(f"torch.orthogonal {shape}", v.reshape(dims[0], -1), 1.0)
    v = fill("keras.orthogonal", shape)  # rows = shape[:-1], cols = shape[-1]
    check_orthonormal(f"keras.orthogonal {shape}", v.reshape(-1, dims[-1]), 1.0)
    v = fill("jax.orthogonal", shape, "--param", "column_axis=0")  # cols = shape[0]
    check_orthonormal(f"jax.orthogonal column_axis=0 {shape}", np.moveaxis(v, 0, -1).reshape(-1, dims[0]), 1.0)
check_orthonormal("torch.orthogonal gain 2", fill("torch.orthogonal", "8,5", "--param", "gain=2"), 2.0)
check_orthonormal("keras.Orthogonal gain 0.5", fill("keras.Orthogonal", "5,8", "--param", "gain=0.5"), 0.5)
check_orthonormal("jax.orthogonal scale 3", fill("jax.orthogonal", "6,6", "--param", "scale=3"), 3.0)
# The two flattenings differ: [2, 3, 4] is 2 x 12 for PyTorch, 6 x 4 for Keras.
v = fill("torch.orthogonal", "2,3,4")
check_orthonormal("torch.orthogonal [2, 3, 4] as 2 x 12", v.reshape(2, 12), 1.0)
gram = v.reshape(6, 4).T @ v.reshape(6, 4)
context.check(np.abs(gram - np.eye(4)).max() > 0.1, "torch.orthogonal [2, 3, 4] is orthonormal as 6 x 4 too")
# float64 is orthonormal to double precision; bfloat16 to its rounding.
check_orthonormal("torch.orthogonal f64", fill("torch.orthogonal", "16,16", "--dtype", "f64"), 1.0, 1e-12)
bits = context.fill("bf16.npy", "--init", "torch.orthogonal", "--shape", "16,16", "--dtype", "bf16")
check_orthonormal("torch.orthogonal bf16", bfloat16_to_float32(bits).astype(np.float64), 1.0, 0.05)

# --- eye, identity, dirac, delta_orthogonal: exact structure ----------------
context.check(np.array_equal(fill("torch.eye", "3,5"), np.eye(3, 5)), "torch.eye 3 x 5")
context.check(np.array_equal(fill("torch.eye", "5,3"), np.eye(5, 3)), "torch.eye 5 x 3")
context.check(np.array_equal(fill("keras.Identity", "4,4", "--param", "gain=2.5"), 2.5 * np.eye(4)),
              "keras.Identity gain 2.5")
context.check(np.array_equal(fill("keras.identity", "2,6"), np.eye(2, 6)), "keras.identity 2 x 6")


def dirac_expected(shape, groups):
    w = np.zeros(shape)
    out_per_group = shape[0] // groups
    for g in range(groups):
        for d in range(min(out_per_group, shape[1])):
            w[(g * out_per_group + d, d) + tuple(k // 2 for k in shape[2:])] = 1
    return w


for shape, groups in [((4, 3, 3), 1), ((6, 3, 4), 2), ((8, 2, 3, 3), 4), ((4, 4, 2, 2, 2), 1), ((3, 5, 5, 1), 3)]:
    v = fill("torch.dirac", ",".join(map(str, shape)), "--param", f"groups={groups}")
    context.check(np.array_equal(v, dirac_expected(shape, groups)), f"torch.dirac {shape} groups {groups}")

for shape in [(3, 4, 4), (4, 4, 3, 5), (2, 3, 2, 4, 6)]:  # [k..., in, out], JAX's centre (k - 1) // 2
    v = fill("jax.delta_orthogonal", ",".join(map(str, shape)))
    centre = tuple((k - 1) // 2 for k in shape[:-2])
    block = v[centre]
    check_orthonormal(f"jax.delta_orthogonal {shape} centre", block, 1.0)
    rest = v.copy()
    rest[centre] = 0
    context.check(np.all(rest == 0), f"jax.delta_orthogonal {shape}: non-zero outside the centre {centre}")
v = fill("jax.delta_orthogonal", "3,3,4", "--param", "scale=2")
check_orthonormal("jax.delta_orthogonal scale 2", v[1], 2.0)

# --- sparse: exactly ceil(sparsity * rows) zeros in every column ------------
for rows, cols, sparsity in [(10, 7, 0.25), (100, 30, 0.9), (5, 3, 0.0), (6, 4, 1.0)]:
    v = fill("torch.sparse", f"{rows},{cols}", "--param", f"sparsity={sparsity}", "std=0.5")
    zeros = math.ceil(sparsity * rows)
    per_column = (v == 0).sum(axis=0)
    context.check(np.all(per_column == zeros), f"torch.sparse {rows}x{cols} {sparsity}: zeros {per_column}, want {zeros}")
v = fill("torch.sparse", "2000,50", "--param", "sparsity=0.1")  # std defaults to 0.01
context.check(abs(v[v != 0].std() / 0.01 - 1) < 0.02, f"torch.sparse default std: {v[v != 0].std()}")

# --- slices: equal to that part of the whole fill ---------------------------
for name, shape, extra in [("torch.orthogonal", "6,10", []), ("torch.sparse", "12,9", ["--param", "sparsity=0.5"]),
                           ("torch.dirac", "4,4,3", []), ("jax.delta_orthogonal", "3,2,5", [])]:
    arguments = ["--init", name, "--shape", shape, "--seed", "3", "--stream", "slice", *extra]
    whole = context.fill("whole.npy", *arguments).reshape(-1)
    part = context.fill("part.npy", *arguments, "--offset", "7", "--count", "20")
    context.check(part.tobytes() == whole[7:27].tobytes(), f"{name}: slice [7, 27) differs from the whole fill")
    tail = context.fill("tail.npy", *arguments, "--offset", "25")
    context.check(tail.tobytes() == whole[25:].tobytes(), f"{name}: slice [25, end) differs from the whole fill")

# Threads never change a bit.
one = context.fill("t1.npy", "--init", "torch.orthogonal", "--shape", "300,200", "--threads", "1")
two = context.fill("t2.npy", "--init", "torch.orthogonal", "--shape", "300,200", "--threads", "2")
context.check(one.tobytes() == two.tobytes(), "torch.orthogonal differs between 1 and 2 threads")

# --- errors: named, nothing written -----------------------------------------
out = context.path("bad.npy")
cases = [
    (["--init", "torch.orthogonal", "--shape", "8"], "shape"),  # fewer than 2 dimensions
    (["--init", "keras.orthogonal", "--shape", "8"], "shape"),
    (["--init", "jax.orthogonal", "--shape", "4,4", "--param", "column_axis=2"], "column_axis"),
    (["--init", "torch.orthogonal", "--shape", "4,4", "--param", "gain=nan"], "gain"),
    (["--init", "torch.eye", "--shape", "2,3,4"], "shape"),
    (["--init", "keras.identity", "--shape", "9"], "shape"),
    (["--init", "torch.dirac", "--shape", "4,4"], "shape"),  # 2-D
    (["--init", "torch.dirac", "--shape", "4,4,3,3,3,3"], "shape"),  # 6-D
    (["--init", "torch.dirac", "--shape", "4,3,3", "--param", "groups=3"], "groups (3)"),
    (["--init", "torch.dirac", "--shape", "4,3,3", "--param", "groups=0"], "groups"),
    (["--init", "torch.dirac", "--shape", "4,3,3", "--param", "groups=99999999999"], "groups"),
    (["--init", "jax.delta_orthogonal", "--shape", "3,3,4,2"], "(2)"),  # out < in
    (["--init", "jax.delta_orthogonal", "--shape", "4,4"], "shape"),
    (["--init", "torch.sparse", "--shape", "4,4"], "sparsity"),  # required
    (["--init", "torch.sparse", "--shape", "4,4", "--param", "sparsity=1.5"], "sparsity (1.5)"),
    (["--init", "torch.sparse", "--shape", "4,4", "--param", "sparsity=-0.1"], "sparsity (-0.1)"),
    (["--init", "torch.sparse", "--shape", "4,4", "--param", "sparsity=0.5", "std=-1"], "std (-1)"),
    (["--init", "torch.sparse", "--shape", "4,4,4", "--param", "sparsity=0.5"], "shape"),
    (["--init", "torch.orthogonal", "--shape", "4,4", "--layout", "keras"], "--layout"),
    (["--init", "torch.eye", "--shape", "4,4", "--param", "gain=2"], "gain"),
]
for arguments, needle in cases:
    result = context.run("fill", *arguments, "-o", out, expect=2)
    context.check(needle in result.stderr, f"{' '.join(arguments)}: message {result.stderr!r} lacks {needle!r}")
    context.check(result.stderr.startswith("nninit fill: "), f"message {result.stderr!r}")
    context.check(not os.path.exists(out), f"{' '.join(arguments)}: left {out}")

# A failing structured fill leaves an existing output file as it was.
with open(out, "wb") as f:
    f.write(b"keep me")
context.run("fill", "--init", "torch.dirac", "--shape", "4,4", "-o", out, expect=2)
with open(out, "rb") as f:
    context.check(f.read() == b"keep me", "a failing torch.dirac changed the existing output file")
os.remove(out)

# nninit validate checks a structured fill against its initializer.
path = context.path("ortho.npy")
context.run("fill", "--init", "torch.orthogonal", "--shape", "64,64", "-o", path)
result = context.run("validate", path, "--init", "torch.orthogonal", expect=0)
context.check("PASS" in result.stdout, f"validate --init torch.orthogonal: {result.stdout!r}")

# The report names the structured initializer and its parameters.
report = context.run("fill", "--init", "torch.dirac", "--shape", "4,2,3", "--param", "groups=2", "-o",
                     context.path("report.npy")).stdout
context.check("torch.dirac = dirac(groups=2)" in report, f"report {report!r}")
context.done()
