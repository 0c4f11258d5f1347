"""Bit identity with `nninit fill`: every initializer of the catalogue, every
dtype, whole tensors and slices at offsets, 1 and 2 threads."""

import numpy as np
import pytest

import nninit
from support import NUMPY_DTYPES, same_bits

# Parameters and shapes for the initializers that need them; the others take
# their defaults on a (40, 30) weight.
PARAMETERS = {
    "constant": {"value": 0.3},
    "torch.constant": {"val": -1.5},
    "jax.constant": {"value": 2.0},
    "torch.linear_bias_default": {"fan_in": 30},
    "torch.sparse": {"sparsity": 0.3, "std": 0.02},
    "jax.variance_scaling": {"scale": 2.0, "mode": "fan_geo_avg", "distribution": "uniform"},
    "keras.variance_scaling": {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"},
    "torch.kaiming_uniform": {"a": 0.2, "mode": "fan_out"},
    "torch.kaiming_normal": {"nonlinearity": "relu"},
    "torch.xavier_uniform": {"gain": 5 / 3},
    "torch.orthogonal": {"gain": 2.0},
    "torch.dirac": {"groups": 2},
    "truncated_normal": {"mean": 0.1, "std": 0.5, "lower": -0.2, "upper": 0.9},
}
SHAPES = {"torch.dirac": (8, 4, 3, 3), "jax.delta_orthogonal": (3, 3, 4, 8)}
NAMES = [entry["name"] for entry in nninit.initializers()]
STRUCTURED = {entry["name"] for entry in nninit.initializers() if entry["structured"]}


def test_every_catalogue_entry_is_covered():
    assert len(NAMES) > 50
    assert set(PARAMETERS) <= set(NAMES) and set(SHAPES) <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_initializer_every_dtype(cli, name):
    shape = SHAPES.get(name, (40, 30))
    params = PARAMETERS.get(name, {})
    count = int(np.prod(shape))
    for dtype in NUMPY_DTYPES:
        expected = cli.fill(name, shape, dtype, seed=7, stream="layer.weight", params=params)
        whole = nninit.fill(np.empty(shape, NUMPY_DTYPES[dtype]), name, seed=7, stream="layer.weight", **params)
        assert same_bits(whole, expected), (name, dtype)
        # a slice at an offset, with the logical shape for the fans and the structure
        start, stop = count // 3, count - 5
        part = nninit.fill(np.empty(stop - start, NUMPY_DTYPES[dtype]), name, seed=7, stream="layer.weight",
                           offset=start, shape=shape, **params)
        assert same_bits(part, expected.reshape(-1)[start:stop]), (name, dtype, "slice")


@pytest.mark.parametrize("name", ["normal", "torch.kaiming_uniform", "keras.he_normal", "jax.truncated_normal",
                                  "torch.sparse", "torch.orthogonal"])
@pytest.mark.parametrize("dtype", sorted(NUMPY_DTYPES))
def test_large_fills_at_offsets_and_threads(cli, name, dtype):
    shape = (300, 250)  # 75000 elements: above the parallel threshold
    params = PARAMETERS.get(name, {})
    expected = cli.fill(name, shape, dtype, seed=2**63 + 5, stream=12345, params=params, threads=1).reshape(-1)
    for threads in (1, 2):
        whole = nninit.fill(np.empty(shape, NUMPY_DTYPES[dtype]), name, seed=2**63 + 5, stream=12345,
                            threads=threads, **params)
        assert same_bits(whole.reshape(-1), expected), (threads, "whole")
        for start, stop in [(1, 40001), (33000, 75000), (74999, 75000)]:
            part = nninit.fill(np.empty(stop - start, NUMPY_DTYPES[dtype]), name, seed=2**63 + 5, stream=12345,
                               offset=start, shape=shape, threads=threads, **params)
            assert same_bits(part, expected[start:stop]), (threads, start, stop)


def test_plain_distributions_equal_their_cli_names(cli):
    cases = [
        (nninit.Uniform(-0.3, 0.7), "uniform", {"low": -0.3, "high": 0.7}),
        (nninit.Normal(0.1, 0.02), "normal", {"mean": 0.1, "std": 0.02}),
        (nninit.TruncatedNormal(0, 1, -1, 3), "truncated_normal", {"mean": 0, "std": 1, "lower": -1, "upper": 3}),
        (nninit.Constant(0.125), "constant", {"value": 0.125}),
    ]
    for distribution, name, params in cases:
        for dtype in NUMPY_DTYPES:
            expected = cli.fill(name, (1000,), dtype, seed=1, stream="b", params=params)
            got = nninit.fill(np.empty(1000, NUMPY_DTYPES[dtype]), distribution, seed=1, stream="b")
            assert same_bits(got, expected), (name, dtype)
