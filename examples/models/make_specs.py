#!/usr/bin/env python3
"""Writes the model specs of examples/models/ (JSON for `nninit init`).

    python3 examples/models/make_specs.py [--check] [--output-dir DIR]

Each spec lists a model's parameters under the names its reference
implementation gives them (Hugging Face GPT-2 and LLaMA, torchvision ResNet-50,
timm ViT-B/16, torch.nn.LSTM), with the initialisation recipe of that
implementation; README.md in this folder gives the sources. --check compares
the committed files with what this script writes and fails on a difference
(the ctest cli.model_specs runs it), so the JSON files never drift from here.
"""
import argparse
import json
import math
import os
import sys

SEED = 42


def entry(name, shape, init, params=None, dtype="f32", shard_dim=None):
    e = {"name": name, "shape": list(shape), "dtype": dtype, "init": init}
    if params:
        e["params"] = params
    if shard_dim is not None:
        e["shard_dim"] = shard_dim
    return e


def spec(parameters, seed=SEED):
    return {"seed": seed, "layout": "torch", "parameters": parameters}


# ---- GPT-2 small (Hugging Face GPT2LMHeadModel; nanoGPT uses the same recipe).
# HF's Conv1D stores weights as [in, out] (the transpose of nn.Linear), so a
# column-parallel split is dim 1 and a row-parallel split is dim 0 here.
def gpt2_small(n_layer=12, n_embd=768, vocab=50257, n_ctx=1024):
    std = 0.02
    residual_std = std / math.sqrt(2 * n_layer)  # attn.c_proj and mlp.c_proj
    p = [
        entry("transformer.wte.weight", [vocab, n_embd], "normal", {"std": std}, shard_dim=0),  # vocab-parallel
        entry("transformer.wpe.weight", [n_ctx, n_embd], "normal", {"std": std}),
    ]
    for i in range(n_layer):
        h = f"transformer.h.{i}."
        p += [
            entry(h + "ln_1.weight", [n_embd], "ones"),
            entry(h + "ln_1.bias", [n_embd], "zeros"),
            # Fused q|k|v: torch.chunk of the 2304 columns would not give each
            # rank whole heads of q, k and v (Megatron interleaves them), so no shard_dim.
            entry(h + "attn.c_attn.weight", [n_embd, 3 * n_embd], "normal", {"std": std}),
            entry(h + "attn.c_attn.bias", [3 * n_embd], "zeros"),
            entry(h + "attn.c_proj.weight", [n_embd, n_embd], "normal", {"std": residual_std}, shard_dim=0),
            entry(h + "attn.c_proj.bias", [n_embd], "zeros"),
            entry(h + "ln_2.weight", [n_embd], "ones"),
            entry(h + "ln_2.bias", [n_embd], "zeros"),
            entry(h + "mlp.c_fc.weight", [n_embd, 4 * n_embd], "normal", {"std": std}, shard_dim=1),
            entry(h + "mlp.c_fc.bias", [4 * n_embd], "zeros", shard_dim=0),
            entry(h + "mlp.c_proj.weight", [4 * n_embd, n_embd], "normal", {"std": residual_std}, shard_dim=0),
            entry(h + "mlp.c_proj.bias", [n_embd], "zeros"),
        ]
    p += [entry("transformer.ln_f.weight", [n_embd], "ones"), entry("transformer.ln_f.bias", [n_embd], "zeros")]
    # lm_head.weight is tied to transformer.wte.weight: not a parameter of its own.
    return spec(p)


# ---- ResNet-50 (torchvision.models.resnet50, zero_init_residual=False).
def resnet50(num_classes=1000):
    p = []

    def conv(name, out_c, in_c, k):
        p.append(entry(name, [out_c, in_c, k, k], "torch.kaiming_normal",
                       {"mode": "fan_out", "nonlinearity": "relu"}))

    def bn(name, c):
        p.append(entry(name + ".weight", [c], "ones"))
        p.append(entry(name + ".bias", [c], "zeros"))

    conv("conv1.weight", 64, 3, 7)
    bn("bn1", 64)
    in_c = 64
    for stage, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)], start=1):
        for b in range(blocks):
            x = f"layer{stage}.{b}."
            out_c = width * 4
            conv(x + "conv1.weight", width, in_c, 1)
            bn(x + "bn1", width)
            conv(x + "conv2.weight", width, width, 3)
            bn(x + "bn2", width)
            conv(x + "conv3.weight", out_c, width, 1)
            bn(x + "bn3", out_c)
            if b == 0:
                conv(x + "downsample.0.weight", out_c, in_c, 1)
                bn(x + "downsample.1", out_c)
            in_c = out_c
    # nn.Linear's own reset_parameters: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fan_in)),
    # bias U(+-1/sqrt(fan_in)) with the weight's fan_in.
    p.append(entry("fc.weight", [num_classes, in_c], "torch.linear_default"))
    p.append(entry("fc.bias", [num_classes], "torch.linear_bias_default", {"fan_in": in_c}))
    return spec(p)


# ---- ViT-B/16 (timm vit_base_patch16_224, weight_init='' i.e. init_weights_vit_timm).
def vit_b16(depth=12, dim=768, mlp=3072, patch=16, image=224, num_classes=1000):
    tokens = (image // patch) ** 2 + 1
    # timm's trunc_normal_(std=.02) keeps PyTorch's absolute bounds a=-2, b=2.
    tn = {"std": 0.02, "a": -2.0, "b": 2.0}
    p = [
        # PatchEmbed's Conv2d is not touched by init_weights_vit_timm: nn.Conv2d's default.
        entry("patch_embed.proj.weight", [dim, 3, patch, patch], "torch.linear_default"),
        entry("patch_embed.proj.bias", [dim], "torch.linear_bias_default", {"fan_in": 3 * patch * patch}),
        entry("cls_token", [1, 1, dim], "normal", {"std": 1e-6}),
        entry("pos_embed", [1, tokens, dim], "torch.trunc_normal", tn),
    ]
    for i in range(depth):
        x = f"blocks.{i}."
        p += [
            entry(x + "norm1.weight", [dim], "ones"),
            entry(x + "norm1.bias", [dim], "zeros"),
            entry(x + "attn.qkv.weight", [3 * dim, dim], "torch.trunc_normal", tn),  # fused: no shard_dim
            entry(x + "attn.qkv.bias", [3 * dim], "zeros"),
            entry(x + "attn.proj.weight", [dim, dim], "torch.trunc_normal", tn, shard_dim=1),
            entry(x + "attn.proj.bias", [dim], "zeros"),
            entry(x + "norm2.weight", [dim], "ones"),
            entry(x + "norm2.bias", [dim], "zeros"),
            entry(x + "mlp.fc1.weight", [mlp, dim], "torch.trunc_normal", tn, shard_dim=0),
            entry(x + "mlp.fc1.bias", [mlp], "zeros", shard_dim=0),
            entry(x + "mlp.fc2.weight", [dim, mlp], "torch.trunc_normal", tn, shard_dim=1),
            entry(x + "mlp.fc2.bias", [dim], "zeros"),
        ]
    p += [
        entry("norm.weight", [dim], "ones"),
        entry("norm.bias", [dim], "zeros"),
        entry("head.weight", [num_classes, dim], "torch.trunc_normal", tn),
        entry("head.bias", [num_classes], "zeros"),
    ]
    return spec(p)


# ---- A 2-layer LSTM of 650 units (Zaremba et al. 2014, "medium"), torch.nn.LSTM names.
# PyTorch packs the gates (i, f, g, o) into one weight and one bias per layer.
# A spec entry has one initializer, so bias_ih_l{k} is split into four entries
# (...bias_ih_l{k}.i/.f/.g/.o, each [hidden]; the f part is ones) that a loader
# concatenates in that order: torch.cat([i, f, g, o]). bias_hh is all zeros, so
# the forget gate's total bias b_ih + b_hh is 1.
def lstm(layers=2, input_size=650, hidden=650):
    p = []
    for k in range(layers):
        fan = input_size if k == 0 else hidden
        p.append(entry(f"lstm.weight_ih_l{k}", [4 * hidden, fan], "torch.xavier_uniform"))
        # orthogonal_ on the whole packed [4H, H] matrix (orthonormal columns).
        p.append(entry(f"lstm.weight_hh_l{k}", [4 * hidden, hidden], "torch.orthogonal"))
        for gate in "ifgo":
            p.append(entry(f"lstm.bias_ih_l{k}.{gate}", [hidden], "ones" if gate == "f" else "zeros"))
        p.append(entry(f"lstm.bias_hh_l{k}", [4 * hidden], "zeros"))
    return spec(p)


# ---- LLaMA-7B (Hugging Face LlamaForCausalLM, LlamaConfig defaults): nn.Linear
# layout [out, in]; column-parallel q/k/v/gate/up split dim 0, row-parallel
# o/down split dim 1; embed_tokens vocab-parallel (dim 0), lm_head (untied) dim 0.
def llama_7b(layers=32, hidden=4096, mlp=11008, vocab=32000):
    n = {"std": 0.02}  # LlamaConfig.initializer_range: normal_(0, 0.02) for Linear and Embedding
    bf = "bf16"
    p = [entry("model.embed_tokens.weight", [vocab, hidden], "normal", n, bf, 0)]
    for i in range(layers):
        x = f"model.layers.{i}."
        p += [
            entry(x + "self_attn.q_proj.weight", [hidden, hidden], "normal", n, bf, 0),
            entry(x + "self_attn.k_proj.weight", [hidden, hidden], "normal", n, bf, 0),
            entry(x + "self_attn.v_proj.weight", [hidden, hidden], "normal", n, bf, 0),
            entry(x + "self_attn.o_proj.weight", [hidden, hidden], "normal", n, bf, 1),
            entry(x + "mlp.gate_proj.weight", [mlp, hidden], "normal", n, bf, 0),
            entry(x + "mlp.up_proj.weight", [mlp, hidden], "normal", n, bf, 0),
            entry(x + "mlp.down_proj.weight", [hidden, mlp], "normal", n, bf, 1),
            entry(x + "input_layernorm.weight", [hidden], "ones", dtype=bf),  # RMSNorm
            entry(x + "post_attention_layernorm.weight", [hidden], "ones", dtype=bf),
        ]
    p += [
        entry("model.norm.weight", [hidden], "ones", dtype=bf),
        entry("lm_head.weight", [vocab, hidden], "normal", n, bf, 0),
    ]
    return spec(p)


# ---- The README's worked example: GPT-2's token embedding split by columns
# (dim 1, the hidden dimension) across ranks; the rows stay whole.
def wte_column_shards():
    return spec([entry("transformer.wte.weight", [50257, 768], "normal", {"std": 0.02}, shard_dim=1)])


SPECS = {
    "gpt2-small.json": gpt2_small,
    "resnet50.json": resnet50,
    "vit-b16.json": vit_b16,
    "lstm.json": lstm,
    "llama-7b.json": llama_7b,
    "wte-column-shards.json": wte_column_shards,
}


def render(s):
    """One parameter per line: reviewable diffs."""
    lines = ["{", f'  "seed": {s["seed"]},', f'  "layout": {json.dumps(s["layout"])},', '  "parameters": [']
    entries = [json.dumps(e, separators=(", ", ": ")) for e in s["parameters"]]
    lines += [f"    {e}," for e in entries[:-1]] + [f"    {entries[-1]}", "  ]", "}"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--check", action="store_true", help="fail if a file differs from what would be written")
    args = parser.parse_args()
    stale = []
    for name, make in SPECS.items():
        path = os.path.join(args.output_dir, name)
        text = render(make())
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("stale (run examples/models/make_specs.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
