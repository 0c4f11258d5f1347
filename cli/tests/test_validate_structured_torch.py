"""nninit validate --init on PyTorch's own structured initializers:
torch.nn.init.orthogonal_ (float32 and float64, 2-D to 4-D, 64x64 to
1024x1024), sparse_, eye_ and dirac_, saved with numpy, pass; the same
orthogonal output scaled by 1.01 fails. Skipped (exit 77) without PyTorch."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context, import_torch_or_skip  # noqa: E402

torch = import_torch_or_skip()
context = Context(__doc__)
torch.manual_seed(20261202)


def report(path, *arguments, expect=0):
    result = context.run("validate", path, "--json", "--no-progress", *arguments, expect=expect)
    return json.loads(result.stdout)


def failed(result):
    return [t["name"] for t in result["tests"] if t["verdict"] == "fail"]


def save(name, tensor):
    path = context.path(name)
    np.save(path, tensor.detach().numpy())
    return path


def made(shape, initializer, dtype=torch.float32):
    t = torch.empty(*shape, dtype=dtype)
    initializer(t)
    return t


# orthogonal_: PyTorch's float32 QR error is inside the allowance at every size.
largest_ratio = 0.0
for shape, gain, dtype in [((64, 64), 1.0, torch.float32), ((256, 256), 1.0, torch.float32),
                           ((1024, 1024), 1.0, torch.float32), ((300, 100), 2.0, torch.float32),
                           ((100, 300), 0.5, torch.float32), ((256, 64, 3, 3), 2 ** 0.5, torch.float32),
                           ((64, 32, 3, 3), 1.0, torch.float32), ((128, 64, 3), 1.0, torch.float32),
                           ((512, 512), 1.0, torch.float64), ((2, 2), 1.0, torch.float32)]:
    w = made(shape, lambda t: torch.nn.init.orthogonal_(t, gain=gain), dtype)
    path = save(f"orthogonal_{'x'.join(map(str, shape))}_{str(dtype)[6:]}.npy", w)
    result = report(path, "--init", "torch.orthogonal", "--param", f"gain={gain!r}")
    context.check(result["verdict"] == "PASS", f"orthogonal_ {shape} {dtype}: {failed(result)}")
    ortho = next(t for t in result["tests"] if t["name"].startswith("orthogonality"))
    largest_ratio = max(largest_ratio, ortho["measured"] / ortho["ci_high"])
    if shape == (1024, 1024):
        # Scaled by 1.01: no longer orthogonal times the gain.
        path = save("orthogonal_scaled.npy", w * 1.01)
        result = report(path, "--init", "torch.orthogonal", expect=1)
        context.check("orthogonality(max |Q^T Q - gain^2 I|)" in failed(result), f"scaled: {failed(result)}")
print(f"largest measured deviation / allowance over the orthogonal_ cases: {largest_ratio:.3f}")

# sparse_: exact zero counts, uniform rows, normal non-zeros.
path = save("sparse.npy", made((1024, 256), lambda t: torch.nn.init.sparse_(t, sparsity=0.9, std=0.01)))
result = report(path, "--init", "torch.sparse", "--param", "sparsity=0.9", "--param", "std=0.01")
context.check(result["verdict"] == "PASS", f"sparse_: {failed(result)}")
result = report(path, "--init", "torch.sparse", "--param", "sparsity=0.91", expect=1)
context.check("sparse(zeros per column)" in failed(result), f"sparse_ as 0.91: {failed(result)}")

# eye_ and dirac_: exact structure.
path = save("eye.npy", made((48, 64), torch.nn.init.eye_))
context.check(report(path, "--init", "torch.eye")["verdict"] == "PASS", "eye_")
path = save("dirac.npy", made((64, 32, 3, 3), lambda t: torch.nn.init.dirac_(t, groups=2)))
context.check(report(path, "--init", "torch.dirac", "--param", "groups=2")["verdict"] == "PASS", "dirac_ groups 2")
result = report(path, "--init", "torch.dirac", expect=1)
context.check(failed(result) == ["structure(dirac)"], f"dirac_ groups 2 as groups 1: {failed(result)}")
path = save("dirac5.npy", made((8, 4, 3, 3, 3), torch.nn.init.dirac_))
context.check(report(path, "--init", "torch.dirac")["verdict"] == "PASS", "dirac_ 5-D")

context.done()
