"""What a web service sends: a small FastAPI app run in-process (httpx's ASGI transport), whose
responses carry every amount as the exact decimal string ("3362.48"), never a float; the
recipe of docs/service.md."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pytest

import gjjcalc

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
pydantic = pytest.importorskip("pydantic")

from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from pydantic import BaseModel, Field  # noqa: E402

SEED = {"principal": "690000", "annual_rate": "3.25%", "months": 300, "first_due": "2015-09-28"}
"""The Jilin provincial center's loan (personal online hall manual): 3362.48 a month."""


class LoanIn(BaseModel):
    principal: Decimal = Field(gt=0)
    annual_rate: str
    months: int = Field(ge=1, le=360)
    method: Literal["equal_installment", "equal_principal"] = "equal_installment"
    first_due: date | None = None


class PaymentOut(BaseModel):
    payment: Decimal
    total_interest: Decimal
    total_payment: Decimal


class PayoffIn(BaseModel):
    balance: Decimal
    annual_rate: str
    on: date
    interest_from: date


class PortfolioIn(BaseModel):
    principal: list[float]
    annual_rate: list[float]
    months: list[int]


def _schedule(loan: LoanIn) -> gjjcalc.Schedule:
    fn = gjjcalc.equal_installment if loan.method == "equal_installment" else gjjcalc.equal_principal
    return fn(loan.principal, loan.annual_rate, loan.months, first_due=loan.first_due)


def make_app() -> FastAPI:
    app = FastAPI()

    @app.post("/payment")
    def payment(loan: LoanIn) -> PaymentOut:  # a pydantic model: Decimal goes out as a string
        s = _schedule(loan)
        return PaymentOut(payment=s.first_payment, total_interest=s.total_interest,
                          total_payment=s.total_payment)

    @app.post("/schedule")
    def schedule(loan: LoanIn) -> dict[str, Any]:  # to_dict(): strings already
        return _schedule(loan).to_dict()

    @app.post("/payoff")
    def payoff(q: PayoffIn) -> dict[str, Any]:
        return gjjcalc.payoff(balance=q.balance, annual_rate=q.annual_rate, on=q.on,
                              interest_from=q.interest_from).to_dict()

    @app.post("/portfolio")
    def portfolio(p: PortfolioIn) -> dict[str, Any]:
        return gjjcalc.batch.summaries(p.principal, p.annual_rate, p.months).to_dict()

    @app.post("/payoff-as-is")
    def payoff_as_is(q: PayoffIn):  # no response model: FastAPI's encoder makes Decimal a float
        return gjjcalc.payoff(balance=q.balance, annual_rate=q.annual_rate, on=q.on,
                              interest_from=q.interest_from)

    @app.exception_handler(gjjcalc.InputError)
    async def input_error(request: Request, exc: gjjcalc.InputError) -> JSONResponse:
        detail = [{"loc": ["body", *exc.loc], "msg": str(exc), "type": "gjjcalc.input_error"}]
        return JSONResponse(status_code=422, content={"detail": detail})

    return app


APP = make_app()


def post(path: str, body: dict[str, Any]) -> Any:
    """POST to the app in this process (no server, no socket) and return the response."""

    async def go() -> Any:
        transport = httpx.ASGITransport(app=APP)
        async with httpx.AsyncClient(transport=transport, base_url="http://gjjcalc.test") as client:
            return await client.post(path, json=body)

    return asyncio.run(go())


def _no_floats(value: object) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _no_floats(v)
    elif isinstance(value, list):
        for v in value:
            _no_floats(v)
    else:
        assert not isinstance(value, float), value


def test_a_pydantic_response_model_sends_the_payment_as_its_exact_string():
    r = post("/payment", SEED)
    assert r.status_code == 200
    assert r.text == '{"payment":"3362.48","total_interest":"318744.90","total_payment":"1008744.90"}'
    assert r.json()["payment"] == "3362.48"  # a string, not the float 3362.48


def test_a_schedule_is_sent_as_to_dict_with_iso_dates_and_exact_strings():
    r = post("/schedule", SEED)
    data = r.json()
    _no_floats(data)
    assert data["loan"] == "690000.00"
    assert data["annual_rate"] == "0.0325"
    assert data["total_interest"] == "318744.90"
    assert data["rows"][0] == {"period": 1, "due_date": "2015-09-28", "payment": "3362.48",
                               "principal": "1493.73", "interest": "1868.75", "balance": "688506.27",
                               "rate": "0.0325", "prepaid": "0.00"}
    assert data["rows"][27]["balance"] == "646609.84"
    assert data["rows"][-1]["due_date"] == "2040-08-28"
    assert '"payment":"3362.48"' in r.text


def test_equal_principal_sends_its_monthly_decrease_as_a_string():
    data = post("/schedule", {**SEED, "principal": "1000000", "annual_rate": "4.9%", "months": 360,
                              "method": "equal_principal"}).json()
    assert data["method"] == "equal_principal"
    assert data["first_payment"] == "6861.11"
    assert data["monthly_decrease"] == "11.34"


def test_a_payoff_quote_keeps_every_fen():
    r = post("/payoff", {"balance": "646609.84", "annual_rate": "3.25%", "on": "2018-01-10",
                         "interest_from": "2017-12-29"})
    assert r.text == '{"principal":"646609.84","interest":"700.49","total":"647310.33","days":12}'


def test_a_batch_result_is_sent_with_amounts_as_strings():
    r = post("/portfolio", {"principal": [690000, 1000], "annual_rate": [0.0325, 0.0325], "months": [300, 2]})
    data = r.json()
    _no_floats(data)
    assert data["first_payment"] == ["3362.48", "502.03"]
    assert data["total_interest"] == ["318744.90", "4.06"]
    assert data["status"] == [0, 0]


def test_a_result_returned_without_a_response_model_would_go_out_as_floats():
    # why the recipe returns to_dict() or declares a response model: with neither, FastAPI's
    # jsonable_encoder turns each Decimal into a float
    r = post("/payoff-as-is", {"balance": "646609.84", "annual_rate": "3.25%", "on": "2018-01-10",
                               "interest_from": "2017-12-29"})
    assert isinstance(r.json()["total"], float)


def test_a_bad_input_is_a_422_naming_the_field():
    r = post("/payment", {**SEED, "annual_rate": "325%"})
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["body", "annual_rate"]
    assert "annual_rate=" in detail["msg"]


def test_pydantic_validation_still_runs_first():
    r = post("/payment", {**SEED, "months": 0})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "months"]


# --- the encoder itself, outside a framework -----------------------------------------------------


def test_json_dumps_of_any_result_with_the_public_default():
    s = gjjcalc.equal_installment(690000, "3.25%", 300, first_due="2015-09-28")
    text = json.dumps(s, default=gjjcalc.json_default)
    assert json.loads(text) == s.to_dict()
    assert '"first_payment": "3362.48"' in text
    assert gjjcalc.to_json(s) == json.dumps(s.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("kind", ["summaries", "masked_summaries", "schedules", "prepay", "payoff"])
def test_every_batch_result_has_to_dict_with_string_amounts(kind):
    b = gjjcalc.batch
    result = {
        "summaries": lambda: b.summaries([690000.0], 0.0325, [300]),
        "masked_summaries": lambda: b.summaries([690000.0, -1.0], 0.0325, [300, 12], errors="mask"),
        "schedules": lambda: b.schedules([690000.0, 1000.0], 0.0325, [300, 2]),
        "prepay": lambda: b.prepay([646609.84], 0.0325, [272], amount=10000.0, days=12,
                                   mode="shorten_term", payment=3362.48),
        "payoff": lambda: b.payoff([646609.84], 0.0325, days=12),
    }[kind]()
    data = result.to_dict()
    assert set(data) == set(result._fields)
    _no_floats(data)
    assert json.loads(gjjcalc.to_json(result)) == data
    for name, values in result._asdict().items():
        if values.dtype.kind == "f":
            flat = np.asarray(values).ravel()
            strings = np.asarray(data[name]).ravel()
            assert [Decimal(x) for x in strings] == [Decimal(f"{v:.2f}") for v in flat]
    if kind == "schedules":
        assert data["payment"][0][0] == "3362.48"
        assert data["balance"][0][27] == "646609.84"
        assert data["months"] == [300, 2]
