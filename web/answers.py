"""``POST /api/answers/{source}``: survey tools, forms and CRMs deliver answers as they come.

The token (``Authorization: Bearer …`` or ``?token=``) names the workbook; ``source`` names
the saved field mapping (or a preset); ``Idempotency-Key`` (or the payload's mapped id)
makes a retried delivery land once. Deliveries that arrive while others are being stored
wait and are stored together (one check for the lot, one change per answer), which is what
keeps a burst from a survey tool fast. Success is 201 with the stored id (200 and
``"duplicate": true`` for a retry); every refusal is a 4xx JSON saying what was wrong.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cxlib.steps import payloads as webhook
from cxlib.steps.payloads import PayloadError
from cxlib.steps import webhooks
from cxlib.steps.webhooks import TokenError
from web.common import json_error, over_limit, store

STATUS = {"too_large": 413, "unknown_source": 404, "not_json": 400, "not_object": 400, "not_utf8": 400}


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.query_params.get("token")


async def _body(request: Request) -> bytes:
    """The body, read no further than the size limit (PayloadError ``too_large``)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > webhook.MAX_BYTES:
        raise PayloadError("too_large", f"the body is {declared} bytes; at most {webhook.MAX_BYTES} are accepted")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > webhook.MAX_BYTES:
            raise PayloadError("too_large", f"the body is over {webhook.MAX_BYTES} bytes")
    return bytes(body)


MAX_BATCH = 64


@dataclass
class _Waiting:
    token: str | None
    source: str
    body: bytes
    key: str | None
    answer: asyncio.Future
    payload: Any = None


def _process(batch: list[_Waiting]) -> list[webhooks.Stored | Exception]:
    """Deliveries that arrived while the previous batch was being stored: tokens and JSON
    checked one by one, then each workbook's answers checked and stored together."""
    the_store = store()
    results: list[webhooks.Stored | Exception | None] = [None] * len(batch)
    per_workbook: dict[int, list[int]] = {}
    tokens: dict[str | None, int | TokenError] = {}  # a survey tool sends one token: looked up once a batch
    for index, waiting in enumerate(batch):
        if waiting.token not in tokens:
            try:
                tokens[waiting.token] = webhooks.workbook_of(the_store, waiting.token)
            except TokenError as error:
                tokens[waiting.token] = error
        try:
            if isinstance(tokens[waiting.token], TokenError):
                raise tokens[waiting.token]
            workbook_id = tokens[waiting.token]
            waiting.payload = webhook.parse_json(waiting.body)
        except (TokenError, PayloadError) as error:
            results[index] = error
        else:
            per_workbook.setdefault(workbook_id, []).append(index)
    for workbook_id, indexes in per_workbook.items():
        stored = webhooks.receive_many(the_store, workbook_id,
                                       [(batch[i].source, batch[i].payload, batch[i].key) for i in indexes])
        for index, result in zip(indexes, stored):
            results[index] = result
    return results


_queues: dict[int, asyncio.Queue] = {}


async def _worker(queue: asyncio.Queue) -> None:
    """Store what waits, one batch at a time: under load, the deliveries that arrive while
    a batch is written form the next one (no added wait when the endpoint is quiet)."""
    while True:
        batch = [await queue.get()]
        while not queue.empty() and len(batch) < MAX_BATCH:
            batch.append(queue.get_nowait())
        try:
            results = await run_in_threadpool(_process, batch)
        except Exception as error:  # a database failure: every delivery of the batch hears of it
            results = [error] * len(batch)
        for waiting, result in zip(batch, results):
            if not waiting.answer.done():
                waiting.answer.set_result(result)


async def _submit(waiting: _Waiting) -> webhooks.Stored | Exception:
    loop = asyncio.get_running_loop()
    queue = _queues.get(id(loop))
    if queue is None:
        queue = _queues[id(loop)] = asyncio.Queue()
        loop.create_task(_worker(queue))
    await queue.put(waiting)
    return await waiting.answer


async def receive(request: Request) -> Response:
    wait = over_limit("webhook", request)
    if wait:
        answer = json_error(429, "rate_limited", f"too many requests from this address; wait {wait} s and send "
                                                 "again (the server's CXW_RATE_WEBHOOK sets the limit)")
        answer.headers["Retry-After"] = str(wait)
        return answer
    try:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            return json_error(415, "not_json", "send the answer as JSON with 'Content-Type: application/json'")
        body = await _body(request)
    except PayloadError as error:
        return json_error(STATUS.get(error.code, 422), error.code, str(error), error.field)
    result = await _submit(_Waiting(_token(request), request.path_params["source"], body,
                                    request.headers.get("idempotency-key"), asyncio.get_running_loop().create_future()))
    if isinstance(result, TokenError):
        return json_error(401, result.code, str(result))
    if isinstance(result, PayloadError):
        return json_error(STATUS.get(result.code, 422), result.code, str(result), result.field)
    if isinstance(result, Exception):
        raise result
    return JSONResponse({"id": result.response_id, "duplicate": result.duplicate},
                        status_code=200 if result.duplicate else 201)
