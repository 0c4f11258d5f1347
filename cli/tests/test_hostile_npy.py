"""Hostile .npy files: no input crashes `nninit stats` or `nninit validate`.
Each is refused with exit status 2 and a message that names the file and
the problem: headers nested deep enough to exhaust a recursive parser's
stack, shapes whose byte counts overflow 64 bits (also with --max-values),
files shorter than their shape, directories, malformed version fields and
dimensions, control characters (escaped, and cut short, in the message).
Pipes and FIFOs are read sequentially, and their length is checked as they
are read. A file too large for the memory there is gives a clear message
(validate under an address-space limit)."""
import os
import resource
import subprocess
import threading

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
with open(context.cli, "rb") as f:
    sanitized = b"__asan_init" in f.read()  # ASan reserves terabytes: no address-space limit there
good = context.path("good.npy")
np.save(good, np.random.default_rng(3).normal(size=3000).astype(np.float32))
has_validate = "built without" not in context.run("validate", good, "--dist", "normal", "--std", "1",
                                                  expect=None).stderr
commands = [("stats",)] + ([("validate", "--dist", "normal", "--std", "1")] if has_validate else [])


def header(text, major=1, minor=0, length=None, newline=True):
    """A .npy preamble + header `text` (str or bytes) padded to 64 bytes."""
    body = text.encode("latin1") if isinstance(text, str) else text
    preamble = 10 if major == 1 else 12
    if newline:
        total = (preamble + len(body) + 1 + 63) // 64 * 64
        body = body + b" " * (total - preamble - len(body) - 1) + b"\n"
    size = len(body) if length is None else length
    return b"\x93NUMPY" + bytes([major, minor]) + size.to_bytes(2 if major == 1 else 4, "little") + body


def dictionary(shape="(3,)", descr="'<f4'", extra=""):
    return "{'descr': %s, 'fortran_order': False, 'shape': %s, %s}" % (descr, shape, extra)


def write(name, data):
    path = context.path(name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def refused(path, needles, arguments=commands, shown=None):
    """Every command exits 2 with a message naming the file (or `shown`) and each needle."""
    for command in arguments:
        result = context.run(command[0], path, *command[1:], expect=None)
        context.check(result.returncode == 2,
                      f"nninit {command[0]} {path}: exit status {result.returncode} (negative: killed by a "
                      f"signal), expected 2\nstdout: {result.stdout[-500:]}\nstderr: {result.stderr[-500:]}")
        message = result.stderr
        context.check(message.startswith(f"nninit {command[0]}: ") and (shown or path) in message,
                      f"nninit {command[0]} {path}: message {message[:300]!r} does not name the file")
        for needle in needles:
            context.check(needle in message, f"nninit {command[0]} {path}: message {message[:300]!r} lacks {needle!r}")
        context.check(len(message) < 1000, f"nninit {command[0]} {path}: message of {len(message)} characters")


# 1. Nesting: tens of thousands, and two million, '[' in an extra key (a
# recursive skip of its value overflowed the stack: SIGSEGV).
for depth in [65, 50000, 2000000]:
    nested = dictionary(extra="'x': " + "[" * depth + "]" * depth + ", ")
    refused(write(f"nested_{depth}.npy", header(nested, major=2) + b"\0" * 12), ["nested more than 64 levels"])
for opening in "([{":
    path = write(f"nested_{opening}.npy", header(dictionary(extra="'x': " + opening * 100000), major=2))
    refused(path, ["nested more than 64 levels"])
# 64 levels are allowed (numpy would reject the extra key; nninit skips it).
fine = dictionary(extra="'x': " + "[" * 64 + "]" * 64 + ", ")
path = write("nested_64.npy", header(fine) + np.arange(3, dtype="<f4").tobytes())
context.check("count      3" in context.run("stats", path).stdout, "64 nesting levels refused")

# 2. Sizes: count * itemsize near 2^64 wrapped the end-of-data check, so
# validate --max-values read a few values of a file that holds almost none
# and said PASS; without --max-values a std::vector message named no file.
data = np.random.default_rng(4).normal(size=2016).astype("<f4").tobytes()
for shape, needles in [
    ((2**62 - 1,), ["truncated", "needs 18446744073709551612 bytes", "the file has 8064"]),
    ((2**61, 2), ["too large", "2^64 bytes"]),
    ((2**63 - 1, 2**63 - 1), ["too large"]),
    ((3, 2**62), ["too large"]),
    ((2**40, 2**20), ["truncated", "needs 4611686018427387904 bytes", "the file has 8064"]),
]:
    path = write(f"overflow_{len(shape)}_{shape[0]}.npy", header(dictionary(str(shape))) + data)
    refused(path, needles)
    if has_validate:
        refused(path, needles, [("validate", "--dist", "normal", "--std", "1", "--max-values", "1000")])
# A zero dimension makes any other dimension harmless: zero elements.
path = write("zero_dimension.npy", header(dictionary(str((0, 2**63 - 1)))))
context.check("count      0" in context.run("stats", path).stdout, "a zero dimension with a huge one refused")
# One byte short, and a header longer than the file.
path = write("one_short.npy", header(dictionary("(100,)")) + b"\0" * 399)
refused(path, ["truncated", "needs 400 bytes", "the file has 399"])
refused(write("long_header.npy", header(dictionary(), length=60000)), ["truncated .npy header", "60000"])
refused(write("huge_header.npy", header(dictionary(), major=2, length=2**32 - 1)), ["implausible"])

# Malformed headers.
for name, data, needles in [
    ("empty.npy", b"", ["no \\x93NUMPY magic"]),
    ("magic_only.npy", b"\x93NUMPY", ["no \\x93NUMPY magic"]),
    ("version_4.npy", header(dictionary(), major=4), ["format version 4.0"]),
    ("version_1_5.npy", header(dictionary(), minor=5), ["format version 1.5"]),
    ("v2_short.npy", b"\x93NUMPY\x02\x00\x10\x00", ["truncated .npy header"]),
    ("dimensions.npy", header(dictionary("(" + "1, " * 65 + ")")), ["more than 64 dimensions"]),
    ("negative.npy", header(dictionary("(-3,)")), ["dimension '-3'"]),
    ("too_big.npy", header(dictionary("(99999999999999999999,)")), ["dimension '99999999999999999999'"]),
    ("unterminated.npy", header("{'descr': '<f4"), ["unterminated string"]),
    ("no_close.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)"), ["expected ',' or '}'"]),
    ("trailing.npy", header(dictionary() + " junk"), ["after the header dict"]),
    ("nul.npy", header(dictionary() + "\0"), ["after the header dict"]),
    ("control.npy", header(dictionary(descr="'\x1b[31m" + "A" * 5000 + "'")), ["\\x1b[31mAAAA", "..."]),
    ("structured.npy", header(dictionary(descr="[('a', '<f4')]")), ["expected a string"]),
]:
    refused(write(name, data), needles)
for opening in "([{":  # unterminated containers in an extra key
    text = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': " + opening * 10
    refused(write(f"open_{opening}.npy", header(text)), ["unterminated value"])
    refused(write(f"mismatched_{opening}.npy", header(dictionary(extra="'x': " + opening * 10))),
            ["not a valid .npy header"])

# 3. A directory, a pipe, a FIFO.
refused(context.workdir, ["is a directory"])
expected = context.run("stats", good).stdout.split("\n", 1)[1]


def run_with_pipe(data, *arguments):
    """`nninit ARGUMENTS` with /dev/fd/N for the read end of a pipe that gets `data`."""
    read_end, write_end = os.pipe()
    command = [context.cli] + [a if a != "PIPE" else f"/dev/fd/{read_end}" for a in arguments]
    process = subprocess.Popen(command, pass_fds=[read_end], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(read_end)

    def feed():
        try:
            with open(write_end, "wb") as f:
                f.write(data)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    stdout, stderr = process.communicate(timeout=60)
    writer.join()
    return process.returncode, stdout, stderr


good_bytes = open(good, "rb").read()
status, stdout, stderr = run_with_pipe(good_bytes, "stats", "PIPE")
context.check(status == 0 and stdout.split("\n", 1)[1] == expected,
              f"stats from a pipe: {status} {stderr}\n{stdout}\nexpected\n{expected}")
status, stdout, stderr = run_with_pipe(good_bytes[:-5], "stats", "PIPE")
context.check(status == 2 and "the input ended after 11995" in stderr and "/dev/fd/" in stderr,
              f"a truncated pipe: {status} {stderr!r}")
if has_validate:
    status, stdout, stderr = run_with_pipe(good_bytes, "validate", "PIPE", "--dist", "normal", "--std", "1")
    context.check(status == 0 and "verdict: PASS" in stdout, f"validate from a pipe: {status} {stderr}")
    # --max-values still reads the pipe to its end to see that all values are there.
    status, stdout, stderr = run_with_pipe(good_bytes[:-5], "validate", "PIPE", "--dist", "normal", "--std", "1",
                                           "--max-values", "1000")
    context.check(status == 2 and "truncated" in stderr, f"validate --max-values, truncated pipe: {status} {stderr}")
fifo = context.path("fifo.npy")
os.mkfifo(fifo)
writer = threading.Thread(target=lambda: open(fifo, "wb").write(good_bytes), daemon=True)
writer.start()
result = context.run("stats", fifo)
writer.join(timeout=30)
context.check(result.stdout.split("\n", 1)[1] == expected, f"stats from a FIFO:\n{result.stdout}")
result = subprocess.run([context.cli, "stats", "/dev/stdin"], input=good_bytes, capture_output=True)
context.check(result.returncode == 0 and result.stdout.decode().split("\n", 1)[1] == expected,
              f"stats /dev/stdin: {result.stderr}")

# Allocation failure: validate keeps every value in memory (at least 4 bytes
# each for float32). A 1 GiB float32 file (sparse: no disk used) under a
# 512 MiB address-space limit cannot, and says so, naming the file (not
# "out of memory" alone).
if has_validate and not sanitized:
    path = context.path("large_f32.npy")
    with open(path, "wb") as f:
        preamble = header(dictionary("(268435456,)", "'<f4'"))
        f.write(preamble)
        f.truncate(len(preamble) + 4 * 268435456)
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
    result = subprocess.run([context.cli, "validate", path, "--dist", "normal", "--std", "1"],
                            capture_output=True, text=True, preexec_fn=limit, timeout=120)
    context.check(result.returncode == 2 and f"not enough memory to read 268435456 values of {path}" in result.stderr,
                  f"validate under a 512 MiB limit: {result.returncode} {result.stderr!r}")
    os.remove(path)
context.done()
