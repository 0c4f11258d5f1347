"""nninit.init_module: every parameter from its own named stream, recipes
and PyTorch's defaults, equal to `nninit init` of module_spec bit for bit."""

import json
import math
import struct
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

import nninit  # noqa: E402
from support import same_bits  # noqa: E402


def bits(t):
    if t.dtype == torch.bfloat16:
        return t.detach().view(torch.int16).numpy().view(np.uint16)
    return t.detach().numpy()


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 16)
        self.conv = nn.Conv1d(16, 8, 3, groups=2)
        self.norm = nn.LayerNorm(8)
        self.attention = nn.MultiheadAttention(8, 2)
        self.rnn = nn.LSTM(8, 12)
        self.head = nn.Sequential(nn.Linear(12, 10), nn.ReLU(), nn.Linear(10, 3, bias=True))


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    numpy_of = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "BF16": np.uint16}
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, stop = entry["data_offsets"]
        out[name] = np.frombuffer(data[start:stop], numpy_of[entry["dtype"]]).reshape(entry["shape"])
    return out


def test_defaults_are_pytorchs():
    spec = nninit.module_spec(Model(), seed=3)
    inits = {p["name"]: (p["init"], p.get("params", {})) for p in spec["parameters"]}
    assert inits["embed.weight"] == ("torch.normal", {})
    assert inits["conv.weight"] == ("torch.linear_default", {})
    assert inits["conv.bias"] == ("torch.linear_bias_default", {"fan_in": 8 * 3})
    assert inits["norm.weight"] == ("torch.ones", {}) and inits["norm.bias"] == ("torch.zeros", {})
    assert inits["attention.in_proj_weight"] == ("torch.xavier_uniform", {})
    assert inits["attention.in_proj_bias"] == ("torch.zeros", {})
    assert inits["attention.out_proj.weight"] == ("torch.linear_default", {})
    assert inits["attention.out_proj.bias"] == ("torch.zeros", {})
    assert inits["rnn.weight_ih_l0"] == ("torch.uniform", {"a": -1 / math.sqrt(12), "b": 1 / math.sqrt(12)})
    assert inits["head.0.bias"] == ("torch.linear_bias_default", {"fan_in": 12})
    assert spec["seed"] == 3


def test_every_parameter_from_its_named_stream():
    model = Model()
    recipe = {"head.*.weight": ("torch.kaiming_uniform", {"nonlinearity": "relu"}), "*bias*": "zeros",
              "rnn.weight_hh_*": {"init": "torch.orthogonal", "params": {"gain": 1.0}}}
    addresses = {name: p.data_ptr() for name, p in model.named_parameters()}
    assert nninit.init_module(model, recipe, seed=11) is model
    spec = nninit.module_spec(model, recipe, seed=11)
    by_name = {p["name"]: p for p in spec["parameters"]}
    for name, parameter in model.named_parameters():
        assert parameter.data_ptr() == addresses[name] and parameter.requires_grad
        entry = by_name[name]
        expected = nninit.fill(np.empty(tuple(parameter.shape), np.float32), entry["init"], seed=11, stream=name,
                               **entry.get("params", {}))
        assert same_bits(bits(parameter), expected), name
    assert by_name["head.0.weight"]["init"] == "torch.kaiming_uniform"
    assert by_name["rnn.bias_ih_l0"]["init"] == "zeros"  # the recipe before the default
    assert by_name["rnn.weight_hh_l0"]["init"] == "torch.orthogonal"


def test_equal_to_nninit_init_of_the_spec(cli, tmp_path):
    model = Model().to(torch.float64)
    model.head.to(torch.bfloat16)
    recipe = [("head.0.weight", "torch.xavier_normal")]
    nninit.init_module(model, recipe, seed=2**40 + 1)
    spec_path = tmp_path / "model.json"
    spec_path.write_text(json.dumps(nninit.module_spec(model, recipe, seed=2**40 + 1)))
    output = tmp_path / "model.safetensors"
    done = subprocess.run([cli.path, "init", str(spec_path), "-o", str(output)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    tensors = read_safetensors(output)
    for name, parameter in model.named_parameters():
        assert same_bits(bits(parameter), tensors[name]), name


def test_embedding_padding_row_is_zero_as_in_pytorch():
    model = nn.Embedding(10, 4, padding_idx=3)
    nninit.init_module(model, seed=1)
    assert (model.weight[3] == 0).all() and (model.weight[2] != 0).all()


def test_errors_before_anything_is_written():
    class Custom(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(4, 4)
            self.scale = nn.Parameter(torch.full((4,), 7.0))

    model = Custom()
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    with pytest.raises(ValueError, match="parameter 'scale' \\(of a Custom\\).*add a pattern"):
        nninit.init_module(model, seed=1)
    with pytest.raises(ValueError, match="colour"):
        nninit.init_module(model, {"scale": ("normal", {"colour": 1})}, seed=1)
    with pytest.raises(ValueError, match="unknown initializer"):
        nninit.init_module(model, {"*": "nonsense"}, seed=1)
    for name, p in model.named_parameters():
        assert torch.equal(p, before[name]), name
    nninit.init_module(model, {"scale": "ones"}, seed=1)
    assert (model.scale == 1).all()


def test_non_contiguous_parameters_are_staged():
    model = nn.Linear(6, 4)
    model.weight = nn.Parameter(torch.empty(6, 4).t())  # a transposed view
    nninit.init_module(model, seed=5)
    expected = nninit.fill(np.empty((4, 6), np.float32), "torch.linear_default", seed=5, stream="weight")
    assert same_bits(bits(model.weight.contiguous()), expected)

