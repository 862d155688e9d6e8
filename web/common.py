"""What every handler shares: the store of this server process and JSON error answers."""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import JSONResponse

from cxlib.access.ratelimit import Limiter, rates_from_env, retry_after
from cxlib.access.roles import ACCESS
from cxlib.storage.store import default_db_path, Store


@cache
def store() -> Store:
    """One Store per server process (``CXW_DB`` or the default file), as the pages use;
    it keeps one connection per thread, and its writes are serialised. Every write is
    checked by the access policy: the handlers write as an intake actor limited to the
    workbook of the survey link or webhook token (no one is signed in here)."""
    return Store(default_db_path(), ACCESS)


def json_error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    """A 4xx answer a survey tool's log can show: what was wrong and where."""
    return JSONResponse({"error": code, "message": message, "field": field}, status_code=status)


@cache
def limiter(scope: str) -> Limiter:
    """This process's per-address limit for ``survey`` or ``webhook`` (``CXW_RATE_*``)."""
    return Limiter(rates_from_env()[scope])


def over_limit(scope: str, request: Request) -> int | None:
    """Count the request against its address's limit: None when it may go ahead, else the
    whole seconds to wait (for ``Retry-After``)."""
    wait = limiter(scope).take(request.client.host if request.client else None)
    return retry_after(wait) if wait else None
