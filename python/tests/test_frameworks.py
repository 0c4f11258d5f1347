"""nninit.keras classes and nninit.jax factories: new numpy arrays, in the
frameworks' calling styles, equal to nninit.fill (and so to `nninit fill`)
of the same name and parameters."""

import numpy as np
import pytest

import nninit
import nninit.jax
import nninit.keras
from support import same_bits

KERAS = [
    (nninit.keras.RandomUniform(-0.2, 0.3, seed=4), "keras.random_uniform", {"minval": -0.2, "maxval": 0.3}),
    (nninit.keras.RandomNormal(0.1, 0.5, seed=4), "keras.random_normal", {"mean": 0.1, "stddev": 0.5}),
    (nninit.keras.TruncatedNormal(stddev=0.02, seed=4), "keras.truncated_normal", {"stddev": 0.02}),
    (nninit.keras.Constant(0.7), "keras.constant", {"value": 0.7}),
    (nninit.keras.Zeros(), "keras.zeros", {}),
    (nninit.keras.Ones(), "keras.ones", {}),
    (nninit.keras.GlorotUniform(seed=4), "keras.glorot_uniform", {}),
    (nninit.keras.GlorotNormal(seed=4), "keras.glorot_normal", {}),
    (nninit.keras.HeUniform(seed=4), "keras.he_uniform", {}),
    (nninit.keras.HeNormal(seed=4), "keras.he_normal", {}),
    (nninit.keras.LecunUniform(seed=4), "keras.lecun_uniform", {}),
    (nninit.keras.LecunNormal(seed=4), "keras.lecun_normal", {}),
    (nninit.keras.VarianceScaling(2.0, "fan_out", "uniform", seed=4), "keras.variance_scaling",
     {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}),
    (nninit.keras.Orthogonal(1.5, seed=4), "keras.orthogonal", {"gain": 1.5}),
    (nninit.keras.Identity(2.0), "keras.identity", {"gain": 2.0}),
]


@pytest.mark.parametrize("initializer, name, params", KERAS, ids=[k[1] for k in KERAS])
@pytest.mark.parametrize("dtype, numpy_dtype", [("float32", np.float32), ("float64", np.float64),
                                                ("float16", np.float16), ("bfloat16", np.uint16)])
def test_keras_classes(initializer, name, params, dtype, numpy_dtype):
    shape = (6, 9) if name == "keras.identity" else (3, 3, 6, 9)
    if name == "keras.identity":
        pass
    array = initializer(shape, dtype=dtype)
    assert isinstance(array, np.ndarray) and array.shape == shape and array.dtype == numpy_dtype
    seed = 0 if name in ("keras.constant", "keras.zeros", "keras.ones", "keras.identity") else 4
    expected = nninit.fill(np.empty(shape, numpy_dtype), name, seed=seed, **params)
    assert same_bits(array, expected)


def test_keras_defaults_stream_and_config():
    a = nninit.keras.HeNormal()((64, 32))
    assert a.dtype == np.float32
    assert same_bits(a, nninit.fill(np.empty((64, 32), np.float32), "keras.he_normal"))
    b = nninit.keras.HeNormal(seed=9, stream="dense.kernel")((64, 32))
    assert same_bits(b, nninit.fill(np.empty((64, 32), np.float32), "keras.he_normal", seed=9,
                                    stream="dense.kernel"))
    assert nninit.keras.RandomNormal(stddev=0.1, seed=3).get_config() == {"mean": 0.0, "stddev": 0.1, "seed": 3}
    assert nninit.keras.he_normal is nninit.keras.HeNormal
    for initializer in [nninit.keras.VarianceScaling(2.0, "fan_avg", "uniform", seed=5), nninit.keras.Constant(3.0),
                        nninit.keras.Zeros(), nninit.keras.Identity(0.5), nninit.keras.RandomUniform(-1, 2, seed=3)]:
        copy = type(initializer).from_config(initializer.get_config())
        assert same_bits(copy((7, 7)), initializer((7, 7)))
    with pytest.raises(ValueError, match="mode"):
        nninit.keras.VarianceScaling(mode="fan_sideways")
    with pytest.raises(TypeError, match="dtype"):
        nninit.keras.HeNormal()((4, 4), dtype="int8")


JAX = [
    (nninit.jax.uniform(0.5), "jax.uniform", {"scale": 0.5}),
    (nninit.jax.normal(0.3), "jax.normal", {"stddev": 0.3}),
    (nninit.jax.truncated_normal(0.3, lower=-1.0, upper=3.0), "jax.truncated_normal",
     {"stddev": 0.3, "lower": -1.0, "upper": 3.0}),
    (nninit.jax.constant(0.5), "jax.constant", {"value": 0.5}),
    (nninit.jax.variance_scaling(1.0, "fan_geo_avg", "normal"), "jax.variance_scaling",
     {"scale": 1.0, "mode": "fan_geo_avg", "distribution": "normal"}),
    (nninit.jax.variance_scaling(2.0, "fan_in", "truncated_normal", in_axis=(0, 1, 2), out_axis=3),
     "jax.variance_scaling",
     {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal", "in_axis": (0, 1, 2), "out_axis": 3}),
    (nninit.jax.glorot_uniform(), "jax.glorot_uniform", {}),
    (nninit.jax.glorot_normal(), "jax.glorot_normal", {}),
    (nninit.jax.xavier_normal(), "jax.xavier_normal", {}),
    (nninit.jax.he_uniform(), "jax.he_uniform", {}),
    (nninit.jax.he_normal(batch_axis=0), "jax.he_normal", {"batch_axis": 0}),
    (nninit.jax.kaiming_normal(), "jax.kaiming_normal", {}),
    (nninit.jax.lecun_uniform(), "jax.lecun_uniform", {}),
    (nninit.jax.lecun_normal(), "jax.lecun_normal", {}),
    (nninit.jax.orthogonal(2.0, column_axis=0), "jax.orthogonal", {"scale": 2.0, "column_axis": 0}),
    (nninit.jax.delta_orthogonal(1.0), "jax.delta_orthogonal", {"scale": 1.0}),
]


@pytest.mark.parametrize("init, name, params", JAX, ids=[j[1] + str(i) for i, j in enumerate(JAX)])
@pytest.mark.parametrize("dtype, numpy_dtype", [(np.float32, np.float32), ("float64", np.float64),
                                                (np.float16, np.float16), ("bfloat16", np.uint16)])
def test_jax_factories(init, name, params, dtype, numpy_dtype):
    shape = (3, 3, 6, 9)
    array = init(21, shape, dtype)
    assert isinstance(array, np.ndarray) and array.shape == shape and array.dtype == numpy_dtype
    expected = nninit.fill(np.empty(shape, numpy_dtype), name, seed=21, **params)
    assert same_bits(array, expected)


def test_jax_zeros_ones_and_keys():
    assert (nninit.jax.zeros(0, (3, 4)) == 0).all() and nninit.jax.zeros(0, (3, 4)).dtype == np.float32
    assert (nninit.jax.ones(0, (3, 4), np.float64) == 1).all()
    a = nninit.jax.normal()(np.uint32(5), (100,), stream="w")
    assert same_bits(a, nninit.fill(np.empty(100, np.float32), "jax.normal", seed=5, stream="w"))
    with pytest.raises(TypeError, match="key"):
        nninit.jax.normal()(np.array([0, 5], np.uint32), (100,))
    with pytest.raises(ValueError, match="stddev"):
        nninit.jax.normal(-1.0)
