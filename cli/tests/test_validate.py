"""`nninit validate` runs the statistical battery: it passes correct samples
(written by the CLI in every dtype, and by numpy as another framework would)
and fails wrong ones (negative controls) with exit status 1, printing a
verdict and one line per test."""
import numpy as np

from cli_test_support import Context, float32_to_bfloat16_bits

context = Context(__doc__)


def validate(path, *arguments, expect):
    result = context.run("validate", path, *arguments, expect=expect)
    verdict = "PASS" if expect == 0 else "FAIL"
    context.check(f"verdict: {verdict}" in result.stdout,
                  f"validate {path} {arguments}: no 'verdict: {verdict}' in\n{result.stdout}")
    return result.stdout


def fill(name, *arguments):
    path = context.path(name)
    context.run("fill", *arguments, "-o", path)
    return path


# Correct samples pass, in every dtype.
normal = fill("normal.npy", "--init", "normal", "--param", "std=0.02", "--shape", "200000", "--stream", "v1")
report = validate(normal, "--dist", "normal", "--std", "0.02", expect=0)
for test in ["kolmogorov_smirnov", "anderson_darling", "mean", "std"]:
    context.check(test in report, f"the report does not mention {test}:\n{report}")
for dtype in ["f64", "bf16", "f16"]:
    path = fill(f"normal_{dtype}.npy", "--init", "normal", "--param", "std=0.02", "--shape", "100000",
                "--stream", "v2", "--dtype", dtype)
    validate(path, "--dist", "normal", "--mean", "0", "--std", "0.02", expect=0)

kaiming = fill("kaiming.npy", "--init", "torch.kaiming_uniform", "--param", "nonlinearity=relu", "--shape",
               "512,256", "--seed", "3", "--stream", "fc.weight")
validate(kaiming, "--init", "torch.kaiming_uniform", "--param", "nonlinearity=relu", expect=0)
bound = float(np.sqrt(6 / 256))
validate(kaiming, "--dist", "uniform", "--low", -bound, "--high", bound, expect=0)
he = fill("he.npy", "--init", "keras.he_normal", "--layout", "keras", "--shape", "3,3,64,128", "--dtype", "bf16")
validate(he, "--init", "keras.he_normal", "--layout", "keras", expect=0)
shard = fill("he_shard.npy", "--init", "keras.he_normal", "--layout", "keras", "--shape", "3,3,64,128",
             "--offset", "20000", "--count", "30000")
validate(shard, "--init", "keras.he_normal", "--layout", "keras", "--shape", "3,3,64,128", expect=0)
trunc = fill("trunc.npy", "--init", "torch.trunc_normal", "--param", "std=0.02", "a=-0.04", "b=0.04",
             "--shape", "100000", "--dtype", "f16")
validate(trunc, "--dist", "truncated_normal", "--std", "0.02", "--lower", "-0.04", "--upper", "0.04", expect=0)
zeros = fill("zeros.npy", "--init", "zeros", "--shape", "1000")
validate(zeros, "--init", "zeros", expect=0)
validate(zeros, "--dist", "constant", "--value", "0", expect=0)

# Another framework's tensors (numpy here, fixed seeds).
rng = np.random.default_rng(20240601)
foreign = context.path("numpy_normal.npy")
np.save(foreign, rng.normal(0.0, 0.05, size=100000).astype(np.float32))
validate(foreign, "--dist", "normal", "--std", "0.05", expect=0)
foreign_bf16 = context.path("numpy_bf16.npy")
np.save(foreign_bf16, float32_to_bfloat16_bits(rng.normal(0.0, 1.0, size=100000).astype(np.float32)))
validate(foreign_bf16, "--dist", "normal", "--std", "1", expect=0)

# Negative controls: each must FAIL.
validate(normal, "--dist", "normal", "--std", "0.021", expect=1)           # std 5% off
validate(normal, "--dist", "normal", "--mean", "0.001", "--std", "0.02", expect=1)  # mean shifted
validate(normal, "--dist", "uniform", "--low", "-0.035", "--high", "0.035", expect=1)  # wrong shape
validate(kaiming, "--init", "torch.kaiming_uniform", "--param", "nonlinearity=linear", expect=1)  # gain 1, not sqrt(2)
validate(kaiming, "--init", "keras.he_uniform", "--layout", "keras", expect=1)  # fans of the other layout
clamped = context.path("clamped.npy")
np.save(clamped, np.clip(np.load(normal), -0.03, 0.03))                    # mass piled on the bounds
validate(clamped, "--dist", "truncated_normal", "--std", "0.02", "--lower", "-0.03", "--upper", "0.03", expect=1)
context.run("validate", foreign, "--dist", "normal", "--std", "0.05", "--grid", "bfloat16", expect=2)  # off the grid
ones = fill("ones.npy", "--init", "ones", "--shape", "1000")
validate(ones, "--dist", "constant", "--value", "0", expect=1)

# The law of the values at a bound the dtype cannot represent. nninit's own
# files say in their header that they were clamped inside the bounds; any
# other file is taken as a real draw rounded to nearest (auto, the default).
# U(-0.05, 0.05) in bfloat16: -0.05 rounds to -0x1.9Ap-5 < -0.05.
own_bf16 = fill("uniform_bf16.npy", "--init", "uniform", "--param", "low=-0.05", "high=0.05", "--shape", "400000",
                "--dtype", "bf16", "--stream", "law")
report = validate(own_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", expect=0)
context.check("written by nninit (stream version 1)" in report, f"the nninit marker is not reported:\n{report}")
validate(own_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", "--bounds", "inside", expect=0)
# The same file read as a foreign cast misses the atoms at the rounded bounds.
validate(own_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", "--bounds", "nearest", expect=1)
draws = rng.uniform(-0.05, 0.05, size=400000).astype(np.float32)
cast_bf16 = context.path("numpy_uniform_bf16.npy")
np.save(cast_bf16, float32_to_bfloat16_bits(draws))
report = validate(cast_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", expect=0)
context.check("not written by nninit" in report, f"a numpy file is not read as round-to-nearest:\n{report}")
validate(cast_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", "--bounds", "inside", expect=1)
context.run("validate", cast_bf16, "--dist", "uniform", "--low", "-0.05", "--high", "0.05", "--bounds", "outside",
            expect=2)

# A p-value never prints as -0 (a huge KS distance: N(0, 1) checked as N(5, 1)).
far = context.path("far.npy")
np.save(far, rng.normal(0.0, 1.0, size=100000).astype(np.float32))
report = validate(far, "--dist", "normal", "--mean", "5", "--std", "1", expect=1)
context.check(" -0 " not in report and not any(cell == "-0" for cell in report.split()),
              f"a -0 in the report:\n{report}")

# Statistics that overflow fail with an explanation, never a library's
# internal message; a reference the dtype cannot resolve is a usage error.
huge = context.path("huge.npy")
values = rng.normal(0.0, 1.0, size=100000)
values[5] = 1e200
np.save(huge, values)
report = validate(huge, "--dist", "normal", "--std", "1", expect=1)
context.check("Error in function" not in report and "fail standard_deviation" in report,
              f"1e200 in a float64 tensor:\n{report}")
tiny_std = context.run("validate", foreign, "--dist", "normal", "--std", "1e-300", expect=2)
context.check("--std" in tiny_std.stderr and "1e-300" in tiny_std.stderr and "Error in function" not in tiny_std.stderr,
              f"--std 1e-300 on float32: {tiny_std.stderr}")
far_mean = context.run("validate", foreign, "--dist", "normal", "--mean", "1e30", "--std", "1", expect=2)
context.check("1e+30" in far_mean.stderr and "not continuous" in far_mean.stderr, far_mean.stderr)

# --max-values tests a prefix.
report = validate(normal, "--dist", "normal", "--std", "0.02", "--max-values", "5000", expect=0)
context.check("5000 (first, of 200000)" in report, f"--max-values not reported:\n{report}")
# --json: one strict JSON object (no NaN literals) with the same tests and
# verdict as the table, and the same exit status.
import json


def reject_constant(name):
    raise ValueError(f"non-JSON number {name}")


def validate_json(path, *arguments, expect):
    result = context.run("validate", path, *arguments, "--json", expect=expect)
    try:
        report = json.loads(result.stdout, parse_constant=reject_constant)
    except ValueError as error:
        context.check(False, f"validate --json {path}: not strict JSON ({error}):\n{result.stdout}")
        return None
    table = context.run("validate", path, *arguments, expect=expect).stdout
    context.check(report["verdict"] == ("PASS" if expect == 0 else "FAIL"), f"--json verdict: {report['verdict']}")
    context.check(f"verdict: {report['verdict']}" in table, f"--json and the table disagree:\n{table}")
    for test in report["tests"]:
        context.check(report["expected"] in table and (test["name"] in table or test["name"] == "every_value_equals"),
                      f"test {test['name']} of --json is not in the table:\n{table}")
    failed = sum(1 for test in report["tests"] if test["verdict"] == "fail")
    context.check(report["failed"] == failed, f"--json failed {report['failed']} but {failed} tests fail")
    return report


report = validate_json(normal, "--dist", "normal", "--std", "0.02", expect=0)
if report is not None:
    names = [test["name"] for test in report["tests"]]
    context.check("kolmogorov_smirnov" in names and "anderson_darling" in names, f"--json tests: {names}")
    context.check(report["values_tested"] == 200000 and report["shape"] == [200000] and report["dtype"] == "f32",
                  f"--json file fields: {report}")
    context.check(report["producer"] is not None and report["producer"]["name"] == "nninit",
                  f"--json producer: {report['producer']}")
    ks = next(test for test in report["tests"] if test["name"] == "kolmogorov_smirnov")
    context.check(0.0 < ks["p_value"] <= 1.0 and ks["statistic"] > 0.0, f"--json KS: {ks}")
report = validate_json(far, "--dist", "normal", "--mean", "5", "--std", "1", expect=1)
if report is not None:
    context.check(report["failed"] > 0 and report["producer"] is None, f"--json of a failing foreign file: {report}")
report = validate_json(zeros, "--dist", "constant", "--value", "1", expect=1)
if report is not None:
    context.check(report["tests"][0]["name"] == "every_value_equals" and report["tests"][0]["measured"] == 1000,
                  f"--json constant: {report}")
bad = context.run("validate", normal, "--dist", "normal", "--std", "-1", "--json", expect=2)
context.check(bad.stdout == "" and "stddev (-1)" in bad.stderr, f"--json with a bad argument: {bad.stdout} {bad.stderr}")
context.done()
