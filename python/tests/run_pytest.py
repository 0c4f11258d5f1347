#!/usr/bin/env python3
"""Runs one suite of the Python module's tests with pytest, for ctest.

  run_pytest.py --suite core|torch --basetemp DIR [pytest arguments...]

core: numpy only; torch: the tests that need PyTorch. Exits 77 (ctest:
SKIPPED) with the reason when pytest, numpy or (suite torch) torch cannot be
imported; otherwise pytest's exit status.
"""

import argparse
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUITES = {
    "core": ["test_fill.py", "test_rejections.py", "test_bits_cli.py", "test_frameworks.py", "test_gil.py",
             "test_validate.py"],
    "torch": ["test_torch.py", "test_init_module.py", "test_readme_example.py"],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", choices=sorted(SUITES), required=True)
    parser.add_argument("--basetemp", required=True)
    args, rest = parser.parse_known_args()
    needed = ["pytest", "numpy"] + (["torch"] if args.suite == "torch" else [])
    for module in needed:
        try:
            importlib.import_module(module)
        except ImportError as error:
            package = {"pytest": "python3-pytest", "numpy": "python3-numpy", "torch": "python3-torch"}[module]
            print(f"SKIPPED: {module} cannot be imported ({error}); apt-get install {package}")
            return 77
    import pytest

    os.makedirs(os.path.dirname(os.path.abspath(args.basetemp)), exist_ok=True)

    files = [os.path.join(HERE, name) for name in SUITES[args.suite]]
    return pytest.main(["-q", "-p", "no:cacheprovider", "--basetemp", args.basetemp, *rest, *files])


if __name__ == "__main__":
    sys.exit(main())
