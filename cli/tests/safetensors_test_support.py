"""A minimal safetensors writer and reader for the CLI tests (the Debian
python3-torch has no safetensors package): the format is an 8-byte
little-endian header length, the JSON header, then the data."""
import json
import struct

import numpy as np

DTYPES = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64", np.dtype("<f2"): "F16"}


def encode(tensors, metadata=None):
    """The bytes of a safetensors file holding `tensors`, a list of (name,
    array) in order; arrays of dtype uint16 are written as BF16 bits."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    data = bytearray()
    for name, array in tensors:
        array = np.ascontiguousarray(array)
        dtype = "BF16" if array.dtype == np.uint16 else DTYPES[array.dtype.newbyteorder("<")]
        raw = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    return raw_file(json.dumps(header).encode(), bytes(data))


def raw_file(header_bytes, data, length=None):
    """A file of `header_bytes` (padded with spaces to a multiple of 8, as the
    format's writers do) and `data`; `length` overrides the header length."""
    header_bytes = header_bytes + b" " * (-len(header_bytes) % 8)
    return struct.pack("<Q", len(header_bytes) if length is None else length) + header_bytes + data


def write(path, tensors, metadata=None):
    with open(path, "wb") as f:
        f.write(encode(tensors, metadata))


def read(path):
    """{name: array} of a safetensors file (BF16 as uint16 bits)."""
    blob = open(path, "rb").read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    start = 8 + length
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "BF16": "<u2"}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(blob[start + begin:start + end], dtype=dtype).reshape(entry["shape"])
    return out
