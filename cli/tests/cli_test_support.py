"""Shared helpers of the nninit CLI tests (cli/tests/test_*.py).

Each test script is one ctest (label "cli"), run by /usr/bin/python3 as
    test_X.py --cli PATH/TO/nninit --reference PATH/TO/nninit_cli_reference --workdir DIR
It creates DIR afresh, runs the CLI end to end, checks the results with numpy,
and exits non-zero with a message on the first failure.
"""
import argparse
import os
import shutil
import subprocess
import sys

import numpy as np


class Context:
    def __init__(self, description):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--cli", required=True, help="the nninit executable")
        parser.add_argument("--reference", required=True, help="the nninit_cli_reference executable")
        parser.add_argument("--workdir", required=True, help="scratch directory (recreated)")
        arguments = parser.parse_args()
        self.cli = arguments.cli
        self.reference = arguments.reference
        self.workdir = arguments.workdir
        shutil.rmtree(self.workdir, ignore_errors=True)
        os.makedirs(self.workdir)
        self.checks = 0

    def path(self, name):
        return os.path.join(self.workdir, name)

    def run(self, *arguments, expect=0):
        """Runs `nninit ARGUMENTS`; returns the CompletedProcess. Fails unless the
        exit status is `expect` (None: any)."""
        command = [self.cli] + [str(a) for a in arguments]
        result = subprocess.run(command, capture_output=True, text=True)
        if expect is not None and result.returncode != expect:
            fail(f"{' '.join(command)}\nexited {result.returncode}, expected {expect}\n"
                 f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def fill(self, name, *arguments):
        """Runs `nninit fill ARGUMENTS -o WORKDIR/NAME` and loads the result."""
        output = self.path(name)
        self.run("fill", *arguments, "-o", output)
        return np.load(output)

    def check(self, condition, message):
        self.checks += 1
        if not condition:
            fail(message)

    def done(self):
        print(f"{os.path.basename(sys.argv[0])}: {self.checks} checks passed")


def import_torch_or_skip():
    """PyTorch, or exit 77 (ctest: SKIPPED) with a message saying how to install it."""
    try:
        import torch
    except ImportError as error:
        print(f"SKIPPED: PyTorch is not importable by {sys.executable} ({error}); "
              "install python3-torch (NNINIT_WITH_TORCH=1 scripts/install-deps.sh)")
        sys.exit(77)
    return torch


def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def bfloat16_to_float32(bits):
    """The documented decoding of nninit's bfloat16 files ('<u2' raw bits)."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def float32_to_bfloat16_bits(values):
    """float32 -> bfloat16 bits, round to nearest even (no NaNs expected)."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def read_npy_header(path):
    """(major, minor, header_length, header_text) of a .npy file."""
    with open(path, "rb") as f:
        magic = f.read(6)
        if magic != b"\x93NUMPY":
            fail(f"{path}: no .npy magic")
        major, minor = f.read(2)
        length = int.from_bytes(f.read(2), "little")
        return major, minor, length, f.read(length).decode("latin1")
