"""`nninit fill` writes exactly the bytes the library gives for the same
distribution, stream and dtype (cases in reference_fill.cpp), in .npy files
that numpy loads with the right shape and dtype."""
import os
import subprocess

import numpy as np

from cli_test_support import Context, read_npy_header

context = Context(__doc__)
reference_dir = context.path("reference")
os.makedirs(reference_dir)
subprocess.run([context.reference, reference_dir], check=True)

# name -> (nninit fill arguments, numpy dtype, shape)
cases = {
    "kaiming_uniform_relu": (["--init", "torch.kaiming_uniform", "--param", "nonlinearity=relu",
                              "--shape", "64,3,3,3", "--seed", "42", "--stream", "conv1.weight"],
                             "<f4", (64, 3, 3, 3)),
    "normal_bf16": (["--init", "normal", "--param", "std=0.02", "--shape", "1000", "--seed", "7",
                     "--stream", "3", "--dtype", "bf16"], "<u2", (1000,)),
    "keras_he_normal_f64": (["--init", "keras.he_normal", "--layout", "keras", "--shape", "3,3,16,32",
                             "--seed", "0x1234", "--stream", "name:block1.conv", "--dtype", "f64"],
                            "<f8", (3, 3, 16, 32)),
    "trunc_normal_f16": (["--init", "torch.trunc_normal", "--param", "mean=0", "std=0.5", "a=-1", "b=1",
                          "--shape", "33,17", "--seed", "5", "--stream", "0x10", "--dtype", "f16"],
                         "<f2", (33, 17)),
    "xavier_uniform_tanh": (["--init", "torch.xavier_uniform", "--param", "nonlinearity=tanh",
                             "--shape", "100,50", "--seed", "1", "--stream", "fc.weight"], "<f4", (100, 50)),
    "grouped_kaiming_normal": (["--init", "torch.kaiming_normal", "--param", "groups=8", "--param",
                                "mode=fan_out", "--param", "nonlinearity=relu", "--shape", "64,8,3,3",
                                "--seed", "3", "--stream", "conv2.weight"], "<f4", (64, 8, 3, 3)),
    "leaky_kaiming_uniform": (["--init", "kaiming_uniform_", "--param", "negative_slope=0.2",
                               "--shape", "32,16", "--seed", "11", "--stream", "id:12"], "<f4", (32, 16)),
    "variance_scaling_uniform": (["--init", "keras.variance_scaling", "--layout", "keras", "--param",
                                  "scale=0.5", "mode=fan_avg", "distribution=uniform", "--shape", "128,64",
                                  "--seed", "2", "--stream", "18446744073709551615"], "<f4", (128, 64)),
    "linear_bias": (["--init", "torch.linear_bias_default", "--param", "fan_in=784", "--shape", "256",
                     "--seed", "9", "--stream", "fc1.bias"], "<f4", (256,)),
    "constant": (["--init", "constant", "--param", "value=0.5", "--shape", "10"], "<f4", (10,)),
    "uniform_big": (["--init", "uniform", "--param", "low=-1", "high=1", "--shape", "5000011",
                     "--seed", "9", "--stream", "1"], "<f4", (5000011,)),
}

for name, (arguments, descr, shape) in cases.items():
    array = context.fill(name + ".npy", *arguments)
    context.check(array.dtype == np.dtype(descr), f"{name}: dtype {array.dtype.str}, expected {descr}")
    context.check(array.shape == shape, f"{name}: shape {array.shape}, expected {shape}")
    context.check(array.flags["C_CONTIGUOUS"], f"{name}: not C order")
    with open(os.path.join(reference_dir, name + ".bin"), "rb") as f:
        expected = f.read()
    context.check(array.tobytes() == expected,
                  f"{name}: the CLI's bytes differ from the library's "
                  f"(first values {array.reshape(-1)[:4]} vs "
                  f"{np.frombuffer(expected, dtype=descr)[:4]})")
    major, minor, length, header = read_npy_header(context.path(name + ".npy"))
    context.check((major, minor) == (1, 0), f"{name}: .npy version {major}.{minor}, expected 1.0")
    context.check((10 + length) % 64 == 0, f"{name}: header not aligned to 64 bytes")
    context.check(header.endswith("\n"), f"{name}: header does not end with a newline")
    context.check(f"'descr': '{descr}'" in header and "'fortran_order': False" in header,
                  f"{name}: header {header!r}")

# The same command twice gives the same file, and thread counts never matter.
a = context.fill("again1.npy", *cases["uniform_big"][0], "--threads", "1")
b = context.fill("again2.npy", *cases["uniform_big"][0], "--threads", "3")
context.check(np.array_equal(a.view(np.uint32), b.view(np.uint32)), "--threads 1 and 3 differ")

# --quiet prints nothing; the summary names file, dtype, shape and stream.
quiet = context.run("fill", *cases["constant"][0], "-q", "-o", context.path("quiet.npy"))
context.check(quiet.stdout == "", f"--quiet printed {quiet.stdout!r}")
loud = context.run("fill", *cases["kaiming_uniform_relu"][0], "-o", context.path("loud.npy"))
for word in ["loud.npy", "f32", "(64, 3, 3, 3)", "torch.kaiming_uniform", "conv1.weight", "seed 42"]:
    context.check(word in loud.stdout, f"summary {loud.stdout!r} lacks {word!r}")

# No temporary files are left behind.
leftovers = [n for n in os.listdir(context.workdir) if ".tmp-" in n]
context.check(not leftovers, f"temporary files left: {leftovers}")
context.done()
