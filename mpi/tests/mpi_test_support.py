"""Shared helpers of the nninit-mpi tests (mpi/tests/test_*.py).

Each test script is one ctest (label "mpi"), run by /usr/bin/python3 as
    test_X.py --mpi-cli nninit-mpi --cli nninit --mpiexec mpiexec --workdir DIR
or, when the MPI component is not built, as
    test_X.py --skip "REASON"
which prints SKIPPED with the reason and exits 77 (ctest: SKIPPED).

Jobs run on this machine only, as `mpiexec --oversubscribe -np N ...` (more
ranks than cores is fine: the tests judge bytes, never time). Open MPI
refuses to run as root unless told: when the tests run as root they set
OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in the job's
environment (nothing else changes).
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys

JOB_TIMEOUT_S = 120  # one mpiexec; a hang fails the test instead of blocking CI


class Context:
    def __init__(self, description):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--skip", help="print SKIPPED with this reason and exit 77")
        parser.add_argument("--mpi-cli", help="the nninit-mpi executable")
        parser.add_argument("--cli", help="the nninit executable")
        parser.add_argument("--mpiexec", help="MPI's launcher (mpiexec / mpirun)")
        parser.add_argument("--workdir", help="scratch directory (recreated)")
        arguments = parser.parse_args()
        if arguments.skip:
            print(f"SKIPPED: nninit-mpi is not built: {arguments.skip}")
            sys.exit(77)
        for name in ("mpi_cli", "cli", "mpiexec", "workdir"):
            if not getattr(arguments, name):
                parser.error(f"--{name.replace('_', '-')} is required")
        self.mpi_cli = arguments.mpi_cli
        self.cli = arguments.cli
        self.mpiexec = arguments.mpiexec
        self.workdir = arguments.workdir
        shutil.rmtree(self.workdir, ignore_errors=True)
        os.makedirs(self.workdir)
        self.checks = 0
        self.environment = dict(os.environ)
        if os.geteuid() == 0:
            self.environment.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

    def path(self, name):
        return os.path.join(self.workdir, name)

    def _run(self, command, expect, environment):
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=environment,
                                    timeout=JOB_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            fail(f"{' '.join(command)}\ndid not finish in {JOB_TIMEOUT_S} s")
        ok = result.returncode == expect if expect != "nonzero" else result.returncode != 0
        if expect is not None and not ok:
            fail(f"{' '.join(command)}\nexited {result.returncode}, expected {expect}\n"
                 f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def mpi(self, ranks, *arguments, expect=0, env=None):
        """Runs `mpiexec --oversubscribe -np RANKS nninit-mpi ARGUMENTS`; expect is
        an exit status, "nonzero", or None (any)."""
        environment = dict(self.environment)
        environment.update(env or {})
        command = [self.mpiexec, "--oversubscribe", "-np", str(ranks), self.mpi_cli] + [str(a) for a in arguments]
        return self._run(command, expect, environment)

    def nninit(self, *arguments, expect=0):
        """Runs the single-process `nninit ARGUMENTS`."""
        return self._run([self.cli] + [str(a) for a in arguments], expect, self.environment)

    def write_spec(self, name, spec):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(spec if isinstance(spec, str) else json.dumps(spec))
        return path

    def check(self, condition, message):
        self.checks += 1
        if not condition:
            fail(message)

    def leftovers(self, name, directory=None):
        """Files in `directory` (the workdir) that are `name` or its temporary names."""
        directory = directory or self.workdir
        return [n for n in os.listdir(directory) if n == name or n.startswith("." + name + ".tmp")]

    def done(self):
        print(f"{os.path.basename(sys.argv[0])}: {self.checks} checks passed")


def read_header(path):
    """The JSON header of a safetensors file."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length).decode("utf-8"))


def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)
