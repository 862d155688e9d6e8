"""Step 7, social listening: brand mentions imported from CSV, scored and summarised.

Sentiment is computed offline with VADER, a lexicon that ships inside the
``vaderSentiment`` package. VADER is made for English social-media text, so only mentions
detected as English are scored; Persian, Armenian and Polish mentions are counted in
volume and share of voice but get no sentiment (shown as "not scored"), rather than a
misleading neutral score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

import polars as pl

from cxlib.ingest import pipeline
from cxlib.ingest.parsing import FileError
from cxlib.ingest.pipeline import Field, Reading, Spec
from cxlib.storage import records
from cxlib.storage.store import Store

MENTIONS = Spec("mentions", (
    Field("date", "datetime", True, ("date", "created", "created at", "published", "time", "timestamp", "tweet created",
                                     "data", "تاریخ", "ամսաթիվ")),
    Field("text", "text", True, ("text", "message", "content", "tweet", "post", "mention", "body", "review",
                                 "comment", "treść", "متن", "نظر", "տեքստ")),
    Field("brand", "text", True, ("brand", "company", "airline", "product", "marka", "برند", "ապրանքանիշ")),
    Field("platform", "text", False, ("platform", "source", "network", "site", "channel", "platforma", "پلتفرم",
                                      "հարթակ")),
    Field("author", "text", False, ("author", "user", "name", "username", "handle", "autor", "نویسنده", "հեղինակ")),
    Field("stage", "text", False, ("stage", "etap", "مرحله", "փուլ")),
))
SCORED_LANGUAGES = ("en",)
NEGATIVE, POSITIVE = -0.05, 0.05  # VADER's usual cut-offs on the compound score
STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being but
    by can could did do does doing don't for from get got had has have having he her here his
    how i i'm if in into is it it's its just me more most my no not now of off on once only or
    other our out over own same she so some still such than that the their them then there
    these they this those through to too under until up very was we were what when where which
    while who why will with would you your yours really got every one two""".split()
)
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def detect_language(text: str) -> str:
    """A rough script-based guess: fa (Arabic script), hy (Armenian), pl (Polish letters), en."""
    if re.search(r"[\u0600-\u06FF]", text):
        return "fa"
    if re.search(r"[\u0530-\u058F]", text):
        return "hy"
    if re.search(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]", text):
        return "pl"
    return "en"


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float | None:
    """VADER compound score (−1…+1) for English text, None for other languages."""
    if detect_language(text) not in SCORED_LANGUAGES:
        return None
    return float(_analyzer().polarity_scores(text)["compound"])


def read_mentions(content: bytes, name: str = "mentions.csv") -> pl.DataFrame:
    """A mentions file read through the import pipeline with the suggested mapping (all
    rows, before anything is written). Raises FileError naming the row and column."""
    table = pipeline.open_file(content, name)
    return mentions_from(pipeline.read(table, MENTIONS, pipeline.suggest(table, MENTIONS)))


def mentions_from(reading: Reading) -> pl.DataFrame:
    """The mentions to store from a reading of :data:`MENTIONS` (dates as dates)."""
    if not reading.ready:
        raise FileError("choose_order", reading.questions[0])
    frame = reading.frame
    if frame.height == 0:
        raise FileError("no_mentions")
    return frame.select(
        pl.col("date").dt.date(),
        *((pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c))
          for c in ("platform", "author", "text", "brand", "stage")))


def import_mentions(
    store: Store,
    workbook_id: int,
    mentions: pl.DataFrame,
    who: Any,
    progress: Callable[[float], None] | None = None,
    remember: Callable[[Any], None] | None = None,
) -> int:
    """Write validated mentions with their sentiment, all in one change (all or nothing);
    ``remember`` keeps the column mapping for the next file of this shape, in that change."""
    with store.change(who, workbook_id) as change:
        if remember:
            remember(change)
        total = mentions.height
        for index, row in enumerate(mentions.iter_rows(named=True)):
            change.insert(
                "mentions",
                {
                    "workbook_id": workbook_id,
                    "date": row["date"].isoformat(),
                    "platform": row["platform"],
                    "author": row["author"],
                    "text": row["text"],
                    "brand": row["brand"],
                    "stage": row["stage"] or None,
                    "sentiment": sentiment(row["text"]),
                },
            )
            if progress and index % 200 == 0:
                progress(index / total)
    return mentions.height


def load(store: Store, workbook_id: int) -> pl.DataFrame:
    """The workbook's mentions as a frame (dates as dates, newest last)."""
    rows = store.rows(
        "select id, version, date, platform, author, text, brand, sentiment, stage "
        "from mentions where workbook_id = ? order by date, id",
        (workbook_id,),
    )
    schema = {"id": pl.Int64, "version": pl.Int64, "date": pl.String, "platform": pl.String,
              "author": pl.String, "text": pl.String, "brand": pl.String,
              "sentiment": pl.Float64, "stage": pl.String}
    return pl.DataFrame(rows, schema=schema).with_columns(pl.col("date").str.to_date())


def volume(mentions: pl.DataFrame, every: str = "1w") -> pl.DataFrame:
    """Mentions per brand per period (weeks by default)."""
    return (
        mentions.sort("date")
        .group_by_dynamic("date", every=every, group_by="brand")
        .agg(pl.len().alias("mentions"))
        .sort("date", "brand")
    )


def share_of_voice(mentions: pl.DataFrame) -> pl.DataFrame:
    """Each brand's share of all mentions, with mean sentiment and how many were scored."""
    total = mentions.height
    return (
        mentions.group_by("brand")
        .agg(
            pl.len().alias("mentions"),
            pl.col("sentiment").mean().alias("mean_sentiment"),
            pl.col("sentiment").is_not_null().sum().alias("scored"),
            (pl.col("sentiment") <= NEGATIVE).sum().alias("negative"),
            (pl.col("sentiment") >= POSITIVE).sum().alias("positive"),
        )
        .with_columns((pl.col("mentions") / total).alias("share"))
        .sort("mentions", descending=True)
    )


def themes(mentions: pl.DataFrame, limit: int = 15, ignore: Sequence[str] = ()) -> pl.DataFrame:
    """The most frequent words (4+ letters, no stopwords or brand names) in the mentions."""
    ignored = STOPWORDS | {w.lower() for name in ignore for w in name.split()}
    counts: dict[str, int] = {}
    for text in mentions["text"].to_list():
        for word in {w.lower() for w in WORD.findall(text)}:
            if word not in ignored:
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return pl.DataFrame(ranked, schema={"theme": pl.String, "mentions": pl.Int64}, orient="row")


def pain_points(mentions: pl.DataFrame, brand: str, limit: int = 10) -> pl.DataFrame:
    """Themes of one brand's negative mentions: what hurts customers."""
    negative = mentions.filter((pl.col("brand") == brand) & (pl.col("sentiment") <= NEGATIVE))
    brands = mentions["brand"].unique().to_list()
    return themes(negative, limit, ignore=brands)


def save_stage_tags(
    store: Store, workbook_id: int, loaded: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]], who: Any,
    forced_versions: Mapping[int, int] | None = None,
) -> None:
    """Tag mentions (grid row → {"stage": name}) to journey stages, as one change."""

    def write(change, mention, cells, version_of) -> None:
        if "stage" in cells:
            change.update("mentions", mention["id"], {"stage": cells["stage"] or None},
                          version_of(mention["id"], mention["version"]))

    records.save_cells(store, workbook_id, loaded, edited_rows, who, write, forced_versions)


def by_stage(mentions: pl.DataFrame) -> pl.DataFrame:
    """Tagged mentions per journey stage, with their mean sentiment."""
    return (
        mentions.filter(pl.col("stage").is_not_null())
        .group_by("stage")
        .agg(pl.len().alias("mentions"), pl.col("sentiment").mean().alias("mean_sentiment"))
        .sort("mentions", descending=True)
    )


def counts(store: Store, workbook_id: int) -> dict[str, int]:
    """How many mentions a workbook holds and how many are tagged to a stage."""
    return store.rows(
        "select count(*) as mentions, count(stage) as tagged from mentions where workbook_id = ?",
        (workbook_id,),
    )[0]


def is_complete(counted: Mapping[str, int]) -> bool:
    """Done: mentions imported and at least one tagged to a journey stage."""
    return counted["mentions"] > 0 and counted["tagged"] > 0


def date_range(mentions: pl.DataFrame) -> tuple[date, date] | None:
    if mentions.height == 0:
        return None
    return mentions["date"].min(), mentions["date"].max()
