"""概览 (overview): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.overview.page`."""
from chainmap.app import overview

overview.page()
