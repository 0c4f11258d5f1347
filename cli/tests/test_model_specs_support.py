"""Reading one tensor of a safetensors file (the model-spec and shard tests)."""
import json
import struct

import numpy as np

DTYPES = {"F32": np.float32, "BF16": np.uint16, "F16": np.float16, "F64": np.float64}


def read_tensor(path, name):
    """The tensor `name` of a .safetensors file, as a numpy array (bfloat16 as its uint16 bits)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        entry = json.loads(f.read(length).decode("utf-8"))[name]
        begin, stop = entry["data_offsets"]
        f.seek(8 + length + begin)
        data = f.read(stop - begin)
    return np.frombuffer(data, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
