"""`nninit fill -o PATH` by the kind of PATH, and what kills, signals and
limits leave behind (cli/src/output_file.hpp documents the rules):

- FIFOs and character devices (our own mknod'ed null and full devices, never
  the machine's /dev/null) are written into and stay what they were; /dev/full
  gives a clear error. Block devices, sockets and directories are refused and
  stay.
- A symbolic link to a regular file keeps being a link; its target is replaced.
  A dangling link is refused and nothing is created.
- The result has the permissions a plain open(O_CREAT, 0666) gives: 0666 less
  the umask for a new file, the old file's bits for a replaced one.
- kill -9 in the middle of a large fill leaves nothing in the directory (with
  the O_TMPFILE path; the named fallback forced by NNINIT_CLI_NO_TMPFILE=1
  leaves exactly one documented .NAME.tmp-XXXXXX, and nothing on SIGTERM,
  SIGINT, SIGQUIT, SIGHUP).
- A file-size limit (ulimit -f) is a clear error, not SIGXFSZ, and leaves nothing.
- A SIGHUP that the parent ignores (nohup) stays ignored: the fill completes.

Device nodes need root (mknod); without it those checks are skipped."""
import os
import re
import resource
import signal
import socket
import stat
import subprocess
import threading
import time

import numpy as np

from cli_test_support import Context, fail

context = Context(__doc__)
small = ["--init", "normal", "--shape", "4,5", "--seed", "7", "--stream", "out.file"]
expected = None  # the bytes of the small fill, as a regular file


def directory(name):
    path = context.path(name)
    os.makedirs(path)
    return path


def run_fill(arguments, output, expect, environment=None, preexec=None, stdout=subprocess.PIPE):
    command = [context.cli, "fill", *map(str, arguments), "-o", str(output)]
    result = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=environment,
                            preexec_fn=preexec)
    if expect is not None and result.returncode != expect:
        fail(f"{' '.join(command)}\nexited {result.returncode}, expected {expect}\nstderr:\n"
             f"{result.stderr.decode(errors='replace')}")
    return result


def entries(path):
    return sorted(os.listdir(path))


def umask_of(value):
    return lambda: os.umask(value)


base = directory("regular")
reference = os.path.join(base, "reference.npy")
run_fill(small, reference, 0)
expected = open(reference, "rb").read()
context.check(np.load(reference).shape == (4, 5), "the reference fill has shape (4, 5)")

# --- Permissions: those of a plain open(O_CREAT, 0666) ----------------------
for mask, mode in [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)]:
    path = os.path.join(base, f"new_{mask:03o}.npy")
    run_fill(small, path, 0, preexec=umask_of(mask))
    actual = stat.S_IMODE(os.stat(path).st_mode)
    context.check(actual == mode, f"a new file under umask {mask:03o} has mode {actual:03o}, expected {mode:03o}")
for mode in [0o600, 0o640, 0o664]:
    path = os.path.join(base, f"existing_{mode:03o}.npy")
    with open(path, "wb") as f:
        f.write(b"old content")
    os.chmod(path, mode)
    run_fill(small, path, 0, preexec=umask_of(0o022))
    actual = stat.S_IMODE(os.stat(path).st_mode)
    context.check(actual == mode, f"a replaced file of mode {mode:03o} has mode {actual:03o} afterwards")
    context.check(open(path, "rb").read() == expected, "the replaced file holds the new content")
leftovers = [n for n in entries(base) if ".tmp-" in n]
context.check(not leftovers, f"temporary files left: {leftovers}")

# --- FIFOs: written into, never replaced --------------------------------------
fifos = directory("fifo")
fifo = os.path.join(fifos, "pipe.npy")
os.mkfifo(fifo)
received = []


def read_all(path):
    with open(path, "rb") as f:
        received.append(f.read())


reader = threading.Thread(target=read_all, args=(fifo,))
reader.start()
result = run_fill(small, fifo, None)
if result.returncode != 0:
    # Unblock the reader if the fill failed without opening the FIFO.
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass
reader.join(timeout=60)
context.check(result.returncode == 0, f"fill into a FIFO exited {result.returncode}: {result.stderr!r}")
context.check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO after the fill")
context.check(received and received[0] == expected, "the reader of the FIFO got exactly the .npy file")

# -o /dev/stdout into a pipe: the data on stdout, the report on stderr. Our own
# link of the same kind as /dev/stdout (a build that replaced links would
# destroy the machine's /dev/stdout when run as root).
standard_output = os.path.join(fifos, "stdout")
os.symlink("/proc/self/fd/1", standard_output)
result = run_fill(small, standard_output, 0)
context.check(result.stdout == expected, "-o STDOUT_LINK into a pipe writes exactly the .npy file to stdout")
context.check(b"wrote " + standard_output.encode() in result.stderr, f"the report goes to stderr: {result.stderr!r}")
context.check(os.path.islink(standard_output), "the stdout link is still a link")
context.check(entries(fifos) == ["pipe.npy", "stdout"], f"the FIFO's directory holds {entries(fifos)}")

# --- Sockets and directories: refused, left alone ----------------------------
others = directory("others")
socket_path = os.path.join(others, "socket.npy")
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
here = os.getcwd()
os.chdir(others)  # a relative name: AF_UNIX paths are limited to 107 bytes
listener.bind("socket.npy")
os.chdir(here)
result = run_fill(small, socket_path, 2)
context.check(b"socket" in result.stderr and socket_path.encode() in result.stderr,
              f"-o SOCKET: message {result.stderr!r}")
context.check(stat.S_ISSOCK(os.lstat(socket_path).st_mode), "the socket is still a socket")
listener.close()
sub = os.path.join(others, "sub")
os.makedirs(sub)
result = run_fill(small, sub, 2)
context.check(b"directory" in result.stderr, f"-o DIRECTORY: message {result.stderr!r}")
context.check(os.path.isdir(sub) and not os.listdir(sub), "the directory is untouched")
context.check(entries(others) == ["socket.npy", "sub"], f"left in {others}: {entries(others)}")

# --- Symbolic links -----------------------------------------------------------
links = directory("links")
targets = directory("targets")
target = os.path.join(targets, "target.npy")
with open(target, "wb") as f:
    f.write(b"old")
os.chmod(target, 0o640)
link = os.path.join(links, "link.npy")
os.symlink(os.path.join("..", "targets", "target.npy"), link)  # relative, into another directory
run_fill(small, link, 0)
context.check(os.path.islink(link) and os.readlink(link) == os.path.join("..", "targets", "target.npy"),
              "the symbolic link is still the same link")
context.check(open(target, "rb").read() == expected, "the link's target holds the new content")
context.check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "the target kept its mode")
context.check(entries(links) == ["link.npy"] and entries(targets) == ["target.npy"],
              f"left: {entries(links)} and {entries(targets)}")
# A link to a link to a file.
chain = os.path.join(links, "chain.npy")
os.symlink("link.npy", chain)
run_fill([a if a != "7" else "8" for a in small], chain, 0)
context.check(os.path.islink(chain) and os.path.islink(link), "both links of a chain stay links")
content = open(target, "rb").read()
context.check(content != expected and content.startswith(b"\x93NUMPY") and len(content) == len(expected),
              "the end of the chain holds the new (seed 8) content")
# A dangling link: refused, nothing created.
dangling = os.path.join(links, "dangling.npy")
os.symlink("no_such_target.npy", dangling)
result = run_fill(small, dangling, 2)
context.check(b"does not exist" in result.stderr and b"dangling.npy" in result.stderr,
              f"-o DANGLING_LINK: message {result.stderr!r}")
context.check(not os.path.exists(os.path.join(links, "no_such_target.npy")), "a dangling link's target was created")
# A link to a directory: refused.
directory_link = os.path.join(links, "to_directory")
os.symlink(targets, directory_link)
result = run_fill(small, directory_link, 2)
context.check(b"directory" in result.stderr, f"-o LINK_TO_DIRECTORY: message {result.stderr!r}")
context.check(entries(targets) == ["target.npy"], f"{targets} holds {entries(targets)}")
context.check(sorted(entries(links)) == ["chain.npy", "dangling.npy", "link.npy", "to_directory"],
              f"left in {links}: {entries(links)}")

# --- Device nodes (root only) -------------------------------------------------
devices = directory("devices")
null = os.path.join(devices, "null")
full = os.path.join(devices, "full")
block = os.path.join(devices, "block")
try:
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    os.mknod(block, 0o600 | stat.S_IFBLK, os.makedev(7, 250))  # never opened
    os.close(os.open(null, os.O_WRONLY))  # fails where the file system is mounted nodev
    have_devices = True
except PermissionError:
    have_devices = False
    print("test_output_file.py: no mknod (not root) or a nodev file system: the device-node checks are skipped")
if have_devices:
    def is_device(path, kind, major, minor):
        status = os.lstat(path)
        return kind(status.st_mode) and os.major(status.st_rdev) == major and os.minor(status.st_rdev) == minor

    run_fill(small, null, 0)
    context.check(is_device(null, stat.S_ISCHR, 1, 3), "the null device is still character device 1,3")
    result = run_fill(small, full, 2)
    context.check(b"No space left on device" in result.stderr and full.encode() in result.stderr,
                  f"-o FULL_DEVICE: message {result.stderr!r}")
    context.check(is_device(full, stat.S_ISCHR, 1, 7), "the full device is still character device 1,7")
    result = run_fill(small, block, 2)
    context.check(b"block device" in result.stderr, f"-o BLOCK_DEVICE: message {result.stderr!r}")
    context.check(is_device(block, stat.S_ISBLK, 7, 250), "the block device node is still there")
    link_to_null = os.path.join(devices, "link_to_null")
    os.symlink("null", link_to_null)
    run_fill(small, link_to_null, 0)
    context.check(os.path.islink(link_to_null) and is_device(null, stat.S_ISCHR, 1, 3),
                  "a link to the null device: both stay")
    context.check(entries(devices) == ["block", "full", "link_to_null", "null"], f"left: {entries(devices)}")

# --- Kills, signals, limits -----------------------------------------------------
large = ["--init", "normal", "--shape", str(1 << 28), "--threads", "1"]  # 1 GiB of f32 if never stopped
medium = ["--init", "normal", "--shape", str(1 << 24), "--threads", "1"]
named_fallback = dict(os.environ, NNINIT_CLI_NO_TMPFILE="1")
plain = dict(os.environ)
plain.pop("NNINIT_CLI_NO_TMPFILE", None)
temporary_pattern = re.compile(r"^\.out\.npy\.tmp-[A-Za-z0-9]{6}$")


def default_signals(*signals):
    """For preexec_fn: the given signals at their default action (a test runner
    started in the background may have them ignored), and no core dumps."""
    def reset():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        for number in signals:
            if number != signal.SIGKILL:
                signal.signal(number, signal.SIG_DFL)
    return reset


def start_and_wait_for_output(arguments, output, environment, preexec, min_bytes):
    """Starts a fill and returns (process, True) once its output file in
    output's directory (named or unnamed) holds min_bytes, or (process, False)
    if it ended first."""
    command = [context.cli, "fill", *arguments, "-o", output, "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment,
                               preexec_fn=preexec)
    folder = os.path.dirname(output)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        try:
            for fd in os.listdir(f"/proc/{process.pid}/fd"):
                link_path = f"/proc/{process.pid}/fd/{fd}"
                try:
                    if (os.readlink(link_path).startswith(folder + "/") and
                            stat.S_ISREG(os.stat(link_path).st_mode) and os.stat(link_path).st_size >= min_bytes):
                        return process, True
                except OSError:
                    pass
        except OSError:
            pass
        time.sleep(0.001)
    return process, False


def kill_mid_fill(name, environment, signal_number):
    folder = directory(name)
    output = os.path.join(folder, "out.npy")
    process, running = start_and_wait_for_output(large, output, environment,
                                                 default_signals(signal_number), 1 << 22)
    if not running:
        process.kill()
        process.wait()
        fail(f"{name}: the fill ended ({process.returncode}) before it could be signalled")
    process.send_signal(signal_number)
    process.wait(timeout=60)
    context.check(process.returncode == -signal_number,
                  f"{name}: the fill ended with {process.returncode}, expected death by signal {signal_number}")
    return folder


folder = kill_mid_fill("kill9", plain, signal.SIGKILL)
context.check(entries(folder) == [], f"kill -9 mid-fill left {entries(folder)}")
for signal_number in [signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP]:
    for label, environment in [("unnamed", plain), ("named", named_fallback)]:
        folder = kill_mid_fill(f"signal{int(signal_number)}.{label}", environment, signal_number)
        context.check(entries(folder) == [], f"signal {int(signal_number)} ({label}) mid-fill left {entries(folder)}")
# The documented limit of the fallback: SIGKILL leaves its one temporary file.
folder = kill_mid_fill("kill9.named", named_fallback, signal.SIGKILL)
left = entries(folder)
context.check(len(left) == 1 and temporary_pattern.match(left[0]) is not None,
              f"kill -9 with the named fallback left {left}, expected one .out.npy.tmp-XXXXXX")

# ulimit -f: a clear error, nothing left.
for label, environment in [("unnamed", plain), ("named", named_fallback)]:
    folder = directory(f"ulimit.{label}")
    output = os.path.join(folder, "out.npy")

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    result = run_fill(["--init", "normal", "--shape", str(1 << 20)], output, None, environment, limit_file_size)
    message = result.stderr.decode(errors="replace")
    context.check(result.returncode == 2, f"ulimit -f ({label}): exit {result.returncode}, expected 2; {message!r}")
    context.check("out.npy" in message and "File too large" in message and "ulimit -f" in message,
                  f"ulimit -f ({label}): message {message!r}")
    context.check(entries(folder) == [], f"ulimit -f ({label}) left {entries(folder)}")

# nohup: an inherited SIG_IGN for SIGHUP stays; the fill completes.
for label, environment in [("unnamed", plain), ("named", named_fallback)]:
    folder = directory(f"nohup.{label}")
    output = os.path.join(folder, "out.npy")

    def ignore_hangup():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process, running = start_and_wait_for_output(medium, output, environment, ignore_hangup, 1)
    if running:
        process.send_signal(signal.SIGHUP)
    process.wait(timeout=120)
    context.check(running, f"nohup ({label}): the fill ended before SIGHUP could be sent")
    context.check(process.returncode == 0, f"nohup ({label}): SIGHUP ended an ignoring fill ({process.returncode})")
    if process.returncode == 0:
        context.check(np.load(output, mmap_mode="r").shape == (1 << 24,), f"nohup ({label}): the file is complete")
    context.check(entries(folder) == ["out.npy"], f"nohup ({label}) left {entries(folder)}")

context.done()
