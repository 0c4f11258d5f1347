"""init_module: every parameter of a torch.nn.Module from its own named stream.

    nninit.init_module(model, {"*.weight": "torch.kaiming_uniform",
                               "*.bias": "zeros"}, seed=42)

Each parameter ``name`` is filled from ``Stream::named(seed, name)`` with the
first recipe entry whose pattern matches the full name (fnmatch: ``*``
matches across dots), or, when none matches, with the default PyTorch's
reset_parameters() uses for that module (nn.Linear and nn.ConvNd: kaiming
uniform with a = sqrt(5) and the bias bound 1 / sqrt(fan_in); norms: ones and
zeros; nn.Embedding: N(0, 1); RNNs: U(-1/sqrt(hidden), 1/sqrt(hidden));
nn.MultiheadAttention: xavier_uniform and zeros). The values equal
``nninit init`` of module_spec(module, recipe, seed) bit for bit.
"""

import fnmatch
import math

from . import _nninit

__all__ = ["init_module", "module_spec"]

_DTYPE_CODES = {"torch.float32": "f32", "torch.float64": "f64", "torch.bfloat16": "bf16", "torch.float16": "f16"}


def _recipe_entries(recipe):
    if recipe is None:
        return []
    items = recipe.items() if isinstance(recipe, dict) else recipe
    entries = []
    for item in items:
        try:
            pattern, init = item
        except (TypeError, ValueError):
            raise TypeError(f"recipe: {item!r} is not a (pattern, initializer) pair") from None
        if not isinstance(pattern, str):
            raise TypeError(f"recipe: the pattern {pattern!r} is not a str")
        entries.append((pattern, _initializer_of(init, f"recipe[{pattern!r}]")))
    return entries


def _initializer_of(init, where):
    """(name, params) from "name", ("name", {params}) or {"init": name, "params": {...}}."""
    if isinstance(init, str):
        return init, {}
    if isinstance(init, dict):
        unknown = set(init) - {"init", "params"}
        if "init" not in init or unknown:
            raise ValueError(f"{where}: a dict initializer needs 'init' (and optionally 'params'); "
                             f"got keys {sorted(init)}")
        return init["init"], dict(init.get("params", {}))
    if isinstance(init, (tuple, list)) and len(init) == 2 and isinstance(init[0], str) and isinstance(init[1], dict):
        return init[0], dict(init[1])
    raise TypeError(f"{where}: {init!r} is not an initializer name, (name, params) or "
                    "{'init': name, 'params': {...}}")


def _owners(module):
    """{full parameter name: (owning module, local name, owner's full name)}."""
    owners = {}
    for prefix, sub in module.named_modules():
        for local, _ in sub.named_parameters(recurse=False):
            full = f"{prefix}.{local}" if prefix else local
            owners.setdefault(full, (sub, local, prefix))
    return owners


def _fan_in(weight):
    shape = tuple(weight.shape)
    receptive = 1
    for d in shape[2:]:
        receptive *= d
    return shape[1] * receptive


def _pytorch_default(module, owner, local, owner_name, full_name):
    """The initializer PyTorch 1.13's reset_parameters() uses, as (name, params)."""
    import torch.nn as nn

    kind = type(owner).__name__
    parent = owner_name.rsplit(".", 1)[0] if "." in owner_name else ""
    parent_module = module.get_submodule(parent) if owner_name else None
    if (isinstance(parent_module, nn.MultiheadAttention) and owner_name.endswith("out_proj") and local == "bias"
            and owner is getattr(parent_module, "out_proj", None)):
        return "torch.zeros", {}
    if isinstance(owner, nn.MultiheadAttention):
        if local in ("in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
            return "torch.xavier_uniform", {}
        if local == "in_proj_bias":
            return "torch.zeros", {}
        if local in ("bias_k", "bias_v"):
            return "torch.xavier_normal", {}
    if isinstance(owner, nn.Bilinear):
        bound = 1 / math.sqrt(owner.weight.size(1))
        return "torch.uniform", {"a": -bound, "b": bound}
    if isinstance(owner, (nn.Linear, nn.modules.conv._ConvNd)):
        if local == "weight":
            return "torch.linear_default", {}
        if local == "bias":
            fan_in = _fan_in(owner.weight)
            if fan_in == 0:
                return "torch.zeros", {}
            return "torch.linear_bias_default", {"fan_in": fan_in}
    if isinstance(owner, (nn.Embedding, nn.EmbeddingBag)) and local == "weight":
        return "torch.normal", {}
    if isinstance(owner, (nn.LayerNorm, nn.GroupNorm, nn.modules.batchnorm._NormBase)):
        if local == "weight":
            return "torch.ones", {}
        if local == "bias":
            return "torch.zeros", {}
    if isinstance(owner, (nn.RNNBase, nn.RNNCellBase)):
        stdv = 1.0 / math.sqrt(owner.hidden_size) if owner.hidden_size > 0 else 0
        if stdv == 0:
            return "torch.zeros", {}
        return "torch.uniform", {"a": -stdv, "b": stdv}
    if isinstance(owner, nn.PReLU) and local == "weight":
        return "torch.constant", {"val": float(owner.init)}
    raise ValueError(f"parameter '{full_name}' (of a {kind}): no recipe pattern matches it and nninit knows no "
                     f"PyTorch default for a {kind}.{local}; add a pattern for it to the recipe")


def _plan(module, recipe):
    entries = _recipe_entries(recipe)
    owners = _owners(module)
    plan = []
    for name, parameter in module.named_parameters():
        for pattern, (init, params) in entries:
            if fnmatch.fnmatchcase(name, pattern):
                break
        else:
            owner, local, owner_name = owners[name]
            init, params = _pytorch_default(module, owner, local, owner_name, name)
        plan.append((name, parameter, init, params))
    return plan


def module_spec(module, recipe=None, seed=0):
    """The ``nninit init`` spec (a dict; json.dump it) that gives exactly the
    values init_module(module, recipe, seed) writes."""
    parameters = []
    for name, parameter, init, params in _plan(module, recipe):
        dtype = _DTYPE_CODES.get(str(parameter.dtype))
        if dtype is None:
            raise TypeError(f"parameter '{name}': dtype {parameter.dtype} is not float32, float64, float16 or "
                            "bfloat16")
        entry = {"name": name, "shape": list(parameter.shape), "dtype": dtype, "init": init}
        if params:
            entry["params"] = dict(params)
        parameters.append(entry)
    return {"seed": seed, "parameters": parameters}


def init_module(module, recipe=None, seed=0, *, threads=0):
    """Initialise every parameter of ``module`` in place and return it.

    recipe: {pattern: initializer} (first match wins, in order) or a list of
      (pattern, initializer) pairs; an initializer is a name as nninit.fill
      takes it, a (name, {params}) pair, or {"init": name, "params": {...}}.
    seed: int in [0, 2**64). Parameter ``name`` uses the stream named ``name``.
    Parameters on another device or not contiguous are filled on the CPU and
    copied in. An nn.Embedding(padding_idx=i) default has row i zeroed
    afterwards, as PyTorch does (module_spec cannot say so). Unknown names
    or parameters, and parameters no pattern matches and PyTorch has no
    default for, are reported before any parameter is written.
    """
    import torch

    plan = _plan(module, recipe)
    owners = _owners(module)
    for name, parameter, init, params in plan:  # resolve everything first: nothing written on an error
        _nninit._resolve(init, tuple(parameter.shape), None, params)
    with torch.no_grad():
        for name, parameter, init, params in plan:
            if parameter.device.type == "cpu" and parameter.is_contiguous():
                _nninit._fill_named(parameter, init, params, seed, name, 0, threads, None, None, name)
            else:
                staging = torch.empty(tuple(parameter.shape), dtype=parameter.dtype)
                _nninit._fill_named(staging, init, params, seed, name, 0, threads, None, None, name)
                parameter.copy_(staging)
        for name, parameter, init, params in plan:
            owner, local, _ = owners[name]
            if (isinstance(owner, (torch.nn.Embedding,)) and local == "weight" and init == "torch.normal"
                    and owner.padding_idx is not None and not _matched(recipe, name)):
                parameter[owner.padding_idx].fill_(0)
    return module


def _matched(recipe, name):
    return any(fnmatch.fnmatchcase(name, pattern) for pattern, _ in _recipe_entries(recipe))
