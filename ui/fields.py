"""Typed number and date fields that read the user's digits, separators and calendar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.context import ctx


def number_field(
    label: str,
    value: float | None,
    *,
    key: str,
    minimum: float | None = None,
    maximum: float | None = None,
    decimals: int = 0,
    help: str | None = None,
    where: Any = st,
    in_form: bool = False,
) -> Any:
    """A number typed the user's way: Persian or Arabic-Indic digits, the locale's
    separators or plain ``1234.5`` (``st.number_input`` accepts only 0–9 and ``.``).

    Returns an int when ``decimals`` is 0. Text that is not a number, or a number out of
    range, is named under the field and the last good value is used meanwhile. In a form
    (``in_form``) the store checks the value when it is saved: text that is not a number
    is returned as it is, so the save is refused naming the field.
    """
    context = ctx()
    fmt, t = context.fmt, context.t
    read, number = _typed_field(label, "" if value is None else fmt.number(value, decimals), fmt.parse_number,
                                "error.not_a_number", key=key, where=where, in_form=in_form, help=help,
                                fallback=value)
    if not read or number is None:
        return number
    outside = (minimum is not None and number < minimum) or (maximum is not None and number > maximum)
    if outside and not in_form:
        where.error(t("error.number_range", low=fmt.number(minimum, decimals) if minimum is not None else "−∞",
                      high=fmt.number(maximum, decimals) if maximum is not None else "∞"),
                    icon=":material/error:")
        return st.session_state.get(f"{key}__last", value)
    number = round(number) if decimals == 0 else number
    st.session_state[f"{key}__last"] = number
    return number


def date_field(label: str, value: Any, *, key: str, where: Any = st, in_form: bool = False) -> Any:
    """A date typed as year-month-day in any digits; in the Solar Hijri calendar when the
    user chose it (a year from 1300 to 1500 is always read as Solar Hijri; other years
    before 1700 are refused). Unreadable text is named under the field (in a form:
    returned, for the store to refuse)."""
    fmt = ctx().fmt
    read, day = _typed_field(label, fmt.input_date(value), fmt.parse_date, "error.not_a_date", key=key,
                             where=where, in_form=in_form,
                             help=ctx().t("field.date_help", example=fmt.input_date(value)), fallback=value)
    if read:
        st.session_state[f"{key}__last"] = day
    return day


def _typed_field(label: str, initial: str, parse: Callable[[str], Any], error_key: str, *, key: str,
                 where: Any, in_form: bool, help: str | None, fallback: Any) -> tuple[bool, Any]:
    """A text field read back by ``parse``: (True, value), or (False, what to use instead)
    when the text cannot be read: in a form the text itself (the store refuses it, naming
    the field), elsewhere the last good value, with the problem named under the field."""
    if key not in st.session_state:
        st.session_state[key] = initial
    text = where.text_input(label, key=key, help=help)
    try:
        return True, parse(text)
    except ValueError:
        if in_form:
            return False, text
        where.error(ctx().t(error_key, text=text), icon=":material/error:")
        return False, st.session_state.get(f"{key}__last", fallback)
