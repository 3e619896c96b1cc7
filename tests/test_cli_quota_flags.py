"""``gjjcalc quota`` takes every input of ``loan_quota``: the household (--couple /
--single), uplifts, supplementary and spouse contributions and retirement ages."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from gjjcalc.cli import main

SHENZHEN = ["quota", "shenzhen", "--house-price", "500万", "--balance", "200000", "--json"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


def test_couple_and_uplifts(capsys: pytest.CaptureFixture[str]) -> None:
    # couple cap 1,100,000 with the first-home (40 %) and multi-child (50 %) uplifts, within the
    # top cap 2,310,000; below 80 % of 5,000,000 and 16 × 200,000
    cap = Fraction(1_100_000) * (1 + Fraction(40, 100) + Fraction(50, 100))
    code, data, err = run(capsys, *SHENZHEN, "--couple", "--uplift", "multi_child")
    assert (code, err) == (0, "")
    assert data["amount"] == f"{int(cap)}.00" == "2090000.00"
    assert data["binding"] == "cap"


def test_single_takes_the_single_cap(capsys: pytest.CaptureFixture[str]) -> None:
    single = Fraction(600_000) * (1 + Fraction(40, 100))  # the first-home uplift only
    code, data, _ = run(capsys, *SHENZHEN, "--single")
    assert code == 0
    assert data["amount"] == f"{int(single)}.00" == "840000.00"
    code, data, _ = run(capsys, *SHENZHEN, "--single", "--uplift", "multi_child")
    assert data["amount"] == f"{int(Fraction(600_000) * Fraction(19, 10))}.00" == "1140000.00"


def test_couple_and_single_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *SHENZHEN, "--couple", "--single")
    assert code == 2
    assert "--single" in err
    assert "--couple" in err


def test_an_unknown_uplift_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *SHENZHEN, "--uplift", "nosuch")
    assert code == 2
    assert "--uplift='nosuch'" in err
    assert "multi_child" in err


def test_guangzhou_form_with_a_spouse(capsys: pytest.CaptureFixture[str]) -> None:
    # balance × 8 + monthly contribution × months to retirement, for each spouse, on 2026-01-15:
    # him, born 1990-05-10, 60 → 63 (36 months later, under the 2024 decision): 2053-05-10,
    #   2026-01-15 → 2053-04-15 is 327 whole months;
    # her, born 1992-03-01, 55 → 58: 2050-03-01, 2026-01-15 → 2050-02-15 is 289 whole months.
    expected = 50_000 * 8 + 2_000 * 327 + 0 * 8 + 1_500 * 289
    code, data, err = run(
        capsys, "quota", "guangzhou", "--balance", "50000", "--monthly-contribution", "2000",
        "--birth", "1990-05-10", "--sex", "male", "--on", "2026-01-15",
        "--spouse-monthly-contribution", "1500", "--spouse-birth", "1992/03/01", "--spouse-sex", "女",
        "--spouse-original-age", "55", "--house-price", "300万", "--json",
    )
    assert (code, err) == (0, "")
    assert data["amount"] == f"{expected}.00" == "1487500.00"
    assert data["binding"] == "balance_and_contributions"
