"""CLV models on the real CDNOW purchase log: summary and published parameters."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import optimize

from cxlib.analytics import clv
from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError

DATA = Path(__file__).resolve().parents[3] / "data" / "cdnow"
CALIBRATION_END = date(1997, 9, 30)


@pytest.fixture(scope="module")
def log():
    return clv.read_cdnow(str(DATA / "CDNOW_sample.txt"))


@pytest.fixture(scope="module")
def summary(log):
    return clv.rfm_summary(log, customer="customer", at="date", value="value",
                           observation_end=CALIBRATION_END, unit="W")


def test_rfm_summary_reproduces_the_shipped_weekly_summary(summary):
    shipped = pl.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")
    assert summary.height == shipped.height == 2357
    joined = summary.join(shipped, left_on="customer", right_on="ID", how="inner")
    assert joined.height == 2357
    assert (joined["frequency"] == joined["x"]).all()
    # The shipped file rounds to two decimals.
    for ours, theirs in (("recency", "t_x"), ("T", "T"), ("monetary", "zbar")):
        assert (joined[ours] - joined[theirs]).abs().max() <= 0.005 + 1e-9, ours


def test_bgnbd_reproduces_published_parameters(summary):
    model = clv.fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    assert model.r == pytest.approx(0.243, abs=0.001)
    assert model.alpha == pytest.approx(4.414, abs=0.01)
    assert model.a == pytest.approx(0.793, abs=0.001)
    assert model.b == pytest.approx(2.426, abs=0.005)
    assert model.loglik == pytest.approx(-9582.4, abs=0.1)  # Fader, Hardie & Lee (2005)


def test_gamma_gamma_reproduces_published_parameters(summary):
    model = clv.fit_gamma_gamma(summary["frequency"], summary["monetary"])
    assert model.n == 946
    assert model.p == pytest.approx(6.25, abs=0.01)
    assert model.q == pytest.approx(3.74, abs=0.01)
    assert model.v == pytest.approx(15.44, abs=0.02)


def test_predictions_are_sensible(summary):
    model = clv.BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426, loglik=0, n=0)
    # Customer with no repeat purchase is certainly alive (BG/NBD assumption).
    assert model.p_alive([0], [0], [38.86])[0] == pytest.approx(1.0)
    # More recent activity → more likely alive and more expected purchases.
    alive = model.p_alive([5, 5], [10, 35], [38.86, 38.86])
    assert alive[0] < alive[1]
    expected = model.expected_purchases(39, [5, 5], [10, 35], [38.86, 38.86])
    assert expected[0] < expected[1]
    # Known value for customer 1 of CDNOW (x=2, t_x=30.43, T=38.86) over 39 weeks.
    assert model.expected_purchases(39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=0.002)


def test_large_frequencies_stay_finite():
    model = clv.BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426, loglik=0, n=0)
    values = model.p_alive([2000], [500.0], [520.0])
    assert np.isfinite(values).all() and 0 < values[0] <= 1
    fit = clv.fit_bgnbd([0, 1, 300, 2000, 4], [0, 3, 400, 510, 20], [520, 520, 520, 520, 520])
    assert all(np.isfinite([fit.r, fit.alpha, fit.a, fit.b, fit.loglik]))


def test_clv_per_customer_discounts_and_grows_with_horizon(summary):
    bgnbd = clv.fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    gg = clv.fit_gamma_gamma(summary["frequency"], summary["monetary"])
    args = (summary["frequency"], summary["recency"], summary["T"], summary["monetary"])
    twelve = clv.customer_lifetime_value(bgnbd, gg, *args, months=12, discount_rate=0.01)
    six = clv.customer_lifetime_value(bgnbd, gg, *args, months=6, discount_rate=0.01)
    undiscounted = clv.customer_lifetime_value(bgnbd, gg, *args, months=12, discount_rate=0.0)
    assert len(twelve) == 2357 and (twelve >= 0).all()
    assert (twelve >= six).all() and (undiscounted >= twelve).all()
    # Undiscounted CLV equals expected spend × expected purchases over 12 months.
    weeks = 12 * clv.DAYS_PER_MONTH / 7
    direct = gg.expected_average_value(summary["frequency"], summary["monetary"]) * bgnbd.expected_purchases(
        weeks, summary["frequency"], summary["recency"], summary["T"]
    )
    assert np.allclose(undiscounted, direct)


def test_same_day_purchases_count_once():
    log = pl.DataFrame({
        "customer": ["a", "a", "a", "b"],
        "date": [date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 8), date(2024, 1, 15)],
        "value": [10.0, 5.0, 7.0, 3.0],
    })
    out = clv.rfm_summary(log, observation_end=date(2024, 1, 29), unit="W").sort("customer")
    assert out.row(0, named=True) == {"customer": "a", "frequency": 1, "recency": 1.0, "T": 4.0, "monetary": 12.0}
    assert out.row(1, named=True)["monetary"] == 0.0


@pytest.mark.parametrize(
    "frame, column, message",
    [
        (pl.DataFrame({"customer": [], "date": [], "value": []}, schema={"customer": pl.String, "date": pl.Date, "value": pl.Float64}), None, "empty"),
        (pl.DataFrame({"customer": ["a", "b"], "date": [date(2024, 1, 1)] * 2, "value": [1.0, -2.0]}), "value", "row 2"),
        (pl.DataFrame({"customer": ["a"], "date": ["2024-01-01"], "value": [1.0]}), "date", "must hold dates"),
    ],
)
def test_bad_logs_are_refused_with_a_clear_message(frame, column, message):
    with pytest.raises(clv.TransactionError) as raised:
        clv.rfm_summary(frame)
    assert message in str(raised.value) and raised.value.column == column


def test_all_purchases_after_the_end_is_an_error():
    log = pl.DataFrame({"customer": ["a"], "date": [date(2024, 5, 1)], "value": [1.0]})
    with pytest.raises(clv.TransactionError, match="on or before the observation end"):
        clv.rfm_summary(log, observation_end=date(2024, 1, 1))
    assert clv.after_end(log, "date", date(2024, 1, 1)) == 1


def read_log(text: str) -> pl.DataFrame:
    """A purchase log CSV through the import pipeline, with the suggested mapping."""
    table = pipeline.open_file(text.encode(), "log.csv")
    return clv.log_from(pipeline.read(table, clv.PURCHASES, pipeline.suggest(table, clv.PURCHASES)))


def test_purchase_log_reads_local_dates_and_decimal_commas():
    out = read_log("customer;date;amount\n1;31.01.2024;12,50\n2;01.02.2024;3\n")
    assert out["date"].to_list() == [date(2024, 1, 31), date(2024, 2, 1)]
    assert out["value"].to_list() == [12.5, 3.0]
    with pytest.raises(FileError, match=r"line\(s\) 3"):
        read_log("customer,date,amount\n1,2024-01-31,1\n2,soon,2\n")


def test_purchase_log_with_two_digit_years_is_not_read_as_year_10():
    out = read_log("CustomerID,InvoiceDate,Amount\n17850,12/1/10 8:26,15.30\n17850,12/13/10 9:01,20.00\n")
    assert out["date"].to_list() == [date(2010, 12, 1), date(2010, 12, 13)]


def test_negative_values_are_refused_with_their_lines():
    with pytest.raises(clv.TransactionError, match=r"line\(s\) 3"):
        read_log("customer,date,amount\n1,2024-01-31,10\n1,2024-02-01,-10\n")


def test_a_diverging_spend_fit_is_refused_not_shown():
    # Every repeat purchase worth the same: the Gamma-Gamma likelihood has no maximum
    # (q runs off to infinity); the fit must say so instead of showing numbers.
    with pytest.raises(clv.TransactionError, match="do not vary"):
        clv.fit_gamma_gamma([1, 2, 3, 1], [10.0, 10.0, 10.0, 10.0])
    with pytest.raises(clv.TransactionError) as raised:
        clv.fit_gamma_gamma([1, 1, 2, 1, 3], [10.0, 10.5, 10.0, 9.5, 10.0])
    assert raised.value.code in ("fit_degenerate", "fit_not_converged")
    with pytest.raises(clv.TransactionError, match="more than once"):
        clv.fit_bgnbd([0, 0, 0], [0, 0, 0], [5, 6, 7])


def test_analyse_and_at_risk(log):
    analysis = clv.analyse(log, CALIBRATION_END, horizon_periods=39)
    assert analysis.left_out == log.filter(pl.col("date") > CALIBRATION_END).height > 0
    risky = clv.at_risk(analysis.scored, limit=10)
    assert risky.height == 10 and (risky["p_alive"] < 0.5).all()
    assert risky["past_value"].is_sorted(descending=True)
    # The log runs to 1998-06-30, 39 weeks after the calibration end: a real hold-out.
    assert analysis.holdout_actual > 0
    assert clv.holdout_purchases(log, CALIBRATION_END, horizon_periods=80) is None


def test_fit_recovers_the_parameters_of_a_simulated_log():
    log = clv.simulate_log(20_000, seed=1)
    summary = clv.rfm_summary(log, observation_end=date(2024, 1, 1) + timedelta(weeks=39))
    bgnbd = clv.fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    assert bgnbd.r == pytest.approx(0.243, abs=0.03)
    assert bgnbd.a == pytest.approx(0.793, abs=0.15) and bgnbd.b == pytest.approx(2.426, abs=0.5)
    gg = clv.fit_gamma_gamma(summary["frequency"], summary["monetary"])
    assert gg.p == pytest.approx(6.25, abs=0.6) and gg.q == pytest.approx(3.74, abs=0.3)


def _rfm_arrays(summary):
    return tuple(summary[c].to_numpy().astype(float) for c in ("frequency", "recency", "T"))


def _random_rfm(seed, n=500):
    rng = np.random.default_rng(seed)
    T = rng.uniform(1, 60, n).round(1)
    x = np.where(rng.random(n) < 0.4, 0, rng.integers(1, 40, n)).astype(float)
    t_x = np.where(x > 0, (T * rng.random(n)).round(1), 0.0)
    # Duplicate rows, so the grouping by (x, t_x, T) has weights above 1.
    pick = rng.integers(0, n, 2 * n)
    return x[pick], t_x[pick], T[pick]


@pytest.mark.parametrize("point", [[0.243, 4.414, 0.793, 2.426], [1.0, 20.0, 1.0, 1.0], [0.05, 0.3, 5.0, 0.2],
                                   [3.0, 1.0, 0.4, 12.0]])
@pytest.mark.parametrize("data", ["cdnow", "random"])
def test_bgnbd_analytic_gradient_matches_finite_differences(summary, data, point):
    x, t_x, T = _rfm_arrays(summary) if data == "cdnow" else _random_rfm(3)
    grouped = clv._group_rfm(x, t_x, T)
    log_params = np.log(point)
    value, gradient = clv._bgnbd_negative_and_gradient(log_params, grouped)
    # The grouped value with weights is the per-customer likelihood summed.
    assert value == pytest.approx(-np.sum(clv._bgnbd_loglik(np.array(point), x, t_x, T)), rel=1e-12)
    # Central differences (error ~h², h = 1e-5) and scipy's forward-difference check_grad.
    h = 1e-5
    central = np.array([
        (clv._bgnbd_negative_and_gradient(log_params + h * e, grouped)[0]
         - clv._bgnbd_negative_and_gradient(log_params - h * e, grouped)[0]) / (2 * h)
        for e in np.eye(4)
    ])
    np.testing.assert_allclose(gradient, central, rtol=1e-6, atol=1e-6 * np.abs(value))
    error = optimize.check_grad(lambda p: clv._bgnbd_negative_and_gradient(p, grouped)[0],
                                lambda p: clv._bgnbd_negative_and_gradient(p, grouped)[1], log_params)
    assert error <= 1e-6 * max(np.linalg.norm(gradient), np.abs(value))


def test_bgnbd_groups_identical_customers():
    x, t_x, T = _random_rfm(5)
    xs, ts, Ts, ix, it, iT, weights = clv._group_rfm(x, t_x, T)
    assert weights.sum() == x.size
    rows = set(zip(xs[ix], ts[it], Ts[iT]))
    assert rows == set(zip(x, t_x, T)) and len(rows) == weights.size


def test_bgnbd_analytic_fit_equals_the_numeric_gradient_fit(summary):
    """The analytic-gradient fit finds the numeric-gradient fit's optimum (the fit before
    issue 14: L-BFGS-B on the ungrouped likelihood with finite differences)."""
    x, t_x, T = _rfm_arrays(summary)
    start = np.log([1.0, max(float(np.mean(T)), 1.0), 1.0, 1.0])
    numeric = optimize.minimize(lambda p: -float(np.sum(clv._bgnbd_loglik(np.exp(p), x, t_x, T))), start,
                                method="L-BFGS-B", options=clv._TIGHT)
    model = clv.fit_bgnbd(x, t_x, T)
    # The surface is flat near the optimum: both stop within 1e-4 of each other in the
    # parameters, 1e-11 in the log-likelihood (the analytic one is not the lower).
    np.testing.assert_allclose([model.r, model.alpha, model.a, model.b], np.exp(numeric.x), rtol=1e-4)
    assert model.loglik == pytest.approx(-numeric.fun, rel=1e-11)
    assert model.loglik >= -numeric.fun - 1e-9


def test_a_fractional_frequency_is_refused_not_fitted():
    """Repeat purchases are counted: 0.5 would put b + x − 1 below zero in the likelihood."""
    with pytest.raises(ValueError, match="whole number"):
        clv.fit_bgnbd([0.5, 2, 3], [1.0, 5.0, 8.0], [10.0, 10.0, 10.0])
