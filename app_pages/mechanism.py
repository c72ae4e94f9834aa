"""八个一 (mechanism): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.mechanism.page`."""
from chainmap.app import mechanism

mechanism.page()
