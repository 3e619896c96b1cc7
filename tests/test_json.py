"""Output a service can send: ``to_dict()`` on every result record, ``gjjcalc.to_json`` and
``gjjcalc.json_default``; amounts are exact decimal strings, never floats."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

import gjjcalc
from gjjcalc import cli
from gjjcalc.rules import check_eligibility, loan_quota

SEED = {"released": "2015-08-28", "pack": "jilin"}


@pytest.fixture
def seed_loan():
    return gjjcalc.Loan(690000, "3.25%", 300, **SEED)


def _only_json_types(value):
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for v in value.values():
            _only_json_types(v)
    elif isinstance(value, list):
        for v in value:
            _only_json_types(v)
    else:
        assert value is None or isinstance(value, bool | int | str), value
        assert not isinstance(value, float), value


def test_payoff_quote_to_dict_has_exact_strings():
    q = gjjcalc.payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    assert q.to_dict() == {"principal": "646609.84", "interest": "700.49", "total": "647310.33", "days": 12}
    assert json.loads(json.dumps(q, default=gjjcalc.json_default)) == q.to_dict()
    assert json.loads(gjjcalc.to_json(q)) == q.to_dict()


def test_prepayment_result_to_dict_has_iso_dates_and_enum_values(seed_loan):
    result, _ = seed_loan.prepay(amount=10000, on="2018-01-10", mode="shorten_term")
    d = result.to_dict()
    assert d["amount"] == "10000.00"
    assert d["maturity"] == "2040-02-28"
    assert d["mode"] == "shorten_term"
    assert d["payment"] == "3362.48"
    _only_json_types(d)


def test_loan_state_and_term_change_to_dict(seed_loan):
    state = seed_loan.state_on("2018-01-10")
    d = state.to_dict()
    _only_json_types(d)
    assert set(d) >= {f for f in type(state).__dataclass_fields__ if not f.startswith("_")}
    change = gjjcalc.change_term(
        balance=646609.84, annual_rate="3.25%", remaining_months=272, new_remaining_months=200
    )
    d = change.to_dict()
    _only_json_types(d)
    for name in type(change).__dataclass_fields__:
        value = getattr(change, name)
        if isinstance(value, Decimal):
            assert d[name] == str(value)
            assert "." in d[name]


def test_rule_results_to_dict_include_ok_and_the_limits():
    q = loan_quota("liangshan", area="西昌市", house_price=5_000_000)
    d = q.to_dict()
    assert (d["amount"], d["binding"], d["ok"]) == ("600000.00", "region_cap", True)
    assert d["limits"][0] == {
        "name": "region_cap", "value": "600000.00", "source": q.limits[0].source, "detail": q.limits[0].detail,
    }
    _only_json_types(d)
    check = check_eligibility("jilin", contribution_months=1)
    c = check.to_dict()
    assert c["ok"] is check.ok
    _only_json_types(c)


def test_schedule_and_rows_encode_as_objects_with_exact_strings():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    d = json.loads(json.dumps(s, default=gjjcalc.json_default))
    assert d["method"] == "equal_installment"
    assert d["convention"] == "center"
    assert (d["loan"], d["annual_rate"], d["total_interest"]) == ("690000.00", "0.0325", "318744.90")
    assert len(d["rows"]) == 300
    assert d["rows"][27]["balance"] == "646609.84"
    assert d["rows"][0] == {
        "period": 1, "due_date": "2015-09-28", "payment": "3362.48", "principal": "1493.73",
        "interest": "1868.75", "balance": "688506.27", "rate": "0.0325", "prepaid": "0.00",
    }
    row = next(iter(s))
    assert json.loads(gjjcalc.to_json(row))["payment"] == "3362.48"  # a Row: an object, not a list
    _only_json_types(d)


def test_json_default_refuses_what_it_does_not_know():
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps({"x": object()}, default=gjjcalc.json_default)


def test_decimal_is_never_written_in_exponent_form():
    assert gjjcalc.to_json({"a": Decimal("1E+3"), "b": Decimal("0E-2"), "d": date(2015, 9, 28)}) == (
        '{"a": "1000", "b": "0.00", "d": "2015-09-28"}'
    )


def test_to_json_keeps_chinese_readable_and_takes_json_options():
    assert gjjcalc.to_json({"月供": Decimal("3362.48")}) == '{"月供": "3362.48"}'
    assert gjjcalc.to_json({"a": 1}, indent=1) == '{\n "a": 1\n}'


def test_public_names_are_exported():
    assert {"to_json", "json_default"} <= set(gjjcalc.__all__)
    assert gjjcalc.to_json.__doc__
    assert gjjcalc.json_default.__doc__


def test_cli_json_encoder_is_the_public_one():
    q = gjjcalc.payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    assert cli._jsonable(q) == q.to_dict() == gjjcalc._display.jsonable(q)
