"""Argument values that used to be read as something else than what was
written: each is now an error (exit 2) naming the argument and the value, and
no file is written.

- --shape 0x10 is not (0, 10) nor 16: 'x' separates only positive decimals.
- An all-digit or 0x-hex --stream beyond 2^64 is an error, not a name (name:TEXT
  hashes it on purpose), as for --seed.
- Numbers that overflow or underflow a double (strtod's ERANGE) are errors
  wherever a number is read: --param, validate's --std/--alpha/...; so is a
  fan-based formula that overflows (a=1e200: a^2 overflows, which calculate_gain refuses).
- A tensor too large for a file names what was given (--shape, --offset or
  --count), never an absent --count.
- Integers beyond 64 bits say so."""
import os

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
out = context.path("out.npy")
normal = ["--init", "normal", "--shape", "4,4"]


def check_error(arguments, needles, command="fill", absent=()):
    result = context.run(command, *arguments, expect=2)
    shown = f"nninit {command} {' '.join(map(str, arguments))}"
    for needle in needles:
        context.check(needle in result.stderr, f"{shown}: message {result.stderr!r} lacks {needle!r}")
    for needle in absent:
        context.check(needle not in result.stderr, f"{shown}: message {result.stderr!r} mentions {needle!r}")
    context.check(not os.path.exists(out), f"{shown}: wrote {out}")
    context.check(not [n for n in os.listdir(context.workdir) if ".tmp-" in n], f"{shown}: left a temporary file")


# --shape: 'x' only between positive decimals.
for shape in ["0x10", "0X10", "10x0", "3x-1", "x3", "3x", "3xx3", "0x1F", "08x3", "3,0x10"]:
    check_error(["--init", "normal", "--shape", shape, "-o", out], ["--shape", f"'{shape}'"])
for shape, expected in [("256x784", (256, 784)), ("3x3x64", (3, 3, 64)), ("3x3,64", (3, 3, 64)),
                        ("0,10", (0, 10)), ("010,3", (10, 3)), ("(5,)", (5,))]:
    shape_array = context.fill("shape.npy", "--init", "normal", "--shape", shape)
    context.check(shape_array.shape == expected, f"--shape {shape}: shape {shape_array.shape}, expected {expected}")
    os.remove(context.path("shape.npy"))
check_error(["--init", "normal", "--shape", "99999999999999999999", "-o", out], ["--shape", "99999999999999999999"])

# --stream: integers must fit; name:TEXT hashes anything.
for stream in ["18446744073709551616", "99999999999999999999999", "0x10000000000000000", "0x"]:
    check_error(normal + ["--stream", stream, "-o", out], ["--stream", f"'{stream}'", f"name:{stream}"])
check_error(normal + ["--stream", "id:18446744073709551616", "-o", out], ["--stream", "18446744073709551616"])
largest = context.fill("largest.npy", *normal, "--stream", "18446744073709551615")
by_id = context.fill("by_id.npy", *normal, "--stream", "id:0xffffffffffffffff")
context.check(np.array_equal(largest, by_id), "--stream 2^64 - 1 is the id 2^64 - 1")
hashed = context.run("fill", *normal, "--stream", "name:18446744073709551616", "-o", context.path("hashed.npy"))
context.check("'18446744073709551616' (id 0x" in hashed.stdout, f"name:DIGITS is hashed: {hashed.stdout!r}")
named = context.run("fill", *normal, "--stream", "3rd.layer", "-o", context.path("named.npy"))
context.check("'3rd.layer' (id 0x" in named.stdout, f"--stream 3rd.layer is a name: {named.stdout!r}")
hex_id = context.run("fill", *normal, "--stream", "0x10", "-o", context.path("hex.npy"))
context.check("stream id 16" in hex_id.stdout, f"--stream 0x10 is the id 16: {hex_id.stdout!r}")
for name in ["largest.npy", "by_id.npy", "hashed.npy", "named.npy", "hex.npy"]:
    os.remove(context.path(name))

# Numbers beyond a double's range, in --param.
for parameter in ["std=1e-400", "std=1e400", "mean=-1e400", "std=1e-310", "mean=4.9e-324", "std=0x1p99999"]:
    key, value = parameter.split("=")
    check_error(normal + ["--param", parameter, "-o", out], [f"--param {key}", f"'{value}'"])
check_error(["--init", "uniform", "--shape", "4", "--param", "low=-1e999", "high=1", "-o", out],
            ["--param low", "'-1e999'", "overflows"])
check_error(["--init", "uniform", "--shape", "4", "--param", "low=-1", "high=1e-999", "-o", out],
            ["--param high", "'1e-999'", "underflows"])
for initializer in ["torch.kaiming_normal", "torch.kaiming_uniform"]:
    check_error(["--init", initializer, "--shape", "4,4", "--param", "a=1e200", "-o", out],
                ["negative slope", "1e+200", initializer])
# (xavier's gain from calculate_gain: the library refuses the slope whose square overflows.)
check_error(["--init", "torch.xavier_normal", "--shape", "4,4", "--param", "nonlinearity=leaky_relu", "a=1e300",
             "-o", out], ["negative slope", "1e+300"])
# Small but representable values are fine.
tiny = context.fill("tiny.npy", "--init", "normal", "--shape", "4", "--dtype", "f64", "--param", "std=1e-300")
context.check(np.all(np.abs(tiny) < 1e-298), "std=1e-300 in f64 is used as given")
os.remove(context.path("tiny.npy"))

# Too many elements for a file: the message names what was given.
huge = ["--init", "normal", "--shape", "4294967296,1073741824"]  # 2^62 elements
check_error(huge + ["-o", out], ["--shape (4294967296, 1073741824)"], absent=["--count"])
check_error(huge + ["--offset", "5", "-o", out], ["--shape", "--offset 5"], absent=["--count"])
check_error(huge + ["--count", "4611686018427387000", "-o", out], ["--count 4611686018427387000"])

# Integers beyond 64 bits.
check_error(normal + ["--threads", "99999999999999999999", "-o", out], ["--threads", "range"])
check_error(normal + ["--offset", "18446744073709551616", "-o", out], ["--offset", "2^64 - 1"])
check_error(["--init", "torch.kaiming_uniform", "--shape", "64,8,3,3", "--param", "groups=99999999999999999999",
             "-o", out], ["--param groups", "range"])

# validate reads numbers the same way (when it is built).
data = context.path("data.npy")
np.save(data, np.random.default_rng(3).normal(size=1000).astype(np.float32))
probe = context.run("validate", data, "--dist", "normal", "--std", "1", expect=None)
if "built without the validation suite" in probe.stderr:
    print("test_arguments.py: nninit was built without validate; its checks are skipped")
else:
    for flag, value in [("--std", "1e-400"), ("--std", "1e400"), ("--mean", "1e-330"), ("--alpha", "1e-400")]:
        arguments = [data, "--dist", "normal", "--std", "1"] if flag != "--std" else [data, "--dist", "normal"]
        check_error(arguments + [flag, value], [flag, f"'{value}'"], command="validate")
    check_error([data, "--dist", "normal", "--std", "1", "--max-values", "18446744073709551616"],
                ["--max-values", "2^64 - 1"], command="validate")
os.remove(data)

context.done()
