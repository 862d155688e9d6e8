"""POST /api/answers/{source} on the running server: stored once, refused with a reason."""

import json
from pathlib import Path

import pytest
from httpkit import Client

from cxlib.steps import payloads as webhook
from cxlib.steps import feedback, webhooks
from cxlib.storage import workbooks
from cxlib.storage.store import Store

URL = "/api/answers/generic"
ANSWER = {"score": 2, "metric": "nps", "customer": "C-42", "touchpoint": "Checkout", "comment": "<b>late</b> =1+1"}


@pytest.fixture(scope="module")
def setup(server):
    store = Store(server.db_path)
    workbook = workbooks.create_workbook(store, "Webhook shop", "tester")
    record, token = webhooks.create_token(store, workbook["id"], "tests", "tester")
    return store, workbook["id"], token, record


def test_valid_answer_is_stored_and_a_retry_is_not(server, setup):
    store, workbook_id, token, _ = setup
    client = Client(server.url)
    first = client.post_json(URL, ANSWER, token, key="order-1")
    assert first.status == 201
    stored_id = first.json()["id"]
    assert first.json() == {"id": stored_id, "duplicate": False}
    retry = client.post_json(URL, ANSWER, token, key="order-1")
    assert (retry.status, retry.json()) == (200, {"id": stored_id, "duplicate": True})
    row = store.get("responses", stored_id)
    assert (row["workbook_id"], row["score"], row["touchpoint"], row["comment"]) == (
        workbook_id, 2.0, "Checkout", "<b>late</b> =1+1")  # kept as text; every view shows it inert
    assert store.history(workbook_id)[0]["who"] == "webhook:generic"
    assert stored_id in [r["response_id"] for r in feedback.follow_ups(store, workbook_id)]
    assert store.rows("select count(*) as n from webhook_deliveries where key = 'order-1'")[0]["n"] == 1


def test_token_in_the_query_and_the_payload_id_as_key(server, setup):
    _, _, token, _ = setup
    client = Client(server.url)
    first = client.post_json(f"{URL}?token={token}", {**ANSWER, "id": "evt-9"})
    again = client.post_json(f"{URL}?token={token}", {**ANSWER, "id": "evt-9"})
    assert (first.status, again.status, again.json()["id"]) == (201, 200, first.json()["id"])


@pytest.mark.parametrize("payload, raw, status, code, field", [
    ({**ANSWER, "score": 11}, None, 422, "invalid", "score"),
    ({"score": 5}, None, 422, "metric", "metric"),
    (None, b'{"score": 5,', 400, "not_json", None),
    (None, b"[1, 2]", 400, "not_object", None),
    (None, b"\xff\xfe\x00", 400, "not_utf8", None),
    ({**ANSWER, "date": "next Tuesday"}, None, 422, "invalid", "date"),
])
def test_invalid_answers_get_a_4xx_that_says_what_was_wrong(server, setup, payload, raw, status, code, field):
    store, workbook_id, token, _ = setup
    before = feedback.counts(store, workbook_id)["responses"]
    answer = Client(server.url).post_json(URL, payload, token, key="bad-1", raw=raw)
    assert (answer.status, answer.json()["error"], answer.json()["field"]) == (status, code, field)
    assert answer.json()["message"]
    assert feedback.counts(store, workbook_id)["responses"] == before


def test_missing_key_wrong_content_type_and_unknown_source(server, setup):
    _, _, token, _ = setup
    client = Client(server.url)
    assert client.post_json(URL, ANSWER, token).json()["error"] == "no_key"
    plain = client.post_json(URL, ANSWER, token, key="k", content_type="text/plain")
    assert (plain.status, plain.json()["error"]) == (415, "not_json")
    unknown = client.post_json("/api/answers/nosuchtool", ANSWER, token, key="k")
    assert (unknown.status, unknown.json()["error"]) == (404, "unknown_source")


def test_oversized_body_is_refused_before_it_is_read(server, setup):
    store, workbook_id, token, _ = setup
    before = feedback.counts(store, workbook_id)["responses"]
    big = json.dumps({**ANSWER, "padding": "x" * (webhook.MAX_BYTES + 10)}).encode()
    answer = Client(server.url).post_json(URL, None, token, key="big", raw=big)
    assert (answer.status, answer.json()["error"]) == (413, "too_large")
    assert feedback.counts(store, workbook_id)["responses"] == before


def test_wrong_missing_and_revoked_tokens_are_401(server, setup):
    store, workbook_id, _, _ = setup
    client = Client(server.url)
    assert (client.post_json(URL, ANSWER, None, key="t").status,
            client.post_json(URL, ANSWER, None, key="t").json()["error"]) == (401, "no_token")
    wrong = client.post_json(URL, ANSWER, "cxw_not-a-real-token", key="t")
    assert (wrong.status, wrong.json()["error"]) == (401, "bad_token")
    record, token = webhooks.create_token(store, workbook_id, "soon revoked", "tester")
    assert client.post_json(URL, ANSWER, token, key="before-revoke").status == 201
    webhooks.revoke_token(store, workbook_id, record["id"], record["version"], "tester")
    revoked = client.post_json(URL, ANSWER, token, key="after-revoke")
    assert (revoked.status, revoked.json()["error"]) == (401, "revoked_token")
    assert not store.rows("select 1 from webhook_deliveries where key = 'after-revoke'")


SAMPLES = Path(__file__).resolve().parents[1] / "cxlib" / "steps" / "webhook_samples"


@pytest.mark.parametrize("tool, metric, scale, score", [("typeform", "nps", None, 3.0), ("tally", "csat", 5, 2.0)])
def test_a_survey_tools_real_delivery_shape_is_stored_once(server, setup, tool, metric, scale, score):
    """The body as Typeform or Tally sends it (no Idempotency-Key: the response's own id
    is the key), to a source saved with the tool's preset."""
    store, workbook_id, token, _ = setup
    webhooks.save_source(store, workbook_id, {"name": tool, "preset": tool, "metric": metric, "scale": scale}, "tester")
    body = (SAMPLES / f"{tool}_form_response.json").read_bytes()
    client = Client(server.url)
    first = client.post_json(f"/api/answers/{tool}", None, token, raw=body)
    assert first.status == 201, first.text
    again = client.post_json(f"/api/answers/{tool}", None, token, raw=body)  # the tool retries
    assert (again.status, again.json()["id"]) == (200, first.json()["id"])
    row = store.get("responses", first.json()["id"])
    assert (row["metric"], row["score"], row["customer"], row["comment"], row["source"]) == (
        metric, score, "C-20418", "The queue at the till took twenty minutes.", tool)
