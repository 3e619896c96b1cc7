"""Turn pytest-benchmark ``--benchmark-json`` files into ``docs/performance.md``.

Usage::

    python benchmarks/report.py .benchmarks/latest.json > docs/performance.md
    python benchmarks/report.py --update docs/performance.md .benchmarks/peers.json

The first form writes the page from one or more runs (a group in a later file replaces the
same group in an earlier one). The second reads the figures the page already holds (a data
block at its end), lets the runs given replace the groups they measured, and writes the page
back: a run of a few benchmark files refreshes their tables and keeps every other table as it
was, with the machine and date of the run each came from. Every number on the page comes from
a JSON file; nothing is typed by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FULL_COMMAND = (
    "python -m pytest benchmarks --benchmark-enable --benchmark-only "
    "--benchmark-json=.benchmarks/latest.json\n"
    "python benchmarks/report.py .benchmarks/latest.json > docs/performance.md"
)
DATA_START = "<!-- benchmark data: read by benchmarks/report.py --update; regenerate, do not edit"
DATA_END = "-->"

# group -> (reference implementation for the ratio column, how the ratio reads)
REFERENCE = {
    "schedule-installment-10k": ("numpy_financial", "speed-up vs numpy_financial ipmt+ppmt"),
    "schedule-principal-10k": ("numpy-broadcast", "speed-up vs numpy broadcasting"),
    "schedule-ledger-vs-float": ("center", "speed-up vs center (float) kernel"),
    "payments-1M": ("numpy_financial", "speed-up vs numpy_financial pmt"),
    "prepay-1M": (None, ""),
    "reprice-1M": (None, ""),
    "payments-any-rate-1M": ("numpy_financial", "speed-up vs numpy_financial pmt"),
    "prepay-any-rate-1M": ("gjjcalc-7-places", "speed-up vs the rates rounded to 7 places"),
    "summaries-principal-any-rate-1M": ("gjjcalc-7-places", "speed-up vs the rates rounded to 7 places"),
    "import": (None, ""),
}

# The single-loan groups, in the order of the page (benchmarks/test_bench_peers.py and
# benchmarks/test_bench_loan.py).
SINGLE = [
    "peers-payment",
    "peers-installment-300",
    "peers-installment-360",
    "peers-principal-300",
    "peers-principal-360",
    "schedule-rows-600-vs-360",
    "loan-state-on-a-date",
    "loan-change-term",
    "loan-per-request",
    "import-single-loan",
]
PEERS = ("amortization", "mortgage", "pyloan")

Groups = dict[str, dict[str, dict[str, Any]]]


# --- reading runs and the page's data block ---------------------------------------------------


def _impl(bench: dict[str, Any]) -> str:
    info = bench.get("extra_info", {})
    return str(info.get("impl") or bench.get("param") or bench["name"])


def _load_run(path: str) -> dict[str, Any]:
    """One pytest-benchmark JSON file as the few fields this script reads."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    mi = data.get("machine_info", {})
    commit = data.get("commit_info", {})
    files = sorted({b["fullname"].split("::")[0] for b in data["benchmarks"]})
    run = {
        "json": path,
        "files": files,
        "datetime": data.get("datetime", "?"),
        "cpu": mi.get("cpu", {}).get("brand_raw", "unknown"),
        "cores": mi.get("cpu", {}).get("count", "?"),
        "system": f"{mi.get('system', '?')} {mi.get('release', '')} {mi.get('machine', '')}".strip(),
        "python": f"{mi.get('python_implementation', '')} {mi.get('python_version', '?')}".strip(),
        "commit": (commit.get("id") or "")[:12],
        "dirty": bool(commit.get("dirty")),
        "versions": {},
    }
    benches = []
    for bench in data["benchmarks"]:
        info = dict(bench.get("extra_info", {}))
        run["versions"].update({k: v for k, v in info.items() if k.endswith("_version")})
        info = {k: v for k, v in info.items() if not k.endswith("_version")}
        benches.append({
            "group": bench["group"] or bench["name"],
            "name": _impl(bench),
            "stats": {"median": bench["stats"]["median"], "rounds": bench["stats"]["rounds"]},
            "extra_info": info,
        })
    return {"runs": [run], "benchmarks": benches}


def _tag(data: dict[str, Any]) -> dict[str, Any]:
    """Each benchmark tagged with the index of its run."""
    for bench in data["benchmarks"]:
        bench.setdefault("run", 0)
    return data


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``old`` with every group that ``new`` measured replaced by ``new``'s benchmarks."""
    replaced = {b["group"] for b in new["benchmarks"]}
    kept = [b for b in old["benchmarks"] if b["group"] not in replaced]
    used = sorted({b["run"] for b in kept})
    renumber = {old_i: i for i, old_i in enumerate(used)}
    runs = [old["runs"][i] for i in used]
    out = [{**b, "run": renumber[b["run"]]} for b in kept]
    out += [{**b, "run": b["run"] + len(runs)} for b in new["benchmarks"]]
    return {"runs": runs + new["runs"], "benchmarks": out}


def _read_block(page: str) -> dict[str, Any]:
    match = re.search(re.escape(DATA_START) + r"\n(.*?)\n" + re.escape(DATA_END), page, re.S)
    if match is None:
        raise SystemExit("the page has no benchmark data block: regenerate it from a full run first")
    return dict(json.loads(match.group(1)))


def _write_block(data: dict[str, Any]) -> list[str]:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [DATA_START, text.replace("--", "-\\u002d"), DATA_END, ""]


def _groups(data: dict[str, Any]) -> Groups:
    groups: Groups = defaultdict(dict)
    for bench in data["benchmarks"]:
        groups[bench["group"]][bench["name"]] = bench
    return groups


def _median(bench: dict[str, Any]) -> float:
    return float(bench["stats"]["median"])


def _ms(bench: dict[str, Any]) -> float:
    return _median(bench) * 1e3


def _duration(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-5:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e6:.2f} µs"


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
            if not key.endswith("_version") and key != "impl" and key not in keys:
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
    out = ["### Issue 6 targets", "", "| target | measured | met? |", "|---|---:|:---:|"]
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


def _get(groups: Groups, group: str, impl: str) -> dict[str, Any] | None:
    return groups.get(group, {}).get(impl)


def _seconds(groups: Groups, group: str, impl: str) -> float | None:
    bench = _get(groups, group, impl)
    return None if bench is None else _median(bench)


def _over(groups: Groups, group: str, num: str, den: str) -> float | None:
    a, b = _seconds(groups, group, num), _seconds(groups, group, den)
    return None if a is None or b is None else a / b


# (what, measured seconds or ratio, bound, "time" or "ratio", the figure before)
Check = tuple[str, float | None, float, str, str]


def _single_checks(groups: Groups) -> list[Check]:
    inst, prin = "peers-installment-360", "peers-principal-360"
    rows, state = "schedule-rows-600-vs-360", "loan-state-on-a-date"
    checks: list[Check] = [
        ("`payment(690000, \"3.25%\", 300)`", _seconds(groups, "peers-payment", "gjjcalc"),
         10e-6, "time", "63 µs"),
        ("`equal_installment`, 360 rows, `first_due`", _seconds(groups, inst, "gjjcalc"),
         150e-6, "time", "3.3 ms"),
        ("… and its columns and due dates read", _seconds(groups, inst, "gjjcalc-columns"),
         150e-6, "time", ""),
        ("… and every row read (`list(schedule)`)", _seconds(groups, inst, "gjjcalc-rows"),
         150e-6, "time", ""),
        ("`equal_principal`, 360 rows, `first_due`", _seconds(groups, prin, "gjjcalc"),
         150e-6, "time", "3.3 ms"),
        ("… and its columns and due dates read", _seconds(groups, prin, "gjjcalc-columns"),
         150e-6, "time", ""),
        ("… and every row read (`list(schedule)`)", _seconds(groups, prin, "gjjcalc-rows"),
         150e-6, "time", ""),
        ("`equal_installment` 360 rows faster than `amortization`'s (its time ÷ ours)",
         _over(groups, inst, "amortization", "gjjcalc"), 1.0, "at least", "about 1/15"),
        ("… with every row read (`list(schedule)`)",
         _over(groups, inst, "amortization", "gjjcalc-rows"), 1.0, "at least", ""),
        ("`equal_installment`: 600 rows ÷ 360 rows", _over(groups, rows, "installment-600", "installment-360"),
         1.8, "ratio", ""),
        ("`equal_principal`: 600 rows ÷ 360 rows", _over(groups, rows, "principal-600", "principal-360"),
         1.8, "ratio", ""),
    ]
    for paid in ("28", "268"):
        checks += [
            (f"`Loan.prepay`, {paid} paid", _seconds(groups, state, f"prepay-{paid} paid"),
             300e-6, "time", "2.7 ms"),
            (f"`Loan.change_term`, {paid} paid", _seconds(groups, "loan-change-term", f"change_term-{paid} paid"),
             300e-6, "time", ""),
            (f"`Loan.state_on`, {paid} paid", _seconds(groups, state, f"state_on-{paid} paid"),
             50e-6, "time", ""),
            (f"`Loan.payoff`, {paid} paid", _seconds(groups, state, f"payoff-{paid} paid"),
             50e-6, "time", ""),
        ]
    imp = _get(groups, "import-single-loan", "import gjjcalc")
    checks.append(("`import gjjcalc` (fresh process, bytecode cached, in-process time)",
                   None if imp is None else float(imp["extra_info"]["in_process_median"]),
                   0.1, "time", ""))
    raw = _get(groups, "import-single-loan", "import gjjcalc, no bytecode cache")
    if raw is not None:
        checks.append(("… with no bytecode cache (`PYTHONDONTWRITEBYTECODE=1`)",
                       float(raw["extra_info"]["in_process_median"]), 0.1, "time", ""))
    return checks


def _single_targets(groups: Groups) -> list[str]:
    out = [
        "| call | measured | target | before (the issue) | met? |",
        "|---|---:|---:|---:|:---:|",
    ]
    for what, value, bound, kind, before in _single_checks(groups):
        if kind == "time":
            target = f"≤ {bound:g} s" if bound >= 0.01 else f"≤ {bound * 1e6:g} µs"
            shown = "not measured" if value is None else _duration(value)
            met = value is not None and value <= bound
        elif kind == "ratio":
            target = f"≤ {bound:g}×"
            shown = "not measured" if value is None else f"{value:.2f}×"
            met = value is not None and value <= bound
        else:
            target = f"≥ {bound:g}×"
            shown = "not measured" if value is None else f"{value:.2f}×"
            met = value is not None and value >= bound
        verdict = "–" if value is None else ("yes" if met else "**no**")
        out.append(f"| {what} | {shown} | {target} | {before} | {verdict} |")
    rows = groups.get("import-single-loan", {})
    imp, first = rows.get("import gjjcalc"), rows.get("import gjjcalc + payment + schedule")
    if imp is not None and first is not None:
        numba = imp["extra_info"].get("numba_imported") or first["extra_info"].get("numba_imported")
        numpy_now = imp["extra_info"].get("numpy_imported")
        numpy_later = first["extra_info"].get("numpy_imported")
        extra = float(first["extra_info"]["in_process_median"]) - float(imp["extra_info"]["in_process_median"])
        text = (f"After `import gjjcalc` and after a first payment and schedule, numba "
                f"{'**was** imported' if numba else 'was not imported'} (checked in each fresh process).")
        if numpy_later and not numpy_now:
            text += (f" The first schedule imports numpy (its fast path computes in `numpy.longdouble`): "
                     f"the first payment and schedule add {_duration(extra)} to the import.")
        out += ["", text]
    return [*out, ""]


def _peer_sentences(groups: Groups) -> list[str]:
    """What each peer computes, with this run's row counts."""

    def differ(group: str, impl: str, convention: str) -> str:
        bench = _get(groups, group, impl)
        if bench is None:
            return "not measured"
        info = bench["extra_info"]
        n = info.get(f"rows_differing_from_{convention}")
        worst = int(info.get(f"largest_difference_from_{convention}_fen", 0))
        rows = group.rsplit("-", 1)[1]
        return f"{n} of {rows} rows" + (f" ({_fen_amount(worst)})" if n else "")

    i3, i6, p3, p6 = (f"peers-{m}-{n}" for m in ("installment", "principal") for n in ("300", "360"))
    pay = _get(groups, "peers-payment", "pyloan")
    pyloan_pay = pay["extra_info"].get("payment_yuan", "?") if pay else "?"
    return [
        "What each peer computes, from its source, and how its rows compare with ours once rounded",
        "half up to the fen (payment, interest, principal and balance; counted in this run, and",
        "asserted by `benchmarks/test_bench_peers.py`):",
        "",
        "- `amortization` (floats) rounds the level payment and each month's interest to the fen",
        "  and lets the last row pay what is left: the `ledger` convention. Rows differing from",
        f"  `ledger`: {differ(i3, 'amortization', 'ledger')} and {differ(i6, 'amortization', 'ledger')};",
        f"  from `center`, which carries the balance unrounded: {differ(i3, 'amortization', 'center')}",
        f"  and {differ(i6, 'amortization', 'center')}. It has no dates and no equal principal.",
        "- `mortgage` (`Decimal`, 28 digits) rounds nothing: every row pays the unrounded level",
        "  payment (3362.4819548… for the first loan), so its interest and principal split each",
        "  month by fractions of a fen and its last row does not settle the rounding. Rows",
        f"  differing from `center`: {differ(i3, 'mortgage', 'center')} and {differ(i6, 'mortgage', 'center')};",
        f"  from `ledger`: {differ(i3, 'mortgage', 'ledger')} and {differ(i6, 'mortgage', 'ledger')}.",
        "  Its term is in years: `term_unit='months'` is accepted but ignored (300 gives a",
        "  3,600-month loan), and it builds the whole schedule in its constructor, so even its",
        "  payment costs a schedule. No dates, no equal principal.",
        "- `pyloan` (`Decimal`, dates from `first_payment_date` + k months, equal to ours) rounds",
        "  half to even. Its annuity payment is a secant search on the final balance with a step of",
        f"  one yuan that stops at {pyloan_pay} for the first loan, one yuan above the formula's",
        "  3362.48, so every row differs and the last payment is short (2,902.37 yuan where we",
        "  have 3,363.38); rows differing from",
        f"  `center`: {differ(i3, 'pyloan', 'center')} and {differ(i6, 'pyloan', 'center')}. Given our payment",
        "  (`payment_amount=`) its rows are `ledger`'s except the last, which it leaves unsettled",
        "  (0.83 yuan owing on the first loan). Its equal principal (`linear`) matches `ledger` on",
        f"  the second loan ({differ(p6, 'pyloan', 'ledger')} differ) and differs on the first in",
        f"  {differ(p3, 'pyloan', 'ledger')}: each an interest of exactly half a fen, which half to",
        "  even rounds down (row 7: 676,200 × 3.25 % / 12 = 1,831.375 yuan, pyloan 1,831.37,",
        "  gjjcalc 1,831.38). Run with the `30E/360` day count; its default `30E/360 ISDA` counts",
        "  the last day of February as the 30th and so charges a different interest in those months.",
        "",
    ]


def _differing(info: dict[str, Any], convention: str) -> str:
    """``296 (≤ 7 fen)``: rows differing from the convention's, and by how much at most."""
    n = info.get(f"rows_differing_from_{convention}")
    if n is None:
        return ""
    worst = int(info.get(f"largest_difference_from_{convention}_fen", 0))
    return f"{n} ({_fen_amount(worst)})" if n else "0"


def _fen_amount(fen: int) -> str:
    return f"≤ {fen} fen" if fen < 100 else f"≤ {fen / 100:,.2f} yuan"


def _peer_table(group: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    ours = rows.get("gjjcalc")
    has_diff = any("rows_differing_from_center" in b["extra_info"] for b in rows.values())
    head = "| implementation | median | ÷ gjjcalc |"
    rule = "|---|---:|---:|"
    if has_diff:
        head += " rows ≠ `center` | rows ≠ `ledger` |"
        rule += "---:|---:|"
    if group == "peers-payment":
        head += " payment (yuan) |"
        rule += "---:|"
    out = [f"### {group}", "", head, rule]
    for name, bench in sorted(rows.items(), key=lambda kv: _median(kv[1])):
        info = bench["extra_info"]
        ratio = f"{_median(bench) / _median(ours):.2f}" if ours else ""
        line = f"| {name} | {_duration(_median(bench))} | {ratio} |"
        if has_diff:
            if name.startswith("gjjcalc"):
                line += " – | – |"
            else:
                line += f" {_differing(info, 'center')} | {_differing(info, 'ledger')} |"
        if group == "peers-payment":
            line += f" {info.get('payment_yuan', '')} |"
        out.append(line)
    return [*out, ""]


def _single_loan(groups: Groups) -> list[str]:
    if not any(g in groups for g in SINGLE):
        return []
    out = [
        "## One loan, exact: the service targets",
        "",
        "Medians of pytest-benchmark's calibrated rounds (each call warmed once before timing) on",
        "a machine that may be shared with other work, so read them as ±20 %.",
        "A service answers one borrower per request, so these are the costs of single calls on",
        "the exact path (closed forms in `numpy.longdouble` with an error bound per cell, exact",
        "integers for any cell near a rounding boundary; the Fraction reference stays the oracle",
        "of `tests/test_fast_path.py`). The two loans: 690,000 yuan at 3.25 % over 300 months",
        "(the Jilin center's example, first due 2015-09-28) and 1,000,000 yuan at 3.1 % over 360",
        "months (first due 2025-02-20). A schedule's `Decimal` columns and due dates are built",
        "when first read, so each schedule is timed three ways: the call alone, the call with its",
        "payment, interest, principal and balance columns and due dates read, and the call with",
        "every row read (`list(schedule)`). `Loan` calls are on one loan built once (its walk",
        "kept between calls), at 28 and at 268 installments paid; `loan-per-request` builds a",
        "new `Loan` for every call. `import gjjcalc` is timed in fresh processes with the",
        "bytecode cache in place (as an installed wheel has it) and without one (every module",
        "compiled; the batch engine's `import` group below runs in the caller's environment, so",
        "where `PYTHONDONTWRITEBYTECODE` is set it is the second). The right-hand column is the",
        "figure the issue measured before the fast path.",
        "",
        "The second loan's calls as timed (`gjjcalc`, then `gjjcalc-columns` and `gjjcalc-rows`",
        "reading what the first built), and the `ledger` schedule whose rows `amortization`",
        "reproduces:",
        "",
        "```python",
        ">>> import gjjcalc",
        ">>> s = gjjcalc.equal_installment(1_000_000, \"3.1%\", 360, first_due=\"2025-02-20\")",
        ">>> s.payment[0], s.interest[0], s.balance[-1], s.due_dates[-1]",
        "(Decimal('4270.16'), Decimal('2583.33'), Decimal('0.00'), datetime.date(2055, 1, 20))",
        ">>> list(s)[-1].payment",
        "Decimal('4272.52')",
        ">>> gjjcalc.equal_installment(1_000_000, \"3.1%\", 360, convention=\"ledger\").payment[-1]",
        "Decimal('4272.59')",
        "",
        "```",
        "",
        *_single_targets(groups),
        "## Against the peers",
        "",
        "Each group is one workload, run by every implementation that has it in the same",
        "process; `÷ gjjcalc` is the implementation's median over gjjcalc's (above 1: gjjcalc",
        "is faster). The peers build their whole schedule eagerly; `amortization` and `mortgage`",
        "compute no due dates, `pyloan` does. `plain-python` is the textbook equal-principal loop",
        "in unrounded floats, a floor for pure Python rather than a peer.",
        "",
        *_peer_sentences(groups),
    ]
    for group in SINGLE:
        if group not in groups:
            continue
        if group.startswith("peers-"):
            out += _peer_table(group, groups[group])
        elif group == "import-single-loan":
            out += _import_table(group, groups[group])
        else:
            out += _generic_table(group, groups[group])
    return out


def _import_table(group: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    out = [
        f"### {group}",
        "",
        "| what (fresh process) | median in-process (s) | median wall incl. interpreter (s) |",
        "|---|---:|---:|",
    ]
    for name, bench in rows.items():
        inproc = bench["extra_info"].get("in_process_median", float("nan"))
        out.append(f"| `{name}` | {inproc:.3f} | {_median(bench):.3f} |")
    return [*out, ""]


def _command(run: dict[str, Any]) -> str:
    files = run["files"]
    every = all(f.startswith("benchmarks/") for f in files) and len(files) >= 5
    where = "benchmarks" if every else " ".join(files)
    return (f"python -m pytest {where} --benchmark-enable --benchmark-only "
            f"--benchmark-json={run['json']}")


def _runs(data: dict[str, Any], groups: Groups) -> list[str]:
    """The machine and command of every run whose figures the page shows."""
    by_run: dict[int, list[str]] = defaultdict(list)
    for group, rows in groups.items():
        for run in sorted({b["run"] for b in rows.values()}):
            by_run[run].append(group)
    out = ["## Machine and runs", ""]
    for i, run in enumerate(data["runs"]):
        if i not in by_run:
            continue
        commit = f", commit {run['commit']}{' (dirty)' if run['dirty'] else ''}" if run["commit"] else ""
        out += [
            f"Run {i + 1}, {run['datetime']}{commit}:",
            "",
            "```",
            _command(run),
            "```",
            "",
            f"- CPU: {run['cpu']} ({run['cores']} logical cores); {run['system']}; Python {run['python']}",
        ]
        versions = ", ".join(f"{k.removesuffix('_version')} {v}" for k, v in sorted(run["versions"].items()))
        if versions:
            out.append(f"- Versions: {versions}")
        out += [f"- Groups: {', '.join(f'`{g}`' for g in sorted(by_run[i]))}", ""]
    return out


def render(data: dict[str, Any]) -> str:
    groups = _groups(data)
    several = len({b["run"] for b in data["benchmarks"]}) > 1
    lines = [
        "# Performance",
        "",
        "Generated by `benchmarks/report.py` from pytest-benchmark JSON files; do not edit by hand.",
        "Every benchmark also checks its result (against the peer where there is one).",
        "",
        "To measure everything and write this page:",
        "",
        "```",
        FULL_COMMAND,
        "```",
        "",
        "To refresh some groups only (say the single-loan ones, a minute or so) and keep the rest:",
        "",
        "```",
        "python -m pytest benchmarks/test_bench_peers.py benchmarks/test_bench_loan.py "
        "--benchmark-enable --benchmark-only --benchmark-json=.benchmarks/single.json",
        "python benchmarks/report.py --update docs/performance.md .benchmarks/single.json",
        "```",
        "",
    ]
    if several:
        lines += [
            "The figures below come from more than one run; \"Machine and runs\" at the end says",
            "which groups each run measured, and with which command.",
            "",
        ]
    lines += _single_loan(groups)
    batch = [g for g in REFERENCE if g in groups]
    others = sorted(set(groups) - set(REFERENCE) - set(SINGLE))
    if batch or others:
        lines += [
            "## Batch engine",
            "",
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
        ]
    if batch:
        lines += _targets(groups)
    if batch or others:
        lines += ["### Results", ""]
    for group in batch + others:
        lines += [line.replace("### ", "#### ", 1) if line.startswith("### ") else line
                  for line in _table(group, groups[group])]
    lines += _runs(data, groups)
    lines += _write_block(data)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="pytest-benchmark --benchmark-json files, oldest first")
    parser.add_argument("--update", metavar="PAGE",
                        help="merge the runs into the figures PAGE holds and write PAGE back")
    args = parser.parse_args(argv)
    data: dict[str, Any] = {"runs": [], "benchmarks": []}
    if args.update:
        data = _read_block(Path(args.update).read_text(encoding="utf-8"))
    for path in args.runs:
        data = _merge(data, _tag(_load_run(path)))
    page = render(data)
    if args.update:
        Path(args.update).write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
