"""链条维护 (chain maintenance): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.maintain.page`."""
from chainmap.app import maintain

maintain.page()
