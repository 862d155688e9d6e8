"""Five small line charts under a title: the page ``bench/floor/serve.py`` serves."""

import streamlit as st

st.title("Five charts")
for chart in range(5):
    st.vega_lite_chart({"data": {"values": [{"month": month, "value": (month * (chart + 3)) % 11}
                                            for month in range(1, 13)]},
                        "mark": "line", "encoding": {"x": {"field": "month", "type": "ordinal"},
                                                     "y": {"field": "value", "type": "quantitative"}}},
                       width="stretch")
