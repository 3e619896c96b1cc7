# %% [markdown]
# # Repricing a portfolio of 100,000 loans on 2026-01-01
#
# The 2025-05-08 benchmark cut (>5 years: 2.85% → 2.6%; ≤5 years: 2.35% →
# 2.1%) reaches existing loans on 1 January 2026 (the national
# `next_january` rule: the Suzhou center's FAQ of 2020 and news of the 2025
# cut, listed under Sources in the Rates guide). This script builds a synthetic portfolio,
# looks up each loan's rate before and after in the shipped tables
# (`gjjcalc.rules.rates`), re-amortizes every balance with one call of
# `gjjcalc.batch.reprice`, and plots how the monthly payments change.
#
# Run it as a plain script (`python docs/examples/portfolio_repricing.py
# [OUTPUT_DIR]`) or open it as a notebook with jupytext. It writes
# `portfolio_repricing.png` to `docs/img/`, or to `OUTPUT_DIR` or
# `$GJJCALC_IMG_DIR` when one is given.

# %%
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from gjjcalc import batch, plot
from gjjcalc.rules import rates


def output_dir() -> Path:
    """Where the PNG goes: $GJJCALC_IMG_DIR, the script's argument, or docs/img."""
    if os.environ.get("GJJCALC_IMG_DIR"):
        return Path(os.environ["GJJCALC_IMG_DIR"])
    here = globals().get("__file__")
    if here is None:  # a notebook kernel, started in docs/examples
        return Path.cwd().parent / "img"
    if len(sys.argv) > 1 and Path(sys.argv[0]).resolve() == Path(here).resolve():
        return Path(sys.argv[1])
    return Path(here).resolve().parent.parent / "img"


# %% [markdown]
# ## A synthetic portfolio
#
# 100,000 loans still running on 2026-01-01 (a fixed seed, so the figure is
# reproducible): terms of 5 to 30 years, released between January 2016 and
# November 2025 (and late enough that the loan has not ended yet), amounts
# from 100,000 to 1,200,000 yuan in whole thousands, one loan in five
# repaying equal principal.

# %%
rng = np.random.default_rng(20260101)
N = 100_000
months = rng.choice([60, 120, 180, 240, 300, 360], size=N, p=[0.05, 0.1, 0.15, 0.2, 0.2, 0.3])
december = np.datetime64("2025-12", "M")
earliest = np.maximum(np.datetime64("2016-01", "M"), december - months + 1)
span = (december - earliest).astype(np.int64)  # release months to choose from: earliest .. 2025-11
released_month = earliest + rng.integers(0, span)
released = released_month.astype("datetime64[D]") + rng.integers(0, 28, size=N)
principal = np.round(rng.uniform(100, 1200, size=N)) * 1000.0
method = np.where(rng.random(N) < 0.2, "equal_principal", "equal_installment")

# Installments paid by 2025-12-31 (monthly, the first one month after release).
paid = (december - released_month).astype(np.int64)
print(f"{N:,} loans, {paid.min()} to {paid.max()} installments paid, {(months - paid).min()} or more left")

# %% [markdown]
# ## Rates before and after
#
# Under `next_january`, on 2025-12-31 a loan pays the benchmark of its tier
# as of 2024-12-31 (the 2024 cut reached it on 2025-01-01), or its contract
# rate if it was released in 2025. From 2026-01-01 it pays the benchmark as
# of 2025-12-31. The tier follows the original term (≤ 60 months: ≤5 years).

# %%
old_rate = rates.provident_rates(np.maximum(released, np.datetime64("2024-12-31")), months)
new_rate = rates.provident_rates(np.datetime64("2025-12-31"), months)
for before in np.unique(old_rate):
    after = np.unique(new_rate[old_rate == before])
    share = (old_rate == before).mean()
    print(f"{before:.4%} -> {', '.join(f'{r:.4%}' for r in after)}: {share:.1%} of the loans")

# %% [markdown]
# ## Balances and payments
#
# The balance on 2026-01-01 is taken as if each loan had always paid its
# 2025 rate (a synthetic portfolio; a real one reads its balances from the
# ledger). `batch.reprice` re-amortizes each balance over the months left:
# at the old rate it gives the payment before, at the new rate the payment
# after (equal principal: the same principal part, new interest).

# %%
balance = batch.balances_after(principal, old_rate, months, k=paid, method=method)
remaining = months - paid
old_payment = batch.reprice(balance, new_rate=old_rate, remaining_months=remaining, method=method)
new_payment = batch.reprice(balance, new_rate=new_rate, remaining_months=remaining, method=method)
change = new_payment - old_payment
print(f"median change {np.median(change):+.2f} yuan a month; unchanged: {(change == 0).mean():.1%}")
print(f"the portfolio's monthly payments fall by {-change.sum():,.2f} yuan")

# %%
figure = plot.repricing_histogram(
    old_payment,
    new_payment,
    bins=60,
    title=f"Repricing on 2026-01-01: change in monthly payment, {change.size:,} loans",
)

# %% [markdown]
# ## Save the figure
#
# Only when run as a script or in a notebook: importing this file (as
# pytest's doctest collection does) writes nothing.

# %%
if __name__ == "__main__":
    out = output_dir()
    out.mkdir(parents=True, exist_ok=True)
    figure.savefig(out / "portfolio_repricing.png", dpi=100)
    print("wrote", out / "portfolio_repricing.png")
