"""Fixtures of the Python module's tests: the CLI (`nninit fill`) whose
output the module must equal bit for bit, and test helpers."""

import os
import subprocess

import numpy as np
import pytest

import nninit


class Cli:
    """`nninit fill` from the build tree (ctest passes its path in NNINIT_CLI)."""

    def __init__(self, path, workdir):
        self.path = path
        self.workdir = workdir
        self.calls = 0

    def fill(self, init, shape, dtype="f32", seed=0, stream=None, params=None, threads=None, layout=None):
        """The values `nninit fill` writes, as a numpy array (bfloat16 as uint16 bits)."""
        self.calls += 1
        output = os.path.join(self.workdir, f"fill{self.calls}.npy")
        command = [self.path, "fill", "--init", init, "--shape", ",".join(str(d) for d in shape), "--dtype", dtype,
                   "--seed", str(seed), "-o", output, "--quiet"]
        if stream is not None:
            command += ["--stream", stream if isinstance(stream, str) else f"id:{stream}"]
        if threads is not None:
            command += ["--threads", str(threads)]
        if layout is not None:
            command += ["--layout", layout]
        for key, value in (params or {}).items():
            command += ["--param", f"{key}={cli_text(value)}"]
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stderr}"
        return np.load(output)


def cli_text(value):
    """A parameter as text for --param: floats as repr (the shortest round trip)."""
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value) if value else "()"
    return repr(value) if isinstance(value, float) else str(value)


@pytest.fixture(scope="session")
def cli(tmp_path_factory):
    path = os.environ.get("NNINIT_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("NNINIT_CLI does not name the nninit executable (ctest sets it when the CLI is built)")
    return Cli(path, str(tmp_path_factory.mktemp("cli")))
