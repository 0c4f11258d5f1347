#!/usr/bin/env python3
"""Writes a LLaMA-7B-shaped model spec for `nninit init` / `nninit-mpi init`
(the benchmark of bench/README.md, "Collective init with MPI"): vocabulary
32000, width 4096, 32 layers, MLP 11008, bfloat16, Normal(0, 0.02) weights,
norms ones; 291 tensors, 6738415616 parameters. Tensor-parallel shard_dim as
Megatron splits them: q/k/v/gate/up and the embeddings by rows (0),
o/down by columns (1); the norms are whole.

usage: llama7b_spec.py OUT.json [--layers L]   (L < 32: a smaller model of the same shapes)
"""
import argparse
import json


def spec(layers):
    width, mlp, vocab = 4096, 11008, 32000
    weight = {"dtype": "bf16", "init": "normal", "params": {"std": 0.02}}
    norm = {"shape": [width], "dtype": "bf16", "init": "ones"}
    parameters = [dict(weight, name="model.embed_tokens.weight", shape=[vocab, width], shard_dim=0)]
    for layer in range(layers):
        prefix = f"model.layers.{layer}."
        for name in ("q_proj", "k_proj", "v_proj"):
            parameters.append(dict(weight, name=prefix + f"self_attn.{name}.weight", shape=[width, width], shard_dim=0))
        parameters.append(dict(weight, name=prefix + "self_attn.o_proj.weight", shape=[width, width], shard_dim=1))
        parameters.append(dict(weight, name=prefix + "mlp.gate_proj.weight", shape=[mlp, width], shard_dim=0))
        parameters.append(dict(weight, name=prefix + "mlp.up_proj.weight", shape=[mlp, width], shard_dim=0))
        parameters.append(dict(weight, name=prefix + "mlp.down_proj.weight", shape=[width, mlp], shard_dim=1))
        parameters.append(dict(norm, name=prefix + "input_layernorm.weight"))
        parameters.append(dict(norm, name=prefix + "post_attention_layernorm.weight"))
    parameters.append(dict(norm, name="model.norm.weight"))
    parameters.append(dict(weight, name="lm_head.weight", shape=[vocab, width], shard_dim=0))
    return {"seed": 0, "layout": "torch", "parameters": parameters}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--layers", type=int, default=32)
    arguments = parser.parse_args()
    with open(arguments.output, "w") as f:
        json.dump(spec(arguments.layers), f, indent=1)


if __name__ == "__main__":
    main()
