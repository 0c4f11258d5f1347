"""`nninit stats` is exact for every finite input: its mean is the correctly
rounded mean and its std (divisor n - 1) is within one unit in the last
place of the true value, against references in exact rational arithmetic
(fractions, integer square roots) — also for values near the top of the
double range (1e308, where a floating-point sum overflows), one huge value
among ordinary ones (whose square overflows), subnormals, catastrophic
cancellation, values spread over the whole exponent range, and more values
than one of the accumulator's blocks holds (2^22). The std is inf only when
the true value exceeds the largest double."""
import math
import sys
from fractions import Fraction

import numpy as np

from cli_test_support import Context

context = Context(__doc__)
largest = sys.float_info.max


def exact_moments(values):
    """(mean, variance) of `values` (float64) as Fractions."""
    exact = [Fraction(float(v)) for v in values]
    n = len(exact)
    total = sum(exact)
    squares = sum(v * v for v in exact)
    return total / n, (n * squares - total * total) / (n * (n - 1))


def root(variance):
    """sqrt(variance) to 100 bits, as a Fraction (integer square root of a scaled value)."""
    if variance == 0:
        return Fraction(0)
    scale = 100 - (variance.numerator.bit_length() - variance.denominator.bit_length()) // 2
    scale += scale % 2
    if scale >= 0:
        scaled = variance.numerator * 4**scale // variance.denominator
    else:
        scaled = variance.numerator // (variance.denominator * 4**-scale)
    return Fraction(math.isqrt(scaled), 2**scale) if scale >= 0 else Fraction(math.isqrt(scaled) * 2**-scale)


def to_double(value):
    """A Fraction rounded to a double, or inf beyond the range."""
    return float(value) if abs(value) <= Fraction(largest) else math.copysign(math.inf, value)


def stats(path):
    printed = {}
    for line in context.run("stats", path).stdout.splitlines():
        key, _, value = line.partition(" ")
        printed[key] = value.strip()
    return printed


def check(name, values, dtype="<f8", mean=None, variance=None):
    values = np.asarray(values, dtype=dtype)
    path = context.path(name + ".npy")
    np.save(path, values)
    as_double = values.astype(np.float64)
    as_double = as_double[np.isfinite(as_double)]
    if mean is None:
        mean, variance = exact_moments(as_double)
    printed = stats(path)
    got_mean, got_std = float(printed["mean"]), float(printed["std"])
    context.check(got_mean == float(mean),
                  f"{name}: mean {got_mean!r}, exactly {float(mean)!r} (correctly rounded), {printed}")
    true_std = root(variance)
    if true_std > Fraction(largest) * (1 + Fraction(1, 2**53)):
        context.check(got_std == math.inf, f"{name}: std {got_std!r}, the true value overflows: inf")
        return
    expected = to_double(true_std)
    tolerance = math.ulp(expected) if expected > 0 else 0.0
    context.check(math.isfinite(got_std) and abs(Fraction(got_std) - true_std) <= Fraction(tolerance),
                  f"{name}: std {got_std!r}, the true value is {expected!r} (±1 ulp = {tolerance!r}), {printed}")
    context.check(float(printed["min"]) == as_double.min() and float(printed["max"]) == as_double.max(),
                  f"{name}: min {printed['min']} max {printed['max']}")


rng = np.random.default_rng(20240601)
check("near_largest", [1e308, 1.5e308, 1.7e308, largest, largest, 1.2e308])
check("near_largest_mixed", [largest, -largest, largest, largest, -1e308, 3.0])
check("largest_pair", [largest, -largest])  # std = sqrt(2) * largest: inf
check("all_largest", [largest] * 1000)  # std 0, mean exactly largest
one_huge = rng.normal(size=1000)
one_huge[17] = 1e200
check("one_huge", one_huge)
one_huge[17] = 1e300
check("one_huger", one_huge)
check("tiny", rng.normal(size=100) * 1e-300)
check("subnormal", [5e-324, 1e-323, 0.0, -5e-324, 2.5e-322, 1e-310])
check("subnormal_pair", [5e-324, 0.0])
check("cancellation", [1e16, 1.0, -1e16, 3.0, 2.0**-30])
check("constant_tenth", [0.1] * 999)
check("ulp_apart", [1e308, np.nextafter(1e308, math.inf), 1e308])
spread = np.ldexp(rng.uniform(1, 2, size=3000) * rng.choice([-1, 1], size=3000),
                  rng.integers(-1074, 1023, size=3000))
check("whole_exponent_range", spread)
check("f32_extremes", np.array([3.4028235e38, -3.4028235e38, 1e-45, 3.4e38, 1.0], dtype="<f4"), dtype="<f4")
check("f16", rng.normal(size=5000).astype(np.float16) * np.float16(300), dtype="<f2")
check("with_nan", [1e308, np.nan, 1.7e308, np.inf, -np.inf, 1.6e308])

# More values than one accumulation block (2^22): integers / 2^10 in float32,
# whose exact sums numpy's int64 can hold (sum of squares < 2^63).
m = rng.integers(-2**20, 2**20, size=4_500_000, dtype=np.int64)
m[:10] = 2**20 - 1
n = m.size
total, squares = int(m.sum()), int((m * m).sum())
check("many", (m / 1024.0).astype(np.float32), dtype="<f4", mean=Fraction(total, n * 1024),
      variance=Fraction(n * squares - total * total, n * (n - 1) * 2**20))
context.done()
