"""The CLI's ``--method lump_sum`` and custom ``--convention`` choices."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from gjjcalc.cli import main
from gjjcalc.money import yuan


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("method", ["lump_sum", "到期一次还本付息"])
def test_schedule_lump_sum_is_one_payment(capsys: pytest.CaptureFixture[str], method: str) -> None:
    # Found: --method lump_sum printed an equal installment schedule.
    code, out, err = run(capsys, "schedule", "50000", "2.1%", "12", "--method", method, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    interest = Fraction(50000) * Fraction(21, 1000) * 12 / 12  # 1,050.00
    assert data["method"] == "lump_sum"
    assert [r["payment"] for r in data["rows"]] == [str(yuan(50000 + interest))]
    assert data["total_interest"] == "1050.00"


def test_schedule_lump_sum_refuses_a_long_term(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "schedule", "50000", "2.1%", "13", "--method", "lump_sum")
    assert code == 2
    assert "12" in err


def test_a_custom_convention_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    # totals = the rounded level payment × 12: 100,000 at 3.1 % for 12 months
    r = Fraction(31, 1000) / 12
    level = yuan(100000 * r * (1 + r) ** 12 / ((1 + r) ** 12 - 1))  # 8,473.9297… → 8,473.93
    code, out, err = run(capsys, "schedule", "100000", "3.1%", "12", "--convention",
                         "center,totals=level", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["payment"] == str(level) == "8473.93"
    assert data["total_payment"] == str(level * 12) == "101687.16"
    assert data["convention"]["totals"] == "level"
    # a bare key=value starts from center; the preset name alone is the preset
    code, out, _ = run(capsys, "schedule", "100000", "3.1%", "12", "--convention", "totals=level", "--json")
    assert json.loads(out)["total_payment"] == "101687.16"
    code, out, _ = run(capsys, "schedule", "100000", "3.1%", "12", "--convention", "ledger", "--json")
    assert json.loads(out)["convention"] == "ledger"


@pytest.mark.parametrize(("value", "named"), [
    ("center,totals=lvl", "convention.totals='lvl'"),
    ("center,colour=red", "'colour=red'"),
    ("bank", "bank"),
    ("center,daily_rate_places=x", "daily_rate_places='x'"),
])
def test_a_bad_convention_names_the_choice(capsys: pytest.CaptureFixture[str], value: str, named: str) -> None:
    code, out, err = run(capsys, "schedule", "100000", "3.1%", "12", "--convention", value)
    assert (code, out) == (2, "")
    assert "--convention" in err
    assert named in err
