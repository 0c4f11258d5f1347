"""nninit.fill on numpy arrays: in place, every dtype, offsets, threads,
streams, the distribution classes and fills by initializer name."""

import math

import numpy as np
import pytest

import nninit
from support import NUMPY_DTYPES, same_bits, sentinel_array

DISTRIBUTIONS = [
    nninit.Uniform(-0.1, 0.1),
    nninit.Normal(0.5, 2.0),
    nninit.TruncatedNormal(0.0, 0.02, -0.04, 0.04),
    nninit.Constant(0.25),
]


def stream_id_reference(name):
    """FNV-1a of the UTF-8 bytes, then the SplitMix64 finaliser (nninit/stream.hpp)."""
    mask = (1 << 64) - 1
    h = 0xCBF29CE484222325
    for byte in name.encode():
        h = ((h ^ byte) * 0x100000001B3) & mask
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & mask
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & mask
    h ^= h >> 31
    return h


@pytest.mark.parametrize("name", ["", "fc.weight", "encoder.layer3.weight", "émbedding"])
def test_stream_id_from_name_is_fnv1a_splitmix(name):
    assert nninit.stream_id_from_name(name) == stream_id_reference(name)


@pytest.mark.parametrize("dtype", sorted(NUMPY_DTYPES))
@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=repr)
def test_fill_is_in_place_and_returns_its_argument(dtype, distribution):
    x = sentinel_array((37, 29), dtype)
    address = x.ctypes.data
    assert nninit.fill(x, distribution, seed=3, stream="w") is x
    assert x.ctypes.data == address
    assert not same_bits(x, sentinel_array((37, 29), dtype))


@pytest.mark.parametrize("dtype", sorted(NUMPY_DTYPES))
def test_values_depend_on_seed_and_stream_only(dtype):
    a = nninit.fill(np.empty(1000, NUMPY_DTYPES[dtype]), nninit.Normal(0, 1), seed=5, stream="layer")
    b = nninit.fill(np.empty(1000, NUMPY_DTYPES[dtype]), nninit.Normal(0, 1), seed=5,
                    stream=nninit.stream_id_from_name("layer"))
    c = nninit.fill(np.empty(1000, NUMPY_DTYPES[dtype]), nninit.Normal(0, 1), seed=6, stream="layer")
    d = nninit.fill(np.empty(1000, NUMPY_DTYPES[dtype]), nninit.Normal(0, 1), seed=5, stream="layer2")
    assert same_bits(a, b)
    assert not same_bits(a, c) and not same_bits(a, d)


@pytest.mark.parametrize("dtype", sorted(NUMPY_DTYPES))
@pytest.mark.parametrize("distribution", DISTRIBUTIONS[:3], ids=repr)
def test_any_slice_at_its_offset_equals_that_part_of_the_whole(dtype, distribution):
    n = 3 * nninit._nninit.parallel_threshold + 17
    whole = nninit.fill(np.empty(n, NUMPY_DTYPES[dtype]), distribution, seed=11, stream=9, threads=2)
    for start, stop in [(0, 1), (1, 6), (3, n), (n - 5, n), (40000, 70001)]:
        part = np.empty(stop - start, NUMPY_DTYPES[dtype])
        nninit.fill(part, distribution, seed=11, stream=9, offset=start)
        assert same_bits(part, whole[start:stop]), (start, stop)
        view = sentinel_array(n, dtype)
        nninit.fill(view[start:stop], distribution, seed=11, stream=9, offset=start)
        assert same_bits(view[start:stop], whole[start:stop])
        assert same_bits(view[:start], sentinel_array(start, dtype))  # nothing outside the view written


@pytest.mark.parametrize("dtype", sorted(NUMPY_DTYPES))
def test_thread_count_never_changes_a_bit(dtype):
    n = 5 * nninit._nninit.parallel_threshold + 3
    results = [nninit.fill(np.empty(n, NUMPY_DTYPES[dtype]), nninit.TruncatedNormal(0, 1, -2, 2), seed=1,
                           threads=t) for t in (1, 2, 3, 0)]
    for other in results[1:]:
        assert same_bits(results[0], other)


def test_empty_and_zero_dimensional_arrays():
    empty = np.empty((0, 5), np.float32)
    assert nninit.fill(empty, nninit.Normal()) is empty
    scalar = np.zeros((), np.float64)
    nninit.fill(scalar, nninit.Constant(3.5))
    assert scalar[()] == 3.5


def test_constant_in_every_dtype():
    for dtype, expected in [("f32", 0.1), ("f64", 0.1), ("f16", 0.1)]:
        x = nninit.fill(np.empty(10, NUMPY_DTYPES[dtype]), nninit.Constant(0.1))
        assert (x == NUMPY_DTYPES[dtype](expected)).all()
    bits = nninit.fill(np.empty(10, np.uint16), nninit.Constant(1.0))
    assert (bits == 0x3F80).all()  # bfloat16 1.0


def test_distribution_classes():
    assert nninit.Uniform(-1, 1) == nninit.Uniform(-1.0, 1.0)
    assert nninit.Uniform(-1, 1) != nninit.Uniform(-1, 2)
    assert nninit.Normal(0, 1) != nninit.Uniform(0, 1)
    assert len({nninit.Normal(0, 1), nninit.Normal(0.0, 1.0)}) == 1
    t = nninit.TruncatedNormal(mean=1, std=2, lower=-3, upper=5)
    assert (t.mean, t.std, t.lower, t.upper) == (1, 2, -3, 5)
    assert nninit.truncated_normal_in_stddevs(0, 0.02, -2, 2) == nninit.TruncatedNormal(0, 0.02, -0.04, 0.04)
    assert "uniform" in repr(nninit.Uniform(-0.1, 0.1))
    mean, std = nninit.distribution_moments(nninit.Uniform(-1, 1))
    assert mean == 0 and abs(std - 1 / math.sqrt(3)) < 1e-15


def test_fill_by_name_equals_the_distribution_it_resolves_to():
    resolved = nninit.resolve("torch.kaiming_uniform", (256, 784), nonlinearity="relu")
    assert resolved["name"] == "torch.kaiming_uniform"
    assert resolved["fans"] == (784.0, 256.0)
    bound = math.sqrt(6 / 784)
    assert resolved["distribution"] == nninit.Uniform(-bound, bound)
    a = nninit.fill(np.empty((256, 784), np.float32), "torch.kaiming_uniform", seed=2, stream="fc",
                    nonlinearity="relu")
    b = nninit.fill(np.empty((256, 784), np.float32), resolved["distribution"], seed=2, stream="fc")
    assert same_bits(a, b)
    # the logical shape gives the fans of a slice
    part = nninit.fill(np.empty(1000, np.float32), "torch.kaiming_uniform", seed=2, stream="fc", offset=5000,
                       shape=(256, 784), nonlinearity="relu")
    assert same_bits(part, a.reshape(-1)[5000:6000])
    again = nninit.fill(np.empty(1000, np.float32), "torch.kaiming_uniform", seed=2, stream="fc", offset=5000,
                        shape=np.array([256, 784]), nonlinearity="relu")  # numpy integers as dimensions
    assert same_bits(again, part)
    with pytest.raises(TypeError, match="shape"):
        nninit.fill(np.empty(10, np.float32), "normal", shape=(2.0, 5))


def test_initializer_catalogue():
    names = {entry["name"] for entry in nninit.initializers()}
    assert {"torch.kaiming_uniform", "keras.he_normal", "jax.orthogonal", "torch.sparse", "uniform"} <= names
    structured = {entry["name"] for entry in nninit.initializers() if entry["structured"]}
    assert "torch.orthogonal" in structured and "torch.kaiming_uniform" not in structured


def test_calculate_gain_and_fans():
    assert nninit.calculate_gain("relu") == math.sqrt(2)
    assert nninit.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    assert nninit.compute_fans((64, 3, 3, 3)) == (27, 576)
    assert nninit.compute_fans((3, 3, 64, 128), "keras") == (576, 1152)


def test_memoryview_and_other_buffers():
    import array

    buffer = array.array("f", [0.0] * 100)
    nninit.fill(buffer, nninit.Constant(2.0))
    assert list(buffer) == [2.0] * 100
