"""Synthetic feedback, tickets and usage events for the demo workbook and benchmarks.

Seeded, so the demo looks the same everywhere. Satisfaction depends on the segment, the
journey stage and the channel, and improves slowly over the year, so breakdowns and
trends have something to show. ``responses(n)`` scales to millions of rows for bench/.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl

SEGMENTS = ("Enthusiasts", "Small offices", "Gifting")
PERSONAS = {"Enthusiasts": "Maya Novak", "Small offices": "Tomasz Wójcik", "Gifting": "Leila Karimi"}
STAGES = ("Purchase", "Onboarding / delivery", "Use", "Support", "Renewal / advocacy")
CHANNELS = ("email", "in_app", "phone", "post_purchase_form")
METRICS = {"nps": 10, "csat": 5, "ces": 7}
PAGES = ("/", "/shop", "/account", "/pause", "/brew-guide", "/checkout")


def responses(n: int, seed: int = 1, end: datetime = datetime(2026, 11, 1), days: int = 365) -> pl.DataFrame:
    """``n`` survey answers over ``days`` before ``end`` (NPS, CSAT and CES mixed)."""
    rng = np.random.default_rng(seed)
    segment = rng.integers(0, len(SEGMENTS), n)
    stage = rng.integers(0, len(STAGES), n)
    channel = rng.integers(0, len(CHANNELS), n)
    metric = rng.choice(np.array(list(METRICS)), n, p=[0.5, 0.3, 0.2])
    offset = rng.uniform(0, days, n)
    # Mood: segment and stage effects, a support dip, and a slow improvement over time.
    mood = (1.2 + np.array([0.3, -0.2, 0.1])[segment] + np.array([0.3, -0.3, 0.4, -0.6, 0.0])[stage]
            + 0.5 * offset / days + rng.normal(0, 1, n))
    share = 1 / (1 + np.exp(-mood))
    scale = np.select([metric == m for m in METRICS], list(METRICS.values()))
    low = np.where(metric == "nps", 0, 1)
    score = np.clip(np.rint(low + share * (scale - low) + rng.normal(0, 0.8, n)), low, scale)
    seconds = ((days - offset) * 86400 * 1000).astype("timedelta64[ms]")
    at = np.datetime64(end, "ms") - seconds
    return pl.DataFrame({
        "at": at,
        "metric": metric,
        "scale": scale.astype(np.int64),
        "score": score.astype(float),
        "customer": rng.integers(0, max(n // 3, 1), n),
        "segment": np.array(SEGMENTS)[segment],
        "persona": np.array([PERSONAS[s] for s in SEGMENTS])[segment],
        "stage": np.array(STAGES)[stage],
        "channel": np.array(CHANNELS)[channel],
    }).with_columns(
        pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S"),
        pl.format("C{}", pl.col("customer").cast(pl.String).str.zfill(5)).alias("customer"),
        pl.lit(None, pl.String).alias("comment"),
    )


def tickets(n: int, seed: int = 2, end: datetime = datetime(2026, 11, 1), days: int = 365) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    created = [end - timedelta(days=float(d)) for d in rng.uniform(0, days, n)]
    channel = rng.choice(np.array(["email", "phone", "chat"]), n, p=[0.6, 0.25, 0.15])
    hours = rng.lognormal(np.where(channel == "chat", 0.5, 2.5), 0.9)
    resolved = [c + timedelta(hours=float(h)) if rng.random() > 0.04 else None for c, h in zip(created, hours)]
    return pl.DataFrame({
        "created": [c.strftime("%Y-%m-%dT%H:%M:%S") for c in created],
        "resolved": [r.strftime("%Y-%m-%dT%H:%M:%S") if r and r < end else None for r in resolved],
        "customer": [f"C{c:05d}" for c in rng.integers(0, 3000, n)],
        "channel": channel,
        "stage": rng.choice(np.array(STAGES), n),
        "segment": rng.choice(np.array(SEGMENTS), n),
    })


def events(users: int, seed: int = 3, end: datetime = datetime(2026, 11, 1), months: int = 12) -> pl.DataFrame:
    """App sessions of ``users`` subscribers who join over the year and some of whom leave."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(users):
        joined = end - timedelta(days=float(rng.uniform(0, months * 30)))
        stays = rng.exponential(240)  # days until they stop using the app
        stop = min(end, joined + timedelta(days=float(stays)))
        moment = joined
        while True:
            moment += timedelta(days=float(rng.exponential(9)))
            if moment >= stop:
                break
            pages = rng.integers(1, 6)
            for step in range(pages):
                page = PAGES[rng.integers(0, len(PAGES))]
                rows.append((moment + timedelta(seconds=float(step * rng.uniform(5, 90))), f"U{index:04d}", page,
                             "pause" if page == "/pause" else None, int(page == "/checkout")))
    return pl.DataFrame(rows, schema=[("at", pl.Datetime), ("user", pl.String), ("page", pl.String),
                                      ("feature", pl.String), ("key_event", pl.Int8)], orient="row").sort("at").with_columns(
        pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S"))
