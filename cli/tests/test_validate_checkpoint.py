"""nninit validate CHECKPOINT --spec SPEC.json: `nninit init`'s checkpoint
passes (text, --json, --junit); missing, extra, reshaped, retyped and
mis-initialised tensors fail (exit 1, exactly those tensors); hostile
safetensors files and bad arguments exit 2 naming the file and field, and
write no JUnit file."""
import json
import os
import sys
import xml.etree.ElementTree as ElementTree

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test_support import Context  # noqa: E402
import safetensors_test_support as st  # noqa: E402

context = Context(__doc__)


def write_spec(name, parameters, seed=42):
    path = context.path(name)
    with open(path, "w") as f:
        json.dump({"seed": seed, "layout": "torch", "parameters": parameters}, f)
    return path


def validate(checkpoint, spec, *arguments, expect=0):
    return context.run("validate", checkpoint, "--spec", spec, "--no-progress", *arguments, expect=expect)


def report(checkpoint, spec, *arguments, expect=0):
    return json.loads(validate(checkpoint, spec, "--json", *arguments, expect=expect).stdout)


def statuses(result):
    return {t["name"]: t["status"] for t in result["tensors"]}


def junit_cases(path):
    root = ElementTree.parse(path).getroot()
    suite = root.find("testsuite")
    cases = {}
    for case in suite.findall("testcase"):
        failure = case.find("failure")
        skipped = case.find("skipped")
        cases[case.get("name")] = ("FAIL", failure.get("message")) if failure is not None else (
            ("SKIPPED", skipped.get("message")) if skipped is not None else ("PASS", None))
    return root, cases


n_layer, n_embd = 2, 64
parameters = [
    {"name": "wte.weight", "shape": [500, n_embd], "init": "normal", "params": {"std": 0.02}},
    {"name": "wpe.weight", "shape": [128, n_embd], "dtype": "bf16", "init": "normal", "params": {"std": 0.02}},
]
for i in range(n_layer):
    h = f"h.{i}."
    parameters += [
        {"name": h + "ln_1.weight", "shape": [n_embd], "init": "ones"},
        {"name": h + "ln_1.bias", "shape": [n_embd], "init": "zeros"},
        {"name": h + "attn.c_attn.weight", "shape": [3 * n_embd, n_embd], "init": "normal", "params": {"std": 0.02}},
        {"name": h + "attn.c_proj.weight", "shape": [n_embd, n_embd], "init": "normal",
         "params": {"std": 0.02 / (2 * n_layer) ** 0.5}},
        {"name": h + "mlp.c_fc.weight", "shape": [4 * n_embd, n_embd], "dtype": "f16",
         "init": "torch.kaiming_uniform", "params": {"a": 5 ** 0.5}},
        {"name": h + "mlp.c_fc.bias", "shape": [4 * n_embd], "init": "uniform", "params": {"low": -0.125, "high": 0.125}},
    ]
parameters += [
    {"name": "rnn.weight_hh", "shape": [128, 128], "init": "torch.orthogonal", "params": {"gain": 1.5}},
    {"name": "conv.weight", "shape": [16, 8, 3, 3], "init": "torch.dirac"},
    {"name": "sparse.weight", "shape": [300, 100], "init": "torch.sparse", "params": {"sparsity": 0.5}},
    {"name": "head.bias", "shape": [10], "init": "normal", "params": {"std": 0.02}},  # too few values: skipped
    {"name": "empty.weight", "shape": [0, 16], "init": "torch.orthogonal"},  # no values: skipped
]
spec = write_spec("model.json", parameters)
checkpoint = context.path("model.safetensors")
context.run("init", spec, "-o", checkpoint, "--no-progress")

# --- nninit init's checkpoint passes ----------------------------------------
junit = context.path("report.xml")
result = report(checkpoint, spec, "--junit", junit)
expected = {p["name"]: "PASS" for p in parameters}
expected["head.bias"] = "SKIPPED"
expected["empty.weight"] = "SKIPPED"
context.check(statuses(result) == expected and result["verdict"] == "PASS" and result["failed"] == 0,
              f"nninit init checkpoint: {statuses(result)}")
context.check(result["producer"] == {"name": "nninit", "stream_version": 1, "clamp": "inside"}, "producer")
root, cases = junit_cases(junit)
context.check(len(cases) == len(parameters) and root.get("failures") == "0" and root.get("skipped") == "2" and
              cases["head.bias"][0] == "SKIPPED", f"JUnit of a passing checkpoint: {cases}")
tests = {t["name"]: [x["name"] for x in t["tests"]] for t in result["tensors"]}
context.check(tests["h.0.ln_1.weight"] == ["every_value_equals"], "LayerNorm weight: the exact check")
context.check(any(n.startswith("orthogonality") for n in tests["rnn.weight_hh"]), "orthogonal: structured checks")
context.check("structure(dirac)" in tests["conv.weight"], "dirac: structure")
text = validate(checkpoint, spec).stdout
context.check("verdict: PASS" in text and "PASS    wte.weight" in text, f"text report:\n{text}")

# --- defects: exactly the defective tensors fail ----------------------------
tensors = st.read(checkpoint)
def rewrite(name, changes, drop=(), add=()):
    out = []
    for key, value in tensors.items():
        if key in drop:
            continue
        out.append((key, changes.get(key, value)))
    out += list(add)
    st.write(context.path(name), out, {"nninit": "stream_version=1"})
    return context.path(name)

rng = np.random.default_rng(7)
defects = {
    # a normal of std 0.03 where the spec says 0.02
    "h.1.attn.c_attn.weight": (rng.standard_normal((3 * n_embd, n_embd)) * 0.03).astype(np.float32),
    # a LayerNorm weight with one element off
    "h.0.ln_1.weight": np.where(np.arange(n_embd) == 5, 1.5, 1.0).astype(np.float32),
}
path = rewrite("defects.safetensors", defects)
junit = context.path("defects.xml")
result = report(path, spec, "--junit", junit, expect=1)
failing = sorted(n for n, s in statuses(result).items() if s == "FAIL")
context.check(failing == sorted(defects), f"defective tensors: {failing}")
root, cases = junit_cases(junit)
context.check(root.get("failures") == "2" and cases["h.1.attn.c_attn.weight"][0] == "FAIL" and
              "standard_deviation" in cases["h.1.attn.c_attn.weight"][1] and
              cases["h.0.ln_1.weight"][1] == "failed: every_value_equals", f"JUnit failures: {cases}")

# A tensor missing, one the spec lacks, a wrong shape, a wrong dtype.
path = rewrite("mismatch.safetensors",
               {"wte.weight": tensors["wte.weight"][:400], "wpe.weight": tensors["wpe.weight"].view(np.float16)},
               drop=("h.1.mlp.c_fc.bias",), add=[("stray.weight", np.zeros(4, np.float32))])
result = report(path, spec, expect=1)
reasons = {t["name"]: t["reason"] for t in result["tensors"] if t["status"] == "FAIL"}
context.check(sorted(reasons) == ["h.1.mlp.c_fc.bias", "stray.weight", "wpe.weight", "wte.weight"], f"{reasons}")
context.check(reasons["h.1.mlp.c_fc.bias"] == "missing from the checkpoint" and
              reasons["stray.weight"] == "in the checkpoint but not in the spec" and
              reasons["wte.weight"] == "shape (400, 64) in the checkpoint, (500, 64) in the spec" and
              reasons["wpe.weight"] == "dtype F16 in the checkpoint, bf16 in the spec", f"{reasons}")

# --- .npz: nninit init's, numpy's compressed copy, and defects ------------------
npz = context.path("model.npz")
context.run("init", spec, "-o", npz, "--no-progress")
result = report(npz, spec)
context.check(statuses(result) == expected and result["producer"] is not None, f".npz of nninit init: {statuses(result)}")
members = dict(np.load(npz))
np.savez_compressed(context.path("compressed.npz"), **members)
result = report(context.path("compressed.npz"), spec)
context.check(statuses(result) == expected and result["producer"] is None, f"numpy savez_compressed: {statuses(result)}")
members["h.1.attn.c_attn.weight"] = defects["h.1.attn.c_attn.weight"]
del members["h.1.mlp.c_fc.bias"]
members["wte.weight"] = members["wte.weight"][:400]
np.savez(context.path("defects.npz"), **members)
result = report(context.path("defects.npz"), spec, expect=1)
reasons = {t["name"]: t["reason"] for t in result["tensors"] if t["status"] == "FAIL"}
context.check(sorted(reasons) == ["h.1.attn.c_attn.weight", "h.1.mlp.c_fc.bias", "wte.weight"] and
              reasons["h.1.mlp.c_fc.bias"] == "missing from the checkpoint" and
              reasons["wte.weight"] == "shape (400, 64) in the checkpoint, (500, 64) in the spec" and
              "standard_deviation" in reasons["h.1.attn.c_attn.weight"], f".npz defects: {reasons}")
import zipfile  # noqa: E402
with zipfile.ZipFile(context.path("not_npy.npz"), "w") as z:
    z.writestr("readme.txt", "hello")
with zipfile.ZipFile(context.path("bad_member.npz"), "w") as z:
    z.writestr("wte.weight.npy", b"\x93NUMPY\x01\x00" + b"garbage")
with open(context.path("not_zip.npz"), "wb") as f:
    f.write(b"PK not really")
for name, needle in [("not_npy.npz", "not a .npy file"), ("bad_member.npz", "bad_member.npz:wte.weight"),
                     ("not_zip.npz", "zip archive")]:
    result = context.run("validate", context.path(name), "--spec", spec, expect=2)
    context.check(needle in result.stderr and result.stdout == "", f"{name}: {result.stderr!r}")

# --- hostile files: exit 2, the file and the field named, no JUnit written ---
good_header = {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
data16 = bytes(16)


def hostile(name, blob, needle):
    path = context.path(name)
    with open(path, "wb") as f:
        f.write(blob)
    junit = context.path(name + ".xml")
    result = context.run("validate", path, "--spec", spec, "--junit", junit, expect=2)
    context.check(path in result.stderr and needle in result.stderr and not os.path.exists(junit) and
                  result.stdout == "", f"{name}: stderr {result.stderr!r}")


def header(entries):
    return json.dumps(entries).encode()


hostile("short.safetensors", b"\x01\x00", "too short")
hostile("huge_length.safetensors", st.raw_file(header(good_header), data16, length=1 << 40), "over the limit")
hostile("beyond.safetensors", st.raw_file(header(good_header), data16, length=4096), "beyond the file")
hostile("not_json.safetensors", st.raw_file(b"{\"w\": [", data16), "not valid JSON")
hostile("not_object.safetensors", st.raw_file(b"[1, 2]", data16), "not a JSON object")
hostile("deep.safetensors", st.raw_file(b"{\"__metadata__\": " + b"[" * 100 + b"]" * 100 + b"}", b""), "nests deeper")
hostile("duplicate.safetensors", st.raw_file(b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, '
                                             b'"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}', data16),
        "twice")
hostile("dtype.safetensors", st.raw_file(header({"w": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}), data16),
        "unknown dtype 'F128'")
hostile("negative.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]}}), data16),
        "\"shape\"[0] is negative")
hostile("overflow.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [1 << 32, 1 << 32],
                                                          "data_offsets": [0, 16]}}), data16), "overflow 2^64")
hostile("byte_overflow.safetensors", st.raw_file(header({"w": {"dtype": "F64", "shape": [1 << 62],
                                                               "data_offsets": [0, 16]}}), data16), "bytes of \"shape\"")
hostile("size.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}), data16),
        "needs 12")
hostile("reversed.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [0], "data_offsets": [16, 0]}}), data16),
        "ends before it begins")
hostile("outside.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [8], "data_offsets": [0, 32]}}), data16),
        "beyond the data")
hostile("overlap.safetensors", st.raw_file(header({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                                                   "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}), data16),
        "overlap")
hostile("gap.safetensors", st.raw_file(header({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}), data16),
        "gap")
hostile("tail.safetensors", st.raw_file(header({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}), data16),
        "end at byte 8")
hostile("unknown_key.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16],
                                                             "extra": 1}}), data16), "unknown key 'extra'")
hostile("metadata.safetensors", st.raw_file(header({"__metadata__": {"k": 1}, **good_header}), data16), "not a string")
hostile("offsets.safetensors", st.raw_file(header({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0]}}), data16),
        "[BEGIN, END]")

# --- bad arguments ------------------------------------------------------------
for arguments, needle in [
    (["--spec", spec, "--init", "normal"], "--init"),
    (["--spec", spec, "--max-values", "10"], "--max-values"),
    (["--junit", context.path("x.xml"), "--dist", "normal", "--std", "1"], "--junit"),
    (["--spec", context.path("no_such.json")], "no_such.json"),
]:
    result = context.run("validate", checkpoint, *arguments, expect=2)
    context.check(needle in result.stderr and result.stdout == "", f"{arguments}: {result.stderr!r}")
bad_spec = write_spec("bad.json", [{"name": "w", "shape": [4, 4], "init": "normal", "params": {"sd": 1}}])
result = context.run("validate", checkpoint, "--spec", bad_spec, expect=2)
context.check("parameters[0] ('w')" in result.stderr and "sd" in result.stderr, f"bad spec: {result.stderr!r}")

context.done()
