"""`nninit stats FILE.npy` prints count, mean, std (divisor n - 1), min and
max equal to numpy's, for every dtype it reads, for files written by the CLI
and by numpy (including NaNs, Fortran order, .npy format 2.0), also as JSON."""
import json
import math

import numpy as np

from cli_test_support import Context, float32_to_bfloat16_bits

context = Context(__doc__)


def parse(text):
    values = {}
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        values[key] = value.strip()
    return values


def close(a, b, relative=1e-12):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)


def check_stats(path, values, descr, shape):
    """`nninit stats path` against numpy on `values` (as float64)."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    finite = values[np.isfinite(values)]
    printed = parse(context.run("stats", path).stdout)
    context.check(printed["file"] == path, f"{path}: file {printed.get('file')}")
    context.check(f"'{descr}'" in printed["dtype"], f"{path}: dtype {printed['dtype']}, expected {descr}")
    context.check(printed["shape"].startswith(str(tuple(shape))), f"{path}: shape {printed['shape']} vs {shape}")
    context.check(int(printed["count"]) == values.size, f"{path}: count {printed['count']} vs {values.size}")
    context.check(int(printed["nonfinite"]) == values.size - finite.size, f"{path}: nonfinite {printed['nonfinite']}")
    expected = {
        "mean": finite.mean() if finite.size else math.nan,
        "std": finite.std(ddof=1) if finite.size > 1 else math.nan,
        "min": finite.min() if finite.size else math.nan,
        "max": finite.max() if finite.size else math.nan,
    }
    for key, value in expected.items():
        got = float(printed[key])
        exact = key in ("min", "max")
        context.check(got == value or (math.isnan(got) and math.isnan(value)) if exact else close(got, value, 1e-10),
                      f"{path}: {key} {got!r}, numpy says {value!r}")
    as_json = json.loads(context.run("stats", path, "--json").stdout)
    context.check(as_json["count"] == values.size and as_json["shape"] == list(shape) and as_json["descr"] == descr,
                  f"{path}: --json {as_json}")
    for key, value in expected.items():
        got = as_json[key]
        context.check((got is None and math.isnan(value)) or (got is not None and close(got, value, 1e-10)),
                      f"{path}: --json {key} {got!r}, numpy says {value!r}")


# Files written by the CLI, one per dtype.
common = ["--init", "normal", "--param", "mean=-0.3", "std=0.02", "--shape", "513,77", "--stream", "stats"]
for dtype, descr in [("f32", "<f4"), ("f64", "<f8"), ("f16", "<f2")]:
    path = context.path(f"cli_{dtype}.npy")
    context.run("fill", *common, "--dtype", dtype, "-o", path)
    check_stats(path, np.load(path), descr, (513, 77))
path = context.path("cli_bf16.npy")
context.run("fill", *common, "--dtype", "bf16", "-o", path)
bits = np.load(path)
check_stats(path, (bits.astype(np.uint32) << 16).view(np.float32), "<u2", (513, 77))

# Files written by numpy: another framework's tensors.
rng = np.random.default_rng(11)
samples = {
    "np_f64.npy": rng.uniform(-5, 7, size=(100, 30)),
    "np_f32.npy": rng.standard_normal(size=(4, 5, 6)).astype(np.float32) * 3 + 1,
    "np_f16.npy": rng.standard_normal(size=1000).astype(np.float16),
    "np_scalar.npy": np.array(2.5, dtype=np.float32),
    "np_single.npy": np.array([4.0], dtype=np.float64),
    "np_empty.npy": np.zeros((0, 3), dtype=np.float32),
}
for name, array in samples.items():
    path = context.path(name)
    np.save(path, array)
    check_stats(path, array, array.dtype.str, array.shape)

# NaN and infinity are counted, not averaged.
with_nan = rng.standard_normal(size=200)
with_nan[[3, 50]] = np.nan
with_nan[7] = np.inf
path = context.path("np_nan.npy")
np.save(path, with_nan)
check_stats(path, with_nan, "<f8", (200,))

# bfloat16 bits made by numpy, Fortran order, and format version 2.0.
values = rng.standard_normal(size=(64, 3)).astype(np.float32)
path = context.path("np_bf16.npy")
np.save(path, float32_to_bfloat16_bits(values))
check_stats(path, (float32_to_bfloat16_bits(values).astype(np.uint32) << 16).view(np.float32), "<u2", (64, 3))
fortran = np.asfortranarray(rng.standard_normal(size=(20, 30)))
path = context.path("np_fortran.npy")
np.save(path, fortran)
check_stats(path, fortran, "<f8", (20, 30))
context.check("Fortran" in context.run("stats", path).stdout, "Fortran order not reported")
path = context.path("np_v2.npy")
with open(path, "wb") as f:
    array = rng.standard_normal(size=77)
    np.lib.format.write_array(f, array, version=(2, 0))
check_stats(path, array, "<f8", (77,))
context.done()
