"""One file per page, run by the frame (app.py) through st.navigation; pages never import each other."""
