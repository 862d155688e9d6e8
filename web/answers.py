"""``POST /api/answers/{source}``: survey tools, forms and CRMs deliver answers as they come.

The token (``Authorization: Bearer …`` or ``?token=``) names the workbook; ``source`` names
the saved field mapping (or a preset); ``Idempotency-Key`` (or the payload's mapped id)
makes a retried delivery land once. Success is 201 with the stored id (200 and
``"duplicate": true`` for a retry); every refusal is a 4xx JSON saying what was wrong.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cxlib.ingest import webhook
from cxlib.ingest.webhook import PayloadError
from cxlib.steps import webhooks
from cxlib.steps.webhooks import TokenError
from web.common import json_error, store

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


def _store(token: str | None, source: str, body: bytes, key: str | None) -> webhooks.Stored:
    the_store = store()
    workbook_id = webhooks.workbook_of(the_store, token)
    return webhooks.receive(the_store, workbook_id, source, webhook.parse_json(body), key)


async def receive(request: Request) -> Response:
    try:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            return json_error(415, "not_json", "send the answer as JSON with 'Content-Type: application/json'")
        body = await _body(request)
        stored = await run_in_threadpool(_store, _token(request), request.path_params["source"], body,
                                         request.headers.get("idempotency-key"))
    except TokenError as error:
        return json_error(401, error.code, str(error))
    except PayloadError as error:
        return json_error(STATUS.get(error.code, 422), error.code, str(error), error.field)
    return JSONResponse({"id": stored.response_id, "duplicate": stored.duplicate},
                        status_code=200 if stored.duplicate else 201)
