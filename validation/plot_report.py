#!/usr/bin/python3
"""Render the plots of an nninit-validate report from its report.json.

usage: python3 validation/plot_report.py out/validation/report.json [--all] [--out DIR]

Writes PNG files (matplotlib, Agg backend) into DIR (default: plots/ next to
the JSON):

  overview_p_values.png   the raw p-values of the run's continuous-valued tests
                          (bounds and resolution left out, their p-values are
                          mostly exactly 1): histogram (flat when nninit is
                          correct) and QQ plot
                          of -log10 p against the uniform expectation, with the
                          run's strictest Holm threshold alpha / m
  overview_two_level.png  the two-level test's chunk p-values pooled over all
                          cases (flat when correct)
  controls.png            the negative controls' ECDF differences: each must
                          leave the KS band or be caught by another test
  <entry>.png             for every case and control the report asks a figure
                          for ("figure" in the JSON; --all: every entry):
                          histogram against the reference's expected counts
                          (with standardised residuals), ECDF difference
                          sqrt(n) (F_n - F) with the KS critical band, and the
                          histogram of the two-level chunk p-values

The JSON carries binned data only (histograms, ECDF curves), never samples.
Exit status: 0 done, 1 a malformed report, 77 (a skip for ctest) when
matplotlib or the report is missing.
"""

import argparse
import json
import math
import os
import sys

SKIP = 77


def load_matplotlib():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        return plt
    except ImportError as error:  # pragma: no cover - depends on the machine
        print(f"plot_report.py: matplotlib is not available ({error}); skipping", file=sys.stderr)
        sys.exit(SKIP)


def ks_band(report):
    scaled = report.get("ks_critical_scaled", {})
    return scaled.get("run_threshold"), scaled.get("alpha_0.05", 1.358)


def verdict_colour(verdict):
    return {"pass": "tab:green", "suspicious": "tab:orange", "fail": "tab:red"}.get(verdict, "tab:gray")


# Tests whose p-values are discrete or one-sided bounds (1 for most correct
# samples): left out of the uniformity overview, where they would pile at 1.
DISCRETE_PREFIXES = ("bounds(", "resolution(")


def statistical_p_values(report):
    values = []
    for entry in report["cases"]:
        for test in entry["tests"]:
            if test["exact"] or test["p_value"] is None or test["name"].startswith(DISCRETE_PREFIXES):
                continue
            values.append(test["p_value"])
    for entry in report.get("independence", []):
        for test in entry["tests"]:
            if test["p_value"] is not None:
                values.append(test["p_value"])
    return values


def plot_overview_p_values(plt, report, path):
    values = statistical_p_values(report)
    if not values:
        return False
    policy = report["policy"]
    fig, (ax_hist, ax_qq) = plt.subplots(1, 2, figsize=(12, 4.5))
    bins = 20
    ax_hist.hist(values, bins=bins, range=(0.0, 1.0), color="tab:blue", alpha=0.7, edgecolor="white")
    expected = len(values) / bins
    ax_hist.axhline(expected, color="black", linewidth=1, label="uniform expectation")
    sd = math.sqrt(expected * (1 - 1 / bins))
    ax_hist.axhspan(expected - 3 * sd, expected + 3 * sd, color="gray", alpha=0.2, label="±3 sd")
    ax_hist.set_xlabel("raw p-value")
    ax_hist.set_ylabel("tests")
    ax_hist.set_title(f"{len(values)} p-values (bounds and resolution tests left out)")
    ax_hist.legend(loc="upper center", fontsize=8)

    ordered = sorted(max(p, 1e-300) for p in values)
    n = len(ordered)
    expected_log = [-math.log10((i + 0.5) / n) for i in range(n)]
    observed_log = [-math.log10(p) for p in ordered]
    ax_qq.plot(expected_log, observed_log, ".", markersize=3, color="tab:blue")
    top = max(max(expected_log), 1.0)
    ax_qq.plot([0, top], [0, top], color="black", linewidth=1, label="uniform")
    threshold = policy["strictest_threshold"]
    ax_qq.axhline(-math.log10(threshold), color="tab:red", linestyle="--", linewidth=1,
                  label=f"alpha / m = {threshold:.2g}")
    ax_qq.set_xlabel("expected -log10 p")
    ax_qq.set_ylabel("observed -log10 p")
    ax_qq.set_title(f"QQ plot, Holm family m = {policy['family_size']}")
    ax_qq.legend(loc="upper left", fontsize=8)
    fig.suptitle(f"nninit-validate {report['tier']} — {'PASS' if report['passed'] else 'FAIL'}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def plot_overview_two_level(plt, report, path):
    totals = None
    cases = 0
    for entry in report["cases"]:
        counts = entry.get("plot", {}).get("two_level_p_value_counts")
        if not counts or sum(counts) == 0:
            continue
        cases += 1
        totals = list(counts) if totals is None else [a + b for a, b in zip(totals, counts)]
    if totals is None:
        return False
    bins = len(totals)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    edges = [i / bins for i in range(bins + 1)]
    ax.bar(edges[:-1], totals, width=1 / bins, align="edge", color="tab:blue", alpha=0.7, edgecolor="white")
    expected = sum(totals) / bins
    sd = math.sqrt(expected * (1 - 1 / bins))
    ax.axhline(expected, color="black", linewidth=1, label="uniform expectation")
    ax.axhspan(expected - 3 * sd, expected + 3 * sd, color="gray", alpha=0.2, label="±3 sd")
    ax.set_xlabel("chunk KS p-value")
    ax.set_ylabel("chunks")
    ax.set_title(f"two-level test: {int(sum(totals))} chunk p-values pooled over {cases} cases")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def draw_histogram(fig, spec, entry):
    hist = entry["plot"]["histogram"]
    edges, observed, expected = hist["edges"], hist["observed"], hist["expected"]
    grid = spec.subgridspec(2, 1, height_ratios=[3, 1], hspace=0.05)
    ax = fig.add_subplot(grid[0])
    ax_res = fig.add_subplot(grid[1], sharex=ax)
    widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
    ax.bar(edges[:-1], observed, width=widths, align="edge", color="tab:blue", alpha=0.55, label="observed")
    ax.stairs(expected, edges, color="black", linewidth=1.2, label="reference (rounded to dtype)")
    ax.set_ylabel("values per bin")
    outside = hist["observed_below"] + hist["observed_above"]
    expected_outside = hist["expected_below"] + hist["expected_above"]
    ax.set_title(f"histogram (beyond range: {outside:.0f} observed, {expected_outside:.1f} expected)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    ax.tick_params(labelbottom=False)
    centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
    residuals = [(o - e) / math.sqrt(e) if e > 0 else (0.0 if o == 0 else float("nan")) for o, e in zip(observed, expected)]
    ax_res.bar(centres, [r if math.isfinite(r) else 0 for r in residuals], width=widths, color="tab:gray")
    ax_res.axhline(3, color="tab:red", linewidth=0.8, linestyle="--")
    ax_res.axhline(-3, color="tab:red", linewidth=0.8, linestyle="--")
    ax_res.set_ylabel("(o-e)/√e", fontsize=8)
    ax_res.set_xlabel("value")


def draw_ecdf(ax, entry, report):
    ecdf = entry["plot"]["ecdf"]
    run_band, band_05 = ks_band(report)
    ax.plot(ecdf["probability"], ecdf["scaled_difference"], color="tab:blue", linewidth=1.2)
    if run_band:
        ax.axhline(run_band, color="tab:red", linestyle="--", linewidth=1, label=f"KS at alpha/m (±{run_band:.2f})")
        ax.axhline(-run_band, color="tab:red", linestyle="--", linewidth=1)
    ax.axhspan(-band_05, band_05, color="gray", alpha=0.2, label="KS at 0.05 (±1.36)")
    ax.axhline(0, color="black", linewidth=0.6)
    ks = next((t for t in entry["tests"] if t["name"] == "kolmogorov_smirnov"), None)
    title = "ECDF difference √n (F_n − F)"
    if ks and ks["statistic"] is not None:
        title += f"; KS D √n = {ks['statistic'] * math.sqrt(entry['sample_size']):.2f}"
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("F(x) of the reference")
    ax.set_xlim(0, 1)
    ax.legend(fontsize=7, loc="lower right")


def draw_two_level(ax, entry):
    counts = entry["plot"]["two_level_p_value_counts"]
    bins = len(counts)
    total = sum(counts)
    if total == 0:
        ax.text(0.5, 0.5, "two-level test not run", ha="center", va="center")
        return
    ax.bar([i / bins for i in range(bins)], counts, width=1 / bins, align="edge", color="tab:purple", alpha=0.6,
           edgecolor="white")
    expected = total / bins
    sd = math.sqrt(expected * (1 - 1 / bins))
    ax.axhline(expected, color="black", linewidth=1)
    ax.axhspan(max(expected - 2 * sd, 0), expected + 2 * sd, color="gray", alpha=0.2)
    two_level = next((t for t in entry["tests"] if t["name"] == "two_level_ks"), None)
    title = f"two-level: {int(total)} chunk p-values"
    if two_level and two_level["p_value"] is not None:
        title += f" (p = {two_level['p_value']:.2g})"
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("chunk KS p-value")
    ax.set_xlim(0, 1)


def weakest(entry):
    tests = [t for t in entry["tests"] if t["p_value"] is not None and not t["exact"]]
    if not tests:
        return None
    return min(tests, key=lambda t: t["p_value"])


def plot_entry(plt, report, entry, path):
    fig = plt.figure(figsize=(16, 4.8))
    grid = fig.add_gridspec(1, 3, width_ratios=[1.25, 1, 0.8], wspace=0.25)
    draw_histogram(fig, grid[0], entry)
    draw_ecdf(fig.add_subplot(grid[1]), entry, report)
    draw_two_level(fig.add_subplot(grid[2]), entry)
    verdict = entry["verdict"]
    if entry.get("defect"):
        status = "DETECTED" if entry.get("detected") else "NOT DETECTED"
        headline = f"{entry['name']} — {status}: {entry['defect']}"
        detail = f"caught by: {entry.get('caught_by') or '—'}\nreference: {entry['reference']}"
        colour = "tab:green" if entry.get("detected") else "tab:red"
    else:
        low = weakest(entry)
        headline = f"{entry['name']} — {verdict}"
        detail = f"reference: {entry['reference']}"
        if low:
            detail += f"\nweakest test: {low['name']}, p = {low['p_value']:.2g} (Holm-adjusted {low['adjusted_p_value']:.2g})"
        colour = verdict_colour(verdict)
    fig.suptitle(headline, fontsize=11, color=colour, y=0.985)
    fig.text(0.5, 0.915, detail, ha="center", va="top", fontsize=8)
    fig.subplots_adjust(top=0.77, bottom=0.12, left=0.05, right=0.98)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_controls(plt, report, path):
    controls = [c for c in report.get("controls", []) if c.get("plot")]
    if not controls:
        return False
    columns = 4
    rows = math.ceil(len(controls) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), squeeze=False)
    run_band, band_05 = ks_band(report)
    for ax, control in zip(axes.flat, controls):
        ecdf = control["plot"]["ecdf"]
        ax.plot(ecdf["probability"], ecdf["scaled_difference"], color="tab:red" if control["detected"] else "tab:gray")
        if run_band:
            ax.axhline(run_band, color="black", linestyle="--", linewidth=0.8)
            ax.axhline(-run_band, color="black", linestyle="--", linewidth=0.8)
        ax.axhspan(-band_05, band_05, color="gray", alpha=0.2)
        name = control["name"].replace("control.", "")
        status = "detected" if control["detected"] else "NOT DETECTED"
        caught = control.get("caught_by") or "—"
        if len(caught) > 48:
            caught = caught[:45] + "..."
        ax.set_title(f"{name}\n{status}: {caught}", fontsize=7.5)
        ax.set_xlim(0, 1)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(controls):]:
        ax.axis("off")
    fig.suptitle("negative controls: ECDF difference √n (F_n − F); dashed: KS at alpha / m "
                 "(most controls are caught by sharper tests than KS)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def validate(report):
    for key in ("cases", "controls", "policy", "passed", "tier"):
        if key not in report:
            raise ValueError(f"report.json has no '{key}'")
    for entry in report["cases"] + report["controls"]:
        plot = entry.get("plot")
        if plot is None:
            continue
        hist = plot["histogram"]
        if len(hist["edges"]) != len(hist["observed"]) + 1 or len(hist["observed"]) != len(hist["expected"]):
            raise ValueError(f"{entry['name']}: histogram sizes disagree")
        if len(plot["ecdf"]["probability"]) != len(plot["ecdf"]["scaled_difference"]):
            raise ValueError(f"{entry['name']}: ECDF sizes disagree")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="report.json written by nninit-validate")
    parser.add_argument("--out", help="output directory (default: plots/ next to the report)")
    parser.add_argument("--all", action="store_true", help="draw every case, not only the selected ones")
    args = parser.parse_args()

    if not os.path.exists(args.report):
        print(f"plot_report.py: {args.report} does not exist (run nninit-validate first); skipping", file=sys.stderr)
        return SKIP
    plt = load_matplotlib()
    try:
        with open(args.report, encoding="utf-8") as handle:
            report = json.load(handle)
        validate(report)
    except (ValueError, KeyError, TypeError) as error:
        print(f"plot_report.py: malformed report: {error}", file=sys.stderr)
        return 1

    out = args.out or os.path.join(os.path.dirname(os.path.abspath(args.report)), "plots")
    os.makedirs(out, exist_ok=True)
    written = []
    if plot_overview_p_values(plt, report, os.path.join(out, "overview_p_values.png")):
        written.append("overview_p_values.png")
    if plot_overview_two_level(plt, report, os.path.join(out, "overview_two_level.png")):
        written.append("overview_two_level.png")
    if plot_controls(plt, report, os.path.join(out, "controls.png")):
        written.append("controls.png")
    for entry in report["controls"] + report["cases"]:
        if not entry.get("plot"):
            continue
        figure = entry.get("figure")
        if not figure and not args.all:
            continue
        name = os.path.basename(figure) if figure else entry["name"].replace("/", "_") + ".png"
        plot_entry(plt, report, entry, os.path.join(out, name))
        written.append(name)
    print(f"plot_report.py: wrote {len(written)} plots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
