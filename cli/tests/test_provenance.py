"""Files written by `nninit fill` say so: their header dict is followed by the
Python comment "# nninit stream_version=1 clamp=inside" (numpy rejects extra
dict keys but ignores comments), inside the 64-byte-aligned header. numpy
loads them exactly as before (np.load, np.load(mmap_mode='r'),
np.lib.format.read_array_header_1_0), and `nninit stats` reports the
producer. Files written by numpy carry no marker; another comment is not
taken for one, and a malformed marker is refused naming the file."""
import json
import re

import numpy as np

from cli_test_support import Context, read_npy_header

context = Context(__doc__)
marker = "# nninit stream_version=1 clamp=inside"

shapes = ["", "5", "256,784", "3,3,64,128", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "12345678901", "0,7"]
for dtype, descr in [("f32", "<f4"), ("f64", "<f8"), ("f16", "<f2"), ("bf16", "<u2")]:
    for shape in shapes:
        sliced = shape == "12345678901"
        path = context.path(f"fill_{dtype}_{len(shape)}.npy")
        arguments = ["fill", "--init", "uniform", "--shape", shape, "--dtype", dtype, "-o", path, "--quiet"]
        if sliced:  # a slice of a huge tensor: a long shape string, few values
            arguments += ["--offset", "12345678000", "--count", "901"]
        context.run(*arguments)
        major, minor, length, text = read_npy_header(path)
        context.check((major, minor) == (1, 0) and (10 + length) % 64 == 0 and text.endswith("\n"),
                      f"{path}: version {major}.{minor}, header length {length}: {text!r}")
        context.check(re.fullmatch(r"\{[^#]*\} " + re.escape(marker) + r" *\n", text) is not None,
                      f"{path}: header {text!r} lacks the marker {marker!r} right after the dict")
        array = np.load(path)
        mapped = np.load(path, mmap_mode="r")
        expected_shape = (901,) if sliced else tuple(int(d) for d in shape.split(",") if d)
        context.check(array.dtype.str == descr and array.shape == expected_shape,
                      f"{path}: np.load gives {array.dtype.str} {array.shape}")
        context.check(mapped.shape == array.shape and np.array_equal(mapped, array),
                      f"{path}: np.load(mmap_mode='r') differs from np.load")
        with open(path, "rb") as f:
            context.check(np.lib.format.read_magic(f) == (1, 0), f"{path}: read_magic")
            header_shape, fortran, header_dtype = np.lib.format.read_array_header_1_0(f)
            context.check((header_shape, fortran, header_dtype.str) == (expected_shape, False, descr) and
                          f.tell() == 10 + length, f"{path}: read_array_header_1_0 {header_shape} {header_dtype}")
            raw = np.frombuffer(f.read(), dtype=descr)
            context.check(np.array_equal(raw, array.reshape(-1)), f"{path}: data after the header differs")
        printed = context.run("stats", path).stdout
        context.check("producer   nninit (stream version 1, clamp inside)" in printed,
                      f"{path}: stats does not report nninit:\n{printed}")
        as_json = json.loads(context.run("stats", path, "--json").stdout)
        context.check(as_json["producer"] == {"name": "nninit", "stream_version": 1, "clamp": "inside"},
                      f"{path}: --json producer {as_json['producer']}")

# numpy's own files: no marker.
path = context.path("numpy.npy")
np.save(path, np.arange(10, dtype=np.float32))
context.check("#" not in read_npy_header(path)[3], "numpy wrote a comment")
context.check("producer   unknown (no nninit marker)" in context.run("stats", path).stdout, "numpy file taken for nninit's")
context.check(json.loads(context.run("stats", path, "--json").stdout)["producer"] is None, "--json producer")


def with_comment(name, comment):
    """A numpy file of 3 floats whose header dict is followed by `comment`."""
    text = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), } " + comment
    text += " " * ((-(10 + len(text) + 1)) % 64) + "\n"
    path = context.path(name)
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode() +
                np.arange(3, dtype="<f4").tobytes())
    return path


# What the reader accepts: later keys are ignored; other comments are not nninit's.
for comment, producer in [
    ("# nninit stream_version=7", "nninit (stream version 7)"),
    ("#nninit   stream_version=2  clamp=nearest", "nninit (stream version 2, clamp nearest)"),
    ("# nninit stream_version=1 clamp=inside future_key=1.5", "nninit (stream version 1, clamp inside)"),
    ("# written by hand", "unknown"),
    ("# nninitx stream_version=1", "unknown"),
    ("#", "unknown"),
]:
    path = with_comment("comment.npy", comment)
    context.check(np.array_equal(np.load(path), np.arange(3)), f"numpy does not load {comment!r}")
    printed = context.run("stats", path).stdout
    context.check(f"producer   {producer}" in printed, f"comment {comment!r}: {printed}")
# Malformed markers are refused (numpy would load them: they are comments).
for comment, needle in [
    ("# nninit", "no stream_version"),
    ("# nninit clamp=inside", "no stream_version"),
    ("# nninit stream_version=0", "stream_version '0'"),
    ("# nninit stream_version=-1", "stream_version '-1'"),
    ("# nninit stream_version=1x", "stream_version '1x'"),
    ("# nninit stream_version=99999999999999999999", "stream_version '99999999999999999999'"),
    ("# nninit stream_version=1 stream_version=2", "given twice"),
    ("# nninit stream_version=1 clamp=inside clamp=nearest", "given twice"),
    ("# nninit stream_version", "is not KEY=VALUE"),
    ("# nninit stream_version=1 CLAMP=inside", "bad pair"),
    ("# nninit stream_version=1 clamp=\x1b[2J", "bad pair 'clamp=\\x1b[2J'"),
    ("# nninit stream_version=1 clamp=" + "a" * 33, "bad pair"),
]:
    path = with_comment("malformed.npy", comment)
    context.check(np.array_equal(np.load(path), np.arange(3)), f"numpy does not load {comment!r}")
    result = context.run("stats", path, expect=2)
    context.check(path in result.stderr and "malformed nninit marker" in result.stderr and needle in result.stderr,
                  f"comment {comment!r}: message {result.stderr!r} lacks {needle!r}")
context.done()
