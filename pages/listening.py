"""Step 7: social listening: import mentions, volume, share of voice, sentiment, themes."""

import polars as pl
import streamlit as st

from cxlib.ingest.parsing import FileError
from cxlib.report import charts
from cxlib.report.inert import markdown_text
from cxlib.steps import journeys, listening
from ui import editing, imports, show
from ui.context import ctx, data_version

context = ctx()
t = context.t
store = context.store

st.title(f"{t('step.number', n=7)}: {t('step.listening.title')}")
show.guidance("listening")
counted = listening.counts(store, context.workbook_id)
show.step_rule("listening", listening.is_complete(counted), **counted)


@st.cache_data(show_spinner=False, max_entries=16)
def mentions_of(workbook_id: int, data_version: int):
    """Loaded once per change of the workbook's data (the version is the cache key)."""
    return listening.load(store, workbook_id)



def table(frame: pl.DataFrame) -> None:
    show.table(frame, {c: t(f"listening.col.{c}") for c in frame.columns}, shares=("share",))


with st.expander(t("listening.import"), icon=":material/upload_file:"):
    st.caption(t("listening.import_help"))
    draft = imports.upload(listening.MENTIONS, "cx_mentions")
    if draft is not None:
        try:
            parsed = listening.mentions_from(draft.reading)
        except FileError as error:
            imports.file_error(draft.name, error)
        else:
            imports.import_button(
                draft, "cx_mentions",
                lambda: listening.import_mentions(store, context.workbook_id, parsed, context.user,
                                                  remember=draft.remember),
                success=t("listening.imported", n=parsed.height))

mentions = mentions_of(context.workbook_id, data_version())
if mentions.height == 0:
    st.info(t("listening.empty"))
    st.stop()

unscored = mentions["sentiment"].is_null().sum()
st.caption(t("listening.languages", unscored=unscored, total=mentions.height))
show.chart(
    charts.mention_volume(
        listening.volume(mentions),
        {"date": t("listening.col.date"), "mentions": t("listening.col.mentions"),
         "brand": t("listening.col.brand"), "title": t("listening.volume_title")},
        context.fmt.time_labels("day"),
    )
)

st.subheader(t("listening.share"))
share = listening.share_of_voice(mentions)
table(share)
show.chart(
    charts.bars(share, "brand", "share",
                {"category": t("listening.col.brand"), "value": t("listening.col.share"),
                 "title": t("listening.col.share")}, value_format=".0%"))

left, right = st.columns(2)
brands = share["brand"].to_list()
with left:
    st.subheader(t("listening.themes"))
    table(listening.themes(mentions, ignore=brands))
with right:
    brand = st.selectbox(t("listening.brand_filter"), brands, key="cx_pain_brand")
    st.subheader(t("listening.pain", brand=markdown_text(brand)))
    table(listening.pain_points(mentions, brand))

st.subheader(t("listening.tag"))
st.caption(t("listening.tag_help"))
stage_names = journeys.stage_names(store, context.workbook_id)
recent = mentions.sort("date", descending=True).head(200)
loaded = recent.to_dicts()
editing.cell_editor(
    "cx_mention_tags",
    recent.select("date", "brand", "platform", "text", "sentiment", "stage"),
    {
        "date": st.column_config.DateColumn(t("listening.col.date")),
        "brand": st.column_config.TextColumn(t("listening.col.brand")),
        "platform": st.column_config.TextColumn(t("listening.col.platform")),
        "text": st.column_config.TextColumn(t("listening.col.text"), width="large"),
        "sentiment": st.column_config.NumberColumn(t("listening.col.sentiment"), format="%.2f"),
        "stage": st.column_config.SelectboxColumn(t("listening.col.stage"), options=stage_names),
    },
    lambda edited, forced: listening.save_stage_tags(
        store, context.workbook_id, loaded, edited, context.user, forced
    ),
    disabled=["date", "brand", "platform", "text", "sentiment"],
)
show.csv_download(
    [{**row, "date": context.fmt.date(row["date"])} for row in mentions.sort("date", descending=True).to_dicts()],
    {c: t(f"listening.col.{c}") for c in ("date", "brand", "platform", "text", "sentiment", "stage")},
    "mentions.csv", "cx_mentions_csv",
)

tagged = listening.by_stage(mentions)
if tagged.height:
    st.subheader(t("listening.by_stage"))
    table(tagged)
