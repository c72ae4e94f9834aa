"""目标企业 (targets): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.targets.page`."""
from chainmap.app import targets

targets.page()
