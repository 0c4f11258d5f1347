"""nninit: reproducible neural-network weight initialisation, bit for bit.

Fills numpy arrays and PyTorch CPU tensors in place (no copy; the GIL is
released while a fill runs) with exactly the values of nninit's C++ library
and of ``nninit fill``: the bits depend only on (seed, stream, element index,
distribution, dtype), never on the thread count.

    import numpy as np, nninit
    w = np.empty((256, 784), np.float32)
    nninit.fill(w, nninit.Normal(0, 0.02), seed=42, stream="fc.weight")
    nninit.fill(w, "torch.kaiming_uniform", seed=42, stream="fc.weight", nonlinearity="relu")

Submodules: nninit.torch (torch.nn.init's functions and signatures),
nninit.keras (keras.initializers' classes), nninit.jax
(jax.nn.initializers' factories), nninit.testing (assert_follows for pytest).
"""

from . import _nninit
from ._nninit import (
    Constant,
    Normal,
    TruncatedNormal,
    Uniform,
    __version__,
    calculate_gain,
    compute_fans,
    distribution_moments,
    stream_id_from_name,
    stream_version,
    truncated_normal_in_stddevs,
)
from ._validation import TestResult, ValidationResult, validate
from .modules import init_module, module_spec

__all__ = [
    "Constant", "Normal", "TruncatedNormal", "Uniform", "calculate_gain", "compute_fans", "distribution_moments",
    "fill", "init_module", "initializers", "module_spec", "resolve", "stream_id_from_name", "stream_version",
    "truncated_normal_in_stddevs", "validate", "TestResult", "ValidationResult", "__version__",
]


def fill(x, distribution, /, seed=0, stream=None, offset=0, *, threads=0, shape=None, layout=None, **params):
    """Fill ``x`` in place and return it.

    x: a C-contiguous, writable numpy array (float32, float64, float16, or
       uint16 holding bfloat16 bits) or a contiguous CPU torch tensor
       (float32, float64, float16, bfloat16).
    distribution: nninit.Uniform / Normal / TruncatedNormal / Constant, or an
       initializer name as ``nninit fill --init`` takes it
       ("torch.kaiming_uniform", "keras.HeNormal", "jax.orthogonal", ...;
       ``nninit.initializers()`` lists them) with its parameters as keywords
       (``nonlinearity="relu"``), read as ``--param KEY=VALUE``.
    seed: int in [0, 2**64).  stream: None (id 0), an int id, or a str
       parameter name (hashed as Stream::named does).
    offset: the index of x's first element in the logical tensor: filling
       [offset, offset + x.size) gives exactly that part of the whole fill.
    threads: 0 for OpenMP's default; the values never depend on it.
    shape, layout (initializer names only): the logical tensor's shape for
       the fans and the structure (default x.shape) and its layout
       ("torch" or "keras"; default: the initializer's framework's).

    Raises TypeError / ValueError naming the argument, writing nothing, for an
    unsupported array or a bad parameter.
    """
    if isinstance(distribution, str):
        _nninit._fill_named(x, distribution, params, seed, stream, offset, threads, shape, layout, "x")
    else:
        if params or shape is not None or layout is not None:
            given = sorted(params) + [k for k, v in (("shape", shape), ("layout", layout)) if v is not None]
            raise TypeError("fill: " + ", ".join(given) + " apply to initializer names, not to a "
                            + type(distribution).__name__)
        _nninit._fill(x, distribution, seed, stream, offset, threads, "x")
    return x


def resolve(init, shape=(), layout=None, **params):
    """What the initializer ``init`` draws for a tensor of ``shape``: a dict
    with its canonical ``name``, its ``distribution`` (element-wise
    initializers; None for structured ones), ``structured`` (a description,
    or None) and ``fans`` ((fan_in, fan_out) or None)."""
    return _nninit._resolve(init, shape, layout, params)


def initializers():
    """Every initializer name fill() takes, as dicts: name, summary,
    parameters [(name, meaning)], fan_parameters, uses_fans, structured,
    aliases (the list ``nninit inits`` prints)."""
    return _nninit._catalogue()


from . import jax, keras, testing, torch  # noqa: E402  (they use fill)
