"""Print the seed center's real loan (seed 001, SPEC §2–3): ``python -m gjjcalc.demo``."""

from __future__ import annotations

import gjjcalc


def main() -> None:
    """Print the seed 001 loan's payment, its balance after 28 payments and schedule rows."""
    s = gjjcalc.equal_installment(690_000, "3.25%", 300, first_due="2015-09-28")
    print("Seed 001 loan: 690,000.00 yuan at 3.25% over 300 months, released 2015-08-28")
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
    for on, mode in (("2018-01-09", "lower_payment"), ("2018-01-10", "shorten_term")):
        r, _ = loan.prepay(amount=10_000, on=on, mode=mode)
        print(
            f"  prepay 10000 on {on} {mode:<13} interest {r.interest:>6}  total {r.total:>9}"
            f"  months {r.remaining_months}  payment {r.payment}  maturity {r.maturity}"
        )
    q = loan.payoff(on="2018-01-10")
    print(f"  pay off on 2018-01-10           interest {q.interest:>6}  total {q.total}")


if __name__ == "__main__":
    main()
