"""torch.nn.init's functions, with PyTorch's argument names and defaults,
drawing nninit's reproducible values in place.

Every function takes the tensor first and returns it, like torch.nn.init,
plus the keyword-only arguments ``seed`` (int, default 0), ``stream`` (None:
id 0; an int id; or a str parameter name hashed as Stream::named does, e.g.
"fc1.weight") and ``threads`` (0: OpenMP's default). The deterministic ones
(constant_, ones_, zeros_, eye_, dirac_) use no random words; they take
seed and stream too (checked, then unused), so generic code can pass them. The values equal
``nninit fill --init torch.NAME`` with the same parameters, seed and stream.
Tensors: contiguous CPU torch tensors (float32, float64, float16, bfloat16)
or numpy arrays. Like torch.nn.init (which fills under torch.no_grad()),
parameters that require grad are filled in place and keep requires_grad;
no autograd history is recorded, and their version counter is bumped (a
graph that saved the old values refuses to run backward, as after any
in-place op).
"""

from . import _nninit

_fill_named = _nninit._fill_named

__all__ = [
    "calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_",
]


def calculate_gain(nonlinearity, param=None):
    """torch.nn.init.calculate_gain: the recommended gain of a nonlinearity
    (PyTorch's values). Unlike PyTorch, a param given for a nonlinearity
    other than leaky_relu is an error rather than ignored."""
    return _nninit.calculate_gain(nonlinearity, param)


def uniform_(tensor, a=0.0, b=1.0, *, seed=0, stream=None, threads=0):
    """U[a, b) (requires a < b)."""
    _fill_named(tensor, "torch.uniform", {"a": a, "b": b}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def normal_(tensor, mean=0.0, std=1.0, *, seed=0, stream=None, threads=0):
    """N(mean, std^2), not truncated."""
    _fill_named(tensor, "torch.normal", {"mean": mean, "std": std}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, *, seed=0, stream=None, threads=0):
    """N(mean, std^2) conditioned on [a, b]; a and b are absolute values."""
    _fill_named(tensor, "torch.trunc_normal", {"mean": mean, "std": std, "a": a, "b": b}, seed, stream, 0, threads,
                None, None, "tensor")
    return tensor


def constant_(tensor, val, *, seed=0, stream=None, threads=0):
    """Every element equals val."""
    _fill_named(tensor, "torch.constant", {"val": val}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def ones_(tensor, *, seed=0, stream=None, threads=0):
    _fill_named(tensor, "torch.ones", {}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def zeros_(tensor, *, seed=0, stream=None, threads=0):
    _fill_named(tensor, "torch.zeros", {}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def eye_(tensor, *, seed=0, stream=None, threads=0):
    """A 2-D tensor with ones where row == column."""
    _fill_named(tensor, "torch.eye", {}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def dirac_(tensor, groups=1, *, seed=0, stream=None, threads=0):
    """A 3-, 4- or 5-D convolution weight that passes its input through."""
    _fill_named(tensor, "torch.dirac", {"groups": groups}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def xavier_uniform_(tensor, gain=1.0, *, seed=0, stream=None, threads=0):
    """U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    _fill_named(tensor, "torch.xavier_uniform", {"gain": gain}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def xavier_normal_(tensor, gain=1.0, *, seed=0, stream=None, threads=0):
    """N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    _fill_named(tensor, "torch.xavier_normal", {"gain": gain}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", *, seed=0, stream=None, threads=0):
    """U(-bound, bound), bound = gain * sqrt(3 / fan); a is leaky_relu's
    negative slope (must be 0 for other nonlinearities)."""
    _fill_named(tensor, "torch.kaiming_uniform", {"a": a, "mode": mode, "nonlinearity": nonlinearity}, seed, stream,
                0, threads, None, None, "tensor")
    return tensor


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", *, seed=0, stream=None, threads=0):
    """N(0, std^2), std = gain / sqrt(fan), not truncated."""
    _fill_named(tensor, "torch.kaiming_normal", {"a": a, "mode": mode, "nonlinearity": nonlinearity}, seed, stream,
                0, threads, None, None, "tensor")
    return tensor


def orthogonal_(tensor, gain=1, *, seed=0, stream=None, threads=0):
    """A (semi-)orthogonal matrix (rows = shape[0], cols = the rest) times gain."""
    _fill_named(tensor, "torch.orthogonal", {"gain": gain}, seed, stream, 0, threads, None, None, "tensor")
    return tensor


def sparse_(tensor, sparsity, std=0.01, *, seed=0, stream=None, threads=0):
    """2-D, N(0, std^2) with ceil(sparsity * rows) zeros in every column."""
    _fill_named(tensor, "torch.sparse", {"sparsity": sparsity, "std": std}, seed, stream, 0, threads, None, None,
                "tensor")
    return tensor
