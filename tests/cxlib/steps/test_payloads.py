"""Reading an answer out of a webhook delivery: presets, mapping errors, the import's checks."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cxlib.ingest import pipeline
from cxlib.steps import payloads as webhook
from cxlib.steps.payloads import PayloadError

TYPEFORM = {  # the shape of a Typeform delivery (trimmed)
    "event_id": "01HX", "event_type": "form_response",
    "form_response": {"submitted_at": "2026-11-29T23:12:33.123Z", "hidden": {"customer_id": "C-7"},
                      "answers": [{"type": "number", "number": 9, "field": {"type": "nps"}},
                                  {"type": "text", "text": "Fast delivery", "field": {"type": "long_text"}}]},
}
TALLY = {"eventId": "e-1", "createdAt": "2026-11-29T10:00:00.000Z",
         "data": {"createdAt": "2026-11-29T10:00:00.000Z",
                  "fields": [{"type": "RATING", "label": "Satisfied?", "value": 4},
                             {"type": "TEXTAREA", "label": "Why?", "value": "Kind staff"}]}}


SAMPLES = Path(__file__).parent / "webhook_samples"  # shapes of real deliveries; SOURCES.md says whose


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_typeform_preset_reads_a_real_deliverys_shape():
    delivery = sample("typeform_form_response.json")
    answer = webhook.read(delivery, webhook.PRESETS["typeform"], "nps")
    # The NPS question, not the plain Number question answered before it (12 visits is no score).
    assert answer == {"at": "2026-11-29T18:04:47", "metric": "nps", "scale": 10, "score": 3.0, "customer": "C-20418",
                      "segment": None, "persona": None, "stage": None, "channel": None,
                      "comment": "The queue at the till took twenty minutes.",  # the long text, not the first name
                      "touchpoint": None, "key": "f3c91d2a7b6e4c05a1d8e9b2c4f70a13"}
    # A form with an opinion scale and no NPS question: the scale is the score.
    delivery["form_response"]["answers"] = [a for a in delivery["form_response"]["answers"]
                                            if a["field"]["type"] != "nps"]
    assert webhook.read(delivery, webhook.PRESETS["typeform"], "ces", 7)["score"] == 4.0
    del delivery["form_response"]["token"]  # no token: the event id is the key
    assert webhook.read(delivery, webhook.PRESETS["typeform"], "ces", 7)["key"] == "01JDQ4K7X2R9N8M6P5T3V1W0YZ"


def test_tally_preset_reads_a_real_deliverys_shape():
    delivery = sample("tally_form_response.json")
    answer = webhook.read(delivery, webhook.PRESETS["tally"], "csat", 5)
    assert answer == {"at": "2026-11-29T18:10:05", "metric": "csat", "scale": 5, "score": 2.0, "customer": "C-20418",
                      "segment": None, "persona": None, "stage": None, "channel": None,
                      "comment": "The queue at the till took twenty minutes.",  # the long answer, not the name
                      "touchpoint": None, "key": "Xk4Pq2L"}
    for field in delivery["data"]["fields"]:
        if field["type"] == "LINEAR_SCALE":
            field["value"] = 9
    with pytest.raises(PayloadError) as refused:  # 9 on a 1-5 CSAT: refused as a file's row would be
        webhook.read(delivery, webhook.PRESETS["tally"], "csat", 5)
    assert (refused.value.code, refused.value.field) == ("invalid", "score")


def test_without_the_question_the_presets_read_no_score_and_say_where_they_looked():
    typeform = sample("typeform_form_response.json")
    typeform["form_response"]["answers"] = [a for a in typeform["form_response"]["answers"]
                                            if a["field"]["type"] not in ("nps", "opinion_scale")]
    with pytest.raises(PayloadError) as refused:  # the Number question (12 visits) is not taken instead
        webhook.read(typeform, webhook.PRESETS["typeform"], "nps")
    assert refused.value.code == "score_missing" and "field.type=='nps'" in str(refused.value)


def test_generic_payload_is_read_with_every_role():
    answer = webhook.read({"score": 9, "metric": "nps", "id": "a1", "customer": "C1", "stage": "Purchase",
                           "touchpoint": "Checkout", "channel": "email", "comment": "ok",
                           "date": "2026-03-31T10:00:00+02:00"}, webhook.PRESETS["generic"])
    assert answer == {"at": "2026-03-31T08:00:00", "metric": "nps", "scale": 10, "score": 9.0, "customer": "C1",
                      "segment": None, "persona": None, "stage": "Purchase", "channel": "email", "comment": "ok",
                      "touchpoint": "Checkout", "key": "a1"}


def test_typeform_and_tally_presets_find_score_comment_id_and_time():
    typeform = webhook.read(TYPEFORM, webhook.PRESETS["typeform"], "nps")
    assert (typeform["score"], typeform["comment"], typeform["customer"], typeform["key"], typeform["at"]) == (
        9.0, "Fast delivery", "C-7", "01HX", "2026-11-29T23:12:33")
    tally = webhook.read(TALLY, webhook.PRESETS["tally"], "csat", 5)
    assert (tally["score"], tally["scale"], tally["comment"], tally["key"]) == (4.0, 5, "Kind staff", "e-1")


def test_missing_date_is_the_arrival_time_and_local_dates_are_read_like_a_file():
    arrived = datetime(2026, 5, 1, 12, 30, 5)
    assert webhook.read({"score": 5, "metric": "csat"}, {"score": "score", "metric": "metric"},
                        received=arrived)["at"] == "2026-05-01T12:30:05"
    assert webhook.read({"score": 5, "date": "31.03.2026"}, {"score": "score", "date": "date"}, "csat")["at"] \
        == "2026-03-31T00:00:00"


@pytest.mark.parametrize("payload, code, field", [
    ({"score": 11, "metric": "nps"}, "invalid", "score"),
    ({"score": 4.5, "metric": "csat"}, "invalid", "score"),
    ({"score": "lots", "metric": "nps"}, "invalid", "score"),
    ({"score": 3}, "metric", "metric"),
    ({"metric": "nps"}, "score_missing", "score"),
    ({"score": "   not applicable   ", "metric": "nps"}, "score_missing", "score"),  # padded: still not answered
    ({"score": [1, 2], "metric": "nps"}, "not_a_value", "score"),
    ({"score": 3, "metric": "nps", "date": "yesterday"}, "invalid", "date"),
    ({"score": 3, "metric": "csat", "scale": 6}, "scale", "scale"),
    ({"score": 3, "metric": "nps", "comment": "x" * 5000}, "too_long", "comment"),
])
def test_bad_answers_are_refused_naming_the_field(payload, code, field):
    with pytest.raises(PayloadError) as caught:
        webhook.read(payload, webhook.PRESETS["generic"])
    assert (caught.value.code, caught.value.field) == (code, field)
    assert "line" not in str(caught.value)  # a JSON body has no lines to point at


def test_body_must_be_a_small_json_object():
    for body, code in ((b"{", "not_json"), (b"[1]", "not_object"), (b"\xff\xfe", "not_utf8"),
                       (b'{"a": "' + b"x" * webhook.MAX_BYTES + b'"}', "too_large")):
        with pytest.raises(PayloadError) as caught:
            webhook.parse_json(body)
        assert caught.value.code == code
    assert webhook.parse_json('\ufeff{"score": 1}'.encode()) == {"score": 1}


def test_mapping_must_compile_and_say_where_the_score_is():
    with pytest.raises(PayloadError, match="score"):
        webhook.check_mapping({"comment": "text"})
    with pytest.raises(PayloadError) as caught:
        webhook.check_mapping({"score": "answers[?"})
    assert caught.value.code == "bad_expression"
    with pytest.raises(PayloadError):
        webhook.check_mapping({"score": "s", "colour": "c"})
    assert webhook.check_mapping({"score": " s ", "comment": ""}) == {"score": "s"}


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                         max_size=3), max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(payload=st.dictionaries(st.sampled_from(webhook.ROLES + ("other",)), json_values, max_size=8))
def test_any_json_object_is_stored_or_refused_with_a_reason(payload):
    """Hostile or odd deliveries never raise anything but PayloadError, and what is
    accepted is on the metric's scale."""
    try:
        answer = webhook.read(payload, webhook.PRESETS["generic"], "nps")
    except PayloadError as error:
        assert error.code and str(error)
        json.dumps(error.as_json())
    else:
        low, high = (0, 10) if answer["metric"] == "nps" else (1, answer["scale"])
        assert low <= answer["score"] <= high and answer["score"] == int(answer["score"])


def test_deliveries_read_together_give_each_its_own_answer_or_refusal():
    payloads = [{"score": 9, "metric": "nps", "id": "a"}, {"score": 12, "metric": "nps", "id": "b"},
                {"score": 4, "metric": "csat", "scale": 5, "id": "c"}, {"score": 2}, {"score": 6, "metric": "nps"}]
    results = webhook.read_many(payloads, webhook.PRESETS["generic"])
    assert [r["score"] if isinstance(r, dict) else r.code for r in results] == [9.0, "invalid", 4.0, "metric", 6.0]
    for payload, result in zip(payloads, results):  # the same as reading each alone
        try:
            alone = webhook.read(payload, webhook.PRESETS["generic"], received=None)
        except PayloadError as error:
            assert (error.code, error.field) == (result.code, result.field)
        else:
            assert {k: v for k, v in alone.items() if k != "at"} == {k: v for k, v in result.items() if k != "at"}


plain_score = st.one_of(st.integers(0, 11).map(str), st.from_regex(r"[0-9]{1,2}", fullmatch=True))
score_texts = st.one_of(plain_score, plain_score, plain_score,  # mostly plain, so the comparison runs often
                        st.sampled_from(["7.0", "7,5", "۸", "+3", "-1", "", " 5", "#N/A", "100", "nan"]),
                        st.text(max_size=4))
text_values = st.one_of(st.none(), st.none(), st.text(max_size=30), st.text(max_size=30),
                        st.sampled_from(["#N/A", "x" * 500, "y" * 5000, " "]))
in_range = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2026, 11, 1))
dates = st.one_of(in_range, in_range, in_range,
                  st.datetimes(min_value=datetime(1850, 1, 1), max_value=datetime(2200, 1, 1)),
                  st.sampled_from(["31.03.2026", "03/04/2026", "yesterday", "2026-13-40"])).map(
    lambda d: d.replace(microsecond=0) if isinstance(d, datetime) else d)


@settings(max_examples=300, deadline=None)
@given(metric=st.sampled_from(["nps", "csat", "ces"]), scale=st.sampled_from([None, 5, 7, 10]), score=score_texts,
       date=dates, texts=st.fixed_dictionaries({role: text_values for role in webhook.TEXT_ROLES}))
def test_the_quick_reading_of_a_plain_answer_is_the_file_imports_reading(metric, scale, score, date, texts):
    """Plain answers skip the import's table-based checks (that is most of a delivery's
    time): whatever the quick path accepts must be exactly what the checks would store."""
    mapped = webhook._Mapped(metric, scale if metric != "nps" else None, {"score": score, **texts, "id": "k"}, date)
    quick = webhook._plain(mapped)
    if quick is None:
        return
    checked = webhook._checked([mapped], webhook.PRESETS["generic"])[0]
    assert quick == checked and {k: type(v) for k, v in quick.items()} == {k: type(v) for k, v in checked.items()}


@settings(max_examples=150, deadline=None)
@given(metric=st.sampled_from(["nps", "csat", "ces"]), scale=st.sampled_from([None, 5, 7, 10]),
       score=st.integers(0, 10), date=in_range.map(lambda d: d.replace(microsecond=0)),
       texts=st.fixed_dictionaries({role: st.one_of(st.none(), st.text(max_size=30).filter(
           lambda text, role=role: not pipeline.marks_an_error(role, text))) for role in webhook.TEXT_ROLES}))
def test_plain_answers_on_the_scale_are_read_quickly_as_the_import_reads_them(metric, scale, score, date, texts):
    scale = scale if metric != "nps" else None
    score = max(score, 1) if metric != "nps" else score
    score = min(score, scale or {"nps": 10, "csat": 5, "ces": 7}[metric])
    mapped = webhook._Mapped(metric, scale, {"score": str(score), **texts, "id": "k"}, date)
    quick = webhook._plain(mapped)
    checked = webhook._checked([mapped], webhook.PRESETS["generic"])[0]
    assert quick is not None and quick == checked  # 9.0 == 9 in Python: the types are compared too
    assert {k: type(v) for k, v in quick.items()} == {k: type(v) for k, v in checked.items()}


def test_an_ordinary_delivery_takes_the_quick_path_and_odd_ones_do_not():
    def mapped(score, date=datetime(2026, 3, 31, 10), comment="ok"):
        return webhook._Mapped("csat", 5, {"score": score, "comment": comment}, date)

    assert webhook._plain(mapped("4")) is not None
    assert webhook._plain(mapped("4,0")) is None  # a decimal comma: the import reads it
    assert webhook._plain(mapped("6")) is None  # off the scale: the import says so
    assert webhook._plain(mapped("4", "31.03.2026")) is None  # a date to read
    assert webhook._plain(mapped("4", datetime(2300, 1, 1))) is None  # in the future: refused by the import
    assert webhook._plain(mapped("4", comment="z" * 100_000)) is None  # too long: refused by the import
    assert webhook._plain(webhook._Mapped("csat", 5, {"score": "4", "segment": "#N/A"}, datetime(2026, 3, 31))) is None


@settings(max_examples=200, deadline=None)
@given(name=st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
       payload=st.dictionaries(st.sampled_from(["score", "id", "a_1", "Score", "x"]), json_values, max_size=5))
def test_a_plain_field_name_is_found_as_jmespath_finds_it(name, payload):
    import jmespath

    assert webhook._find(name, payload) == jmespath.search(name, payload)
    assert webhook._find(f"{name}.inner", payload) == jmespath.search(f"{name}.inner", payload)


def test_a_remembered_mapping_still_refuses_a_bad_one_every_time():
    for _ in range(2):
        with pytest.raises(PayloadError):
            webhook.check_mapping({"score": "a[?"})
    assert webhook.check_mapping({"score": " score ", "comment": ""}) == {"score": "score"}
