"""The per-address limit of the public survey pages and the webhook: a token bucket."""

import pytest

from cxlib.access import ratelimit
from cxlib.access.config import ConfigError
from cxlib.access.ratelimit import Limiter, Rate


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_let_through_then_one_request_per_share_of_the_window():
    clock = Clock()
    limiter = Limiter(Rate(3, 60), clock)  # 3 a minute: one token back every 20 s
    assert [limiter.take("10.0.0.1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("10.0.0.1") == pytest.approx(20.0)
    clock.now += 5
    assert limiter.take("10.0.0.1") == pytest.approx(15.0)  # a refused request does not cost a token
    clock.now += 15
    assert limiter.take("10.0.0.1") == 0.0
    assert limiter.take("10.0.0.1") == pytest.approx(20.0)
    clock.now += 600  # a long pause refills to the burst, never beyond
    assert [limiter.take("10.0.0.1") for _ in range(4)][-2:] == [0.0, pytest.approx(20.0)]


def test_each_address_has_its_own_bucket():
    limiter = Limiter(Rate(1, 60), Clock())
    assert limiter.take("10.0.0.1") == 0.0
    assert limiter.take("10.0.0.1") > 0
    assert limiter.take("10.0.0.2") == 0.0
    assert limiter.take(None) == 0.0  # no address known: all such requests share one bucket
    assert limiter.take(None) > 0


def test_off_lets_everything_through():
    limiter = Limiter(None, Clock())
    assert all(limiter.take("10.0.0.1") == 0.0 for _ in range(10_000))


def test_addresses_whose_bucket_refilled_are_forgotten_when_many_are_known(monkeypatch):
    monkeypatch.setattr(ratelimit, "MAX_ADDRESSES", 10)
    clock = Clock()
    limiter = Limiter(Rate(2, 10), clock)
    for n in range(10):
        limiter.take(f"10.0.0.{n}")
    clock.now += 60
    limiter.take("10.0.1.1")
    limiter.take("10.0.1.2")  # the 11th address: the ten refilled ones go
    assert set(limiter._buckets) == {"10.0.1.1", "10.0.1.2"}
    assert limiter.take("10.0.0.1") == 0.0  # a forgotten address starts with a full bucket


def test_rates_come_from_the_environment_and_a_typo_names_the_variable():
    assert ratelimit.rates_from_env({}) == {"survey": Rate(60, 60), "webhook": Rate(1200, 60)}
    assert ratelimit.rates_from_env({"CXW_RATE_SURVEY": "10/1", "CXW_RATE_WEBHOOK": "off"}) == {
        "survey": Rate(10, 1), "webhook": None}
    for wrong in ("ten/60", "10/0", "-1/60", "10/x"):
        with pytest.raises(ConfigError, match="CXW_RATE_SURVEY"):
            ratelimit.rates_from_env({"CXW_RATE_SURVEY": wrong})


def test_retry_after_is_whole_seconds_and_at_least_one():
    assert [ratelimit.retry_after(s) for s in (0.01, 1.0, 1.2, 19.9)] == [1, 1, 2, 20]
