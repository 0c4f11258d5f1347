"""`nninit fill --offset K --count N` writes the 1-D slice [K, K+N) of the
flattened tensor, equal bit for bit to that part of the whole fill, for every
dtype and kind of distribution; shards written separately concatenate to the
whole."""
import numpy as np

from cli_test_support import Context

context = Context(__doc__)

distributions = {
    "uniform": ["--init", "uniform", "--param", "low=-3", "high=2"],
    "normal": ["--init", "normal", "--param", "mean=1", "std=0.5"],
    "truncated": ["--init", "keras.he_normal", "--layout", "keras"],
    "kaiming": ["--init", "torch.kaiming_uniform"],
}
shapes = {"small": "7,1001", "large": "3,100003"}  # the large one runs in parallel

for dtype in ["f32", "f64", "bf16", "f16"]:
    for dist_name, dist in distributions.items():
        for shape_name, shape in shapes.items():
            common = dist + ["--shape", shape, "--dtype", dtype, "--seed", "123", "--stream", "slices." + dist_name]
            tag = f"{dtype}.{dist_name}.{shape_name}"
            whole = context.fill(tag + ".npy", *common).reshape(-1)
            total = whole.size
            raw = whole.view(np.uint8).reshape(total, -1)
            slices = [(0, total), (1, 5), (3, 4), (4, 8), (5, 1), (1000, 997), (total - 1, 1), (total - 7, 7)]
            if shape_name == "large":
                slices += [(32767, 2), (65536 - 3, 70001), (4097, total - 4097)]
            for offset, count in slices:
                part = context.fill(f"{tag}.{offset}.{count}.npy", *common,
                                    "--offset", offset, "--count", count)
                context.check(part.shape == (count,), f"{tag} [{offset}, +{count}): shape {part.shape}")
                context.check(part.dtype == whole.dtype, f"{tag}: slice dtype {part.dtype}")
                context.check(np.array_equal(part.view(np.uint8).reshape(count, -1), raw[offset:offset + count]),
                              f"{tag}: slice [{offset}, {offset + count}) differs from the whole fill")
            if shape_name == "small" and dist_name == "normal":
                # Four "ranks", uneven shards, each written on its own.
                bounds = [0, total // 5, total // 2 + 3, total - 11, total]
                shards = [context.fill(f"{tag}.rank{r}.npy", *common, "--offset", bounds[r],
                                       "--count", bounds[r + 1] - bounds[r]) for r in range(4)]
                joined = np.concatenate(shards)
                context.check(np.array_equal(joined.view(np.uint8), whole.view(np.uint8)),
                              f"{tag}: four shards do not concatenate to the whole")
                # --offset alone runs to the end; --count alone starts at 0.
                tail = context.fill(tag + ".tail.npy", *common, "--offset", 6000)
                context.check(np.array_equal(tail.view(np.uint8), whole[6000:].view(np.uint8)),
                              f"{tag}: --offset 6000 is not the tail")
                head = context.fill(tag + ".head.npy", *common, "--count", 10)
                context.check(np.array_equal(head.view(np.uint8), whole[:10].view(np.uint8)),
                              f"{tag}: --count 10 is not the head")
                empty = context.fill(tag + ".empty.npy", *common, "--offset", total, "--count", 0)
                context.check(empty.shape == (0,), f"{tag}: empty slice has shape {empty.shape}")

# A scalar ('' shape) and a shape with a zero dimension.
scalar = context.fill("scalar.npy", "--init", "normal", "--shape", "")
context.check(scalar.shape == (), f"scalar shape {scalar.shape}")
first = context.fill("first.npy", "--init", "normal", "--shape", "5")
context.check(scalar.tobytes() == first[:1].tobytes(), "the scalar is not element 0 of the stream")
empty = context.fill("zero_dim.npy", "--init", "zeros", "--shape", "0,5")
context.check(empty.shape == (0, 5), f"zero-dimension shape {empty.shape}")
context.done()
