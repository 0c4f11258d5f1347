"""The shipped model specs (examples/models/): make_specs.py wrote them (no
drift), `nninit init` accepts each, the checkpoint holds every parameter under
its name, shape and dtype, the totals are the models' known parameter counts
(GPT-2 small 124,439,808 with the tied head once, ResNet-50 25,557,032,
ViT-B/16 86,567,656, the 2-layer 650-unit LSTM 6,770,400, LLaMA-7B
6,738,415,616), and the recipes hold where a check is exact or cheap
(ones/zeros, the forget-gate bias, orthonormal columns, the std of the
residual projections). LLaMA-7B (13.5 GB) is not written: its safetensors
header, which nninit writes first, is read from a pipe and the process is
then stopped; the same for rank 3 of 8, whose shard shapes follow shard_dim."""
import json
import math
import os
import struct
import subprocess
import sys

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
models = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "models")
DTYPES = {"F32": np.float32, "BF16": np.uint16, "F16": np.float16, "F64": np.float64}
SPEC_DTYPES = {"f32": "F32", "bf16": "BF16", "f16": "F16", "f64": "F64"}

result = subprocess.run([sys.executable, os.path.join(models, "make_specs.py"), "--check"],
                        capture_output=True, text=True)
context.check(result.returncode == 0, f"make_specs.py --check: {result.stderr}")


def load_spec(name):
    with open(os.path.join(models, name), encoding="utf-8") as f:
        return json.load(f)


def header_of(stream):
    (length,) = struct.unpack("<Q", stream.read(8))
    return length, json.loads(stream.read(length).decode("utf-8"))


def check_header(name, spec, header, expected_total, shapes=None):
    entries = [k for k in header if k != "__metadata__"]
    wanted = [p["name"] for p in spec["parameters"]]
    context.check(entries == wanted, f"{name}: tensors {entries[:3]}... differ from the spec's {wanted[:3]}...")
    total = 0
    end = 0
    for p in spec["parameters"]:
        entry = header[p["name"]]
        shape = shapes(p) if shapes else p["shape"]
        context.check(entry["shape"] == shape, f"{name}: {p['name']} shape {entry['shape']}, expected {shape}")
        context.check(entry["dtype"] == SPEC_DTYPES[p.get("dtype", "f32")], f"{name}: {p['name']} dtype {entry['dtype']}")
        begin, stop = entry["data_offsets"]
        context.check(begin == end and stop - begin == math.prod(shape) * np.dtype(DTYPES[entry["dtype"]]).itemsize,
                      f"{name}: {p['name']} data_offsets {entry['data_offsets']}")
        end = stop
        total += math.prod(p["shape"])
    context.check(total == expected_total, f"{name}: {total:,} parameters, expected {expected_total:,}")
    return end


def tensors_of(path):
    """name -> a read-only memory map of the tensor (the file is not read whole)."""
    with open(path, "rb") as f:
        length, header = header_of(f)
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, stop = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        count = (stop - begin) // np.dtype(dtype).itemsize
        out[name] = np.memmap(path, dtype=dtype, mode="r", offset=8 + length + begin, shape=(count,)).reshape(
            entry["shape"])
    return header, out


def init(name):
    output = context.path(name.replace(".json", ".safetensors"))
    context.run("init", os.path.join(models, name), "-o", output, "-q")
    return output


def relative_std_error(values, std):
    return abs(float(np.asarray(values, dtype=np.float64).std()) / std - 1)


# GPT-2 small.
spec = load_spec("gpt2-small.json")
path = init("gpt2-small.json")
header, t = tensors_of(path)
end = check_header("gpt2-small", spec, header, 124_439_808)
context.check(os.path.getsize(path) == 8 + struct.unpack("<Q", open(path, "rb").read(8))[0] + end,
              "gpt2-small: file size differs from the header's offsets")
for i in (0, 11):
    h = f"transformer.h.{i}."
    context.check(np.all(t[h + "ln_1.weight"] == 1) and np.all(t[h + "ln_2.bias"] == 0), f"{h}ln: not ones/zeros")
    context.check(np.all(t[h + "attn.c_attn.bias"] == 0) and np.all(t[h + "mlp.c_proj.bias"] == 0),
                  f"{h}: biases not zero")
    # 589,824 and 2,359,296 samples: the sample std is within 0.5 % of the law's with overwhelming probability.
    context.check(relative_std_error(t[h + "attn.c_proj.weight"], 0.02 / math.sqrt(24)) < 0.005,
                  f"{h}attn.c_proj.weight: std {t[h + 'attn.c_proj.weight'].std()}, expected 0.02/sqrt(24)")
    context.check(relative_std_error(t[h + "mlp.c_fc.weight"], 0.02) < 0.005, f"{h}mlp.c_fc.weight: std not 0.02")
context.check(relative_std_error(t["transformer.wte.weight"][:4096], 0.02) < 0.005, "wte: std not 0.02")
del t
os.remove(path)

# ResNet-50.
spec = load_spec("resnet50.json")
path = init("resnet50.json")
header, t = tensors_of(path)
check_header("resnet50", spec, header, 25_557_032)
w = t["layer3.0.conv2.weight"]  # [256, 256, 3, 3]: fan_out = 256 * 9
context.check(relative_std_error(w, math.sqrt(2 / (256 * 9))) < 0.01, f"layer3.0.conv2: std {w.std()}")
context.check(np.all(t["layer4.2.bn3.weight"] == 1) and np.all(t["bn1.bias"] == 0), "BatchNorm not ones/zeros")
bound = 1 / math.sqrt(2048)
context.check(np.abs(t["fc.weight"]).max() <= bound and np.abs(t["fc.bias"]).max() <= bound
              and np.abs(t["fc.weight"]).max() > 0.99 * bound, "fc: not U(+-1/sqrt(2048))")
del t, w
os.remove(path)

# ViT-B/16.
spec = load_spec("vit-b16.json")
path = init("vit-b16.json")
header, t = tensors_of(path)
check_header("vit-b16", spec, header, 86_567_656)
context.check(relative_std_error(t["blocks.5.mlp.fc1.weight"], 0.02) < 0.005, "fc1: std not 0.02")
context.check(np.abs(t["cls_token"]).max() < 1e-5 and np.all(t["head.bias"] == 0), "cls_token / head.bias")
del t
os.remove(path)

# LSTM.
spec = load_spec("lstm.json")
path = init("lstm.json")
header, t = tensors_of(path)
check_header("lstm", spec, header, 6_770_400)
for k in range(2):
    bias = np.concatenate([t[f"lstm.bias_ih_l{k}.{g}"] for g in "ifgo"])
    expected = np.zeros(2600, np.float32)
    expected[650:1300] = 1
    context.check(np.array_equal(bias, expected) and np.all(t[f"lstm.bias_hh_l{k}"] == 0),
                  f"layer {k}: the gate biases are not 0, 1 (forget), 0, 0")
    hh = np.asarray(t[f"lstm.weight_hh_l{k}"], dtype=np.float64)  # [2600, 650]: orthonormal columns
    context.check(np.abs(hh.T @ hh - np.eye(650)).max() < 1e-4, f"weight_hh_l{k}: columns not orthonormal")
    bound = math.sqrt(6 / (650 + 2600))
    ih = t[f"lstm.weight_ih_l{k}"]
    context.check(np.abs(ih).max() <= bound and np.abs(ih).max() > 0.99 * bound, f"weight_ih_l{k}: not Xavier")
del t
os.remove(path)


# LLaMA-7B: the header only, from a pipe.
def piped_header(*extra):
    command = [context.cli, "init", os.path.join(models, "llama-7b.json"), "-o", "/dev/stdout", "-q", *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        return header_of(process.stdout)[1]
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


spec = load_spec("llama-7b.json")
header = piped_header()
end = check_header("llama-7b", spec, header, 6_738_415_616)
context.check(end == 2 * 6_738_415_616, f"llama-7b: {end} bytes of data, expected 2 bytes per parameter")
print(f"llama-7b: {6_738_415_616:,} parameters, {end / 1e9:.2f} GB of bf16")


def rank3_of8(p):
    shape = list(p["shape"])
    if "shard_dim" in p:
        n = shape[p["shard_dim"]]
        chunk = -(-n // 8)
        shape[p["shard_dim"]] = max(0, min(n, 4 * chunk) - 3 * chunk)
    return shape


header = piped_header("--rank", "3", "--world-size", "8")
check_header("llama-7b rank 3 of 8", spec, header, 6_738_415_616, shapes=rank3_of8)
context.check(header["model.layers.0.self_attn.q_proj.weight"]["shape"] == [512, 4096]
              and header["model.layers.0.mlp.down_proj.weight"]["shape"] == [4096, 1376]
              and header["model.norm.weight"]["shape"] == [4096], "llama-7b rank 3 of 8: shard shapes")
context.done()
