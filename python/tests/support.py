"""Helpers shared by the Python module's tests."""

import numpy as np

NUMPY_DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16, "bf16": np.uint16}


def sentinel_array(shape, dtype_code):
    """An array whose every element holds a recognisable value (to see that nothing was written)."""
    array = np.empty(shape, NUMPY_DTYPES[dtype_code])
    array.reshape(-1).view(np.uint8)[:] = 0xA5
    return array



def same_bits(a, b):
    return a.shape == b.shape and a.dtype.itemsize == b.dtype.itemsize and a.tobytes() == b.tobytes()

