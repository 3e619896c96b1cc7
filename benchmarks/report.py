"""Turn a pytest-benchmark ``--benchmark-json`` file into ``docs/performance.md``.

Usage: ``python benchmarks/report.py .benchmarks/latest.json > docs/performance.md``.
Every number below comes from the JSON; nothing is typed by hand.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any

COMMAND = (
    "python -m pytest benchmarks --benchmark-enable --benchmark-only "
    "--benchmark-json=.benchmarks/latest.json\n"
    "python benchmarks/report.py .benchmarks/latest.json > docs/performance.md"
)

# group -> (reference implementation for the ratio column, how the ratio reads)
REFERENCE = {
    "schedule-installment-10k": ("numpy_financial", "speed-up vs numpy_financial ipmt+ppmt"),
    "schedule-principal-10k": ("numpy-broadcast", "speed-up vs numpy broadcasting"),
    "schedule-ledger-vs-float": ("center", "speed-up vs center (float) kernel"),
    "payments-1M": ("numpy_financial", "speed-up vs numpy_financial pmt"),
    "prepay-1M": (None, ""),
    "reprice-1M": (None, ""),
    "import": (None, ""),
}


def _impl(bench: dict[str, Any]) -> str:
    return str(bench.get("param") or bench["name"])


def _medians(data: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for bench in data["benchmarks"]:
        groups[bench["group"] or bench["name"]][_impl(bench)] = bench
    return groups


def _ms(bench: dict[str, Any]) -> float:
    return float(bench["stats"]["median"]) * 1e3


def _duration(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def _cell(value: Any) -> str:
    """One extra_info value in a Markdown table cell."""
    if isinstance(value, bool) or value is None:
        text = str(value)
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    elif isinstance(value, list | tuple):
        text = ", ".join(_cell(v) for v in value)
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _generic_table(group: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    """A group this script has no layout for: name, median and every extra_info key."""
    keys: list[str] = []
    for bench in rows.values():
        for key in bench.get("extra_info", {}):
            if not key.endswith("_version") and key not in keys:
                keys.append(key)
    def numeric(key: str) -> bool:
        values = [b.get("extra_info", {}).get(key) for b in rows.values()]
        return all(isinstance(v, int | float) and not isinstance(v, bool)
                   for v in values if v is not None)

    head = "| name | median | " + " | ".join(keys) + (" |" if keys else "")
    rule = "|---|---:|" + "".join("---:|" if numeric(k) else "---|" for k in keys)
    out = [f"### {group}", "", head.rstrip(), rule]
    for name, bench in sorted(rows.items(), key=lambda kv: _ms(kv[1])):
        info = bench.get("extra_info", {})
        cells = [_cell(info[k]) if k in info else "" for k in keys]
        line = f"| {name} | {_duration(float(bench['stats']['median']))} |"
        line += "".join(f" {c} |" for c in cells)
        out.append(line)
    return [*out, ""]


def _table(group: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    if group not in REFERENCE:
        return _generic_table(group, rows)
    ref, label = REFERENCE[group]
    out = [f"### {group}", ""]
    if group == "import":
        out += [
            "| what (fresh process) | median in-process (s) | median wall incl. interpreter (s) |",
            "|---|---:|---:|",
        ]
        for name, bench in rows.items():
            inproc = bench["extra_info"].get("in_process_median", float("nan"))
            out.append(f"| `{name}` | {inproc:.3f} | {bench['stats']['median']:.3f} |")
        return [*out, ""]
    head = "| implementation | median (ms) |"
    rule = "|---|---:|"
    if ref in rows:
        head += f" {label} |"
        rule += "---:|"
    if group == "schedule-installment-10k" and "floor-write" in rows:
        head += " × write floor |"
        rule += "---:|"
    head += " ns per loan |"
    rule += "---:|"
    out += [head, rule]
    for name, bench in sorted(rows.items(), key=lambda kv: _ms(kv[1])):
        line = f"| {name} | {_ms(bench):.2f} |"
        if ref in rows:
            line += f" {_ms(rows[ref]) / _ms(bench):.2f}× |"
        if group == "schedule-installment-10k" and "floor-write" in rows:
            line += f" {_ms(bench) / _ms(rows['floor-write']):.2f} |"
        loans = bench["extra_info"].get("loans")
        line += f" {_ms(bench) * 1e6 / loans:.0f} |" if loans else " |"
        out.append(line)
    return [*out, ""]


def _cross(
    groups: dict[str, dict[str, dict[str, Any]]], g1: str, i1: str, g2: str, i2: str
) -> float | None:
    a, b = groups.get(g1, {}).get(i1), groups.get(g2, {}).get(i2)
    return None if a is None or b is None else _ms(a) / _ms(b)


def _targets(groups: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    def ms(group: str, impl: str) -> float | None:
        bench = groups.get(group, {}).get(impl)
        return _ms(bench) if bench else None

    def ratio(group: str, num: str, den: str) -> float | None:
        a, b = ms(group, num), ms(group, den)
        return None if a is None or b is None else a / b

    def per_loan(group: str) -> float | None:
        bench = groups.get(group, {}).get("gjjcalc")
        return _ms(bench) * 1e6 / bench["extra_info"]["loans"] if bench else None

    def imp(name: str) -> float | None:
        bench = groups.get("import", {}).get(name)
        return bench["extra_info"].get("in_process_median") if bench else None

    inst, prin = "schedule-installment-10k", "schedule-principal-10k"
    checks = [
        (
            "installment: fresh outputs ≥ 15× ipmt+ppmt",
            ratio(inst, "numpy_financial", "gjjcalc"),
            ">=",
            15,
            "×",
        ),
        (
            "installment: `out=` ≥ 50× ipmt+ppmt",
            ratio(inst, "numpy_financial", "gjjcalc-out"),
            ">=",
            50,
            "×",
        ),
        (
            "installment: `out=` within 2× of the write floor",
            ratio(inst, "gjjcalc-out", "floor-write"),
            "<=",
            2,
            "×",
        ),
        (
            "principal: fresh outputs beat numpy broadcasting allocating its outputs",
            ratio(prin, "numpy-broadcast-fresh", "gjjcalc"),
            ">=",
            1,
            "×",
        ),
        (
            "principal: `out=` beats numpy broadcasting into the same buffers",
            ratio(prin, "numpy-broadcast", "gjjcalc-out"),
            ">=",
            1,
            "×",
        ),
        (
            "principal: `out=` within 2× of the write floor (installment group's floor)",
            _cross(groups, prin, "gjjcalc-out", inst, "floor-write"),
            "<=",
            2,
            "×",
        ),
        (
            "ledger within 1.5× of center (float)",
            ratio("schedule-ledger-vs-float", "ledger", "center"),
            "<=",
            1.5,
            "×",
        ),
        (
            "payments ≥ 2× numpy_financial pmt",
            ratio("payments-1M", "numpy_financial", "gjjcalc"),
            ">=",
            2,
            "×",
        ),
        ("prepay < 100 ns per loan", per_loan("prepay-1M"), "<", 100, " ns"),
        ("reprice < 100 ns per loan", per_loan("reprice-1M"), "<", 100, " ns"),
        ("`import gjjcalc` < 0.3 s", imp("import gjjcalc"), "<", 0.3, " s"),
        (
            "`import gjjcalc.batch` + first cached call < 0.5 s",
            imp("import gjjcalc.batch + first call"),
            "<",
            0.5,
            " s",
        ),
    ]
    out = ["## Issue 6 targets", "", "| target | measured | met? |", "|---|---:|:---:|"]
    for text, value, op, bound, unit in checks:
        if value is None:
            out.append(f"| {text} | not measured | – |")
            continue
        met = {">=": value >= bound, "<=": value <= bound, "<": value < bound}[op]
        out.append(f"| {text} | {value:.3g}{unit} | {'yes' if met else '**no**'} |")
    out.append("")
    bounds = [
        ("numpy_financial ipmt+ppmt", ratio(inst, "numpy_financial", "floor-write")),
        ("numpy broadcasting (equal principal, into buffers)",
         _cross(groups, prin, "numpy-broadcast", inst, "floor-write")),
    ]
    known = [(name, x) for name, x in bounds if x is not None]
    fresh, fresh_floor = ms(inst, "gjjcalc"), ms(inst, "floor-write-fresh")
    if fresh is not None and fresh_floor is not None:
        out.append(
            f"Fresh outputs: allocating four new (10000, 360) arrays and writing them once "
            f"(floor-write-fresh) takes {fresh_floor:.3g} ms in this run, gjjcalc with fresh "
            f"outputs {fresh:.3g} ms ({fresh / fresh_floor:.2f}× that floor); on a virtual "
            "machine a first touch of new memory can cost more than the computation."
        )
        out.append("")
    if known:
        out.append(
            "No schedule can be written faster than the write floor, so a peer that takes k× the "
            "floor bounds any speed-up over it by k: "
            + "; ".join(f"{name} {x:.3g}×" for name, x in known) + "."
        )
        out.append("")
    return out


def _machine(data: dict[str, Any]) -> list[str]:
    mi = data.get("machine_info", {})
    cpu = mi.get("cpu", {})
    extra = {}
    for bench in data["benchmarks"]:
        extra.update(
            {k: v for k, v in bench.get("extra_info", {}).items() if k.endswith("_version")}
        )
    lines = [
        "## Machine",
        "",
        f"- CPU: {cpu.get('brand_raw', 'unknown')} ({cpu.get('count', '?')} logical cores)",
        f"- System: {mi.get('system', '?')} {mi.get('release', '')} {mi.get('machine', '')}",
        f"- Python: {mi.get('python_implementation', '')} {mi.get('python_version', '?')}",
    ]
    lines += [f"- {k.removesuffix('_version')}: {v}" for k, v in sorted(extra.items())]
    lines += [f"- Run at: {data.get('datetime', '?')}", ""]
    commit = data.get("commit_info", {})
    if commit.get("id"):
        lines.insert(
            -1, f"- Commit: {commit['id'][:12]}{' (dirty)' if commit.get('dirty') else ''}"
        )
    return lines


def main(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    groups = _medians(data)
    lines = [
        "# Performance",
        "",
        "Generated by `benchmarks/report.py` from a pytest-benchmark JSON file; do not edit by hand.",
        "Medians of 5 rounds (1 warm-up round; JIT compiled before timing). Ratios > 1 in a",
        "speed-up column mean gjjcalc is faster than the named peer. Every benchmark also checks",
        "its result against the peer (first payment / first interest within 0.01 yuan).",
        "",
        "Workloads: 10,000 loans × 360 months (principal 100k–2M yuan in whole fen, rate in",
        "{2.6%, 3.1%, 3.25%}, fixed seed); 1,000,000 loans with 12–360 months left for",
        "`payments`, `prepay` (50,000 yuan, 15 days, lower_payment) and `reprice`. The write floor",
        "is `fill` of four preallocated (10000, 360) float64 arrays (`floor-write`); with fresh",
        "outputs, allocating four new arrays and filling them (`floor-write-fresh`). Each peer runs",
        "in the form that matches the gjjcalc call it is compared with: numpy broadcasting writes",
        "into preallocated buffers against `gjjcalc-out`, and allocates its outputs",
        "(`numpy-broadcast-fresh`) against `gjjcalc`. Other groups (for example `dask`, from",
        "`benchmarks/test_bench_dask.py`) are listed with their median and every `extra_info`",
        "value the benchmark recorded.",
        "",
        "Command:",
        "",
        "```",
        COMMAND,
        "```",
        "",
        *_targets(groups),
        "## Results",
        "",
    ]
    order = [g for g in REFERENCE if g in groups] + sorted(set(groups) - set(REFERENCE))
    for group in order:
        lines += _table(group, groups[group])
    lines += _machine(data)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(main(sys.argv[1]))
