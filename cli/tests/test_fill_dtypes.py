"""The dtypes of `nninit fill`: f64, f32, f16 ('<f2') and bf16 ('<u2' raw bits
that decode with (a.astype(np.uint32) << 16).view(np.float32)). For a normal
distribution the 16-bit outputs are the float32 values rounded to nearest
even, as the library documents."""
import numpy as np

from cli_test_support import Context, bfloat16_to_float32, float32_to_bfloat16_bits

context = Context(__doc__)
common = ["--init", "normal", "--param", "mean=0.25", "std=3", "--shape", "4096,3", "--seed", "77",
          "--stream", "decoder.ln.weight"]

f32 = context.fill("f32.npy", *common)
f64 = context.fill("f64.npy", *common, "--dtype", "f64")
f16 = context.fill("f16.npy", *common, "--dtype", "f16")
bf16 = context.fill("bf16.npy", *common, "--dtype", "bf16")
aliases = {"float32": f32, "float64": f64, "float16": f16, "bfloat16": bf16}

context.check(f32.dtype == np.dtype("<f4") and f32.shape == (4096, 3), f"f32: {f32.dtype} {f32.shape}")
context.check(f64.dtype == np.dtype("<f8") and f64.shape == (4096, 3), f"f64: {f64.dtype} {f64.shape}")
context.check(f16.dtype == np.dtype("<f2") and f16.shape == (4096, 3), f"f16: {f16.dtype} {f16.shape}")
context.check(bf16.dtype == np.dtype("<u2") and bf16.shape == (4096, 3), f"bf16: {bf16.dtype} {bf16.shape}")

context.check(np.array_equal(f16, f32.astype(np.float16)), "f16 is not float32 rounded to nearest even")
context.check(np.array_equal(bf16, float32_to_bfloat16_bits(f32)), "bf16 is not float32 rounded to nearest even")
decoded = bfloat16_to_float32(bf16)
context.check(decoded.dtype == np.float32 and decoded.shape == (4096, 3), "bf16 decoding")
context.check(np.max(np.abs(decoded - f32)) <= np.max(np.abs(f32)) * 2.0 ** -8,
              "decoded bf16 is further than half a bf16 step from float32")
context.check(abs(float(f64.mean()) - 0.25) < 0.1 and abs(float(f64.std()) - 3) < 0.1,
              f"f64 mean {f64.mean()} std {f64.std()}")

# The long dtype names are accepted too.
for name, expected in aliases.items():
    again = context.fill(name + ".npy", *common, "--dtype", name)
    context.check(again.tobytes() == expected.tobytes(), f"--dtype {name} differs from its short name")
context.done()
