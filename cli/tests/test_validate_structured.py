"""nninit validate --init for the structured initializers: every one passes on
`nninit fill`'s output, and defective tensors (negative controls) fail with
the check that should see them; bad combinations exit 2 naming the argument."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context  # noqa: E402

context = Context(__doc__)


def validate(path, *arguments, expect=0):
    return context.run("validate", path, "--json", "--no-progress", *arguments, expect=expect)


def report(path, *arguments, expect=0):
    return json.loads(validate(path, *arguments, expect=expect).stdout)


def failed_tests(result):
    return sorted(t["name"] for t in result["tests"] if t["verdict"] == "fail")


def fill(name, init, shape, *parameters, dtype="f32", seed=3):
    """`nninit fill` of a structured initializer; returns the path."""
    arguments = ["--init", init, "--shape", shape, "--dtype", dtype, "--seed", seed]
    for p in parameters:
        arguments += ["--param", p]
    context.fill(name, *arguments)
    return context.path(name)


def params(*pairs):
    out = []
    for p in pairs:
        out += ["--param", p]
    return out


# --- every structured initializer passes on nninit's own output -------------
cases = [
    ("torch.orthogonal", "64,64", ["gain=1"], "f32"),
    ("torch.orthogonal", "256,64,3,3", ["gain=1.4142135623730951"], "f32"),
    ("torch.orthogonal", "48,128,3", ["gain=0.5"], "f64"),
    ("torch.orthogonal", "300,40", [], "bf16"),
    ("keras.Orthogonal", "3,3,64,128", ["gain=2"], "f32"),
    ("jax.orthogonal", "3,3,64,256", ["scale=2", "column_axis=-2"], "f16"),
    ("torch.sparse", "1024,256", ["sparsity=0.9", "std=0.01"], "f32"),
    ("torch.sparse", "300,1000", ["sparsity=0.1", "std=0.02"], "f16"),
    ("torch.eye", "3,5", [], "f32"),
    ("torch.eye", "64,48", [], "bf16"),
    ("keras.Identity", "7,7", ["gain=0.1"], "f16"),
    ("torch.dirac", "64,32,3,3", ["groups=2"], "f32"),
    ("torch.dirac", "8,4,2,2,2", [], "f64"),
    ("jax.delta_orthogonal", "3,3,64,128", ["scale=2"], "bf16"),
    ("jax.delta_orthogonal", "4,16,32", [], "f32"),
]
for i, (init, shape, parameters, dtype) in enumerate(cases):
    path = fill(f"pass{i}.npy", init, shape, *parameters, dtype=dtype, seed=10 + i)
    result = report(path, "--init", init, *params(*parameters))
    context.check(result["verdict"] == "PASS" and result["failed"] == 0,
                  f"{init} {shape} {parameters} {dtype}: {failed_tests(result)}")
    names = [t["name"] for t in result["tests"]]
    if "orthogonal" in init and "delta" not in init:
        context.check(any(n.startswith("orthogonality") for n in names) and
                      "haar_entry:kolmogorov_smirnov(u)" in names and "haar_diagonal(sum)" in names,
                      f"{init}: the orthogonal checks ran: {names}")
    if init == "torch.sparse":
        context.check("sparse(zeros per column)" in names and "nonzero:kolmogorov_smirnov" in names,
                      f"sparse checks ran: {names}")
    if "delta" in init:
        context.check(any("centre block" in n for n in names), f"delta-orthogonal centre block: {names}")

# The text report says what was checked and the verdict.
text = context.run("validate", context.path("pass0.npy"), "--init", "torch.orthogonal", "--no-progress").stdout
context.check("orthogonality(max |Q^T Q - gain^2 I|)" in text and "verdict: PASS" in text
              and "allowance" in text, f"text report:\n{text}")

# --- negative controls ------------------------------------------------------
rng = np.random.default_rng(20261202)

# A normal matrix with the entries' variance of an orthogonal one.
np.save(context.path("normal.npy"), (rng.standard_normal((256, 256)) / 16.0).astype(np.float32))
result = report(context.path("normal.npy"), "--init", "torch.orthogonal", expect=1)
context.check("orthogonality(max |Q^T Q - gain^2 I|)" in failed_tests(result), f"normal matrix: {failed_tests(result)}")

# An orthogonal matrix 1% too large (nninit's own, gain 1.01, checked as gain 1).
path = fill("gain101.npy", "torch.orthogonal", "128,128", "gain=1.01")
result = report(path, "--init", "torch.orthogonal", expect=1)
context.check(failed_tests(result) == ["orthogonality(max |Q^T Q - gain^2 I|)"], f"gain 1.01: {failed_tests(result)}")
# The same file written again by numpy (no nninit marker: the foreign-QR allowance applies) still fails.
np.save(context.path("gain101_numpy.npy"), np.load(path))
result = report(context.path("gain101_numpy.npy"), "--init", "torch.orthogonal", expect=1)
context.check("orthogonality(max |Q^T Q - gain^2 I|)" in failed_tests(result), "gain 1.01 as a foreign file")

# Two rows swapped: still orthogonal and Haar (passes); a row duplicated over another: fails.
q = np.load(fill("square.npy", "torch.orthogonal", "512,512"))
swapped = q.copy()
swapped[[3, 7]] = swapped[[7, 3]]
np.save(context.path("swapped.npy"), swapped)
result = report(context.path("swapped.npy"), "--init", "torch.orthogonal")
context.check(result["verdict"] == "PASS", f"swapped rows pass: {failed_tests(result)}")
duplicated = q.copy()
duplicated[7] = duplicated[3]
np.save(context.path("duplicated.npy"), duplicated)
result = report(context.path("duplicated.npy"), "--init", "torch.orthogonal", expect=1)
context.check("orthogonality(max |Q^T Q - gain^2 I|)" in failed_tests(result), f"duplicated row: {failed_tests(result)}")
# A tall 1024 x 256 matrix with a duplicated row (the change to Q^T Q is only ~1/m per entry).
tall = np.load(fill("tall.npy", "torch.orthogonal", "1024,256")).copy()
tall[5] = tall[900]
np.save(context.path("tall_duplicated.npy"), tall)
result = report(context.path("tall_duplicated.npy"), "--init", "torch.orthogonal", expect=1)
context.check("orthogonality(max |Q^T Q - gain^2 I|)" in failed_tests(result), f"tall duplicated: {failed_tests(result)}")

# Q of a Householder QR without the sign(diag R) correction (numpy's LAPACK
# QR): orthogonal, but not Haar; its diagonal leans negative. The diagonal-sum
# test sees it from 256 x 256 on (z about -8 there, -12 at 512, -17 at 1024; about -5 at 128).
for n in (256, 512):
    a = rng.standard_normal((n, n))
    q_plain, _ = np.linalg.qr(a)
    np.save(context.path(f"no_sign_{n}.npy"), q_plain.astype(np.float32))
    result = report(context.path(f"no_sign_{n}.npy"), "--init", "torch.orthogonal", expect=1)
    context.check(failed_tests(result) == ["haar_diagonal(sum)"], f"no sign correction {n}: {failed_tests(result)}")
    # With the correction the same draw passes.
    q_haar, r = np.linalg.qr(a)
    q_haar = q_haar * np.sign(np.diag(r))
    np.save(context.path(f"sign_{n}.npy"), q_haar.astype(np.float32))
    result = report(context.path(f"sign_{n}.npy"), "--init", "torch.orthogonal")
    context.check(result["verdict"] == "PASS", f"sign-corrected numpy QR {n}: {failed_tests(result)}")

# A Keras-convention conv kernel checked in PyTorch's convention: the wrong matrix.
path = fill("keras_conv.npy", "keras.Orthogonal", "3,3,64,128")
result = report(path, "--init", "torch.orthogonal", expect=1)
context.check(any(n.startswith("orthogonality") for n in failed_tests(result)), "keras kernel as torch")

# Sparse: one zero too many or too few per column; the zeros in fixed rows.
path = fill("sparse.npy", "torch.sparse", "1024,256", "sparsity=0.9")
result = report(path, "--init", "torch.sparse", "--param", "sparsity=0.901", expect=1)  # ceil(922.6) = 923
context.check(failed_tests(result) == ["sparse(zeros per column)"], f"sparse 923: {failed_tests(result)}")
result = report(path, "--init", "torch.sparse", "--param", "sparsity=0.899", expect=1)  # ceil(920.6) = 921
# (float32 can round a draw to zero, so more zeros than 921 is judged by the excess-zero test)
context.check(failed_tests(result) == ["sparse(excess zeros)"], f"sparse 921: {failed_tests(result)}")
w = (rng.standard_normal((300, 1000)) * 0.01).astype(np.float32)
w[:30] = 0.0
np.save(context.path("fixed_rows.npy"), w)
result = report(context.path("fixed_rows.npy"), "--init", "torch.sparse", "--param", "sparsity=0.1", expect=1)
context.check(failed_tests(result) == ["sparse(zero rows uniform)"], f"fixed rows: {failed_tests(result)}")
# The non-zeros with the wrong std.
result = report(path, "--init", "torch.sparse", "--param", "sparsity=0.9", "--param", "std=0.0105", expect=1)
context.check(any(n.startswith("nonzero:") for n in failed_tests(result)), f"sparse std: {failed_tests(result)}")

# Eye with one extra one; identity of the wrong gain; dirac with the groups ignored.
eye = np.load(fill("eye.npy", "torch.eye", "16,16")).copy()
eye[0, 1] = 1.0
np.save(context.path("eye_bad.npy"), eye)
result = report(context.path("eye_bad.npy"), "--init", "torch.eye", expect=1)
context.check(failed_tests(result) == ["structure(eye)"], f"eye: {failed_tests(result)}")
path = fill("identity.npy", "keras.Identity", "8,8", "gain=0.5")
result = report(path, "--init", "keras.Identity", "--param", "gain=0.25", expect=1)
context.check(failed_tests(result) == ["structure(eye)"], f"identity gain: {failed_tests(result)}")
path = fill("dirac1.npy", "torch.dirac", "8,4,2,2,2")
result = report(path, "--init", "torch.dirac", "--param", "groups=2", expect=1)
context.check(failed_tests(result) == ["structure(dirac)"], f"dirac groups: {failed_tests(result)}")
# Delta-orthogonal: scale 1% off; the block at PyTorch's centre k // 2 of a 4x4 kernel.
path = fill("delta.npy", "jax.delta_orthogonal", "3,3,64,128", "scale=2.02")
result = report(path, "--init", "jax.delta_orthogonal", "--param", "scale=2", expect=1)
context.check(any("centre block" in n for n in failed_tests(result)), f"delta scale: {failed_tests(result)}")
d = np.load(fill("delta4.npy", "jax.delta_orthogonal", "4,4,16,16")).copy()
d[2, 2], d[1, 1] = d[1, 1].copy(), 0.0
np.save(context.path("delta_moved.npy"), d)
result = report(context.path("delta_moved.npy"), "--init", "jax.delta_orthogonal", expect=1)
context.check("structure(delta_orthogonal zeros)" in failed_tests(result), f"delta moved: {failed_tests(result)}")

# --- bad combinations: exit 2, naming the argument --------------------------
path = context.path("pass0.npy")
for arguments, needle in [
    (["--init", "torch.orthogonal", "--shape", "4096"], "--shape"),
    (["--init", "torch.orthogonal", "--dist", "normal", "--std", "1"], "--dist"),
    (["--init", "torch.orthogonal", "--max-values", "100"], "--max-values"),
    (["--init", "torch.orthogonal", "--bounds", "nearest"], "--bounds"),
    (["--init", "torch.orthogonal", "--layout", "keras"], "--layout"),
    (["--init", "torch.orthogonal", "--shape", "32,32"], "--shape"),
    (["--init", "torch.dirac"], "dirac"),
    (["--init", "torch.eye", "--shape", "8,8,64"], "eye"),
    (["--init", "torch.sparse", "--param", "sparsity=1.5"], "sparsity"),
    (["--init", "jax.delta_orthogonal", "--shape", "4,4,16,16,1"], "delta_orthogonal"),
    (["--init", "torch.orthogonal", "--param", "gian=2"], "gian"),
]:
    result = validate(path, *arguments, expect=2)
    context.check(needle in result.stderr and result.stdout == "", f"{arguments}: stderr {result.stderr!r}")

context.done()
