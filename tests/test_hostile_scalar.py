"""Hostile input to the single-loan API: a typed error at once, never a hang or a plausible wrong number.

Regression tests for the hardening issue; every expected figure is computed here by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gjjcalc
from gjjcalc import InputError
from gjjcalc.money import MAX_RATE_DIGITS, to_amount, to_rate


def half_up_fen(yuan: Fraction) -> int:
    """Whole fen, half-up (Python's round() is half-even, so it is not used)."""
    return (200 * yuan.numerator + yuan.denominator) // (2 * yuan.denominator)


# --- numbers bounded in digits and exponent at coercion (each of these used to run for hours) ---


@pytest.mark.parametrize(
    ("principal", "rate"),
    [
        ("1e999999999", "3.25%"),
        ("1e-999999999", "3.25%"),
        (1000, "1e-999999999"),
        (1000, "1e999999999"),
        (690000, "1e-1000"),
        (690000, "1e-3000"),
        (690000, "0." + "3" * 200),
        (690000, Decimal("1e-999999999")),
        (Decimal("1e999999999"), "3.25%"),
        (10**100_000, "3.25%"),
    ],
    ids=lambda v: repr(v)[:20] if not isinstance(v, int) or v < 10**20 else "huge-int",
)
def test_numbers_with_huge_exponents_or_many_digits_are_refused(principal, rate):
    with pytest.raises(InputError) as err:
        gjjcalc.payment(principal, rate, 12)
    assert len(str(err.value)) < 400  # the message quotes a cut value, not a megabyte


def test_a_rate_has_at_most_seventeen_significant_digits_and_no_more() -> None:
    assert MAX_RATE_DIGITS == 17
    assert to_rate("0.032500000001") == Fraction(32500000001, 10**12)
    assert to_rate("3.2500000001%") == Fraction(32500000001, 10**12)
    assert to_rate("0.0325000000001") == Fraction(325000000001, 10**13)  # 13 places, 12 digits
    assert to_rate("0.012345678901234567") == Fraction(12345678901234567, 10**18)
    assert to_rate("1e-40") == Fraction(1, 10**40)
    assert to_rate(Fraction(1, 8)) == Fraction(125, 1000)
    for refused in ("0.0123456789012345678", "9e-41", Fraction(1, 3), Fraction(1, 2**200)):
        with pytest.raises(InputError, match="at most 17 significant digits, zero or at least 1e-40"):
            to_rate(refused)


def test_a_float_rate_is_the_decimal_it_prints_as() -> None:
    # np.linspace(0.02, 0.04, 1000)[1]: 17 places, refused before; now exactly its repr
    assert to_rate(0.02002002002002002) == Fraction(2002002002002002, 10**17)
    assert to_rate(0.031234567891) == Fraction(31234567891, 10**12)
    assert to_rate(1e-14) == Fraction(1, 10**14)


def test_float_noise_on_a_seven_place_rate_is_that_rate() -> None:
    assert 0.001 + 0.0002 == 0.0012000000000000001
    assert to_rate(0.001 + 0.0002) == Fraction(12, 10**4)
    assert to_rate(0.1 + 0.2) == Fraction(3, 10)  # 0.30000000000000004
    assert to_rate(5e-324) == 0  # within 1e-15 of the rate 0
    assert to_rate(1e-16) == 0
    assert to_rate("0.0012000000000000001") == Fraction(12000000000000001, 10**19)  # text: as typed


def test_a_numpy_bool_is_not_a_rate_or_an_amount() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(InputError, match="annual_rate"):
        to_rate(np.bool_(True))
    with pytest.raises(InputError, match="principal"):
        to_amount(np.bool_(True), "principal")


def test_trailing_zeros_do_not_count_as_places():
    assert to_rate("0.03250000000000000000") == Fraction(13, 400)
    assert to_amount("646609.8400000", "balance") == Fraction(64660984, 100)


@pytest.mark.parametrize("text", ["690000,50", "1,5", "1,000,00", "1,0000", ",100", "100,", "1,,000"])
def test_a_comma_is_only_a_thousands_separator(text):
    with pytest.raises(InputError, match="principal"):
        to_amount(text, "principal")


@pytest.mark.parametrize(("text", "fen"), [("690,000", 69_000_000), ("1,000,000.50", 100_000_050), ("646,609.84", 64_660_984)])
def test_thousands_separators_in_valid_places_still_read(text, fen):
    assert to_amount(text, "principal") == Fraction(fen, 100)


@pytest.mark.parametrize("value", [b"100", bytearray(b"100"), True, False, 1 + 2j, None, [], {}])
def test_bytes_booleans_and_containers_are_not_amounts(value):
    with pytest.raises(InputError, match="principal"):
        gjjcalc.payment(value, "3.25%", 12)


# --- the payment must amortize: refused when the rounded level is at or below a month's interest ---


def test_a_payment_that_rounds_to_the_first_months_interest_is_refused():
    # 100 at 100 % a year over 360 months: interest 100/12 = 8.3333…, exact payment
    # 100·(1/12)·g/(g−1) with g = (13/12)^360 (g/(g−1) − 1 < 1e-12), rounded 8.33 ≤ 8.333…
    r = Fraction(1, 12)
    g = (1 + r) ** 360
    exact = 100 * r * g / (g - 1)
    assert half_up_fen(exact) == 833
    assert Fraction(833, 100) <= 100 * r
    with pytest.raises(InputError, match=r"principal=100 .*8\.33.*first month's interest"):
        gjjcalc.equal_installment(100, 1, 360)
    with pytest.raises(InputError, match="principal=100"):
        gjjcalc.payment(100, 1, 360)
    with pytest.raises(InputError, match="principal=100"):
        gjjcalc.equal_installment(100, 1, 360, convention="ledger")
    # the exact convention does not round the level, so it amortizes
    s = gjjcalc.equal_installment(100, 1, 360, convention="exact")
    assert s.balance[-1] == 0


def test_one_yuan_over_thirty_years_pays_nothing_a_month_and_is_refused():
    # 1 yuan at 3.25 % over 360: payment ≈ 0.00435, which rounds to 0.00
    r = Fraction(325, 120000)
    g = (1 + r) ** 360
    assert half_up_fen(1 * r * g / (g - 1)) == 0
    with pytest.raises(InputError, match=r"\(0\.00\)"):
        gjjcalc.equal_installment(1, "3.25%", 360)
    # equal principal repays 1/360 a month: accepted
    assert gjjcalc.equal_principal(1, "3.25%", 360).balance[-1] == 0


def test_the_last_period_absorbs_the_payments_rounding_at_high_rates_and_long_terms():
    # Documented rule: the level payment is rounded half-up and the last period takes the rest.
    # 100,000 at 24 % over 600 months: the exact payment 2000.0138… rounds to
    # 2000.01, short by 0.38 fen a month, which compounds at 2 % a month into the last row.
    r = Fraction(2, 100)
    g = (1 + r) ** 600
    exact = 100_000 * r * g / (g - 1)
    level = Fraction(half_up_fen(exact), 100)
    assert level == Fraction(200001, 100)
    balance = Fraction(100_000)
    for _ in range(599):
        balance = balance * (1 + r) - level
    last = balance * (1 + r)
    s = gjjcalc.equal_installment(100_000, "24%", 600)
    assert s.payment[0] == Decimal("2000.01")
    assert s.last_payment == Decimal(half_up_fen(last)) / 100 == Decimal("29711.37")


# --- a given payment must describe the loan ---


@pytest.mark.parametrize("given", [99999, "0.01", "3300", "3500"])
def test_a_given_payment_that_does_not_fit_the_state_is_refused(given):
    with pytest.raises(InputError, match=r"payment=.*current payment of a balance of 646609\.84 over 272 months"):
        gjjcalc.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272, payment=given,
                       amount=10000, on="2018-01-10", interest_from="2017-12-29", mode="shorten_term")
    with pytest.raises(InputError, match="payment="):
        gjjcalc.change_term(balance=646609.84, annual_rate=0.0325, remaining_months=272,
                            new_remaining_months=100, payment=given)


def test_the_seed_payment_is_accepted_as_the_current_payment():
    r = gjjcalc.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272, payment=3362.48,
                       amount=10000, on="2018-01-10", interest_from="2017-12-29", mode="shorten_term")
    assert (r.remaining_months, r.payment) == (266, Decimal("3362.48"))


def test_lower_payment_never_raises_the_payment():
    # The kept 68.64 is below the level that repays 3034.91 over 47 months (68.66), so it stays.
    r = Fraction(31, 12000)
    rest = Fraction(303491, 100)
    g = (1 + r) ** 47
    assert half_up_fen(rest * r * g / (g - 1)) == 6866
    out = gjjcalc.prepay(balance="3035.21", annual_rate="0.031", remaining_months=47, payment="68.64",
                         amount="0.30", on="2031-08-18", interest_from="2031-08-15", mode="lower_payment")
    assert out.payment == Decimal("68.64")
    assert out.new_balance == Decimal("3034.91")


def test_lower_payment_leaving_a_balance_that_cannot_amortize_is_refused():
    with pytest.raises(InputError, match=r"amount=Decimal\('0.01'\).*shorten_term"):
        gjjcalc.prepay(balance="0.05", annual_rate="3%", remaining_months=600, amount="0.01",
                       on="2020-01-02", interest_from="2020-01-01", mode="lower_payment")


def test_new_remaining_months_zero_is_an_input_error():
    with pytest.raises(InputError, match="new_remaining_months=0"):
        gjjcalc.change_term(balance=646609.84, annual_rate=0.0325, remaining_months=272, new_remaining_months=0)


# --- dates at the ends of the calendar ---


def test_due_dates_past_year_9999_are_an_input_error():
    with pytest.raises(InputError, match=r"first_due=.*24th due date is in year 9999 or before"):
        gjjcalc.equal_installment(1000, "3%", 24, first_due="9999-01-28")
    s = gjjcalc.equal_installment(1000, "3%", 12, first_due="9999-01-28")
    assert s.due_dates is not None
    assert s.due_dates[-1] == date(9999, 12, 28)


# --- events and yes/no options ---


def test_events_coerce_what_the_api_accepts():
    from gjjcalc.loan import Prepayment, RateChange

    p = Prepayment("2018-01-10", "10,000.00", "shorten_term")
    assert (p.on, p.amount, p.mode.value) == (date(2018, 1, 10), Fraction(10000), "shorten_term")
    assert RateChange("2023-01-01", "3.1%").annual_rate == Fraction(31, 1000)


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda p, r: p(date(2018, 1, 10), -5, "lower_payment"), "amount"),
        (lambda p, r: p(date(2018, 1, 10), 1000, "sideways"), "mode"),
        (lambda p, r: p("2018-13-01", 1000, "lower_payment"), "on"),
        (lambda p, r: p(date(2018, 1, 10), 1000, "lower_payment", "yes"), "recompute_payment"),
        (lambda p, r: r(date(2023, 1, 1), Fraction(5)), "annual_rate"),
        (lambda p, r: r(date(2023, 1, 1), "-1%"), "annual_rate"),
    ],
)
def test_a_bad_event_field_is_an_input_error_naming_it(build, name):
    from gjjcalc.loan import Prepayment, RateChange

    with pytest.raises(InputError, match=f"^{name}="):
        build(Prepayment, RateChange)


def test_garbage_events_are_refused_with_their_position():
    from gjjcalc.loan import RateChange

    loan = gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28")
    with pytest.raises(InputError, match=r"events\[1\]="):
        loan.with_events(RateChange("2020-01-01", "3.1%"), "garbage")  # type: ignore[arg-type]


@pytest.mark.parametrize("flag", ["yes", 1, "False", None])
def test_yes_no_options_take_booleans_only(flag):
    with pytest.raises(InputError, match="recompute_payment="):
        gjjcalc.prepay(balance=646609.84, annual_rate=0.0325, remaining_months=272, amount=10000,
                       on="2018-01-10", interest_from="2017-12-29", mode="shorten_term",
                       recompute_payment=flag)
    with pytest.raises(InputError, match="enforce="):
        gjjcalc.Loan(690000, "3.25%", 300, released="2015-08-28", pack="jilin", enforce=flag)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: gjjcalc.Loan(1000, "3%", 24, released="9999-06-01"), "released"),
        (lambda: gjjcalc.Loan(1000, "3%", 24, released="2020-01-01", first_due="9999-01-01"), "first_due"),
        (lambda: gjjcalc.prepay(balance=1000, annual_rate="3%", remaining_months=24, amount=100,
                                on="2020-01-01", interest_from="2020-01-01", mode="shorten_term",
                                maturity="0001-01-01"), "maturity"),
        (lambda: gjjcalc.change_term(balance=1000, annual_rate="3%", remaining_months=24,
                                     new_remaining_months=600, maturity="9999-01-01"), "maturity"),
    ],
)
def test_dates_pushed_past_the_calendar_are_input_errors(call, name):
    with pytest.raises(InputError, match=f"^{name}="):
        call()


def test_float_noise_on_whole_fen_is_that_amount_as_in_the_batch_engine() -> None:
    # Found: gjjcalc.payment(0.1 + 0.2, ...) was refused (0.30000000000000004 has 17 places) while
    # gjjcalc.batch read the same float as 30 fen
    assert 0.1 + 0.2 == 0.30000000000000004
    assert to_amount(0.1 + 0.2, "amount") == Fraction(3, 10)
    assert to_amount(700000 * 0.9999999999999999, "principal") == 700000  # 699999.9999999999
    for typed in (3362.485, 100.00001, 0.001, -1e-10):
        with pytest.raises(InputError, match="principal"):
            to_amount(typed, "principal")
    assert gjjcalc.payment(0.1 + 0.2, "3%", 1) == Decimal("0.30")


@given(st.one_of(st.floats(-1, 1e10), st.integers(-100, 10**11).map(lambda f: f / 100), st.just(float("nan"))))
def test_the_scalar_and_the_batch_read_a_float_amount_alike(value: float) -> None:
    np = pytest.importorskip("numpy")
    from gjjcalc import batch

    try:
        scalar = to_amount(value, "principal")
    except InputError:
        scalar = None
    if value > 1e9:  # (the batch's own limit is 1e9 yuan)
        return
    got = batch.payments(np.array([value]), 0.0, 1, errors="mask")
    batch_reads = None if np.ma.is_masked(got[0]) else Fraction(round(float(got[0]) * 100), 100)
    assert scalar == batch_reads, value
