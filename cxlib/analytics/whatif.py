"""What-if arithmetic for LTV and churn: every result carries its formula.

Three calculators, all pure functions of their inputs:

- simple CLV (average order value × purchase frequency × lifespan × margin), and the
  comparison the source articles make: doubling the order value is usually easier than
  doubling the conversion rate;
- subscription LTV (ARPU × margin ÷ monthly churn) with churn conversions, revenue at risk,
  LTV:CAC and CAC payback;
- the chain from fixing a journey pain point to money: a satisfaction lift, the churn it
  saves, the retention curve, LTV and revenue, each with a low/expected/high range.

Scenarios (named sets of inputs) are saved in the workbook through the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cxlib.l10n.formats import Formatter
from cxlib.l10n.i18n import t
from cxlib.storage import records
from cxlib.storage.store import Store, ValidationError

MAX_LIFETIME_MONTHS = 120  # cap used when churn is 0, so LTV stays finite
KINDS = ("simple", "subscription", "chain")


@dataclass(frozen=True)
class Figure:
    """A number with the formula that produced it, filled in with the inputs."""

    value: float
    formula: str
    warning: str | None = None


def _require(values: dict[str, float], rules: dict[str, tuple[float, float | None]]) -> None:
    """Check each input is a number within [low, high]; name the first field that is not."""
    for name, (low, high) in rules.items():
        value = values.get(name)
        if value is None or not isinstance(value, (int, float)) or math.isnan(value):
            raise ValidationError(f"{name} must be a number", field=name, rule="number")
        if value < low or (high is not None and value > high):
            raise ValidationError(
                f"{name} must be between {low} and {high}", field=name, rule="range",
                low=low, high=high,
            )


# -- churn conversions -------------------------------------------------------------------


def annual_from_monthly(monthly: float) -> float:
    """Annual churn from monthly churn: 1 − (1 − m)^12 (never 12·m)."""
    return 1 - (1 - monthly) ** 12


def monthly_from_annual(annual: float) -> float:
    """Monthly churn from annual churn: 1 − (1 − a)^(1/12)."""
    return 1 - (1 - annual) ** (1 / 12)


def annual_formula(monthly: float, fmt: Formatter) -> str:
    """1 − (1 − m)^12 filled in with the monthly churn, in the language's digits."""
    one, twelve = fmt.number(1), fmt.number(12)
    return f"{one} − ({one} − {fmt.percent(monthly, 2)})^{twelve} = {fmt.percent(annual_from_monthly(monthly), 2)}"


def monthly_formula(annual: float, fmt: Formatter) -> str:
    """1 − (1 − a)^(1/12) filled in with the annual churn."""
    one, twelve = fmt.number(1), fmt.number(12)
    return (f"{one} − ({one} − {fmt.percent(annual, 1)})^({one}/{twelve}) = "
            f"{fmt.percent(monthly_from_annual(annual), 2)}")


def retention_curve(monthly_churn: float, months: int) -> list[float]:
    """Share of today's customers still active after k months, k = 0…months."""
    return [(1 - monthly_churn) ** k for k in range(months + 1)]


# -- simple CLV --------------------------------------------------------------------------


SIMPLE_RULES = {
    "average_order_value": (0.0, None),
    "purchases_per_year": (0.0, None),
    "lifespan_years": (0.0, None),
    "gross_margin": (0.0, 1.0),
    "visitors": (0.0, None),
    "conversion_rate": (0.0, 1.0),
    "marketing_spend": (0.0, None),
}


@dataclass(frozen=True)
class SimpleResult:
    clv: Figure
    customers: Figure
    total_value: Figure
    cac: Figure | None


def simple_clv(inputs: dict[str, float], fmt: Formatter | None = None) -> SimpleResult:
    """CLV = AOV × purchases per year × lifespan × margin; customers = visitors × conversion.

    Formulas are written with ``fmt`` (the language's digits and separators).
    """
    _require(inputs, SIMPLE_RULES)
    fmt = fmt or Formatter()
    money, whole, share = (lambda v: fmt.number(v, 2)), fmt.number, fmt.percent
    aov, freq = inputs["average_order_value"], inputs["purchases_per_year"]
    years, margin = inputs["lifespan_years"], inputs["gross_margin"]
    visitors, conversion = inputs["visitors"], inputs["conversion_rate"]
    clv = aov * freq * years * margin
    customers = visitors * conversion
    spend = inputs["marketing_spend"]
    return SimpleResult(
        clv=Figure(clv, f"{money(aov)} × {money(freq)} × {money(years)} × {share(margin)} = {money(clv)}"),
        customers=Figure(customers, f"{whole(visitors)} × {share(conversion, 2)} = {whole(customers)}"),
        total_value=Figure(
            customers * clv, f"{whole(customers)} × {money(clv)} = {money(customers * clv)}"
        ),
        cac=Figure(spend / customers, f"{money(spend)} ÷ {whole(customers)} = {money(spend / customers)}")
        if customers
        else None,
    )


def double_aov_vs_conversion(inputs: dict[str, float]) -> pl.DataFrame:
    """Base, double the average order value, double the conversion rate, side by side.

    Both double the total value; doubling the order value also doubles each customer's
    CLV (and the CAC it has to pay back stays), doubling conversion halves the CAC.
    """
    cases = {
        "base": inputs,
        "double_aov": {**inputs, "average_order_value": inputs["average_order_value"] * 2},
        "double_conversion": {**inputs, "conversion_rate": min(inputs["conversion_rate"] * 2, 1.0)},
    }
    rows = []
    for name, case in cases.items():
        result = simple_clv(case)
        rows.append(
            {
                "case": name,
                "clv": result.clv.value,
                "customers": result.customers.value,
                "total_value": result.total_value.value,
                "cac": result.cac.value if result.cac else None,
            }
        )
    return pl.DataFrame(rows)


# -- subscription LTV ----------------------------------------------------------------------


SUBSCRIPTION_RULES = {
    "arpu": (0.0, None),
    "gross_margin": (0.0, 1.0),
    "monthly_churn": (0.0, 1.0),
    "customers": (0.0, None),
    "cac": (0.0, None),
}


@dataclass(frozen=True)
class SubscriptionResult:
    ltv: Figure
    lifetime_months: Figure
    annual_churn: Figure
    revenue_at_risk: Figure
    ltv_to_cac: Figure | None
    payback_months: Figure | None
    warnings: list[str] = field(default_factory=list)


def subscription_ltv(inputs: dict[str, float], fmt: Formatter | None = None) -> SubscriptionResult:
    """LTV = ARPU × margin ÷ monthly churn (a capped lifetime when churn is 0).

    Formulas are written with ``fmt`` (the language's digits and separators).
    """
    _require(inputs, SUBSCRIPTION_RULES)
    fmt = fmt or Formatter()
    money, whole, share = (lambda v: fmt.number(v, 2)), fmt.number, fmt.percent
    arpu, margin, churn = inputs["arpu"], inputs["gross_margin"], inputs["monthly_churn"]
    customers, cac = inputs["customers"], inputs["cac"]
    warnings = []
    if churn == 0:
        lifetime = float(MAX_LIFETIME_MONTHS)
        warnings.append("churn_zero")
        lifetime_formula = t("whatif.formula.capped", fmt.language, months=MAX_LIFETIME_MONTHS)
    else:
        lifetime = 1 / churn
        months = t("whatif.formula.months", fmt.language, months=fmt.number(lifetime, 1))
        lifetime_formula = f"{fmt.number(1)} ÷ {share(churn, 2)} = {months}"
    monthly_profit = arpu * margin
    ltv = monthly_profit * lifetime
    if churn == 0:
        ltv_formula = f"{money(arpu)} × {share(margin)} × {whole(MAX_LIFETIME_MONTHS)} = {money(ltv)}"
    else:
        ltv_formula = f"{money(arpu)} × {share(margin)} ÷ {share(churn, 2)} = {money(ltv)}"
    annual = annual_from_monthly(churn)
    at_risk = customers * annual * arpu * 12
    return SubscriptionResult(
        ltv=Figure(ltv, ltv_formula, "churn_zero" if churn == 0 else None),
        lifetime_months=Figure(lifetime, lifetime_formula),
        annual_churn=Figure(annual, annual_formula(churn, fmt)),
        revenue_at_risk=Figure(
            at_risk, f"{whole(customers)} × {share(annual, 2)} × {money(arpu)} × {whole(12)} = {money(at_risk)}"
        ),
        ltv_to_cac=Figure(ltv / cac, f"{money(ltv)} ÷ {money(cac)} = {money(ltv / cac)}") if cac else None,
        payback_months=Figure(
            cac / monthly_profit,
            f"{money(cac)} ÷ ({money(arpu)} × {share(margin)}) = {fmt.number(cac / monthly_profit, 1)}",
        )
        if cac and monthly_profit
        else None,
        warnings=warnings,
    )


# -- from a pain point to money ------------------------------------------------------------


CHAIN_FIELDS = ("score_lift", "churn_per_point")
CHAIN_RULES = {
    "arpu": (0.0, None),
    "gross_margin": (0.0, 1.0),
    "monthly_churn": (0.0, 1.0),
    "customers": (0.0, None),
    "months": (1.0, 120.0),
}


def pain_point_chain(inputs: dict[str, Any]) -> pl.DataFrame:
    """Fixing a pain point → score lift → churn change → retention, LTV and revenue.

    ``inputs`` holds ``arpu``, ``gross_margin``, ``monthly_churn``, ``customers``,
    ``months`` and, as ``{"low", "expected", "high"}`` ranges, ``score_lift`` (points of
    CSAT or NPS gained) and ``churn_per_point`` (percentage points of monthly churn saved
    per score point). Returns one row per case (base, low, expected, high) with the new
    churn, LTV, the revenue over ``months`` and the gain against the base.
    """
    _require(inputs, CHAIN_RULES)
    for name in CHAIN_FIELDS:
        band = inputs.get(name) or {}
        _require(band, {k: (0.0, None) for k in ("low", "expected", "high")})
        if not band["low"] <= band["expected"] <= band["high"]:
            raise ValidationError(
                f"{name}: need low ≤ expected ≤ high", field=name, rule="order"
            )
    base_churn = inputs["monthly_churn"]
    months = int(inputs["months"])

    def case(name: str, churn: float) -> dict[str, Any]:
        ltv = subscription_ltv(
            {"arpu": inputs["arpu"], "gross_margin": inputs["gross_margin"],
             "monthly_churn": churn, "customers": inputs["customers"], "cac": 0.0}
        ).ltv.value
        # Revenue from today's customers over the horizon: Σ_k customers·S(k)·ARPU.
        survival = retention_curve(churn, months)[1:]
        revenue = inputs["customers"] * inputs["arpu"] * sum(survival)
        return {"case": name, "monthly_churn": churn, "ltv": ltv, "revenue": revenue}

    rows = [case("base", base_churn)]
    for level in ("low", "expected", "high"):
        saved = inputs["score_lift"][level] * inputs["churn_per_point"][level] / 100
        rows.append(case(level, max(base_churn - saved, 0.0)))
    frame = pl.DataFrame(rows)
    base = frame.row(0, named=True)
    return frame.with_columns(
        (pl.col("ltv") - base["ltv"]).alias("ltv_gain"),
        (pl.col("revenue") - base["revenue"]).alias("revenue_gain"),
    )


def chain_churn_formula(inputs: dict[str, Any], level: str = "expected", fmt: Formatter | None = None) -> str:
    """How the new churn of one case is reached, filled in with the numbers."""
    fmt = fmt or Formatter()
    lift, per_point = inputs["score_lift"][level], inputs["churn_per_point"][level]
    new = max(inputs["monthly_churn"] - lift * per_point / 100, 0.0)
    points = t("whatif.formula.points", fmt.language, value=fmt.number(per_point, 2))
    return (f"{fmt.percent(inputs['monthly_churn'], 2)} − {fmt.shortest(lift)}"
            f" × {points} = {fmt.percent(new, 2)}")


def chain_retention(inputs: dict[str, Any], churn_by_case: dict[str, float]) -> pl.DataFrame:
    """Retention curves (long format: case, month, retained) for the chain chart."""
    months = int(inputs["months"])
    return pl.DataFrame(
        [
            {"case": name, "month": k, "retained": share}
            for name, churn in churn_by_case.items()
            for k, share in enumerate(retention_curve(churn, months))
        ]
    )


# -- scenarios saved in the workbook ----------------------------------------------------------


def _validate_scenario(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in KINDS:
        raise ValidationError("kind must be simple, subscription or chain", field="kind", rule="choice")
    inputs = dict(values.get("inputs") or {})
    {"simple": simple_clv, "subscription": subscription_ltv, "chain": pain_point_chain}[kind](inputs)
    return {
        "name": records.required_text(values, "name"),
        "kind": kind,
        "inputs": inputs,
        "notes": (values.get("notes") or "").strip(),
    }


def save_scenario(
    store: Store,
    workbook_id: int,
    values: dict[str, Any],
    who: Any,
    scenario_id: int | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    return records.save(
        store, "scenarios", workbook_id, values, who, _validate_scenario, scenario_id, expected_version
    )


def list_scenarios(store: Store, workbook_id: int, kind: str | None = None) -> list[dict[str, Any]]:
    if kind:
        return store.list("scenarios", "workbook_id = ? and kind = ?", (workbook_id, kind))
    return store.list("scenarios", "workbook_id = ?", (workbook_id,))


def delete_scenario(
    store: Store, workbook_id: int, scenario_id: int, expected_version: int, who: Any
) -> None:
    records.remove(store, "scenarios", workbook_id, scenario_id, expected_version, who)


def headline(kind: str, inputs: dict[str, Any]) -> dict[str, float | None]:
    """The key results of one set of inputs, for comparing scenarios of a kind."""
    if kind == "simple":
        result = simple_clv(inputs)
        return {
            "clv": result.clv.value,
            "customers": result.customers.value,
            "total_value": result.total_value.value,
            "cac": result.cac.value if result.cac else None,
        }
    if kind == "subscription":
        result = subscription_ltv(inputs)
        return {
            "ltv": result.ltv.value,
            "annual_churn": result.annual_churn.value,
            "revenue_at_risk": result.revenue_at_risk.value,
            "ltv_to_cac": result.ltv_to_cac.value if result.ltv_to_cac else None,
            "payback_months": result.payback_months.value if result.payback_months else None,
        }
    expected = pain_point_chain(inputs).filter(pl.col("case") == "expected").row(0, named=True)
    return {
        "monthly_churn": expected["monthly_churn"],
        "ltv_gain": expected["ltv_gain"],
        "revenue_gain": expected["revenue_gain"],
    }


def compare(kind: str, named_inputs: list[tuple[str, dict[str, Any]]]) -> pl.DataFrame:
    """Scenarios of one kind in one table (first row usually the current inputs as base)."""
    rows = [{"name": name, **headline(kind, inputs)} for name, inputs in named_inputs]
    return pl.DataFrame(rows, infer_schema_length=None)
