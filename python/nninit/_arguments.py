"""Shared helpers of the framework-style submodules: dtypes and new arrays."""

import numpy as np

_DTYPES = {
    "float32": np.float32, "f32": np.float32,
    "float64": np.float64, "f64": np.float64,
    "float16": np.float16, "f16": np.float16,
    "bfloat16": np.uint16, "bf16": np.uint16,
}


def new_array(shape, dtype, argument="dtype"):
    """An uninitialised C-contiguous numpy array for a fill. dtype: "float32",
    "float64", "float16", "bfloat16" (a uint16 array of its raw bits), a numpy
    float dtype, or None (float32)."""
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(int(d) for d in shape)
    if dtype is None:
        numpy_dtype = np.float32
    elif isinstance(dtype, str):
        if dtype not in _DTYPES:
            raise TypeError(f"{argument}: '{dtype}' is not float32, float64, float16 or bfloat16")
        numpy_dtype = _DTYPES[dtype]
    else:
        name = getattr(dtype, "name", None) or getattr(np.dtype(dtype), "name", str(dtype))
        if name not in _DTYPES:
            raise TypeError(f"{argument}: {dtype!r} is not float32, float64, float16 or bfloat16")
        numpy_dtype = _DTYPES[name]
    if any(d < 0 for d in shape):
        raise ValueError(f"shape {shape} has a negative dimension")
    return np.empty(shape, dtype=numpy_dtype)


def seed_from_key(key, argument="key"):
    """An int seed from a JAX-style key argument: an int, or a numpy integer."""
    if isinstance(key, bool) or not isinstance(key, (int, np.integer)):
        raise TypeError(f"{argument} must be an int seed in [0, 2**64) (nninit's streams take no PRNG "
                        f"key arrays), not {type(key).__name__}")
    return int(key)
