"""Every initializer and distribution of nninit is reachable with
`nninit fill --init NAME`, its --param parameters reach the library, and the
output has the bound or standard deviation of the published formula
(computed here in Python, independently of the C++ code)."""
import math

import numpy as np

from cli_test_support import Context

context = Context(__doc__)

REQUIRED_NAMES = [
    "constant", "zeros", "ones", "uniform", "normal", "truncated_normal", "truncated_normal_in_stddevs",
    "torch.xavier_uniform", "torch.xavier_normal", "torch.kaiming_uniform", "torch.kaiming_normal",
    "torch.linear_default", "torch.linear_bias_default", "torch.trunc_normal",
    "keras.glorot_uniform", "keras.glorot_normal", "keras.he_uniform", "keras.he_normal",
    "keras.lecun_uniform", "keras.lecun_normal", "keras.variance_scaling", "keras.truncated_normal",
]
listing = context.run("inits").stdout
listed = [line.split()[0] for line in listing.splitlines() if line and not line.startswith(" ")]
for name in REQUIRED_NAMES:
    context.check(name in listed, f"`nninit inits` does not list {name}")

KERAS_CORRECTION = 0.87962566103423978
tested = set()
counter = [0]


def fill(name, shape, *extra, layout="torch"):
    tested.add(name)
    counter[0] += 1
    return context.fill(f"{counter[0]}.npy", "--init", name, "--shape", shape, "--layout", layout,
                        "--seed", "2024", "--stream", f"init.{counter[0]}", *extra).astype(np.float64)


def check_uniform(name, values, low, high):
    context.check(values.min() >= low and values.max() < high,
                  f"{name}: values [{values.min()}, {values.max()}] outside [{low}, {high})")
    width = high - low
    context.check(values.min() < low + 0.01 * width and values.max() > high - 0.01 * width,
                  f"{name}: values [{values.min()}, {values.max()}] do not fill [{low}, {high})")


def check_std(name, values, std, tolerance=0.03):
    context.check(abs(values.std() / std - 1) < tolerance, f"{name}: std {values.std()}, expected {std}")


def check_window(name, values, lower, upper):
    context.check(values.min() >= lower and values.max() <= upper,
                  f"{name}: values [{values.min()}, {values.max()}] outside [{lower}, {upper}]")
    width = upper - lower
    context.check(values.min() < lower + 0.02 * width and values.max() > upper - 0.02 * width,
                  f"{name}: values [{values.min()}, {values.max()}] do not reach the bounds [{lower}, {upper}]")


# Plain distributions.
v = fill("constant", "100", "--param", "value=0.25")
context.check(np.all(v == 0.25), "constant value=0.25")
context.check(np.all(fill("zeros", "3,4") == 0), "zeros")
context.check(np.all(fill("ones", "3,4") == 1), "ones")
check_uniform("uniform", fill("uniform", "20000", "--param", "low=-2", "high=3"), -2, 3)
check_uniform("uniform (defaults)", fill("uniform", "20000"), 0, 1)
v = fill("normal", "50000", "--param", "mean=1", "std=2")
check_std("normal", v, 2)
context.check(abs(v.mean() - 1) < 0.05, f"normal: mean {v.mean()}")
check_window("truncated_normal", fill("truncated_normal", "50000", "--param", "mean=0.5", "std=1",
                                      "lower=-1", "upper=2"), -1, 2)
check_window("truncated_normal_in_stddevs",
             fill("truncated_normal_in_stddevs", "50000", "--param", "mean=1", "std=0.5", "lower=-1",
                  "upper=1"), 0.5, 1.5)

# PyTorch layout [out, in, k...]: fan_in = in * r, fan_out = out * r.
out_features, in_features = 300, 200
shape = f"{out_features},{in_features}"
fan_in, fan_out = in_features, out_features
bound = math.sqrt(6 / (fan_in + fan_out))
check_uniform("torch.xavier_uniform", fill("torch.xavier_uniform", shape), -bound, bound)
check_uniform("torch.xavier_uniform gain=2", fill("torch.xavier_uniform", shape, "--param", "gain=2"),
              -2 * bound, 2 * bound)
check_std("torch.xavier_normal", fill("torch.xavier_normal", shape), math.sqrt(2 / (fan_in + fan_out)))
bound = math.sqrt(2) * math.sqrt(3 / fan_in)  # leaky_relu with a = 0: gain sqrt(2)
check_uniform("torch.kaiming_uniform", fill("torch.kaiming_uniform", shape), -bound, bound)
bound = math.sqrt(2 / (1 + 0.1 ** 2)) * math.sqrt(3 / fan_out)
check_uniform("torch.kaiming_uniform a=0.1 fan_out",
              fill("torch.kaiming_uniform", shape, "--param", "a=0.1", "mode=fan_out"), -bound, bound)
check_std("torch.kaiming_normal", fill("torch.kaiming_normal", shape, "--param", "nonlinearity=relu",
                                       "mode=fan_out"), math.sqrt(2) / math.sqrt(fan_out))
check_std("torch.kaiming_normal tanh", fill("torch.kaiming_normal", shape, "--param", "nonlinearity=tanh"),
          5 / 3 / math.sqrt(fan_in))
bound = 1 / math.sqrt(fan_in)
check_uniform("torch.linear_default", fill("torch.linear_default", shape), -bound, bound)
check_uniform("torch.linear_bias_default", fill("torch.linear_bias_default", "300", "--param", "fan_in=400"),
              -1 / 20, 1 / 20)
check_window("torch.trunc_normal", fill("torch.trunc_normal", "50000", "--param", "std=0.02", "a=-0.04",
                                        "b=0.04"), -0.04, 0.04)
v = fill("torch.trunc_normal", "50000")
context.check(v.min() >= -2 and v.max() <= 2 and abs(v.std() - 0.8796) < 0.02,
              "torch.trunc_normal defaults (mean 0, std 1, a -2, b 2)")
# Grouped convolution: [out, in/groups, kh, kw]; fan_in per group = shape[1] * r.
v = fill("torch.kaiming_uniform", "64,8,3,3", "--param", "groups=8", "nonlinearity=relu")
bound = math.sqrt(6 / (8 * 9))
check_uniform("torch.kaiming_uniform groups=8", v, -bound, bound)

# Keras layout [k..., in, out].
kshape = "3,3,32,64"
fan_in, fan_out = 3 * 3 * 32, 3 * 3 * 64


def keras(name, *extra):
    return fill(name, kshape, *extra, layout="keras")


bound = math.sqrt(6 / (fan_in + fan_out))
check_uniform("keras.glorot_uniform", keras("keras.glorot_uniform"), -bound, bound)
for name, variance in [("keras.glorot_normal", 2 / (fan_in + fan_out)), ("keras.he_normal", 2 / fan_in),
                       ("keras.lecun_normal", 1 / fan_in)]:
    v = keras(name)
    s = math.sqrt(variance) / KERAS_CORRECTION
    check_window(name, v, -2 * s, 2 * s)
    check_std(name, v, math.sqrt(variance))
for name, limit in [("keras.he_uniform", math.sqrt(6 / fan_in)), ("keras.lecun_uniform", math.sqrt(3 / fan_in))]:
    check_uniform(name, keras(name), -limit, limit)
fan_avg = (fan_in + fan_out) / 2
limit = math.sqrt(3 * 2 / fan_avg)
check_uniform("keras.variance_scaling uniform",
              keras("keras.variance_scaling", "--param", "scale=2", "mode=fan_avg", "distribution=uniform"),
              -limit, limit)
check_std("keras.variance_scaling normal",
          keras("keras.variance_scaling", "--param", "scale=3", "mode=fan_out", "distribution=normal"),
          math.sqrt(3 / fan_out))
s = math.sqrt(1 / fan_in) / KERAS_CORRECTION
check_window("keras.variance_scaling (defaults)", keras("keras.variance_scaling"), -2 * s, 2 * s)
v = keras("keras.truncated_normal", "--param", "std=0.05")
check_window("keras.truncated_normal", v, -0.1, 0.1)
check_std("keras.truncated_normal", v, 0.05 * KERAS_CORRECTION)

# Explicit fans and JAX-style axes give the same numbers as the shape.
a = fill("keras.he_uniform", kshape, layout="keras")
b = fill("keras.he_uniform", "20000", "--param", f"fan_in={fan_in}", f"fan_out={fan_out}")
limit = math.sqrt(6 / fan_in)
check_uniform("keras.he_uniform fan_in=", b, -limit, limit)
c = fill("keras.he_uniform", "8,3,3,32,64", "--param", "batch_axis=0", layout="keras")
check_uniform("keras.he_uniform batch_axis=0", c, -limit, limit)

# Unprefixed names that mean one thing, aliases and PyTorch's trailing underscore are the same initializer
# (unprefixed names the frameworks disagree on, like xavier_normal, are errors: test_fill_frameworks.py).
for alias, full in [("kaiming_uniform_", "torch.kaiming_uniform"), ("he_normal", "keras.he_normal"),
                    ("xavier_normal_", "torch.xavier_normal"), ("HeNormal", "keras.he_normal")]:
    x = context.fill("alias.npy", "--init", alias, "--shape", "16,8", "--stream", "s")
    y = context.fill("full.npy", "--init", full, "--shape", "16,8", "--stream", "s")
    context.check(x.tobytes() == y.tobytes(), f"--init {alias} differs from {full}")

missing = [name for name in REQUIRED_NAMES if name not in tested]
context.check(not missing, f"not exercised: {missing}")
context.done()
