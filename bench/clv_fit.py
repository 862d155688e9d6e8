"""CLV model fitting speed: CDNOW (2,357 customers) and synthetic logs (100k, 1M customers).

Figures are printed as seconds and as ratios against references run in the same process:

- RFM summary (polars) against the same summary written with pandas groupby;
- a full BG/NBD fit against ``lifetimes.BetaGeoFitter().fit`` (lifetimes 0.11.3, the
  issue's reference) on the same arrays, each with its likelihood evaluations counted by
  a wrapper (ours: ``clv._bgnbd_negative_and_gradient``, value and gradient in one call;
  lifetimes: ``BetaGeoFitter._negative_log_likelihood``, which autograd calls once per
  value-and-gradient and once more for the Hessian of its standard errors), and the
  parameters of both. Up to ``--numeric-up-to`` customers, the fit before issue 14
  (L-BFGS-B with a numeric gradient on the ungrouped likelihood) is timed too;
- the Gamma-Gamma fit and the 12-month CLV (no reference).

Times are medians of interleaved runs (ours, reference, ours, …).

Usage: python -m bench.clv_fit [--customers 100000 1000000] [--numeric-up-to 100000]
"""

from __future__ import annotations

import argparse
import warnings
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scipy import optimize

from bench import CPU, interleaved
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
    """Wraps a function and counts its calls during a fit."""

    def __init__(self, inner):
        self.calls = 0
        self.inner = inner

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.inner(*args, **kwargs)


def numeric_fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, counter: Counted) -> np.ndarray:
    """The fit before issue 14: L-BFGS-B, numeric gradient, every customer's likelihood."""
    start = np.log([1.0, max(float(np.mean(T)), 1.0), 1.0, 1.0])
    result = optimize.minimize(lambda p: -float(np.sum(counter(np.exp(p), x, t_x, T))), start,
                               method="L-BFGS-B", options=clv._TIGHT)
    return np.exp(result.x)


def lifetimes_fitter():
    """lifetimes' BetaGeoFitter, or the reason it cannot be used here."""
    try:
        from lifetimes import BetaGeoFitter
    except Exception as error:  # noqa: BLE001 — any failure to import is reported, not fatal
        return None, f"{type(error).__name__}: {error}"
    return BetaGeoFitter, None


def fit_rows(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, repeats: int, numeric: bool):
    """Our fit and the references in turns; medians, evaluations per fit and parameters."""
    ours = Counted(clv._bgnbd_negative_and_gradient)
    work = {"ours": lambda: clv.fit_bgnbd(x, t_x, T)}
    fitter, why_not = lifetimes_fitter()
    theirs = None
    if fitter is not None:
        theirs = Counted(fitter._negative_log_likelihood)
        work["lifetimes"] = lambda: fitter().fit(x, t_x, T).params_
    if numeric or fitter is None:
        before = Counted(clv._bgnbd_loglik)
        work["numeric"] = lambda: numeric_fit(x, t_x, T, before)
    clv._bgnbd_negative_and_gradient = ours
    if theirs is not None:
        fitter._negative_log_likelihood = staticmethod(theirs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits = interleaved(repeats, **work)
    finally:
        clv._bgnbd_negative_and_gradient = ours.inner
        if theirs is not None:
            fitter._negative_log_likelihood = staticmethod(theirs.inner)
    cpu = dict(CPU)
    model = fits["ours"][1]
    mine = np.array([model.r, model.alpha, model.a, model.b])
    lines = [f"fit_bgnbd (analytic gradient) {fits['ours'][0] * 1000:9.1f} ms (cpu {cpu['ours'] * 1000:8.1f})   {ours.calls / repeats:5.0f} evaluations"
             f" (counted)   r={mine[0]:.5f} α={mine[1]:.5f} a={mine[2]:.5f} b={mine[3]:.5f}"]
    if fitter is None:
        lines.append(f"lifetimes: not run ({why_not}); the reference below is NOT the issue's")
    else:
        seconds, params = fits["lifetimes"]
        other = params[["r", "alpha", "a", "b"]].to_numpy()
        lines.append(f"lifetimes BetaGeoFitter.fit   {seconds * 1000:9.1f} ms (cpu {cpu['lifetimes'] * 1000:8.1f})   {theirs.calls / repeats:5.0f} evaluations"
                     f" (counted)   r={other[0]:.5f} α={other[1]:.5f} a={other[2]:.5f} b={other[3]:.5f}")
        lines.append(f"  ratio ours/lifetimes {fits['ours'][0] / seconds:5.2f}   parameters differ by at most"
                     f" {np.max(np.abs(mine / other - 1)):.1e} (relative)")
    if "numeric" in fits:
        seconds, other = fits["numeric"]
        lines.append(f"numeric-gradient fit (before) {seconds * 1000:9.1f} ms (cpu {cpu['numeric'] * 1000:8.1f})   {before.calls / repeats:5.0f} evaluations"
                     f" (counted)   r={other[0]:.5f} α={other[1]:.5f} a={other[2]:.5f} b={other[3]:.5f}")
        lines.append(f"  ratio ours/numeric {fits['ours'][0] / seconds:5.2f}   parameters differ by at most"
                     f" {np.max(np.abs(mine / other - 1)):.1e} (relative)")
    return model, lines


def run(name: str, log, end: date, repeats: int, numeric: bool) -> None:
    pandas_log = log.to_pandas()
    pandas_log["date"] = pd.to_datetime(pandas_log["date"])
    timed = interleaved(repeats, ours=lambda: clv.rfm_summary(log, observation_end=end),
                        pandas=lambda: pandas_rfm(pandas_log, end))
    (ours, summary), (reference, _) = timed["ours"], timed["pandas"]
    x, t_x, T, m = (summary[c].to_numpy().astype(float) for c in ("frequency", "recency", "T", "monetary"))
    model, fit_lines = fit_rows(x, t_x, T, repeats, numeric)
    distinct = clv._group_rfm(x, t_x, T)[-1].size
    gg = interleaved(repeats, gg=lambda: clv.fit_gamma_gamma(x, m))["gg"]
    scored = interleaved(repeats, clv=lambda: clv.customer_lifetime_value(model, gg[1], x, t_x, T, m, 12, 0.01))["clv"]
    print(f"\n## {name}: {summary.height:,} customers ({distinct:,} distinct (x, t_x, T)), {log.height:,} purchases"
          f" (medians of {repeats} runs)")
    print(f"rfm_summary (polars)        {ours * 1000:8.1f} ms   pandas reference {reference * 1000:8.1f} ms"
          f"   ratio {ours / reference:5.2f}")
    print("\n".join(fit_lines))
    print(f"fit_gamma_gamma             {gg[0] * 1000:8.1f} ms   (p={gg[1].p:.2f} q={gg[1].q:.2f} v={gg[1].v:.2f})")
    print(f"12-month CLV for everyone   {scored[0] * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--numeric-up-to", type=int, default=100_000,
                        help="also time the numeric-gradient fit up to this many customers")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    run("CDNOW sample", clv.read_cdnow(str(CDNOW)), date(1997, 9, 30), args.repeats, True)
    for customers in args.customers:
        synthetic = clv.simulate_log(customers, seed=7)
        run("Synthetic log (CDNOW parameters)", synthetic, date(2024, 1, 1) + timedelta(weeks=39), args.repeats,
            customers <= args.numeric_up_to)


if __name__ == "__main__":
    main()
