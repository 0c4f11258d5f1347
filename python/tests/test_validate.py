"""nninit.validate and nninit.testing.assert_follows: PASS on correct fills,
FAIL on planted defects, naming the failed tests; the input is not touched."""

import json
import math

import numpy as np
import pytest

import nninit
import nninit.testing

pytestmark = pytest.mark.skipif(not nninit._nninit._validation_available(),
                                reason="the module was built without the validation library")


def normal_weights(n=20000, std=0.02, dtype=np.float32, seed=1):
    return nninit.fill(np.empty(n, dtype), nninit.Normal(0, std), seed=seed, stream="w")


def test_correct_normal_passes_and_reports_every_test():
    x = normal_weights()
    before = x.copy()
    result = nninit.validate(x, dist="normal", std=0.02)
    assert result.passed and result and not result.failed_tests
    assert np.array_equal(x, before)  # the battery ran on a copy
    names = {t.name for t in result.tests}
    assert {"mean", "standard_deviation", "kolmogorov_smirnov", "anderson_darling"} <= names
    for t in result.tests:
        assert t.verdict in ("pass", "suspicious")
    assert result.values_tested == 20000 and result.dtype == "float32" and tuple(result.shape) == (20000,)
    report = json.loads(result.to_json())
    assert report["verdict"] == "PASS" and len(report["tests"]) == len(result.tests)
    assert "verdict: PASS" in str(result)


@pytest.mark.parametrize("defect, failing", [
    (lambda x: x * 1.05, "standard_deviation"),            # a 5% standard-deviation error
    (lambda x: x + 0.002, "mean"),          # a shifted mean
    (lambda x: np.sort(x), "correlation"),  # values in order: serial correlation
])
def test_planted_defects_fail(defect, failing):
    x = defect(normal_weights()).astype(np.float32)
    result = nninit.validate(x, dist="normal", std=0.02)
    assert not result.passed and not result
    assert any(failing in t.name for t in result.failed_tests), [t.name for t in result.failed_tests]
    with pytest.raises(AssertionError) as caught:
        nninit.testing.assert_follows(x, dist="normal", std=0.02)
    message = str(caught.value)
    assert "tests failed" in message
    for t in result.failed_tests:
        assert t.name in message


def test_initializer_reference_passes_and_the_wrong_one_fails():
    w = nninit.fill(np.empty((512, 256), np.float32), "torch.kaiming_uniform", seed=3, stream="fc",
                    nonlinearity="relu")
    assert nninit.validate(w, init="torch.kaiming_uniform", nonlinearity="relu").passed
    # leaky_relu's default gain is smaller: the bound is wrong by a factor sqrt(1 + 0.01^2)... and more
    wrong = nninit.validate(w, init="torch.xavier_uniform")
    assert not wrong.passed
    r = nninit.testing.assert_follows(w, "torch.kaiming_uniform", nonlinearity="relu")
    assert r.passed and "torch.kaiming_uniform" in r.source


@pytest.mark.parametrize("dtype", [np.float64, np.float16, np.uint16])
def test_other_dtypes(dtype):
    x = nninit.fill(np.empty(20000, dtype), nninit.Uniform(-0.5, 0.5), seed=8)
    assert nninit.validate(x, dist="uniform", low=-0.5, high=0.5, bounds="inside").passed
    assert not nninit.validate(x, dist="uniform", low=-0.5, high=0.6).passed


def test_torch_truncated_normal_law_with_distribution_object():
    x = nninit.fill(np.empty(30000, np.float32), nninit.TruncatedNormal(0, 0.02, -0.04, 0.04), seed=2)
    assert nninit.validate(x, dist=nninit.TruncatedNormal(0, 0.02, -0.04, 0.04), bounds="inside").passed
    assert not nninit.validate(x, dist=nninit.Normal(0, 0.02)).passed


def test_constants_are_checked_exactly():
    z = np.zeros(1000, np.float32)
    assert nninit.validate(z, dist="constant", value=0).passed
    z[500] = 1e-30
    result = nninit.validate(z, dist="constant", value=0)
    assert not result.passed and result.failed_tests[0].name == "every_value_equals"


def test_non_contiguous_and_read_only_inputs_are_read():
    x = np.repeat(normal_weights(10000)[:, None], 2, axis=1)
    x.flags.writeable = False
    assert nninit.validate(x[:, 0], dist="normal", std=0.02).passed


def test_errors_name_the_argument():
    x = normal_weights(1000)
    with pytest.raises(TypeError, match="either init"):
        nninit.validate(x)
    with pytest.raises(TypeError, match="needs std"):
        nninit.validate(x, dist="normal")
    with pytest.raises(TypeError, match="colour"):
        nninit.validate(x, dist="normal", std=1, colour=2)
    with pytest.raises(ValueError, match="alpha"):
        nninit.validate(x, dist="normal", std=0.02, alpha=2)
    with pytest.raises(ValueError, match="bounds"):
        nninit.validate(x, dist="normal", std=0.02, bounds="outside")
    with pytest.raises(ValueError, match="100"):
        nninit.validate(x[:50], dist="normal", std=0.02)
    with pytest.raises(ValueError, match="producer"):
        nninit.validate(x, dist="normal", std=0.02, producer="somebody")
    with pytest.raises(ValueError, match="dirac"):
        nninit.validate(np.zeros((4, 4), np.float32), init="torch.dirac")
    assert math.isfinite(nninit.validate(x, dist="normal", std=0.02).tests[0].p_value or 0.0)


def test_structured_initializers_get_the_structural_checks():
    q = nninit.fill(np.empty((64, 48), np.float32), "torch.orthogonal", seed=5, stream="rnn", gain=1.0)
    result = nninit.validate(q, init="torch.orthogonal", producer="nninit")
    assert result.passed and result.structured
    assert not nninit.validate(q * np.float32(1.01), init="torch.orthogonal", producer="nninit").passed
    gaussian = nninit.fill(np.empty((64, 48), np.float32), nninit.Normal(0, 1 / 8), seed=5)
    assert not nninit.validate(gaussian, init="torch.orthogonal").passed
    s = nninit.fill(np.empty((200, 30), np.float64), "torch.sparse", seed=2, sparsity=0.25)
    assert nninit.validate(s, init="torch.sparse", sparsity=0.25, producer="nninit").passed
    assert not nninit.validate(s, init="torch.sparse", sparsity=0.3, producer="nninit").passed
    eye = nninit.fill(np.empty((5, 7), np.float16), "torch.eye")
    assert nninit.validate(eye, init="torch.eye").passed
    eye[0, 1] = 1
    failed = nninit.validate(eye, init="torch.eye")
    assert not failed.passed and failed.failed_tests
