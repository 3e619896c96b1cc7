"""One loan, exact, beside the peers `amortization`, `mortgage` and `pyloan` in the same run.

Two loans: the Jilin center's example (690,000 yuan at 3.25 % over 300 months, first due
2015-09-28) and 1,000,000 yuan at 3.1 % over 360 months (first due 2025-02-20). Each group is
one workload computed by every implementation that has it; ``benchmarks/report.py`` prints
each median and its ratio to gjjcalc (peer time / gjjcalc time, so > 1 means gjjcalc is
faster).

gjjcalc's schedules build their ``Decimal`` columns and due dates when first read, so three
gjjcalc rows appear in each schedule group: ``gjjcalc`` (the call), ``gjjcalc-columns`` (the
call, then the payment, interest, principal and balance columns and the due dates read) and
``gjjcalc-rows`` (the call and ``list(schedule)``: every ``Row`` with its due date and rate, as
a service that returns the whole schedule pays). The peers' schedules are built eagerly.

The peers, as their sources define them (site-packages, versions in the report):

- ``amortization.amortization_schedule`` (floats): the payment rounded to the fen, each
  month's interest rounded with ``round(x, 2)``, the last row paying what is left. No dates.
- ``mortgage.Loan(principal, rate, years).schedule()`` (``Decimal``, 28 digits): nothing
  rounded, every row the unrounded level payment. The term is in years: ``term_unit`` is
  stored but the schedule always has ``term × 12`` rows. No dates.
- ``pyloan.Loan(...).get_payment_schedule()`` (``Decimal``, dates from
  ``first_payment_date`` + k months): amounts quantized half to even; the annuity payment is
  searched by a secant step on the final balance (a step of one yuan, tolerance one fen). Run
  here with the ``30E/360`` day count (every month 30/360 of the annual rate for due dates on
  the 20th or 28th; its default ``30E/360 ISDA`` counts the last day of February as the 30th).

Each benchmark also records, untimed, how many rows of the peer's schedule differ from
gjjcalc's ``center`` and ``ledger`` schedules once rounded half up to the fen, and the
largest difference; ``test_peers_agree_or_differ_as_documented`` asserts those facts.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

import amortization
import mortgage
import numpy_financial as npf
import pyloan
import pytest

import gjjcalc
from gjjcalc.rules.packs import load_pack

FEN = Decimal("0.01")


class Case(NamedTuple):
    principal: int
    rate: str          # as gjjcalc takes it
    rate_float: float  # as the peers take it
    months: int
    released: str
    first_due: str


CASES = {
    "300": Case(690_000, "3.25%", 0.0325, 300, "2015-08-28", "2015-09-28"),
    "360": Case(1_000_000, "3.1%", 0.031, 360, "2025-01-20", "2025-02-20"),
}
PEER_VERSIONS = {f"{name}_version": version(name) for name in ("amortization", "mortgage", "pyloan")}


# --- the same schedule in every implementation ------------------------------------------------

Cells = tuple[Decimal, Decimal, Decimal, Decimal]  # payment, interest, principal, balance


def _fen(value: object) -> Decimal:
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]
    return number.quantize(FEN, ROUND_HALF_UP)


def _gjjcalc(method: str, case: Case, convention: str = "center") -> gjjcalc.Schedule:
    build = gjjcalc.equal_installment if method == "installment" else gjjcalc.equal_principal
    return build(case.principal, case.rate, case.months, first_due=case.first_due, convention=convention)


def _pyloan(method: str, case: Case, **kw: Any) -> pyloan.Loan:
    return pyloan.Loan(
        case.principal, case.rate_float * 100, case.months, case.released, loan_term_period="M",
        first_payment_date=case.first_due, compounding_method="30E/360",
        loan_type="annuity" if method == "installment" else "linear", **kw,
    )


def _plain_principal(case: Case) -> list[tuple[float, float, float, float]]:
    """Equal principal in plain Python floats, unrounded: the textbook loop."""
    part, r, bal = case.principal / case.months, case.rate_float / 12, float(case.principal)
    rows = []
    for _ in range(case.months):
        interest = bal * r
        bal -= part
        rows.append((part + interest, interest, part, bal))
    return rows


def _columns(s: gjjcalc.Schedule) -> tuple[Sequence[object], ...]:
    """The four amount columns and the due dates, read as tuples (no ``Row`` built)."""
    return s.payment, s.interest, s.principal, s.balance, s.due_dates or ()


# name -> (call to time, its rows as (payment, interest, principal, balance) for the check)
Impl = tuple[Callable[[], Any], Callable[[Any], Iterable[Sequence[object]]]]


def _impls(method: str, case: Case) -> dict[str, Impl]:
    def rows_of(s: Any) -> Iterable[Sequence[object]]:
        return [(r.payment, r.interest, r.principal, r.balance) for r in s]

    impls: dict[str, Impl] = {
        "gjjcalc": (lambda: _gjjcalc(method, case), rows_of),
        "gjjcalc-columns": (lambda: _columns(_gjjcalc(method, case)), lambda s: zip(*s[:4], strict=True)),
        "gjjcalc-rows": (lambda: list(_gjjcalc(method, case)), rows_of),
        "pyloan": (
            lambda: _pyloan(method, case).get_payment_schedule(),
            lambda s: [(p.payment_amount, p.interest_amount, p.principal_amount, p.loan_balance_amount)
                       for p in s[1:]],
        ),
    }
    if method == "installment":
        impls["amortization"] = (
            lambda: list(amortization.amortization_schedule(case.principal, case.rate_float, case.months)),
            lambda s: [(r.amount, r.interest, r.principal, r.balance) for r in s],
        )
        impls["mortgage"] = (
            lambda: mortgage.Loan(case.principal, case.rate_float, case.months // 12).schedule(),
            lambda s: [(r.payment, r.interest, r.principal, r.balance) for r in s[1:]],
        )
    else:
        impls["plain-python"] = (lambda: _plain_principal(case), lambda s: s)
    return impls


def _compare(mine: gjjcalc.Schedule, theirs: Iterable[Sequence[object]]) -> tuple[int, int]:
    """Rows whose four amounts differ once rounded to the fen, and the largest difference in fen."""
    rows, worst = 0, 0
    for ours, peer in zip(mine, theirs, strict=True):
        a: Cells = (ours.payment, ours.interest, ours.principal, ours.balance)
        diffs = [abs(x - _fen(y)) for x, y in zip(a, peer, strict=True)]
        if any(diffs):
            rows += 1
            worst = max(worst, int(max(diffs) * 100))
    return rows, worst


SCHEDULE_GROUPS = [(m, n) for m in ("installment", "principal") for n in CASES]
SCHEDULE_PARAMS = [
    pytest.param(m, n, impl, id=f"{m}-{n}-{impl}")
    for m, n in SCHEDULE_GROUPS
    for impl in _impls(m, CASES[n])
]


@pytest.mark.parametrize(("method", "rows", "impl"), SCHEDULE_PARAMS)
def test_schedule_against_peers(benchmark: Any, method: str, rows: str, impl: str) -> None:
    case = CASES[rows]
    benchmark.group = f"peers-{method}-{rows}"
    benchmark.extra_info["impl"] = impl  # the row's label in the report
    benchmark.extra_info.update(PEER_VERSIONS)
    call, cells = _impls(method, case)[impl]
    call()  # warm: caches, imports, first-call costs outside the timing
    timed = benchmark(call)
    theirs = list(cells(timed))
    assert len(theirs) == case.months
    for convention in ("center", "ledger"):
        n, worst = _compare(_gjjcalc(method, case, convention), theirs)
        benchmark.extra_info[f"rows_differing_from_{convention}"] = n
        benchmark.extra_info[f"largest_difference_from_{convention}_fen"] = worst
    first = _gjjcalc(method, case)
    assert abs(_fen(theirs[0][1]) - first.interest[0]) <= FEN  # the first interest, every peer


# --- the payment alone ------------------------------------------------------------------------

J = CASES["300"]
PAYMENT: dict[str, Callable[[], Any]] = {
    "gjjcalc": lambda: gjjcalc.payment(J.principal, J.rate, J.months),
    "amortization": lambda: amortization.calculate_amortization_amount(J.principal, J.rate_float, J.months),
    "numpy_financial": lambda: round(float(npf.pmt(J.rate_float / 12, J.months, -J.principal)), 2),
    # mortgage computes its schedule in the constructor: its payment costs the whole schedule
    "mortgage": lambda: mortgage.Loan(J.principal, J.rate_float, J.months // 12).monthly_payment,
    # pyloan's payment is its secant search, each step a whole simulated schedule
    "pyloan": lambda: _pyloan("installment", J).calculate_precise_payment(),
}


@pytest.mark.benchmark(group="peers-payment")
@pytest.mark.parametrize("impl", list(PAYMENT))
def test_payment_against_peers(benchmark: Any, impl: str) -> None:
    benchmark.extra_info["impl"] = impl  # the row's label in the report
    benchmark.extra_info.update(PEER_VERSIONS)
    PAYMENT[impl]()
    got = _fen(benchmark(PAYMENT[impl]))
    benchmark.extra_info["payment_yuan"] = str(got)
    # pyloan's search lands one yuan above the formula's payment (see the module docstring)
    assert got == (Decimal("3363.48") if impl == "pyloan" else Decimal("3362.48"))


# --- cost linear in the rows: 600 rows against 360 --------------------------------------------

ROWS = {
    f"{method}-{n}": (lambda method=method, n=n: _gjjcalc(method, Case(1_000_000, "3.1%", 0.031, n, "", "2025-02-20")))
    for method in ("installment", "principal")
    for n in (360, 600)
}


@pytest.mark.benchmark(group="schedule-rows-600-vs-360")
@pytest.mark.parametrize("impl", list(ROWS))
def test_schedule_cost_by_rows(benchmark: Any, impl: str) -> None:
    benchmark.extra_info["impl"] = impl  # the row's label in the report
    ROWS[impl]()
    schedule = benchmark(ROWS[impl])
    benchmark.extra_info["rows"] = len(schedule)
    assert schedule.balance[-1] == 0


# --- a loan's life: change_term early and late; a new Loan per request -----------------------

LOAN = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin")
DAYS = {"28 paid": ("2018-01-10", 200), "268 paid": ("2038-01-10", 20)}


@pytest.mark.benchmark(group="loan-change-term")
@pytest.mark.parametrize("when", list(DAYS))
def test_change_term_early_and_late(benchmark: Any, when: str) -> None:
    day, months = DAYS[when]
    benchmark.extra_info["impl"] = f"change_term-{when}"
    benchmark.extra_info["paid"] = int(when.split()[0])
    LOAN.change_term(on=day, remaining_months=months)
    result, after = benchmark(lambda: LOAN.change_term(on=day, remaining_months=months))
    assert result.remaining_months == months
    assert after.state_on(day).remaining_months == months


JILIN = load_pack("jilin")
PER_REQUEST: dict[str, Callable[[], Any]] = {
    "new Loan, pack by name, state_on 28 paid": lambda: gjjcalc.Loan(
        690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin"
    ).state_on("2018-01-10"),
    "new Loan, pack loaded once, state_on 28 paid": lambda: gjjcalc.Loan(
        690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack=JILIN
    ).state_on("2018-01-10"),
    "new Loan, pack loaded once, state_on 268 paid": lambda: gjjcalc.Loan(
        690000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack=JILIN
    ).state_on("2038-01-10"),
    "load_pack('jilin')": lambda: load_pack("jilin"),
}


@pytest.mark.benchmark(group="loan-per-request")
@pytest.mark.parametrize("impl", list(PER_REQUEST))
def test_new_loan_per_request(benchmark: Any, impl: str) -> None:
    benchmark.extra_info["impl"] = impl  # the row's label in the report
    PER_REQUEST[impl]()
    assert benchmark(PER_REQUEST[impl]) is not None


# --- import cost of the single-loan path, numba-free -----------------------------------------

IMPORT_CODE = {
    "import gjjcalc": ("import gjjcalc", True),
    "import gjjcalc, no bytecode cache": ("import gjjcalc", False),
    "import gjjcalc + payment + schedule": (
        "import gjjcalc; gjjcalc.payment(690000, '3.25%', 300); "
        "list(gjjcalc.equal_installment(690000, '3.25%', 300, first_due='2015-09-28'))",
        True,
    ),
}
IMPORT_REPS = 7


def _import_env(cached: bool, folder: Path) -> dict[str, str]:
    """The environment of a fresh process: gjjcalc's bytecode cached (as an installed wheel has
    it) in a private folder (``PYTHONPYCACHEPREFIX``, never the source tree), or not written at
    all (``PYTHONDONTWRITEBYTECODE=1``: every run compiles gjjcalc's modules from source).
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if cached:
        env["PYTHONPYCACHEPREFIX"] = str(folder)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.mark.benchmark(group="import-single-loan")
@pytest.mark.parametrize("impl", list(IMPORT_CODE))
def test_single_loan_import_is_light(benchmark: Any, impl: str, tmp_path: Path) -> None:
    benchmark.extra_info["impl"] = impl  # the row's label in the report
    statement, cached = IMPORT_CODE[impl]
    code = (
        "import sys, time; t = time.perf_counter(); " + statement
        + "; print(time.perf_counter() - t, 'numba' in sys.modules, 'numpy' in sys.modules)"
    )
    env = _import_env(cached, tmp_path / "pycache")
    seconds: list[float] = []
    numba_seen: list[bool] = []
    numpy_seen: list[bool] = []

    def fresh() -> None:
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
        took, numba, numpy = done.stdout.split()
        seconds.append(float(took))
        numba_seen.append(numba == "True")
        numpy_seen.append(numpy == "True")

    fresh()  # writes the bytecode cache when there is one, like any first run
    seconds.clear()
    numba_seen.clear()
    numpy_seen.clear()
    benchmark.pedantic(fresh, rounds=IMPORT_REPS, iterations=1)
    benchmark.extra_info["in_process_seconds"] = seconds
    benchmark.extra_info["in_process_median"] = statistics.median(seconds)
    benchmark.extra_info["bytecode_cached"] = cached
    benchmark.extra_info["numba_imported"] = any(numba_seen)
    benchmark.extra_info["numpy_imported"] = any(numpy_seen)
    assert not any(numba_seen)


# --- what each peer computes differently (untimed) -------------------------------------------

# (method, loan, peer) -> (rows differing from center, from ledger); the report's prose cites these
AGREEMENT = {
    ("installment", "300", "amortization"): (296, 0),
    ("installment", "360", "amortization"): (334, 0),
    ("installment", "300", "mortgage"): (296, 293),
    ("installment", "360", "mortgage"): (359, 359),
    ("installment", "300", "pyloan"): (300, 300),
    ("installment", "360", "pyloan"): (360, 360),
    ("principal", "300", "pyloan"): (25, 25),
    ("principal", "360", "pyloan"): (358, 0),
}


@pytest.mark.parametrize(("method", "rows", "peer"), list(AGREEMENT))
def test_peers_agree_or_differ_as_documented(method: str, rows: str, peer: str) -> None:
    call, cells = _impls(method, CASES[rows])[peer]
    theirs = list(cells(call()))
    got = tuple(_compare(_gjjcalc(method, CASES[rows], c), theirs)[0] for c in ("center", "ledger"))
    assert got == AGREEMENT[method, rows, peer]


def test_pyloan_with_our_payment_is_ledger_but_leaves_the_remainder_unpaid() -> None:
    """Given the level payment, pyloan's rows are ledger's; it does not settle the last row."""
    for case in CASES.values():
        ledger = _gjjcalc("installment", case, "ledger")
        rows = _pyloan("installment", case, payment_amount=float(ledger.payment[0])).get_payment_schedule()[1:]
        cells = [(p.payment_amount, p.interest_amount, p.principal_amount, p.loan_balance_amount) for p in rows]
        assert _compare(ledger, cells)[0] == 1  # the last row only
        assert rows[-1].loan_balance_amount > 0
    first = _pyloan("installment", J, payment_amount=3362.48).get_payment_schedule()
    assert first[-1].loan_balance_amount == Decimal("0.83")


def test_pyloan_searched_payment_is_a_yuan_high_and_its_last_payment_short() -> None:
    rows = _pyloan("installment", J).get_payment_schedule()
    assert (rows[1].payment_amount, rows[-1].payment_amount) == (Decimal("3363.48"), Decimal("2902.37"))
    assert _gjjcalc("installment", J).payment[-1] == Decimal("3363.38")


def test_mortgage_pays_the_unrounded_level_payment_every_row() -> None:
    rows = mortgage.Loan(J.principal, J.rate_float, J.months // 12).schedule()[1:]
    assert len({r.payment for r in rows}) == 1
    assert str(rows[0].payment).startswith("3362.4819548")
    assert len(mortgage.Loan(J.principal, J.rate_float, J.months, term_unit="months").schedule()) == 3601


def test_pyloan_rounds_half_fen_interest_to_even() -> None:
    """Row 7 of the Jilin loan, equal principal: 676,200 × 3.25 % / 12 = 1,831.375 yuan exactly."""
    ours = _gjjcalc("principal", CASES["300"])
    theirs = _pyloan("principal", CASES["300"]).get_payment_schedule()[7]
    assert (ours.interest[6], theirs.interest_amount) == (Decimal("1831.38"), Decimal("1831.37"))
