"""Bad arguments and bad files: `nninit` exits with status 2, prints a message
that names the offending argument, and never leaves an output file — not even
a partial or temporary one — and never touches an existing file it was asked
to replace."""
import os

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
out = context.path("out.npy")
good = ["--init", "normal", "--shape", "4,4"]

# (arguments, text the message must contain)
fill_cases = [
    (["--shape", "4,4", "-o", out], "--init"),
    (["--init", "normal", "-o", out], "--shape"),
    (["--init", "normal", "--shape", "4,4"], "-o"),
    (["--init", "no_such_init", "--shape", "4", "-o", out], "no_such_init"),
    (["--init", "normal", "--shape", "3,x", "-o", out], "--shape"),
    (["--init", "normal", "--shape", "-3", "-o", out], "--shape"),
    (["--init", "normal", "--shape", "4,,4", "-o", out], "--shape"),
    (["--init", "normal", "--shape", "4294967296,4294967296,16", "-o", out], "--shape"),
    (good + ["--frobnicate", "-o", out], "--frobnicate"),
    (good + ["--seed", "-1", "-o", out], "--seed"),
    (good + ["--seed", "18446744073709551616", "-o", out], "--seed"),
    (good + ["--seed", "12abc", "-o", out], "--seed"),
    (good + ["--seed", "1", "--seed", "2", "-o", out], "--seed"),
    (good + ["--dtype", "int8", "-o", out], "--dtype"),
    (good + ["--layout", "tensorflow", "-o", out], "--layout"),
    (good + ["--offset", "17", "-o", out], "--offset"),
    (good + ["--offset", "10", "--count", "7", "-o", out], "--count"),
    (good + ["--threads", "-2", "-o", out], "--threads"),
    (good + ["--param", "std=abc", "-o", out], "std"),
    (good + ["--param", "std", "-o", out], "--param"),
    (good + ["--param", "gain=2", "-o", out], "gain"),
    (good + ["--param", "std=1", "--param", "std=2", "-o", out], "std"),
    (good + ["--param", "std=-1", "-o", out], "stddev (-1)"),
    (good + ["--param", "mean=nan", "-o", out], "mean"),
    (["--init", "uniform", "--param", "low=1", "high=1", "--shape", "4", "-o", out], "low"),
    (["--init", "truncated_normal", "--param", "lower=3", "upper=1", "--shape", "4", "-o", out], "lower"),
    (["--init", "uniform", "--param", "low=-1e6", "high=1e6", "--shape", "4", "--dtype", "f16", "-o", out],
     "1e+06"),
    (["--init", "constant", "--shape", "4", "-o", out], "value"),
    (["--init", "keras.truncated_normal", "--shape", "4", "--param", "stddev=-1", "-o", out], "stddev (-1)"),
    (["--init", "torch.kaiming_uniform", "--shape", "10", "-o", out], "shape"),
    (["--init", "torch.kaiming_uniform", "--shape", "4,4", "--param", "mode=fan_sideways", "-o", out], "mode"),
    (["--init", "torch.kaiming_uniform", "--shape", "4,4", "--param", "nonlinearity=swish", "-o", out],
     "swish"),
    (["--init", "torch.kaiming_uniform", "--shape", "4,4", "--param", "nonlinearity=relu", "a=0.1", "-o", out],
     "(0.1)"),
    (["--init", "torch.kaiming_uniform", "--shape", "64,8,3,3", "--param", "groups=7", "-o", out], "groups"),
    (["--init", "torch.kaiming_uniform", "--shape", "3,3,8,64", "--layout", "keras", "--param", "groups=8",
      "-o", out], "groups"),
    (["--init", "torch.xavier_uniform", "--shape", "4,4", "--param", "gain=2", "nonlinearity=tanh", "-o", out],
     "gain"),
    (["--init", "torch.linear_bias_default", "--shape", "4", "-o", out], "fan_in"),
    (["--init", "keras.variance_scaling", "--shape", "4,4", "--param", "distribution=cauchy", "-o", out],
     "distribution"),
    (["--init", "keras.he_uniform", "--shape", "4,4", "--param", "scale=2", "-o", out], "scale"),
    (good + ["-o", context.path("no_such_directory/out.npy")], "no_such_directory"),
    (good + ["-o", context.workdir], "directory"),
    (good + ["stray", "-o", out], "stray"),
]


def check_failure(arguments, needle, command="fill"):
    result = context.run(command, *arguments, expect=2)
    context.check(needle in result.stderr,
                  f"nninit {command} {' '.join(map(str, arguments))}: message {result.stderr!r} lacks {needle!r}")
    context.check(result.stderr.startswith(f"nninit {command}: "),
                  f"message {result.stderr!r} does not start with 'nninit {command}: '")


for arguments, needle in fill_cases:
    check_failure(arguments, needle)
    context.check(not os.path.exists(out), f"{arguments}: left {out}")

# A failing command leaves an existing output file exactly as it was.
context.run("fill", *good, "--seed", "1", "-o", out)
before = open(out, "rb").read()
check_failure(good + ["--param", "std=-1", "-o", out], "std")
check_failure(good + ["--dtype", "f12", "-o", out], "--dtype")
context.check(open(out, "rb").read() == before, "a failed fill changed the existing output file")
os.remove(out)

# Files: missing, not .npy, truncated, unsupported dtype, big-endian.
garbage = context.path("garbage.npy")
with open(garbage, "wb") as f:
    f.write(b"this is not a numpy file at all")
truncated = context.path("truncated.npy")
np.save(truncated, np.arange(1000, dtype=np.float32))
with open(truncated, "r+b") as f:
    f.truncate(500)
integers = context.path("integers.npy")
np.save(integers, np.arange(10, dtype=np.int32))
big_endian = context.path("big_endian.npy")
np.save(big_endian, np.arange(10, dtype=">f4"))
bad_header = context.path("bad_header.npy")
with open(bad_header, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + (54).to_bytes(2, "little") + b"{'descr': '<f4', 'shape': (3,), }".ljust(53) + b"\n")
for command in ["stats", "validate"]:
    extra = ["--dist", "normal", "--std", "1"] if command == "validate" else []
    check_failure([context.path("missing.npy")] + extra, "missing.npy", command)
    check_failure([garbage] + extra, "not a .npy file", command)
    check_failure([truncated] + extra, "truncated", command)
    check_failure([integers] + extra, "'<i4'", command)
    check_failure([big_endian] + extra, "big-endian", command)
    check_failure([bad_header] + extra, "fortran_order", command)
    check_failure([] + extra, "FILE.npy", command)

# validate's own arguments.
data = context.path("data.npy")
np.save(data, np.random.default_rng(5).normal(size=1000).astype(np.float32))
validate_cases = [
    ([data], "--dist"),
    ([data, "--dist", "normal", "--init", "normal"], "--dist"),
    ([data, "--dist", "cauchy", "--std", "1"], "cauchy"),
    ([data, "--dist", "normal"], "--std"),
    ([data, "--dist", "normal", "--std", "1", "--low", "0"], "--low"),
    ([data, "--dist", "uniform", "--low", "0"], "--high"),
    ([data, "--init", "normal", "--std", "1"], "--std"),
    ([data, "--dist", "normal", "--std", "1", "--shape", "4"], "--shape"),
    ([data, "--dist", "normal", "--std", "1", "--alpha", "2"], "--alpha"),
    ([data, "--dist", "normal", "--std", "1", "--grid", "float8"], "--grid"),
    ([data, "--dist", "normal", "--std", "-1"], "stddev (-1)"),
    ([data, "--init", "torch.kaiming_uniform"], "shape"),
]
for arguments, needle in validate_cases:
    check_failure(arguments, needle, "validate")

# Unknown commands and no command.
result = context.run("frobnicate", expect=2)
context.check("frobnicate" in result.stderr, f"unknown command message {result.stderr!r}")
context.run(expect=2)

# --help works for every command and exits 0.
for command in ["fill", "stats", "validate", "inits"]:
    result = context.run(command, "--help")
    context.check(result.stdout.startswith(f"usage: nninit {command}"), f"nninit {command} --help: {result.stdout[:80]!r}")
context.check("usage: nninit <command>" in context.run("--help").stdout, "nninit --help")
context.check("stream version 1" in context.run("--version").stdout, "nninit --version")

leftovers = [n for n in os.listdir(context.workdir) if ".tmp-" in n]
context.check(not leftovers, f"temporary files left: {leftovers}")
context.done()
