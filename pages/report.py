"""The strategy report: the whole workbook to hand out after the workshop."""

import streamlit as st

from cxlib.report import build as report
from cxlib.report import slides
from ui.context import ctx

context = ctx()
t = context.t
store = context.store

st.title(t("report.title"))
st.write(t("report.intro"))


def blocks():
    return report.build(store, context.workbook_id, t, context.fmt)


name = context.workbook["name"]
left, middle, right, slides_column = st.columns(4)
left.download_button(t("report.html"), data=lambda: report.to_html(blocks(), t.direction, t.language),
                     file_name=f"{name}.html", mime="text/html", icon=":material/description:",
                     key="cx_report_html", width="stretch", on_click="ignore")
middle.download_button(t("report.pdf"), data=lambda: report.to_pdf(blocks(), t.language, t("report.page")), file_name=f"{name}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:", key="cx_report_pdf", on_click="ignore",
                       width="stretch")
right.download_button(t("report.markdown"), data=lambda: report.to_markdown(blocks()), file_name=f"{name}.md",
                      mime="text/markdown", icon=":material/article:", key="cx_report_md", width="stretch",
                      on_click="ignore")
slides_column.download_button(
    t("report.slides"), data=lambda: slides.to_pptx(blocks(), t.direction == "rtl"), file_name=f"{name}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", icon=":material/slideshow:",
    key="cx_report_pptx", width="stretch", on_click="ignore")
st.caption(t("report.offline"))

with st.expander(t("report.preview"), icon=":material/visibility:"):
    if st.button(t("report.show_preview"), key="cx_report_preview"):
        st.html(report.to_html(blocks(), t.direction, t.language))
