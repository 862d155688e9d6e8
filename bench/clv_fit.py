"""CLV model fitting speed: CDNOW (2,357 customers) and a synthetic 100k-customer log.

Figures are printed as seconds and as ratios against references run in the same process:

- RFM summary (polars) against the same summary written with pandas groupby;
- a full BG/NBD fit, with the number of log-likelihood evaluations it made, counted by a
  wrapper around ``clv._bgnbd_loglik`` (not fit time ÷ one evaluation's time), and the
  Gamma-Gamma fit.

Times are medians of interleaved runs (ours, reference, ours, …).

Usage: python -m bench.clv_fit [--customers 100000]
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from bench import interleaved
from cxlib.analytics import clv

CDNOW = Path(__file__).resolve().parent.parent / "data" / "cdnow" / "CDNOW_sample.txt"


def pandas_rfm(log: pd.DataFrame, end: date) -> pd.DataFrame:
    """The reference: the same RFM summary with pandas."""
    log = log[log["date"] <= pd.Timestamp(end)]
    daily = log.groupby(["customer", "date"], as_index=False)["value"].sum()
    grouped = daily.groupby("customer")
    first, last = grouped["date"].min(), grouped["date"].max()
    frequency = grouped.size() - 1
    repeat_total = grouped["value"].sum() - daily.sort_values("date").groupby("customer")["value"].first()
    return pd.DataFrame({
        "frequency": frequency,
        "recency": (last - first).dt.days / 7,
        "T": (pd.Timestamp(end) - first).dt.days / 7,
        "monetary": (repeat_total / frequency.replace(0, np.nan)).fillna(0.0),
    })


class Counted:
    """Wraps ``clv._bgnbd_loglik`` and counts its calls during a fit."""

    def __init__(self):
        self.calls = 0
        self.inner = clv._bgnbd_loglik

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.inner(*args, **kwargs)


def run(name: str, log, end: date, repeats: int) -> None:
    pandas_log = log.to_pandas()
    pandas_log["date"] = pd.to_datetime(pandas_log["date"])
    timed = interleaved(repeats, ours=lambda: clv.rfm_summary(log, observation_end=end),
                        pandas=lambda: pandas_rfm(pandas_log, end))
    (ours, summary), (reference, _) = timed["ours"], timed["pandas"]
    x, t_x, T, m = (summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary"))
    counter = Counted()
    clv._bgnbd_loglik = counter
    try:
        fits = interleaved(repeats, fit=lambda: clv.fit_bgnbd(x, t_x, T))
    finally:
        clv._bgnbd_loglik = counter.inner
    fit_time, model = fits["fit"]
    evaluations = counter.calls / repeats
    gg = interleaved(repeats, gg=lambda: clv.fit_gamma_gamma(x, m))["gg"]
    scored = interleaved(repeats, clv=lambda: clv.customer_lifetime_value(model, gg[1], x, t_x, T, m, 12, 0.01))["clv"]
    print(f"\n## {name}: {summary.height:,} customers, {log.height:,} purchases (medians of {repeats} runs)")
    print(f"rfm_summary (polars)        {ours * 1000:8.1f} ms   pandas reference {reference * 1000:8.1f} ms"
          f"   ratio {ours / reference:5.2f}")
    print(f"fit_bgnbd                   {fit_time * 1000:8.1f} ms   {evaluations:6.0f} likelihood evaluations (counted)"
          f"   (r={model.r:.3f} α={model.alpha:.3f} a={model.a:.3f} b={model.b:.3f})")
    print(f"fit_gamma_gamma             {gg[0] * 1000:8.1f} ms   (p={gg[1].p:.2f} q={gg[1].q:.2f} v={gg[1].v:.2f})")
    print(f"12-month CLV for everyone   {scored[0] * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    run("CDNOW sample", clv.read_cdnow(str(CDNOW)), date(1997, 9, 30), repeats=5)
    synthetic = clv.simulate_log(args.customers, seed=7)
    run(f"Synthetic log (CDNOW parameters)", synthetic, date(2024, 1, 1) + timedelta(weeks=39), repeats=5)


if __name__ == "__main__":
    main()
