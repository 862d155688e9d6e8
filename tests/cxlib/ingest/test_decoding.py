"""Uploaded text in the encoding it was saved in, the encoding shown; binary refused."""

import pytest

from cxlib.ingest.decoding import decode
from cxlib.ingest.parsing import FileError

POLISH = ("Data;Klient;Ocena;Komentarz\n2025-01-02;Łukasz Żółć;9;Bardzo dobra obsługa, szybka dostawa\n"
          "2025-01-03;Grzegorz Brzęczyszczykiewicz;3;Źle zapakowane, przyszło uszkodzone, wściekłość\n")


@pytest.mark.parametrize("codec, shown", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16"),
    ("utf-16-be", "utf-16"), ("cp1250", "cp1250"),
])
def test_polish_text_in_each_encoding(codec, shown):
    decoded = decode(POLISH.encode(codec), "p.csv")
    assert decoded.text.lstrip("\ufeff") == POLISH and decoded.encoding == shown


def test_mac_roman():
    text = "Name;Comment\nCafé Crème;très bon, façade naïve\nRené;déjà vu — encore\n"
    decoded = decode(text.encode("mac_roman"), "m.csv")
    assert decoded.text == text and decoded.encoding == "mac_roman" and decoded.guessed


def test_a_chosen_encoding_wins_and_a_wrong_choice_is_named():
    assert decode("Zażółć".encode("cp1250"), "x.csv", "cp1250").text == "Zażółć"
    with pytest.raises(FileError, match="cannot be read as utf-8"):
        decode("Zażółć".encode("cp1250"), "x.csv", "utf-8")


def test_binary_files_are_refused():
    with pytest.raises(FileError, match="not a text file"):
        decode(bytes(range(256)) * 20, "photo.csv")
    with pytest.raises(FileError, match="not a text file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500), "image.csv")
