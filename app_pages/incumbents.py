"""服务已落地企业 (incumbents): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.incumbents.page`."""
from chainmap.app import incumbents

incumbents.page()
