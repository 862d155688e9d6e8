"""Workshop facilitation: agenda with time boxes, the presenter's current step and timer,
quick capture of ideas, and anonymous dot voting on pain points and opportunities.

The presenter state lives in the database, so the shared screen, a refreshed browser and
participants' phones all see the same step, timer and vote.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

import polars as pl

from cxlib.steps import automation, competitors, journeys, progress
from cxlib.storage import records
from cxlib.storage.store import Store, StoreError, ValidationError

DEFAULT_MINUTES = {"personas": 20, "vision": 15, "journeys": 30, "competitors": 15, "team": 10,
                   "automation": 15, "listening": 10, "emotion": 15, "feedback": 10, "metrics": 15}
MAX_DOTS = 10


def _now() -> datetime:
    return datetime.now(timezone.utc)


class RoomMoved(StoreError):
    """A presenter control pressed on a screen that still showed another step than the room
    is on (another screen moved it meanwhile): nothing was changed. ``details["step"]`` is
    the room's step."""

    key = "workshop.moved_meanwhile"


def _fresh() -> dict[str, Any]:
    """The presenter's state before anyone has touched it: the default agenda, step one."""
    return {"agenda": dict(DEFAULT_MINUTES), "current_step": progress.STEP_KEYS[0], "dots": 3}


def workshop(store: Store, workbook_id: int) -> dict[str, Any]:
    """The workbook's workshop state. Opening the presenter view writes nothing (no history
    entry, nothing for Undo to offer): until the first real action it is the default agenda
    on step one, and that action creates the record (see :func:`_update`)."""
    found = store.list("workshops", "workbook_id = ?", (workbook_id,))
    if found:
        found[0]["agenda"] = dict(found[0]["agenda"] or {})
        return found[0]
    return {"id": None, "workbook_id": workbook_id, "version": None, "step_started_at": None,
            "voting_open": 0, "vote_token": None, "ranking": [], **_fresh()}


def _update(store: Store, workbook_id: int, values: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
            who: Any) -> dict[str, Any]:
    """Presenter controls act on the current state (the facilitator drives; no conflict).
    The first of them creates the record inside its own transaction (two screens acting
    at once get one record). ``values`` may be a function of the state read inside it."""
    with store.change(who, workbook_id) as change:
        change.insert_single("workshops", _fresh())
        current = store.list("workshops", "workbook_id = ?", (workbook_id,))[0]
        change.update("workshops", current["id"], values(current) if callable(values) else values, current["version"])
    return workshop(store, workbook_id)


def set_minutes(store: Store, workbook_id: int, minutes: Mapping[str, Any], who: Any) -> dict[str, Any]:
    agenda = {}
    for step in progress.STEP_KEYS:
        value = minutes.get(step, DEFAULT_MINUTES[step])
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or value < 1 or value > 240:
            raise ValidationError("time box must be 1–240 minutes", field=step, rule="range")
        agenda[step] = int(value)
    return _update(store, workbook_id, {"agenda": agenda}, who)


def go_to(store: Store, workbook_id: int, step: str, who: Any) -> dict[str, Any]:
    """Show ``step`` on the shared screen and start its timer."""
    if step not in progress.STEP_KEYS:
        raise ValidationError("unknown step", field="step", rule="choice")
    return _update(store, workbook_id, {"current_step": step, "step_started_at": _now().isoformat()}, who)


def _from_shown(store: Store, workbook_id: int, shown: str | None, who: Any,
                step_after: Callable[[str], str]) -> dict[str, Any]:
    """Show ``step_after(the room's step)`` and start its timer, read and written in one
    transaction; :class:`RoomMoved` when ``shown`` (the step the pressing screen showed) is
    no longer the room's, and then nothing is written."""

    def values(current: dict[str, Any]) -> dict[str, Any]:
        if shown is not None and current["current_step"] != shown:
            raise RoomMoved("another screen moved the workshop", step=current["current_step"])
        return {"current_step": step_after(current["current_step"]), "step_started_at": _now().isoformat()}

    return _update(store, workbook_id, values, who)


def start_timer(store: Store, workbook_id: int, shown: str, who: Any) -> dict[str, Any]:
    """Restart the time box of ``shown``, the step the pressing screen shows. If another
    screen moved the room on meanwhile, :class:`RoomMoved` and nothing changes: starting the
    shown step's timer would move the room back to it."""
    if shown not in progress.STEP_KEYS:
        raise ValidationError("unknown step", field="step", rule="choice")
    return _from_shown(store, workbook_id, shown, who, lambda current: current)


def move(store: Store, workbook_id: int, offset: int, who: Any, shown: str | None = None) -> dict[str, Any]:
    """Next (+1) or previous (−1) step of the agenda. With ``shown`` (the step the pressing
    screen shows), :class:`RoomMoved` if the room has moved on from it meanwhile, and
    nothing changes: a second "Next" for the same move would skip a step for everyone."""
    keys = list(progress.STEP_KEYS)
    return _from_shown(store, workbook_id, shown, who,
                       lambda current: keys[min(max(keys.index(current) + offset, 0), len(keys) - 1)])


def seconds_left(state: Mapping[str, Any], now: datetime | None = None) -> int | None:
    """Time left in the current step's time box (negative once over), None before start."""
    if not state.get("step_started_at"):
        return None
    started = datetime.fromisoformat(state["step_started_at"])
    elapsed = ((now or _now()) - started).total_seconds()
    return int(state["agenda"].get(state["current_step"], 0) * 60 - elapsed)


def clock(seconds: int) -> str:
    sign = "−" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


# -- quick capture -------------------------------------------------------------------------------


def capture(store: Store, workbook_id: int, step: str | None, text: str, who: Any) -> dict[str, Any] | None:
    """Add an idea to a step's list (empty text is ignored). With ``step`` None it goes to the
    step on the shared screen when Enter is pressed, read inside the write: a page still
    drawing the previous step must not file the idea there."""
    text = (text or "").strip()
    if not text:
        return None
    with store.change(who, workbook_id) as change:
        step = step or workshop(store, workbook_id)["current_step"]
        return change.insert("ideas", {"workbook_id": workbook_id, "step": step, "text": text})


def ideas(store: Store, workbook_id: int, step: str | None = None) -> list[dict[str, Any]]:
    if step is None:
        return store.list("ideas", "workbook_id = ?", (workbook_id,))
    return store.list("ideas", "workbook_id = ? and step = ?", (workbook_id, step))


# -- dot voting ---------------------------------------------------------------------------------


def vote_items(store: Store, workbook_id: int) -> list[str]:
    """What can be voted on: journey pain points and opportunities, gap actions, automation
    ideas and ideas captured in the workshop."""
    items = [f"{p['stage']}: {p['pain_point']}" for p in journeys.pain_points(store, workbook_id)]
    for stage in journeys.all_stages(store, workbook_id):
        items += [f"{stage['name']}: {line}" for line in records.lines(stage["opportunities"])]
    items += [a["action"] for a in competitors.list_actions(store, workbook_id)]
    items += [i["name"] for i in automation.list_items(store, workbook_id)]
    items += [i["text"] for i in ideas(store, workbook_id)]
    return list(dict.fromkeys(items))


def open_voting(store: Store, workbook_id: int, dots: int, who: Any) -> dict[str, Any]:
    """Start a vote: clear earlier votes and hand out a fresh link token."""
    if not 1 <= int(dots) <= MAX_DOTS:
        raise ValidationError(f"dots must be 1–{MAX_DOTS}", field="dots", rule="range")
    with store.change(who, workbook_id) as change:
        for vote in store.list("votes", "workbook_id = ?", (workbook_id,)):
            change.delete("votes", vote["id"], vote["version"])
    return _update(store, workbook_id, {"voting_open": 1, "dots": int(dots),
                                        "vote_token": secrets.token_urlsafe(6), "ranking": []}, who)


def close_voting(store: Store, workbook_id: int, who: Any) -> dict[str, Any]:
    """Stop the vote and save the ranked result in the workbook."""
    ranking = results(store, workbook_id).to_dicts()
    return _update(store, workbook_id, {"voting_open": 0, "ranking": ranking}, who)


def cast(store: Store, workbook_id: int, token: str, voter: Any, picks: list[str]) -> None:
    """A participant's dots (replacing their earlier ones), at most the vote's dots per voter.

    ``voter`` is the actor voting: a participant whose anonymous id the server issued (a
    signed cookie, see :mod:`cxlib.access.voters`), never read from the link, or a person
    who may open the workbook. Their dots are kept under the actor's id."""
    state = workshop(store, workbook_id)
    if not state["voting_open"] or token != state["vote_token"]:
        raise ValidationError("this vote is closed", field="vote", rule="closed")
    if len(picks) > state["dots"]:
        raise ValidationError(f"at most {state['dots']} dots", field="vote", rule="dots")
    allowed = set(vote_items(store, workbook_id))
    if any(pick not in allowed for pick in picks):
        raise ValidationError("unknown item", field="vote", rule="choice")
    voter_id = _voter_id(voter)
    with store.change(voter, workbook_id, "vote") as change:
        for vote in store.list("votes", "workbook_id = ? and voter = ?", (workbook_id, voter_id)):
            change.delete("votes", vote["id"], vote["version"])
        for pick in picks:
            change.insert("votes", {"workbook_id": workbook_id, "voter": voter_id, "item": pick})


def _voter_id(voter: Any) -> str:
    """The id votes are kept under: the actor's id (kind-prefixed), or a plain text id."""
    kind = getattr(voter, "kind", None)
    return f"{kind}:{voter.id}" if kind else str(voter)


def my_votes(store: Store, workbook_id: int, voter: Any) -> list[str]:
    return [v["item"] for v in store.list("votes", "workbook_id = ? and voter = ?",
                                          (workbook_id, _voter_id(voter)))]


def results(store: Store, workbook_id: int) -> pl.DataFrame:
    """Dots per item, most first, and how many people voted."""
    rows = store.rows(
        "select item, count(*) as dots from votes where workbook_id = ? group by item "
        "order by dots desc, item", (workbook_id,))
    return pl.DataFrame(rows, schema={"item": pl.String, "dots": pl.Int64})


def voters(store: Store, workbook_id: int) -> int:
    return store.rows("select count(distinct voter) as n from votes where workbook_id = ?",
                      (workbook_id,))[0]["n"]
