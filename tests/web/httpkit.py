"""A few lines of HTTP for the tests (standard library only): status, headers, body."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any


@dataclass
class Answer:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Client:
    """Keeps cookies like a phone's browser does; does not follow redirects unless asked."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                follow: bool = True) -> Answer:
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if not follow:
            handlers.append(_NoRedirect())
        opener = urllib.request.build_opener(*handlers)
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with opener.open(request, timeout=30) as answer:
                return Answer(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def post_json(self, path: str, payload: Any, token: str | None = None, key: str | None = None,
                  raw: bytes | None = None, content_type: str = "application/json") -> Answer:
        headers = {"Content-Type": content_type}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        body = raw if raw is not None else json.dumps(payload).encode("utf-8")
        return self.request("POST", path, body, headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
