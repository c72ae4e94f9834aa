"""数据导入 (imports): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.imports.page`."""
from chainmap.app import imports

imports.page()
