"""What-if: LTV and churn. Sliders in, money out, every number with its formula."""

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from cxlib.analytics import clv, whatif
from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import journeys
from ui import errors, fields, imports, show
from ui.context import ctx

context = ctx()
t = context.t
fmt = context.fmt
store = context.store
CDNOW_LOG = Path(__file__).resolve().parent.parent / "data" / "cdnow" / "CDNOW_sample.txt"

st.title(t("whatif.title"))
show.guidance("whatif")


def money(value: float | None) -> str:
    """An amount in the workbook's currency (plain number when it has none)."""
    return fmt.money(value, context.workbook["currency"])


def figure(column, label: str, result: whatif.Figure | None, show=money) -> None:
    """A metric with its formula written under it."""
    if result is None:
        column.metric(label, fmt.number(None))
        return
    column.metric(label, show(result.value))
    column.caption(fmt.isolate(result.formula))  # a formula reads left to right in Persian too


CASES = ("base", "double_aov", "double_conversion", "low", "expected", "high")
# How result columns are written: shares as percentages, amounts in the workbook's currency.
SHARES = ("annual_churn", "monthly_churn", "p_alive")
AMOUNTS = ("clv", "total_value", "cac", "ltv", "revenue_at_risk", "ltv_gain", "revenue", "revenue_gain", "monetary",
           "expected_spend", "past_value")
DECIMALS = {"payback_months": 1, "recency": 1, "T": 1, "frequency": 0, "expected_purchases": 2}


def table(frame: pl.DataFrame) -> None:
    """A result table with translated column names and case labels."""
    if "case" in frame.columns:
        frame = frame.with_columns(pl.col("case").replace_strict({c: t(f"whatif.case.{c}") for c in CASES}))
    show.table(frame, {c: t(f"whatif.col.{c}") for c in frame.columns}, shares=SHARES, money=AMOUNTS,
               decimals=DECIMALS)


def number(label_key: str, key: str, default: float, decimals: int = 2) -> float:
    """A money or count input (0 or more), typed in the user's digits."""
    return fields.number_field(t(label_key), default, key=key, minimum=0.0, decimals=decimals)


def percent(label_key: str, key: str, default: float, maximum: float = 100.0) -> float:
    """A percentage input typed as 0–100, returned as a share 0–1."""
    return fields.number_field(t(label_key), default, key=key, minimum=0.0, maximum=maximum, decimals=2) / 100


def churn_slider(label_key: str, key: str, default: float, maximum: float) -> float:
    """A churn percentage on a slider whose labels use the user's digits; returns a share."""
    steps = [round(i / 10, 1) for i in range(int(maximum * 10) + 1)]
    return st.select_slider(t(label_key), steps, value=default, key=key,
                            format_func=lambda v: fmt.points(v, 1)) / 100


def scenario_saver(kind: str, inputs: dict) -> None:
    """Save the current inputs as a named scenario, and compare the saved ones."""
    saved = whatif.list_scenarios(store, context.workbook_id, kind)
    with st.form(f"save_{kind}", clear_on_submit=True):
        name_column, button_column = st.columns([4, 1], vertical_alignment="bottom")
        name = name_column.text_input(t("whatif.scenario_name"), key=f"cx_scenario_name_{kind}")
        if button_column.form_submit_button(t("whatif.save_scenario"), width="stretch"):
            if errors.attempt(
                lambda: whatif.save_scenario(
                    store, context.workbook_id, {"name": name, "kind": kind, "inputs": inputs},
                    context.user,
                ),
                success=t("saved"),
            ):
                st.rerun()
    if not saved:
        st.caption(t("whatif.no_scenarios"))
        return
    comparison = whatif.compare(
        kind, [(t("whatif.current"), inputs)] + [(s["name"], s["inputs"]) for s in saved]
    )
    table(comparison)
    value = {"simple": "clv", "subscription": "ltv", "chain": "ltv_gain"}[kind]
    show.chart(
        charts.bars(
            comparison, "name", value,
            {"category": t("whatif.scenario"), "value": t(f"whatif.col.{value}"),
             "title": t("whatif.compare_title")},
        )
    )
    names = {s["id"]: s["name"] for s in saved}
    pick, remove = st.columns([4, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(t("whatif.delete_scenario"), list(names), format_func=names.get,
                            key=f"cx_scenario_delete_{kind}")
    if remove.button(t("delete"), key=f"cx_scenario_delete_button_{kind}", width="stretch"):
        scenario = next(s for s in saved if s["id"] == chosen)
        if errors.attempt(
            lambda: whatif.delete_scenario(
                store, context.workbook_id, scenario["id"], scenario["version"], context.user
            ),
            success=t("whatif.scenario_deleted"),
        ):
            st.rerun()


@st.cache_data(show_spinner=False)
def cdnow_log() -> pl.DataFrame:
    return clv.read_cdnow(str(CDNOW_LOG))


@st.cache_data(show_spinner=False, max_entries=8)
def analysed(log: pl.DataFrame, end: date, horizon: float, months: int, discount: float) -> clv.Analysis:
    """Fit once per log and settings; a rerun with the same inputs reuses the fit."""
    return clv.analyse(log, end, horizon, months, discount, "W")


# The inputs start from the workbook's first subscription scenario ("Today" in the demo), so
# they are amounts in its currency (119 zł, 11 800 ֏); the example amounts of the other tabs
# scale with its ARPU.
first = next(iter(whatif.list_scenarios(store, context.workbook_id, "subscription")), None)
START = {"arpu": 28.0, "customers": 6000.0, "cac": 60.0} | {
    k: v for k, v in (first["inputs"] if first else {}).items() if k in ("arpu", "customers", "cac") and v}
SCALE = START["arpu"] / 28.0

subscription_tab, simple_tab, chain_tab, fit_tab = st.tabs(
    [t("whatif.tab.subscription"), t("whatif.tab.simple"), t("whatif.tab.chain"), t("whatif.tab.fit")]
)

with subscription_tab:
    st.markdown(t("whatif.subscription_intro"))
    left, right = st.columns(2)
    with left:
        arpu = number("whatif.arpu", "cx_arpu", START["arpu"])
        margin = percent("whatif.margin", "cx_margin", 45.0)
        customers = number("whatif.customers", "cx_customers", START["customers"], decimals=0)
        cac = number("whatif.cac", "cx_cac", START["cac"])
    with right:
        churn_mode = st.radio(t("whatif.churn_mode"), ["monthly", "annual"], horizontal=True,
                              format_func=lambda m: t(f"whatif.churn_mode.{m}"), key="cx_churn_mode")
        if churn_mode == "monthly":
            monthly = churn_slider("whatif.monthly_churn", "cx_monthly_churn", 6.0, 30.0)
            st.caption(t("whatif.annual_equivalent", value=fmt.percent(whatif.annual_from_monthly(monthly), 1),
                         formula=fmt.isolate(whatif.annual_formula(monthly, fmt))))
        else:
            annual = churn_slider("whatif.annual_churn", "cx_annual_churn", 52.4, 99.0)
            monthly = whatif.monthly_from_annual(annual)
            st.caption(t("whatif.monthly_equivalent", value=fmt.percent(monthly, 2),
                         formula=fmt.isolate(whatif.monthly_formula(annual, fmt))))
    inputs = {"arpu": arpu, "gross_margin": margin, "monthly_churn": monthly,
              "customers": customers, "cac": cac}
    try:
        result = whatif.subscription_ltv(inputs, fmt)
    except whatif.ValidationError as error:
        st.error(errors.describe_error(error))
    else:
        if result.warnings:
            st.warning(t("whatif.churn_zero", months=whatif.MAX_LIFETIME_MONTHS), icon=":material/warning:")
        row = st.columns(3)
        figure(row[0], t("whatif.ltv"), result.ltv)
        figure(row[1], t("whatif.lifetime"), result.lifetime_months, lambda v: fmt.number(v, 1))
        figure(row[2], t("whatif.annual_churn_result"), result.annual_churn, lambda v: fmt.percent(v, 1))
        row = st.columns(3)
        figure(row[0], t("whatif.revenue_at_risk"), result.revenue_at_risk)
        figure(row[1], t("whatif.ltv_to_cac"), result.ltv_to_cac, lambda v: fmt.number(v, 2))
        figure(row[2], t("whatif.payback"), result.payback_months, lambda v: fmt.number(v, 1))
        st.subheader(t("whatif.scenarios"))
        scenario_saver("subscription", inputs)

with simple_tab:
    st.markdown(t("whatif.simple_intro"))
    left, right = st.columns(2)
    with left:
        aov = number("whatif.aov", "cx_aov", 35.0 * SCALE)
        frequency = number("whatif.frequency", "cx_frequency", 6.0, decimals=1)
        lifespan = number("whatif.lifespan", "cx_lifespan", 2.0, decimals=1)
        simple_margin = percent("whatif.margin", "cx_simple_margin", 45.0)
    with right:
        visitors = number("whatif.visitors", "cx_visitors", 50000.0, decimals=0)
        conversion = percent("whatif.conversion", "cx_conversion", 2.0)
        spend = number("whatif.marketing_spend", "cx_spend", 40000.0 * SCALE)
    simple_inputs = {"average_order_value": aov, "purchases_per_year": frequency,
                     "lifespan_years": lifespan, "gross_margin": simple_margin, "visitors": visitors,
                     "conversion_rate": conversion, "marketing_spend": spend}
    simple = whatif.simple_clv(simple_inputs, fmt)
    row = st.columns(4)
    figure(row[0], t("whatif.clv"), simple.clv)
    figure(row[1], t("whatif.new_customers"), simple.customers, fmt.number)
    figure(row[2], t("whatif.total_value"), simple.total_value)
    figure(row[3], t("whatif.cac_result"), simple.cac)
    st.subheader(t("whatif.double_title"))
    st.caption(t("whatif.double_help"))
    table(whatif.double_aov_vs_conversion(simple_inputs))
    st.subheader(t("whatif.scenarios"))
    scenario_saver("simple", simple_inputs)

with chain_tab:
    st.markdown(t("whatif.chain_intro"))
    found = journeys.pain_points(store, context.workbook_id)
    if found:
        labels = {i: f"{p['stage']} · {p['pain_point']} ({p['journey']})" for i, p in enumerate(found)}
        picked = st.selectbox(t("whatif.pain_point"), list(labels), format_func=labels.get, key="cx_chain_pain")
        pain = found[picked]["pain_point"]
    else:
        st.info(t("whatif.no_pain_points"))
        pain = st.text_input(t("whatif.pain_point"), key="cx_chain_pain_text")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('whatif.score_lift')}**")
        lift = {level: number(f"whatif.level.{level}", f"cx_lift_{level}", default, decimals=1)
                for level, default in (("low", 2.0), ("expected", 5.0), ("high", 8.0))}
        st.markdown(f"**{t('whatif.churn_per_point')}**")
        per_point = {level: number(f"whatif.level.{level}", f"cx_perpoint_{level}", default)
                     for level, default in (("low", 0.05), ("expected", 0.10), ("high", 0.15))}
    with right:
        chain_arpu = number("whatif.arpu", "cx_chain_arpu", START["arpu"])
        chain_margin = percent("whatif.margin", "cx_chain_margin", 45.0)
        chain_churn = percent("whatif.monthly_churn", "cx_chain_churn", 6.0)
        chain_customers = number("whatif.customers", "cx_chain_customers", START["customers"], decimals=0)
        horizon = st.select_slider(t("whatif.horizon_months"), list(range(1, 61)), value=24, key="cx_chain_months",
                                   format_func=fmt.number)
    chain_inputs = {"pain_point": pain, "score_lift": lift, "churn_per_point": per_point,
                    "arpu": chain_arpu, "gross_margin": chain_margin, "monthly_churn": chain_churn,
                    "customers": chain_customers, "months": horizon}
    try:
        chain = whatif.pain_point_chain(chain_inputs)
    except whatif.ValidationError as error:
        st.error(errors.describe_error(error))
    else:
        st.caption(t("whatif.chain_formula"))
        case_labels = {c: t(f"whatif.case.{c}") for c in ("base", "low", "expected", "high")}
        expected = chain.filter(pl.col("case") == "expected").row(0, named=True)
        low = chain.filter(pl.col("case") == "low").row(0, named=True)
        high = chain.filter(pl.col("case") == "high").row(0, named=True)
        row = st.columns(3)
        change = expected["monthly_churn"] - chain_churn
        row[0].metric(t("whatif.new_churn"), fmt.percent(expected["monthly_churn"], 2),
                      delta=fmt.signed_percent(change, 2), delta_color="inverse")
        row[0].caption(fmt.isolate(whatif.chain_churn_formula(chain_inputs, fmt=fmt)))
        row[1].metric(t("whatif.ltv_gain"), money(expected["ltv_gain"]))
        row[1].caption(t("whatif.range", low=money(low["ltv_gain"]), high=money(high["ltv_gain"])))
        row[2].metric(t("whatif.revenue_gain", months=horizon), money(expected["revenue_gain"]))
        row[2].caption(t("whatif.range", low=money(low["revenue_gain"]), high=money(high["revenue_gain"])))
        show.chart(
            charts.retention_curves(
                whatif.chain_retention(chain_inputs, dict(zip(chain["case"], chain["monthly_churn"]))),
                {"month": t("whatif.month"), "retained": t("whatif.retained"), "case": t("whatif.case"),
                 "title": t("whatif.retention_title")},
                case_labels,
            )
        )
        table(chain)
        st.subheader(t("whatif.scenarios"))
        scenario_saver("chain", chain_inputs)

with fit_tab:
    st.markdown(t("whatif.fit_intro"))
    source = st.radio(t("whatif.source"), ["cdnow", "upload"], horizontal=True,
                      format_func=lambda s: t(f"whatif.source.{s}"), key="cx_fit_source")
    log = None
    if source == "cdnow":
        log = cdnow_log()
        default_end = date(1997, 9, 30)
    else:
        st.caption(t("whatif.upload"))
        draft = imports.upload(clv.PURCHASES, "cx_fit_log")
        if draft is not None:
            try:
                log = clv.log_from(draft.reading)
            except clv.TransactionError as error:
                imports.file_error(draft.name, error)
        default_end = log["date"].max() if log is not None and log.height else date.today()
    if log is not None:
        settings = st.columns(4)
        end = fields.date_field(t("whatif.observation_end"), default_end, key=f"cx_end_{source}",
                            where=settings[0]) or default_end
        horizon_weeks = fields.number_field(t("whatif.horizon_weeks"), 39, key="cx_fit_horizon", minimum=1,
                                        maximum=520, where=settings[1])
        months = fields.number_field(t("whatif.clv_months"), 12, key="cx_fit_months", minimum=1, maximum=120,
                                 where=settings[2])
        discount = fields.number_field(t("whatif.discount"), 1.0, key="cx_fit_discount", minimum=0.0, maximum=10.0,
                                   decimals=1, where=settings[3]) / 100
        try:
            analysis = analysed(log, end, horizon_weeks, months, discount)
        except clv.TransactionError as error:
            st.error(t("whatif.fit_failed", message=markdown_text(error.message(t.language))))
        else:
            if analysis.left_out:
                st.info(t("whatif.after_end", n=analysis.left_out, end=fmt.date(end)))
            bgnbd, gamma, scored = analysis.bgnbd, analysis.gamma_gamma, analysis.scored
            row = st.columns(4)
            row[0].metric(t("whatif.fit.customers"), fmt.number(scored.height))
            row[1].metric(t("whatif.fit.repeat"), fmt.number(gamma.n))
            row[2].metric(t("whatif.fit.expected", weeks=horizon_weeks), fmt.number(scored["expected_purchases"].sum()))
            if analysis.holdout_actual is not None:
                row[2].caption(t("whatif.fit.holdout", n=analysis.holdout_actual))
            row[3].metric(t("whatif.fit.mean_clv", months=months), money(scored["clv"].mean()))
            st.caption(t("whatif.clv_formula", months=months, discount=fmt.percent(discount, 1)))
            show.table(
                [
                    {t("whatif.fit.model"): "BG/NBD", "r": bgnbd.r, "α": bgnbd.alpha, "a": bgnbd.a,
                     "b": bgnbd.b, "log L": bgnbd.loglik, "n": bgnbd.n},
                    {t("whatif.fit.model"): "Gamma-Gamma", "p": gamma.p, "q": gamma.q, "v": gamma.v,
                     "log L": gamma.loglik, "n": gamma.n},
                ], decimals=dict.fromkeys(("r", "α", "a", "b", "p", "q", "v"), 3) | {"log L": 1})
            show.chart(
                charts.histogram(scored["clv"], {"value": t("whatif.col.clv"), "count": t("whatif.count"),
                                                 "title": t("whatif.clv_distribution")}))
            st.subheader(t("whatif.at_risk"))
            st.caption(t("whatif.at_risk_help"))
            table(clv.at_risk(scored))
            st.subheader(t("whatif.per_customer"))
            table(scored.sort("clv", descending=True).head(500))
