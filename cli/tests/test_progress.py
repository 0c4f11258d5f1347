"""A long `nninit validate` shows a progress line on stderr when stderr is a
terminal (a pseudo-terminal here), erases it at the end, and leaves stdout as
it is; with --no-progress, or when stderr is a pipe or TERM is dumb, nothing is
drawn."""
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
context.done()
