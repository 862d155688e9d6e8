"""Webhook tokens, sources and storing a delivered answer once."""

import threading

import pytest

from cxlib.steps.payloads import PayloadError
from cxlib.steps import feedback, webhooks
from cxlib.steps.webhooks import TokenError
from cxlib.storage.store import Store, ValidationError

NPS = {"score": 3, "metric": "nps", "customer": "C-9", "touchpoint": "Checkout", "comment": "slow"}


def test_token_is_shown_once_stored_as_a_hash_and_opens_its_workbook(store, workbook):
    record, token = webhooks.create_token(store, workbook["id"], "Typeform", "ana")
    assert token.startswith("cxw_") and token not in str(store.get("webhook_tokens", record["id"]))
    assert record["hint"] == token[-4:]
    assert webhooks.workbook_of(store, token) == workbook["id"]
    assert store.history(workbook["id"])[0]["table_name"] == "webhook_tokens"
    for wrong, code in ((None, "no_token"), ("", "no_token"), ("cxw_guess", "bad_token")):
        with pytest.raises(TokenError) as caught:
            webhooks.workbook_of(store, wrong)
        assert caught.value.code == code


def test_a_revoked_token_stops_at_once(store, workbook):
    record, token = webhooks.create_token(store, workbook["id"], "CRM", "ana")
    webhooks.revoke_token(store, workbook["id"], record["id"], record["version"], "ben")
    with pytest.raises(TokenError) as caught:
        webhooks.workbook_of(store, token)
    assert caught.value.code == "revoked_token"
    assert store.history(workbook["id"])[0]["who"] == "ben"


def test_answer_is_stored_with_history_and_a_retry_returns_the_same_id(store, workbook):
    first = webhooks.receive(store, workbook["id"], "generic", NPS, key="order-1")
    again = webhooks.receive(store, workbook["id"], "generic", {**NPS, "score": 10}, key="order-1")
    assert not first.duplicate and again == webhooks.Stored(first.response_id, True)
    stored = store.get("responses", first.response_id)
    assert (stored["score"], stored["touchpoint"], stored["source"], stored["updated_by"]) == (
        3.0, "Checkout", "generic", "webhook:generic")
    assert feedback.counts(store, workbook["id"])["responses"] == 1
    # A detractor goes straight to the follow-up list.
    assert [row["response_id"] for row in feedback.follow_ups(store, workbook["id"])] == [first.response_id]


def test_payload_id_is_the_key_when_no_header_and_a_delivery_without_either_is_refused(store, workbook):
    first = webhooks.receive(store, workbook["id"], "generic", {**NPS, "id": "evt-1"})
    assert webhooks.receive(store, workbook["id"], "generic", {**NPS, "id": "evt-1"}).duplicate
    assert first.response_id
    with pytest.raises(PayloadError) as caught:
        webhooks.receive(store, workbook["id"], "generic", NPS)
    assert caught.value.code == "no_key"


def test_undoing_an_answer_lets_its_delivery_be_sent_again(store, workbook):
    first = webhooks.receive(store, workbook["id"], "generic", NPS, key="k")
    store.undo_last(workbook["id"], "ana")
    assert store.get("responses", first.response_id) is None
    assert not webhooks.receive(store, workbook["id"], "generic", NPS, key="k").duplicate


def test_concurrent_copies_of_one_delivery_are_stored_once(db_path, workbook):
    results = []

    def deliver() -> None:
        own = Store(db_path)  # one store per thread, as on separate server workers
        results.append(webhooks.receive(own, workbook["id"], "generic", NPS, key="same"))
        own.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.response_id for r in results}) == 1
    assert sorted(r.duplicate for r in results) == [False] + [True] * 7


def test_saved_source_maps_a_tools_payload_with_its_metric(store, workbook):
    webhooks.save_source(store, workbook["id"], {"name": "Tally", "preset": "tally", "metric": "csat", "scale": 5},
                         "ana")
    delivery = {"eventId": "t-1", "data": {"createdAt": "2026-11-01T09:00:00Z",
                                           "fields": [{"type": "RATING", "value": 2}]}}
    stored = webhooks.receive(store, workbook["id"], "tally", delivery)
    row = store.get("responses", stored.response_id)
    assert (row["metric"], row["scale"], row["score"], row["at"]) == ("csat", 5, 2.0, "2026-11-01T09:00:00")


def test_source_rules(store, workbook):
    with pytest.raises(ValidationError) as caught:
        webhooks.save_source(store, workbook["id"], {"name": "my tool!"}, "ana")
    assert caught.value.details["rule"] == "source_name"
    with pytest.raises(ValidationError) as caught:
        webhooks.save_source(store, workbook["id"], {"name": "x", "mapping": {"score": "a[?"}}, "ana")
    assert caught.value.details["rule"] == "mapping"
    webhooks.save_source(store, workbook["id"], {"name": "crm"}, "ana")
    with pytest.raises(ValidationError):
        webhooks.save_source(store, workbook["id"], {"name": "crm"}, "ana")
    with pytest.raises(PayloadError) as unknown:
        webhooks.receive(store, workbook["id"], "nothing", NPS, key="k")
    assert unknown.value.code == "unknown_source"


def test_a_batch_stores_each_key_once_and_keeps_refusals_in_place(store, workbook):
    results = webhooks.receive_many(store, workbook["id"], [
        ("generic", NPS, "b-1"), ("generic", {**NPS, "score": 99}, "b-2"), ("generic", NPS, "b-1"),
        ("nosuch", NPS, "b-3"), ("generic", NPS, None)])
    assert isinstance(results[0], webhooks.Stored) and not results[0].duplicate
    assert results[2] == webhooks.Stored(results[0].response_id, True)
    assert [getattr(r, "code", None) for r in results] == [None, "invalid", None, "unknown_source", "no_key"]
    assert feedback.counts(store, workbook["id"])["responses"] == 1


def test_each_answer_of_a_batch_is_its_own_change_and_undone_alone(store, workbook):
    results = webhooks.receive_many(store, workbook["id"], [("generic", NPS, "u-1"), ("generic", NPS, "u-2")])
    store.undo_last(workbook["id"], "ana")
    assert store.get("responses", results[1].response_id) is None
    assert store.get("responses", results[0].response_id) is not None
