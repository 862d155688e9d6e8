"""What-if arithmetic and saved scenarios."""

import pytest

from cxlib.analytics import whatif
from cxlib.storage.store import ValidationError

BASE = {"arpu": 28.0, "gross_margin": 0.5, "monthly_churn": 0.05, "customers": 1000, "cac": 70.0}


def test_churn_conversions_are_compounded_not_multiplied():
    assert whatif.annual_from_monthly(0.05) == pytest.approx(1 - 0.95**12)
    assert whatif.annual_from_monthly(0.05) != pytest.approx(0.6)
    assert whatif.monthly_from_annual(whatif.annual_from_monthly(0.05)) == pytest.approx(0.05)


def test_subscription_ltv_and_friends():
    result = whatif.subscription_ltv(BASE)
    assert result.ltv.value == pytest.approx(28 * 0.5 / 0.05)  # 280
    assert result.lifetime_months.value == pytest.approx(20)
    assert result.ltv_to_cac.value == pytest.approx(4.0)
    assert result.payback_months.value == pytest.approx(5.0)
    assert result.revenue_at_risk.value == pytest.approx(1000 * (1 - 0.95**12) * 28 * 12)
    assert "÷ 5.00%" in result.ltv.formula and result.warnings == []


def test_zero_churn_caps_lifetime_with_a_warning():
    result = whatif.subscription_ltv({**BASE, "monthly_churn": 0.0})
    assert result.warnings == ["churn_zero"]
    assert result.ltv.value == pytest.approx(28 * 0.5 * whatif.MAX_LIFETIME_MONTHS)


@pytest.mark.parametrize("field, value", [("monthly_churn", 1.5), ("gross_margin", -0.1), ("arpu", float("nan"))])
def test_invalid_inputs_name_the_field(field, value):
    with pytest.raises(ValidationError) as raised:
        whatif.subscription_ltv({**BASE, field: value})
    assert raised.value.field == field


def test_simple_clv_and_the_doubling_comparison():
    inputs = {"average_order_value": 40.0, "purchases_per_year": 5.0, "lifespan_years": 2.0,
              "gross_margin": 0.5, "visitors": 10000.0, "conversion_rate": 0.02, "marketing_spend": 10000.0}
    result = whatif.simple_clv(inputs)
    assert result.clv.value == pytest.approx(200) and result.customers.value == pytest.approx(200)
    assert result.cac.value == pytest.approx(50)
    table = {row["case"]: row for row in whatif.double_aov_vs_conversion(inputs).to_dicts()}
    assert table["double_aov"]["clv"] == pytest.approx(400)
    assert table["double_conversion"]["clv"] == pytest.approx(200)
    assert table["double_conversion"]["cac"] == pytest.approx(25)
    assert table["double_aov"]["total_value"] == pytest.approx(table["double_conversion"]["total_value"])


CHAIN = {**BASE, "months": 24, "score_lift": {"low": 2, "expected": 5, "high": 8},
         "churn_per_point": {"low": 0.05, "expected": 0.1, "high": 0.2}}


def test_pain_point_chain_orders_low_expected_high():
    frame = whatif.pain_point_chain(CHAIN)
    rows = {row["case"]: row for row in frame.to_dicts()}
    assert rows["base"]["ltv_gain"] == 0
    assert rows["expected"]["monthly_churn"] == pytest.approx(0.05 - 5 * 0.1 / 100)
    assert 0 < rows["low"]["ltv_gain"] < rows["expected"]["ltv_gain"] < rows["high"]["ltv_gain"]
    assert rows["high"]["revenue_gain"] > rows["expected"]["revenue_gain"] > 0
    expected_revenue = 1000 * 28 * sum(0.95**k for k in range(1, 25))
    assert rows["base"]["revenue"] == pytest.approx(expected_revenue)
    assert whatif.chain_churn_formula(CHAIN) == "5.00% − 5 × 0.10 pp = 4.50%"


def test_chain_churn_never_goes_below_zero_and_ranges_must_be_ordered():
    huge = {**CHAIN, "score_lift": {"low": 50, "expected": 60, "high": 70}}
    assert whatif.pain_point_chain(huge)["monthly_churn"].min() == 0
    with pytest.raises(ValidationError) as raised:
        whatif.pain_point_chain({**CHAIN, "score_lift": {"low": 5, "expected": 2, "high": 8}})
    assert raised.value.field == "score_lift"


def test_scenarios_are_saved_compared_and_undoable(store, workbook):
    whatif.save_scenario(store, workbook["id"], {"name": "Today", "kind": "subscription", "inputs": BASE}, "a")
    whatif.save_scenario(store, workbook["id"], {"name": "Less churn", "kind": "subscription",
                                                 "inputs": {**BASE, "monthly_churn": 0.04}}, "a")
    saved = whatif.list_scenarios(store, workbook["id"], "subscription")
    assert [s["name"] for s in saved] == ["Today", "Less churn"] and saved[0]["inputs"] == BASE
    table = whatif.compare("subscription", [(s["name"], s["inputs"]) for s in saved])
    assert table["ltv"].to_list() == pytest.approx([280, 350])
    with pytest.raises(ValidationError):
        whatif.save_scenario(store, workbook["id"], {"name": "Bad", "kind": "subscription",
                                                     "inputs": {**BASE, "monthly_churn": 2}}, "a")
    whatif.delete_scenario(store, workbook["id"], saved[0]["id"], saved[0]["version"], "a")
    store.undo_last(workbook["id"], "a")
    assert len(whatif.list_scenarios(store, workbook["id"])) == 2


def test_compare_each_kind():
    simple = {"average_order_value": 40.0, "purchases_per_year": 5.0, "lifespan_years": 2.0,
              "gross_margin": 0.5, "visitors": 0.0, "conversion_rate": 0.02, "marketing_spend": 0.0}
    assert whatif.compare("simple", [("a", simple)])["cac"].to_list() == [None]
    assert whatif.compare("chain", [("a", CHAIN)])["ltv_gain"][0] > 0
