"""pytest helpers: assert_follows fails a test when a tensor does not follow
the law nninit's validation battery checks.

    def test_init():
        w = torch.empty(256, 784)
        torch.nn.init.kaiming_uniform_(w, nonlinearity="relu")
        nninit.testing.assert_follows(w, "torch.kaiming_uniform", nonlinearity="relu")
"""

from ._validation import validate

__all__ = ["assert_follows"]


def assert_follows(x, init=None, **options):
    """Run nninit.validate(x, init, **options) and raise AssertionError, with
    a message naming every failed test (measured value, target, p-values and
    the battery's note), when the verdict is FAIL. Returns the
    ValidationResult otherwise."""
    __tracebackhide__ = True  # pytest: report the caller's line
    result = validate(x, init, **options)
    if not result.passed:
        lines = [f"values do not follow {result.expected} ({result.source}): "
                 f"{len(result.failed_tests)} of {len(result.tests)} tests failed "
                 f"(Holm-Bonferroni at family-wise alpha {result.alpha:g})"]
        for t in result.failed_tests:
            measured = "-" if t.measured is None else f"{t.measured:.6g}"
            target = "-" if t.target is None else f"{t.target:.6g}"
            p = "-" if t.p_value is None else f"{t.p_value:.3g}"
            adjusted = "-" if t.adjusted_p_value is None else f"{t.adjusted_p_value:.3g}"
            lines.append(f"  {t.name}: measured {measured}, target {target}, p {p} (adjusted {adjusted}): {t.detail}")
        raise AssertionError("\n".join(lines))
    return result
