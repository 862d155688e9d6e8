"""Regenerate data/mentions_sample.csv and mentions_sample_<language>.csv: brand mentions
for the demo workbook in each language.

Deterministic (fixed seed). Three brands over twelve weeks. The English file is mostly
English (scored), with a few Polish and Persian mentions (counted, not scored); a
language's file is mostly in that language (counted, not scored: the offline sentiment
reads English only) with a fifth in English, as on real feeds. Run:
python data/generate_mentions.py
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from mentions_translated import TRANSLATED

BRANDS = {"Bean & Bloom": 0.5, "RoastBox": 0.3, "Daily Grind": 0.2}
PLATFORMS = ["Instagram", "X", "Facebook", "Reddit", "TikTok"]
STAGES = ["Awareness", "Consideration", "Onboarding / delivery", "Use", "Support", "Renewal / advocacy"]
ENGLISH = [
    ("Love the new Ethiopian beans from {b}, best coffee this month!", "Use"),
    ("{b} delivery arrived while I was at work again, box sat in the locker for two days", "Onboarding / delivery"),
    ("Tried to pause my {b} subscription, had to email support and wait a day. Frustrating.", "Support"),
    ("The tasting notes card from {b} is such a nice touch", "Use"),
    ("{b} sent me the same Brazil three months in a row... boring", "Use"),
    ("Just discovered {b} on Instagram, their farm stories are great", "Awareness"),
    ("Is {b} worth the price? Seems expensive per kilo", "Consideration"),
    ("Customer service at {b} answered in ten minutes, amazing", "Support"),
    ("Cancelled {b} today, too hard to skip a box when travelling", "Renewal / advocacy"),
    ("Gifted a {b} subscription to my dad, he loves it", "Renewal / advocacy"),
    ("{b} checkout was quick and easy on my phone", "Consideration"),
    ("Late delivery from {b} and no update, disappointed", "Onboarding / delivery"),
    ("{b} roast date on the bag is only three days old, super fresh", "Use"),
    ("Why can't I choose a delivery day with {b}? Annoying", "Onboarding / delivery"),
]
OTHER = [
    "Kawa od {b} jest świetna, ale dostawa się spóźniła.",
    "قهوه {b} عالی بود ولی ارسال دیر رسید",
]


def main() -> None:
    write(Path(__file__).with_name("mentions_sample.csv"), ENGLISH, OTHER, other_share=0.06)
    for language, native in TRANSLATED.items():
        write(Path(__file__).with_name(f"mentions_sample_{language}.csv"), native, [], other_share=0.0,
              english_share=0.2)


def write(path: Path, main_texts, other, other_share: float, english_share: float = 0.0) -> None:
    """320 mentions: ``main_texts`` (text, stage) mostly, English ones for ``english_share``
    and ``other`` (untagged) for ``other_share``."""
    rng = random.Random(7)
    start = date(2026, 8, 3)
    rows = []
    for _ in range(320):
        brand = rng.choices(list(BRANDS), weights=list(BRANDS.values()))[0]
        roll = rng.random()
        if roll < other_share:
            text, stage = rng.choice(other), ""
        else:
            text, stage = rng.choice(ENGLISH if roll < other_share + english_share else main_texts)
            stage = stage if brand == "Bean & Bloom" and rng.random() < 0.3 else ""
        rows.append({
            "date": (start + timedelta(days=rng.randrange(84))).isoformat(),
            "platform": rng.choice(PLATFORMS),
            "author": f"@user{rng.randrange(10_000):04d}",
            "text": text.format(b=brand),
            "brand": brand,
            "stage": stage,
        })
    rows.sort(key=lambda r: r["date"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
