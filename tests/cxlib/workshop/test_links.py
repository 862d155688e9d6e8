"""Participants' links: an address a phone can reach, and a QR code a phone camera reads."""

import io

import zxingcpp
from PIL import Image

from cxlib.workshop import links


def test_a_configured_public_url_wins():
    link = links.base_url("127.0.0.1:8501", public_url="https://cx.example.org/")
    assert link == links.Link("https://cx.example.org", True)


def test_the_browsers_address_is_used_when_it_is_not_loopback():
    assert links.base_url("192.0.2.10:8601", public_url="") == links.Link("http://192.0.2.10:8601", True)
    assert links.base_url("workshop.lan:8601", public_url="").url == "http://workshop.lan:8601"


def test_loopback_is_replaced_by_the_machines_network_address_on_the_same_port():
    link = links.base_url("127.0.0.1:8601", public_url="", addresses=["192.0.2.7"])
    assert link == links.Link("http://192.0.2.7:8601", True)
    assert links.base_url("localhost:8501", public_url="", addresses=["192.0.2.7"]).url == "http://192.0.2.7:8501"
    assert links.base_url("[::1]:8501", public_url="", addresses=["192.0.2.7"]).reachable


def test_only_loopback_known_is_said_not_hidden():
    link = links.base_url("localhost:8501", public_url="", addresses=[])
    assert link == links.Link("http://localhost:8501", False)


def test_page_link_carries_its_parameters():
    link = links.page_link(links.Link("http://192.0.2.7:8601", True), "vote", wb=3, token="a b")
    assert link == links.Link("http://192.0.2.7:8601/vote?wb=3&token=a+b", True)


def test_the_qr_code_decodes_to_the_link():
    url = "http://192.0.2.7:8601/vote?wb=3&token=Zx_9-aQ"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(links.qr_png(url))))
    assert [code.text for code in decoded] == [url]
    assert links.qr_svg(url).lstrip().startswith("<svg")
