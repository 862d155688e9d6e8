"""User text made inert for Markdown: shown as typed, never an image, link or HTML.

Streamlit renders most text as Markdown, so a persona quote ``![x](http://host/t.png)``
would make every viewer's browser fetch that address (a tracking pixel, and an outside
call the app promises never to make). Escaping every character that CommonMark, GFM or
Streamlit's math (``$``) give meaning to leaves the text exactly as typed: no image, no
link, no raw HTML, no heading or list the user did not see coming. (Streamlit's own
``:icon:`` and ``:colour[…]`` directives fetch nothing: its icons and emoji ship with it.)
"""

from __future__ import annotations

import re
from typing import Any

# The ASCII punctuation (all of it escapable in CommonMark) that carries meaning in
# Markdown, GFM tables and strikethrough, or math; and the colon of "://", which would
# start a GFM autolink that swallows the escapes after it (shown as backslashes).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$=]|:(?=//))")


def markdown_text(text: Any) -> str:
    """``text`` escaped so a CommonMark renderer (Streamlit's included) shows it literally.

    Line breaks are kept as they are: a caller that puts the text inside a list item or a
    quote takes one line at a time.
    """
    if text is None:
        return ""
    return _SPECIAL.sub(r"\\\1", str(text))
