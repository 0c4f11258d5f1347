#!/usr/bin/python3
"""nninit against its peers, side by side, in one run.

Fills float32 outputs of the same sizes at the same thread counts with
  nninit            (the nninit-bench binary, run with a filter, JSON output)
  numpy             Generator.random / .standard_normal(dtype=float32, out=...)
  PyTorch           torch.nn.init.uniform_, normal_, trunc_normal_,
                    kaiming_uniform_, xavier_normal_ (torch.set_num_threads(n))
alternating the three in every round (the order rotates from round to round),
and prints a table of median rates (G elements/s) and ratios nninit / peer.
A peer that is not installed is skipped with a message.

Orthogonal (--orthogonal SHAPES): nninit's torch::orthogonal (nninit-bench's
orthogonal/ group) and torch.nn.init.orthogonal_ on float32 matrices of
those shapes, alternated in every round as above: a second table of median
seconds per fill and the ratio PyTorch / nninit (above 1: nninit faster).
Default 256x256,1024x1024 (smoke: 256x256); 4096x4096 and 4096x11008 are
runnable (--orthogonal 256x256,1024x1024,4096x4096,4096x11008 --rounds 3:
PyTorch takes minutes there); --orthogonal none skips it.

Whole models (--init-model SPEC[,SPEC]): `nninit init SPEC.json` (the nninit
executable, --cli) with --threads T, into /dev/null (the fill and the write
calls, nothing stored) and into a file (--init-dir, default /dev/shm, a
tmpfs), beside PyTorch building the same parameters with torch.nn.init on
torch.set_num_threads(T) (each tensor torch.empty, initialised in place,
then dropped; and, below 4 GiB, kept in a state dict and written with
torch.save into --init-dir), alternated in every round; a table of median seconds,
parameters/s, GB/s of checkpoint data and the fraction of the memset /
streaming-store write roof measured by nninit-bench in the same run, and
the ratio PyTorch / nninit. Only that table is produced in this mode.
Example: bench/peers.py --init-model examples/models/gpt2-small.json --threads 1,2

Usage: bench/peers.py [--bench PATH] [--sizes 4K,4M,64M] [--threads 1,2]
                      [--rounds 5] [--min-time 0.2] [--json OUT] [--markdown OUT] [--smoke]
                      [--orthogonal 256x256,1024x1024]
                      [--init-model SPEC.json,... [--cli PATH] [--init-dir DIR]]
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time


class Op:
    def __init__(self, name, nninit, numpy=None, torch=None, note=""):
        self.name = name
        self.nninit = nninit  # benchmark name prefix in nninit-bench
        self.numpy = numpy    # numpy Generator method, or None
        self.torch = torch    # torch.nn.init function name, or None
        self.note = note


OPS = [
    Op("uniform", "nninit/uniform/f32", numpy="random", torch="uniform_",
       note="U(-1, 1); numpy's random() draws U[0, 1)"),
    Op("normal", "nninit/normal/f32", numpy="standard_normal", torch="normal_", note="N(0, 1)"),
    Op("trunc_normal", "nninit/truncated_normal/f32", torch="trunc_normal_",
       note="N(0, 1) on [-2, 2]"),
    Op("kaiming_uniform", "initializer/torch_kaiming_uniform/f32", torch="kaiming_uniform_",
       note="PyTorch defaults, [n/256, 256] weight"),
    Op("xavier_normal", "initializer/torch_xavier_normal/f32", torch="xavier_normal_",
       note="[n/256, 256] weight"),
]
PEERS = ("nninit", "numpy", "torch")


def parse_size(text):
    match = re.fullmatch(r"(\d+)\s*([KMG]?)(i?B)?", text.strip(), re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}")
    scale = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2).upper()]
    value = int(match.group(1)) * scale
    if value % 1024:
        raise argparse.ArgumentTypeError(f"size {text!r} must be a multiple of 1 KiB")
    return value


def size_label(nbytes):
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if nbytes >= scale and nbytes % scale == 0:
            return f"{nbytes // scale} {unit}"
    return f"{nbytes} B"


def timed_rate(fn, elements, min_time):
    """Elements per second of fn(), called until min_time has passed (after one warm-up)."""
    fn()
    calls = 0
    start = time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elements * calls / elapsed


def default_binary():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("NNINIT_BENCH_BINARY",
                          os.path.join(here, "..", "build", "release", "bench", "nninit-bench"))


def run_nninit(binary, sizes, threads, min_time):
    """One nninit-bench run over every case; {(op, size, threads): rate, ...} and its context."""
    names = "|".join(re.escape(op.nninit) for op in OPS)
    pattern = (f"^({names})/bytes:({'|'.join(str(s) for s in sizes)})"
               f"/threads:({'|'.join(str(t) for t in threads)})/")
    command = [binary, "--sizes=" + ",".join(str(s) for s in sizes),
               "--threads=" + ",".join(str(t) for t in threads),
               "--benchmark_filter=" + pattern, "--benchmark_format=json",
               f"--benchmark_min_time={min_time}", "--benchmark_repetitions=1"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"peers.py: {' '.join(command)} failed ({completed.returncode}):\n"
                 f"{completed.stderr}")
    document = json.loads(completed.stdout)
    rates = {}
    by_prefix = {op.nninit: op.name for op in OPS}
    for entry in document.get("benchmarks", []):
        parts = entry["run_name"].split("/")
        prefix = "/".join(parts[:3])
        if prefix not in by_prefix or entry.get("error_occurred"):
            continue
        size = int(parts[3].split(":")[1])
        thread_count = int(parts[4].split(":")[1])
        rates[(by_prefix[prefix], size, thread_count)] = float(entry["items_per_second"])
    return rates, document.get("context", {})


def run_numpy(np, sizes, min_time):
    """numpy's Generator is single-threaded: one rate per (op, size), any thread count."""
    rng = np.random.default_rng(42)
    rates = {}
    for size in sizes:
        out = np.empty(size // 4, dtype=np.float32)
        for op in OPS:
            if op.numpy is None:
                continue
            method = getattr(rng, op.numpy)
            rates[(op.name, size, None)] = timed_rate(
                lambda: method(out=out, dtype=np.float32), out.size, min_time)
    return rates


def run_torch(torch, sizes, threads, min_time):
    torch.manual_seed(42)
    rates = {}
    calls = {
        "uniform_": lambda t: torch.nn.init.uniform_(t, -1.0, 1.0),
        "normal_": lambda t: torch.nn.init.normal_(t, 0.0, 1.0),
        "trunc_normal_": lambda t: torch.nn.init.trunc_normal_(t, 0.0, 1.0, -2.0, 2.0),
        "kaiming_uniform_": lambda t: torch.nn.init.kaiming_uniform_(t),
        "xavier_normal_": lambda t: torch.nn.init.xavier_normal_(t),
    }
    for thread_count in threads:
        torch.set_num_threads(thread_count)
        for size in sizes:
            elements = size // 4
            tensor = torch.empty((elements // 256, 256), dtype=torch.float32)
            for op in OPS:
                if op.torch is None:
                    continue
                call = calls[op.torch]
                rates[(op.name, size, thread_count)] = timed_rate(
                    lambda: call(tensor), elements, min_time)
    return rates


def parse_shapes(text):
    if text in ("", "none"):
        return []
    shapes = []
    for part in text.split(","):
        match = re.fullmatch(r"(\d+)x(\d+)", part.strip())
        if not match:
            raise argparse.ArgumentTypeError(f"bad shape {part!r} (ROWSxCOLS)")
        shapes.append((int(match.group(1)), int(match.group(2))))
    return shapes


def run_nninit_orthogonal(binary, shapes, threads, min_time):
    """Seconds per torch::orthogonal fill: {(rows, cols, threads): seconds}."""
    shape_names = "|".join(f"{r}x{c}" for r, c in shapes)
    pattern = (f"^orthogonal/torch/f32/shape:({shape_names})"
               f"/threads:({'|'.join(str(t) for t in threads)})/")
    command = [binary, "--threads=" + ",".join(str(t) for t in threads),
               "--benchmark_filter=" + pattern, "--benchmark_format=json",
               f"--benchmark_min_time={min_time}", "--benchmark_repetitions=1"]
    if any(r * c > 4096 * 4096 for r, c in shapes):
        command.insert(1, "--full")
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"peers.py: {' '.join(command)} failed ({completed.returncode}):\n"
                 f"{completed.stderr}")
    seconds = {}
    for entry in json.loads(completed.stdout).get("benchmarks", []):
        parts = entry["run_name"].split("/")
        if parts[0] != "orthogonal" or entry.get("error_occurred"):
            continue
        rows, cols = (int(x) for x in parts[3].split(":")[1].split("x"))
        thread_count = int(parts[4].split(":")[1])
        seconds[(rows, cols, thread_count)] = rows * cols / float(entry["items_per_second"])
    return seconds


def run_torch_orthogonal(torch, shapes, threads, min_time):
    seconds = {}
    for thread_count in threads:
        torch.set_num_threads(thread_count)
        for rows, cols in shapes:
            tensor = torch.empty((rows, cols), dtype=torch.float32)
            rate = timed_rate(lambda: torch.nn.init.orthogonal_(tensor), 1, min_time)
            seconds[(rows, cols, thread_count)] = 1.0 / rate
    return seconds


def orthogonal_table(summary, shapes, threads, context):
    lines = [
        "",
        f"Orthogonal (torch convention, float32), seconds per fill (median of {context['rounds']} "
        "alternated rounds); PyTorch ÷ nninit above 1: nninit faster. PyTorch's QR is its "
        "LAPACK's (geqrf + orgqr).",
        "",
        "| shape | threads | nninit s | PyTorch s | PyTorch ÷ nninit |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for rows, cols in shapes:
        for thread_count in threads:
            ours = summary.get((f"{rows}x{cols}", thread_count, "nninit"))
            theirs = summary.get((f"{rows}x{cols}", thread_count, "torch"))
            lines.append(f"| {rows}×{cols} | {thread_count} | "
                         f"{'—' if ours is None else f'{ours:.4g}'} | "
                         f"{'—' if theirs is None else f'{theirs:.4g}'} | "
                         f"{fmt_ratio(theirs, ours)} |")
    return "\n".join(lines) + "\n"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def fmt_rate(value):
    return "—" if value is None else f"{value / 1e9:.3f}"


def fmt_ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return "—"
    return f"{numerator / denominator:.1f}×"


def markdown_table(summary, sizes, threads, context):
    lines = [
        f"Peers, float32, G elements/s (median of {context['rounds']} alternated rounds, "
        f"each at least {context['min_time_s']} s per case); {context['cpu_model']}, "
        f"{context['cores']} cores, {context['date']}.",
        f"Versions: nninit {context.get('nninit_version', '?')}, "
        f"numpy {context.get('numpy_version') or 'not installed'}, "
        f"PyTorch {context.get('torch_version') or 'not installed'}. "
        "numpy's Generator is single-threaded: its rate is the same at every thread count."
        + (f" Load average at the end: {context['load_avg'][0]:.2f}." if context.get("load_avg")
           else ""),
        "",
        "| op | size | threads | nninit | numpy | PyTorch | nninit ÷ numpy | nninit ÷ PyTorch |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for op in OPS:
        for size in sizes:
            for thread_count in threads:
                nninit_rate = summary.get((op.name, size, thread_count, "nninit"))
                numpy_rate = summary.get((op.name, size, None, "numpy"))
                torch_rate = summary.get((op.name, size, thread_count, "torch"))
                lines.append(
                    f"| {op.name} | {size_label(size)} | {thread_count} | {fmt_rate(nninit_rate)} "
                    f"| {fmt_rate(numpy_rate)} | {fmt_rate(torch_rate)} "
                    f"| {fmt_ratio(nninit_rate, numpy_rate)} | {fmt_ratio(nninit_rate, torch_rate)} |")
    lines.append("")
    lines.append("Operations: " + "; ".join(f"{op.name}: {op.note}" for op in OPS) + ".")
    return "\n".join(lines) + "\n"


# ---- Whole models (--init-model).

def torch_initializer(torch, parameter):
    """A function filling a tensor in place as the spec entry says, with torch.nn.init."""
    import math
    init = torch.nn.init
    name = parameter["init"]
    params = parameter.get("params", {})
    if name in ("normal", "torch.normal"):
        return lambda t: init.normal_(t, params.get("mean", 0.0), params.get("std", 1.0))
    if name in ("ones", "torch.ones"):
        return init.ones_
    if name in ("zeros", "torch.zeros"):
        return init.zeros_
    if name == "torch.trunc_normal":
        return lambda t: init.trunc_normal_(t, params.get("mean", 0.0), params.get("std", 1.0),
                                            params.get("a", -2.0), params.get("b", 2.0))
    if name == "torch.kaiming_normal":
        return lambda t: init.kaiming_normal_(t, a=params.get("a", 0), mode=params.get("mode", "fan_in"),
                                              nonlinearity=params.get("nonlinearity", "leaky_relu"))
    if name == "torch.linear_default":
        return lambda t: init.kaiming_uniform_(t, a=math.sqrt(5))
    if name == "torch.linear_bias_default":
        bound = 1 / math.sqrt(params["fan_in"])
        return lambda t: init.uniform_(t, -bound, bound)
    if name == "torch.xavier_uniform":
        return init.xavier_uniform_
    if name == "torch.orthogonal":
        return lambda t: init.orthogonal_(t, params.get("gain", 1.0))
    raise SystemExit(f"peers.py: no torch.nn.init equivalent for init {name!r}")


TORCH_DTYPES = {"f32": "float32", "f64": "float64", "bf16": "bfloat16", "f16": "float16"}
DTYPE_BYTES = {"f32": 4, "f64": 8, "bf16": 2, "f16": 2}


def load_model_spec(path):
    with open(path, encoding="utf-8") as handle:
        spec = json.load(handle)
    parameters = spec["parameters"]
    count = 0
    data_bytes = 0
    for p in parameters:
        n = 1
        for d in p["shape"]:
            n *= d
        count += n
        data_bytes += n * DTYPE_BYTES[p.get("dtype", "f32")]
    return parameters, count, data_bytes


def time_nninit_init(cli, spec_path, output, threads):
    """(wall seconds, CPU seconds: user + system of the child)."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run([cli, "init", spec_path, "-o", output, "--threads", str(threads), "-q"],
                               capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.exit(f"peers.py: nninit init {spec_path} failed ({completed.returncode}):\n{completed.stderr}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_torch_init(torch, parameters, threads):
    torch.set_num_threads(threads)
    plan = [(tuple(p["shape"]), getattr(torch, TORCH_DTYPES[p.get("dtype", "f32")]), torch_initializer(torch, p))
            for p in parameters]
    start = time.perf_counter()
    cpu_start = time.process_time()
    with torch.no_grad():
        for shape, dtype, fill in plan:
            tensor = torch.empty(shape, dtype=dtype)
            fill(tensor)
            del tensor
    return time.perf_counter() - start, time.process_time() - cpu_start


def time_torch_init_and_save(torch, parameters, threads, path):
    """The same, the tensors kept in a state dict and written with torch.save (a checkpoint file)."""
    torch.set_num_threads(threads)
    plan = [(p["name"], tuple(p["shape"]), getattr(torch, TORCH_DTYPES[p.get("dtype", "f32")]),
             torch_initializer(torch, p)) for p in parameters]
    start = time.perf_counter()
    cpu_start = time.process_time()
    state = {}
    with torch.no_grad():
        for name, shape, dtype, fill in plan:
            state[name] = torch.empty(shape, dtype=dtype)
            fill(state[name])
    torch.save(state, path)
    del state
    timing = time.perf_counter() - start, time.process_time() - cpu_start
    os.remove(path)
    return timing


# PyTorch keeps the whole model in memory before torch.save: only below this size.
TORCH_SAVE_MAX_BYTES = 4 << 30


def write_roofs(binary, threads):
    """{threads: bytes/s}: the best of memset and streaming stores at 256 MiB (nninit-bench roof/)."""
    pattern = (f"^roof/(memset|stream_store)/f32/bytes:268435456/threads:({'|'.join(str(t) for t in threads)})/")
    command = [binary, "--sizes=256M", "--threads=" + ",".join(str(t) for t in threads),
               "--benchmark_filter=" + pattern, "--benchmark_format=json", "--benchmark_min_time=0.2"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"peers.py: {' '.join(command)} failed ({completed.returncode}):\n{completed.stderr}")
    roofs = {}
    for entry in json.loads(completed.stdout).get("benchmarks", []):
        thread_count = int(entry["run_name"].split("/")[4].split(":")[1])
        roofs[thread_count] = max(roofs.get(thread_count, 0.0), float(entry["bytes_per_second"]))
    return roofs


def run_init_models(args, specs, threads, rounds, torch):
    init_dir = args.init_dir
    samples = {}
    models = {}
    for spec_path in specs:
        models[spec_path] = load_model_spec(spec_path)
    targets = [("/dev/null", "nninit -> /dev/null")]
    if init_dir != "none":  # --init-dir none: no file (a LLaMA-7B checkpoint is 13.5 GB)
        targets.append((os.path.join(init_dir, ".peers-init.safetensors"), f"nninit -> file in {init_dir}"))
    torch_save_label = f"PyTorch + torch.save -> file in {init_dir}"
    for round_index in range(rounds):
        for spec_path, (parameters, _, _) in models.items():
            for thread_count in threads:
                order = ["nninit", "torch"] if round_index % 2 == 0 else ["torch", "nninit"]
                for peer in order:
                    if peer == "nninit":
                        for output, label in targets:
                            timing = time_nninit_init(args.cli, spec_path, output, thread_count)
                            samples.setdefault((spec_path, thread_count, label), []).append(timing)
                        if len(targets) > 1 and os.path.exists(targets[1][0]):
                            os.remove(targets[1][0])
                    elif torch is not None:
                        timing = time_torch_init(torch, parameters, thread_count)
                        samples.setdefault((spec_path, thread_count, "PyTorch torch.nn.init"), []).append(timing)
                        if len(targets) > 1 and models[spec_path][2] <= TORCH_SAVE_MAX_BYTES:
                            timing = time_torch_init_and_save(torch, parameters, thread_count,
                                                              os.path.join(init_dir, ".peers-init.pt"))
                            samples.setdefault((spec_path, thread_count, torch_save_label), []).append(timing)
        print(f"peers.py: init-model round {round_index + 1}/{rounds} done", file=sys.stderr)
    roofs = write_roofs(args.bench, threads)
    wall = {key: statistics.median(t[0] for t in values) for key, values in samples.items()}
    cpu = {key: statistics.median(t[1] for t in values) for key, values in samples.items()}
    lines = [
        f"Whole-model init, {cpu_model()}, {os.cpu_count()} cores, median of {rounds} alternated rounds, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end; roof = the best of memset "
        "and streaming stores at 256 MiB (nninit-bench, same run). Wall seconds include process start "
        "(nninit) and, for the file, writing it; CPU seconds are user + system time of all threads "
        "(nninit: the child process; PyTorch: this process while it builds the model).",
        "",
        "| model | threads | who | wall s | CPU s | G params/s | GB/s | of roof | PyTorch / this (wall) "
        "| PyTorch / this (CPU) |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for spec_path, (_, count, data_bytes) in models.items():
        for thread_count in threads:
            for label in [t[1] for t in targets] + ["PyTorch torch.nn.init", torch_save_label]:
                key = (spec_path, thread_count, label)
                if key not in wall:
                    continue
                # nninit to a file against PyTorch writing one; to /dev/null against PyTorch in memory.
                torch_key = (spec_path, thread_count,
                             torch_save_label if label != targets[0][1] else "PyTorch torch.nn.init")
                seconds = wall[key]
                rate = data_bytes / seconds
                ratios = "| |"
                if torch_key in wall and not label.startswith("PyTorch"):
                    ratios = f"| {wall[torch_key] / seconds:.1f}x | {cpu[torch_key] / cpu[key]:.1f}x |"
                lines.append(f"| {os.path.basename(spec_path)} ({count / 1e6:.1f} M) | {thread_count} | {label} | "
                             f"{seconds:.3f} | {cpu[key]:.3f} | {count / seconds / 1e9:.3f} | {rate / 1e9:.2f} | "
                             f"{rate / roofs[thread_count]:.2f} {ratios}")
    lines.append("")
    lines.append("PyTorch / this: nninit to /dev/null against PyTorch in memory, nninit to a file against "
                 "PyTorch + torch.save. Roofs: "
                 + ", ".join(f"{t} thread(s) {roofs[t] / 1e9:.1f} GB/s" for t in sorted(roofs)) + ".")
    table = "\n".join(lines) + "\n"
    results = [{"spec": spec_path, "threads": thread_count, "who": label, "wall_seconds_median": wall[key],
                "cpu_seconds_median": cpu[key], "wall_and_cpu_seconds": values,
                "parameters": models[spec_path][1], "data_bytes": models[spec_path][2]}
               for key, values in sorted(samples.items()) for (spec_path, thread_count, label) in [key]]
    return table, {"roofs_bytes_per_second": roofs, "results": results,
                   "torch_version": torch.__version__ if torch is not None else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", default=default_binary(), help="path of nninit-bench")
    parser.add_argument("--sizes", default=None, help="output sizes in bytes (default 4K,4M,64M)")
    parser.add_argument("--threads", default=None, help="thread counts (default 1..cores)")
    parser.add_argument("--rounds", type=int, default=None, help="alternated rounds (default 5)")
    parser.add_argument("--min-time", type=float, default=None,
                        help="seconds per case and round (default 0.2)")
    parser.add_argument("--json", help="write the rates here")
    parser.add_argument("--markdown", help="write the table here")
    parser.add_argument("--orthogonal", default=None,
                        help="orthogonal shapes ROWSxCOLS,... (default 256x256,1024x1024; none: skip)")
    parser.add_argument("--smoke", action="store_true",
                        help="one quick round on small sizes: proves the script works")
    parser.add_argument("--init-model", default=None,
                        help="model specs SPEC.json,...: whole-model init against PyTorch (only this table)")
    parser.add_argument("--cli", default=os.environ.get("NNINIT_CLI_BINARY",
                                                        os.path.join(os.path.dirname(default_binary()), "..", "cli",
                                                                     "nninit")),
                        help="path of the nninit executable (--init-model)")
    parser.add_argument("--init-dir", default="/dev/shm",
                        help="where --init-model writes its file (default /dev/shm; none: /dev/null only)")
    args = parser.parse_args()

    if args.init_model:
        specs = [s for s in args.init_model.split(",") if s]
        cores = os.cpu_count() or 1
        threads = sorted({int(t) for t in args.threads.split(",") if t}) if args.threads else [1, cores]
        try:
            import torch
        except ImportError:
            torch = None
            print("peers.py: PyTorch not installed: PyTorch skipped")
        table, document = run_init_models(args, specs, sorted(set(threads)), args.rounds or (1 if args.smoke else 3),
                                          torch)
        print(table)
        if args.markdown:
            with open(args.markdown, "w", encoding="utf-8") as handle:
                handle.write(table)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(document, handle, indent=1)
        return

    smoke = args.smoke
    sizes_text = args.sizes or ("4K,64K" if smoke else "4K,4M,64M")
    sizes = sorted({parse_size(s) for s in sizes_text.split(",") if s})
    cores = os.cpu_count() or 1
    if args.threads:
        threads = sorted({int(t) for t in args.threads.split(",") if t})
    else:
        threads = sorted({min(1 << i, cores) for i in range(cores.bit_length())} | {cores})
    rounds = args.rounds or (1 if smoke else 5)
    shapes = parse_shapes(args.orthogonal if args.orthogonal is not None
                          else ("256x256" if smoke else "256x256,1024x1024"))
    min_time = args.min_time if args.min_time is not None else (0.01 if smoke else 0.2)

    if not os.path.exists(args.bench):
        sys.exit(f"peers.py: {args.bench} not found; build it (cmake --build BUILD --target "
                 "nninit-bench) or pass --bench / set NNINIT_BENCH_BINARY")

    try:
        import numpy as np
    except ImportError:
        np = None
        print("peers.py: numpy not installed (Debian: python3-numpy): numpy skipped")
    try:
        import torch
    except ImportError:
        torch = None
        print("peers.py: PyTorch not installed (NNINIT_WITH_TORCH=1 scripts/install-deps.sh "
              "installs python3-torch): PyTorch skipped")

    samples = {}

    def add(rates, peer):
        for (op, size, thread_count), rate in rates.items():
            samples.setdefault((op, size, thread_count, peer), []).append(rate)

    orthogonal_samples = {}
    context = {}
    for round_index in range(rounds):
        order = PEERS[round_index % 3:] + PEERS[:round_index % 3]
        for peer in order:
            if peer == "nninit":
                rates, bench_context = run_nninit(args.bench, sizes, threads, min_time)
                context.update({k: bench_context.get(k) for k in
                                ("nninit_version", "nninit_stream_version", "library_build_type")})
                add(rates, "nninit")
            elif peer == "numpy" and np is not None:
                add(run_numpy(np, sizes, min_time), "numpy")
            elif peer == "torch" and torch is not None:
                add(run_torch(torch, sizes, threads, min_time), "torch")
            if shapes and peer == "nninit":
                for (r, c, t), value in run_nninit_orthogonal(args.bench, shapes, threads,
                                                              min_time).items():
                    orthogonal_samples.setdefault((f"{r}x{c}", t, "nninit"), []).append(value)
            elif shapes and peer == "torch" and torch is not None:
                for (r, c, t), value in run_torch_orthogonal(torch, shapes, threads,
                                                             min_time).items():
                    orthogonal_samples.setdefault((f"{r}x{c}", t, "torch"), []).append(value)
        print(f"peers.py: round {round_index + 1}/{rounds} done", file=sys.stderr)

    summary = {key: statistics.median(values) for key, values in samples.items()}
    context.update({
        "load_avg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "cpu_model": cpu_model(),
        "cores": cores,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "rounds": rounds,
        "min_time_s": min_time,
        "sizes_bytes": sizes,
        "ops": [op.name for op in OPS],
        "threads": threads,
        "numpy_version": np.__version__ if np is not None else None,
        "torch_version": torch.__version__ if torch is not None else None,
        "python": platform.python_version(),
    })
    table = markdown_table(summary, sizes, threads, context)
    orthogonal_summary = {key: statistics.median(values)
                          for key, values in orthogonal_samples.items()}
    if shapes:
        table += orthogonal_table(orthogonal_summary, shapes, threads, context)
    print(table)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(table)
    if args.json:
        results = [{"op": op, "size_bytes": size, "elements": size // 4,
                    "threads": thread_count, "peer": peer,
                    "rate_median": summary[(op, size, thread_count, peer)],
                    "rates": values}
                   for (op, size, thread_count, peer), values in sorted(
                       samples.items(), key=lambda item: str(item[0]))]
        orthogonal = [{"shape": shape, "threads": thread_count, "peer": peer,
                       "seconds_median": orthogonal_summary[(shape, thread_count, peer)],
                       "seconds": values}
                      for (shape, thread_count, peer), values in sorted(
                          orthogonal_samples.items(), key=lambda item: str(item[0]))]
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"context": context, "results": results, "orthogonal": orthogonal},
                      handle, indent=1)


if __name__ == "__main__":
    main()
