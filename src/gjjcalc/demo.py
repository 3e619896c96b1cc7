"""Print a center's real loan (吉林省住房公积金管理中心《个人网厅操作手册》): ``python -m gjjcalc.demo``."""

from __future__ import annotations

from typing import Literal

import gjjcalc


def main() -> None:
    """Print the Jilin manual loan's payment, its balance after 28 payments and schedule rows."""
    s = gjjcalc.equal_installment(690_000, "3.25%", 300, first_due="2015-09-28")
    print("The Jilin center's sample loan (吉林省住房公积金管理中心《个人网厅操作手册》): 690,000.00 yuan at 3.25% over 300 months, released 2015-08-28")
    print(f"  monthly payment (月还款额)            {s.first_payment:>12}   center shows 3362.48")
    print(f"  balance after 28 payments (center)   {s.balance_after(28):>12}   center shows 646609.84")
    ledger = gjjcalc.equal_installment(690_000, "3.25%", 300, convention="ledger")
    print(f"  balance after 28 payments (ledger)   {ledger.balance_after(28):>12}")
    print(f"  total interest (利息总额)             {s.total_interest:>12}")
    print(f"  total repayment (还款总额)            {s.total_payment:>12}")
    print()
    print(f"{'period':>6} {'due date':>10} {'payment':>10} {'principal':>10} {'interest':>9} {'balance':>11}")
    for row in list(s)[:3] + list(s)[26:29] + list(s)[-2:]:
        print(
            f"{row.period:>6} {row.due_date!s:>10} {row.payment:>10} {row.principal:>10}"
            f" {row.interest:>9} {row.balance:>11}"
        )
    _events()


def _events() -> None:
    loan = gjjcalc.Loan(690_000, "3.25%", 300, released="2015-08-28", pack="jilin")
    print()
    print("Prepayment and payoff trials (the center shows 9.93 / 3310.48, 10.83 / 266, 647310.33):")
    trials: tuple[tuple[str, Literal["lower_payment", "shorten_term"]], ...] = (
        ("2018-01-09", "lower_payment"), ("2018-01-10", "shorten_term"))
    for on, mode in trials:
        r, _ = loan.prepay(amount=10_000, on=on, mode=mode)
        print(
            f"  prepay 10000 on {on} {mode:<13} interest {r.interest:>6}  total {r.total:>9}"
            f"  months {r.remaining_months}  payment {r.payment}  maturity {r.maturity}"
        )
    q = loan.payoff(on="2018-01-10")
    print(f"  pay off on 2018-01-10           interest {q.interest:>6}  total {q.total}")
    _repricing()
    _portfolio()


def _repricing() -> None:
    tabled = gjjcalc.Loan(690_000, None, 300, released="2015-08-28", first_due="2015-09-28")
    print()
    print("The same loan on the benchmark tables, repriced each 1 January:")
    for on in ("2023-02-01", "2025-02-01", "2026-02-01"):
        st = tabled.state_on(on)
        print(f"  on {on}: rate {float(st.annual_rate):.2%}  payment {st.payment}")
    from gjjcalc.rules import loan_quota

    quota = loan_quota("liangshan", area="西昌市", house_price=5_000_000)
    print(f"  Liangshan quota in 西昌市 for a 5,000,000 house: {quota.amount} (bound by {quota.binding})")


def _portfolio(n: int = 1_000_000) -> None:
    import time

    import numpy as np

    from gjjcalc import batch

    rng = np.random.default_rng(2026)
    balance = rng.integers(10_000_000, 100_000_000, n) / 100  # 100,000 - 1,000,000 yuan, whole fen
    months = rng.integers(13, 361, n)
    old_rate = rng.choice([0.0325, 0.031, 0.0285], n)
    batch.payments(balance[:1], old_rate[:1], months[:1])  # compile (first run) or load the kernels
    batch.reprice(balance[:1], new_rate=0.026, remaining_months=months[:1])
    start = time.perf_counter()
    old = batch.payments(balance, old_rate, months)
    new = batch.reprice(balance, new_rate=0.026, remaining_months=months)
    seconds = time.perf_counter() - start
    print()
    print(f"A synthetic portfolio of {n:,} loans (balance, months left) moved to 2.6% on 2026-01-01:")
    print(f"  monthly payments fall by {old.sum() - new.sum():,.2f} yuan in all;"
          f" computed in {seconds * 1000:.0f} ms ({seconds / n * 1e9:.0f} ns a loan, both calls)")


if __name__ == "__main__":
    main()
