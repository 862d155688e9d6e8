"""CLV model fitting speed: CDNOW (2,357 customers) and a synthetic 100k-customer log.

Figures are printed as seconds and as ratios against references run in the same process:

- RFM summary (polars) against the same summary written with pandas groupby;
- a full BG/NBD fit against one evaluation of its log-likelihood (how many likelihood
  evaluations the fit costs), and the same for Gamma-Gamma.

Usage: python -m bench.clv_fit [--customers 100000]
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from bench import best_of
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


def run(name: str, log, end: date, repeats: int) -> None:
    pandas_log = log.to_pandas()
    pandas_log["date"] = pd.to_datetime(pandas_log["date"])
    ours, summary = best_of(repeats, lambda: clv.rfm_summary(log, observation_end=end))
    reference, _ = best_of(repeats, lambda: pandas_rfm(pandas_log, end))
    x, t_x, T, m = (summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary"))
    fit_time, model = best_of(repeats, lambda: clv.fit_bgnbd(x, t_x, T))
    params = np.array([model.r, model.alpha, model.a, model.b])
    one_eval, _ = best_of(max(repeats, 5), lambda: clv._bgnbd_loglik(params, x, t_x, T).sum())
    gg_time, gg = best_of(repeats, lambda: clv.fit_gamma_gamma(x, m))
    score_time, _ = best_of(repeats, lambda: clv.customer_lifetime_value(model, gg, x, t_x, T, m, 12, 0.01))
    print(f"\n## {name}: {summary.height:,} customers, {log.height:,} purchases")
    print(f"rfm_summary (polars)        {ours * 1000:8.1f} ms   pandas reference {reference * 1000:8.1f} ms"
          f"   ratio {ours / reference:5.2f}")
    print(f"fit_bgnbd                   {fit_time * 1000:8.1f} ms   = {fit_time / one_eval:6.0f} likelihood evaluations"
          f"   (r={model.r:.3f} α={model.alpha:.3f} a={model.a:.3f} b={model.b:.3f})")
    print(f"fit_gamma_gamma             {gg_time * 1000:8.1f} ms   (p={gg.p:.2f} q={gg.q:.2f} v={gg.v:.2f})")
    print(f"12-month CLV for everyone   {score_time * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    run("CDNOW sample", clv.read_cdnow(str(CDNOW)), date(1997, 9, 30), repeats=5)
    synthetic = clv.simulate_log(args.customers, seed=7)
    run(f"Synthetic log (CDNOW parameters)", synthetic, date(2024, 1, 1) + timedelta(weeks=39), repeats=3)


if __name__ == "__main__":
    main()
