"""May this actor do this to this workbook? One question, asked by every write.

An :class:`Actor` is whoever is acting: a signed-in person, the local user of a laptop
install, a workshop participant holding a vote identity, or the app itself (the demo).
:func:`allowed` answers from the workbook's grants (owner, editor, viewer, given to a named
person or to everyone signed in). :data:`ACCESS` hands that answer to the store, which asks
it inside :meth:`~cxlib.storage.store.Store.change`, the one write path, before it writes.

Workbooks made before sign-in existed, by the local user or by a store opened without
access checks (a notebook) are shared with everyone signed in as editors (a workbook with
no grant at all counts as such); an instance admin may hand them to an owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cxlib.storage.store import Change, Forbidden, NotFound, Store, ValidationError

ROLES = ("viewer", "editor", "owner")
EVERYONE = "*"  # the principal "everyone signed in"

# The least role each action needs on the workbook it touches.
NEEDS = {
    "view": "viewer",
    "vote": "viewer",
    "answer": "editor",  # recording a customer's answer (typed in by hand, or arriving from outside)
    "edit": "editor",
    "rename": "owner",
    "share": "owner",
    "delete": "owner",
}
# Actions on no workbook in particular, and who may do them.
SIGNED_IN_ACTIONS = ("create",)  # any signed-in person may start a workbook (and owns it)
ADMIN_ACTIONS = ("admin",)  # accounts: create people, reset passwords, disable
ANYONE_ACTIONS = ("sign_in",)  # recording a sign-in attempt (throttling) needs no one


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``kind``: ``user`` (signed in), ``local`` (the laptop's only user, may
    do everything), ``participant`` (a vote identity for one workbook), ``system`` (the app
    itself, e.g. building the demo), ``intake`` (answers arriving from outside, through a
    survey link or a webhook token, for the one workbook that link or token belongs to).
    ``name`` is what history and conflicts show."""

    id: str
    name: str
    kind: str = "user"
    admin: bool = False
    workbook_id: int | None = None  # a participant's or an intake's one workbook

    def __str__(self) -> str:
        return self.name

    @property
    def account_id(self) -> int | None:
        return int(self.id) if self.kind == "user" and self.id.isdigit() else None

    @property
    def principal(self) -> str:
        return f"user:{self.id}"

    @classmethod
    def local(cls, name: str = "") -> "Actor":
        """The one person using a laptop install (no sign-in): may do everything."""
        return cls(id="local", name=name or "local", kind="local")

    @classmethod
    def system(cls, name: str) -> "Actor":
        """The app acting on its own behalf (the first-run demo)."""
        return cls(id="system", name=name, kind="system")

    @classmethod
    def participant(cls, voter_id: str, workbook_id: int) -> "Actor":
        """An anonymous workshop participant: may only vote, in one workbook."""
        return cls(id=voter_id, name="participant", kind="participant", workbook_id=workbook_id)

    @classmethod
    def intake(cls, name: str, workbook_id: int) -> "Actor":
        """Answers from outside (a respondent's survey link, a survey tool's webhook token):
        no one signed in, so it may only record answers, in the one workbook the link or
        token belongs to (the link or token is the credential, checked before)."""
        return cls(id="intake", name=name, kind="intake", workbook_id=workbook_id)

    @classmethod
    def user(cls, account: dict[str, Any]) -> "Actor":
        """A signed-in person, from their account record."""
        return cls(id=str(account["id"]), name=account["name"] or account["login"], kind="user",
                   admin=bool(account["is_admin"]))


def role_of(store: Store, actor: Any, workbook_id: int) -> str | None:
    """The actor's highest role on the workbook (``owner`` for the local user and admins)."""
    if not isinstance(actor, Actor) or actor.kind in ("participant", "intake"):
        return None
    if actor.kind in ("local", "system") or actor.admin:
        return "owner"
    if actor.kind != "user":
        return None
    found = store.rows(
        "select role from grants where workbook_id = ? and principal in (?, ?)",
        (workbook_id, actor.principal, EVERYONE),
    )
    if not found and not store.rows("select 1 from grants where workbook_id = ? limit 1", (workbook_id,)):
        # Given to no one: made by a store without access checks (a laptop, a notebook).
        return "editor" if store.get("workbooks", workbook_id) else None
    ranks = [ROLES.index(row["role"]) for row in found if row["role"] in ROLES]
    return ROLES[max(ranks)] if ranks else None


def allowed(store: Store, actor: Any, action: str, workbook_id: int | None) -> bool:
    """The one permission question: may ``actor`` do ``action`` to ``workbook_id``?

    Anything that is not an :class:`Actor` (a bare name, None) may do nothing.
    """
    if not isinstance(actor, Actor):
        return False
    if action in ANYONE_ACTIONS:
        return True
    if actor.kind == "participant":
        return action == "vote" and workbook_id is not None and workbook_id == actor.workbook_id
    if actor.kind == "intake":
        return action == "answer" and workbook_id is not None and workbook_id == actor.workbook_id
    if workbook_id is None or action not in NEEDS:
        if action in SIGNED_IN_ACTIONS:
            return actor.kind in ("user", "local", "system")
        if action in ADMIN_ACTIONS:
            return actor.kind in ("local", "system") or actor.admin
        return False
    role = role_of(store, actor, workbook_id)
    return role is not None and ROLES.index(role) >= ROLES.index(NEEDS[action])


def visible_workbooks(store: Store, actor: Any) -> list[dict[str, Any]]:
    """The workbooks the actor may open, by name (the picker lists nothing else)."""
    every = store.list("workbooks", order_by="name collate nocase")
    return [wb for wb in every if allowed(store, actor, "view", wb["id"])]


class _Access:
    """The policy the app hands the store: :func:`allowed`, and owner grants for new workbooks."""

    def allowed(self, store: Store, who: Any, action: str, workbook_id: int | None) -> bool:
        return allowed(store, who, action, workbook_id)

    def created(self, change: Change, who: Any, workbook_id: int) -> None:
        """A signed-in maker owns the new workbook; the local user's and the app's are
        shared with everyone signed in (as editors), as workbooks from before sign-in are."""
        if isinstance(who, Actor) and who.kind == "user":
            grant = {"principal": who.principal, "role": "owner"}
        else:
            grant = {"principal": EVERYONE, "role": "editor"}
        change.insert("grants", {"workbook_id": workbook_id, **grant})


ACCESS = _Access()


# -- sharing ------------------------------------------------------------------------------------


def grants(store: Store, workbook_id: int) -> list[dict[str, Any]]:
    """Who the workbook is shared with: principal, role, and the person's name and login."""
    return store.rows(
        "select g.id, g.principal, g.role, g.version, a.name, a.login from grants g "
        "left join accounts a on g.principal = 'user:' || a.id "
        "where g.workbook_id = ? order by g.role = 'owner' desc, g.principal = '*' desc, a.name",
        (workbook_id,),
    )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}", field="role", rule="choice")


def share(store: Store, workbook_id: int, principal: str, role: str | None, who: Any) -> None:
    """Give ``principal`` (``user:<id>`` or ``*`` for everyone signed in) ``role`` on the
    workbook, or take their access away (``role=None``). Owners and admins only; the owner's
    own grant changes only through :func:`transfer_ownership`."""
    if role is not None:
        _check_role(role)
        if role == "owner":
            raise Forbidden("use transfer_ownership to hand over a workbook", action="share")
    with store.change(who, workbook_id, "share") as change:
        for existing in store.list("grants", "workbook_id = ? and principal = ?", (workbook_id, principal)):
            if existing["role"] == "owner":
                raise Forbidden("the owner keeps the workbook until it is handed over", action="share")
            change.delete("grants", existing["id"], existing["version"])
        if role is not None:
            change.insert("grants", {"workbook_id": workbook_id, "principal": principal, "role": role})


def transfer_ownership(store: Store, workbook_id: int, account_id: int, who: Any) -> None:
    """Make the account the workbook's owner; the previous owner stays on as an editor."""
    new_owner = f"user:{int(account_id)}"
    with store.change(who, workbook_id, "share") as change:
        if store.get("accounts", int(account_id)) is None:
            raise NotFound(f"account #{account_id} does not exist", table="accounts")
        for existing in store.list("grants", "workbook_id = ?", (workbook_id,)):
            if existing["principal"] == new_owner or existing["role"] == "owner":
                change.delete("grants", existing["id"], existing["version"])
                if existing["role"] == "owner" and existing["principal"] != new_owner:
                    change.insert("grants", {"workbook_id": workbook_id,
                                             "principal": existing["principal"], "role": "editor"})
        change.insert("grants", {"workbook_id": workbook_id, "principal": new_owner, "role": "owner"})
