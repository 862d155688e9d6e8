"""Home: the ten steps with their completion, overall progress and what to do next."""

import streamlit as st

from cxlib.report.inert import markdown_text
from cxlib.steps import progress
from cxlib.storage import workbooks
from ui import show
from ui.context import ctx, page_path

context = ctx()
t = context.t
statuses = progress.step_statuses(context.store, context.workbook_id)

st.title(t("home.title"))
st.subheader(markdown_text(context.workbook["name"]))
if context.workbook["description"]:
    st.markdown(markdown_text(context.workbook["description"]))

done = sum(s.done for s in statuses)
st.progress(progress.overall(statuses), text=t("home.progress", done=done, total=len(statuses)))

upcoming = progress.next_step(statuses)
with st.container(border=True):
    if upcoming:
        st.markdown(f"**{t('home.next')}** {t('step.number', n=upcoming.number)}: "
                    f"{t(f'step.{upcoming.key}.title')}")
        st.caption(t(f"step.{upcoming.key}.rule", **upcoming.detail))
        st.page_link(page_path(upcoming.key), label=t("home.go"), icon=show.arrow())
    else:
        st.markdown(t("home.all_available_done"))

counts = workbooks.counts(context.store, context.workbook_id)
metric_columns = st.columns(3)
metric_columns[0].metric(t("home.count.personas"), context.fmt.number(counts["personas"]))
metric_columns[1].metric(t("home.count.journeys"), context.fmt.number(counts["journeys"]))
metric_columns[2].metric(t("home.count.stages"), context.fmt.number(counts["stages"]))

st.header(t("home.steps"))
for row_start in range(0, len(statuses), 2):
    columns = st.columns(2)
    for column, status in zip(columns, statuses[row_start : row_start + 2]):
        with column.container(border=True):
            if not status.available:
                badge = ":material/schedule: " + t("home.status.coming")
            elif status.done:
                badge = ":material/check_circle: " + t("home.status.done")
            else:
                badge = ":material/radio_button_unchecked: " + t("home.status.todo")
            st.markdown(f"**{t('step.number', n=status.number)}: {t(f'step.{status.key}.title')}**")
            st.caption(badge)
            st.write(t(f"step.{status.key}.summary"))
            if status.available:
                st.caption(t(f"step.{status.key}.rule", **status.detail))
                st.page_link(page_path(status.key), label=t("home.open"), icon=show.arrow())
