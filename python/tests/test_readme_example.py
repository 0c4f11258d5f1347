"""The README's "From Python" example is run as written, and a broken copy
of it (a wrong law) must fail."""

import os
import re

import pytest

pytest.importorskip("torch")

import nninit  # noqa: E402

pytestmark = pytest.mark.skipif(not nninit._nninit._validation_available(),
                                reason="the module was built without the validation library")

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


def readme_example():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## From Python\n", 1)
    assert len(section) == 2, "README.md has no '## From Python' section"
    blocks = re.findall(r"```python\n(.*?)```", section[1].split("\n## ", 1)[0], re.S)
    assert blocks, "the 'From Python' section has no python block"
    return blocks


def run_tests_of(source):
    namespace = {"__name__": "readme_example"}
    exec(compile(source, "README.md (From Python)", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert tests, "the example defines no test function"
    for test in tests:
        test()


def test_the_readme_example_passes():
    source = readme_example()[0]
    assert len(source.strip().splitlines()) <= 12  # a short example
    run_tests_of(source)


def test_the_other_python_blocks_of_the_section_run():
    blocks = readme_example()[1:]
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md (From Python)", "exec"), {"__name__": "readme_block"})


def test_the_readme_example_fails_on_a_wrong_initialisation():
    example = readme_example()[0]
    broken = example.replace('nonlinearity="relu")', 'nonlinearity="tanh")', 1)
    assert broken != example
    with pytest.raises(AssertionError):
        run_tests_of(broken)
