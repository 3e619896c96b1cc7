# %% [markdown]
# # The Jilin provincial center's loan: its schedule and three prepayment strategies
#
# The Jilin provincial center's personal online hall manual
# (吉林省住房公积金管理中心《个人网厅操作手册》; its screens show the accounting date 2018-01-05)
# shows a real loan: 690,000 yuan at 3.25% over 300 months, released 2015-08-28, first due
# 2015-09-28, paying 3362.48 a month. On 2018-01-10 the borrower tries
# prepaying 10,000 yuan. This script plots the schedule, then compares the
# two prepayment modes with not prepaying.
#
# Run it as a plain script (`python docs/examples/seed_loan.py [OUTPUT_DIR]`)
# or open it as a notebook with jupytext. It writes `seed_schedule.png` and
# `seed_prepayment.png` to `docs/img/`, or to `OUTPUT_DIR` or
# `$GJJCALC_IMG_DIR` when one is given.

# %%
from __future__ import annotations

import os
import sys
from pathlib import Path

import gjjcalc
from gjjcalc import plot


def output_dir() -> Path:
    """Where the PNGs go: $GJJCALC_IMG_DIR, the script's argument, or docs/img."""
    if os.environ.get("GJJCALC_IMG_DIR"):
        return Path(os.environ["GJJCALC_IMG_DIR"])
    here = globals().get("__file__")
    if here is None:  # a notebook kernel, started in docs/examples
        return Path.cwd().parent / "img"
    if len(sys.argv) > 1 and Path(sys.argv[0]).resolve() == Path(here).resolve():
        return Path(sys.argv[1])
    return Path(here).resolve().parent.parent / "img"


# %% [markdown]
# ## The loan and its schedule
#
# The `jilin` pack carries the center's rules, among them the start of
# interest accrual: the day after a due date.

# %%
loan = gjjcalc.Loan(
    690_000, "3.25%", 300, released="2015-08-28", first_due="2015-09-28", pack="jilin"
)
schedule = loan.schedule()
state = loan.state_on("2018-01-09")
print(f"payment {schedule.first_payment}, total interest {schedule.total_interest}")
print(f"on 2018-01-09: balance {state.balance}, {state.remaining_months} months left")

# %%
schedule_figure = plot.schedule(
    schedule, title="Jilin provincial center: 690,000 yuan at 3.25% over 300 months (equal installment)"
)

# %% [markdown]
# ## Prepaying 10,000 on 2018-01-10
#
# *Lower payment* keeps the maturity and recomputes the payment; *shorten
# term* keeps the payment and ends earlier. The center's own trial figures
# for the second: interest 10.83, 266 months left, maturity 2040-02-28.

# %%
for mode in ("lower_payment", "shorten_term"):
    result, _ = loan.prepay(amount=10_000, on="2018-01-10", mode=mode)
    print(
        f"{mode:<14} interest {result.interest:>6}  payment {result.payment}"
        f"  months left {result.remaining_months}  maturity {result.maturity}"
        f"  interest saved {result.interest_saved}"
    )

# %%
strategies_figure = plot.prepayment_strategies(loan, amount=10_000, on="2018-01-10")

# %% [markdown]
# ## Save the figures
#
# Only when run as a script or in a notebook: importing this file (as
# pytest's doctest collection does) writes nothing.

# %%
if __name__ == "__main__":
    out = output_dir()
    out.mkdir(parents=True, exist_ok=True)
    for name, figure in (
        ("seed_schedule.png", schedule_figure),
        ("seed_prepayment.png", strategies_figure),
    ):
        figure.savefig(out / name, dpi=100)
        print("wrote", out / name)
