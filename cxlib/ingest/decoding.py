"""Bytes of an uploaded text file to text, in the encoding the file was saved in.

Excel on Windows saves CSV in the machine's code page (Windows-1250 in Poland), old Macs
in Mac Roman, "Unicode text" exports are UTF-16. A byte-order mark decides first, then
strict UTF-8, then ``charset-normalizer`` guesses; the encoding used is returned so the
preview can show it and the user can pick another. Binary files are refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import cached_property

from cxlib.ingest.parsing import FileError

# Encodings offered when the guess is wrong (codec names Python knows).
CHOICES = ("utf-8", "utf-16", "cp1250", "cp1252", "mac_roman", "iso8859_2", "cp1256", "cp1251")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_C1 = re.compile("[\x80-\x9f]")
_PIECE = 8 * 1024 * 1024  # bytes checked at a time when a file's UTF-8 is validated
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """A file's bytes with the codec that reads them. ``text`` is decoded when first asked
    for: a big UTF-8 export is read by polars from its bytes, and its text (as large again)
    is never built."""

    content: bytes = field(repr=False)
    codec: str  # the Python codec that reads ``content`` ("utf-8-sig" skips a byte-order mark)
    encoding: str  # the encoding as shown and offered, e.g. "utf-8", "cp1250"
    guessed: bool  # True when no byte-order mark or strict UTF-8 decided it

    @cached_property
    def text(self) -> str:
        return self.content.decode(self.codec)

    def head(self, size: int) -> str:
        """The text of about the first ``size`` bytes (a character cut at the end is dropped)."""
        return self.content[:size].decode(self.codec, errors="ignore")


def decode(content: bytes, name: str, encoding: str | None = None) -> Decoded:
    """The file's text (see the module docstring); ``encoding`` forces a codec."""
    decoded = _decode(content, name, encoding)
    head = decoded.head(400_000)[:100_000]
    if len(_CONTROL.findall(head)) > 0.01 * len(head):
        raise FileError("binary_file", name=name)
    return decoded


def _readable(content: bytes, codec: str) -> bool:
    """Whether all of ``content`` decodes with ``codec``, checked a piece at a time so
    that the text is not kept (UTF-8 files are read by polars from their bytes)."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for start in range(0, len(content), _PIECE):
            decoder.decode(content[start:start + _PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decoded(content: bytes, codec: str, encoding: str, guessed: bool) -> Decoded:
    """Decoded (raises UnicodeDecodeError): UTF-8 is checked without keeping the text;
    other codecs are decoded now, since their text is what the readers use."""
    decoded = Decoded(content, codec, encoding, guessed)
    if codecs.lookup(codec).name in ("utf-8", "utf-8-sig"):
        if not _readable(content, codec):
            content.decode(codec)  # raises the UnicodeDecodeError that says where
    else:
        decoded.text  # noqa: B018 - decoded (and so checked) now
    return decoded


def _decode(content: bytes, name: str, encoding: str | None) -> Decoded:
    if encoding:
        try:
            return _decoded(content, encoding, encoding, False)
        except (UnicodeDecodeError, LookupError):
            raise FileError("wrong_encoding", name=name, encoding=encoding) from None
    for bom, codec in _BOMS:
        if content.startswith(bom):
            try:
                return _decoded(content, codec, "utf-8" if codec == "utf-8-sig" else codec, False)
            except UnicodeDecodeError:
                break
    if _utf16_without_bom(content):
        codec = "utf-16-le" if content[1:2] == b"\x00" else "utf-16-be"
        try:
            return _decoded(content, codec, "utf-16", True)
        except UnicodeDecodeError:
            pass
    if b"\x00" in content[:4096]:
        raise FileError("binary_file", name=name)
    try:
        return _decoded(content, "utf-8", "utf-8", False)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content[:200_000], cp_isolation=list(CHOICES[2:])))
    # A code page that turns letters into C1 control characters (0x80–0x9F) is the wrong
    # one: ISO-8859-2 reads Windows-1250's "ś" (0x9C) that way.
    clean = [m for m in matches if not _C1.search(str(m))]
    best = (clean or matches or [None])[0]
    if best is None:
        raise FileError("binary_file", name=name)
    codec = codecs.lookup(best.encoding).name
    try:
        return _decoded(content, codec, _short(codec), True)
    except UnicodeDecodeError:
        raise FileError("binary_file", name=name) from None


def _utf16_without_bom(content: bytes) -> bool:
    """Mostly-ASCII UTF-16 text: every other byte of the start is NUL."""
    head = content[:400]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.8 * len(odd) or even.count(0) > 0.8 * len(even)


def _short(codec: str) -> str:
    """Python's codec name as offered in :data:`CHOICES` (``cp1250``, ``mac_roman`` …)."""
    aliases = {"mac-roman": "mac_roman", "iso8859-2": "iso8859_2"}
    return aliases.get(codec, codec)
