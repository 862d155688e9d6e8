"""People's accounts: built-in ones with Argon2 passwords and throttled sign-in, and the
records of people who sign in through single sign-on or a trusted proxy.

Every write goes through the store's one write path. The first admin is made from the
command line, before anyone can sign in::

    python -m cxlib.access.accounts create-admin alice --name "Alice Martin"

(the password is asked twice, or read from standard input with ``--password-stdin``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cxlib.access import sessions
from cxlib.access.roles import ACCESS, Actor
from cxlib.storage.store import default_db_path, now_iso, Store, StoreError, ValidationError

SOURCES = ("builtin", "oidc", "proxy")
MIN_PASSWORD = 10
MAX_LOGIN = 200
# Throttling: after this many failed attempts for one login within the window, further
# attempts are refused until the window has passed since the newest failure.
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class SignInRefused(StoreError):
    """Wrong login or password (never saying which), a disabled account, or too many tries."""

    key = "error.sign_in"


class TooManyAttempts(SignInRefused):
    key = "error.sign_in_throttled"


def _clean_login(login: str) -> str:
    login = (login or "").strip()
    if not login:
        raise ValidationError("a login is required", field="login", rule="required")
    if len(login) > MAX_LOGIN or any(ch.isspace() or not ch.isprintable() for ch in login):
        raise ValidationError("a login is one word of printable characters", field="login", rule="login_format")
    return login


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD} characters",
                              field="password", rule="min_length", min=MIN_PASSWORD)


def list_accounts(store: Store) -> list[dict[str, Any]]:
    """Everyone who has an account, without password hashes, by name."""
    return store.rows(
        "select id, login, name, source, is_admin, disabled, created_at, last_sign_in, version "
        "from accounts order by name collate nocase, login"
    )


def find(store: Store, login: str) -> dict[str, Any] | None:
    found = store.rows("select * from accounts where login = ?", ((login or "").strip(),))
    return found[0] if found else None


def create_account(
    store: Store, login: str, name: str, password: str, who: Any, admin: bool = False
) -> dict[str, Any]:
    """A built-in account (instance admins only). The password is kept as an Argon2 hash."""
    login = _clean_login(login)
    _check_password(password)
    with store.change(who, None, "admin") as change:
        if find(store, login):
            raise ValidationError(f"the login {login!r} is taken", field="login", rule="login_taken")
        return change.insert("accounts", {
            "login": login, "name": (name or "").strip() or login, "source": "builtin",
            "password_hash": _hasher.hash(password), "is_admin": int(bool(admin)),
            "created_at": now_iso(),
        })


def update_account(
    store: Store, account_id: int, expected_version: int, who: Any, *, name: str | None = None,
    password: str | None = None, admin: bool | None = None, disabled: bool | None = None,
) -> dict[str, Any]:
    """Change a person's name, password, admin flag or whether they may sign in (admins only)."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = name.strip()
    if password is not None:
        _check_password(password)
        values["password_hash"] = _hasher.hash(password)
    if admin is not None:
        values["is_admin"] = int(admin)
    if disabled is not None:
        values["disabled"] = int(disabled)
    with store.change(who, None, "admin") as change:
        if password is not None:  # whoever knew the old password is signed out everywhere
            sessions.end_all(change, account_id)
        return change.update("accounts", account_id, values, expected_version)


def _failures(store: Store, login: str, now: datetime) -> list[str]:
    """Times of the failed attempts since the last success, within the window."""
    rows = store.rows(
        "select at, ok from sign_in_attempts where login = ? and at >= ? order by id desc",
        (login, (now - WINDOW).isoformat(timespec="seconds")),
    )
    failures = []
    for row in rows:
        if row["ok"]:
            break
        failures.append(row["at"])
    return failures


def _record(store: Store, login: str, ok: bool, now: datetime) -> None:
    with store.change(Actor(id="anonymous", name=login[:MAX_LOGIN], kind="anonymous"), None, "sign_in") as change:
        change.insert("sign_in_attempts", {"login": login[:MAX_LOGIN], "ok": int(ok),
                                           "at": now.isoformat(timespec="seconds")})
        if ok:
            account = find(store, login)
            change.db.execute("update accounts set last_sign_in = ? where id = ?",
                              (now.isoformat(timespec="seconds"), account["id"]))


def sign_in(store: Store, login: str, password: str, now: datetime | None = None) -> Actor:
    """Check a built-in account's password; the signed-in actor, or SignInRefused.

    After :data:`MAX_FAILURES` failures in :data:`WINDOW` the login is refused (even with
    the right password) until the window has passed since the last failure.
    """
    now = now or datetime.now(timezone.utc)
    login = (login or "").strip()[:MAX_LOGIN]
    failures = _failures(store, login, now)
    if len(failures) >= MAX_FAILURES:
        wait = datetime.fromisoformat(failures[0]) + WINDOW - now
        raise TooManyAttempts("too many failed sign-ins", minutes=max(1, int(wait.total_seconds() // 60) + 1))
    account = find(store, login)
    ok = False
    if account and account["source"] == "builtin" and account["password_hash"] and not account["disabled"]:
        try:
            ok = _hasher.verify(account["password_hash"], password or "")
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password or "")  # the same work whether the login exists or not
    _record(store, login, ok, now)
    if not ok:
        raise SignInRefused("wrong login or password")
    if _hasher.check_needs_rehash(account["password_hash"]):
        with store.change(Actor.user(account), None, "sign_in") as change:
            change.db.execute("update accounts set password_hash = ? where id = ?",
                              (_hasher.hash(password), account["id"]))
    return Actor.user(find(store, login))


def external_sign_in(store: Store, login: str, name: str, source: str, admins: frozenset[str] = frozenset()) -> Actor:
    """A person vouched for by the identity provider or the trusted proxy: their account is
    made on first sign-in (and kept up to date); ``admins`` lists logins that are instance
    admins. A disabled account is refused."""
    if source not in SOURCES[1:]:
        raise ValueError(f"unknown sign-in source {source!r}")
    login = _clean_login(login)
    name = (name or "").strip()[:200] or login
    is_admin = int(login.casefold() in {a.casefold() for a in admins})
    with store.change(Actor(id="anonymous", name=login, kind="anonymous"), None, "sign_in") as change:
        account = find(store, login)
        if account is None:
            change.insert("accounts", {"login": login, "name": name, "source": source, "is_admin": is_admin,
                                       "created_at": now_iso(), "last_sign_in": now_iso()})
        else:
            if account["disabled"] or account["source"] != source:
                raise SignInRefused("this account may not sign in this way")
            change.db.execute(
                "update accounts set name = ?, is_admin = max(is_admin, ?), last_sign_in = ? where id = ?",
                (name, is_admin, now_iso(), account["id"]))
    return Actor.user(find(store, login))


def main(argv: list[str] | None = None) -> int:
    """The command line: ``create-admin LOGIN [--name NAME] [--password-stdin] [--db PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m cxlib.access.accounts",
                                     description="Manage built-in accounts of a CX Strategy Workbook server.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="create an instance admin (the first one, for example)")
    create.add_argument("login")
    create.add_argument("--name", default="")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--db", default=None, help="database file (default: CXW_DB or data/workbook.db)")
    args = parser.parse_args(argv)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ; nothing was created.", file=sys.stderr)
            return 1
    store = Store(args.db or default_db_path(), ACCESS)
    try:
        made = create_account(store, args.login, args.name, password, Actor.system("command line"), admin=True)
    except ValidationError as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 1
    print(f"Created admin {made['login']} (account #{made['id']}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
