"""README.md's worked example ("Whole models and shards"): GPT-2's token
embedding [50257, 768] split by columns (shard_dim 1) across 4 ranks with
examples/models/wte-column-shards.json. Each rank's file holds a [50257, 192]
tensor, and the four put together along dim 1 equal the single-process
tensor bit for bit (also with 1 and 2 threads per rank, which must not matter)."""
import os

import numpy as np

from cli_test_support import Context
from test_model_specs_support import read_tensor

context = Context(__doc__)
spec = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "models",
                    "wte-column-shards.json")
name = "transformer.wte.weight"

whole_path = context.path("wte.safetensors")
context.run("init", spec, "-o", whole_path, "-q")
whole = read_tensor(whole_path, name)
context.check(whole.shape == (50257, 768), f"whole: shape {whole.shape}")

parts = []
for rank in range(4):
    path = context.path(f"wte-rank{rank}.safetensors")
    context.run("init", spec, "-o", path, "--rank", rank, "--world-size", 4, "--threads", 1 + rank % 2, "-q")
    part = read_tensor(path, name)
    context.check(part.shape == (50257, 192), f"rank {rank}: shape {part.shape}, expected (50257, 192)")
    context.check(np.array_equal(part, whole[:, 192 * rank:192 * (rank + 1)]),
                  f"rank {rank}: differs from columns [{192 * rank}, {192 * (rank + 1)}) of the whole")
    parts.append(part)
joined = np.concatenate(parts, axis=1)
context.check(joined.tobytes() == whole.tobytes(), "the 4 column shards concatenated along dim 1 differ from the whole")
print("4 column shards of [50257, 768] concatenated along dim 1 equal the whole, bit for bit")
context.done()
