"""nninit.validate: the battery of ``nninit validate`` on an array or tensor."""

import json

from . import _nninit

__all__ = ["validate", "ValidationResult", "TestResult"]

_DIST_PARAMETERS = {
    "uniform": ("low", "high"),
    "normal": ("mean", "std"),
    "truncated_normal": ("mean", "std", "lower", "upper"),
    "constant": ("value",),
}


class TestResult:
    """One test of the battery: name, statistic, p_value, adjusted_p_value
    (Holm), sample_size, measured, ci_low, ci_high, target, verdict ("pass",
    "suspicious", "fail") and detail. Numbers that do not apply are None."""

    __test__ = False  # not a pytest test class
    __slots__ = ("name", "statistic", "p_value", "adjusted_p_value", "sample_size", "measured", "ci_low",
                 "ci_high", "target", "verdict", "detail")

    def __init__(self, fields):
        for key in self.__slots__:
            setattr(self, key, fields[key])

    @property
    def passed(self):
        return self.verdict != "fail"

    def to_dict(self):
        return {key: getattr(self, key) for key in self.__slots__}

    def __repr__(self):
        return (f"TestResult({self.name!r}, verdict={self.verdict!r}, measured={_cell(self.measured)}, "
                f"target={_cell(self.target)}, p_value={_cell(self.p_value)})")


class ValidationResult:
    """What validate() found: ``passed`` (no test failed after the Holm
    correction), ``tests`` (TestResult list), ``failed_tests``,
    ``suspicious_tests``, ``expected`` (the distribution), ``source``,
    ``reference`` (the law on the dtype's grid), ``law`` (at the bounds),
    ``alpha``, ``values_tested``, ``dtype``, ``shape``, ``structured`` (the
    structural checks of a structured initializer ran); ``to_json()`` and
    ``to_dict()``; str() is the table ``nninit validate`` prints; bool() is
    ``passed``."""

    def __init__(self, report):
        self._report = report
        self.tests = [TestResult(t) for t in report["tests"]]
        for key in ("passed", "expected", "source", "reference", "law", "alpha", "values_tested", "count",
                    "dtype", "shape", "statistical", "structured"):
            setattr(self, key, report[key])

    @property
    def failed_tests(self):
        return [t for t in self.tests if t.verdict == "fail"]

    @property
    def suspicious_tests(self):
        return [t for t in self.tests if t.verdict == "suspicious"]

    def __bool__(self):
        """True when passed: ``assert nninit.validate(w, ...)`` fails on FAIL."""
        return bool(self.passed)

    def to_dict(self):
        out = {k: v for k, v in self._report.items() if k != "tests"}
        out["shape"] = list(self.shape)
        out["tests"] = [t.to_dict() for t in self.tests]
        out["verdict"] = "PASS" if self.passed else "FAIL"
        return out

    def to_json(self, **dumps_options):
        return json.dumps(self.to_dict(), **dumps_options)

    def __str__(self):
        lines = [f"nninit.validate: {self.values_tested} values of shape {tuple(self.shape)}, {self.dtype}",
                 f"  expected   {self.expected} ({self.source})"]
        if self.statistical:
            lines += [f"  reference  {self.reference}", f"  law        {self.law}", "",
                      f"  {'test':<40} {'measured':>11} {'target':>11} {'p-value':>10} {'adjusted':>10}  verdict"]
            for t in self.tests:
                lines.append(f"  {t.name:<40} {_cell(t.measured):>11} {_cell(t.target):>11} "
                             f"{_cell(t.p_value):>10} {_cell(t.adjusted_p_value):>10}  {t.verdict}")
        for t in self.failed_tests + self.suspicious_tests:
            lines.append(f"  {t.verdict} {t.name}: {t.detail}")
        failed, suspicious = len(self.failed_tests), len(self.suspicious_tests)
        lines.append(f"verdict: {'PASS' if self.passed else 'FAIL'} ({len(self.tests)} tests, {failed} failed, "
                     f"{suspicious} suspicious; Holm-Bonferroni at family-wise alpha {self.alpha:g})")
        return "\n".join(lines)

    def __repr__(self):
        return (f"<ValidationResult {'PASS' if self.passed else 'FAIL'}: {self.expected}, "
                f"{len(self.failed_tests)} of {len(self.tests)} tests failed>")


def _cell(value):
    return "-" if value is None else f"{value:.4g}"


def _readable(x):
    """x as a C-contiguous array or CPU tensor to read (a copy only when needed)."""
    if hasattr(x, "data_ptr") and hasattr(x, "detach"):
        x = x.detach()
        if x.device.type != "cpu":
            x = x.cpu()
        return x if x.is_contiguous() else x.contiguous()
    import numpy as np

    return np.ascontiguousarray(x)


def validate(x, init=None, *, dist=None, shape=None, layout=None, grid=None, bounds="auto", producer="other",
             alpha=1e-6, max_values=None, **params):
    """Run nninit's statistical battery on the values of ``x`` (any numpy
    array or torch tensor; it is not modified) and return a ValidationResult.

    The reference law is either an initializer, as ``nninit validate --init``:
      validate(w, "torch.kaiming_uniform", nonlinearity="relu")
      (fans from ``shape``, default x.shape, in ``layout``; structured ones,
      e.g. "torch.orthogonal", get the structural checks of the CLI), or a
    distribution, as ``--dist``:
      validate(w, dist="normal", std=0.02)   # uniform: low, high; normal: mean, std;
                                              # truncated_normal: mean, std, lower, upper; constant: value
      validate(w, dist=nninit.Normal(0, 0.02))
    grid: the grid the values were rounded to (default: x's dtype's).
    producer: "other" (default) or "nninit": whether the values are an nninit
      fill (what the marker in nninit's .npy files tells the CLI): it picks
      the law at the bounds and, for orthogonal matrices, whether another
      framework's float32 QR rounding is allowed for.
    bounds: "auto" (default: from producer), "nearest" (a real draw rounded to
      nearest in the dtype, as PyTorch, JAX and numpy produce) or "inside"
      (nninit's fills clamp values into [low, high]).
    alpha: the family-wise level (Holm-Bonferroni), default 1e-6.
    max_values: test only the first N values.
    """
    if (init is None) == (dist is None):
        raise TypeError("validate: give the reference law with either init=NAME or dist=NAME/Distribution")
    distribution = None
    if dist is not None:
        if isinstance(dist, str):
            if dist not in _DIST_PARAMETERS:
                raise ValueError(f"dist: '{dist}' is not uniform, normal, truncated_normal or constant")
            allowed = _DIST_PARAMETERS[dist]
            unknown = sorted(set(params) - set(allowed))
            if unknown:
                raise TypeError(f"dist='{dist}' takes {', '.join(allowed)}, not {', '.join(unknown)}")
            required = {"uniform": ("low", "high"), "normal": ("std",), "truncated_normal": ("std", "lower", "upper"),
                        "constant": ("value",)}[dist]
            missing = [k for k in required if k not in params]
            if missing:
                raise TypeError(f"dist='{dist}' needs {', '.join(missing)}")
            make = {"uniform": _nninit.Uniform, "normal": _nninit.Normal, "truncated_normal": _nninit.TruncatedNormal,
                    "constant": _nninit.Constant}[dist]
            distribution = make(**{k: float(v) for k, v in params.items()})
        elif params:
            raise TypeError(f"validate: {', '.join(sorted(params))} apply to dist=NAME or init=NAME, not to a "
                            f"{type(dist).__name__}")
        else:
            distribution = dist
        if shape is not None or layout is not None:
            raise TypeError("validate: shape and layout go with init=NAME")
    report = _nninit._validate(_readable(x), distribution, init, params if init is not None else {}, shape, layout,
                               grid, bounds, producer, float(alpha), max_values)
    return ValidationResult(report)
