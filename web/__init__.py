"""HTTP served beside the pages: routes and middleware for Streamlit's ``st.App``."""
