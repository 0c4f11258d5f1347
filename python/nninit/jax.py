"""jax.nn.initializers' factories, drawing nninit's reproducible values.

    init = nninit.jax.he_normal()
    kernel = init(42, (3, 3, 64, 128))          # a new float32 numpy array

Each factory takes JAX's arguments and defaults and returns
``init(key, shape, dtype=<the factory's dtype>, *, stream=None, threads=0)``
(dtype: "float32" by default, as JAX without x64; a numpy dtype or a name).
``key`` is an int seed in [0, 2**64) (nninit's streams take a seed, not a PRNG
key array); ``stream`` picks the stream (None: id 0, an int id, or a str
parameter name). The result is a new C-contiguous numpy array; dtype
"bfloat16" gives a uint16 array of the raw bits. Fans are computed as JAX
computes them (in_axis, out_axis, batch_axis; at least 2 dimensions). The
values equal ``nninit fill --init jax.NAME`` with the same parameters, seed
and stream. zeros and ones are initializers themselves, as in JAX.
"""

from . import _nninit
from ._arguments import new_array, seed_from_key

__all__ = [
    "constant", "zeros", "ones", "uniform", "normal", "truncated_normal", "variance_scaling", "glorot_uniform",
    "glorot_normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "kaiming_uniform",
    "kaiming_normal", "lecun_uniform", "lecun_normal", "orthogonal", "delta_orthogonal",
]


def _initializer(name, params, default_dtype):
    _nninit._resolve(name, (2,) * 16, None, params)  # bad parameters are reported by the factory

    def init(key, shape, dtype=default_dtype, *, stream=None, threads=0):
        array = new_array(shape, dtype)
        _nninit._fill_named(array, name, params, seed_from_key(key), stream, 0, threads, None, None, "shape")
        return array

    init.__name__ = name.split(".")[-1]
    init.__qualname__ = init.__name__
    init.__doc__ = f"nninit's {name}({', '.join(f'{k}={v!r}' for k, v in params.items())})"
    return init


def _axes(in_axis, out_axis, batch_axis):
    return {"in_axis": in_axis, "out_axis": out_axis, "batch_axis": batch_axis}


def constant(value, dtype="float32"):
    return _initializer("jax.constant", {"value": value}, dtype)


def zeros(key, shape, dtype="float32"):
    array = new_array(shape, dtype)
    _nninit._fill_named(array, "jax.zeros", {}, seed_from_key(key), None, 0, 0, None, None, "shape")
    return array


def ones(key, shape, dtype="float32"):
    array = new_array(shape, dtype)
    _nninit._fill_named(array, "jax.ones", {}, seed_from_key(key), None, 0, 0, None, None, "shape")
    return array


def uniform(scale=1e-2, dtype="float32"):
    """U[0, scale)."""
    return _initializer("jax.uniform", {"scale": scale}, dtype)


def normal(stddev=1e-2, dtype="float32"):
    """N(0, stddev^2)."""
    return _initializer("jax.normal", {"stddev": stddev}, dtype)


def truncated_normal(stddev=1e-2, dtype="float32", lower=-2.0, upper=2.0):
    """N(0, stddev^2) on [lower * stddev, upper * stddev]."""
    return _initializer("jax.truncated_normal", {"stddev": stddev, "lower": lower, "upper": upper}, dtype)


def variance_scaling(scale, mode, distribution, in_axis=-2, out_axis=-1, batch_axis=(), dtype="float32"):
    """mode: fan_in, fan_out, fan_avg or fan_geo_avg; distribution:
    truncated_normal, normal (untruncated) or uniform."""
    params = {"scale": scale, "mode": mode, "distribution": distribution}
    params.update(_axes(in_axis, out_axis, batch_axis))
    return _initializer("jax.variance_scaling", params, dtype)


def _fan_family(name):
    def factory(in_axis=-2, out_axis=-1, batch_axis=(), dtype="float32"):
        return _initializer("jax." + name, _axes(in_axis, out_axis, batch_axis), dtype)

    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = f"jax.nn.initializers.{name}: nninit's jax.{name}"
    return factory


glorot_uniform = _fan_family("glorot_uniform")
glorot_normal = _fan_family("glorot_normal")
xavier_uniform = _fan_family("xavier_uniform")
xavier_normal = _fan_family("xavier_normal")
he_uniform = _fan_family("he_uniform")
he_normal = _fan_family("he_normal")
kaiming_uniform = _fan_family("kaiming_uniform")
kaiming_normal = _fan_family("kaiming_normal")
lecun_uniform = _fan_family("lecun_uniform")
lecun_normal = _fan_family("lecun_normal")


def orthogonal(scale=1.0, column_axis=-1, dtype="float32"):
    return _initializer("jax.orthogonal", {"scale": scale, "column_axis": column_axis}, dtype)


def delta_orthogonal(scale=1.0, column_axis=-1, dtype="float32"):
    return _initializer("jax.delta_orthogonal", {"scale": scale, "column_axis": column_axis}, dtype)
