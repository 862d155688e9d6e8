"""What-if page: sliders move the numbers, formulas are shown, scenarios are saved."""

from apptest_helpers import open_page
from pagekit import assert_clean

from cxlib.analytics import whatif


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def test_demo_shows_numbers_with_formulas_and_saved_scenarios(demo_id):
    at = open_page("whatif", {"wb": str(demo_id)})
    assert_clean(at)
    assert metric(at, "Lifetime value (LTV)").value == "€210.00"  # 28 × 45% ÷ 6%, the demo counts in euros
    captions = " ".join(c.value for c in at.caption)
    assert "28.00 × 45% ÷ 6.00% = 210.00" in captions
    assert "1 − (1 − 6.00%)^12" in captions
    names = at.dataframe[0].value.iloc[:, 0].tolist()
    assert names == ["Current inputs", "Today", "Self-service pause and skip", "Premium bundle (+20% ARPU)"]
    # The CDNOW fit runs offline and reproduces the published model.
    assert metric(at, "Customers").value == "2,357"
    assert metric(at, "Repeat buyers").value == "946"


def test_churn_slider_moves_ltv_and_zero_churn_warns(empty_id):
    at = open_page("whatif", {"wb": str(empty_id)})
    assert_clean(at)
    at.select_slider(key="cx_monthly_churn").set_value(3.0).run()
    assert metric(at, "Lifetime value (LTV)").value == "420.00"
    at.select_slider(key="cx_monthly_churn").set_value(0.0).run()
    assert not at.exception
    assert "capped at 120 months" in at.warning[0].value
    assert metric(at, "Lifetime value (LTV)").value == f"{28 * 0.45 * 120:,.2f}"


def test_annual_churn_input_converts_to_monthly(empty_id):
    at = open_page("whatif", {"wb": str(empty_id)})
    at.radio(key="cx_churn_mode").set_value("annual").run()
    at.select_slider(key="cx_annual_churn").set_value(50.0).run()
    assert_clean(at)
    assert any("Monthly churn 5.61%" in c.value for c in at.caption)


def test_save_a_scenario(app_store, empty_id):
    at = open_page("whatif", {"wb": str(empty_id)})
    at.text_input(key="cx_scenario_name_subscription").input("Baseline")
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert_clean(at)
    (saved,) = whatif.list_scenarios(app_store, empty_id)
    assert saved["name"] == "Baseline" and saved["inputs"]["monthly_churn"] == 0.06


def test_pain_point_chain_uses_journey_pain_points(demo_id):
    at = open_page("whatif", {"wb": str(demo_id)})
    options = at.selectbox(key="cx_chain_pain").options
    assert any("Pause only by email" in option for option in options)
    at.text_input(key="cx_lift_low").input("9").run()  # low above expected
    assert "low value must not exceed" in at.error[0].value


def test_persian_page_takes_and_shows_persian_digits(empty_id):
    at = open_page("whatif", {"wb": str(empty_id), "lang": "fa"})
    assert_clean(at)
    at.text_input(key="cx_arpu").input("۵۶").run()  # ARPU 56 typed in Persian digits
    assert_clean(at)
    ltv = at.metric[0].value
    assert ltv == "۴۲۰٫۰۰"  # 56 × 45% ÷ 6%
    assert any("۵۶٫۰۰ × ۴۵٪ ÷ ۶٫۰۰٪ = ۴۲۰٫۰۰" in c.value for c in at.caption)
    at.text_input(key="cx_arpu").input("بیست").run()  # not a number: named, last good value kept
    assert at.error and "بیست" in at.error[0].value
    assert at.metric[0].value == "۴۲۰٫۰۰"


def test_polish_decimal_comma_in_inputs(empty_id):
    at = open_page("whatif", {"wb": str(empty_id), "lang": "pl"})
    at.text_input(key="cx_arpu").input("28,5").run()
    assert_clean(at)
    assert at.metric[0].value == "213,75"  # 28.5 × 45% ÷ 6%


def test_uploaded_purchase_log_goes_through_the_pipeline(empty_id):
    from cxlib.analytics import clv

    log = clv.simulate_log(300, seed=3)
    lines = ["Kod klienta;Data zakupu;Wartość zamówienia"] + [
        f"{c};{d.strftime('%m/%d/%y')};{str(round(v, 2)).replace('.', ',')}"
        for c, d, v in log.select("customer", "date", "value").iter_rows()]
    content = ("\n".join(lines) + "\n").encode("cp1250")  # a Polish Excel's CSV
    at = open_page("whatif", {"wb": str(empty_id)})
    at.radio(key="cx_fit_source").set_value("upload").run()
    at.file_uploader[0].upload("zakupy.csv", content, "text/csv").run()
    assert_clean(at)
    assert any("Encoding: cp1250" in c.value for c in at.caption)
    said = " ".join(m.value for m in at.markdown)
    assert "two-digit years read as 20xx" in said and "month/day/year" in said and "decimal comma" in said
    assert metric(at, "Customers").value == f"{log['customer'].n_unique():,}"


def test_a_log_the_models_cannot_fit_is_refused_with_advice(empty_id):
    content = b"customer,date,value\n1,2025-01-01,10\n1,2025-02-01,10\n2,2025-01-05,10\n2,2025-03-01,10\n"
    at = open_page("whatif", {"wb": str(empty_id)})
    at.radio(key="cx_fit_source").set_value("upload").run()
    at.file_uploader[0].upload("log.csv", content, "text/csv").run()
    # Two customers, one repeat purchase each, one value: BG/NBD runs to the edge of its
    # values (with the analytic gradient it gets there before the Gamma-Gamma fit fails).
    refused = at.error[0].value
    assert "could not be fitted" in refused and "Add more history or more customers" in refused
    assert not [m for m in at.metric if m.label == "Customers"]
