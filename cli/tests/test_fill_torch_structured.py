"""The deterministic structured initializers of `nninit fill` equal PyTorch's
bit for bit: torch.eye = torch.nn.init.eye_, torch.dirac(groups) =
torch.nn.init.dirac_, torch.constant/zeros/ones = constant_/zeros_/ones_, in
float32 and float64. For the random ones, the parts that do not depend on the
draws: torch.sparse has the zero count of sparse_ in every column, and
torch.orthogonal the orthonormality PyTorch's own test checks (atol 1e-6 for
[3,4], [4,3], [20,2,3,4], [2,3,4,5]). Needs python3-torch; without it the test
exits 77, which ctest reports as skipped."""
import sys

import numpy as np

from cli_test_support import Context, import_torch_or_skip

torch = import_torch_or_skip()

context = Context(__doc__)
torch.manual_seed(0)


def nninit(name, shape, dtype, *extra):
    path = f"{name}_{'x'.join(map(str, shape))}_{dtype}.npy"
    return context.fill(path, "--init", name, "--shape", ",".join(map(str, shape)), "--dtype", dtype, *extra)


def check_equal(label, ours, theirs):
    context.check(ours.dtype == theirs.dtype and ours.shape == theirs.shape,
                  f"{label}: {ours.dtype} {ours.shape} vs PyTorch's {theirs.dtype} {theirs.shape}")
    context.check(ours.tobytes() == theirs.tobytes(),
                  f"{label}: differs from PyTorch at {np.argwhere(ours != theirs)[:5].tolist()}")


for dtype, torch_dtype in [("f32", torch.float32), ("f64", torch.float64)]:
    for shape in [(3, 5), (5, 3), (4, 4), (1, 7)]:
        theirs = torch.nn.init.eye_(torch.empty(shape, dtype=torch_dtype)).numpy()
        check_equal(f"eye {shape} {dtype}", nninit("torch.eye", shape, dtype), theirs)
    for shape, groups in [((4, 3, 3), 1), ((6, 3, 4), 2), ((8, 2, 3, 3), 4), ((4, 4, 2, 2, 2), 1),
                          ((3, 5, 5, 1), 3), ((16, 4, 3, 3), 2), ((2, 6, 4, 4), 1)]:
        theirs = torch.nn.init.dirac_(torch.empty(shape, dtype=torch_dtype), groups=groups).numpy()
        check_equal(f"dirac {shape} groups {groups} {dtype}",
                    nninit("torch.dirac", shape, dtype, "--param", f"groups={groups}"), theirs)
    theirs = torch.nn.init.constant_(torch.empty((3, 4), dtype=torch_dtype), 0.3).numpy()
    check_equal(f"constant_ 0.3 {dtype}", nninit("torch.constant", (3, 4), dtype, "--param", "val=0.3"), theirs)
    theirs = torch.nn.init.zeros_(torch.empty((3, 4), dtype=torch_dtype)).numpy()
    check_equal(f"zeros_ {dtype}", nninit("torch.zeros", (3, 4), dtype), theirs)
    theirs = torch.nn.init.ones_(torch.empty((3, 4), dtype=torch_dtype)).numpy()
    check_equal(f"ones_ {dtype}", nninit("torch.ones", (3, 4), dtype), theirs)

# sparse_: the same number of zeros in every column as PyTorch's.
for rows, cols, sparsity in [(10, 7, 0.25), (33, 5, 0.9), (7, 3, 0.5)]:
    theirs = torch.nn.init.sparse_(torch.empty(rows, cols), sparsity).numpy()
    ours = nninit("torch.sparse", (rows, cols), "f32", "--param", f"sparsity={sparsity}")
    context.check(np.array_equal((ours == 0).sum(axis=0), (theirs == 0).sum(axis=0)),
                  f"sparse {rows}x{cols} {sparsity}: zeros per column {(ours == 0).sum(axis=0)} vs PyTorch's "
                  f"{(theirs == 0).sum(axis=0)}")

# orthogonal_: PyTorch's own check (test_nn.py: QᵀQ = gain² I, atol 1e-6), on our output.
for shape in [(3, 4), (4, 3), (20, 2, 3, 4), (2, 3, 4, 5)]:
    for gain in [1.0, 1.5]:
        ours = torch.from_numpy(nninit("torch.orthogonal", shape, "f32", "--param", f"gain={gain}"))
        flat = ours.view(shape[0], -1)
        rows, cols = flat.shape
        product = flat @ flat.t() if rows <= cols else flat.t() @ flat
        expected = torch.eye(min(rows, cols)) * gain ** 2
        context.check(torch.allclose(product, expected, atol=1e-6),
                      f"orthogonal {shape} gain {gain}: max error {(product - expected).abs().max().item()}")

context.done()
