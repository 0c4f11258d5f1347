"""nninit init: a model spec (JSON) into a .safetensors or .npz checkpoint.

Every tensor equals `nninit fill` of the same init/params/shape/dtype/seed/stream
bit for bit; the shards of 2 and 3 ranks put together along shard_dim equal the
whole; every class of spec error is named in stderr with exit 2 and no file left.
The file is parsed by hand (8-byte length, JSON header, data), as the
safetensors format defines it. The .npz of the same spec holds the same
tensors (np.load, and Python's zipfile for the members' layout), its shards
put together equal the whole, and an unknown extension is refused.
"""
import json
import os
import struct
import subprocess
import sys
import zipfile

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
        # Structured and split: each rank's part is that block of the whole tensor.
        {"name": "rnn.weight_ih", "shape": [12, 5], "init": "torch.orthogonal", "shard_dim": 0},
        {"name": "sparse.weight", "shape": [20, 9], "init": "torch.sparse", "params": {"sparsity": 0.3},
         "shard_dim": 1},
        {"name": "eye.weight", "shape": [7, 9], "init": "torch.eye", "shard_dim": 1},
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
    bad(with_entry(), "--rank", "--rank", "2", "--world-size", "2")
    bad(with_entry(shape=[1] * 65), "parameters[1] ('w') key 'shape': 65 dimensions (at most 64)")
    bad(None, "values nested more than 64 levels deep",
        text='{"parameters": [{"name": "w", "shape": ' + "[" * 100 + "]" * 100 + ', "init": "zeros"}]}')
    bad(None, "values nested more than 64 levels deep", text="[" * 100000)
    bad(None, "not valid JSON: [json.exception.out_of_range.406] number overflow parsing '1e400'",
        text='{"seed": 1, "parameters": [{"name": "w", "shape": [2], "init": "normal", "params": {"std": 1e400}}]}')
    # Spec text in messages: control characters escaped, long values cut.
    bad({"seed": 1, "parameters": [{"name": "w\x1b[31m", "shape": [2], "init": "zeros", "dtype": "x" * 5000}]},
        "parameters[0] ('w\\x1b[31m') key 'dtype'")
    result = context.run("init", write_spec(context, {"parameters": [{"name": "w", "shape": [2], "init": "zeros",
                                                                      "dtype": "\x07" + "x" * 5000}]}),
                         "-o", context.path("long.safetensors"), expect=2)
    context.check(len(result.stderr) < 1000 and "\x07" not in result.stderr and "\\u0007" in result.stderr,
                  f"a long or control-character value is echoed as it is: {result.stderr[:300]!r}")

    check_npz(context, spec_path, tensors)
    context.done()


def write_spec(context, spec, name="spec.json"):
    path = context.path(name)
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def load_npz(path):
    """{name: array} of an .npz, through np.load."""
    with np.load(path) as archive:
        return {name: archive[name] for name in archive.files}


def check_npz(context, spec_path, tensors):
    """The .npz of the spec equals its safetensors, tensor by tensor; shards of
    the .npz put together equal the whole; bad extensions and failures leave
    nothing."""
    whole = context.path("whole.npz")
    context.run("init", spec_path, "-o", whole)
    arrays = load_npz(whole)
    context.check(sorted(arrays) == sorted(tensors), f"npz members {sorted(arrays)}")
    for name, (dtype, expected) in tensors.items():
        actual = arrays[name]
        context.check(actual.dtype == expected.dtype and actual.shape == expected.shape
                      and actual.tobytes() == expected.tobytes(),
                      f"{name}: npz array {actual.dtype}{actual.shape} differs from the safetensors "
                      f"{expected.dtype}{expected.shape} ({dtype})")
    with zipfile.ZipFile(whole) as archive:
        infos = archive.infolist()
        context.check([i.filename for i in infos] == [p["name"] + ".npy" for p in SPEC["parameters"]],
                      f"member names and order: {[i.filename for i in infos]}")
        context.check(all(i.compress_type == zipfile.ZIP_STORED for i in infos), "members are not stored")
        context.check(archive.testzip() is None, "a member's CRC is wrong")
        header = archive.read("transformer.wte.weight.npy")[:128]
        context.check(b"'descr': '<u2'" in header and b"# nninit stream_version=1" in header,
                      f"bf16 member header: {header!r}")
        context.check(b"seed=42" in archive.comment, f"archive comment: {archive.comment!r}")

    # The same spec gives the same bytes (fixed member times), whatever the threads.
    again = context.path("again.npz")
    context.run("init", spec_path, "-o", again, "--threads", "1")
    context.check(open(again, "rb").read() == open(whole, "rb").read(), "a second .npz differs")

    for world in (2, 3):
        parts = []
        for rank in range(world):
            path = context.path(f"rank{rank}_of{world}.npz")
            context.run("init", spec_path, "-o", path, "--rank", rank, "--world-size", world)
            parts.append(load_npz(path))
        for parameter in SPEC["parameters"]:
            name = parameter["name"]
            full = arrays[name]
            if "shard_dim" in parameter:
                joined = np.concatenate([p[name] for p in parts], axis=parameter["shard_dim"])
                context.check(joined.shape == full.shape and joined.tobytes() == full.tobytes(),
                              f"{name}: {world} npz shards put together differ from the whole")
            else:
                for p in parts:
                    context.check(p[name].tobytes() == full.tobytes(), f"{name}: npz replica differs")

    # A tensor of several chunks (2^22 elements each), split in columns.
    big = {"seed": 3, "parameters": [
        {"name": "emb", "shape": [1100, 5000], "dtype": "bf16", "init": "normal", "params": {"std": 0.02},
         "shard_dim": 1}]}
    big_path = context.path("big.json")
    with open(big_path, "w") as f:
        json.dump(big, f)
    for world, rank in ((1, 0), (3, 1)):
        st = context.path(f"big{rank}.safetensors")
        npz = context.path(f"big{rank}.npz")
        context.run("init", big_path, "-o", st, "--rank", rank, "--world-size", world)
        context.run("init", big_path, "-o", npz, "--rank", rank, "--world-size", world)
        _, _, st_tensors, _, _ = read_safetensors(st)
        npz_arrays = load_npz(npz)
        context.check(npz_arrays["emb"].tobytes() == st_tensors["emb"][1].tobytes()
                      and npz_arrays["emb"].shape == st_tensors["emb"][1].shape,
                      f"a multi-chunk tensor (rank {rank} of {world}) differs between npz and safetensors")

    # Into a pipe (--format npz; the scratch file goes to $TMPDIR): the same bytes.
    scratch = context.path("tmpdir")
    os.makedirs(scratch)
    piped = subprocess.run([context.cli, "init", spec_path, "-o", "/dev/stdout", "--format", "npz", "-q"],
                           stdout=subprocess.PIPE, env=dict(os.environ, TMPDIR=scratch), check=True).stdout
    context.check(piped == open(whole, "rb").read(), "the .npz written into a pipe differs")
    context.check(os.listdir(scratch) == [], f"scratch files left in $TMPDIR: {os.listdir(scratch)}")

    # Memory: the .npz of 8 tensors of 32 MiB (256 MiB) is written with one
    # tensor's chunk at a time: the peak resident set stays under 72 MiB (one
    # tensor, 32 MiB, plus the 16 MiB fill buffer plus 24 MiB for the process),
    # as for safetensors (cli.init_memory). Measured as there: the ru_maxrss
    # of nninit run by a fresh Python (a child forked from this one would
    # count this process's memory before its exec).
    big_spec = write_spec(context, {"seed": 2, "parameters": [
        {"name": f"layers.{i}.weight", "shape": [2048, 4096], "init": "normal", "shard_dim": 0} for i in range(8)]},
        "memory.json")
    big_npz = context.path("memory.npz")
    measure = ("import os, sys\n"
               "pid = os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])\n"
               "_, status, usage = os.wait4(pid, 0)\n"
               "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")
    measured = subprocess.run([sys.executable, "-c", measure, context.cli, "init", big_spec, "-o", big_npz, "-q",
                               "--threads", "2"], capture_output=True, text=True, check=True)
    status, peak_kib = map(int, measured.stdout.split())
    peak_mib = peak_kib / 1024
    print(f"nninit init of 256 MiB into an .npz: peak RSS {peak_mib:.1f} MiB")
    context.check(status == 0 and peak_mib < 32 + 16 + 24,
                  f"peak RSS {peak_mib:.1f} MiB (status {status}) for a 256 MiB .npz of 32 MiB tensors")
    context.check(os.path.getsize(big_npz) > 256 * 1024 * 1024, "the 256 MiB .npz is too short")
    os.remove(big_npz)

    # No parameters: an empty archive numpy opens.
    empty_path = context.path("empty.json")
    with open(empty_path, "w") as f:
        json.dump({"seed": 1, "parameters": []}, f)
    empty = context.path("empty.npz")
    context.run("init", empty_path, "-o", empty)
    context.check(load_npz(empty) == {}, "an empty spec's .npz is not an empty archive")

    def refused(output, needle, spec=spec_path):
        result = context.run("init", spec, "-o", output, expect=2)
        context.check(needle in result.stderr, f"expected {needle!r} in stderr, got:\n{result.stderr}")
        context.check(not os.path.exists(output), f"{output}: a file was left")
        leftovers = [n for n in os.listdir(context.workdir) if n.startswith(".") or "scratch" in n]
        context.check(not leftovers, f"{needle}: files left: {leftovers}")

    refused(context.path("model.bin"), "unknown extension '.bin'")
    refused(context.path("model"), "no extension")
    refused(context.path("model.npz.tmp"), "unknown extension '.tmp'")
    with_format = context.path("model.bin")
    context.run("init", spec_path, "-o", with_format, "--format", "npz")
    context.check(load_npz(with_format).keys() == arrays.keys(), "--format npz did not write an .npz")
    os.remove(with_format)
    result = context.run("init", spec_path, "-o", with_format, "--format", "zip", expect=2)
    context.check("--format: 'zip' is not safetensors or npz" in result.stderr, result.stderr)
    # A failure while the archive is being written (a structured fill the
    # library refuses) leaves nothing, in either format.
    failing = context.path("failing.json")
    with open(failing, "w") as f:
        json.dump({"seed": 1, "parameters": [{"name": "a", "shape": [3], "init": "zeros"},
                                             {"name": "d", "shape": [4, 4, 3], "init": "torch.dirac",
                                              "params": {"groups": 3}}]}, f)
    for extension in ("npz", "safetensors"):
        refused(context.path(f"failing.{extension}"), "parameters[1] ('d'): ", spec=failing)


if __name__ == "__main__":
    main()
