"""keras.initializers' classes (Keras 3), drawing nninit's reproducible values.

    init = nninit.keras.HeNormal(seed=42)
    kernel = init((3, 3, 64, 128), dtype="float32")   # a new numpy array

Each class takes Keras's arguments and defaults; ``seed`` is an int (default
0; Keras's seed=None, "a fresh seed each call", is 0 here: nninit is
reproducible), and the keyword-only ``stream`` picks the stream (None: id 0,
an int id, or a str parameter name). Calling it with (shape, dtype) returns a
new C-contiguous numpy array; dtype "bfloat16" gives a uint16 array of the
raw bits. Shapes are read in Keras's layout [k..., in, out]. The values equal
``nninit fill --init keras.NAME`` with the same parameters, seed and stream.
"""

from . import _nninit
from ._arguments import new_array

__all__ = [
    "Initializer", "RandomUniform", "RandomNormal", "TruncatedNormal", "Constant", "Zeros", "Ones",
    "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "VarianceScaling",
    "Orthogonal", "Identity",
]


class Initializer:
    """Base of the classes below: ``__call__(shape, dtype=None)`` returns a new
    numpy array filled by the nninit initializer ``self.name``."""

    name = None

    def __init__(self, seed=0, *, stream=None, **params):
        self.seed = 0 if seed is None else seed
        self.stream = stream
        self.params = params
        # Bad parameters are reported at construction, as Keras does.
        _nninit._resolve(self.name, (4, 4), None, params)

    def __call__(self, shape, dtype=None, *, threads=0):
        array = new_array(shape, dtype)
        _nninit._fill_named(array, self.name, self.params, self.seed, self.stream, 0, threads, None, None, "shape")
        return array

    def get_config(self):
        config = dict(self.params)
        config["seed"] = self.seed
        return config

    @classmethod
    def from_config(cls, config):
        """The initializer get_config() describes, as in Keras."""
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"nninit.keras.{type(self).__name__}({arguments})"


class RandomUniform(Initializer):
    name = "keras.random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05, seed=0, *, stream=None):
        super().__init__(seed, stream=stream, minval=minval, maxval=maxval)


class RandomNormal(Initializer):
    name = "keras.random_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=0, *, stream=None):
        super().__init__(seed, stream=stream, mean=mean, stddev=stddev)


class TruncatedNormal(Initializer):
    """N(mean, stddev^2) truncated to mean +- 2 stddev, no variance correction."""

    name = "keras.truncated_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=0, *, stream=None):
        super().__init__(seed, stream=stream, mean=mean, stddev=stddev)


class Constant(Initializer):
    name = "keras.constant"

    def __init__(self, value=0.0):
        super().__init__(0, value=value)

    def get_config(self):
        return dict(self.params)


class Zeros(Initializer):
    name = "keras.zeros"

    def __init__(self):
        super().__init__(0)

    def get_config(self):
        return {}


class Ones(Initializer):
    name = "keras.ones"

    def __init__(self):
        super().__init__(0)

    def get_config(self):
        return {}


class _FanBased(Initializer):
    def __init__(self, seed=0, *, stream=None):
        super().__init__(seed, stream=stream)


class GlorotUniform(_FanBased):
    name = "keras.glorot_uniform"


class GlorotNormal(_FanBased):
    name = "keras.glorot_normal"


class HeUniform(_FanBased):
    name = "keras.he_uniform"


class HeNormal(_FanBased):
    name = "keras.he_normal"


class LecunUniform(_FanBased):
    name = "keras.lecun_uniform"


class LecunNormal(_FanBased):
    name = "keras.lecun_normal"


class VarianceScaling(Initializer):
    """scale / fan as uniform, untruncated_normal, or truncated_normal (Keras 3
    reads "normal" as truncated_normal)."""

    name = "keras.variance_scaling"

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=0, *, stream=None):
        super().__init__(seed, stream=stream, scale=scale, mode=mode, distribution=distribution)


class Orthogonal(Initializer):
    name = "keras.orthogonal"

    def __init__(self, gain=1.0, seed=0, *, stream=None):
        super().__init__(seed, stream=stream, gain=gain)


class Identity(Initializer):
    name = "keras.identity"

    def __init__(self, gain=1.0):
        super().__init__(0, gain=gain)

    def get_config(self):
        return dict(self.params)


# Keras's snake_case aliases of the classes.
random_uniform, random_normal, truncated_normal = RandomUniform, RandomNormal, TruncatedNormal
constant, zeros, ones = Constant, Zeros, Ones
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal, variance_scaling, orthogonal, identity = (
    LecunUniform, LecunNormal, VarianceScaling, Orthogonal, Identity)
