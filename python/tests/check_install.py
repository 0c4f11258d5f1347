#!/usr/bin/env python3
"""ctest python.install: `cmake --install BUILD --component nninit_python
--prefix TMP` puts a package that imports and fills from TMP/INSTALL_DIR.

  check_install.py --cmake CMAKE --build BUILD --install-dir DIR --workdir WORK
"""

import argparse
import os
import shutil
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    for option in ("--cmake", "--build", "--install-dir", "--workdir"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    if os.path.isabs(args.install_dir):
        print(f"SKIPPED: NNINIT_PYTHON_INSTALL_DIR ({args.install_dir}) is absolute; --prefix does not move it")
        return 77
    prefix = os.path.join(args.workdir, "prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    subprocess.run([args.cmake, "--install", args.build, "--component", "nninit_python", "--prefix", prefix],
                   check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(prefix, args.install_dir)
    probe = ("import nninit, numpy as np; "
             "x = nninit.fill(np.empty(1000, np.float32), 'torch.kaiming_uniform', shape=(10, 100), seed=1); "
             "assert 0 < np.abs(x).max() <= (6 / 100) ** 0.5; print(nninit.__file__)")
    env = dict(os.environ, PYTHONPATH=site, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=args.workdir)
    if done.returncode != 0:
        print(done.stderr)
        return 1
    where = done.stdout.strip()
    if not where.startswith(site):
        print(f"nninit was imported from {where}, not from the installed {site}")
        return 1
    print(f"installed and imported: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
