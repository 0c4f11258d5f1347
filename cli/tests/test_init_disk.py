"""nninit init -o OUT.npz takes the archive's own size on disk, not twice it:
on a file system (a tmpfs of 9 MiB in a private mount namespace) that holds
the 6 MiB archive once but not twice, the .npz is written and equals the one
written elsewhere byte for byte, with nothing else left there. Control: on a
4 MiB file system the write fails with "No space left on device", exit
status 2, and leaves nothing behind. SKIPPED (exit 77) where this process may
not mount a tmpfs (unshare -m and mount need root or CAP_SYS_ADMIN)."""
import json
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context  # noqa: E402

context = Context(__doc__)

# One float32 tensor of 6 MiB: the archive is 6 MiB and a few hundred bytes.
spec = context.path("model.json")
with open(spec, "w") as f:
    json.dump({"seed": 5, "parameters": [
        {"name": "w", "shape": [1536, 1024], "init": "normal", "params": {"std": 0.02}}]}, f)
reference = context.path("reference.npz")
context.run("init", spec, "-o", reference, "-q")
size = os.path.getsize(reference)
context.check(6 << 20 < size < (6 << 20) + 4096, f"the reference archive has {size} bytes")

mount_point = context.path("mnt")
os.makedirs(mount_point)


def in_private_tmpfs(megabytes, script):
    """Runs `script` (sh) with a tmpfs of `megabytes` MiB mounted at mount_point, in a private mount namespace."""
    command = (f"mount -t tmpfs -o size={megabytes}m nninit-test {shlex.quote(mount_point)} && {script}")
    return subprocess.run(["unshare", "-m", "sh", "-c", command], capture_output=True, text=True)


probe = in_private_tmpfs(1, "true")
if probe.returncode != 0:
    print(f"SKIPPED: cannot mount a tmpfs in a private mount namespace here (unshare -m, mount: "
          f"{probe.stderr.strip() or 'exit ' + str(probe.returncode)}); run as root to check the .npz disk use")
    sys.exit(77)

cli = shlex.quote(context.cli)
out = shlex.quote(os.path.join(mount_point, "model.npz"))
listing = f"ls -A {shlex.quote(mount_point)}"

# The archive fits once: written in place, byte for byte the reference, nothing else left.
result = in_private_tmpfs(9, f"{cli} init {shlex.quote(spec)} -o {out} -q && cmp {out} {shlex.quote(reference)} "
                             f"&& echo same && {listing}")
context.check(result.returncode == 0, f"init on a 9 MiB tmpfs failed:\n{result.stdout}\n{result.stderr}")
context.check(result.stdout.split() == ["same", "model.npz"],
              f"on the 9 MiB tmpfs: {result.stdout!r} (expected the same bytes and only model.npz)")

# Control: it does not fit at all: a clear error, and nothing left behind.
result = in_private_tmpfs(4, f"{cli} init {shlex.quote(spec)} -o {out} -q; echo status=$?; {listing}")
context.check(result.stdout.split() == ["status=2"],
              f"on a 4 MiB tmpfs: {result.stdout!r} (expected exit status 2 and an empty directory)")
context.check("No space left on device" in result.stderr and "model.npz" in result.stderr,
              f"on a 4 MiB tmpfs, stderr: {result.stderr}")
context.done()
