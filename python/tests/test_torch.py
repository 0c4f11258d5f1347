"""nninit.torch: torch.nn.init's signatures, in-place fills of CPU tensors
(no copy: data_ptr unchanged), every dtype, rejections that write nothing."""

import inspect
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nninit  # noqa: E402
import nninit.torch as nt  # noqa: E402
from support import same_bits  # noqa: E402

DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
NUMPY_OF = {torch.float32: np.float32, torch.float64: np.float64, torch.float16: np.float16,
            torch.bfloat16: np.uint16}


def bits(t):
    """The tensor's values as a numpy array (bfloat16 as uint16 bits)."""
    if t.dtype == torch.bfloat16:
        return t.detach().view(torch.int16).numpy().view(np.uint16)
    return t.detach().numpy()


# (function, positional/keyword arguments, nninit name, --param equivalents, shape)
CASES = [
    (nt.uniform_, {"a": -0.3, "b": 0.2}, "torch.uniform", {"a": -0.3, "b": 0.2}, (40, 30)),
    (nt.normal_, {"mean": 0.1, "std": 0.5}, "torch.normal", {"mean": 0.1, "std": 0.5}, (40, 30)),
    (nt.trunc_normal_, {"std": 0.02, "a": -0.04, "b": 0.03}, "torch.trunc_normal",
     {"std": 0.02, "a": -0.04, "b": 0.03}, (40, 30)),
    (nt.constant_, {"val": 0.25}, "torch.constant", {"val": 0.25}, (40, 30)),
    (nt.ones_, {}, "torch.ones", {}, (40, 30)),
    (nt.zeros_, {}, "torch.zeros", {}, (40, 30)),
    (nt.eye_, {}, "torch.eye", {}, (40, 30)),
    (nt.dirac_, {"groups": 2}, "torch.dirac", {"groups": 2}, (8, 4, 3, 3)),
    (nt.xavier_uniform_, {"gain": 2.0}, "torch.xavier_uniform", {"gain": 2.0}, (40, 30)),
    (nt.xavier_normal_, {}, "torch.xavier_normal", {}, (40, 30, 3)),
    (nt.kaiming_uniform_, {"nonlinearity": "relu"}, "torch.kaiming_uniform", {"nonlinearity": "relu"}, (40, 30)),
    (nt.kaiming_uniform_, {"a": math.sqrt(5)}, "torch.kaiming_uniform", {"a": math.sqrt(5)}, (16, 3, 5, 5)),
    (nt.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "relu"}, "torch.kaiming_normal",
     {"mode": "fan_out", "nonlinearity": "relu"}, (40, 30)),
    (nt.orthogonal_, {"gain": 1.5}, "torch.orthogonal", {"gain": 1.5}, (20, 30)),
    (nt.sparse_, {"sparsity": 0.25}, "torch.sparse", {"sparsity": 0.25}, (40, 30)),
]
RANDOM = {"torch.uniform", "torch.normal", "torch.trunc_normal", "torch.xavier_uniform", "torch.xavier_normal",
          "torch.kaiming_uniform", "torch.kaiming_normal", "torch.orthogonal", "torch.sparse"}


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("function, kwargs, name, params, shape", CASES, ids=[c[2] for c in CASES])
def test_in_place_bit_identical_to_fill(function, kwargs, name, params, shape, dtype):
    t = torch.empty(shape, dtype=dtype)
    address = t.data_ptr()
    extra = {"seed": 5, "stream": "layer.weight"} if name in RANDOM else {}
    assert function(t, **kwargs, **extra) is t
    assert t.data_ptr() == address
    expected = nninit.fill(np.empty(shape, NUMPY_OF[dtype]), name, **extra, **params)
    assert same_bits(bits(t), expected)


def test_equal_to_the_cli(cli):
    t = nt.kaiming_uniform_(torch.empty(256, 784), nonlinearity="relu", seed=42, stream="fc1.weight")
    expected = cli.fill("torch.kaiming_uniform", (256, 784), "f32", seed=42, stream="fc1.weight",
                        params={"nonlinearity": "relu"})
    assert same_bits(bits(t), expected)
    t = nt.trunc_normal_(torch.empty(100, 50, dtype=torch.bfloat16), std=0.02, a=-0.04, b=0.04, seed=1, stream=3)
    expected = cli.fill("torch.trunc_normal", (100, 50), "bf16", seed=1, stream=3,
                        params={"std": 0.02, "a": -0.04, "b": 0.04})
    assert same_bits(bits(t), expected)


def test_signatures_are_pytorchs():
    for name in ["uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
                 "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_",
                 "sparse_", "calculate_gain"]:
        ours = inspect.signature(getattr(nt, name)).parameters
        theirs = inspect.signature(getattr(torch.nn.init, name)).parameters
        for parameter in theirs.values():
            if parameter.name == "generator":  # newer PyTorch
                continue
            assert parameter.name in ours, (name, parameter.name)
            assert ours[parameter.name].default == parameter.default, (name, parameter.name)
        assert list(ours)[: len(theirs)] == [p for p in theirs if p != "generator"], name


def test_deterministic_ones_equal_pytorchs():
    for dtype in DTYPES:
        # (PyTorch 1.13 has no bfloat16 eye: compare with float32's, cast)
        assert torch.equal(nt.eye_(torch.empty(5, 7, dtype=dtype)), torch.nn.init.eye_(torch.empty(5, 7)).to(dtype))
        a = nt.dirac_(torch.empty(8, 4, 3, 3, dtype=dtype), groups=2)
        assert torch.equal(a, torch.nn.init.dirac_(torch.empty(8, 4, 3, 3, dtype=dtype), groups=2))
        assert torch.equal(nt.constant_(torch.empty(9, dtype=dtype), 0.3),
                           torch.nn.init.constant_(torch.empty(9, dtype=dtype), 0.3))
    for nonlinearity in ["linear", "conv2d", "sigmoid", "tanh", "relu", "selu"]:
        assert nt.calculate_gain(nonlinearity) == torch.nn.init.calculate_gain(nonlinearity)
    assert nt.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)


def test_parameters_that_require_grad_are_filled_like_torch_nn_init():
    layer = torch.nn.Linear(30, 20)
    weight = layer.weight
    address = weight.data_ptr()
    nt.kaiming_uniform_(weight, nonlinearity="relu", seed=1, stream="weight")
    assert weight.requires_grad and weight.is_leaf and weight.grad_fn is None and weight.data_ptr() == address
    expected = nninit.fill(np.empty((20, 30), np.float32), "torch.kaiming_uniform", seed=1, stream="weight",
                           nonlinearity="relu")
    assert same_bits(bits(weight), expected)
    loss = layer(torch.ones(1, 30)).sum()
    loss.backward()  # still a working parameter
    assert weight.grad is not None


def test_autograd_sees_the_in_place_write_like_torch_nn_init():
    """A weight saved for backward, then re-initialised: backward refuses, as after torch.nn.init."""
    for init in (lambda w: torch.nn.init.normal_(w), lambda w: nt.normal_(w, seed=1)):
        layer = torch.nn.Linear(4, 3)
        loss = (layer(torch.ones(2, 4, requires_grad=True)) ** 2).sum()  # saves the weight
        loss2 = (layer(torch.ones(2, 4)) ** 2).sum()
        loss2.backward()  # before the write: fine
        version = layer.weight._version
        init(layer.weight)
        assert layer.weight._version > version
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


def test_contiguous_views_are_filled_in_place():
    base = torch.zeros(10, 20)
    nt.normal_(base[2:5], seed=3)  # rows 2..4: contiguous
    assert (base[:2] == 0).all() and (base[5:] == 0).all() and (base[2:5] != 0).all()
    expected = nninit.fill(np.empty((3, 20), np.float32), "torch.normal", seed=3)
    assert same_bits(bits(base[2:5].contiguous()), expected)


def rejected(error, t, call, *words):
    before = t.clone()
    with pytest.raises(error) as caught:
        call()
    for word in words:
        assert word in str(caught.value), f"{word!r} not in {caught.value}"
    assert torch.equal(t, before)


def test_rejections_leave_the_tensor_untouched():
    t = torch.full((8, 6), 7.0)
    rejected(ValueError, t, lambda: nt.normal_(t.t()), "tensor", "not contiguous")
    rejected(ValueError, t, lambda: nt.normal_(t[:, ::2]), "tensor", "not contiguous")
    i = torch.zeros(5, dtype=torch.int32)
    rejected(TypeError, i, lambda: nt.normal_(i), "tensor", "torch.int32")
    c = torch.zeros(5, dtype=torch.complex64)
    rejected(TypeError, c, lambda: nt.normal_(c), "tensor", "complex64")
    rejected(ValueError, t, lambda: nt.kaiming_uniform_(t, mode="fan_sideways"), "mode", "fan_sideways")
    rejected(ValueError, t, lambda: nt.kaiming_uniform_(t, a=0.1, nonlinearity="relu"), "a")
    rejected(ValueError, t, lambda: nt.uniform_(t, 1.0, 0.0), "a")
    rejected(TypeError, t, lambda: nt.normal_(t, seed=-1.0), "seed")
    rejected(ValueError, t, lambda: nt.eye_(torch.empty(2, 2, 2)), "eye")
    meta = torch.empty(4, 4, device="meta")
    with pytest.raises(ValueError, match="tensor: on device meta"):
        nt.normal_(meta)
    sparse = torch.eye(3).to_sparse()
    with pytest.raises(ValueError, match="tensor: a torch.sparse_coo tensor"):
        nt.normal_(sparse)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_gpu_tensors_are_rejected():
    t = torch.zeros(4, 4, device="cuda")
    rejected(ValueError, t, lambda: nt.normal_(t), "tensor: on device cuda")


@pytest.mark.skipif(not nninit._nninit._validation_available(), reason="built without the validation library")
def test_validated_against_pytorchs_own_law():
    """nninit's kaiming_uniform_ and PyTorch's pass the same battery."""
    ours = nt.kaiming_uniform_(torch.empty(512, 256), nonlinearity="relu", seed=4)
    torch.manual_seed(0)
    theirs = torch.nn.init.kaiming_uniform_(torch.empty(512, 256), nonlinearity="relu")
    assert nninit.validate(ours, "torch.kaiming_uniform", nonlinearity="relu", bounds="inside").passed
    assert nninit.validate(theirs, "torch.kaiming_uniform", nonlinearity="relu").passed
