"""Every rejection names its argument and leaves the input untouched."""

import numpy as np
import pytest

import nninit
from support import same_bits, sentinel_array


def rejected(error, x, call, *words):
    """call() raises `error` whose message holds every word, and x keeps its bits."""
    before = x.copy()
    with pytest.raises(error) as caught:
        call()
    for word in words:
        assert word in str(caught.value), f"{word!r} not in {caught.value}"
    assert same_bits(np.asarray(x), before)
    return caught.value


def test_read_only_array():
    x = sentinel_array(100, "f32")
    x.flags.writeable = False
    rejected(ValueError, x, lambda: nninit.fill(x, nninit.Normal()), "x", "read-only")


def test_non_contiguous_views():
    base = sentinel_array((10, 10), "f32")
    rejected(ValueError, base, lambda: nninit.fill(base[:, ::2], nninit.Normal()), "x", "contiguous")
    rejected(ValueError, base, lambda: nninit.fill(base.T, nninit.Normal()), "x", "contiguous")
    fortran = np.asfortranarray(sentinel_array((4, 6), "f64"))
    rejected(ValueError, fortran, lambda: nninit.fill(fortran, nninit.Normal()), "contiguous")


@pytest.mark.parametrize("dtype", [np.int32, np.int16, np.complex64, np.float128 if hasattr(np, "float128")
                                   else np.int8, np.bool_])
def test_unsupported_dtypes(dtype):
    x = np.zeros(16, dtype)
    rejected(TypeError, x, lambda: nninit.fill(x, nninit.Normal()), "x", "dtype")


def test_big_endian():
    x = np.zeros(16, ">f4")
    rejected(TypeError, x, lambda: nninit.fill(x, nninit.Normal()), "x", "byte order")


def test_misaligned():
    raw = bytearray(4 * 17)
    x = np.frombuffer(raw, dtype=np.float32, offset=1, count=16)
    rejected(ValueError, x, lambda: nninit.fill(x, nninit.Normal()), "x", "aligned")


def test_not_an_array():
    with pytest.raises(TypeError, match="x: a list"):
        nninit.fill([0.0] * 4, nninit.Normal())


@pytest.mark.parametrize("keyword, value, error, words", [
    ("seed", -1, ValueError, ["seed", ">= 0"]),
    ("seed", 2**64, ValueError, ["seed", "2**64"]),
    ("seed", 1.5, TypeError, ["seed", "float"]),
    ("seed", True, TypeError, ["seed", "bool"]),
    ("stream", -3, ValueError, ["stream", ">= 0"]),
    ("stream", 2.0, TypeError, ["stream", "float"]),
    ("offset", -1, ValueError, ["offset"]),
    ("threads", -1, ValueError, ["threads"]),
    ("threads", 10000, ValueError, ["threads"]),
])
def test_bad_seed_stream_offset_threads(keyword, value, error, words):
    x = sentinel_array(50, "f32")
    rejected(error, x, lambda: nninit.fill(x, nninit.Normal(), **{keyword: value}), *words)


def test_largest_seed_and_stream_are_accepted():
    x = nninit.fill(np.empty(8, np.float32), nninit.Normal(), seed=2**64 - 1, stream=2**64 - 1)
    assert np.isfinite(x).all()


@pytest.mark.parametrize("distribution, words", [
    (nninit.Uniform(1, 0), ["low", "high"]),
    (nninit.Normal(0, -1), ["std"]),
    (nninit.TruncatedNormal(0, 1, 3, 2), ["lower"]),
    (nninit.Constant(float("inf")), ["value"]),
])
def test_bad_distributions(distribution, words):
    x = sentinel_array(50, "f64")
    rejected(ValueError, x, lambda: nninit.fill(x, distribution), *words)


def test_offset_past_the_end_of_the_stream():
    x = sentinel_array(50, "f32")
    rejected(ValueError, x, lambda: nninit.fill(x, nninit.Normal(), offset=2**64 - 10), "offset")


@pytest.mark.parametrize("call, words", [
    (lambda x: nninit.fill(x, "torch.kaiming_unifrom"), ["unknown initializer", "torch.kaiming_unifrom"]),
    (lambda x: nninit.fill(x, "kaiming_normal"), ["ambiguous"]),
    (lambda x: nninit.fill(x, "torch.kaiming_uniform", colour="red"), ["colour"]),
    (lambda x: nninit.fill(x, "torch.kaiming_uniform", mode="fan_sideways"), ["mode", "fan_sideways"]),
    (lambda x: nninit.fill(x, "torch.kaiming_uniform", nonlinearity="relu", a=0.1), ["a"]),
    (lambda x: nninit.fill(x, "torch.sparse"), ["sparsity"]),
    (lambda x: nninit.fill(x, "torch.eye", shape=(2, 5, 5)), ["eye", "(2, 5, 5)"]),
    (lambda x: nninit.fill(x, "torch.orthogonal", shape=(50,)), ["orthogonal"]),
    (lambda x: nninit.fill(x, "torch.xavier_uniform", shape=(50,)), ["shape"]),
    (lambda x: nninit.fill(x, "torch.uniform", a=[1, 2]), ["a"]),
    (lambda x: nninit.fill(x, "torch.uniform", a=True), ["a", "bool"]),
    (lambda x: nninit.fill(x, "torch.uniform", offset=45, shape=(5, 9)), ["offset"]),
    (lambda x: nninit.fill(x, nninit.Normal(), nonlinearity="relu"), ["nonlinearity"]),
    (lambda x: nninit.fill(x, "normal", layout="sideways"), ["layout"]),
    (lambda x: nninit.fill(x, 0.5), ["distribution"]),
])
def test_bad_initializers(call, words):
    x = sentinel_array((5, 10), "f32")
    error = rejected((ValueError, TypeError), x, lambda: call(x), *words)
    assert "--param" not in str(error) and "--init" not in str(error)  # Python's words, not the CLI's
