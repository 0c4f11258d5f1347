"""Shared helpers of the framework-style submodules: dtypes and new arrays.
numpy is imported when first needed, so that `import nninit` works without it
(fills of torch tensors and other buffers do not need it)."""

_DTYPE_NAMES = {
    "float32": "float32", "f32": "float32",
    "float64": "float64", "f64": "float64",
    "float16": "float16", "f16": "float16",
    "bfloat16": "uint16", "bf16": "uint16",
}


def new_array(shape, dtype, argument="dtype"):
    """An uninitialised C-contiguous numpy array for a fill. dtype: "float32",
    "float64", "float16", "bfloat16" (a uint16 array of its raw bits), a numpy
    float dtype, or None (float32)."""
    import numpy as np

    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(int(d) for d in shape)
    if dtype is None:
        numpy_dtype = "float32"
    elif isinstance(dtype, str):
        if dtype not in _DTYPE_NAMES:
            raise TypeError(f"{argument}: '{dtype}' is not float32, float64, float16 or bfloat16")
        numpy_dtype = _DTYPE_NAMES[dtype]
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = None
        if name not in _DTYPE_NAMES:
            raise TypeError(f"{argument}: {dtype!r} is not float32, float64, float16 or bfloat16")
        numpy_dtype = _DTYPE_NAMES[name]
    if any(d < 0 for d in shape):
        raise ValueError(f"shape {shape} has a negative dimension")
    return np.empty(shape, dtype=numpy_dtype)


def seed_from_key(key, argument="key"):
    """An int seed from a JAX-style key argument: an int, or a numpy integer."""
    import numpy as np

    if isinstance(key, bool) or not isinstance(key, (int, np.integer)):
        raise TypeError(f"{argument} must be an int seed in [0, 2**64) (nninit's streams take no PRNG "
                        f"key arrays), not {type(key).__name__}")
    return int(key)
