"""Read nninit-bench's Google Benchmark JSON (shared by summary.py and plot.py).

Benchmark names are GROUP/NAME/DTYPE/SIZE_KEY:SIZE/threads:T[/real_time], e.g.
"nninit/uniform/f32/bytes:4096/threads:2/real_time". With repetitions and
--benchmark_report_aggregates_only=true the file holds mean/median/stddev/cv
aggregates; load() keeps the median (or the median of the plain runs when no
aggregates were written, or the single run).
"""

import json
import statistics
from dataclasses import dataclass, field

DTYPE_BYTES = {"f32": 4, "f64": 8, "bf16": 2, "f16": 2}
FIELDS = ("real_time_ns", "items_per_second", "bytes_per_second",
          "memset_fraction", "roof_fraction")


@dataclass
class Result:
    group: str            # roof, baseline, nninit, initializer, small_fill
    name: str             # memset, uniform, torch_kaiming_uniform, ...
    dtype: str            # f32, f64, bf16, f16
    size_key: str         # "bytes" or "elements"
    size: int
    threads: int
    real_time_ns: float = 0.0
    items_per_second: float = 0.0
    bytes_per_second: float = 0.0
    memset_fraction: float = float("nan")
    roof_fraction: float = float("nan")
    repetitions: int = 1
    label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def key(self):
        return (self.group, self.name, self.dtype, self.size_key, self.size, self.threads)

    @property
    def bytes(self):
        if self.size_key == "bytes":
            return self.size
        return self.size * DTYPE_BYTES.get(self.dtype, 4)

    @property
    def elements(self):
        if self.size_key == "elements":
            return self.size
        return self.size // DTYPE_BYTES.get(self.dtype, 4)


_TIME_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def parse_name(run_name):
    """Splits a benchmark name into its fields; None if it is not one of ours."""
    parts = [p for p in run_name.split("/") if p not in ("real_time", "manual_time")]
    if len(parts) < 5:
        return None
    group, name, dtype = parts[0], parts[1], parts[2]
    size_key, _, size = parts[3].partition(":")
    threads_key, _, threads = parts[4].partition(":")
    if threads_key != "threads" or not size.isdigit() or not threads.isdigit():
        return None
    return group, name, dtype, size_key, int(size), int(threads)


def _values(entry):
    unit = _TIME_UNIT_NS.get(entry.get("time_unit", "ns"), 1.0)
    return {
        "real_time_ns": float(entry.get("real_time", 0.0)) * unit,
        "items_per_second": float(entry.get("items_per_second", 0.0)),
        "bytes_per_second": float(entry.get("bytes_per_second", 0.0)),
        "memset_fraction": float(entry.get("memset_fraction", float("nan"))),
        "roof_fraction": float(entry.get("roof_fraction", float("nan"))),
    }


def load(path):
    """Returns (context dict, {key: Result}) with one Result per benchmark."""
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    context = document.get("context", {})
    medians, runs, labels = {}, {}, {}
    for entry in document.get("benchmarks", []):
        if entry.get("error_occurred"):
            continue
        run_name = entry.get("run_name") or entry.get("name", "")
        fields = parse_name(run_name)
        if fields is None:
            continue
        if entry.get("label"):
            labels[fields] = entry["label"]
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians[fields] = (_values(entry), int(entry.get("repetitions", 1)))
        else:
            runs.setdefault(fields, []).append(_values(entry))
    results = {}
    for fields in set(medians) | set(runs):
        if fields in medians:
            values, repetitions = medians[fields]
        else:
            group = runs[fields]
            values = {k: statistics.median(v[k] for v in group) for k in FIELDS}
            repetitions = len(group)
        result = Result(*fields, repetitions=repetitions, label=labels.get(fields, ""), **values)
        results[result.key] = result
    return context, results


def select(results, **criteria):
    """Results whose attributes equal every criterion, sorted by size then threads."""
    chosen = [r for r in results.values()
              if all(getattr(r, k) == v for k, v in criteria.items())]
    return sorted(chosen, key=lambda r: (r.size, r.threads))


def size_label(nbytes):
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if nbytes >= scale and nbytes % scale == 0:
            return f"{nbytes // scale} {unit}"
    return f"{nbytes} B"


def size_levels(context):
    """{bytes: "L1"|"L2"|"L3"|"DRAM"} from the binary's size_levels context."""
    levels = {}
    for item in context.get("size_levels", "").split(","):
        name, _, value = item.partition("=")
        if value.isdigit():
            levels[int(value)] = name
    return levels


def cache_bytes(context):
    """{"L1": bytes, "L2": bytes, "L3": bytes} from the binary's context."""
    caches = {}
    for item in context.get("cache_bytes", "").split(","):
        name, _, value = item.partition("=")
        if value.isdigit():
            caches[name] = int(value)
    return caches


def thread_counts(context, results):
    text = context.get("thread_counts", "")
    counts = [int(t) for t in text.split(",") if t.isdigit()]
    return counts or sorted({r.threads for r in results.values()})
