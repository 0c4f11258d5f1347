"""Writes the seed corpora of the fuzzers (fuzz/corpus/<harness>/): small
valid .npy files of every dtype and format version 1.0, 2.0, 3.0, the
hostile cases the reader must refuse, command lines for the argument
parser, and model specs (JSON) for the spec parser, valid and not. Run with /usr/bin/python3 (numpy) from anywhere:
    /usr/bin/python3 fuzz/make_corpus.py
The files are committed; rerun after changing this script."""
import io
import json
import os
import shutil

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def npy(array, version=None):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), version=version)
    return buffer.getvalue()


def header(text, major=1, length=None, data=b""):
    body = text.encode("latin1")
    preamble = 10 if major == 1 else 12
    total = (preamble + len(body) + 1 + 63) // 64 * 64
    body = body + b" " * (total - preamble - len(body) - 1) + b"\n"
    size = len(body) if length is None else length
    return b"\x93NUMPY" + bytes([major, 0]) + size.to_bytes(2 if major == 1 else 4, "little") + body + data


def dictionary(shape="(3,)", descr="'<f4'", extra="", comment=""):
    return "{'descr': %s, 'fortran_order': False, 'shape': %s, %s}%s" % (descr, shape, extra, comment)


np.seterr(all="ignore")  # the special values overflow float16 on purpose
rng = np.random.default_rng(1)
values = rng.normal(size=12)
bits = (values.astype(np.float32).view(np.uint32) >> 16).astype("<u2")
special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1.7976931348623157e308, -1e-310])
npy_seeds = {}
for version in [(1, 0), (2, 0), (3, 0)]:
    tag = f"v{version[0]}"
    npy_seeds[f"f4_{tag}.npy"] = npy(values.astype("<f4").reshape(3, 4), version)
    npy_seeds[f"f8_{tag}.npy"] = npy(values.astype("<f8"), version)
    npy_seeds[f"f2_{tag}.npy"] = npy(values.astype("<f2").reshape(2, 2, 3), version)
    npy_seeds[f"u2_{tag}.npy"] = npy(bits, version)
npy_seeds.update({
    "special_f8.npy": npy(special),
    "special_f4.npy": npy(special.astype("<f4")),
    "special_f2.npy": npy(special.astype("<f2")),
    "fortran.npy": npy(np.asfortranarray(values.reshape(3, 4))),
    "scalar.npy": npy(np.float32(2.5)),
    "empty.npy": npy(np.zeros((0, 3), dtype="<f4")),
    "nninit_marker.npy": header(dictionary(comment=" # nninit stream_version=1 clamp=inside"),
                                data=np.arange(3, dtype="<f4").tobytes()),
    "other_comment.npy": header(dictionary(comment=" # a comment"), data=np.arange(3, dtype="<f4").tobytes()),
    "extra_key.npy": header(dictionary(extra="'x': [1, (2, {'a': -1.5e3}), None], "),
                            data=np.arange(3, dtype="<f4").tobytes()),
    # Hostile: every one must be refused with a FileError.
    "nested.npy": header(dictionary(extra="'x': " + "[" * 3000 + "]" * 3000 + ", "), major=2),
    "nested_open.npy": header(dictionary(extra="'x': " + "({" * 1000), major=2),
    "overflow_end.npy": header(dictionary("(%d,)" % (2**62 - 1)), data=bytes(4096 - 64)),
    "overflow_bytes.npy": header(dictionary("(%d, 2)" % 2**61), data=bytes(64)),
    "overflow_count.npy": header(dictionary("(%d, %d)" % (2**63 - 1, 2**63 - 1))),
    "huge_header.npy": header(dictionary(), major=2, length=2**32 - 1),
    "long_header.npy": header(dictionary(), length=60000),
    "truncated.npy": npy(values.astype("<f4"))[:-3],
    "big_endian.npy": npy(values.astype(">f4")),
    "integers.npy": npy(np.arange(4, dtype="<i4")),
    "structured.npy": header(dictionary(descr="[('a', '<f4')]")),
    "control.npy": header(dictionary(descr="'\x1b[31m" + "A" * 200 + "'")),
    "dimensions.npy": header(dictionary("(" + "1, " * 65 + ")")),
    "malformed_marker.npy": header(dictionary(comment=" # nninit stream_version=0x1 clamp=inside clamp=x")),
    "trailing.npy": header(dictionary() + " junk"),
    "version_1_5.npy": b"\x93NUMPY\x01\x05" + header(dictionary())[8:],
    "no_magic.npy": b"\x93NUMPZ\x01\x00",
})
argument_seeds = {
    "fill.txt": "fill\n--init\ntorch.kaiming_uniform\n--param\nnonlinearity=relu\n--shape\n256,784\n--seed\n42\n"
                "--stream\nfc1.weight\n-o\nfc1.npy",
    "fill_slice.txt": "fill\n--init=normal\n--param\nstd=0.02\nmean=-1e-3\n--shape\n50257x768\n--dtype\nbf16\n"
                      "--offset\n9649920\n--count\n9649920\n--threads\n2\n-q\n-o\nwte.0.npy",
    "fill_bad.txt": "fill\n--seed\n18446744073709551616\n--seed=0x\n--shape\n4,,4\n--param\n=x\n--\n-o",
    "stats.txt": "stats\nfc1.npy\n--json",
    "stats_help.txt": "stats\n-h",
    "validate.txt": "validate\nw.npy\n--dist\nnormal\n--std\n0.02\n--max-values\n1000\n--alpha\n1e-6\n--grid\nbf16",
    "values.txt": "any\n0x10\n0X1f\n-0\n1e308\n1e400\n-1e-400\nnan\n-inf\n0x1p-1074\n4.9e-324\n(5,)\n[3, 4]\n()\n"
                  "3x4\n0x10\n2x\nid:5\nid:\nname:\nname:x\n007\nkey=value\n=\n--seed=1\n--\n-\n-5\n-.5",
}

gpt2_block = [
    {"name": "transformer.wte.weight", "shape": [50257, 768], "dtype": "bf16", "init": "normal",
     "params": {"std": 0.02}, "shard_dim": 0},
    {"name": "transformer.h.0.attn.c_proj.weight", "shape": [768, 768], "init": "normal",
     "params": {"std": 0.02 / (2 * 12) ** 0.5}, "shard_dim": -1},
    {"name": "transformer.h.0.ln_1.weight", "shape": [768], "dtype": "f16", "init": "ones"},
    {"name": "transformer.h.0.ln_1.bias", "shape": [768], "init": "zeros", "stream": 7},
    {"name": "conv.weight", "shape": [3, 3, 64, 128], "dtype": "f64", "init": "keras.he_normal", "layout": "keras",
     "stream": "name:conv"},
    {"name": "rnn.weight_hh", "shape": [512, 512], "init": "torch.orthogonal", "params": {"gain": 1.5}},
    {"name": "scalar", "shape": [], "init": "constant", "params": {"value": 3, "flag": True}},
]
spec_seeds = {
    "gpt2.json": json.dumps({"seed": 42, "layout": "torch", "parameters": gpt2_block}, indent=1),
    "minimal.json": '{"parameters": [{"name": "w", "shape": [2, 3], "init": "zeros"}]}',
    "empty.json": '{"seed": "0x10", "parameters": []}',
    # Refused, each for its own reason.
    "unknown_key.json": '{"seed": 1, "parameters": [{"name": "w", "shape": [4], "init": "zeros", "colour": 1}]}',
    "duplicate.json": '{"parameters": [{"name": "w", "shape": [1], "init": "zeros"}, '
                      '{"name": "w", "shape": [2], "init": "zeros"}]}',
    "bad_values.json": '{"seed": -1, "layout": "mxnet", "parameters": [{"name": "\\u001b[31m", "shape": [4, -1], '
                       '"dtype": "int8", "init": 5, "shard_dim": 9, "stream": -3, "params": {"std": [1]}}]}',
    "overflow.json": '{"parameters": [{"name": "w", "shape": [4294967296, 4294967296], "init": "zeros"}]}',
    "nested.json": '{"parameters": [{"name": "w", "shape": ' + "[" * 3000 + "]" * 3000 + ', "init": "zeros"}]}',
    "truncated.json": '{"seed": 1, "parameters": [{"name": "w", "shape": [',
    "not_object.json": '[1, 2, 3]',
    "number_overflow.json": '{"parameters": [{"name": "w", "shape": [51e3080257], "init": "normal", '
                            '"params": {"std": 1e400}}]}',
}


def write(directory, seeds, mode):
    path = os.path.join(here, "corpus", directory)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name, content in seeds.items():
        with open(os.path.join(path, name), mode) as f:
            f.write(content)


write("npy_reader", npy_seeds, "wb")
write("arguments", argument_seeds, "w")
write("model_spec", spec_seeds, "w")
print(f"fuzz/corpus: {len(npy_seeds)} .npy seeds, {len(argument_seeds)} command lines, {len(spec_seeds)} model specs")
