"""Anonymous vote identities the server issues: a random id, signed with this server's
secret, so a participant's browser can keep it (a cookie) but cannot make one up.

The id never comes from the link: editing the address or forging a cookie gives no
identity, and a fresh private window gets a fresh identity, which the shared screen
counts as one more voter (the honest limit of anonymous voting).
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer

from cxlib.storage.store import Store

COOKIE = "cxw_voter"
COOKIE_MAX_AGE = 7 * 24 * 3600  # a workshop week; the id is worth nothing after the vote
_SALT = "cxw-voter"


def _serializer(store: Store) -> URLSafeSerializer:
    secret = store.rows("select value from server_secrets where name = 'signing'")[0]["value"]
    return URLSafeSerializer(secret, salt=_SALT)


def new_id() -> str:
    """A fresh random voter id (the server's, never the participant's choice)."""
    return secrets.token_urlsafe(12)


def issue(store: Store, voter_id: str | None = None) -> str:
    """The signed form of a (new) voter id, to keep in the participant's cookie."""
    return _serializer(store).dumps(voter_id or new_id())


def read(store: Store, signed: str | None) -> str | None:
    """The voter id in a signed value, or None when it is missing, altered or forged."""
    if not signed or len(signed) > 200:
        return None
    try:
        voter_id = _serializer(store).loads(signed)
    except BadSignature:
        return None
    return voter_id if isinstance(voter_id, str) else None
