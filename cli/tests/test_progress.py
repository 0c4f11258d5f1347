"""A long `nninit validate`, a `nninit fill` of more than one chunk and any
`nninit init` show a progress line on stderr when stderr is a terminal (a
pseudo-terminal here), erase it at the end, and leave stdout and the output
file as they are; with --no-progress, or when stderr is a pipe or TERM is
dumb, nothing is drawn."""
import json
import os
import pty
import subprocess

from cli_test_support import Context

context = Context(__doc__)


def run_on_terminal(*arguments, term="xterm"):
    """Runs nninit with stderr on a pseudo-terminal; returns (status, stdout, terminal bytes)."""
    leader, follower = pty.openpty()
    environment = dict(os.environ, TERM=term)
    process = subprocess.Popen([context.cli] + [str(a) for a in arguments], stdout=subprocess.PIPE,
                               stderr=follower, env=environment)
    os.close(follower)
    stdout = process.stdout.read()
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed
            break
        if not chunk:
            break
        terminal += chunk
    status = process.wait()
    os.close(leader)
    return status, stdout.decode(), terminal.decode(errors="replace")


path = context.path("normal.npy")
context.run("fill", "--init", "normal", "--param", "std=0.02", "--shape", "2000000", "-o", path)
validate = ["validate", path, "--dist", "normal", "--std", "0.02"]
plain = context.run(*validate)

status, stdout, terminal = run_on_terminal(*validate)
context.check(status == 0, f"validate on a terminal: status {status}")
context.check(stdout == plain.stdout, "the progress line changed stdout")
context.check("reading" in terminal and "testing" in terminal and "100%" in terminal,
              f"no progress line on the terminal: {terminal!r}")
context.check(terminal.endswith("\r\x1b[K"), f"the progress line is not erased at the end: {terminal[-40:]!r}")

status, stdout, terminal = run_on_terminal(*validate, "--no-progress")
context.check(status == 0 and terminal == "", f"--no-progress drew on the terminal: {terminal!r}")
status, stdout, terminal = run_on_terminal(*validate, term="dumb")
context.check(status == 0 and terminal == "", f"TERM=dumb drew on the terminal: {terminal!r}")
context.check(plain.stderr == "", f"progress on a pipe: {plain.stderr!r}")

# An error after the line was drawn (the values are not on the bfloat16 grid):
# the line is erased before the message, which is whole.
status, stdout, terminal = run_on_terminal(*validate, "--grid", "bfloat16")
context.check(status == 2, f"values off the grid: status {status}")
context.check("\r\x1b[Knninit validate: " in terminal, f"the error is not on a clean line: {terminal!r}")


def same_file(a, b):
    with open(a, "rb") as first, open(b, "rb") as second:
        return first.read() == second.read()


def check_quiet_and_identical(command, output, reference, what):
    """`command` (writing `output`) draws nothing with --no-progress or TERM=dumb,
    nor on a pipe, and writes the same bytes as `reference` each time."""
    status, _, terminal = run_on_terminal(*command, "--no-progress")
    context.check(status == 0 and terminal == "", f"{what} --no-progress drew on the terminal: {terminal!r}")
    context.check(same_file(output, reference), f"{what} --no-progress: the file differs")
    status, _, terminal = run_on_terminal(*command, term="dumb")
    context.check(status == 0 and terminal == "", f"{what} with TERM=dumb drew on the terminal: {terminal!r}")
    piped = context.run(*command)
    context.check(piped.stderr == "", f"{what}: progress on a pipe: {piped.stderr!r}")
    context.check(same_file(output, reference), f"{what} on a pipe: the file differs")


# fill: a tensor of three chunks (2^22 elements each) draws the line; the file
# is the same bytes as a fill without it.
big = context.path("big.npy")
fill = ["fill", "--init", "uniform", "--shape", "3000,4000", "--seed", "5", "-o", big]
status, stdout, terminal = run_on_terminal(*fill)
context.check(status == 0, f"fill on a terminal: status {status}")
context.check(f"nninit fill {big}: filling" in terminal and "100%" in terminal and " of 45.8 MiB" in terminal,
              f"no fill progress line on the terminal: {terminal!r}")
context.check(terminal.endswith("\r\x1b[K"), f"the fill line is not erased: {terminal[-40:]!r}")
reference = context.path("big_reference.npy")
os.replace(big, reference)
check_quiet_and_identical(fill, big, reference, "fill")
# A fill of one chunk or less draws nothing.
status, _, terminal = run_on_terminal("fill", "--init", "uniform", "--shape", "4194304", "-o", context.path("one.npy"))
context.check(status == 0 and terminal == "", f"a one-chunk fill drew on the terminal: {terminal!r}")

# init: "[i/N] NAME", the bytes and the rate, for both formats.
spec_path = context.path("model.json")
with open(spec_path, "w") as f:
    json.dump({"seed": 1, "parameters": [
        {"name": "first.weight", "shape": [1000, 5000], "init": "normal", "params": {"std": 0.02}},
        {"name": "middle.bias", "shape": [5000], "init": "zeros"},
        {"name": "last.weight", "shape": [2000, 3000], "dtype": "bf16", "init": "torch.xavier_uniform"}]}, f)
for extension in ("safetensors", "npz"):
    output = context.path(f"model.{extension}")
    init = ["init", spec_path, "-o", output]
    status, stdout, terminal = run_on_terminal(*init)
    context.check(status == 0, f"init .{extension} on a terminal: status {status}")
    context.check(f"nninit init {output}: [1/3] first.weight" in terminal and "[3/3] last.weight 100%" in terminal
                  and " of 30.5 MiB" in terminal,
                  f"init .{extension}: no progress line on the terminal: {terminal!r}")
    context.check(terminal.endswith("\r\x1b[K"), f"the init line is not erased: {terminal[-40:]!r}")
    reference = context.path(f"reference.{extension}")
    os.replace(output, reference)
    check_quiet_and_identical(init, output, reference, f"init .{extension}")
context.done()
