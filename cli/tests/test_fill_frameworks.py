"""The element-wise initializers under the frameworks' own names and defaults
(torch.uniform, keras.RandomNormal, jax.truncated_normal, jax.variance_scaling
with fan_geo_avg and axis lists, JAX's xavier_/kaiming_ names, Keras's class
names) through `nninit fill --init`, each checked against the framework's
formula computed here in Python; keras.* and jax.* read the shape in the Keras
layout unless --layout says otherwise; unprefixed names the frameworks
disagree on are errors listing the candidates; bad parameters are errors
naming the parameter and value, with no file written."""
import math
import os

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
CORRECTION = 0.87962566103423978  # std of N(0, 1) truncated to (-2, 2)
counter = [0]


def fill(name, shape, *extra):
    counter[0] += 1
    return context.fill(f"{counter[0]}.npy", "--init", name, "--shape", shape, "--seed", "7",
                        "--stream", f"frameworks.{counter[0]}", *extra).astype(np.float64)


def check_uniform(label, values, low, high):
    context.check(values.min() >= low and values.max() < high,
                  f"{label}: values [{values.min()}, {values.max()}] outside [{low}, {high})")
    width = high - low
    context.check(values.min() < low + 0.01 * width and values.max() > high - 0.01 * width,
                  f"{label}: values [{values.min()}, {values.max()}] do not fill [{low}, {high})")


def check_std(label, values, target, tolerance=0.02):
    std = values.std()
    context.check(abs(std / target - 1) < tolerance, f"{label}: std {std}, expected {target}")


def check_window(label, values, low, high):
    context.check(values.min() >= low and values.max() <= high,
                  f"{label}: values [{values.min()}, {values.max()}] outside [{low}, {high}]")
    width = high - low
    context.check(values.min() < low + 0.02 * width and values.max() > high - 0.02 * width,
                  f"{label}: values [{values.min()}, {values.max()}] do not reach the window [{low}, {high}]")


# --- plain families by the frameworks' names and defaults -------------------
n = "100000"
check_uniform("torch.uniform default", fill("torch.uniform", n), 0.0, 1.0)
check_uniform("torch.uniform a b", fill("torch.uniform", n, "--param", "a=-3", "b=-1"), -3.0, -1.0)
check_uniform("uniform_ (PyTorch spelling)", fill("uniform_", n, "--param", "a=2", "b=3"), 2.0, 3.0)
v = fill("torch.normal", n, "--param", "mean=1", "std=0.5")
check_std("torch.normal", v, 0.5)
context.check(abs(v.mean() - 1) < 0.01, f"torch.normal mean {v.mean()}")
check_std("torch.normal default", fill("torch.normal", n), 1.0)
context.check(np.all(fill("torch.constant", "7", "--param", "val=0.25") == 0.25), "torch.constant")
context.check(np.all(fill("torch.zeros", "7") == 0) and np.all(fill("torch.ones", "7") == 1), "torch zeros/ones")

for name in ["keras.random_uniform", "keras.RandomUniform"]:
    check_uniform(f"{name} default", fill(name, n), -0.05, 0.05)
check_uniform("keras.RandomUniform minval maxval", fill("keras.RandomUniform", n, "--param", "minval=0", "maxval=4"),
              0.0, 4.0)
for name in ["keras.random_normal", "keras.RandomNormal"]:
    check_std(f"{name} default", fill(name, n), 0.05)
for name in ["keras.truncated_normal", "keras.TruncatedNormal"]:
    v = fill(name, n)  # TruncatedNormal(mean=0, stddev=0.05): +-2 stddev, no correction
    check_window(f"{name} default", v, -0.1, 0.1)
    check_std(f"{name} default", v, 0.05 * CORRECTION)
context.check(np.all(fill("keras.Constant", "5") == 0), "keras.Constant default value 0")
context.check(np.all(fill("keras.constant", "5", "--param", "value=3") == 3), "keras.constant value")
context.check(np.all(fill("keras.Zeros", "5") == 0) and np.all(fill("keras.Ones", "5") == 1), "keras Zeros/Ones")

check_uniform("jax.uniform default", fill("jax.uniform", n), 0.0, 0.01)  # U[0, scale)
check_uniform("jax.uniform scale", fill("jax.uniform", n, "--param", "scale=10"), 0.0, 10.0)
check_std("jax.normal default", fill("jax.normal", n), 0.01)
v = fill("jax.truncated_normal", n)  # stddev 1e-2 on [-2, 2] standard deviations
check_window("jax.truncated_normal default", v, -0.02, 0.02)
check_std("jax.truncated_normal default", v, 0.01 * CORRECTION)
v = fill("jax.truncated_normal", n, "--param", "stddev=0.5", "lower=-1", "upper=3")
check_window("jax.truncated_normal lower upper", v, -0.5, 1.5)
context.check(np.all(fill("jax.constant", "5", "--param", "value=-7") == -7), "jax.constant")
context.check(np.all(fill("jax.zeros", "5") == 0) and np.all(fill("jax.ones", "5") == 1), "jax zeros/ones")

# --- variance scaling: Keras class names, JAX names, fans ------------------
kshape = "3,3,64,128"  # Keras/JAX Conv2D kernel: fan_in 576, fan_out 1152
fan_in, fan_out = 3 * 3 * 64, 3 * 3 * 128
for names, variance in [(["keras.he_normal", "keras.HeNormal", "jax.he_normal", "jax.kaiming_normal"], 2 / fan_in),
                        (["keras.GlorotNormal", "jax.glorot_normal", "jax.xavier_normal"], 2 / (fan_in + fan_out)),
                        (["keras.LecunNormal", "jax.lecun_normal"], 1 / fan_in)]:
    for name in names:
        v = fill(name, kshape)  # no --layout: keras.* and jax.* read [k..., in, out]
        s = math.sqrt(variance) / CORRECTION
        check_window(name, v, -2 * s, 2 * s)
        check_std(name, v, math.sqrt(variance))
for names, limit in [(["keras.HeUniform", "jax.he_uniform", "jax.kaiming_uniform"], math.sqrt(6 / fan_in)),
                     (["keras.GlorotUniform", "jax.glorot_uniform", "jax.xavier_uniform"],
                      math.sqrt(6 / (fan_in + fan_out))),
                     (["keras.LecunUniform", "jax.lecun_uniform"], math.sqrt(3 / fan_in))]:
    for name in names:
        check_uniform(name, fill(name, kshape), -limit, limit)

# The default layout is the framework's: the same bytes as --layout keras,
# other bytes than --layout torch (whose fans are 3 * 64 * 128 and 3 * 3 * 128).
for name in ["keras.he_normal", "keras.VarianceScaling", "jax.he_normal", "jax.glorot_uniform"]:
    default = context.fill("layout_default.npy", "--init", name, "--shape", kshape)
    keras_layout = context.fill("layout_keras.npy", "--init", name, "--shape", kshape, "--layout", "keras")
    torch_layout = context.fill("layout_torch.npy", "--init", name, "--shape", kshape, "--layout", "torch")
    context.check(default.tobytes() == keras_layout.tobytes(), f"{name}: default layout is not keras")
    context.check(default.tobytes() != torch_layout.tobytes(), f"{name}: --layout torch changed nothing")
    report = context.run("fill", "--init", name, "--shape", kshape, "-o", context.path("report.npy")).stdout
    context.check(f"fan_in {fan_in} fan_out {fan_out}" in report, f"{name}: report {report!r} lacks the Keras fans")
# torch.* keep PyTorch's layout by default.
report = context.run("fill", "--init", "torch.kaiming_normal", "--shape", "128,64,3,3",
                     "-o", context.path("report.npy")).stdout
context.check("fan_in 576 fan_out 1152" in report, f"torch.kaiming_normal report {report!r}")

# Keras 3 VarianceScaling reads distribution="normal" as "truncated_normal".
v = fill("keras.VarianceScaling", kshape, "--param", "scale=2", "distribution=normal")
s = math.sqrt(2 / fan_in) / CORRECTION
check_window("keras.VarianceScaling distribution=normal", v, -2 * s, 2 * s)
v = fill("keras.variance_scaling", kshape, "--param", "scale=2", "distribution=untruncated_normal")
context.check(np.abs(v).max() > 2.5 * math.sqrt(2 / fan_in), "keras untruncated_normal is truncated")

# JAX variance_scaling: fan_geo_avg, "normal" untruncated, axis lists.
geo = math.sqrt(fan_in * fan_out)
v = fill("jax.variance_scaling", kshape, "--param", "scale=1", "mode=fan_geo_avg", "distribution=normal")
check_std("jax fan_geo_avg normal", v, math.sqrt(1 / geo))
context.check(np.abs(v).max() > 2.5 * math.sqrt(1 / geo), "jax distribution=normal is truncated")
v = fill("jax.variance_scaling", kshape, "--param", "scale=3", "mode=fan_avg", "distribution=uniform")
limit = math.sqrt(3 * 3 / ((fan_in + fan_out) / 2))
check_uniform("jax fan_avg uniform", v, -limit, limit)
# in_axis=(0, 1, 2): in = 3 * 3 * 64 = 576, out = 128, receptive field 1.
v = fill("jax.variance_scaling", kshape, "--param", "scale=1", "mode=fan_out", "distribution=uniform",
         "in_axis=0,1,2")
limit = math.sqrt(3 / 128)
check_uniform("jax in_axis=0,1,2", v, -limit, limit)
report = context.run("fill", "--init", "jax.he_uniform", "--shape", "8,3,3,16,32", "--param", "batch_axis=(0)",
                     "-o", context.path("report.npy")).stdout
context.check("fan_in 144 fan_out 288" in report, f"jax batch_axis report {report!r}")
report = context.run("fill", "--init", "jax.he_uniform", "--shape", "4,5,6,7", "--param", "in_axis=0,1",
                     "out_axis=2,3", "-o", context.path("report.npy")).stdout
context.check("fan_in 20 fan_out 42" in report, f"jax axis lists report {report!r}")

# --- names: unprefixed names resolve only when they mean one thing ----------
for name in ["orthogonal", "kaiming_normal", "kaiming_uniform", "xavier_uniform", "xavier_normal"]:
    result = context.run("fill", "--init", name, "--shape", "4,4", "-o", context.path("ambiguous.npy"), expect=2)
    context.check("ambiguous" in result.stderr, f"{name}: {result.stderr!r} does not say ambiguous")
    for candidate in {"orthogonal": ["torch.orthogonal", "keras.orthogonal", "jax.orthogonal"],
                      "kaiming_normal": ["torch.kaiming_normal", "jax.kaiming_normal"],
                      "kaiming_uniform": ["torch.kaiming_uniform", "jax.kaiming_uniform"],
                      "xavier_uniform": ["torch.xavier_uniform", "jax.xavier_uniform"],
                      "xavier_normal": ["torch.xavier_normal", "jax.xavier_normal"]}[name]:
        context.check(candidate in result.stderr, f"{name}: {result.stderr!r} does not list {candidate}")
    context.check(not os.path.exists(context.path("ambiguous.npy")), f"{name}: wrote a file")
for alias, full in [("he_normal", "keras.he_normal"), ("glorot_uniform", "keras.glorot_uniform"),
                    ("HeUniform", "keras.he_uniform"), ("kaiming_normal_", "torch.kaiming_normal"),
                    ("RandomNormal", "keras.random_normal"), ("keras.Orthogonal", "keras.orthogonal"),
                    ("eye", "torch.eye"), ("identity", "keras.identity"), ("dirac_", "torch.dirac"),
                    ("delta_orthogonal", "jax.delta_orthogonal")]:
    shape = "4,4,3" if "dirac" in full else "3,4,4" if "delta" in full else "16,8"
    x = context.fill("alias.npy", "--init", alias, "--shape", shape, "--stream", "s")
    y = context.fill("full.npy", "--init", full, "--shape", shape, "--stream", "s")
    context.check(x.tobytes() == y.tobytes(), f"--init {alias} differs from {full}")

# Every new name is listed by `nninit inits` (aliases on their own line).
listing = context.run("inits").stdout
listed = [line.split()[0] for line in listing.splitlines() if line and not line.startswith(" ")]
for name in ["torch.uniform", "torch.normal", "torch.constant", "torch.zeros", "torch.ones", "torch.orthogonal",
             "torch.eye", "torch.dirac", "torch.sparse", "keras.random_uniform", "keras.random_normal",
             "keras.constant", "keras.zeros", "keras.ones", "keras.orthogonal", "keras.identity", "jax.uniform",
             "jax.normal", "jax.truncated_normal", "jax.constant", "jax.zeros", "jax.ones", "jax.variance_scaling",
             "jax.glorot_uniform", "jax.glorot_normal", "jax.xavier_uniform", "jax.xavier_normal",
             "jax.he_uniform", "jax.he_normal", "jax.kaiming_uniform", "jax.kaiming_normal", "jax.lecun_uniform",
             "jax.lecun_normal", "jax.orthogonal", "jax.delta_orthogonal"]:
    context.check(name in listed, f"`nninit inits` does not list {name}")
for alias in ["keras.HeNormal", "keras.GlorotUniform", "keras.LecunNormal", "keras.VarianceScaling",
              "keras.Orthogonal", "keras.Identity", "keras.RandomUniform", "keras.TruncatedNormal"]:
    context.check(alias in listing, f"`nninit inits` does not list the alias {alias}")

# --- bad parameters: named, nothing written ---------------------------------
out = context.path("bad.npy")
cases = [
    (["--init", "torch.uniform", "--param", "a=1", "b=1", "--shape", "4"], "a (1) must be less than b (1)"),
    (["--init", "torch.normal", "--param", "std=-1", "--shape", "4"], "std (-1)"),
    (["--init", "torch.constant", "--shape", "4"], "val"),
    (["--init", "keras.RandomUniform", "--param", "minval=1", "maxval=0", "--shape", "4"], "minval (1)"),
    (["--init", "keras.RandomNormal", "--param", "stddev=-0.5", "--shape", "4"], "stddev (-0.5)"),
    (["--init", "jax.uniform", "--param", "scale=0", "--shape", "4"], "scale (0)"),
    (["--init", "jax.normal", "--param", "stddev=nan", "--shape", "4"], "stddev (nan)"),
    (["--init", "jax.truncated_normal", "--param", "lower=2", "upper=1", "--shape", "4"], "lower (2)"),
    (["--init", "jax.constant", "--shape", "4"], "value"),
    (["--init", "jax.variance_scaling", "--param", "scale=1", "distribution=normal", "--shape", "4,4"], "mode"),
    (["--init", "jax.variance_scaling", "--param", "mode=fan_in", "distribution=normal", "--shape", "4,4"], "scale"),
    (["--init", "jax.variance_scaling", "--param", "scale=1", "mode=fan_in", "--shape", "4,4"], "distribution"),
    (["--init", "jax.variance_scaling", "--param", "scale=1", "mode=fan_sum", "distribution=normal",
      "--shape", "4,4"], "fan_sum"),
    (["--init", "jax.variance_scaling", "--param", "scale=1", "mode=fan_in", "distribution=untruncated_normal",
      "--shape", "4,4"], "untruncated_normal"),
    (["--init", "jax.variance_scaling", "--param", "scale=-1", "mode=fan_in", "distribution=normal",
      "--shape", "4,4"], "scale (-1)"),
    (["--init", "keras.VarianceScaling", "--param", "mode=fan_geo_avg", "--shape", "4,4"], "fan_geo_avg"),
    (["--init", "keras.VarianceScaling", "--param", "scale=0", "--shape", "4,4"], "scale (0)"),
    (["--init", "jax.he_normal", "--shape", "16"], "at least 2"),  # JAX refuses 1-D kernels
    (["--init", "jax.he_normal", "--shape", "4,4", "--param", "in_axis=2"], "in_axes (2)"),
    (["--init", "jax.he_normal", "--shape", "4,4,4", "--param", "in_axis=0,0"], "in_axes (0)"),
    (["--init", "jax.he_normal", "--shape", "4,4", "--param", "in_axis=0,x"], "in_axis"),
    (["--init", "jax.he_normal", "--shape", "4,4", "--param", "scale=2"], "scale"),
    (["--init", "no_such_init", "--shape", "4"], "unknown initializer"),
]
for arguments, needle in cases:
    result = context.run("fill", *arguments, "-o", out, expect=2)
    context.check(needle in result.stderr, f"{' '.join(arguments)}: message {result.stderr!r} lacks {needle!r}")
    context.check(result.stderr.startswith("nninit fill: "), f"message {result.stderr!r}")
    context.check(not os.path.exists(out), f"{' '.join(arguments)}: left {out}")

context.done()
