"""Sign-in settings: the safe default, the trusted proxy, and settings that cannot be served."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from cxlib.access.config import ConfigError, SignInConfig


def test_no_sign_in_is_fine_on_localhost_only():
    config = SignInConfig.from_env({})
    for local in ("localhost", "127.0.0.1", "::1", "[::1]"):
        config.check_address(local)
    for network in ("0.0.0.0", "", None, "192.168.1.20"):
        with pytest.raises(ConfigError):
            config.check_address(network)
    SignInConfig.from_env({"CXW_OPEN": "1"}).check_address("0.0.0.0")
    SignInConfig.from_env({"CXW_AUTH": "accounts"}).check_address("0.0.0.0")


def test_proxy_header_is_believed_only_from_trusted_addresses():
    config = SignInConfig.from_env({"CXW_AUTH": "proxy", "CXW_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"})
    headers = {"X-Forwarded-User": "ana", "X-Forwarded-Preferred-Username": "Ana L."}
    assert config.proxy_login("10.1.2.3", headers) == ("ana", "Ana L.")
    assert config.proxy_login(None, {"x-forwarded-user": "ana"}) == ("ana", "ana")  # loopback
    assert config.proxy_login("192.168.0.5", headers) is None
    assert config.proxy_login("10.1.2.3", {}) is None
    assert config.proxy_login("not an address", headers) is None


def test_settings_that_cannot_be_served_say_what_to_set():
    for env, words in (({"CXW_AUTH": "ldap"}, "CXW_AUTH"), ({"CXW_AUTH": "proxy"}, "CXW_TRUSTED_PROXIES"),
                       ({"CXW_AUTH": "proxy", "CXW_TRUSTED_PROXIES": "proxy.local"}, "not an address"),
                       ({"CXW_IDLE_MINUTES": "soon"}, "CXW_IDLE_MINUTES"), ({"CXW_IDLE_MINUTES": "0"}, "at least")):
        with pytest.raises(ConfigError, match=words):
            SignInConfig.from_env(env)


@given(st.text(max_size=60))
def test_any_proxy_list_is_read_or_refused_with_a_message(text):
    try:
        config = SignInConfig.from_env({"CXW_AUTH": "proxy", "CXW_TRUSTED_PROXIES": text})
    except ConfigError as error:
        assert "CXW_TRUSTED_PROXIES" in str(error)
    else:
        assert config.trusted_proxies
