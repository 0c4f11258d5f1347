"""nninit init: a model spec (JSON) into a .safetensors checkpoint.

Every tensor equals `nninit fill` of the same init/params/shape/dtype/seed/stream
bit for bit; the shards of 2 and 3 ranks put together along shard_dim equal the
whole; every class of spec error is named in stderr with exit 2 and no file left.
The file is parsed by hand (8-byte length, JSON header, data), as the
safetensors format defines it.
"""
import json
import os
import struct

import numpy as np

from cli_test_support import Context

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "BF16": "<u2"}

SPEC = {
    "seed": 42,
    "layout": "torch",
    "parameters": [
        {"name": "transformer.wte.weight", "shape": [50, 8], "dtype": "bf16", "init": "normal",
         "params": {"std": 0.02}, "shard_dim": 0},
        {"name": "fc.weight", "shape": [6, 10], "init": "torch.kaiming_uniform",
         "params": {"nonlinearity": "relu"}, "shard_dim": 1},
        {"name": "fc.bias", "shape": [6], "init": "zeros"},
        {"name": "conv.weight", "shape": [3, 3, 4, 5], "dtype": "f64", "init": "keras.he_normal",
         "layout": "keras", "shard_dim": -1},
        {"name": "ln.weight", "shape": [7], "dtype": "f16", "init": "uniform",
         "params": {"low": -0.1, "high": 0.30000000000000004}, "stream": 7},
        {"name": "by_name", "shape": [5, 5], "init": "normal", "stream": "other.name"},
        {"name": "rnn.weight_hh", "shape": [8, 8], "init": "torch.orthogonal"},
        {"name": "scalar", "shape": [], "init": "constant", "params": {"value": 3}},
    ],
}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    body = data[8 + length:]
    tensors = {}
    end = 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, stop = entry["data_offsets"]
        values = np.frombuffer(body[begin:stop], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = (entry["dtype"], values)
        end = max(end, stop)
    return length, header, tensors, end, len(body)


def fill_arguments(parameter, seed):
    arguments = ["--init", parameter["init"], "--shape", ",".join(str(d) for d in parameter["shape"]),
                 "--seed", seed, "--dtype", parameter.get("dtype", "f32")]
    stream = parameter.get("stream", parameter["name"])
    arguments += ["--stream", stream if isinstance(stream, str) else f"id:{stream}"]
    if isinstance(stream, str) and "stream" not in parameter:
        arguments[-1] = "name:" + stream
    layout = parameter.get("layout")
    if layout:
        arguments += ["--layout", layout]
    for key, value in parameter.get("params", {}).items():
        arguments += ["--param", f"{key}={value!r}" if isinstance(value, float) else f"{key}={value}"]
    return arguments


def main():
    context = Context(__doc__)
    spec_path = context.path("model.json")
    with open(spec_path, "w") as f:
        json.dump(SPEC, f)

    whole = context.path("whole.safetensors")
    context.run("init", spec_path, "-o", whole)
    length, header, tensors, end, body_length = read_safetensors(whole)
    context.check(length % 8 == 0, f"header length {length} is not a multiple of 8")
    context.check(end == body_length, f"data ends at {end}, file body is {body_length} bytes")
    metadata = header.get("__metadata__", {})
    context.check(metadata.get("nninit") == "stream_version=1" and metadata.get("seed") == "42",
                  f"provenance metadata: {metadata}")
    context.check(sorted(tensors) == sorted(p["name"] for p in SPEC["parameters"]),
                  f"tensor names {sorted(tensors)}")

    for index, parameter in enumerate(SPEC["parameters"]):
        expected = context.fill(f"fill{index}.npy", *fill_arguments(parameter, SPEC["seed"]))
        _, actual = tensors[parameter["name"]]
        context.check(actual.shape == expected.shape and actual.dtype == expected.dtype
                      and actual.tobytes() == expected.tobytes(),
                      f"{parameter['name']}: safetensors tensor differs from nninit fill "
                      f"({actual.dtype}{actual.shape} vs {expected.dtype}{expected.shape})")

    # Threads never change a bit.
    one_thread = context.path("one_thread.safetensors")
    context.run("init", spec_path, "-o", one_thread, "--threads", "1")
    context.check(open(one_thread, "rb").read() == open(whole, "rb").read(), "--threads 1 changed the file")

    # Shards of W ranks put together along shard_dim equal the whole.
    for world in (2, 3):
        parts = []
        for rank in range(world):
            path = context.path(f"rank{rank}_of{world}.safetensors")
            context.run("init", spec_path, "-o", path, "--rank", rank, "--world-size", world)
            _, shard_header, shard_tensors, _, _ = read_safetensors(path)
            context.check(shard_header["__metadata__"].get("world_size") == str(world), "world_size metadata")
            parts.append(shard_tensors)
        for parameter in SPEC["parameters"]:
            name = parameter["name"]
            _, full = tensors[name]
            if "shard_dim" in parameter:
                joined = np.concatenate([p[name][1] for p in parts], axis=parameter["shard_dim"])
                context.check(parts[0][name][1].shape != full.shape, f"{name}: rank 0 holds the whole tensor")
                context.check(joined.tobytes() == full.tobytes() and joined.shape == full.shape,
                              f"{name}: {world} shards put together differ from the whole")
            else:
                for p in parts:
                    context.check(p[name][1].tobytes() == full.tobytes(), f"{name}: replica differs")

    # Errors: exit 2, named in stderr, nothing written.
    def bad(spec, needle, *extra, text=None):
        path = context.path("bad.json")
        with open(path, "w") as f:
            f.write(text if text is not None else json.dumps(spec))
        output = context.path("bad.safetensors")
        result = context.run("init", path, "-o", output, *extra, expect=2)
        context.check(needle in result.stderr, f"expected {needle!r} in stderr, got:\n{result.stderr}")
        context.check(not os.path.exists(output), f"{needle}: an output file was left")
        leftovers = [n for n in os.listdir(context.workdir) if n.startswith(".bad.safetensors")]
        context.check(not leftovers, f"{needle}: temporary files left: {leftovers}")

    def with_entry(**changes):
        entry = {"name": "w", "shape": [4, 4], "init": "normal"}
        entry.update(changes)
        return {"seed": 1, "parameters": [{"name": "ok", "shape": [2], "init": "zeros"}, entry]}

    bad(with_entry(colour="red"), "parameters[1] ('w'): unknown key 'colour'")
    bad({"seed": 1, "parameters": [{"name": "w", "shape": [2], "init": "zeros"},
                                   {"name": "w", "shape": [3], "init": "zeros"}]},
        "parameters[1] ('w') key 'name': duplicate name")
    bad(with_entry(shape=[4, -1]), "parameters[1] ('w') key 'shape'")
    bad(with_entry(shape="4,4"), "parameters[1] ('w') key 'shape'")
    bad(with_entry(shape=[2**40, 2**40]), "parameters[1] ('w') key 'shape'")
    bad(with_entry(dtype="int8"), "parameters[1] ('w') key 'dtype'")
    bad(with_entry(init="no_such_init"), "parameters[1] ('w')")
    bad(with_entry(params={"std": -1}), "parameters[1] ('w')")
    bad(with_entry(params={"std": [1]}), "parameters[1] ('w') key 'params.std'")
    bad(with_entry(shard_dim=2), "parameters[1] ('w') key 'shard_dim'")
    bad(with_entry(stream=-3), "parameters[1] ('w') key 'stream'")
    bad(with_entry(layout="mxnet"), "parameters[1] ('w') key 'layout'")
    bad({"parameters": [{"shape": [2], "init": "zeros"}]}, "parameters[0]: key 'name'")
    bad({"parameters": [{"name": "w", "init": "zeros"}]}, "parameters[0] ('w'): key 'shape' is missing")
    bad({"seed": 1, "extra": 2, "parameters": []}, "unknown key 'extra'")
    bad(None, "not valid JSON", text="{\"seed\": 1,")
    bad(with_entry(init="torch.orthogonal", shard_dim=0), "structured", "--rank", "0", "--world-size", "2")
    bad(with_entry(), "--rank", "--rank", "2", "--world-size", "2")
    context.done()


if __name__ == "__main__":
    main()
